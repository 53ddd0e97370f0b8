/**
 * `certsmith apply` (dist/cli.js; run `npm run build` first) against a real
 * kube-apiserver: its text and JSON output, exit statuses, kubeconfig
 * options, and the errors a person gets when the cluster cannot be used
 * (refused, untrusted CA, 401, timeout). Every output of every run is kept,
 * and at the end none may contain a Secret value.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { ROOT, runCli, type CliResult } from '../support/cli.js';
import { freePort } from '../world/free-port.js';
import { grantCertificateReader, installCertManagerCrds, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const skip = kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``;
const CONTEXT = 'admin@certsmith-test';
const SECRET_VALUES = ['Pa55-w0rd-never-printed', 'private-token-never-printed'];

let kube: KubeApiServer;
let dir: string;
const outputs: string[] = [];

before(async () => {
  if (skip) return;
  kube = await startKubeApiServer({ adminNamespace: 'apps', readerNamespace: 'team-a' });
  mkdirSync(join(ROOT, 'test', '.tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, 'test', '.tmp', 'apply-cli-'));
  for (const ns of ['apps', 'team-a']) assert.equal((await kube.kubectl(['create', 'namespace', ns])).code, 0);
}, { timeout: 150_000 });

after(async () => {
  await kube?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs the CLI and keeps its output for the Secret check; never a stack trace. */
function cli(args: string[], env?: NodeJS.ProcessEnv): CliResult {
  const r = runCli(['apply', ...args], { cwd: dir, env: env ?? { ...process.env, KUBECONFIG: '', HOME: dir }, timeoutMs: 60_000 });
  outputs.push(r.stdout, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `stack trace:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/, r.stderr);
  return r;
}

const CERT = [
  'apiVersion: cert-manager.io/v1',
  'kind: Certificate',
  'metadata:',
  '  name: web',
  'spec:',
  '  secretName: web-tls',
  '  dnsNames:',
  '    - web.example.test',
  '  issuerRef:',
  '    name: ca',
  '    kind: Issuer',
  '',
].join('\n');

const SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: creds',
  'stringData:',
  `  password: ${SECRET_VALUES[0]}`,
  'data:',
  `  token: ${Buffer.from(SECRET_VALUES[1]).toString('base64')}`,
  '',
].join('\n');

test('cert-manager not installed: exit 1, and the reason on the kind line', { skip, timeout: 90_000 }, () => {
  const f = write('cert.yaml', CERT);
  const r = cli(['--kubeconfig', kube.adminKubeconfig, 'cert.yaml']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(
    r.stdout,
    [
      'certificate.cert-manager.io/web rejected',
      `cert.yaml:2:1: error: cert-manager is not installed in context "${CONTEXT}": no certificates.cert-manager.io [cluster-kind-not-served]`,
      `1 object applied to context "${CONTEXT}" (${kube.server}): 1 rejected.`,
      '',
    ].join('\n'),
  );
  assert.ok(f);
});

test('apply: one line per object in dependency order; unchanged on re-apply; exit 0', { skip, timeout: 90_000 }, async () => {
  await installCertManagerCrds(kube.adminKubeconfig);
  write('all.yaml', `${CERT}---\n${SECRET}---\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ca\nspec:\n  ca:\n    secretName: ca-key-pair\n`);
  const first = cli(['--kubeconfig', kube.adminKubeconfig, 'all.yaml']);
  assert.equal(first.status, 0, first.stderr + first.stdout);
  assert.equal(
    first.stdout,
    ['secret/creds created', 'issuer.cert-manager.io/ca created', 'certificate.cert-manager.io/web created', `3 objects applied to context "${CONTEXT}" (${kube.server}): 3 created.`, ''].join('\n'),
  );
  const again = cli(['--kubeconfig', kube.adminKubeconfig, 'all.yaml']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(
    again.stdout,
    ['secret/creds unchanged', 'issuer.cert-manager.io/ca unchanged', 'certificate.cert-manager.io/web unchanged', `3 objects applied to context "${CONTEXT}" (${kube.server}): 3 unchanged.`, ''].join('\n'),
  );
  // Into the context's namespace ("apps"), under field manager certsmith.
  const got = await kube.kubectl(['get', 'certificate', 'web', '-n', 'apps', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
  assert.equal(got.stdout, 'certsmith', got.stderr);
});

test('KUBECONFIG with two files, --context and -n pick the cluster and namespace', { skip, timeout: 60_000 }, () => {
  // A second file in front holds a context for a cluster that does not answer; its current-context wins unless --context says otherwise.
  const dead = parse(readFileSync(kube.adminKubeconfig, 'utf8'));
  dead.clusters[0].name = 'dead';
  dead.clusters[0].cluster.server = 'https://127.0.0.1:1';
  dead.contexts[0].name = 'dead';
  dead.contexts[0].context.cluster = 'dead';
  dead['current-context'] = 'dead';
  write('dead.kubeconfig', stringify(dead));
  const env = { ...process.env, HOME: dir, KUBECONFIG: [join(dir, 'missing.kubeconfig'), join(dir, 'dead.kubeconfig'), kube.adminKubeconfig].join(delimiter) };
  const refused = cli(['all.yaml'], env);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /context "dead" at https:\/\/127\.0\.0\.1:1: connection refused/);
  const r = cli(['--context', CONTEXT, '-n', 'team-a', 'cert.yaml'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n')[0], 'certificate.cert-manager.io/web created');
  // A namespace in the document that differs from -n is refused, as kubectl does.
  write('cert-ns.yaml', CERT.replace('  name: web\n', '  name: web\n  namespace: apps\n'));
  const mismatch = cli(['--context', CONTEXT, '-n', 'team-a', 'cert-ns.yaml'], env);
  assert.equal(mismatch.status, 1);
  assert.match(mismatch.stdout, /cert-ns\.yaml:5:14: error: metadata\.namespace is "apps" but --namespace is "team-a"; kubectl refuses this too\..* \[cluster-namespace-mismatch\]/);
});

const BAD = [
  'apiVersion: cert-manager.io/v1',
  'kind: Certificate',
  'metadata:',
  '  name: bad',
  'spec:',
  '  secretName: bad-tls',
  '  dnsNames: [bad.example.test]',
  '  issuerRef: {name: ca, kind: Issuer}',
  '  privateKey:',
  '    algorithm: DSA',
  '  bogus: 1',
  '---',
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: creds',
  'type: kubernetes.io/basic-auth',
  'stringData:',
  `  password: ${SECRET_VALUES[0]}`,
  '',
].join('\n');

test('--dry-run --format json: lint\'s JSON with the cluster diagnostics, plus the objects', { skip, timeout: 60_000 }, () => {
  write('bad.yaml', BAD);
  const r = cli(['--kubeconfig', kube.adminKubeconfig, '--dry-run', '--format', 'json', 'bad.yaml', 'all.yaml']);
  assert.equal(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout);
  // Same shape as `certsmith lint --format json`.
  const lint = JSON.parse(runCli(['lint', '--format', 'json', 'bad.yaml'], { cwd: dir }).stdout);
  assert.deepEqual(Object.keys(json.summary), Object.keys(lint.summary));
  assert.deepEqual(Object.keys(json.files[0]), Object.keys(lint.files[0]));
  assert.deepEqual(Object.keys(json.files[0].diagnostics[0]).slice(0, 4), Object.keys(lint.files[0].diagnostics[0]));
  assert.deepEqual(json.files.map((f: { path: string }) => f.path), ['bad.yaml', 'all.yaml']);
  assert.equal(json.context, CONTEXT);
  assert.equal(json.dryRun, true);
  assert.equal(json.fieldManager, 'certsmith');
  assert.deepEqual(json.summary, { errors: 2, warnings: 0 });
  const where = (d: { range: { start: { line: number; character: number } }; code: string; source: string }) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.source}`;
  // SSA reports the first typed-patch error only (here: the unknown field); the enum would come next.
  assert.deepEqual(json.files[0].diagnostics.map(where), ['10:2 cluster-rejected certsmith-cluster', '16:6 cluster-rejected certsmith-cluster']);
  assert.match(json.files[0].diagnostics[0].message, /^spec\.bogus: field not declared in schema/);
  assert.equal(json.files[0].diagnostics[1].message, 'type: Invalid value: "kubernetes.io/basic-auth": field is immutable');
  assert.deepEqual(
    json.objects.map((o: { label: string; outcome: string; namespace?: string; file: string }) => `${o.file} ${o.label} ${o.outcome} ${o.namespace}`),
    ['bad.yaml secret/creds rejected apps', 'all.yaml secret/creds configured apps', 'all.yaml issuer.cert-manager.io/ca configured apps', 'bad.yaml certificate.cert-manager.io/bad rejected apps', 'all.yaml certificate.cert-manager.io/web configured apps'],
  );
  const bad = json.objects.find((o: { name: string }) => o.name === 'bad');
  assert.equal(bad.httpStatus, 500);
  assert.equal(bad.rejection, 'invalid');
  assert.deepEqual(bad.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 17 } });

  const text = cli(['--kubeconfig', kube.adminKubeconfig, '--dry-run', 'bad.yaml']);
  assert.equal(text.status, 1);
  assert.deepEqual(text.stdout.split('\n').slice(0, 4), [
    'secret/creds rejected (server dry run)',
    'certificate.cert-manager.io/bad rejected (server dry run)',
    'bad.yaml:11:3: error: spec.bogus: field not declared in schema: the API server does not know this field (strict field validation) [cluster-rejected]',
    'bad.yaml:17:7: error: type: Invalid value: "kubernetes.io/basic-auth": field is immutable [cluster-rejected]',
  ]);
  assert.match(text.stdout, /2 objects checked against context "admin@certsmith-test" \(https:\/\/127\.0\.0\.1:\d+\), server dry run: nothing was changed: 2 rejected\.\n$/);
  // Without the unknown field, the enum comes back, at its value.
  write('enum.yaml', BAD.split('---')[0].replace('  bogus: 1\n', ''));
  const e = cli(['--kubeconfig', kube.adminKubeconfig, '--dry-run', 'enum.yaml']);
  assert.match(e.stdout, /^enum\.yaml:10:16: error: spec\.privateKey\.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519" \[cluster-rejected\]$/m);
});

test('a conflict with another field manager: exit 1; --force-conflicts: exit 0', { skip, timeout: 60_000 }, async () => {
  const other = await kube.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-n', 'apps', '-f', '-'], kube.adminKubeconfig, { input: CERT.replace('- web.example.test', '- www.example.test') });
  assert.equal(other.code, 0, other.stderr);
  const r = cli(['--kubeconfig', kube.adminKubeconfig, 'cert.yaml']);
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout.split('\n')[1],
    'cert.yaml:7:3: error: spec.dnsNames is owned by field manager "other" (server-side apply conflict). Apply with --force-conflicts to take it over, or remove the field here to leave it to "other". [cluster-conflict]',
  );
  const json = JSON.parse(cli(['--kubeconfig', kube.adminKubeconfig, '--format', 'json', 'cert.yaml']).stdout);
  assert.deepEqual(json.objects[0].conflicts, [{ manager: 'other', field: '.spec.dnsNames' }]);
  const forced = cli(['--kubeconfig', kube.adminKubeconfig, '--force-conflicts', 'cert.yaml']);
  assert.equal(forced.status, 0, forced.stdout);
  assert.equal(forced.stdout.split('\n')[0], 'certificate.cert-manager.io/web configured');
});

test('RBAC denial for the reader: exit 1, with the user, verb, resource and namespace', { skip, timeout: 60_000 }, async () => {
  await grantCertificateReader({ adminKubeconfig: kube.adminKubeconfig, namespace: 'team-a', userKubeconfig: kube.readerKubeconfig });
  const r = cli(['--kubeconfig', kube.readerKubeconfig, '--dry-run', 'cert.yaml']);
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout.split('\n')[1],
    'cert.yaml:2:1: error: certificates.cert-manager.io "web" is forbidden: User "reader" cannot patch resource "certificates" in API group "cert-manager.io" in the namespace "team-a" (context "reader@certsmith-test") [cluster-forbidden]',
  );
  const json = JSON.parse(cli(['--kubeconfig', kube.readerKubeconfig, '--format', 'json', 'cert.yaml']).stdout);
  assert.deepEqual(json.objects[0].forbidden, { user: 'reader', verb: 'patch', resource: 'certificates', group: 'cert-manager.io', namespace: 'team-a' });
});

/** A copy of the admin kubeconfig with a change. */
function variant(name: string, change: (c: any) => void): string {
  const c = parse(readFileSync(kube.adminKubeconfig, 'utf8'));
  change(c);
  return write(name, stringify(c));
}

test('connection refused, untrusted CA, 401 and a timeout: exit 2, one message naming context and address', { skip, timeout: 90_000 }, async () => {
  const port = await freePort();
  const refused = variant('refused.kubeconfig', (c) => (c.clusters[0].cluster.server = `https://127.0.0.1:${port}`));
  let r = cli(['--kubeconfig', refused, 'cert.yaml']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    `certsmith: cannot reach the API server of context "${CONTEXT}" at https://127.0.0.1:${port}: connection refused\n  hint: Is the cluster running, and is this its address? (kubectl config view shows the kubeconfig in use)\n`,
  );

  const otherCa = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=Another CA', '-days', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const wrongCa = variant('wrong-ca.kubeconfig', (c) => (c.clusters[0].cluster['certificate-authority-data'] = Buffer.from(otherCa).toString('base64')));
  r = cli(['--kubeconfig', wrongCa, '--dry-run', 'cert.yaml']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^certsmith: the API server of context "${CONTEXT}" at ${kube.server.replace(/\./g, '\\.')} is not trusted: its certificate is not signed by the CA the kubeconfig names for cluster "certsmith-test" \\(unable to verify the first certificate\\)\n  hint: Check certificate-authority`));

  const token = variant('token.kubeconfig', (c) => (c.users[0].user = { token: SECRET_VALUES[1] }));
  r = cli(['--kubeconfig', token, 'cert.yaml']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^certsmith: the API server of context "admin@certsmith-test" at https:\/\/127\.0\.0\.1:\d+ does not accept the credentials of user "admin" \(401 Unauthorized\): they are wrong or have expired\n/);

  // A server that accepts connections and never answers.
  const silent = net.createServer(() => {});
  await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
  try {
    const slow = variant('slow.kubeconfig', (c) => (c.clusters[0].cluster.server = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`));
    const started = Date.now();
    r = cli(['--kubeconfig', slow, '--request-timeout', '1s', 'cert.yaml']);
    assert.equal(r.status, 2);
    assert.ok(Date.now() - started < 15_000);
    assert.match(r.stderr, /did not answer discovery \(GET \/apis\/cert-manager\.io\/v1\) within 1 s\n  hint: .*--request-timeout/);
  } finally {
    silent.close();
  }

  // JSON callers get the error as data too.
  const json = JSON.parse(cli(['--kubeconfig', refused, '--format', 'json', 'cert.yaml']).stdout);
  assert.equal(json.error.kind, 'unreachable');
  assert.equal(json.objects[0].outcome, 'not-sent');
});

test('usage and kubeconfig problems: exit 2 without a stack trace', { skip, timeout: 30_000 }, () => {
  assert.equal(cli([]).status, 2);
  assert.match(cli(['--bogus', 'cert.yaml']).stderr, /Unknown option '--bogus'/);
  assert.match(cli(['--kubeconfig', join(dir, 'nope'), 'cert.yaml']).stderr, /the kubeconfig .*nope \(--kubeconfig\) does not exist/);
  assert.match(cli(['cert.yaml']).stderr, /no kubeconfig: .*\.kube\/config does not exist and KUBECONFIG is not set/);
  assert.match(cli(['--kubeconfig', kube.adminKubeconfig, '--context', 'prod', 'cert.yaml']).stderr, /context "prod" \(--context\) is not in the kubeconfig/);
  assert.match(cli(['--kubeconfig', kube.adminKubeconfig, '--request-timeout', 'soon', 'cert.yaml']).stderr, /--request-timeout/);
  // Manifests that cannot be sent: exit 1, nothing sent.
  write('broken.yaml', 'kind: Certificate\nmetadata:\n  name: x\n');
  const broken = cli(['--kubeconfig', kube.adminKubeconfig, 'broken.yaml']);
  assert.equal(broken.status, 1);
  assert.equal(broken.stdout, 'broken.yaml:1:1: error: This object has no apiVersion, so it cannot be sent to a cluster. [cluster-object-incomplete]\nNothing was sent to a cluster: 1 error in the manifests.\n');
});

test('no Secret value in any output of this file', { skip }, () => {
  assert.ok(outputs.length > 20);
  const all = outputs.join('\n');
  for (const s of SECRET_VALUES) {
    assert.ok(!all.includes(s), `${s} was printed`);
    assert.ok(!all.includes(Buffer.from(s).toString('base64')), `${s} was printed (base64)`);
  }
});
