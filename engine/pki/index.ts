/**
 * Certsmith's certificate-issuing engine: private keys, CSRs and signed
 * certificates for a cert-manager Certificate spec, made as cert-manager's
 * pkg/util/pki and its SelfSigned and CA issuers make them. Each file's
 * header says which upstream behaviour it mirrors; errors are PkiError.
 */
export { PkiError } from './errors.js';
export type { CertificateSpec, PrivateKeySpec, PrivateKeyAlgorithm, PrivateKeyEncoding } from './spec.js';
export { DEFAULT_DURATION_NS } from './spec.js';
export {
  generatePrivateKey,
  encodePrivateKeyPem,
  privateKeyDer,
  decodePrivateKeyPem,
  describeKey,
  publicKeyOf,
  publicKeysEqual,
  requestedKey,
  toPem,
  type KeyDescription,
} from './private-key.js';
export { keyUsagesFor, DEFAULT_USAGES, KNOWN_USAGES, type KeyUsages, type KeyUsageName, type ExtKeyUsage } from './key-usages.js';
export { subjectFor, type Subject, type SubjectAttribute } from './subject.js';
export { subjectAltNamesFor, type SubjectAltNames, type OtherName, type IpAddressName } from './sans.js';
export { nameConstraintsFor, type NameConstraintsTemplate } from './name-constraints.js';
export { signatureAlgorithmForSigner, requestSignatureAlgorithm, SIGNATURE_ALGORITHMS, type SignatureAlgorithmName } from './signature-algorithm.js';
export { randomSerialNumber } from './serial-number.js';
export { certificateTemplate, checkKeyMatchesSpec, type CertificateTemplate, type TemplateOptions } from './certificate-template.js';
export { buildCsr, buildCsrDer } from './csr.js';
export { decodeCertificatesPem, parseSingleCertificateChain, type PemBundle } from './chain-bundle.js';
export {
  signSelfSigned,
  signWithCa,
  readCaSecret,
  EMPTY_ISSUER_DN_WARNING,
  type CaSecret,
  type IssuerExtensions,
  type SignOptions,
  type SelfSignedResult,
  type CaSignedResult,
  type SignedCertificate,
} from './sign.js';
