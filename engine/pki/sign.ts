/**
 * Signing, as cert-manager's SelfSigned and CA issuers do it
 * (pkg/controller/certificaterequests/selfsigned and .../ca, pkg/issuer/ca,
 * SignCertificate and SignCSRTemplate in pkg/util/pki/csr.go, then Go's
 * x509.CreateCertificate):
 *
 * - SelfSigned: the certificate is signed by its own key and is both tls.crt
 *   and ca.crt; the issuer's crlDistributionPoints are added; no authority
 *   key identifier (issuer and subject are the same name); an empty subject
 *   (so an empty issuer DN) is allowed but reported as a warning;
 * - CA: the Secret's tls.key signs, the FIRST certificate of tls.crt is the
 *   issuer (it must be a CA: the issuer is not Ready otherwise, and the key
 *   must be its key: Go refuses to sign otherwise). The issuer's
 *   crlDistributionPoints, ocspServers and issuingCertificateURLs are added;
 *   the authority key identifier is the CA's subject key identifier; the
 *   issuer name is the CA certificate's subject, byte for byte. tls.crt, plus
 *   the first certificate of ca.crt when the Secret has one, plus the new
 *   certificate then go through ParseSingleCertificateChain: the chain
 *   (leaf + intermediates) becomes tls.crt and the top becomes ca.crt;
 * - the signature algorithm follows the signer's key (RSA: SHA-256 below
 *   3072 bits, SHA-384 below 4096, SHA-512 from 4096; ECDSA by curve;
 *   Ed25519), whatever spec.signatureAlgorithm says;
 * - notAfter is not capped at the CA's notAfter.
 */
import type { KeyObject } from 'node:crypto';
import type { ParsedCertificate } from '../chain/certificate-info.js';
import { KU_KEY_CERT_SIGN } from '../chain/certificate-info.js';
import { certificateExtensions, certificateTemplate, type CertificateTemplate, type IssuerAdditions, type TemplateOptions } from './certificate-template.js';
import { decodeCertificatesPem, MAX_BUNDLE_PEM_BYTES, parseSingleCertificateChain } from './chain-bundle.js';
import { bitString, explicit, sequence, smallInteger, time, unsignedInteger } from './der-writer.js';
import { PkiError, quote } from './errors.js';
import { authorityInfoAccessExtension, crlDistributionPointsExtension, extensionsField } from './extensions.js';
import { decodePrivateKeyPem, publicKeyOf, publicKeysEqual, spkiDer, toPem } from './private-key.js';
import { algorithmIdentifier, signatureAlgorithmForSigner, signBytes, type SignatureAlgorithmName } from './signature-algorithm.js';

/** URLs an Issuer adds to what it signs (spec.ca / spec.selfSigned of the Issuer). */
export interface IssuerExtensions {
  crlDistributionPoints?: string[];
  ocspServers?: string[];
  issuingCertificateURLs?: string[];
}

/** A CA issuer's Secret: tls.crt (the CA first, possibly followed by its chain), tls.key and the optional ca.crt. */
export interface CaSecret {
  certificatesPem: string;
  privateKeyPem: string;
  /** ca.crt; only its first certificate is used, as cert-manager does. */
  caPem?: string;
}

interface SignedCertificate {
  /** The new certificate alone. */
  certificatePem: string;
  certificateDer: Buffer;
  signatureAlgorithm: SignatureAlgorithmName;
  template: CertificateTemplate;
}

export interface SelfSignedResult extends SignedCertificate {
  /** ca.crt: the certificate itself. */
  caPem: string;
  /** What cert-manager reports as Warning events while issuing (an empty issuer DN). */
  warnings: string[];
}

/** The SelfSigned issuer's BadConfig event text for an empty subject. */
export const EMPTY_ISSUER_DN_WARNING =
  'Certificate will be issued with an empty Issuer DN, which contravenes RFC 5280 and could break some strict clients';

export interface CaSignedResult extends SignedCertificate {
  /** tls.crt: the new certificate then the intermediates, never a self-signed root. */
  chainPem: string;
  /** ca.crt: the root, or the highest intermediate when the root is not in the Secret. */
  caPem: string;
}

function urlList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new PkiError(`expected a list of URLs, got ${quote(value)}`, `issuer ${name}`);
  return value as string[];
}

function issuerAdditions(ext: IssuerExtensions, authorityKeyId: Uint8Array | null): IssuerAdditions {
  return {
    authorityKeyId,
    authorityInfoAccess: authorityInfoAccessExtension(urlList(ext.ocspServers, 'ocspServers'), urlList(ext.issuingCertificateURLs, 'issuingCertificateURLs')),
    crlDistributionPoints: crlDistributionPointsExtension(urlList(ext.crlDistributionPoints, 'crlDistributionPoints')),
  };
}

/** Go's CreateCertificate for a finished template: the TBSCertificate, signed. */
function createCertificate(t: CertificateTemplate, issuerName: Buffer, additions: IssuerAdditions, signerKey: KeyObject, signerWhat: string): { der: Buffer; signatureAlgorithm: SignatureAlgorithmName } {
  const alg = signatureAlgorithmForSigner(signerKey, signerWhat);
  const algId = algorithmIdentifier(alg);
  // Go sets the authority key id only when the issuer is a different name.
  const aki = issuerName.equals(t.subject.der) ? null : additions.authorityKeyId;
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(t.serialNumber),
    algId,
    issuerName,
    sequence(time(t.notBefore.getTime() / 1000), time(t.notAfter.getTime() / 1000)),
    t.subject.der,
    spkiDer(t.publicKey),
    extensionsField(certificateExtensions(t, { ...additions, authorityKeyId: aki })),
  );
  return { der: sequence(tbs, algId, bitString(signBytes(alg, signerKey, tbs))), signatureAlgorithm: alg };
}

export interface SignOptions extends TemplateOptions {
  /** The SelfSigned issuer's spec.selfSigned.crlDistributionPoints. */
  crlDistributionPoints?: string[];
}

/** SelfSigned issuer: the certificate signed by its own private key; ca.crt is the certificate. */
export function signSelfSigned(spec: unknown, privateKey: KeyObject, options: SignOptions = {}): SelfSignedResult {
  if (privateKey.type !== 'private') throw new PkiError('the SelfSigned issuer signs with the certificate\'s private key; a public key was given');
  const template = certificateTemplate(spec, publicKeyOf(privateKey), options);
  const { der, signatureAlgorithm } = createCertificate(template, template.subject.der, issuerAdditions({ crlDistributionPoints: options.crlDistributionPoints }, null), privateKey, 'the certificate key');
  const pem = toPem('CERTIFICATE', der);
  const warnings = template.subject.empty ? [EMPTY_ISSUER_DN_WARNING] : [];
  return { certificatePem: pem, certificateDer: der, caPem: pem, signatureAlgorithm, template, warnings };
}

/** What the CA issuer reads from its Secret, checked as its Setup and Go's CreateCertificate check it. */
function readCaSecret(ca: CaSecret): { certificates: ParsedCertificate[]; key: KeyObject } {
  if (typeof ca !== 'object' || ca === null) throw new PkiError('expected the CA Secret as { certificatesPem, privateKeyPem }');
  if (typeof ca.privateKeyPem !== 'string') throw new PkiError('the CA Secret has no private key', 'tls.key');
  if (typeof ca.certificatesPem !== 'string') throw new PkiError('the CA Secret has no certificate', 'tls.crt');
  const key = decodePrivateKeyPem(ca.privateKeyPem, 'tls.key');
  const certificates = decodeCertificatesPem(ca.certificatesPem, 'tls.crt');
  const issuing = certificates[0];
  const name = `the first certificate ("${issuing.info.subject || '(empty subject)'}")`;
  if (!issuing.basicConstraints?.ca) {
    throw new PkiError(`${name} is not a CA (it lacks basic constraints CA:TRUE), so the CA issuer is not Ready ("certificate is not a CA"); put the CA certificate first`, 'tls.crt');
  }
  if (!issuing.publicKey || !publicKeysEqual(issuing.publicKey, key)) {
    throw new PkiError(`the private key does not belong to ${name} of tls.crt; the key must be the CA certificate's key (Go: "provided PrivateKey doesn't match parent's PublicKey")`, 'tls.key');
  }
  if (issuing.keyUsageFlags !== null && issuing.keyUsageFlags !== 0 && !(issuing.keyUsageFlags & KU_KEY_CERT_SIGN)) {
    throw new PkiError(`${name} has a key usage extension without keyCertSign, so the certificates it signs fail cert-manager's chain check ("certificate chain is malformed or broken")`, 'tls.crt');
  }
  if (typeof ca.caPem === 'string' && ca.caPem.trim() !== '') {
    certificates.push(decodeCertificatesPem(ca.caPem, 'ca.crt', MAX_BUNDLE_PEM_BYTES)[0]);
  }
  return { certificates, key };
}

/** CA issuer: the certificate for `publicKey` signed by the CA Secret's key, with tls.crt and ca.crt as cert-manager fills them. */
export function signWithCa(spec: unknown, publicKey: KeyObject, ca: CaSecret, issuerExtensions: IssuerExtensions = {}, options: TemplateOptions = {}): CaSignedResult {
  const { certificates, key } = readCaSecret(ca);
  const issuing = certificates[0];
  const template = certificateTemplate(spec, publicKeyOf(publicKey), options);
  const ski = issuing.details.subjectKeyId ? Buffer.from(issuing.details.subjectKeyId, 'hex') : null;
  const { der, signatureAlgorithm } = createCertificate(template, Buffer.from(issuing.subjectDer), issuerAdditions(issuerExtensions, ski), key, 'the CA private key (tls.key)');
  const leaf = decodeCertificatesPem(toPem('CERTIFICATE', der), 'the signed certificate')[0];
  const bundle = parseSingleCertificateChain([...certificates, leaf]);
  return { certificatePem: toPem('CERTIFICATE', der), certificateDer: der, chainPem: bundle.chainPem, caPem: bundle.caPem, signatureAlgorithm, template };
}
