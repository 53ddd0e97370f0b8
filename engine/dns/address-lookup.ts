/**
 * A name's addresses (A and AAAA) as each configured resolver sees them, one
 * resolver at a time: the HTTP-01 self check needs to know that *every*
 * resolver says "no such name", and for how long it may keep saying so
 * (negative caching, RFC 2308), not just the first answer of a race.
 */
import { DnsQueryError, queryDns, type DnsResponse } from './dns-client.js';
import { formatNameserver, type NameserverAddress } from './nameserver-address.js';

export interface ResolverAddresses {
  /** host:port or the DoH URL. */
  server: string;
  /** NOERROR with addresses, NODATA (the name exists, no A/AAAA), NXDOMAIN, or TIMEOUT/ERROR (no usable answer). */
  rcode: 'NOERROR' | 'NODATA' | 'NXDOMAIN' | 'TIMEOUT' | 'ERROR';
  addresses: string[];
  /** NODATA/NXDOMAIN: seconds this negative answer may be cached (the SOA's TTL, capped by its MINIMUM); null otherwise. */
  negativeTtl: number | null;
  error: string | null;
}

/** RFC 2308 §5: a negative answer lives min(SOA TTL, SOA MINIMUM); a resolver sends the remaining TTL. */
function negativeTtl(r: DnsResponse): number | null {
  const soa = r.authorities.find((a) => a.type === 'SOA');
  if (!soa) return null;
  return soa.soaMinimum === undefined ? soa.ttl : Math.min(soa.ttl, soa.soaMinimum);
}

async function ask(ns: NameserverAddress, name: string, o: { timeoutMs: number; attempts: number; signal?: AbortSignal }): Promise<ResolverAddresses> {
  const server = formatNameserver(ns);
  const addresses: string[] = [];
  let rcode: ResolverAddresses['rcode'] = 'NODATA';
  let ttl: number | null = null;
  try {
    for (const type of ['A', 'AAAA'] as const) {
      const r = await queryDns(ns, name, type, { recursionDesired: true, timeoutMs: o.timeoutMs, attempts: o.attempts, signal: o.signal });
      if (r.rcode === 'NXDOMAIN') return { server, rcode: 'NXDOMAIN', addresses: [], negativeTtl: negativeTtl(r), error: null };
      if (r.rcode !== 'NOERROR') return { server, rcode: 'ERROR', addresses: [], negativeTtl: null, error: `answered ${r.rcode}` };
      const found = r.answers.filter((a) => a.type === type).map((a) => a.value);
      addresses.push(...found);
      if (!found.length) {
        const t = negativeTtl(r);
        if (t !== null) ttl = ttl === null ? t : Math.min(ttl, t);
      }
    }
  } catch (e) {
    if (e instanceof DnsQueryError && e.kind === 'aborted') throw e;
    const timeout = e instanceof DnsQueryError && e.kind === 'timeout';
    return { server, rcode: timeout ? 'TIMEOUT' : 'ERROR', addresses: [], negativeTtl: null, error: (e as Error).message };
  }
  if (addresses.length) rcode = 'NOERROR';
  return { server, rcode, addresses, negativeTtl: rcode === 'NODATA' ? ttl : null, error: null };
}

/** Asks every resolver (in parallel) for the name's A and AAAA records. */
export function lookupAddresses(name: string, nameservers: NameserverAddress[], o: { timeoutMs?: number; attempts?: number; signal?: AbortSignal } = {}): Promise<ResolverAddresses[]> {
  return Promise.all(nameservers.map((ns) => ask(ns, name, { timeoutMs: o.timeoutMs ?? 2000, attempts: o.attempts ?? 2, signal: o.signal })));
}
