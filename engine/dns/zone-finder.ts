/**
 * Which zone holds a name, and which servers are authoritative for it — found
 * the way cert-manager's FindZoneByFqdn does, through the configured recursive
 * nameservers only:
 *
 * - ask SOA for the name, then for each parent in turn; NXDOMAIN or an answer
 *   without an SOA for that very name means "climb higher"; a CNAME means the
 *   name cannot be a zone apex (RFC 2181); SERVFAIL, REFUSED etc. stop the walk.
 *   A negative answer carries the enclosing zone's SOA in its authority
 *   section: the walk jumps straight to that ancestor (and confirms it).
 * - ask NS for the zone, then A and AAAA for each nameserver host name, again
 *   through the same resolvers (never the system resolver).
 */
import { nameAndAncestors, sameName } from './dns-name.js';
import type { Resolver } from './resolver.js';

class ZoneLookupError extends Error {}

export async function findZone(name: string, resolver: Resolver): Promise<string> {
  const candidates = nameAndAncestors(name);
  for (let i = 0; i < candidates.length; ) {
    const candidate = candidates[i]!;
    const response = await resolver.lookup(candidate, 'SOA');
    if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN') {
      throw new ZoneLookupError(`looking up the zone of ${name}: the SOA query for ${candidate} got ${response.rcode} from ${response.server}`);
    }
    if (response.rcode === 'NOERROR') {
      const hasCname = response.answers.some((r) => r.type === 'CNAME' && sameName(r.name, candidate));
      if (!hasCname && response.answers.some((r) => r.type === 'SOA' && sameName(r.name, candidate))) return candidate;
    }
    // Negative answer: its SOA names the enclosing zone; jump there if it is an ancestor.
    const soa = response.authorities.find((r) => r.type === 'SOA');
    const j = soa ? candidates.indexOf(soa.name) : -1;
    i = j > i ? j : i + 1;
  }
  throw new ZoneLookupError(`no SOA record found for ${name} or any of its parents: is the domain registered and delegated?`);
}

export interface AuthoritativeNameserver {
  /** The NS record's target, e.g. ns1.example.com. */
  host: string;
  /** Its IPv4 then IPv6 addresses, as the recursive nameservers resolve them. */
  addresses: string[];
  /** Why no address is known, when `addresses` is empty. */
  error: string | null;
}

export async function findAuthoritativeNameservers(zone: string, resolver: Resolver): Promise<AuthoritativeNameserver[]> {
  const response = await resolver.lookup(zone, 'NS');
  if (response.rcode !== 'NOERROR') throw new ZoneLookupError(`the NS query for ${zone} got ${response.rcode} from ${response.server}`);
  const hosts = [...new Set(response.answers.filter((r) => r.type === 'NS' && sameName(r.name, zone)).map((r) => r.value))].sort();
  if (hosts.length === 0) throw new ZoneLookupError(`${zone} has no NS records (asked ${response.server})`);
  return Promise.all(
    hosts.map(async (host): Promise<AuthoritativeNameserver> => {
      const [a, aaaa] = await Promise.allSettled([resolver.lookup(host, 'A'), resolver.lookup(host, 'AAAA')]);
      const addresses: string[] = [];
      const problems: string[] = [];
      for (const [type, outcome] of [['A', a], ['AAAA', aaaa]] as const) {
        if (outcome.status === 'rejected') {
          problems.push((outcome.reason as Error).message);
          continue;
        }
        const r = outcome.value;
        const found = addressesFor(host, type, r.answers);
        addresses.push(...found);
        if (found.length === 0 && r.rcode !== 'NOERROR') problems.push(`${type} ${host}: ${r.rcode}`);
      }
      const error = addresses.length ? null : `the nameserver name ${host} has no A or AAAA record through the recursive nameservers${problems.length ? ` (${problems.join('; ')})` : ''}`;
      return { host, addresses, error };
    }),
  );
}

/** Addresses for `host` in an answer, following a CNAME chain inside the answer. */
function addressesFor(host: string, type: 'A' | 'AAAA', answers: { name: string; type: string; value: string }[]): string[] {
  let owner = host;
  for (let hops = 0; hops < 8; hops++) {
    const cname = answers.find((r) => r.type === 'CNAME' && sameName(r.name, owner));
    if (!cname) break;
    owner = cname.value;
  }
  return answers.filter((r) => r.type === type && sameName(r.name, owner)).map((r) => r.value);
}

