/**
 * X.509 extensions as Go's crypto/x509 CreateCertificate writes them for
 * cert-manager's templates (the SAN, key usage and name constraint
 * extensions have files of their own):
 *
 * - basic constraints always present and critical; `cA` omitted when false
 *   (so a leaf carries an empty SEQUENCE, "CA:FALSE"), no path length;
 * - subject key identifier only for CA certificates: the first 20 bytes of
 *   the SHA-256 of the subjectPublicKey bits (Go 1.25+, which cert-manager
 *   builds with; older Go used SHA-1). Leaves get none;
 * - authority key identifier = the issuer's subject key identifier, only
 *   when the issuer's subject differs from the certificate's (so never on a
 *   self-signed certificate) and the issuer has one;
 * - authority information access: OCSP servers first, then CA issuers URLs;
 * - CRL distribution points: one distribution point per URL.
 */
import { createHash } from 'node:crypto';
import { subjectPublicKeyBits } from '../chain/certificate-info.js';
import { ascii, boolean, explicit, implicitConstructed, implicitPrimitive, isIA5String, objectIdentifier, octetString, sequence } from './der-writer.js';
import { PkiError, quote } from './errors.js';

export const OIDS = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  extensionRequest: '1.2.840.113549.1.9.14',
} as const;

/** One extension: its OID, criticality and the DER of its value (inside the OCTET STRING). */
export interface ExtensionDer {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
export function encodeExtension(e: ExtensionDer): Buffer {
  return e.critical ? sequence(objectIdentifier(e.oid), boolean(true), octetString(e.value)) : sequence(objectIdentifier(e.oid), octetString(e.value));
}

export function basicConstraintsExtension(isCA: boolean): ExtensionDer {
  return { oid: OIDS.basicConstraints, critical: true, value: isCA ? sequence(boolean(true)) : sequence() };
}

/** The key identifier Go generates for a CA: SHA-256 of the subjectPublicKey bits, first 20 bytes (RFC 7093 method 1). */
export function subjectKeyIdFor(spki: Uint8Array): Buffer {
  let bits: Uint8Array;
  try {
    bits = subjectPublicKeyBits(spki);
  } catch {
    throw new PkiError('the public key is not a SubjectPublicKeyInfo');
  }
  return createHash('sha256').update(bits).digest().subarray(0, 20);
}

export function subjectKeyIdExtension(keyId: Uint8Array): ExtensionDer {
  return { oid: OIDS.subjectKeyIdentifier, critical: false, value: octetString(keyId) };
}

export function authorityKeyIdExtension(keyId: Uint8Array): ExtensionDer {
  return { oid: OIDS.authorityKeyIdentifier, critical: false, value: sequence(implicitPrimitive(0, keyId)) };
}

function uriName(url: string, field: string): Buffer {
  if (!isIA5String(url)) throw new PkiError(`${quote(url)} cannot be encoded as an IA5String (only ASCII characters are allowed)`, field);
  return implicitPrimitive(6, ascii(url));
}

export function authorityInfoAccessExtension(ocspServers: readonly string[], issuingCertificateURLs: readonly string[]): ExtensionDer | null {
  if (ocspServers.length === 0 && issuingCertificateURLs.length === 0) return null;
  const entries = [
    ...ocspServers.map((u, i) => sequence(objectIdentifier(OIDS.ocsp), uriName(u, `ocspServers[${i}]`))),
    ...issuingCertificateURLs.map((u, i) => sequence(objectIdentifier(OIDS.caIssuers), uriName(u, `issuingCertificateURLs[${i}]`))),
  ];
  return { oid: OIDS.authorityInfoAccess, critical: false, value: sequence(...entries) };
}

export function crlDistributionPointsExtension(urls: readonly string[]): ExtensionDer | null {
  if (urls.length === 0) return null;
  // DistributionPoint { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } }
  const points = urls.map((u, i) => sequence(implicitConstructed(0, implicitConstructed(0, uriName(u, `crlDistributionPoints[${i}]`)))));
  return { oid: OIDS.crlDistributionPoints, critical: false, value: sequence(...points) };
}

/** [3] EXPLICIT Extensions of a TBSCertificate, or nothing when there are none. */
export function extensionsField(exts: readonly ExtensionDer[]): Buffer {
  return exts.length ? explicit(3, sequence(...exts.map(encodeExtension))) : Buffer.alloc(0);
}
