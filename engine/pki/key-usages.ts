/**
 * spec.usages to X.509 key usage bits and extended key usages, as
 * cert-manager maps them (KeyUsagesForCertificateOrCertificateRequest in
 * pkg/util/pki/csr.go, tables in pkg/api/util/usages.go):
 *
 * - no usages means cert-manager's defaults, "digital signature" and "key
 *   encipherment" only: no "server auth" EKU, and key encipherment is kept
 *   for ECDSA and Ed25519 keys too (cert-manager does not look at the key);
 * - isCA adds "cert sign" to whatever else applies;
 * - "signing" is digital signature, "s/mime" is email protection, "any" is
 *   anyExtendedKeyUsage;
 * - EKUs keep the order (and duplicates) of spec.usages;
 * - a key usage extension is written only when some bit is set (critical),
 *   an EKU extension only when some EKU is asked for (not critical), with the
 *   bit string trimmed after the last set bit as Go's x509 does.
 */
import { bitString, objectIdentifier, sequence } from './der-writer.js';
import { PkiError, quote } from './errors.js';
import type { ExtensionDer } from './extensions.js';
import { OIDS } from './extensions.js';

/** Key usage bits, in Go's x509.KeyUsage numbering (bit n = RFC 5280 KeyUsage bit n). */
const KEY_USAGE_BITS = {
  digitalSignature: 1 << 0,
  contentCommitment: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;

type KeyUsageName = keyof typeof KEY_USAGE_BITS;

const USAGE_TO_KEY_USAGE: Record<string, KeyUsageName> = {
  signing: 'digitalSignature',
  'digital signature': 'digitalSignature',
  'content commitment': 'contentCommitment',
  'key encipherment': 'keyEncipherment',
  'key agreement': 'keyAgreement',
  'data encipherment': 'dataEncipherment',
  'cert sign': 'keyCertSign',
  'crl sign': 'cRLSign',
  'encipher only': 'encipherOnly',
  'decipher only': 'decipherOnly',
};

export interface ExtKeyUsage {
  /** The name Go and openssl's short names use ("serverAuth"). */
  name: string;
  oid: string;
}

const USAGE_TO_EKU: Record<string, ExtKeyUsage> = {
  any: { name: 'anyExtendedKeyUsage', oid: '2.5.29.37.0' },
  'server auth': { name: 'serverAuth', oid: '1.3.6.1.5.5.7.3.1' },
  'client auth': { name: 'clientAuth', oid: '1.3.6.1.5.5.7.3.2' },
  'code signing': { name: 'codeSigning', oid: '1.3.6.1.5.5.7.3.3' },
  'email protection': { name: 'emailProtection', oid: '1.3.6.1.5.5.7.3.4' },
  's/mime': { name: 'emailProtection', oid: '1.3.6.1.5.5.7.3.4' },
  'ipsec end system': { name: 'ipsecEndSystem', oid: '1.3.6.1.5.5.7.3.5' },
  'ipsec tunnel': { name: 'ipsecTunnel', oid: '1.3.6.1.5.5.7.3.6' },
  'ipsec user': { name: 'ipsecUser', oid: '1.3.6.1.5.5.7.3.7' },
  timestamping: { name: 'timeStamping', oid: '1.3.6.1.5.5.7.3.8' },
  'ocsp signing': { name: 'OCSPSigning', oid: '1.3.6.1.5.5.7.3.9' },
  'microsoft sgc': { name: 'msSGC', oid: '1.3.6.1.4.1.311.10.3.3' },
  'netscape sgc': { name: 'nsSGC', oid: '2.16.840.1.113730.4.1' },
};

/** cert-manager's default usages (apis/certmanager/v1 DefaultKeyUsages). */
const DEFAULT_USAGES: readonly string[] = ['digital signature', 'key encipherment'];

const KNOWN_USAGES: readonly string[] = [...Object.keys(USAGE_TO_KEY_USAGE), ...Object.keys(USAGE_TO_EKU)];

export interface KeyUsages {
  /** Bits of KEY_USAGE_BITS. */
  keyUsage: number;
  /** Names of the bits set, in bit order. */
  keyUsageNames: KeyUsageName[];
  extKeyUsages: ExtKeyUsage[];
}

/** Key usages and EKUs for spec.usages and spec.isCA. */
export function keyUsagesFor(usages: readonly string[], isCA: boolean): KeyUsages {
  let keyUsage = isCA ? KEY_USAGE_BITS.keyCertSign : 0;
  const extKeyUsages: ExtKeyUsage[] = [];
  const unknown: string[] = [];
  for (const u of usages.length === 0 ? DEFAULT_USAGES : usages) {
    const ku = USAGE_TO_KEY_USAGE[u];
    const eku = USAGE_TO_EKU[u];
    if (ku) keyUsage |= KEY_USAGE_BITS[ku];
    else if (eku) extKeyUsages.push(eku);
    else unknown.push(u);
  }
  if (unknown.length) {
    throw new PkiError(`unknown key usage${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => quote(u)).join(', ')}; cert-manager knows ${KNOWN_USAGES.map((u) => `"${u}"`).join(', ')}`, 'spec.usages');
  }
  return { keyUsage, keyUsageNames: keyUsageNames(keyUsage), extKeyUsages };
}

function keyUsageNames(bits: number): KeyUsageName[] {
  return (Object.keys(KEY_USAGE_BITS) as KeyUsageName[]).filter((n) => bits & KEY_USAGE_BITS[n]);
}

function reverseBits(b: number): number {
  let out = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) out |= 1 << (7 - i);
  return out;
}

/** The KeyUsage extension (critical), or null when no bit is set. */
export function keyUsageExtension(bits: number): ExtensionDer | null {
  if (bits === 0) return null;
  const bytes = [reverseBits(bits & 0xff), reverseBits((bits >> 8) & 0xff)];
  const content = Buffer.from(bytes[1] !== 0 ? bytes : bytes.slice(0, 1));
  // Unused bits: everything after the last set bit of the last byte.
  const last = content[content.length - 1];
  let unused = 0;
  while (unused < 8 && !(last & (1 << unused))) unused++;
  return { oid: OIDS.keyUsage, critical: true, value: bitString(content, unused) };
}

/** The ExtendedKeyUsage extension (not critical), or null when there are none. */
export function extKeyUsageExtension(ekus: readonly ExtKeyUsage[]): ExtensionDer | null {
  if (ekus.length === 0) return null;
  return { oid: OIDS.extKeyUsage, critical: false, value: sequence(...ekus.map((e) => objectIdentifier(e.oid))) };
}
