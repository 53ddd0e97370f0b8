/**
 * Does an issuer's key verify a certificate's signature? RSA PKCS#1 v1.5,
 * RSA-PSS (hash and salt length from the parameters), ECDSA, Ed25519 and
 * Ed448, with node:crypto (OpenSSL underneath).
 */
import { constants, verify } from 'node:crypto';
import type { ParsedCertificate } from './certificate-info.js';

export interface SignatureCheck {
  valid: boolean;
  /** Why it could not be checked or failed, for a message. */
  reason?: string;
}

const cache = new WeakMap<ParsedCertificate, Map<string, SignatureCheck>>();

export function verifySignature(cert: ParsedCertificate, issuer: ParsedCertificate): SignatureCheck {
  let byIssuer = cache.get(cert);
  if (!byIssuer) cache.set(cert, (byIssuer = new Map()));
  const hit = byIssuer.get(issuer.id);
  if (hit) return hit;
  const r = check(cert, issuer);
  byIssuer.set(issuer.id, r);
  return r;
}

function check(cert: ParsedCertificate, issuer: ParsedCertificate): SignatureCheck {
  const key = issuer.publicKey;
  if (!key) return { valid: false, reason: "the issuer's public key cannot be read" };
  if (cert.signatureHash === 'unknown' || (cert.signatureHash === null && !/^1\.3\.101\.11[23]$/.test(cert.signatureOid))) {
    return { valid: false, reason: `unsupported signature algorithm ${cert.info.signatureAlgorithm}` };
  }
  if (cert.signatureHash === 'md2') return { valid: false, reason: 'MD2 signatures cannot be checked' };
  const data = Buffer.from(cert.tbs);
  const sig = Buffer.from(cert.signature);
  try {
    let ok: boolean;
    if (cert.signatureOid === '1.2.840.113549.1.1.10') {
      ok = verify(cert.signatureHash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: cert.pssSaltLength ?? 20 }, sig);
    } else {
      ok = verify(cert.signatureHash, data, key, sig);
    }
    return ok ? { valid: true } : { valid: false, reason: "the signature does not verify with the issuer's public key" };
  } catch (e) {
    const kt = key.asymmetricKeyType;
    return { valid: false, reason: `the issuer's ${kt ?? ''} key cannot check a ${cert.info.signatureAlgorithm} signature (${(e as Error).message.split('\n')[0]})` };
  }
}
