/**
 * Name constraints (RFC 5280 4.2.1.10): a CA certificate may limit the names
 * that certificates below it can hold. Checks a certificate's names (SANs,
 * subject DN, and the CN of a leaf without DNS SANs, as OpenSSL and browsers
 * do) against the constraints the certificate reader decoded.
 */
import { formatIp, type GeneralNameValue } from './general-names.js';

export interface NameConstraints {
  permitted: GeneralNameValue[];
  excluded: GeneralNameValue[];
}

/** The names of a certificate that constraints apply to. */
export interface ConstrainedNames {
  names: GeneralNameValue[];
  /** The DER of each RDN of the subject. */
  subjectRdns: Uint8Array[];
  /** Common names used as DNS names (leaf without DNS SANs). */
  cnAsDns: string[];
}

function describeConstraint(n: GeneralNameValue): string {
  switch (n.type) {
    case 'dns':
      return `DNS:${n.value}`;
    case 'email':
      return `email:${n.value}`;
    case 'uri':
      return `URI:${n.value}`;
    case 'ip':
      return `IP:${formatIp(n.bytes)}`;
    case 'dn':
      return 'DirName';
    default:
      return 'other';
  }
}

/** Violations, one sentence each ("DNS name evil.test is not within the permitted DNS:good.test"). */
export function checkNameConstraints(nc: NameConstraints, c: ConstrainedNames): string[] {
  const out: string[] = [];
  const names: GeneralNameValue[] = [...c.names];
  for (const cn of c.cnAsDns) names.push({ type: 'dns', value: cn });
  if (c.subjectRdns.length) names.push({ type: 'dn', rdns: c.subjectRdns });
  for (const n of names) {
    if (n.type === 'other') continue;
    const label = n.type === 'dn' ? 'the subject name' : `${n.type === 'dns' ? 'DNS name' : n.type === 'ip' ? 'IP address' : n.type === 'email' ? 'email address' : 'URI'} ${n.value}`;
    const excluded = nc.excluded.find((e) => e.type === n.type && matches(e, n));
    if (excluded) {
      out.push(`${label} is within the excluded subtree ${describeConstraint(excluded)}`);
      continue;
    }
    const permitted = nc.permitted.filter((p) => p.type === n.type);
    if (permitted.length && !permitted.some((p) => matches(p, n))) {
      out.push(`${label} is not within the permitted ${permitted.map(describeConstraint).join(', ')}`);
    }
  }
  return out;
}

function matches(constraint: GeneralNameValue, name: GeneralNameValue): boolean {
  if (constraint.type === 'dns' && name.type === 'dns') return dnsWithin(name.value, constraint.value);
  if (constraint.type === 'ip' && name.type === 'ip') return ipWithin(name.bytes, constraint.bytes);
  if (constraint.type === 'email' && name.type === 'email') return emailWithin(name.value, constraint.value);
  if (constraint.type === 'uri' && name.type === 'uri') return uriWithin(name.value, constraint.value);
  if (constraint.type === 'dn' && name.type === 'dn') return dnWithin(name.rdns, constraint.rdns);
  return false;
}

function trimDot(s: string): string {
  return s.toLowerCase().replace(/\.$/, '');
}

/** "example.com" permits example.com and its subdomains; ".example.com" only subdomains. */
export function dnsWithin(name: string, constraint: string): boolean {
  const n = trimDot(name);
  const c = trimDot(constraint);
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

function ipWithin(ip: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== ip.length * 2) return false;
  const mask = constraint.subarray(ip.length);
  for (let i = 0; i < ip.length; i++) if ((ip[i] & mask[i]) !== (constraint[i] & mask[i])) return false;
  return true;
}

function emailWithin(email: string, constraint: string): boolean {
  const at = email.lastIndexOf('@');
  const host = trimDot(email.slice(at + 1));
  if (constraint.includes('@')) {
    const ca = constraint.lastIndexOf('@');
    return email.slice(0, at) === constraint.slice(0, ca) && host === trimDot(constraint.slice(ca + 1));
  }
  const c = trimDot(constraint);
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

function uriWithin(uri: string, constraint: string): boolean {
  let host: string;
  try {
    host = trimDot(new URL(uri).hostname);
  } catch {
    return false;
  }
  const c = trimDot(constraint);
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

/** The constraint's RDNs are a prefix of the name's RDNs. */
function dnWithin(name: Uint8Array[], constraint: Uint8Array[]): boolean {
  if (constraint.length > name.length) return false;
  return constraint.every((rdn, i) => Buffer.compare(Buffer.from(rdn), Buffer.from(name[i])) === 0);
}
