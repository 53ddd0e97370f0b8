/**
 * RFC 4514 distinguished names as cert-manager reads `literalSubject`:
 * go-ldap's ParseDN (attribute types kept as written, values unescaped), then
 * attribute types mapped to OIDs by upper-case name or dotted number.
 */

export interface Attribute {
  type: string;
  value: string;
}

/** Attribute names cert-manager knows (case-sensitive, as in pkg/util/pki/subject.go). */
const KNOWN_TYPES = new Set(['C', 'O', 'OU', 'CN', 'SERIALNUMBER', 'L', 'ST', 'STREET', 'DC', 'UID']);

function stripSpaces(s: string): string {
  let out = s.replace(/^ +| +$/g, '');
  if (out.length > 0 && s.endsWith(' ')) {
    let backslashes = 0;
    for (let i = out.length - 1; i >= 0 && out[i] === '\\'; i--) backslashes++;
    if (backslashes % 2 === 1) out += ' ';
  }
  return out;
}

function decodeString(str: string): { value: string } | { error: string } {
  const s = [...stripSpaces(str)];
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      if (c === '"' || c === ';' || c === '<' || c === '>') return { error: `got unescaped character: '${c}'` };
      if (c === '\u0000') return { error: 'got unescaped NULL character' };
      out += c;
      continue;
    }
    if (i + 1 >= s.length) return { error: `got corrupted escaped character: '${s.join('')}'` };
    if (' "#+,;<=>\\'.includes(s[i + 1])) {
      out += s[i + 1];
      i++;
      continue;
    }
    if (i + 2 >= s.length) return { error: `failed to decode escaped character: encoding/hex: invalid byte: ${s[i + 1]}` };
    const xx = s[i + 1] + s[i + 2];
    if (!/^[0-9A-Fa-f]{2}$/.test(xx)) return { error: `failed to decode escaped character: encoding/hex: invalid byte: ${xx}` };
    out += String.fromCharCode(parseInt(xx, 16));
    i += 2;
  }
  return { value: out };
}

function decodeValue(s: string): { value: string } | { error: string } {
  if (s.startsWith('#')) {
    const hex = s.slice(1);
    if (!/^([0-9A-Fa-f]{2})+$/.test(hex)) return { error: 'failed to decode BER encoding: encoding/hex: invalid byte' };
    return { value: hex };
  }
  return decodeString(s);
}

/** The RDNs of a DN string (in written order), or go-ldap's parse error. */
export function parseDistinguishedName(str: string): { rdns: Attribute[][] } | { error: string } {
  const rdns: Attribute[][] = [];
  if (str.trim() === '') return { rdns };
  let rdn: Attribute[] = [];
  let type = '';
  let escaping = false;
  let start = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str[i];
    if (escaping) {
      escaping = false;
    } else if (c === '\\') {
      escaping = true;
    } else if (c === '=' && type.length === 0) {
      const t = decodeString(str.slice(start, i));
      if ('error' in t) return t;
      type = t.value;
      start = i + 1;
    } else if (c === ',' || c === '+' || c === ';') {
      if (type.length === 0) return { error: 'incomplete type, value pair' };
      const v = decodeValue(str.slice(start, i));
      if ('error' in v) return v;
      rdn.push({ type, value: v.value });
      type = '';
      start = i + 1;
      if (c !== '+') {
        rdns.push(rdn);
        rdn = [];
      }
    }
  }
  if (type.length === 0) return { error: 'DN ended with incomplete type, value pair' };
  const v = decodeValue(str.slice(start));
  if ('error' in v) return v;
  rdn.push({ type, value: v.value });
  rdns.push(rdn);
  return { rdns };
}

/** cert-manager's ParseObjectIdentifier: dot-separated integers (strconv.Atoi). */
export function isObjectIdentifier(s: string): boolean {
  if (s === '') return false;
  return s.split('.').every((p) => /^[+-]?[0-9]+$/.test(p) && Math.abs(Number(p)) <= 9.223372036854775807e18);
}

/** True when cert-manager maps the attribute type to an OID (a known upper-case name, or a dotted OID). */
export function isRecognizedAttributeType(type: string): boolean {
  return KNOWN_TYPES.has(type) || isObjectIdentifier(type);
}
