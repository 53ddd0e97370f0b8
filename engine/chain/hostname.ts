/**
 * Server identity checks by RFC 6125 (as the CA/Browser Forum and browsers
 * apply them): only subject alternative names count (never the CN); a
 * wildcard is a whole left-most label (`*.example.com`), matches exactly one
 * label and never a bare registrable-looking two-label name (`*.com`); IP
 * addresses match iPAddress SANs only, byte for byte.
 */
import { domainToASCII } from 'node:url';
import { parseIp, type GeneralNameValue } from './general-names.js';

export interface HostnameMatch {
  matches: boolean;
  /** The SAN that matched. */
  matchedBy?: string;
  /** Set when the reference is an IP address. */
  isIp: boolean;
}

/** Lower-case A-label form without a trailing dot; undefined when it is not a valid DNS name. */
function normalizeHostname(name: string): string | undefined {
  let n = name.trim().replace(/\.$/, '');
  if (!n) return undefined;
  if (/[^\x00-\x7f]/.test(n)) {
    n = domainToASCII(n);
    if (!n) return undefined;
  }
  n = n.toLowerCase();
  if (!/^[a-z0-9_*-]+(\.[a-z0-9_-]+)*$/.test(n)) return undefined;
  return n;
}

export function matchHostname(reference: string, sans: readonly GeneralNameValue[]): HostnameMatch {
  const ip = parseIp(reference);
  if (ip) {
    for (const s of sans) {
      if (s.type === 'ip' && s.bytes.length === ip.length && s.bytes.every((b, i) => b === ip[i])) return { matches: true, matchedBy: `IP:${s.value}`, isIp: true };
    }
    return { matches: false, isIp: true };
  }
  const host = normalizeHostname(reference);
  if (!host) return { matches: false, isIp: false };
  for (const s of sans) {
    if (s.type !== 'dns') continue;
    if (dnsNameMatches(host, s.value)) return { matches: true, matchedBy: `DNS:${s.value}`, isIp: false };
  }
  return { matches: false, isIp: false };
}

/** One presented DNS-ID against a normalized reference hostname. */
export function dnsNameMatches(host: string, presented: string): boolean {
  const p = presented.trim().toLowerCase().replace(/\.$/, '');
  if (!p || /[^\x21-\x7e]/.test(p)) return false;
  if (!p.includes('*')) return p === host;
  const labels = p.split('.');
  // Only a whole left-most label may be a wildcard, and it needs at least two labels after it.
  if (labels[0] !== '*' || labels.slice(1).some((l) => l.includes('*') || l === '') || labels.length < 3) return false;
  const hostLabels = host.split('.');
  if (hostLabels.length !== labels.length || hostLabels[0] === '') return false;
  return hostLabels.slice(1).join('.') === labels.slice(1).join('.');
}
