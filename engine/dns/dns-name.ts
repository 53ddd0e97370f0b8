/**
 * DNS names as the propagation checker uses them: validated, lower-cased,
 * in ASCII (IDNA), without the trailing dot. `_acme-challenge.<domain>` is
 * the record a DNS-01 challenge for <domain> (or `*.<domain>`) lives at.
 */
import { domainToASCII } from 'node:url';

export class DnsNameError extends Error {}

const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/**
 * Validates a host or record name and returns it lower-cased, in ASCII, without
 * the trailing dot. Throws DnsNameError with a one-line reason otherwise.
 * A leading `*.` is allowed only when `allowWildcard` is set.
 */
export function normalizeDnsName(input: string, { allowWildcard = false } = {}): string {
  let name = input.trim();
  if (name === '') throw new DnsNameError('the name is empty');
  if (/\s/.test(name)) throw new DnsNameError(`"${input}" is not a DNS name: it contains white space`);
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') throw new DnsNameError('the root name "." cannot hold a DNS-01 record');
  let wildcard = false;
  if (name.startsWith('*.')) {
    if (!allowWildcard) throw new DnsNameError(`"${input}": a wildcard is not allowed here`);
    wildcard = true;
    name = name.slice(2);
  }
  // Internationalised names go on the wire as punycode (A-labels). Keep '_' labels as they are:
  // domainToASCII rejects nothing we care about, but it lower-cases and maps Unicode.
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name.toLowerCase() : domainToASCII(name);
  if (ascii === '') throw new DnsNameError(`"${input}" is not a valid DNS name`);
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label === '') throw new DnsNameError(`"${input}" is not a valid DNS name: it has an empty label`);
    if (label.length > 63) throw new DnsNameError(`"${input}" is not a valid DNS name: the label "${label.slice(0, 20)}…" is longer than 63 characters`);
    if (label.includes('*')) throw new DnsNameError(`"${input}" is not a valid DNS name: "*" is only allowed as the whole first label`);
    if (!LABEL.test(label)) throw new DnsNameError(`"${input}" is not a valid DNS name: the label "${label}" may hold only letters, digits, "-" and "_", and may not start or end with "-"`);
  }
  if (labels.length === 1 && /^\d+$/.test(labels[0]!)) throw new DnsNameError(`"${input}" is not a valid DNS name`);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ascii)) throw new DnsNameError(`"${input}" is an IP address, not a DNS name`);
  const full = (wildcard ? '*.' : '') + ascii;
  if (full.length > 253) throw new DnsNameError(`"${input}" is not a valid DNS name: it is longer than 253 characters`);
  return full;
}

const ACME_CHALLENGE_LABEL = '_acme-challenge';

/**
 * The TXT record name cert-manager (and every ACME client) uses for a DNS-01
 * challenge: `_acme-challenge.<domain>`; a wildcard `*.<domain>` uses the same
 * record as `<domain>`. A name that already starts with `_acme-challenge.` is
 * taken as the record name itself.
 */
export function challengeRecordName(domainOrRecord: string): string {
  const name = normalizeDnsName(domainOrRecord, { allowWildcard: true });
  const base = name.startsWith('*.') ? name.slice(2) : name;
  if (base === ACME_CHALLENGE_LABEL || base.startsWith(`${ACME_CHALLENGE_LABEL}.`)) return base;
  const record = `${ACME_CHALLENGE_LABEL}.${base}`;
  if (record.length > 253) throw new DnsNameError(`"${domainOrRecord}" is too long: ${record.length} characters with the "_acme-challenge." prefix (at most 253)`);
  return record;
}

/** DNS names compare case-insensitively and without the trailing dot. */
export function sameName(a: string, b: string): boolean {
  return trimDot(a).toLowerCase() === trimDot(b).toLowerCase();
}

export function trimDot(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

/** `a.b.c` → [`a.b.c`, `b.c`, `c`]: the name and each of its ancestors below the root. */
export function nameAndAncestors(name: string): string[] {
  const labels = trimDot(name).split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/** Is `name` equal to `zone` or below it? */
export function isAtOrBelow(name: string, zone: string): boolean {
  const n = trimDot(name).toLowerCase();
  const z = trimDot(zone).toLowerCase();
  return z === '.' || z === '' || n === z || n.endsWith(`.${z}`);
}
