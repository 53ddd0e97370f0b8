/**
 * A small DER writer that encodes values the way Go's encoding/asn1 (and the
 * cryptobyte builder crypto/x509 uses) does, because cert-manager's output is
 * defined by those encoders:
 *
 * - strings in names become PrintableString when every character is in
 *   PrintableString's set ('*' and '&' excluded), UTF8String otherwise;
 * - IA5String values (DNS names, emails, URIs) must be ASCII;
 * - SET OF contents are sorted by their encodings (X.690 11.6);
 * - times are UTCTime from 1950 to 2049 and GeneralizedTime outside, to the
 *   second (fractions are truncated), always in UTC;
 * - INTEGERs are minimal two's complement; BOOLEAN true is 0xff.
 *
 * What it writes is read back by engine/chain/certificate-info.ts. Building
 * the bytes here rather than through @peculiar/asn1-schema keeps every choice
 * above explicit and byte-for-byte comparable with Go.
 */

const CLASS_CONTEXT = 0x80;
const CONSTRUCTED = 0x20;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

/** One TLV with a single-octet identifier (tag numbers below 31). */
function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(0x30, ...items);
}

/** SET OF: the element encodings in ascending byte order, as DER (and Go) require. */
export function setOf(items: Uint8Array[]): Buffer {
  const sorted = items.map((i) => Buffer.from(i)).sort(Buffer.compare);
  return tlv(0x31, ...sorted);
}

/** [n] EXPLICIT: a constructed context tag around a complete encoding. */
export function explicit(n: number, ...inner: Uint8Array[]): Buffer {
  return tlv(CLASS_CONTEXT | CONSTRUCTED | n, ...inner);
}

/** [n] IMPLICIT on a primitive value: the context tag replaces the universal one. */
export function implicitPrimitive(n: number, content: Uint8Array): Buffer {
  return tlv(CLASS_CONTEXT | n, content);
}

/** [n] IMPLICIT on a constructed value (a SEQUENCE's contents under a context tag). */
export function implicitConstructed(n: number, ...content: Uint8Array[]): Buffer {
  return tlv(CLASS_CONTEXT | CONSTRUCTED | n, ...content);
}

export function boolean(v: boolean): Buffer {
  return tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(0x04, content);
}

/** A BIT STRING whose content is whole bytes (signatures, public keys). */
export function bitString(content: Uint8Array, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), content);
}

/** A small non-negative INTEGER (versions). */
export function smallInteger(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`smallInteger: ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/** A non-negative INTEGER from big-endian magnitude bytes (serial numbers). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let body = Buffer.from(magnitude.subarray(i));
  if (body.length === 0) body = Buffer.from([0]);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

/** Why Go's asn1 would refuse to encode this dotted OID, or undefined when it is encodable. */
export function oidProblem(dotted: string): string | undefined {
  if (dotted === '') return 'an object identifier cannot be empty';
  const parts = dotted.split('.');
  if (!parts.every((p) => /^\+?[0-9]+$/.test(p))) return 'an object identifier is dot-separated non-negative integers, such as 1.3.6.1.4.1.311.20.2.3';
  if (parts.some((p) => BigInt(p) > 9223372036854775807n)) return 'an object identifier arc is larger than a 64-bit integer';
  if (parts.length < 2) return 'an object identifier has at least two arcs';
  const first = BigInt(parts[0]);
  const second = BigInt(parts[1]);
  if (first > 2n) return 'the first arc of an object identifier is 0, 1 or 2';
  if (first < 2n && second >= 40n) return 'when the first arc is 0 or 1, the second arc is below 40';
  return undefined;
}

function base128(v: bigint): number[] {
  const out = [Number(v & 0x7fn)];
  for (let x = v >> 7n; x > 0n; x >>= 7n) out.unshift(Number(x & 0x7fn) | 0x80);
  return out;
}

/** Dotted OID text in canonical form ("2.5.04.3" and "+2.5.4.3" read as 2.5.4.3, as strconv.Atoi reads each arc). */
export function canonicalOid(dotted: string): string {
  const problem = oidProblem(dotted);
  if (problem) throw new RangeError(problem);
  return dotted
    .split('.')
    .map((p) => BigInt(p).toString())
    .join('.');
}

/** OBJECT IDENTIFIER from dotted text; throws RangeError when Go would refuse it (see oidProblem). */
export function objectIdentifier(dotted: string): Buffer {
  const problem = oidProblem(dotted);
  if (problem) throw new RangeError(problem);
  const arcs = dotted.split('.').map((p) => BigInt(p));
  const bytes = [...base128(arcs[0] * 40n + arcs[1])];
  for (const a of arcs.slice(2)) bytes.push(...base128(a));
  return tlv(0x06, Buffer.from(bytes));
}

/** Go's asn1 PrintableString check when marshalling (asterisk and ampersand rejected). */
function isPrintableString(s: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
}

/** True when every character is ASCII (Go's isIA5String). */
export function isIA5String(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

/** A string value in a name, typed as Go's asn1.Marshal types an untagged Go string. */
export function directoryString(s: string): Buffer {
  return isPrintableString(s) ? tlv(0x13, Buffer.from(s, 'latin1')) : tlv(0x0c, Buffer.from(s, 'utf8'));
}

export function utf8String(s: string): Buffer {
  return tlv(0x0c, Buffer.from(s, 'utf8'));
}

/** The raw bytes of an IA5String value; the caller has checked isIA5String. */
export function ascii(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

const two = (n: number) => String(n).padStart(2, '0');

/** UTCTime for 1950-2049, GeneralizedTime otherwise; to the second, fractions truncated. */
export function time(epochSeconds: number): Buffer {
  const d = new Date(epochSeconds * 1000);
  const y = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${two(y % 100)}${rest}`, 'latin1'));
  return tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`, 'latin1'));
}
