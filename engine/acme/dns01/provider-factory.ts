/**
 * The DNS-01 provider for one of an Issuer's dns01 solvers: rfc2136 and
 * acmeDNS are driven for real; with --dns01-manual (or the editor's manual
 * mode) the person creates the records. Every other provider (cloudflare,
 * route53, ..., webhook) is a clear error, naming the way out.
 */
import { TsigKeyError, parseTsigAlgorithm } from '../../dns/tsig.js';
import { UserError } from '../../core/errors.js';
import { asRecord } from '../../core/values.js';
import type { AcmeInputs } from '../acme-inputs.js';
import type { NameserverAddress } from '../../dns/nameserver-address.js';
import type { Dns01Provider, TxtRecord } from './dns01-provider.js';
import { ManualDns01Provider } from './manual-provider.js';
import { AcmeDnsProvider, parseAcmeDnsAccounts } from './acme-dns-provider.js';
import { Rfc2136Provider } from './rfc2136-provider.js';

export interface ProviderContext {
  inputs: AcmeInputs;
  manual: boolean;
  issuerLabel: string;
  solverIndex: number;
  recursiveNameservers: NameserverAddress[];
  tell: (message: string) => void;
  onManualRecords?: (records: TxtRecord[], phase: 'create' | 'delete') => void;
}

const OTHER_PROVIDERS = ['akamai', 'azureDNS', 'cloudDNS', 'cloudflare', 'digitalocean', 'route53', 'webhook'];

export function createDns01Provider(dns01: Record<string, unknown>, c: ProviderContext): Dns01Provider {
  const where = `${c.issuerLabel}, solver ${c.solverIndex + 1}`;
  if (c.manual) {
    return new ManualDns01Provider((message, records) => {
      c.tell(message);
      c.onManualRecords?.(records, message.startsWith('create') ? 'create' : 'delete');
    });
  }
  if (dns01.rfc2136 !== undefined) {
    const r = asRecord(dns01.rfc2136);
    if (typeof r.nameserver !== 'string' || r.nameserver === '') throw new UserError(`${where}: rfc2136.nameserver is required`);
    let tsig = null;
    if (typeof r.tsigKeyName === 'string' && r.tsigKeyName !== '') {
      const ref = asRecord(r.tsigSecretSecretRef);
      if (typeof ref.name !== 'string') throw new UserError(`${where}: rfc2136.tsigSecretSecretRef.name is required with tsigKeyName`);
      const secret = c.inputs.secretKey(ref.name, typeof ref.key === 'string' ? ref.key : '', `the TSIG key "${r.tsigKeyName}"`);
      try {
        parseTsigAlgorithm(typeof r.tsigAlgorithm === 'string' ? r.tsigAlgorithm : undefined);
      } catch (e) {
        if (e instanceof TsigKeyError) throw new UserError(`${where}: ${e.message}`);
        throw e;
      }
      tsig = { name: r.tsigKeyName, algorithm: typeof r.tsigAlgorithm === 'string' ? r.tsigAlgorithm : undefined, secret: secret.toString('utf8').trim() };
    }
    const protocol = r.protocol === 'TCP' || r.protocol === 'UDP' ? r.protocol : undefined;
    return new Rfc2136Provider({ nameserver: r.nameserver, tsig, protocol, recursiveNameservers: c.recursiveNameservers });
  }
  if (dns01.acmeDNS !== undefined) {
    const a = asRecord(dns01.acmeDNS);
    const ref = asRecord(a.accountSecretRef);
    if (typeof a.host !== 'string' || typeof ref.name !== 'string') throw new UserError(`${where}: acmeDNS needs host and accountSecretRef`);
    const key = typeof ref.key === 'string' ? ref.key : '';
    const json = c.inputs.secretKey(ref.name, key, 'the acme-dns accounts');
    return new AcmeDnsProvider(a.host, parseAcmeDnsAccounts(json, `Secret ${c.inputs.secretNamespace}/${ref.name} (key ${key})`), `Secret ${c.inputs.secretNamespace}/${ref.name}`);
  }
  const used = OTHER_PROVIDERS.find((p) => dns01[p] !== undefined) ?? Object.keys(dns01).find((k) => k !== 'cnameStrategy');
  throw new UserError(
    `${where} uses the ${used ?? 'unknown'} DNS-01 provider, which certsmith cannot drive locally yet (supported: rfc2136, acmeDNS)`,
    'use --dns01-manual to create the TXT records yourself; certsmith shows them and waits until they are visible',
  );
}
