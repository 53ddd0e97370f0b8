/**
 * The recursive nameservers used when none are configured — cert-manager's
 * defaults for its DNS-01 self-check:
 *
 * 1. the `nameserver` lines of the system's /etc/resolv.conf (port 53);
 * 2. if that file is missing or lists none: Google Public DNS, 8.8.8.8:53 and
 *    8.8.4.4:53.
 *
 * cert-manager's flags `--dns01-recursive-nameservers` (a list of host:port and
 * https:// DoH URLs) and `--dns01-recursive-nameservers-only` override this;
 * Certsmith's `--recursive-nameservers` and `--recursive-nameservers-only`
 * mirror them. Nothing here is called unless the caller asks for the defaults:
 * the checker itself only ever talks to the servers it is given.
 */
import { readFileSync } from 'node:fs';
import { dnsServer, formatNameserver, parseNameserver, parseNameserverList, type NameserverAddress } from './nameserver-address.js';

export const RESOLV_CONF = '/etc/resolv.conf';

/** cert-manager's fallback when resolv.conf lists no nameserver. */
export const PUBLIC_FALLBACK_NAMESERVERS: readonly string[] = ['8.8.8.8:53', '8.8.4.4:53'];

/** Reads `nameserver` lines from resolv.conf text (IPv6 zone ids are dropped). */
export function parseResolvConf(text: string): NameserverAddress[] {
  const out: NameserverAddress[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    try {
      out.push(dnsServer(m[1]!.replace(/%.*$/, '')));
    } catch {
      // not an IP address: resolv.conf allows only addresses; skip it
    }
  }
  return out;
}

export interface DefaultNameservers {
  nameservers: NameserverAddress[];
  /** Where they came from, for messages: "/etc/resolv.conf" or "public fallback". */
  source: string;
}

/** The system's resolvers, or the public fallback. */
function defaultRecursiveNameservers(path = RESOLV_CONF): DefaultNameservers {
  try {
    const found = parseResolvConf(readFileSync(path, 'utf8'));
    if (found.length > 0) return { nameservers: found, source: path };
  } catch {
    // fall through
  }
  return { nameservers: PUBLIC_FALLBACK_NAMESERVERS.map((s) => parseNameserver(s)), source: 'public fallback (8.8.8.8, 8.8.4.4)' };
}

/**
 * The configured resolvers (each entry a comma-separated list), without
 * repeats, or the defaults when none are configured. Throws
 * NameserverSyntaxError for an entry that does not parse.
 */
export function chooseRecursiveNameservers(configured: readonly string[], configuredSource: string): DefaultNameservers {
  if (!configured.length) return defaultRecursiveNameservers();
  const seen = new Set<string>();
  const nameservers = configured.flatMap((l) => parseNameserverList(l)).filter((n) => {
    const key = formatNameserver(n);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { nameservers, source: configuredSource };
}
