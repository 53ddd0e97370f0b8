/**
 * Signature algorithms as cert-manager picks them (pkg/util/pki/csr.go):
 *
 * - a CSR is signed with spec.signatureAlgorithm when set, otherwise with an
 *   algorithm derived from spec.privateKey (SignatureAlgorithm): RSA below
 *   3072 bits SHA-256, from 3072 SHA-384, from 4096 SHA-512; ECDSA P-256,
 *   P-384, P-521 with SHA-256, SHA-384, SHA-512; Ed25519 pure;
 * - a certificate is always signed with the algorithm derived from the
 *   SIGNER's key by the same table (SignCertificate ignores
 *   spec.signatureAlgorithm: for the SelfSigned and CA issuers that field only
 *   affects the CSR);
 * - like Go's x509.CreateCertificateRequest, an algorithm that does not fit
 *   the key (ECDSAWithSHA256 on an RSA key) is an error.
 *
 * RSA signatures are PKCS #1 v1.5 with a NULL parameter in the
 * AlgorithmIdentifier; ECDSA and Ed25519 identifiers have no parameters.
 */
import { sign, type KeyObject } from 'node:crypto';
import { nullValue, objectIdentifier, sequence } from './der-writer.js';
import { PkiError, quote } from './errors.js';
import { describeKey, requestedKey } from './private-key.js';
import { stringField, type PrivateKeyAlgorithm } from './spec.js';

export type SignatureAlgorithmName = 'SHA256WithRSA' | 'SHA384WithRSA' | 'SHA512WithRSA' | 'ECDSAWithSHA256' | 'ECDSAWithSHA384' | 'ECDSAWithSHA512' | 'PureEd25519';

interface AlgorithmFacts {
  oid: string;
  /** Node's digest name; null for Ed25519. */
  hash: 'sha256' | 'sha384' | 'sha512' | null;
  keyAlgorithm: PrivateKeyAlgorithm;
  /** The name openssl prints ("sha256WithRSAEncryption"). */
  opensslName: string;
}

const SIGNATURE_ALGORITHMS: Record<SignatureAlgorithmName, AlgorithmFacts> = {
  SHA256WithRSA: { oid: '1.2.840.113549.1.1.11', hash: 'sha256', keyAlgorithm: 'RSA', opensslName: 'sha256WithRSAEncryption' },
  SHA384WithRSA: { oid: '1.2.840.113549.1.1.12', hash: 'sha384', keyAlgorithm: 'RSA', opensslName: 'sha384WithRSAEncryption' },
  SHA512WithRSA: { oid: '1.2.840.113549.1.1.13', hash: 'sha512', keyAlgorithm: 'RSA', opensslName: 'sha512WithRSAEncryption' },
  ECDSAWithSHA256: { oid: '1.2.840.10045.4.3.2', hash: 'sha256', keyAlgorithm: 'ECDSA', opensslName: 'ecdsa-with-SHA256' },
  ECDSAWithSHA384: { oid: '1.2.840.10045.4.3.3', hash: 'sha384', keyAlgorithm: 'ECDSA', opensslName: 'ecdsa-with-SHA384' },
  ECDSAWithSHA512: { oid: '1.2.840.10045.4.3.4', hash: 'sha512', keyAlgorithm: 'ECDSA', opensslName: 'ecdsa-with-SHA512' },
  PureEd25519: { oid: '1.3.101.112', hash: null, keyAlgorithm: 'Ed25519', opensslName: 'ED25519' },
};

const isName = (s: string): s is SignatureAlgorithmName => Object.prototype.hasOwnProperty.call(SIGNATURE_ALGORITHMS, s);

/** cert-manager's table from a key type and size (signatureAlgorithmFromPublicKey). */
function fromKey(algorithm: PrivateKeyAlgorithm, size: number, what: string): SignatureAlgorithmName {
  switch (algorithm) {
    case 'RSA':
      if (size >= 4096) return 'SHA512WithRSA';
      if (size >= 3072) return 'SHA384WithRSA';
      if (size >= 2048) return 'SHA256WithRSA';
      throw new PkiError(`${what} is an RSA key of ${size} bits; cert-manager signs only with RSA keys of at least 2048 bits`);
    case 'ECDSA':
      if (size === 521) return 'ECDSAWithSHA512';
      if (size === 384) return 'ECDSAWithSHA384';
      if (size === 256) return 'ECDSAWithSHA256';
      throw new PkiError(`${what} is an ECDSA key on an unsupported curve (${size} bits); cert-manager signs with P-256, P-384 and P-521 keys`);
    case 'Ed25519':
      return 'PureEd25519';
  }
}

/** The algorithm a certificate signed by this key gets (SignCertificate). RSA sizes count whole bytes, as Go's Size()*8. */
export function signatureAlgorithmForSigner(signerKey: KeyObject, what = 'the signing key'): SignatureAlgorithmName {
  const d = describeKey(signerKey, what);
  const size = d.algorithm === 'RSA' ? Math.ceil(d.size / 8) * 8 : d.size;
  return fromKey(d.algorithm, size, what);
}

/** The algorithm of the CSR for a Certificate (SignatureAlgorithm(crt)): spec.signatureAlgorithm, or derived from spec.privateKey. */
export function requestSignatureAlgorithm(spec: Record<string, unknown>): SignatureAlgorithmName {
  const { algorithm, size } = requestedKey(spec.privateKey);
  const explicit = stringField(spec, 'signatureAlgorithm', 'spec');
  if (explicit !== '') {
    if (!isName(explicit)) {
      throw new PkiError(`unsupported signature algorithm ${quote(explicit)}; use one of ${Object.keys(SIGNATURE_ALGORITHMS).join(', ')}`, 'spec.signatureAlgorithm');
    }
    return explicit;
  }
  return fromKey(algorithm, size, 'spec.privateKey');
}

/** Go's "requested SignatureAlgorithm does not match private key type", in words. */
export function checkAlgorithmFitsKey(alg: SignatureAlgorithmName, key: KeyObject, field = 'spec.signatureAlgorithm'): void {
  const d = describeKey(key);
  const needs = SIGNATURE_ALGORITHMS[alg].keyAlgorithm;
  if (needs !== d.algorithm) {
    const fitting = (Object.keys(SIGNATURE_ALGORITHMS) as SignatureAlgorithmName[]).filter((n) => SIGNATURE_ALGORITHMS[n].keyAlgorithm === d.algorithm);
    throw new PkiError(`${alg} needs an ${needs} key but the private key is ${d.label}; with this key use ${fitting.join(', ')}`, field);
  }
}

/** AlgorithmIdentifier DER (NULL parameters for RSA, none otherwise). */
export function algorithmIdentifier(alg: SignatureAlgorithmName): Buffer {
  const facts = SIGNATURE_ALGORITHMS[alg];
  return facts.keyAlgorithm === 'RSA' ? sequence(objectIdentifier(facts.oid), nullValue()) : sequence(objectIdentifier(facts.oid));
}

/** Signs bytes (a TBSCertificate or CertificationRequestInfo): PKCS #1 v1.5, DER-encoded ECDSA, or Ed25519. */
export function signBytes(alg: SignatureAlgorithmName, key: KeyObject, data: Uint8Array): Buffer {
  return sign(SIGNATURE_ALGORITHMS[alg].hash, data, key);
}
