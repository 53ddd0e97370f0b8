/**
 * cert-manager's `rfc2136` DNS-01 provider: RFC 2136 UPDATEs, signed with the
 * Issuer's TSIG key (RFC 8945), sent to spec...rfc2136.nameserver. Unlike
 * cert-manager's own solver, which replaces the whole TXT RRset, only our
 * value is added and only our value is removed, so apex and wildcard (one
 * name, two values) never delete each other's record.
 *
 * The zone is found the way cert-manager finds it (SOA through the recursive
 * nameservers), falling back to asking the update server itself.
 */
import { addTxtRecord, findZoneOnNameserver, removeTxtRecord, Rfc2136Error, type TsigKey } from '../../dns/rfc2136.js';
import { findZone } from '../../dns/zone-finder.js';
import { Resolver } from '../../dns/resolver.js';
import type { NameserverAddress } from '../../dns/nameserver-address.js';
import { isIP } from 'node:net';
import { CancelledError, UserError } from '../../core/errors.js';
import type { Dns01Provider, TxtRecord } from './dns01-provider.js';

export interface Rfc2136Settings {
  nameserver: string;
  tsig: TsigKey | null;
  protocol?: 'UDP' | 'TCP';
  recursiveNameservers: NameserverAddress[];
}

export class Rfc2136Provider implements Dns01Provider {
  readonly description: string;
  private readonly zones = new Map<string, Promise<string>>();

  constructor(private readonly settings: Rfc2136Settings) {
    this.description = `RFC 2136 update to ${settings.nameserver}${settings.tsig ? ` (TSIG key ${settings.tsig.name})` : ' (unsigned)'}`;
  }

  private zoneOf(fqdn: string, signal?: AbortSignal): Promise<string> {
    let z = this.zones.get(fqdn);
    if (!z) {
      z = (async () => {
        try {
          return await findZone(fqdn, new Resolver({ nameservers: this.settings.recursiveNameservers, timeoutMs: 2000, attempts: 2, signal }));
        } catch {
          try {
            return await findZoneOnNameserver(await this.nameserverAddress(signal), fqdn, { timeoutMs: 2000, signal });
          } catch (e) {
            throw new UserError(`cannot find the DNS zone of ${fqdn} (neither through the recursive nameservers nor at ${this.settings.nameserver}): ${(e as Error).message}`);
          }
        }
      })();
      this.zones.set(fqdn, z);
    }
    return z;
  }

  private server: Promise<string> | undefined;

  /** cert-manager allows a host name as the nameserver: resolve it through the recursive nameservers (never the system resolver). */
  private nameserverAddress(signal?: AbortSignal): Promise<string> {
    return (this.server ??= (async () => {
      const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(this.settings.nameserver.trim());
      const host = m?.[1] ?? m?.[2] ?? '';
      if (!m || isIP(host)) return this.settings.nameserver;
      const r = await new Resolver({ nameservers: this.settings.recursiveNameservers, timeoutMs: 2000, attempts: 2, signal }).lookup(host, 'A');
      const a = r.answers.find((x) => x.type === 'A');
      if (!a) throw new UserError(`the rfc2136 nameserver ${host} has no address at the recursive nameservers (${r.rcode})`);
      return `${a.value}:${m[3] ?? '53'}`;
    })());
  }

  private async update(action: 'add' | 'remove', record: TxtRecord, signal?: AbortSignal): Promise<void> {
    const zone = await this.zoneOf(record.fqdn, signal);
    const u = { nameserver: await this.nameserverAddress(signal), zone, name: record.fqdn, value: record.value, ttl: record.ttl, tsig: this.settings.tsig, protocol: this.settings.protocol, signal };
    try {
      if (action === 'add') await addTxtRecord(u);
      else await removeTxtRecord(u);
    } catch (e) {
      if (e instanceof Rfc2136Error) {
        if (e.kind === 'aborted') throw new CancelledError();
        throw new UserError(`${action === 'add' ? 'adding' : 'removing'} TXT ${record.fqdn} at ${this.settings.nameserver} failed: ${e.message}`);
      }
      throw e;
    }
  }

  present(record: TxtRecord, signal?: AbortSignal): Promise<void> {
    return this.update('add', record, signal);
  }

  cleanUp(record: TxtRecord, signal?: AbortSignal): Promise<void> {
    return this.update('remove', record, signal);
  }
}
