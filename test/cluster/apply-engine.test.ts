/**
 * engine/cluster against a real kube-apiserver (v1.34.3, test/world/kube-apiserver.ts):
 * server-side apply and its dry run through applyObjects, with the answers
 * mapped to YAML positions. The CLI has its own file (apply-cli.test.ts).
 *
 * The admin context's default namespace is "apps" here, so that objects
 * without metadata.namespace show where they land. No controllers run: the
 * objects get no status, and Namespaces are never finalized.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyObjects, type ApplyReport, type ObjectResult } from '../../engine/cluster/apply.js';
import { ClusterConnection } from '../../engine/cluster/connection.js';
import { loadKubeconfig } from '../../engine/cluster/kubeconfig.js';
import { readManifestObjects } from '../../engine/cluster/source-objects.js';
import { grantCertificateReader, installCertManagerCrds, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const skip = kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``;
const ADMIN_CONTEXT = 'admin@certsmith-test';

let kube: KubeApiServer;

before(async () => {
  if (skip) return;
  kube = await startKubeApiServer({ adminNamespace: 'apps', readerNamespace: 'team-a' });
}, { timeout: 150_000 });

after(async () => {
  await kube?.stop();
});

/** Dedents a template literal. */
function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '').replace(/^\n/, '');
  const indent = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return text
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n')
    .replace(/\n *$/, '\n');
}

interface RunOptions {
  dryRun?: boolean;
  forceConflicts?: boolean;
  kubeconfig?: string;
  namespace?: string;
  /** The namespace is the editor's choice (a default), not -n. */
  namespaceIsDefault?: boolean;
}

async function run(text: string, o: RunOptions = {}): Promise<ApplyReport> {
  const { objects, problems } = readManifestObjects([{ display: 'm.yaml', text }]);
  assert.deepEqual(problems, [], 'the test manifests are complete');
  const target = loadKubeconfig({ kubeconfig: o.kubeconfig ?? kube.adminKubeconfig, namespace: o.namespace, namespaceIsDefault: o.namespaceIsDefault });
  const conn = await ClusterConnection.open(target, { timeoutMs: 20_000 });
  try {
    const report = await applyObjects(conn, objects, { dryRun: o.dryRun, forceConflicts: o.forceConflicts });
    assert.equal(report.fatal, undefined, report.fatal?.message);
    return report;
  } finally {
    conn.close();
  }
}

/** `line:col` (1-based) of the n-th occurrence of `token` on the first line that contains `lineText`. */
function pos(text: string, lineText: string, token = lineText): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(lineText));
  assert.ok(i >= 0, `no line with ${lineText}`);
  return `${i + 1}:${lines[i].indexOf(token) + 1}`;
}

function at(r: ObjectResult): string[] {
  return r.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
}

function byLabel(report: ApplyReport, label: string): ObjectResult {
  const r = report.results.find((x) => x.label === label);
  assert.ok(r, `${label} in ${report.results.map((x) => x.label).join(', ')}`);
  return r;
}

async function kubectlJson(args: string[]): Promise<any> {
  const r = await kube.kubectl([...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const CERTIFICATE = y`
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: web
  spec:
    secretName: web-tls
    dnsNames:
      - web.example.test
    issuerRef:
      name: ca
      kind: Issuer
`;

test('before cert-manager is installed: the kind is not served, said on the kind line', { skip, timeout: 60_000 }, async () => {
  const text = CERTIFICATE + '---\n' + y`
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata:
      name: gw
    spec:
      gatewayClassName: example
      listeners: [{name: http, protocol: HTTP, port: 80}]
  `;
  const report = await run(text, { dryRun: true });
  const cert = byLabel(report, 'certificate.cert-manager.io/web');
  assert.equal(cert.outcome, 'rejected');
  assert.deepEqual(at(cert), [`${pos(text, 'kind: Certificate', 'kind')} cluster-kind-not-served`]);
  assert.equal(cert.diagnostics[0].message, `cert-manager is not installed in context "${ADMIN_CONTEXT}": no certificates.cert-manager.io`);
  assert.equal(cert.diagnostics[0].source, 'certsmith-cluster');
  // The whole `kind: Certificate` line.
  assert.equal(cert.diagnostics[0].range.end.character, 'kind: Certificate'.length);
  const gw = byLabel(report, 'gateway.gateway.networking.k8s.io/gw');
  assert.equal(gw.diagnostics[0].message, `the Gateway API is not installed in context "${ADMIN_CONTEXT}": no gateways.gateway.networking.k8s.io`);

  await installCertManagerCrds(kube.adminKubeconfig);
});

const SET = y`
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
  spec:
    tls:
      - hosts: [web.example.test]
        secretName: web-tls
    rules:
      - host: web.example.test
        http:
          paths:
            - path: /
              pathType: Prefix
              backend: {service: {name: web, port: {number: 80}}}
`
  + '---\n' + CERTIFICATE + '---\n' + y`
  apiVersion: cert-manager.io/v1
  kind: ClusterIssuer
  metadata:
    name: selfsigned
    namespace: apps   # cluster-scoped: dropped, as kubectl does
  spec:
    selfSigned: {}
  ---
  apiVersion: cert-manager.io/v1
  kind: Issuer
  metadata:
    name: ca
  spec:
    ca:
      secretName: ca-key-pair
  ---
  apiVersion: v1
  kind: Secret
  metadata:
    name: basic
    namespace: team-b
  stringData:
    password: correct-horse-battery-staple
  ---
  apiVersion: v1
  kind: Namespace
  metadata:
    name: team-b
  ---
  apiVersion: v1
  kind: Namespace
  metadata:
    name: apps
`;

test('create in dependency order, then re-apply unchanged YAML: nothing changes (same resourceVersion)', { skip, timeout: 60_000 }, async () => {
  const first = await run(SET);
  assert.deepEqual(
    first.results.map((r) => `${r.label} ${r.outcome}`),
    [
      'namespace/team-b created',
      'namespace/apps created',
      'clusterissuer.cert-manager.io/selfsigned created',
      'issuer.cert-manager.io/ca created',
      'secret/basic created',
      'certificate.cert-manager.io/web created',
      'ingress.networking.k8s.io/web created',
    ],
  );
  // Namespaces: from the document, else the context's ("apps"); none for cluster-scoped kinds.
  assert.deepEqual(
    first.results.map((r) => r.namespace ?? '-'),
    ['-', '-', '-', 'apps', 'team-b', 'apps', 'apps'],
  );
  assert.deepEqual(first.results.map((r) => r.namespaceOrigin ?? '-'), ['-', '-', '-', 'context', 'document', 'context', 'context']);
  const cert = await kubectlJson(['get', 'certificate', 'web', '-n', 'apps', '--show-managed-fields']);
  assert.equal(cert.metadata.resourceVersion, byLabel(first, 'certificate.cert-manager.io/web').resourceVersion);
  assert.deepEqual(
    cert.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager} ${m.operation}`),
    ['certsmith Apply'],
  );
  const issuer = await kubectlJson(['get', 'clusterissuer', 'selfsigned']);
  assert.equal(issuer.metadata.namespace, undefined);

  const second = await run(SET);
  for (const r of second.results) {
    const before = byLabel(first, r.label);
    if (r.label.startsWith('namespace/')) {
      // The API server itself moves the fields it set on a new Namespace (the
      // kubernetes.io/metadata.name label, the finalizer) to a "before-first-apply"
      // manager at the first re-apply: one write, once; the third apply shows it.
      continue;
    }
    assert.equal(r.outcome, 'unchanged', r.label);
    assert.equal(r.resourceVersion, before.resourceVersion, r.label);
    assert.equal(r.previousResourceVersion, before.resourceVersion, r.label);
  }
  const third = await run(SET);
  assert.deepEqual(third.results.map((r) => r.outcome), Array(7).fill('unchanged'));
  for (const r of third.results) assert.equal(r.resourceVersion, byLabel(second, r.label).resourceVersion, r.label);

  // A change is "configured", with a new resourceVersion.
  const changed = await run(CERTIFICATE.replace('web.example.test', 'www.example.test'));
  assert.equal(changed.results[0].outcome, 'configured');
  assert.notEqual(changed.results[0].resourceVersion, changed.results[0].previousResourceVersion);
  await run(CERTIFICATE);
});

test('a field another manager owns: the conflict names it and the field; --force-conflicts takes it over', { skip, timeout: 60_000 }, async () => {
  const other = await kube.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-'], kube.adminKubeconfig, {
    input: CERTIFICATE.replace('secretName: web-tls', 'secretName: other-tls').replace('  name: web\n', '  name: web\n  namespace: apps\n  labels:\n    team: other\n'),
  });
  assert.equal(other.code, 0, other.stderr);

  const report = await run(CERTIFICATE);
  const r = report.results[0];
  assert.equal(r.outcome, 'rejected');
  assert.deepEqual(r.conflicts, [{ manager: 'other', field: '.spec.secretName' }]);
  assert.equal(r.rejection?.httpStatus, 409);
  assert.deepEqual(at(r), [`${pos(CERTIFICATE, 'secretName', 'secretName')} cluster-conflict`]);
  assert.match(r.diagnostics[0].message, /^spec\.secretName is owned by field manager "other" \(server-side apply conflict\)\. Apply with --force-conflicts/);
  // Nothing was written.
  assert.equal((await kubectlJson(['get', 'certificate', 'web', '-n', 'apps'])).spec.secretName, 'other-tls');

  const forced = await run(CERTIFICATE, { forceConflicts: true });
  assert.equal(forced.results[0].outcome, 'configured');
  const live = await kubectlJson(['get', 'certificate', 'web', '-n', 'apps', '--show-managed-fields']);
  assert.equal(live.spec.secretName, 'web-tls');
  const owners = Object.fromEntries(live.metadata.managedFields.map((m: { manager: string; fieldsV1: { 'f:spec'?: object; 'f:metadata'?: object } }) => [m.manager, m.fieldsV1]));
  assert.ok('f:secretName' in (owners.certsmith['f:spec'] ?? {}), JSON.stringify(owners));
  // The other manager keeps what only it sets (the label).
  assert.ok(owners.other['f:metadata'], JSON.stringify(owners));
  assert.equal(live.metadata.labels.team, 'other');
});

const REJECTED = y`
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: enum
  spec:
    secretName: enum-tls
    dnsNames: [enum.example.test]
    issuerRef: {name: ca, kind: Issuer}
    privateKey:
      algorithm: DSA
  ---
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: typed
  spec:
    secretName: typed-tls
    dnsNames:
      - typed.example.test
      - 42
    issuerRef: {name: ca, kind: Issuer}
  ---
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: unknown
  spec:
    secretName: unknown-tls
    dnsNames: [unknown.example.test]
    issuerRef: {name: ca, kind: Issuer}
    renewBeforePercent: 30
  ---
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: Bad_Name
  spec:
    secretName: bad-tls
    dnsNames: [bad.example.test]
    issuerRef: {name: ca, kind: Issuer}
  ---
  apiVersion: v1
  kind: Secret
  metadata:
    name: basic
    namespace: team-b
  type: kubernetes.io/basic-auth
  stringData:
    password: correct-horse-battery-staple
  ---
  apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata:
    name: gw
  spec:
    gatewayClassName: example
    listeners:
      - name: http
        protocol: HTTP
        port: 80
        tls:
          mode: Terminate
          certificateRefs: [{name: web-tls}]
  ---
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: upper
  spec:
    rules:
      - host: UPPER.example.test
`;

test('dry run: every rejection at the line and column of the field the server names', { skip, timeout: 60_000 }, async () => {
  const report = await run(REJECTED, { dryRun: true });
  const text = REJECTED;
  const expect = (label: string, where: string[], message: RegExp[]) => {
    const r = byLabel(report, label);
    assert.equal(r.outcome, 'rejected', label);
    assert.deepEqual(at(r), where, label);
    r.diagnostics.forEach((d, i) => assert.match(d.message, message[i], label));
  };
  // CRD schema: an enum (OpenAPI validation, 422 with causes).
  expect('certificate.cert-manager.io/enum', [`${pos(text, 'algorithm: DSA', 'DSA')} cluster-rejected`], [/^spec\.privateKey\.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519"$/]);
  // CRD schema: a wrong type (server-side apply's typed patch, 500 without causes: the path is in the message).
  expect('certificate.cert-manager.io/typed', [`${pos(text, '- 42', '42')} cluster-rejected`], [/^spec\.dnsNames\[1\]: expected string, got 42$/]);
  // Strict field validation: an unknown field, on its key.
  expect('certificate.cert-manager.io/unknown', [`${pos(text, 'renewBeforePercent:', 'renewBeforePercent')} cluster-rejected`], [/^spec\.renewBeforePercent: field not declared in schema/]);
  // metadata.name (validated by the API server itself).
  expect('certificate.cert-manager.io/Bad_Name', [`${pos(text, 'name: Bad_Name', 'Bad_Name')} cluster-rejected`], [/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/]);
  // An immutable field of a core object: a Secret's type.
  expect('secret/basic', [`${pos(text, 'type: kubernetes.io/basic-auth', 'kubernetes.io/basic-auth')} cluster-rejected`], [/^type: Invalid value: "kubernetes\.io\/basic-auth": field is immutable$/]);
  // A Gateway API CEL rule (x-kubernetes-validations on spec.listeners).
  expect('gateway.gateway.networking.k8s.io/gw', [`${pos(text, 'listeners:', 'listeners')} cluster-rejected`], [/^spec\.listeners: Invalid value: "array": tls must not be specified for protocols \['HTTP', 'TCP', 'UDP'\]$/]);
  // Core validation of a built-in kind.
  expect('ingress.networking.k8s.io/upper', [`${pos(text, 'host: UPPER', 'UPPER')} cluster-rejected`], [/^spec\.rules\[0\]\.host: Invalid value: "UPPER\.example\.test": a lowercase RFC 1123 subdomain/]);
  // A dry run changes nothing.
  const secret = await kubectlJson(['get', 'secret', 'basic', '-n', 'team-b']);
  assert.equal(secret.type, 'Opaque');
  const gone = await kube.kubectl(['get', 'certificate', 'enum', '-n', 'apps']);
  assert.match(gone.stderr, /NotFound/);
});

test('dry run: required fields that are missing go to the nearest key that exists', { skip, timeout: 30_000 }, async () => {
  const text = y`
    apiVersion: cert-manager.io/v1
    kind: Certificate
    metadata:
      name: incomplete
    spec:
      dnsNames: [incomplete.example.test]
  `;
  const r = (await run(text, { dryRun: true })).results[0];
  assert.deepEqual(at(r), ['5:1 cluster-rejected', '5:1 cluster-rejected']);
  assert.deepEqual(r.diagnostics.map((d) => d.message).sort(), ['spec.issuerRef: Required value', 'spec.secretName: Required value']);
  assert.deepEqual(r.diagnostics.map((d) => d.path).sort(), ['spec.issuerRef', 'spec.secretName']);
});

test('a missing namespace is said on the kind line with where the namespace came from; one this apply creates is not checked by a dry run', { skip, timeout: 30_000 }, async () => {
  const inDoc = CERTIFICATE.replace('  name: web\n', '  name: web\n  namespace: nowhere\n');
  const a = (await run(inDoc, { dryRun: true })).results[0];
  assert.equal(a.outcome, 'rejected');
  assert.deepEqual(at(a), ['2:1 cluster-namespace-missing']);
  assert.equal(a.diagnostics[0].message, `Namespace "nowhere" (its metadata.namespace) does not exist in context "${ADMIN_CONTEXT}". Create it, or apply a Namespace object with the manifests.`);
  const fromFlag = (await run(CERTIFICATE, { namespace: 'ghost' })).results[0];
  assert.match(fromFlag.diagnostics[0].message, /^Namespace "ghost" \(--namespace\) does not exist/);
  // The editor's namespace is a default, not -n: it is named as such, and a document naming another namespace is not refused for it.
  const fromEditor = (await run(CERTIFICATE, { namespace: 'ghost', namespaceIsDefault: true, dryRun: true })).results[0];
  assert.match(fromEditor.diagnostics[0].message, /^Namespace "ghost" \(the namespace chosen in the editor\) does not exist/);
  const otherInDoc = (await run(inDoc, { namespace: 'ghost', namespaceIsDefault: true, dryRun: true })).results[0];
  assert.deepEqual(at(otherInDoc), ['2:1 cluster-namespace-missing'], 'checked in its own namespace, not refused as a mismatch');
  assert.equal((await run(inDoc, { namespace: 'ghost', dryRun: true })).results[0].diagnostics[0].code, 'cluster-namespace-mismatch', 'with -n it is refused, as kubectl does');

  // The Namespace is in the same files: a dry run cannot check what goes into it.
  const withNs = `${inDoc}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: nowhere\n`;
  const report = await run(withNs, { dryRun: true });
  assert.deepEqual(report.results.map((r) => `${r.label} ${r.outcome}`), ['namespace/nowhere created', 'certificate.cert-manager.io/web skipped']);
  assert.equal(report.results[1].diagnostics[0].code, 'cluster-not-checked');
  assert.equal(report.results[1].diagnostics[0].severity, 'information');
  // For real: the Namespace first, then the Certificate in it.
  const applied = await run(withNs);
  assert.deepEqual(applied.results.map((r) => `${r.label} ${r.outcome}`), ['namespace/nowhere created', 'certificate.cert-manager.io/web created']);
});

test('RBAC: the reader may read Certificates in its namespace but not write them; the denial names user, verb, resource and namespace', { skip, timeout: 60_000 }, async () => {
  await grantCertificateReader({ adminKubeconfig: kube.adminKubeconfig, namespace: 'team-a', userKubeconfig: kube.readerKubeconfig });
  for (const dryRun of [true, false]) {
    const r = (await run(CERTIFICATE, { kubeconfig: kube.readerKubeconfig, dryRun })).results[0];
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.namespace, 'team-a');
    assert.deepEqual(r.forbidden, { user: 'reader', verb: 'patch', resource: 'certificates', group: 'cert-manager.io', namespace: 'team-a' });
    assert.deepEqual(at(r), ['2:1 cluster-forbidden']);
    assert.equal(
      r.diagnostics[0].message,
      'certificates.cert-manager.io "web" is forbidden: User "reader" cannot patch resource "certificates" in API group "cert-manager.io" in the namespace "team-a" (context "reader@certsmith-test")',
    );
  }
  // Cluster scope is named as such.
  const ci = (await run('apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: x\nspec:\n  selfSigned: {}\n', { kubeconfig: kube.readerKubeconfig })).results[0];
  assert.deepEqual(ci.forbidden, { user: 'reader', verb: 'patch', resource: 'clusterissuers', group: 'cert-manager.io' });
  assert.match(ci.diagnostics[0].message, /at the cluster scope/);
});

test('Secret values are in no message, even where the API server quotes them', { skip, timeout: 30_000 }, async () => {
  const SECRETS = ['TopSecretToken123', '98765432', 'correct-horse-battery-staple', 'SecretCertBody'];
  const text = y`
    apiVersion: v1
    kind: Secret
    metadata:
      name: dockercfg
      namespace: team-b
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '{"auths": not-json-TopSecretToken123'
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: numbers
      namespace: team-b
    stringData:
      pin: 98765432
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: basic
      namespace: team-b
    type: kubernetes.io/tls
    stringData:
      password: correct-horse-battery-staple
    data:
      tls.crt: ${Buffer.from('not-a-cert-SecretCertBody').toString('base64')}
  `;
  const report = await run(text, { dryRun: true });
  assert.deepEqual(report.results.map((r) => r.outcome), ['rejected', 'rejected', 'rejected']);
  // The rejection is still where it belongs: stringData.<key> for a data[<key>] the server names.
  assert.deepEqual(at(byLabel(report, 'secret/dockercfg')), [`${pos(text, '.dockerconfigjson:', "'")} cluster-rejected`]);
  assert.deepEqual(at(byLabel(report, 'secret/numbers')), [`${pos(text, 'pin: 98765432', '98765432')} cluster-rejected`]);
  const shown = JSON.stringify(report.results.map((r) => ({ d: r.diagnostics, rejection: r.rejection })));
  for (const s of SECRETS) assert.ok(!shown.includes(s), `${s} in ${shown}`);
  assert.match(shown, /secret value hidden/);
});
