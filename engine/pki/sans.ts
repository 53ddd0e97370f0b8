/**
 * Subject alternative names as cert-manager encodes them (GenerateCSR and
 * MarshalSANs in pkg/util/pki/csr.go and sans.go, OtherNames feature gate on
 * by default):
 *
 * - order: dNSName, rfc822Name (emailAddresses), iPAddress, URI, otherName,
 *   each group in spec order;
 * - DNS names, emails and URIs are written as given (no normalisation, no
 *   URL parsing) and must be ASCII;
 * - IP addresses are parsed like Go's netip.ParseAddr (no zones, no
 *   brackets, no leading zeros) and IPv4 and IPv4-mapped IPv6 addresses are
 *   written as 4 bytes;
 * - otherNames carry their utf8Value as a UTF8String: [0] { type-id,
 *   [0] EXPLICIT UTF8String };
 * - the extension is critical exactly when the subject is empty (RFC 5280
 *   4.2.1.6, as Go and cert-manager do).
 */
import { parseIp } from '../chain/general-names.js';
import { ascii, canonicalOid, explicit, implicitConstructed, implicitPrimitive, isIA5String, objectIdentifier, oidProblem, sequence, utf8String } from './der-writer.js';
import { PkiError, quote } from './errors.js';
import { OIDS, type ExtensionDer } from './extensions.js';
import { stringField, stringList } from './spec.js';

interface IpAddressName {
  /** As written in the spec. */
  text: string;
  /** 4 or 16 bytes, as encoded. */
  bytes: Buffer;
}

interface OtherName {
  oid: string;
  utf8Value: string;
}

export interface SubjectAltNames {
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: IpAddressName[];
  uris: string[];
  otherNames: OtherName[];
}

/** Go's net.IP.To4: IPv4-mapped IPv6 becomes the 4-byte address. */
function to4(bytes: Uint8Array): Buffer {
  if (bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return Buffer.from(bytes.subarray(12));
  return Buffer.from(bytes);
}

/** An IP address as netip.ParseAddr reads it, or undefined. */
export function parseIpAddress(text: string): Buffer | undefined {
  if (text.includes('%') || text.includes('[') || text !== text.trim()) return undefined;
  const bytes = parseIp(text);
  return bytes ? Buffer.from(bytes) : undefined;
}

function ia5List(spec: Record<string, unknown>, key: string): string[] {
  const values = stringList(spec, key, 'spec');
  values.forEach((v, i) => {
    if (!isIA5String(v)) throw new PkiError(`${quote(v)} cannot be encoded as an IA5String: only ASCII characters are allowed${key === 'dnsNames' ? ' (write internationalised names in their xn-- form)' : ''}`, `spec.${key}[${i}]`);
  });
  return values;
}

export function subjectAltNamesFor(spec: Record<string, unknown>): SubjectAltNames {
  const dnsNames = ia5List(spec, 'dnsNames');
  const emailAddresses = ia5List(spec, 'emailAddresses');
  const uris = ia5List(spec, 'uris');
  const ipAddresses = stringList(spec, 'ipAddresses', 'spec').map((text, i) => {
    const bytes = parseIpAddress(text);
    if (!bytes) throw new PkiError(`${quote(text)} is not an IP address; write IPv4 as 10.0.0.1 and IPv6 as 2001:db8::1, without brackets, zones or leading zeros`, `spec.ipAddresses[${i}]`);
    return { text, bytes: to4(bytes) };
  });
  const raw = spec.otherNames;
  const otherNames: OtherName[] = [];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw new PkiError(`expected a list of {oid, utf8Value}, got ${quote(raw)}`, 'spec.otherNames');
    raw.forEach((item, i) => {
      const path = `spec.otherNames[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new PkiError(`expected {oid, utf8Value}, got ${quote(item)}`, path);
      const rec = item as Record<string, unknown>;
      const oid = stringField(rec, 'oid', path);
      const utf8Value = stringField(rec, 'utf8Value', path);
      const problem = oidProblem(oid);
      if (problem) throw new PkiError(`${quote(oid)}: ${problem}`, `${path}.oid`);
      if (utf8Value === '') throw new PkiError('utf8Value must be set: cert-manager encodes other names as UTF8String values', `${path}.utf8Value`);
      otherNames.push({ oid: canonicalOid(oid), utf8Value });
    });
  }
  return { dnsNames, emailAddresses, ipAddresses, uris, otherNames };
}

export function sansEmpty(s: SubjectAltNames): boolean {
  return s.dnsNames.length + s.emailAddresses.length + s.ipAddresses.length + s.uris.length + s.otherNames.length === 0;
}

/** GeneralNames DER in cert-manager's order. */
function encodeGeneralNames(s: SubjectAltNames): Buffer {
  return sequence(
    ...s.dnsNames.map((n) => implicitPrimitive(2, ascii(n))),
    ...s.emailAddresses.map((n) => implicitPrimitive(1, ascii(n))),
    ...s.ipAddresses.map((n) => implicitPrimitive(7, n.bytes)),
    ...s.uris.map((n) => implicitPrimitive(6, ascii(n))),
    ...s.otherNames.map((n) => implicitConstructed(0, objectIdentifier(n.oid), explicit(0, utf8String(n.utf8Value)))),
  );
}

/** The SAN extension, critical when the subject is empty. */
export function subjectAltNameExtension(s: SubjectAltNames, subjectEmpty: boolean): ExtensionDer {
  return { oid: OIDS.subjectAltName, critical: subjectEmpty, value: encodeGeneralNames(s) };
}
