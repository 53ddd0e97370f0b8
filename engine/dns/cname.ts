/**
 * CNAME chains: cert-manager's cnameStrategy "Follow" (and acme-dns style
 * delegation, `_acme-challenge.example.com CNAME <id>.auth.acme-dns.io`). The
 * TXT record then lives at the end of the chain, in whatever zone holds that
 * name, and that zone's nameservers are the ones to check.
 */
import { sameName } from './dns-name.js';
import type { Resolver } from './resolver.js';

class CnameLoopError extends Error {}

const MAX_CNAME_HOPS = 16;

/**
 * The targets of the CNAME chain starting at `name`, in order (empty when
 * `name` is not a CNAME). Asks type CNAME at each step through the recursive
 * nameservers; stops at the first name that is not a CNAME (or that the
 * resolvers cannot answer for). Throws CnameLoopError for a loop or an overlong chain.
 */
export async function followCnames(name: string, resolver: Resolver): Promise<string[]> {
  const chain: string[] = [];
  const seen = new Set([name.toLowerCase()]);
  let current = name;
  for (;;) {
    const response = await resolver.lookup(current, 'CNAME');
    if (response.rcode !== 'NOERROR') return chain;
    const cname = response.answers.find((r) => r.type === 'CNAME' && sameName(r.name, current));
    if (!cname) return chain;
    const target = cname.value;
    if (seen.has(target)) throw new CnameLoopError(`the CNAME chain of ${name} loops: ${[name, ...chain, target].join(' → ')}`);
    if (chain.length >= MAX_CNAME_HOPS) throw new CnameLoopError(`the CNAME chain of ${name} is longer than ${MAX_CNAME_HOPS} steps`);
    seen.add(target);
    chain.push(target);
    current = target;
  }
}
