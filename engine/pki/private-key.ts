/**
 * Private keys as cert-manager makes, stores and reads them
 * (pkg/util/pki/generate.go and parse.go):
 *
 * - generation from spec.privateKey: RSA by default, 2048 bits unless a size
 *   is given (at least 2048, at most 8192); ECDSA on P-256 by default, or
 *   P-384 / P-521 for sizes 384 / 521; Ed25519 ignoring the size. A size of
 *   zero or below means "the default", as in cert-manager;
 * - encoding for tls.key: PKCS1 (the default) writes RSA keys as PKCS#1
 *   "RSA PRIVATE KEY" and ECDSA keys as SEC 1 "EC PRIVATE KEY", but Ed25519
 *   keys, which have no PKCS#1 form, as PKCS#8 "PRIVATE KEY"; PKCS8 writes
 *   every key as "PRIVATE KEY";
 * - the DER output format (key.der) is the DER inside that same PEM block, so
 *   it follows spec.privateKey.encoding rather than always being PKCS#8;
 * - reading a CA Secret's tls.key: the first PEM block only, of type "RSA
 *   PRIVATE KEY", "EC PRIVATE KEY" or "PRIVATE KEY", unencrypted, at most
 *   13000 bytes of input.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { pemBlockBytes, pemBlocks } from '../chain/pem.js';
import { PkiError, quote } from './errors.js';
import { integerField, objectField, stringField, type PrivateKeyAlgorithm, type PrivateKeyEncoding } from './spec.js';

/** pki.MinRSAKeySize / MaxRSAKeySize. */
const MIN_RSA_KEY_SIZE = 2048;
const MAX_RSA_KEY_SIZE = 8192;
const DEFAULT_ECDSA_KEY_SIZE = 256;
/** internal/pem maxPrivateKeyPEMSize. */
const MAX_PRIVATE_KEY_PEM_BYTES = 13000;

const CURVE_BY_SIZE: Record<number, string> = { 256: 'P-256', 384: 'P-384', 521: 'P-521' };
/** OpenSSL curve names Node reports, to cert-manager's sizes. Go can also parse P-224 keys, but never signs with them. */
const SIZE_BY_CURVE: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224 };

export interface KeyDescription {
  algorithm: PrivateKeyAlgorithm;
  /** RSA modulus bits; ECDSA curve size (256, 384, 521); 256 for Ed25519. */
  size: number;
  /** "RSA 2048", "ECDSA P-384", "Ed25519": for messages. */
  label: string;
}

/** The key algorithm a spec.privateKey asks for, with cert-manager's defaults applied. */
export function requestedKey(privateKey: unknown): { algorithm: PrivateKeyAlgorithm; size: number } {
  const path = 'spec.privateKey';
  const spec = objectField({ privateKey }, 'privateKey', 'spec') ?? {};
  const algorithm = stringField(spec, 'algorithm', path);
  const size = integerField(spec, 'size', path);
  switch (algorithm) {
    case '':
    case 'RSA': {
      const bits = size > 0 ? size : MIN_RSA_KEY_SIZE;
      if (bits < MIN_RSA_KEY_SIZE) throw new PkiError(`RSA key size ${bits} is too weak; the minimum is ${MIN_RSA_KEY_SIZE} (2048, 3072 and 4096 are usual)`, `${path}.size`);
      if (bits > MAX_RSA_KEY_SIZE) throw new PkiError(`RSA key size ${bits} is too big; the maximum is ${MAX_RSA_KEY_SIZE}`, `${path}.size`);
      return { algorithm: 'RSA', size: bits };
    }
    case 'ECDSA': {
      const bits = size > 0 ? size : DEFAULT_ECDSA_KEY_SIZE;
      if (!CURVE_BY_SIZE[bits]) throw new PkiError(`ECDSA key size ${bits} is not supported; use 256 (P-256, the default), 384 (P-384) or 521 (P-521)`, `${path}.size`);
      return { algorithm: 'ECDSA', size: bits };
    }
    case 'Ed25519':
      return { algorithm: 'Ed25519', size: 256 };
    default:
      throw new PkiError(`unsupported private key algorithm ${quote(algorithm)}; use RSA (the default), ECDSA or Ed25519 (spelled exactly so)`, `${path}.algorithm`);
  }
}

/** A new private key for spec.privateKey (GeneratePrivateKeyForCertificate). RSA 4096 and up take seconds. */
export function generatePrivateKey(privateKey?: unknown): KeyObject {
  const { algorithm, size } = requestedKey(privateKey);
  switch (algorithm) {
    case 'RSA':
      return generateKeyPairSync('rsa', { modulusLength: size, publicExponent: 65537 }).privateKey;
    case 'ECDSA':
      return generateKeyPairSync('ec', { namedCurve: CURVE_BY_SIZE[size] }).privateKey;
    case 'Ed25519':
      return generateKeyPairSync('ed25519').privateKey;
  }
}

/** The key's algorithm and size, as cert-manager's checks see them; PkiError for key types cert-manager cannot use. */
export function describeKey(key: KeyObject, where = 'the key'): KeyDescription {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const size = details.modulusLength ?? 0;
    return { algorithm: 'RSA', size, label: `RSA ${size}` };
  }
  if (type === 'ec') {
    const size = SIZE_BY_CURVE[details.namedCurve ?? ''];
    if (!size) throw new PkiError(`${where} is an ECDSA key on curve ${details.namedCurve ?? '(unknown)'}, which cert-manager cannot use; use P-256, P-384 or P-521`);
    return { algorithm: 'ECDSA', size, label: `ECDSA P-${size}` };
  }
  if (type === 'ed25519') return { algorithm: 'Ed25519', size: 256, label: 'Ed25519' };
  throw new PkiError(`${where} is of type ${type ?? 'unknown'}; cert-manager uses RSA, ECDSA and Ed25519 keys only`);
}

function normalizeEncoding(encoding: unknown): PrivateKeyEncoding {
  if (encoding === undefined || encoding === null || encoding === '' || encoding === 'PKCS1') return 'PKCS1';
  if (encoding === 'PKCS8') return 'PKCS8';
  throw new PkiError(`unknown private key encoding ${quote(encoding)}; use PKCS1 (the default) or PKCS8`, 'spec.privateKey.encoding');
}

/** The PEM label and DER of the key as cert-manager would write it to tls.key (EncodePrivateKey). */
function encodeKey(key: KeyObject, encoding: unknown): { label: string; der: Buffer } {
  if (key.type !== 'private') throw new PkiError('only a private key can be encoded for tls.key');
  const enc = normalizeEncoding(encoding);
  const { algorithm } = describeKey(key);
  if (enc === 'PKCS1' && algorithm === 'RSA') return { label: 'RSA PRIVATE KEY', der: key.export({ type: 'pkcs1', format: 'der' }) };
  if (enc === 'PKCS1' && algorithm === 'ECDSA') return { label: 'EC PRIVATE KEY', der: key.export({ type: 'sec1', format: 'der' }) };
  // Ed25519 has no PKCS#1 form: cert-manager writes PKCS#8 for it either way.
  return { label: 'PRIVATE KEY', der: key.export({ type: 'pkcs8', format: 'der' }) };
}

/** tls.key text: PKCS1 (default; SEC 1 for ECDSA, PKCS#8 for Ed25519) or PKCS8. */
export function encodePrivateKeyPem(key: KeyObject, encoding?: string): string {
  const { label, der } = encodeKey(key, encoding);
  return toPem(label, der);
}

/**
 * The bytes of the `key.der` additional output format: the DER inside the
 * tls.key PEM block, so PKCS#1 / SEC 1 / PKCS#8 following the same encoding.
 */
export function privateKeyDer(key: KeyObject, encoding?: string): Buffer {
  return encodeKey(key, encoding).der;
}

/** PEM with 64-character lines and a final newline, as Go's pem.Encode writes it. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}

const KEY_TYPES: Record<string, 'pkcs8' | 'sec1' | 'pkcs1'> = { 'PRIVATE KEY': 'pkcs8', 'EC PRIVATE KEY': 'sec1', 'RSA PRIVATE KEY': 'pkcs1' };

/**
 * A private key from PEM text as cert-manager reads tls.key of a CA Secret
 * (DecodePrivateKeyBytes): the first PEM block, which must be an unencrypted
 * PKCS#1, SEC 1 or PKCS#8 key of a type cert-manager signs with.
 */
export function decodePrivateKeyPem(text: string | Uint8Array, where = 'tls.key'): KeyObject {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  if (bytes.length > MAX_PRIVATE_KEY_PEM_BYTES) {
    throw new PkiError(`the private key PEM is ${bytes.length} bytes; cert-manager reads at most ${MAX_PRIVATE_KEY_PEM_BYTES} bytes (one key, without a certificate chain in front)`, where);
  }
  const { blocks } = pemBlocks(bytes.toString('latin1'));
  const block = blocks[0];
  if (!block) throw new PkiError('no PEM block found; expected "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"', where);
  const type = KEY_TYPES[block.label];
  if (!type) {
    const hint = block.label === 'ENCRYPTED PRIVATE KEY' ? '; cert-manager cannot read encrypted keys, decrypt it with `openssl pkey`' : block.label.includes('CERTIFICATE') ? '; the key must be the first PEM block' : '';
    throw new PkiError(`unknown private key type "${block.label}" in the first PEM block; expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY${hint}`, where);
  }
  if (/Proc-Type:\s*4,\s*ENCRYPTED/i.test(block.body)) throw new PkiError('the private key is encrypted (Proc-Type: 4,ENCRYPTED); cert-manager reads only unencrypted keys', where);
  const der = pemBlockBytes(block);
  if (!der?.length) throw new PkiError(`the ${block.label} block is not valid base64`, where);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type });
  } catch {
    throw new PkiError(`the ${block.label} block is not a readable ${type === 'pkcs8' ? 'PKCS#8' : type === 'sec1' ? 'SEC 1 EC' : 'PKCS#1 RSA'} private key`, where);
  }
  describeKey(key, `the key in ${where}`);
  if (key.asymmetricKeyType === 'rsa' && !rsaKeyIsConsistent(key)) throw new PkiError('the RSA private key failed validation (its components do not agree)', where);
  return key;
}

/** A sign-and-verify round trip: catches RSA keys whose CRT components do not match the modulus (Go's rsa.PrivateKey.Validate). */
function rsaKeyIsConsistent(key: KeyObject): boolean {
  try {
    const data = Buffer.from('certsmith key check');
    return verify('sha256', data, createPublicKey(key), sign('sha256', data, key));
  } catch {
    return false;
  }
}

/** The public half of a key (a public key is returned as is). */
export function publicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}

/** SubjectPublicKeyInfo DER, as certificates and CSRs carry it. */
export function spkiDer(key: KeyObject): Buffer {
  return publicKeyOf(key).export({ type: 'spki', format: 'der' });
}

/** Same public key (PublicKeysEqual)? */
export function publicKeysEqual(a: KeyObject, b: KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}
