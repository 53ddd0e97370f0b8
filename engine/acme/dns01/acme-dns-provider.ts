/**
 * cert-manager's `acmeDNS` DNS-01 provider: the TXT value goes to an
 * acme-dns server (joohoi/acme-dns) through its HTTP API
 * (POST /update with X-Api-User / X-Api-Key and {"subdomain","txt"}), using
 * the account of the domain from the JSON in accountSecretRef
 * ({"example.com": {"username","password","fulldomain","subdomain",...}}).
 * `_acme-challenge.<domain>` must be a CNAME to the account's fulldomain;
 * the self check follows it. acme-dns keeps the two most recent values per
 * account (enough for apex + wildcard) and has no delete: clean-up is nothing.
 */
import { UserError } from '../../core/errors.js';
import type { Dns01Provider, TxtRecord } from './dns01-provider.js';

interface AcmeDnsAccount {
  username: string;
  password: string;
  fulldomain: string;
  subdomain: string;
}

export function parseAcmeDnsAccounts(json: Buffer, where: string): Map<string, AcmeDnsAccount> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString('utf8'));
  } catch (e) {
    throw new UserError(`${where} is not JSON (${(e as Error).message}); acme-dns accounts are a JSON object of domain → {username, password, fulldomain, subdomain}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserError(`${where} must be a JSON object of domain → acme-dns account`);
  const out = new Map<string, AcmeDnsAccount>();
  for (const [domain, raw] of Object.entries(parsed as Record<string, unknown>)) {
    const a = raw as Partial<AcmeDnsAccount> | null;
    if (!a || typeof a.username !== 'string' || typeof a.password !== 'string' || typeof a.subdomain !== 'string' || typeof a.fulldomain !== 'string') {
      throw new UserError(`${where}: the account for "${domain}" needs username, password, fulldomain and subdomain`);
    }
    out.set(domain.toLowerCase(), a as AcmeDnsAccount);
  }
  return out;
}

export class AcmeDnsProvider implements Dns01Provider {
  readonly description: string;
  readonly keepsValues = true;

  constructor(
    private readonly host: string,
    private readonly accounts: Map<string, AcmeDnsAccount>,
    private readonly where: string,
  ) {
    let url: URL;
    try {
      url = new URL(host);
    } catch {
      throw new UserError(`acmeDNS.host "${host}" is not a URL (e.g. https://auth.acme-dns.io)`);
    }
    this.description = `acme-dns at ${url.origin}`;
  }

  private account(domain: string): AcmeDnsAccount {
    const a = this.accounts.get(domain.toLowerCase());
    if (!a) throw new UserError(`${this.where} has no acme-dns account for "${domain}" (it has: ${[...this.accounts.keys()].join(', ') || 'none'})`, 'register the domain with acme-dns and add its credentials to the Secret');
    return a;
  }

  target(record: TxtRecord): string {
    return this.account(record.domain).fulldomain.replace(/\.$/, '');
  }

  async present(record: TxtRecord, signal?: AbortSignal): Promise<void> {
    const a = this.account(record.domain);
    const url = new URL('update', this.host.endsWith('/') ? this.host : `${this.host}/`);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-User': a.username, 'X-Api-Key': a.password },
        body: JSON.stringify({ subdomain: a.subdomain, txt: record.value }),
        // The API key must never be sent on to another host.
        redirect: 'error',
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new UserError(`acme-dns at ${url.origin} cannot be reached: ${(e as Error).cause ? String(((e as Error).cause as Error).message) : (e as Error).message}`);
    }
    const body = (await res.text()).slice(0, 300);
    if (res.status === 401 || res.status === 403) throw new UserError(`acme-dns at ${url.origin} refused the credentials for "${record.domain}" (${res.status})`, `check the username and password in ${this.where}`);
    if (!res.ok) throw new UserError(`acme-dns at ${url.origin} did not accept the update for "${record.domain}": ${res.status} ${body}`);
  }

  async cleanUp(): Promise<void> {
    // acme-dns has no delete; it keeps only the two newest values.
  }
}
