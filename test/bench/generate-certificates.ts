/**
 * Deterministic generator for the language-server benchmark input: one YAML
 * file holding many cert-manager `Certificate` documents separated by `---`.
 *
 * Every document is valid against the cert-manager.io/v1 Certificate CRD,
 * except document `enumErrorDoc`, whose `spec.privateKey.algorithm` is `RSB`
 * (not in the enum RSA | ECDSA | Ed25519).
 *
 * The generator also returns the positions the benchmark needs (the error
 * site, a second algorithm value to toggle during the edit phase, and the
 * `spec:` line used for completion), so that nothing has to be searched for
 * in the text afterwards.
 */

/** A `key: value` scalar whose last character the benchmark flips between `A` (valid) and `B` (invalid). */
export interface ValueSite {
  /** 1-based document number. */
  doc: number;
  /** 0-based line of the value. */
  line: number;
  /** 0-based column of the first character of the value. */
  valueStart: number;
  /** The value as generated. */
  value: string;
}

interface LineSite {
  /** 1-based document number. */
  doc: number;
  /** 0-based line. */
  line: number;
  /** Length of the line, i.e. the column of its end. */
  length: number;
}

export interface GeneratorOptions {
  /** Number of Certificate documents (default 2000). */
  docs?: number;
  /** 1-based document whose privateKey.algorithm is the invalid `RSB` (default 1990). */
  enumErrorDoc?: number;
  /** 1-based document with `algorithm: ECDSA` toggled to `ECDSB` during edits (default 1000). */
  toggleDoc?: number;
  /** 1-based document in which completion is requested under `spec:` (default 1995). */
  completionDoc?: number;
}

export interface GeneratedCertificates {
  text: string;
  docs: number;
  lines: number;
  bytes: number;
  /** `algorithm: RSB` — the single enum error of the file. */
  enumError: ValueSite;
  /** `algorithm: ECDSA` — valid as generated, made invalid (`ECDSB`) by some edits. */
  toggle: ValueSite;
  /** The `spec:` line of the completion document. */
  completionSpec: LineSite;
  /** An existing key inside the completion document's spec (`  commonName: ...`), used as a fallback completion position. */
  completionExistingKey: LineSite;
}

const TEAMS = ['payments', 'search', 'identity', 'catalog', 'checkout', 'media', 'billing', 'platform'] as const;
const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
const ISSUERS = [
  { name: 'letsencrypt-prod', kind: 'ClusterIssuer' },
  { name: 'letsencrypt-staging', kind: 'ClusterIssuer' },
  { name: 'internal-ca', kind: 'Issuer' },
] as const;
const ORGANIZATIONS = ['Example Corp', 'Example Labs', 'Example Payments GmbH'] as const;

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

/** Generates the benchmark file. Same options, same bytes. */
export function generateCertificates(options: GeneratorOptions = {}): GeneratedCertificates {
  const docs = options.docs ?? 2000;
  const enumErrorDoc = options.enumErrorDoc ?? 1990;
  const toggleDoc = options.toggleDoc ?? 1000;
  const completionDoc = options.completionDoc ?? 1995;
  for (const [name, doc] of Object.entries({ enumErrorDoc, toggleDoc, completionDoc })) {
    if (!Number.isInteger(doc) || doc < 1 || doc > docs) throw new Error(`${name} must be a document number in 1..${docs}`);
  }
  if (new Set([enumErrorDoc, toggleDoc, completionDoc]).size !== 3) {
    throw new Error('enumErrorDoc, toggleDoc and completionDoc must be different documents');
  }

  const out: string[] = [];
  let enumError: ValueSite | undefined;
  let toggle: ValueSite | undefined;
  let completionSpec: LineSite | undefined;
  let completionExistingKey: LineSite | undefined;

  /** Appends a line and returns its 0-based index. */
  const push = (line: string): number => out.push(line) - 1;

  for (let doc = 1; doc <= docs; doc++) {
    const i = doc - 1;
    const team = pick(TEAMS, i);
    const env = pick(ENVIRONMENTS, Math.floor(i / TEAMS.length));
    const name = `svc-${String(doc).padStart(4, '0')}`;
    const namespace = `${team}-${env}`;
    const host = `${name}.${team}.${env}.example.com`;
    const issuer = pick(ISSUERS, Math.floor(i / 5));
    // Document toggleDoc is always ECDSA, enumErrorDoc always RSA (as `RSB`); others: every 4th is ECDSA.
    const ecdsa = doc === toggleDoc || (doc !== enumErrorDoc && doc % 4 === 0);
    const algorithm = doc === enumErrorDoc ? 'RSB' : ecdsa ? 'ECDSA' : 'RSA';

    push('---');
    push('apiVersion: cert-manager.io/v1');
    push('kind: Certificate');
    push('metadata:');
    push(`  name: ${name}-tls`);
    push(`  namespace: ${namespace}`);
    push('  labels:');
    push(`    app.kubernetes.io/name: ${name}`);
    push(`    app.kubernetes.io/part-of: ${team}`);
    const specLine = push('spec:');
    push(`  secretName: ${name}-tls`);
    push('  issuerRef:');
    push(`    name: ${issuer.name}`);
    push(`    kind: ${issuer.kind}`);
    push('    group: cert-manager.io');
    const commonNameLine = push(`  commonName: ${host}`);
    push('  dnsNames:');
    push(`    - ${host}`);
    push(`    - ${name}.${namespace}.svc.cluster.local`);
    if (doc % 3 === 0) push(`    - ${name}.${namespace}.svc`);
    push('  duration: 2160h');
    push('  renewBefore: 360h');
    push('  privateKey:');
    const algorithmLine = push(`    algorithm: ${algorithm}`);
    push(`    encoding: ${doc % 2 === 0 ? 'PKCS8' : 'PKCS1'}`);
    push(`    size: ${ecdsa ? 256 : 2048}`);
    push('    rotationPolicy: Always');
    push('  usages:');
    push('    - server auth');
    push('    - digital signature');
    push('    - key encipherment');
    push('  subject:');
    push('    organizations:');
    push(`      - ${pick(ORGANIZATIONS, i)}`);

    const site: ValueSite = { doc, line: algorithmLine, valueStart: '    algorithm: '.length, value: algorithm };
    if (doc === enumErrorDoc) enumError = site;
    if (doc === toggleDoc) toggle = site;
    if (doc === completionDoc) {
      completionSpec = { doc, line: specLine, length: 'spec:'.length };
      const keyLine = out[commonNameLine] ?? '';
      completionExistingKey = { doc, line: commonNameLine, length: keyLine.length };
    }
  }

  if (!enumError || !toggle || !completionSpec || !completionExistingKey) {
    throw new Error('generator bug: a benchmark site was not produced');
  }
  const text = out.join('\n') + '\n';
  return {
    text,
    docs,
    lines: out.length,
    bytes: Buffer.byteLength(text, 'utf8'),
    enumError,
    toggle,
    completionSpec,
    completionExistingKey,
  };
}
