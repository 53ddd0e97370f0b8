/**
 * What cert-manager writes into a Certificate's Secret, and writing it to a
 * directory. Facts from cert-manager (pkg/controller/certificates/issuing/
 * internal/secret.go, internal/controller/certificates/secrets.go):
 *  - type kubernetes.io/tls; keys tls.crt (leaf then intermediates), tls.key,
 *    ca.crt only when the issuer knows the CA;
 *  - secretTemplate labels and annotations first, then annotations describing
 *    the issued certificate (common-name always; alt-names, ip-sans, uri-sans
 *    always, possibly empty; email-sans and subject-* only when non-empty;
 *    lists CSV-encoded as Go's encoding/csv writes a record), then
 *    certificate-name and issuer-name/-kind/-group;
 *  - the label controller.cert-manager.io/fao: "true";
 *  - additionalOutputFormats: key.der (the DER inside tls.key's PEM block) and
 *    tls-combined.pem (tls.key, a newline, tls.crt).
 *
 * Files are written so that a failure leaves nothing half-written: into a new
 * directory that is renamed into place, or, when the directory exists, each
 * file to a temporary name first and renamed only once all are written. Files
 * holding the private key are 0600.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { readCertificates, type ParsedCertificate } from '../chain/certificate-info.js';
import { formatIp } from '../chain/general-names.js';
import { pemBlockBytes, pemBlocks } from '../chain/pem.js';
import { UserError } from '../core/errors.js';
import { asRecord } from '../core/values.js';
import type { IssuerRef } from './issuance-inputs.js';

export interface IssuedMaterial {
  /** PEM: leaf, then intermediates (never the root). */
  chainPem: string;
  /** PEM private key in the encoding the Certificate asks for. */
  privateKeyPem: string;
  /** PEM CA certificate(s) for ca.crt, when the issuer knows it (SelfSigned, CA). */
  caPem?: string;
}

export interface SecretContext {
  certificateName: string;
  namespace: string;
  secretName: string;
  issuer: IssuerRef;
  /** The Certificate's spec (secretTemplate, additionalOutputFormats). */
  spec: Record<string, unknown>;
}

/** Go encoding/csv, one record, without the trailing newline. */
export function joinCsv(values: string[]): string {
  return values
    .map((v) => {
      const needsQuotes = v !== '' && (v === '\\.' || /[",\r\n]/.test(v) || /^\s/u.test(v));
      return needsQuotes ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

const SUBJECT_ANNOTATIONS: [string, string][] = [
  ['2.5.4.10', 'cert-manager.io/subject-organizations'],
  ['2.5.4.11', 'cert-manager.io/subject-organizationalunits'],
  ['2.5.4.6', 'cert-manager.io/subject-countries'],
  ['2.5.4.8', 'cert-manager.io/subject-provinces'],
  ['2.5.4.7', 'cert-manager.io/subject-localities'],
  ['2.5.4.17', 'cert-manager.io/subject-postalcodes'],
  ['2.5.4.9', 'cert-manager.io/subject-streetaddresses'],
];

/** cert-manager's annotations describing the issued leaf certificate. */
function annotationsForCertificate(leaf: ParsedCertificate): Record<string, string> {
  const field = (oid: string) => leaf.subjectAttributes.filter((a) => a.type === oid).map((a) => a.value);
  const out: Record<string, string> = {};
  out['cert-manager.io/common-name'] = field('2.5.4.3')[0] ?? '';
  const serial = field('2.5.4.5')[0];
  if (serial) out['cert-manager.io/subject-serialnumber'] = serial;
  for (const [oid, key] of SUBJECT_ANNOTATIONS) {
    const values = field(oid);
    if (values.length) out[key] = joinCsv(values);
  }
  const emails = leaf.info.emailAddresses;
  if (emails.length) out['cert-manager.io/email-sans'] = joinCsv(emails);
  out['cert-manager.io/alt-names'] = joinCsv(leaf.info.dnsNames);
  out['cert-manager.io/ip-sans'] = joinCsv(leaf.sans.flatMap((n) => (n.type === 'ip' ? [goIpString(n.bytes)] : [])));
  out['cert-manager.io/uri-sans'] = joinCsv(leaf.info.uris);
  return out;
}

/** Go's net.IP String() form (IPv6 compressed, IPv4-mapped as dotted quad). */
function goIpString(ip: Uint8Array): string {
  const v4mapped = ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
  return formatIp(v4mapped ? ip.subarray(12) : ip);
}

/** The DER inside the first PEM block of a key (cert-manager's key.der output format). */
function pemBlockDer(pem: string): Buffer {
  const block = pemBlocks(pem).blocks[0];
  const der = block && pemBlockBytes(block);
  if (!der) throw new UserError('the private key is not PEM');
  return der;
}

export interface SecretFiles {
  /** File name → content, in the order they are written. */
  files: Map<string, Buffer>;
  /** The Secret manifest (secret.yaml). */
  manifest: Record<string, unknown>;
}

const PRIVATE_FILES = new Set(['tls.key', 'key.der', 'tls-combined.pem', 'secret.yaml']);
const OUTPUT_FILES = ['tls.crt', 'tls.key', 'ca.crt', 'key.der', 'tls-combined.pem', 'secret.yaml'];

export function buildSecretFiles(material: IssuedMaterial, ctx: SecretContext): SecretFiles {
  const data = new Map<string, Buffer>();
  data.set('tls.crt', Buffer.from(material.chainPem));
  data.set('tls.key', Buffer.from(material.privateKeyPem));
  if (material.caPem) data.set('ca.crt', Buffer.from(material.caPem));
  const formats = Array.isArray(ctx.spec.additionalOutputFormats) ? ctx.spec.additionalOutputFormats : [];
  for (const f of formats) {
    const type = asRecord(f).type;
    if (type === 'DER') data.set('key.der', pemBlockDer(material.privateKeyPem));
    else if (type === 'CombinedPEM') data.set('tls-combined.pem', Buffer.concat([Buffer.from(material.privateKeyPem), Buffer.from('\n'), Buffer.from(material.chainPem)]));
    else throw new UserError(`spec.additionalOutputFormats: unknown type "${String(type)}" (cert-manager knows DER and CombinedPEM)`);
  }

  const template = asRecord(ctx.spec.secretTemplate);
  const annotations: Record<string, string> = { ...(asRecord(template.annotations) as Record<string, string>) };
  const labels: Record<string, string> = { ...(asRecord(template.labels) as Record<string, string>) };
  Object.assign(annotations, annotationsForCertificate(readCertificates(material.chainPem)[0]!));
  annotations['cert-manager.io/certificate-name'] = ctx.certificateName;
  annotations['cert-manager.io/issuer-name'] = ctx.issuer.name;
  annotations['cert-manager.io/issuer-kind'] = ctx.issuer.kind;
  annotations['cert-manager.io/issuer-group'] = ctx.issuer.group;
  labels['controller.cert-manager.io/fao'] = 'true';

  const secretData: Record<string, string> = {};
  for (const [k, v] of data) secretData[k] = v.toString('base64');
  const manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ctx.secretName, namespace: ctx.namespace, labels: sortKeys(labels), annotations: sortKeys(annotations) },
    type: 'kubernetes.io/tls',
    data: secretData,
  };
  const files = new Map(data);
  files.set('secret.yaml', Buffer.from(stringify(manifest, { lineWidth: 0 })));
  return { files, manifest };
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Writes the files into `dir` with nothing half-written: a new directory is
 * built beside it and renamed into place; an existing directory gets each
 * file under a temporary name first, renamed once all are written. Other
 * files in an existing directory are left alone.
 */
export function writeSecretFiles(dir: string, files: Map<string, Buffer>): string[] {
  const modeOf = (name: string) => (PRIVATE_FILES.has(name) ? 0o600 : 0o644);
  if (!existsSync(dir)) {
    const parent = dirname(dir);
    try {
      mkdirSync(parent, { recursive: true });
    } catch (e) {
      throw new UserError(`cannot create ${parent}: ${(e as Error).message}`);
    }
    const tmp = mkdtempSync(join(parent, `.${basename(dir)}.certsmith-`));
    try {
      for (const [name, content] of files) writeFileSync(join(tmp, name), content, { mode: modeOf(name) });
      chmodSync(tmp, 0o755);
      renameSync(tmp, dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw new UserError(`cannot write the result to ${dir}: ${(e as Error).message}`);
    }
    return [...files.keys()].map((n) => join(dir, n));
  }
  if (!statSync(dir).isDirectory()) throw new UserError(`--out ${dir} exists and is not a directory`);
  const suffix = `.certsmith-${randomBytes(4).toString('hex')}.tmp`;
  const written: string[] = [];
  try {
    for (const [name, content] of files) {
      const tmp = join(dir, `.${name}${suffix}`);
      written.push(tmp);
      writeFileSync(tmp, content, { mode: modeOf(name) });
      chmodSync(tmp, modeOf(name));
    }
  } catch (e) {
    for (const t of written) rmSync(t, { force: true });
    throw new UserError(`cannot write the result to ${dir}: ${(e as Error).message}`);
  }
  for (const [name] of files) renameSync(join(dir, `.${name}${suffix}`), join(dir, name));
  // An earlier result's files that this one does not have (e.g. ca.crt from another issuer) would mislead.
  for (const name of OUTPUT_FILES) if (!files.has(name)) rmSync(join(dir, name), { force: true });
  return [...files.keys()].map((n) => join(dir, n));
}
