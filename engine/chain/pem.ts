/**
 * Turns what a user has at hand into certificates and keys: a PEM bundle in
 * any order with anything between the blocks, DER (one certificate or
 * several back to back), the base64 of either (a Secret value copied with
 * kubectl's jsonpath), or a Kubernetes Secret manifest (YAML or JSON) whose
 * `tls.crt`, `ca.crt` and `tls.key` are read from `data` (base64) or
 * `stringData` (plain).
 *
 * Only this module reads raw input, and pemBlocks / pemBlockBytes are the
 * one PEM reader (keys and cert-manager's tls.crt rules use them too).
 * Problems that make the input unusable throw ChainInputError with one
 * sentence a person can act on.
 */
import { splitDocuments } from '../manifests/segments.js';
import { ParsedDocument } from '../manifests/parsed-document.js';
import { objectsOf } from '../manifests/kube-object.js';
import { asKind } from '../manifests/kinds.js';

/** The engine's typed error for input that cannot be read as certificates. */
export class ChainInputError extends Error {
  override readonly name = 'ChainInputError';
}

/** Inputs larger than this are refused (a long chain is a few tens of KiB). */
const MAX_INPUT_BYTES = 8 * 1024 * 1024;

export type Origin = 'input' | 'ca.crt';

export interface CertificateBlob {
  der: Uint8Array;
  origin: Origin;
  /** Where it was found, for messages: "PEM block at line 12", "tls.crt, certificate 2". */
  where: string;
}

export interface KeyBlob {
  /** PEM text or DER bytes of a private key. Never printed. */
  key: string | Uint8Array;
  format: 'pem' | 'der';
  where: string;
}

export interface ExtractedInput {
  kind: 'pem' | 'der' | 'secret';
  /** The bundle under inspection (tls.crt for a Secret), in input order. */
  certificates: CertificateBlob[];
  /** ca.crt of a Secret. */
  caCertificates: CertificateBlob[];
  keys: KeyBlob[];
  /** "Secret default/web-tls", when the input was a Secret. */
  secret?: string;
  /** Things skipped on the way that a user may want to know about. */
  notes: string[];
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

export function extractInput(input: Uint8Array | string): ExtractedInput {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length > MAX_INPUT_BYTES) throw new ChainInputError(`the input is ${bytes.length} bytes, more than the ${MAX_INPUT_BYTES} bytes a certificate bundle could need`);
  if (bytes.length === 0) throw new ChainInputError('the input is empty');
  return extract(bytes, 'input', 0);
}

function extract(bytes: Buffer, origin: Origin, depth: number): ExtractedInput {
  // DER: a SEQUENCE with a long-form length, as every certificate has.
  if (bytes[0] === 0x30 && bytes.length > 1 && (bytes[1] === 0x82 || bytes[1] === 0x83 || bytes[1] === 0x81)) {
    return { kind: 'der', certificates: splitDer(bytes, origin, origin === 'ca.crt' ? 'ca.crt' : 'DER input'), caCertificates: [], keys: [], notes: [] };
  }
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) {
    if (depth === 0 && /(^|\n|[{,])\s*["']?(kind|apiVersion)["']?\s*:/.test(text) && /tls\.crt|ca\.crt/.test(text)) {
      // A Secret with stringData holding PEM text.
      const secret = readSecret(bytes.toString('utf8'));
      if (secret) return secret;
    }
    return readPem(text, origin, origin === 'ca.crt' ? 'ca.crt, ' : '');
  }
  if (depth === 0 && /tls\.crt|ca\.crt/.test(text)) {
    const secret = readSecret(bytes.toString('utf8'));
    if (secret) return secret;
    throw new ChainInputError('the input mentions tls.crt or ca.crt but is not a readable Kubernetes Secret manifest (YAML or JSON with kind: Secret and data or stringData)');
  }
  // The base64 of PEM or DER (a Secret value on its own).
  const compact = text.replace(/\s+/g, '');
  if (depth < 2 && compact.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64');
    if (decoded.length > 0 && (decoded[0] === 0x30 || decoded.toString('latin1').includes('-----BEGIN '))) return extract(decoded, origin, depth + 1);
  }
  if (bytes[0] === 0x30) throw new ChainInputError('the input starts like DER but is not a complete certificate');
  const printable = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text.slice(0, 512));
  throw new ChainInputError(
    printable
      ? 'no certificate found: expected PEM (-----BEGIN CERTIFICATE-----), DER, base64 of either, or a Kubernetes Secret with tls.crt'
      : 'no certificate found: the input is binary but not DER-encoded certificates',
  );
}

class DerLengthError extends Error {}

/**
 * Where the DER element at `offset` ends, from its identifier and length
 * octets only (definite lengths, as DER requires). Hand-written because the
 * ASN.1 library decodes a value but does not say how many bytes it took,
 * which is what splitting certificates laid end to end (DER input, OpenSSL's
 * TRUSTED CERTIFICATE) and refusing trailing bytes need.
 */
export function derElementEnd(buf: Uint8Array, offset: number): number {
  if (offset + 2 > buf.length) throw new DerLengthError('truncated DER');
  if ((buf[offset] & 0x1f) === 0x1f) throw new DerLengthError('unsupported multi-byte DER tag');
  let len = buf[offset + 1];
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerLengthError('unsupported DER length');
    if (p + n > buf.length) throw new DerLengthError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > buf.length) throw new DerLengthError('truncated DER value');
  return p + len;
}

/** One or more DER certificates back to back. */
function splitDer(bytes: Uint8Array, origin: Origin, what: string): CertificateBlob[] {
  const out: CertificateBlob[] = [];
  let p = 0;
  while (p < bytes.length) {
    let end;
    try {
      end = derElementEnd(bytes, p);
    } catch (e) {
      if (e instanceof DerLengthError) {
        throw new ChainInputError(`${what}${out.length ? ` (after certificate ${out.length})` : ''} is not valid DER: ${e.message}`);
      }
      throw e;
    }
    if (bytes[p] !== 0x30) throw new ChainInputError(`${what} is not valid DER: expected a certificate (SEQUENCE) at byte ${p}`);
    out.push({ der: bytes.subarray(p, end), origin, where: out.length === 0 && end === bytes.length ? what : `${what}, certificate ${out.length + 1}` });
    p = end;
  }
  return out;
}

export interface PemBlock {
  label: string;
  body: string;
  line: number;
}

/** PEM blocks in a text, skipping anything between them. Linear in the input size. */
export function pemBlocks(text: string): { blocks: PemBlock[]; problems: string[] } {
  const blocks: PemBlock[] = [];
  const problems: string[] = [];
  const missingEnd = new Map<string, number>(); // label -> first offset from which no END exists
  let pos = 0;
  let line = 1;
  let lineCounted = 0;
  const lineAt = (offset: number) => {
    for (let i = text.indexOf('\n', lineCounted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    lineCounted = Math.max(lineCounted, offset);
    return line;
  };
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', pos);
    if (begin === -1) break;
    const labelEnd = text.indexOf('-----', begin + 11);
    const nl = text.indexOf('\n', begin);
    if (labelEnd === -1 || (nl !== -1 && labelEnd > nl) || labelEnd - begin - 11 > 64) {
      pos = begin + 11;
      continue;
    }
    const label = text.slice(begin + 11, labelEnd);
    const endMarker = `-----END ${label}-----`;
    const known = missingEnd.get(endMarker);
    const end = known !== undefined && known <= labelEnd ? -1 : text.indexOf(endMarker, labelEnd + 5);
    const at = lineAt(begin);
    if (end === -1) {
      if (known === undefined) missingEnd.set(endMarker, labelEnd);
      problems.push(`the PEM block "${label}" at line ${at} has no "-----END ${label}-----" line`);
      pos = labelEnd + 5;
      continue;
    }
    blocks.push({ label, body: text.slice(labelEnd + 5, end), line: at });
    pos = end + endMarker.length;
  }
  return { blocks, problems };
}

/**
 * The bytes of a PEM block (RFC 1421 headers such as Proc-Type and DEK-Info
 * skipped), or undefined when the body is not base64.
 */
export function pemBlockBytes(block: PemBlock): Buffer | undefined {
  let b = block.body;
  if (b.includes(':')) {
    const blank = b.search(/\r?\n\s*\r?\n/);
    b = blank === -1 ? b : b.slice(blank);
  }
  const compact = b.replace(/[\s]+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64');
}

function decodePemBody(block: PemBlock, where: string): Buffer {
  const der = pemBlockBytes(block);
  if (!der) throw new ChainInputError(`${where} is not valid base64`);
  if (der.length === 0) throw new ChainInputError(`${where} is empty`);
  return der;
}

function readPem(text: string, origin: Origin, prefix: string): ExtractedInput {
  const { blocks, problems } = pemBlocks(text);
  const out: ExtractedInput = { kind: 'pem', certificates: [], caCertificates: [], keys: [], notes: [] };
  for (const b of blocks) {
    const where = `${prefix}PEM block at line ${b.line}`;
    if (CERT_LABELS.has(b.label)) {
      let der = decodePemBody(b, where);
      if (b.label === 'TRUSTED CERTIFICATE') {
        // OpenSSL's trusted format: the certificate followed by its trust settings.
        try {
          der = der.subarray(0, derElementEnd(der, 0));
        } catch {
          throw new ChainInputError(`${where} (TRUSTED CERTIFICATE) is not valid DER`);
        }
      }
      out.certificates.push({ der, origin, where });
    } else if (KEY_LABELS.has(b.label)) {
      out.keys.push({ key: `-----BEGIN ${b.label}-----${b.body}-----END ${b.label}-----\n`, format: 'pem', where });
    } else {
      out.notes.push(`${where}: a "${b.label}" block, not a certificate; skipped`);
    }
  }
  if (out.certificates.length === 0) {
    if (problems.length) throw new ChainInputError(problems[0]);
    throw new ChainInputError(
      blocks.length ? `no certificate found: the PEM blocks are ${[...new Set(blocks.map((b) => b.label))].join(', ')}` : 'no certificate found: no complete PEM block',
    );
  }
  out.notes.push(...problems);
  return out;
}

/** A Secret manifest (YAML or JSON; the first Secret with certificates when several). */
function readSecret(text: string): ExtractedInput | undefined {
  const secrets: { name: string; values: Record<string, { value: string; base64: boolean }> }[] = [];
  for (const seg of splitDocuments(text)) {
    const doc = new ParsedDocument(seg.text);
    if (!doc.yaml || doc.problems.some((p) => p.severity === 'error')) continue;
    for (const obj of objectsOf(doc)) {
      const s = asKind(obj, 'Secret');
      if (!s) continue;
      const values: Record<string, { value: string; base64: boolean }> = {};
      for (const key of ['tls.crt', 'ca.crt', 'tls.key']) {
        const d = s.data?.[key];
        const sd = s.stringData?.[key];
        if (typeof sd === 'string' && sd.trim()) values[key] = { value: sd, base64: false };
        else if (typeof d === 'string' && d.trim()) values[key] = { value: d, base64: true };
      }
      if (!values['tls.crt'] && !values['ca.crt']) continue;
      const ns = s.metadata?.namespace;
      secrets.push({ name: `Secret ${ns ? `${ns}/` : ''}${s.metadata?.name ?? '(no name)'}`, values });
    }
  }
  if (secrets.length === 0) return undefined;
  const secret = secrets[0];
  const out: ExtractedInput = { kind: 'secret', certificates: [], caCertificates: [], keys: [], secret: secret.name, notes: [] };
  if (secrets.length > 1) out.notes.push(`the input holds ${secrets.length} Secrets with certificates; inspected the first, ${secret.name}`);
  const decode = (key: string): Buffer | undefined => {
    const v = secret.values[key];
    if (!v) return undefined;
    if (!v.base64) return Buffer.from(v.value, 'utf8');
    const compact = v.value.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new ChainInputError(`${secret.name}: data["${key}"] is not valid base64 (values under data are base64; use stringData for PEM text)`);
    return Buffer.from(compact, 'base64');
  };
  const inner = (key: string, origin: Origin): CertificateBlob[] => {
    const bytes = decode(key);
    if (!bytes) return [];
    let r: ExtractedInput;
    try {
      r = extract(bytes, origin, 1);
    } catch (e) {
      if (e instanceof ChainInputError) throw new ChainInputError(`${secret.name}: ${key}: ${e.message}`);
      throw e;
    }
    return r.certificates.map((c) => ({ ...c, where: `${key}, ${c.where.replace(/^ca\.crt, /, '')}` }));
  };
  out.certificates = inner('tls.crt', 'input');
  out.caCertificates = inner('ca.crt', 'ca.crt');
  if (out.certificates.length === 0) throw new ChainInputError(`${secret.name} has no tls.crt (only ca.crt); nothing to inspect`);
  const key = decode('tls.key');
  if (key) {
    const t = key.toString('latin1');
    if (t.includes('-----BEGIN ')) {
      const { blocks } = pemBlocks(t);
      const kb = blocks.find((b) => KEY_LABELS.has(b.label));
      if (kb) out.keys.push({ key: `-----BEGIN ${kb.label}-----${kb.body}-----END ${kb.label}-----\n`, format: 'pem', where: 'tls.key' });
      else out.notes.push('tls.key holds no PEM private key block');
    } else out.keys.push({ key: new Uint8Array(key), format: 'der', where: 'tls.key' });
  }
  return out;
}
