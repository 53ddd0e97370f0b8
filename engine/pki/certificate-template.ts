/**
 * What cert-manager's SelfSigned and CA issuers would put in a certificate
 * for a Certificate spec. Upstream goes the long way round (GenerateCSR, then
 * CertificateTemplateFromCertificateRequest re-reads that CSR, then
 * x509.CreateCertificate); the result, which this module describes directly:
 *
 * - subject from subject.ts (literalSubject, or Go's pkix.Name order), SANs
 *   from sans.ts, critical when the subject is empty; at least one of a
 *   common name and a SAN is required;
 * - notBefore = now (not backdated), notAfter = now + spec.duration (2160h by
 *   default), both truncated to the second when encoded, so the encoded
 *   difference is exactly the duration for whole-second durations. notAfter
 *   is NOT capped at the issuing CA's notAfter;
 * - basic constraints from spec.isCA (critical, no path length), key usages
 *   and EKUs from usages.ts, name constraints from name-constraints.ts;
 * - a random 20-byte serial, a subject key identifier for CAs only;
 * - the CSR would be signed with spec.signatureAlgorithm or cert-manager's
 *   choice for spec.privateKey; the certificate itself is signed with the
 *   algorithm that fits the SIGNER's key.
 *
 * The spec's key must be the one described by spec.privateKey (cert-manager
 * never issues for a key that does not match the spec).
 */
import type { KeyObject } from 'node:crypto';
import { formatGoDuration } from '../gocompat/go-duration.js';
import { PkiError } from './errors.js';
import { authorityKeyIdExtension, basicConstraintsExtension, subjectKeyIdExtension, subjectKeyIdFor, type ExtensionDer } from './extensions.js';
import { extKeyUsageExtension, keyUsageExtension, keyUsagesFor, type KeyUsages } from './key-usages.js';
import { nameConstraintsExtension, nameConstraintsFor, type NameConstraintsTemplate } from './name-constraints.js';
import { describeKey, publicKeyOf, requestedKey, spkiDer } from './private-key.js';
import { sansEmpty, subjectAltNameExtension, subjectAltNamesFor, type SubjectAltNames } from './sans.js';
import { randomSerialNumber, serialHex } from './serial-number.js';
import { checkAlgorithmFitsKey, requestSignatureAlgorithm, signatureAlgorithmForSigner, type SignatureAlgorithmName } from './signature-algorithm.js';
import { booleanField, certificateDuration, specObject, stringList } from './spec.js';
import { subjectFor, type Subject } from './subject.js';

export interface TemplateOptions {
  /** The signing time (default: now). */
  now?: Date;
}

export interface CertificateTemplate {
  subject: Subject;
  subjectAltNames: SubjectAltNames;
  /** Critical when the subject is empty; meaningless when there are no SANs. */
  sanCritical: boolean;
  /** As encoded: whole seconds. */
  notBefore: Date;
  notAfter: Date;
  /** spec.duration in Go's notation ("2160h0m0s"). */
  duration: string;
  isCA: boolean;
  usages: KeyUsages;
  nameConstraints: NameConstraintsTemplate | null;
  /** Big-endian magnitude (20 bytes) and its hex. */
  serialNumber: Buffer;
  serialNumberHex: string;
  publicKey: KeyObject;
  spki: Buffer;
  /** Only CA certificates get one. */
  subjectKeyId: Buffer | null;
  signatureAlgorithm: {
    /** What the CSR (and so an ACME or external issuer) is signed with. */
    request: SignatureAlgorithmName;
    /** What the certificate gets when signed by its own key (SelfSigned issuer). */
    selfSigned: SignatureAlgorithmName;
  };
}

const AT_LEAST_ONE_NAME =
  'at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailAddresses, ipAddresses, otherNames or uris must be set';

/** Fails unless the key is what spec.privateKey asks for (algorithm and size). */
export function checkKeyMatchesSpec(spec: Record<string, unknown>, key: KeyObject): void {
  const want = requestedKey(spec.privateKey);
  const have = describeKey(key, 'the certificate key');
  if (want.algorithm !== have.algorithm || (want.algorithm !== 'Ed25519' && want.size !== have.size)) {
    const wanted = want.algorithm === 'RSA' ? `RSA ${want.size}` : want.algorithm === 'ECDSA' ? `ECDSA P-${want.size}` : 'Ed25519';
    throw new PkiError(`asks for an ${wanted} key but the key given is ${have.label}`, 'spec.privateKey');
  }
}

/** Encoded seconds of notBefore and notAfter: Go adds the duration in nanoseconds, then drops the fraction. */
function validity(now: Date, durationNs: number): { notBefore: Date; notAfter: Date } {
  const startNs = BigInt(now.getTime()) * 1_000_000n;
  const endNs = startNs + BigInt(Math.round(durationNs));
  const seconds = (ns: bigint) => Number((ns - (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n)) / 1_000_000_000n);
  return { notBefore: new Date(seconds(startNs) * 1000), notAfter: new Date(seconds(endNs) * 1000) };
}

export function certificateTemplate(specInput: unknown, publicKey: KeyObject, options: TemplateOptions = {}): CertificateTemplate {
  const spec = specObject(specInput);
  const key = publicKeyOf(publicKey);
  checkKeyMatchesSpec(spec, key);
  const request = requestSignatureAlgorithm(spec);
  checkAlgorithmFitsKey(request, key);

  const subject = subjectFor(spec);
  const subjectAltNames = subjectAltNamesFor(spec);
  if (subject.commonName === '' && sansEmpty(subjectAltNames)) throw new PkiError(AT_LEAST_ONE_NAME, 'spec');

  const durationNs = certificateDuration(spec);
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new PkiError('the signing time is not a valid date');
  const { notBefore, notAfter } = validity(now, durationNs);
  if (notAfter.getUTCFullYear() > 9999) throw new PkiError(`${formatGoDuration(durationNs)} from now is after the year 9999, which X.509 cannot express`, 'spec.duration');

  const isCA = booleanField(spec, 'isCA', 'spec') ?? false;
  const usages = keyUsagesFor(stringList(spec, 'usages', 'spec'), isCA);
  const nameConstraints = nameConstraintsFor(spec);
  const spki = spkiDer(key);
  const serialNumber = randomSerialNumber();
  return {
    subject,
    subjectAltNames,
    sanCritical: subject.empty,
    notBefore,
    notAfter,
    duration: formatGoDuration(durationNs),
    isCA,
    usages,
    nameConstraints,
    serialNumber,
    serialNumberHex: serialHex(serialNumber),
    publicKey: key,
    spki,
    subjectKeyId: isCA ? subjectKeyIdFor(spki) : null,
    signatureAlgorithm: { request, selfSigned: signatureAlgorithmForSigner(key, 'the certificate key') },
  };
}

/** Issuer-specific additions, placed where Go's CreateCertificate puts them. */
export interface IssuerAdditions {
  authorityKeyId: Uint8Array | null;
  authorityInfoAccess: ExtensionDer | null;
  crlDistributionPoints: ExtensionDer | null;
}

/**
 * The certificate's extensions in Go's order: key usage, extended key usage,
 * basic constraints, subject key id, authority key id, authority information
 * access, name constraints, CRL distribution points, then the SAN extension
 * (which cert-manager passes as an extra extension, and Go appends last).
 */
export function certificateExtensions(t: CertificateTemplate, add: IssuerAdditions): ExtensionDer[] {
  const out: (ExtensionDer | null)[] = [
    keyUsageExtension(t.usages.keyUsage),
    extKeyUsageExtension(t.usages.extKeyUsages),
    basicConstraintsExtension(t.isCA),
    t.subjectKeyId ? subjectKeyIdExtension(t.subjectKeyId) : null,
    add.authorityKeyId && add.authorityKeyId.length ? authorityKeyIdExtension(add.authorityKeyId) : null,
    add.authorityInfoAccess,
    t.nameConstraints ? nameConstraintsExtension(t.nameConstraints) : null,
    add.crlDistributionPoints,
    sansEmpty(t.subjectAltNames) ? null : subjectAltNameExtension(t.subjectAltNames, t.sanCritical),
  ];
  return out.filter((e): e is ExtensionDer => e !== null);
}
