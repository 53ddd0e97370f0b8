/**
 * The registered domain of a name ("shop.example.co.uk" → "example.co.uk"),
 * as Let's Encrypt counts its rate limits: by the Public Suffix List,
 * including its private section (github.io, …). The list comes with tldts,
 * which keeps it current and answers without building a trie at start-up.
 */
import { parse } from 'tldts';

/**
 * undefined for a name with no registered domain under a listed suffix: a
 * bare public suffix, an IP address, a local or made-up name (example.test,
 * cluster.local), which a public CA does not issue for anyway.
 */
export function registeredDomain(name: string): string | undefined {
  const bare = name.replace(/^\*\./, '').replace(/\.$/, '').toLowerCase();
  const r = parse(bare, { allowPrivateDomains: true, extractHostname: false, validateHostname: false });
  if (!r.isIcann && !r.isPrivate) return undefined;
  return r.domain ?? undefined;
}
