/**
 * spec.nameConstraints to the X.509 NameConstraints extension, as
 * cert-manager (MarshalNameConstraints, NameConstraints feature gate on by
 * default) and then Go's CreateCertificate write it:
 *
 * - within permitted [0] and excluded [1]: DNS domains, IP ranges, email
 *   addresses, URI domains, in that order, each as a GeneralSubtree with only
 *   a base name (no minimum / maximum);
 * - an IP range is the masked address followed by the mask: 8 bytes for
 *   IPv4, 32 for IPv6 (net.ParseCIDR, so "10.1.2.3/8" becomes 10.0.0.0/8);
 * - an empty side is left out, and no extension is written when both are
 *   empty; critical only when spec.nameConstraints.critical is true.
 *
 * engine/chain/name-constraints.ts reads the extension back.
 */
import { goParseCIDR } from '../gocompat/go-net.js';
import { ascii, implicitConstructed, implicitPrimitive, isIA5String, sequence } from './der-writer.js';
import { PkiError, quote } from './errors.js';
import { OIDS, type ExtensionDer } from './extensions.js';
import { parseIpAddress } from './sans.js';
import { booleanField, objectField, stringList } from './spec.js';

interface IpRange {
  text: string;
  /** The masked address then the mask (8 or 32 bytes). */
  bytes: Buffer;
}

interface NameConstraintSubtrees {
  dnsDomains: string[];
  ipRanges: IpRange[];
  emailAddresses: string[];
  uriDomains: string[];
}

export interface NameConstraintsTemplate {
  critical: boolean;
  permitted: NameConstraintSubtrees;
  excluded: NameConstraintSubtrees;
}

/** net.ParseCIDR to address+mask bytes, or undefined. */
function parseCidr(text: string): Buffer | undefined {
  if (!goParseCIDR(text)) return undefined;
  const slash = text.indexOf('/');
  const ip = parseIpAddress(text.slice(0, slash));
  if (!ip) return undefined;
  const bits = Number(text.slice(slash + 1));
  const mask = Buffer.alloc(ip.length);
  for (let i = 0; i < mask.length; i++) mask[i] = bits >= (i + 1) * 8 ? 0xff : bits <= i * 8 ? 0 : (0xff << (8 - (bits - i * 8))) & 0xff;
  const masked = Buffer.from(ip.map((b, i) => b & mask[i]));
  return Buffer.concat([masked, mask]);
}

function subtrees(nc: Record<string, unknown>, side: 'permitted' | 'excluded'): NameConstraintSubtrees {
  const path = `spec.nameConstraints.${side}`;
  const s = objectField(nc, side, 'spec.nameConstraints') ?? {};
  const asciiList = (key: string) => {
    const values = stringList(s, key, path);
    values.forEach((v, i) => {
      if (!isIA5String(v)) throw new PkiError(`${quote(v)} cannot be encoded as an IA5String: only ASCII characters are allowed`, `${path}.${key}[${i}]`);
    });
    return values;
  };
  const ipRanges = stringList(s, 'ipRanges', path).map((text, i) => {
    const bytes = parseCidr(text);
    if (!bytes) throw new PkiError(`${quote(text)} is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`, `${path}.ipRanges[${i}]`);
    return { text, bytes };
  });
  return { dnsDomains: asciiList('dnsDomains'), ipRanges, emailAddresses: asciiList('emailAddresses'), uriDomains: asciiList('uriDomains') };
}

const count = (s: NameConstraintSubtrees) => s.dnsDomains.length + s.ipRanges.length + s.emailAddresses.length + s.uriDomains.length;

/** spec.nameConstraints, or null when absent or empty (no extension is written then). */
export function nameConstraintsFor(spec: Record<string, unknown>): NameConstraintsTemplate | null {
  const nc = objectField(spec, 'nameConstraints', 'spec');
  if (!nc) return null;
  const t: NameConstraintsTemplate = {
    critical: booleanField(nc, 'critical', 'spec.nameConstraints') ?? false,
    permitted: subtrees(nc, 'permitted'),
    excluded: subtrees(nc, 'excluded'),
  };
  return count(t.permitted) + count(t.excluded) === 0 ? null : t;
}

function encodeSubtrees(s: NameConstraintSubtrees): Buffer[] {
  return [
    ...s.dnsDomains.map((d) => sequence(implicitPrimitive(2, ascii(d)))),
    ...s.ipRanges.map((r) => sequence(implicitPrimitive(7, r.bytes))),
    ...s.emailAddresses.map((e) => sequence(implicitPrimitive(1, ascii(e)))),
    ...s.uriDomains.map((u) => sequence(implicitPrimitive(6, ascii(u)))),
  ];
}

export function nameConstraintsExtension(t: NameConstraintsTemplate): ExtensionDer {
  const permitted = encodeSubtrees(t.permitted);
  const excluded = encodeSubtrees(t.excluded);
  const parts: Buffer[] = [];
  if (permitted.length) parts.push(implicitConstructed(0, ...permitted));
  if (excluded.length) parts.push(implicitConstructed(1, ...excluded));
  return { oid: OIDS.nameConstraints, critical: t.critical, value: sequence(...parts) };
}
