/**
 * Certificate chains as cert-manager reads and writes them:
 *
 * - reading a Secret's tls.crt (DecodeX509CertificateChainBytes): every PEM
 *   block must be a certificate, at least one is needed, and the input is
 *   limited to 95000 bytes (internal/pem's chain limit); ca.crt is read the
 *   same way and only its first certificate is used;
 * - ParseSingleCertificateChain (pkg/util/pki/parse_certificate_chain.go):
 *   the certificates, in any order and with duplicates removed, must link
 *   into ONE chain, a parent linking a child when the child's issuer bytes
 *   equal the parent's subject bytes and Go's CheckSignatureFrom accepts the
 *   pair (parent is a CA, has cert sign when it has key usage at all, and
 *   the signature is not SHA-1 or MD5 and verifies). The result:
 *   - chain (tls.crt): leaf first, up to the highest certificate that is not
 *     self-signed; a self-signed root is never included;
 *   - CA (ca.crt): the self-signed root when present, otherwise the highest
 *     certificate of the chain, otherwise (a single certificate that is not
 *     self-signed) nothing.
 */
import { parseCertificate, KU_KEY_CERT_SIGN, type ParsedCertificate } from '../chain/certificate-info.js';
import { ChainInputError, pemBlockBytes, pemBlocks } from '../chain/pem.js';
import { verifySignature } from '../chain/signature.js';
import { PkiError } from './errors.js';
import { toPem } from './private-key.js';

/** internal/pem: (maxCertsInChain-1) * maxCACertificatePEMSize + maxLeafCertificatePEMSize. */
const MAX_CHAIN_PEM_BYTES = 9 * 6500 + 36500;
/** internal/pem: maxCertsInTrustBundle * estimatedCACertSize, the limit for ca.crt. */
export const MAX_BUNDLE_PEM_BYTES = 150 * 2200;

export interface PemBundle {
  /** Leaf first, then intermediates; never a self-signed root. */
  chainPem: string;
  /** The root, or the highest intermediate; "" when there is none. */
  caPem: string;
}

/** The certificates of a PEM text, in order, as cert-manager decodes tls.crt (or ca.crt with the bundle limit). */
export function decodeCertificatesPem(text: string | Uint8Array, where: string, maxBytes = MAX_CHAIN_PEM_BYTES): ParsedCertificate[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  if (bytes.length > maxBytes) throw new PkiError(`the PEM data is ${bytes.length} bytes; cert-manager reads at most ${maxBytes} bytes here`, where);
  const { blocks, problems } = pemBlocks(bytes.toString('latin1'));
  if (blocks.length === 0) {
    throw new PkiError(`no certificate found${problems.length ? ` (${problems[0]})` : ''}; expected PEM blocks "-----BEGIN CERTIFICATE-----"`, where);
  }
  return blocks.map((b, i) => {
    const label = `certificate ${i + 1} (PEM block at line ${b.line})`;
    if (b.label !== 'CERTIFICATE') {
      throw new PkiError(`the PEM block "${b.label}" at line ${b.line} is not a certificate; cert-manager parses every block here as a certificate`, where);
    }
    const der = pemBlockBytes(b);
    if (!der?.length) throw new PkiError(`${label} is not valid base64`, where);
    try {
      return parseCertificate({ der, origin: 'input', where: label });
    } catch (e) {
      if (e instanceof ChainInputError) throw new PkiError(e.message, where);
      throw e;
    }
  });
}

const INSECURE_HASHES = new Set(['sha1', 'md5', 'md2']);
const GO_VERIFIABLE_KEYS = new Set(['rsa', 'ec', 'ed25519']);

/** Go's Certificate.CheckSignatureFrom(parent) == nil. */
function checkSignatureFrom(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  const bc = parent.basicConstraints;
  if (parent.details.version === 3 && !bc) return false;
  if (bc && !bc.ca) return false;
  if (parent.keyUsageFlags !== null && parent.keyUsageFlags !== 0 && !(parent.keyUsageFlags & KU_KEY_CERT_SIGN)) return false;
  if (!parent.publicKey || !GO_VERIFIABLE_KEYS.has(parent.publicKey.asymmetricKeyType ?? '')) return false;
  if (child.signatureHash !== null && INSECURE_HASHES.has(child.signatureHash)) return false;
  return verifySignature(child, parent).valid;
}

/** Signed by its own key, by Go's rules (so a self-signed leaf that is not a CA does not count). */
function isSelfSigned(c: ParsedCertificate): boolean {
  return checkSignatureFrom(c, c);
}

interface Node {
  cert: ParsedCertificate;
  issuer: Node | null;
}

const rootOf = (n: Node): Node => {
  let c = n;
  while (c.issuer) c = c.issuer;
  return c;
};

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Joins two partial chains when the top of one is issued by the bottom of the other. */
function tryMerge(a: Node, b: Node): Node | null {
  const bRoot = rootOf(b);
  if (sameBytes(bRoot.cert.issuerDer, a.cert.subjectDer) && checkSignatureFrom(bRoot.cert, a.cert)) {
    bRoot.issuer = a;
    return b;
  }
  const aRoot = rootOf(a);
  if (sameBytes(aRoot.cert.issuerDer, b.cert.subjectDer) && checkSignatureFrom(aRoot.cert, b.cert)) {
    aRoot.issuer = b;
    return a;
  }
  return null;
}

/** ParseSingleCertificateChain: the chain and CA cert-manager stores for these certificates. */
export function parseSingleCertificateChain(certs: readonly ParsedCertificate[]): PemBundle {
  if (certs.length === 0) throw new PkiError('no certificates to build a chain from');
  const unique = [...certs].sort((x, y) => Buffer.compare(Buffer.from(x.der), Buffer.from(y.der))).filter((c, i, all) => i === 0 || !sameBytes(c.der, all[i - 1].der));
  if (unique.length > 1000) throw new PkiError('the certificate chain is too long: cert-manager accepts fewer than 1000 certificates');

  const chains: Node[] = unique.map((cert) => ({ cert, issuer: null }));
  while (chains.length > 1) {
    const last = chains.pop()!;
    let merged = false;
    for (let i = 0; i < chains.length; i++) {
      const joined = tryMerge(last, chains[i]);
      if (joined) {
        chains[i] = joined;
        merged = true;
        break;
      }
    }
    if (!merged) {
      const pieces = [last, ...chains].map((n) => `"${n.cert.info.subject || '(empty subject)'}"`);
      throw new PkiError(
        `the certificates do not form a single chain (cert-manager: "certificate chain is malformed or broken"): ${pieces.length} pieces could not be linked, starting at ${pieces.join(', ')}; every certificate must be issued by another one of them, or be the top of the one chain`,
      );
    }
  }
  return toBundle(chains[0]);
}

function toBundle(head: Node): PemBundle {
  const chain: ParsedCertificate[] = [];
  let ca: ParsedCertificate;
  let n = head;
  for (;;) {
    if (!n.issuer) {
      if (chain.length > 0 && !isSelfSigned(n.cert)) chain.push(n.cert);
      ca = n.cert;
      break;
    }
    chain.push(n.cert);
    n = n.issuer;
  }
  const caPem = toPem('CERTIFICATE', ca.der);
  if (chain.length === 0) return { chainPem: caPem, caPem: isSelfSigned(ca) ? caPem : '' };
  // EncodeX509Chain leaves out self-signed certificates wherever they are.
  return { chainPem: chain.filter((c) => !isSelfSigned(c)).map((c) => toPem('CERTIFICATE', c.der)).join(''), caPem };
}
