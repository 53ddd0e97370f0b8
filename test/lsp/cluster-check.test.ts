/**
 * The language server's opt-in checks against a cluster, driven through the
 * real server bundle (dist/server.js --stdio, which requires dist/lsp-cluster.js
 * only when switched on) and a real kube-apiserver + etcd
 * (test/world/kube-apiserver.ts): the certsmith.cluster.* settings,
 * the dry run and inventory requests (protocol/messages.ts), the dry run
 * on save, the live Issuers/ClusterIssuers/Secrets in the cross-resource checks.
 *
 * Everything the servers write to their client is captured: no Secret value of
 * the cluster may appear in it. Tests that need no API server (setting off;
 * unreachable or silent address) run without the Kubernetes binaries.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { CheckAgainstClusterRequest, RefreshClusterInventoryRequest } from '../../protocol/messages.js';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { freePort } from '../world/free-port.js';
import { installCertManagerCrds, kubectlOk, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const SERVER = join(ROOT, 'dist', 'server.js');
const skip = kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``;
const ADMIN_CONTEXT = 'admin@certsmith-test';
const READER_CONTEXT = 'reader@certsmith-test';
/** A Secret value in the cluster (also in kubectl's last-applied annotation): must never reach a client. */
const CANARY = 'canary-7f3a9c-never-leaves-the-cluster';
const CANARY_B64 = Buffer.from(CANARY).toString('base64');

/** Everything every server wrote to its client (stdout) and stderr. */
const traffic: Buffer[] = [];
const servers: ServerClient[] = [];
let kube: KubeApiServer | undefined;

class ServerClient {
  readonly proc: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  private waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private versions = new Map<string, number>();

  constructor() {
    // KUBECONFIG points nowhere: only the kubeconfig a test names is ever read.
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: join(ROOT, 'test', '.no-such-kubeconfig') } });
    this.proc.stdout!.on('data', (c: Buffer) => traffic.push(c));
    this.proc.stderr!.on('data', (c: Buffer) => traffic.push(c));
    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => (w.uri === p.uri && w.pred(p) ? (w.resolve(p), false) : true));
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.listen();
    servers.push(this);
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } } },
      workspaceFolders: null,
      initializationOptions: { indexWorkspace: false },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** The certsmith.cluster.* settings, as the VS Code extension sends them (workspace/didChangeConfiguration). */
  settings(s: { enabled: boolean; kubeconfig?: string; context?: string; namespace?: string; checkOnSave?: boolean }): void {
    const cluster = { checkAgainstCluster: s.enabled, kubeconfig: s.kubeconfig, context: s.context, namespace: s.namespace, checkOnSave: s.checkOnSave };
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { certsmith: { cluster } } });
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  /** Replaces the whole text. */
  replace(uri: string, text: string): number {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    return v;
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  waitFor(uri: string, pred: (p: PublishDiagnosticsParams) => boolean, what: string, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
    const now = this.diagnostics.get(uri);
    if (now && pred(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map(brief))}; log: ${this.logs.join(' | ')}`)), timeoutMs);
      this.waiters.push({ uri, pred, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      await Promise.race([this.connection.sendRequest('shutdown').catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
      void this.connection.sendNotification('exit').catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (!this.alive) return resolve();
        const timer = setTimeout(() => (this.proc.kill('SIGKILL'), resolve()), 3000);
        this.proc.once('exit', () => (clearTimeout(timer), resolve()));
      });
    }
    this.connection.dispose();
  }
}

async function startServer(): Promise<ServerClient> {
  const s = new ServerClient();
  await s.initialize();
  return s;
}


const brief = (d: Diagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.source} ${d.code} ${['', 'error', 'warning', 'information', 'hint'][d.severity ?? 0]}`;
/** A diagnostic message as text (LSP 3.18 allows markup). */
const msg = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);
const fromCluster = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.source === 'certsmith-cluster');
const withCode = (p: PublishDiagnosticsParams, code: string) => p.diagnostics.filter((d) => d.code === code);
let counter = 0;
const docUri = (name: string) => `file:///certsmith-tests/cluster-check/${++counter}/${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 1-based `line:col` of `token` on the first line holding `lineText`. */
function pos(text: string, lineText: string, token = lineText): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(lineText));
  assert.ok(i >= 0, `no line with ${lineText}`);
  return `${i + 1}:${lines[i].indexOf(token) + 1}`;
}

/** A kubeconfig for an address with no API server (nothing is ever trusted or sent there). */
function fakeKubeconfig(dir: string, port: number, context: string): string {
  const file = join(dir, `${context}.kubeconfig`);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: nowhere\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: someone\n  user:\n    token: not-a-real-token\ncontexts:\n- name: ${context}\n  context:\n    cluster: nowhere\n    user: someone\n    namespace: apps\ncurrent-context: ${context}\n`,
  );
  return file;
}

/** A TCP listener that counts connections and never answers (a silent address). */
async function silentListener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    n++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => n,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

const CERT_DSA = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: apps
spec:
  secretName: web-tls
  dnsNames: [web.example.test]
  privateKey:
    algorithm: DSA
  issuerRef:
    name: live-ca
`;

before(async () => {
  if (skip) return;
  kube = await startKubeApiServer({ adminNamespace: 'apps', readerNamespace: 'team-a' });
  await installCertManagerCrds(kube.adminKubeconfig);
  // Client-side apply: the Secret's values are also in its last-applied-configuration annotation (metadata).
  await kubectlOk(['apply', '-f', '-'], kube.adminKubeconfig, {
    input: `apiVersion: v1
kind: Namespace
metadata: {name: apps}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Secret
metadata: {name: live-secret, namespace: apps}
stringData: {password: ${CANARY}}
---
apiVersion: v1
kind: Secret
metadata: {name: reader-visible, namespace: team-a}
stringData: {password: ${CANARY}}
`,
  });
  await kubectlOk(['apply', '--server-side', '--field-manager=certsmith-test', '-f', '-'], kube.adminKubeconfig, {
    input: `apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: live-ca, namespace: apps}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: team-issuer, namespace: team-a}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: live-cluster}
spec: {selfSigned: {}}
`,
  });
}, { timeout: 240_000 });

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await kube?.stop();
});

test('the cluster code is a bundle of its own: dist/server.js does not hold the Kubernetes client, dist/lsp-cluster.js does', () => {
  const server = readFileSync(SERVER, 'utf8');
  assert.doesNotMatch(server, /loadFromOptions|applyToHTTPSOptions|@kubernetes\/client-node/);
  assert.match(server, /require\("\.\/lsp-cluster\.js"\)/);
  assert.match(readFileSync(join(ROOT, 'dist', 'lsp-cluster.js'), 'utf8'), /applyToHTTPSOptions/);
});

test('setting off: nothing is sent anywhere, no cluster code is loaded, no cluster diagnostics', { timeout: 60_000 }, async (t) => {
  const listener = await silentListener();
  t.after(() => listener.close());
  const kubeconfig = fakeKubeconfig(tempDir(t), listener.port, 'off-context');
  const s = await startServer();
  s.settings({ enabled: false, kubeconfig, checkOnSave: true });
  const u = docUri('cert.yaml');
  s.open(u, CERT_DSA);
  const first = await s.waitFor(u, (p) => withCode(p, 'schema-enum').length === 1, 'local diagnostics');
  s.save(u);
  await sleep(1500); // past the on-save debounce
  const inventory = await s.connection.sendRequest(RefreshClusterInventoryRequest);
  assert.match(inventory.error ?? '', /cluster checks are off/);
  assert.deepEqual({ ...inventory, error: undefined }, { issuers: 0, clusterIssuers: 0, secrets: 0, error: undefined });
  assert.equal(listener.connections(), 0);
  assert.deepEqual(fromCluster(s.diagnostics.get(u)!), []);
  assert.deepEqual(fromCluster(first), []);
  assert.ok(!s.logs.some((l) => /cluster checks loaded/.test(l)), s.logs.join('\n'));
});

test('an address where nothing listens: the check answers an error naming the address and the context; the server goes on and local diagnostics still come', { timeout: 90_000 }, async (t) => {
  const port = await freePort();
  const kubeconfig = fakeKubeconfig(tempDir(t), port, 'gone-context');
  const s = await startServer();
  s.settings({ enabled: true, kubeconfig });
  const u = docUri('cert.yaml');
  s.open(u, CERT_DSA);
  await s.waitFor(u, (p) => withCode(p, 'schema-enum').length === 1, 'local diagnostics');
  const r = await s.connection.sendRequest(CheckAgainstClusterRequest, { uri: u });
  assert.equal(r.context, 'gone-context');
  assert.equal(r.server, `https://127.0.0.1:${port}`);
  assert.equal(r.objects, 1);
  assert.equal(r.rejected, 0);
  assert.match(r.error ?? '', new RegExp(`^cannot reach the API server of context "gone-context" at https://127\\.0\\.0\\.1:${port}: connection refused\\. `));
  assert.doesNotMatch(r.error!, /\n|\s+at \S+ \(/, 'no stack trace');
  const inventory = await s.connection.sendRequest(RefreshClusterInventoryRequest);
  assert.match(inventory.error ?? '', /connection refused/);
  assert.ok(s.alive);
  const other = docUri('other.yaml');
  s.open(other, CERT_DSA.replace('name: web', 'name: other'));
  const p = await s.waitFor(other, (x) => withCode(x, 'schema-enum').length === 1, 'local diagnostics after the failure');
  assert.deepEqual(fromCluster(p), []);
});

test('a silent API server: local diagnostics do not wait for it', { timeout: 90_000 }, async (t) => {
  const listener = await silentListener();
  t.after(() => listener.close());
  const kubeconfig = fakeKubeconfig(tempDir(t), listener.port, 'silent-context');
  const s = await startServer();
  s.settings({ enabled: true, kubeconfig });
  // The inventory is being read (and hangs) while documents are opened and edited.
  const pending = s.connection.sendRequest(RefreshClusterInventoryRequest);
  const u = docUri('cert.yaml');
  const t0 = Date.now();
  s.open(u, CERT_DSA);
  await s.waitFor(u, (p) => withCode(p, 'schema-enum').length === 1, 'local diagnostics');
  const v = s.replace(u, CERT_DSA.replace('DSA', 'ECDSA'));
  await s.waitFor(u, (p) => p.version === v && withCode(p, 'schema-enum').length === 0, 'local diagnostics of the edit');
  assert.ok(Date.now() - t0 < 10_000, `local diagnostics took ${Date.now() - t0} ms`);
  assert.ok(listener.connections() > 0, 'the inventory was being read');
  // Bounded: the server's time limit per request (15 s) ends it with a message.
  const r = await pending;
  assert.match(r.error ?? '', /did not answer|closed the connection|timed out/);
});

test('check against cluster: a CRD schema error comes as a certsmith-cluster diagnostic at its line and column, next to the local one', { skip, timeout: 90_000 }, async () => {
  const s = await startServer();
  s.settings({ enabled: true, kubeconfig: kube!.adminKubeconfig, checkOnSave: false });
  const u = docUri('cert.yaml');
  s.open(u, CERT_DSA);
  await s.waitFor(u, (p) => withCode(p, 'schema-enum').length === 1, 'local diagnostics');
  const r = await s.connection.sendRequest(CheckAgainstClusterRequest, { uri: u });
  assert.deepEqual(r, { context: ADMIN_CONTEXT, namespace: 'apps', server: kube!.server, objects: 1, rejected: 1 });
  const p = s.diagnostics.get(u)!;
  const at = pos(CERT_DSA, 'algorithm: DSA', 'DSA');
  assert.deepEqual(p.diagnostics.filter((d) => brief(d).startsWith(at)).map(brief).sort(), [`${at} certsmith schema-enum error`, `${at} certsmith-cluster cluster-rejected error`]);
  const [rejected] = fromCluster(p);
  assert.match(msg(rejected.message), /^spec\.privateKey\.algorithm: Unsupported value: "DSA"/);
  assert.equal(p.version, 1);
  // The issuerRef names the Issuer that exists only in the cluster: no cross-resource finding.
  assert.deepEqual(withCode(p, 'issuer-not-found'), []);
});

test('on save: the dry run runs and publishes; an edit drops the cluster diagnostics of the old text; the next save checks the new one', { skip, timeout: 90_000 }, async () => {
  const s = await startServer();
  s.settings({ enabled: true, kubeconfig: kube!.adminKubeconfig });
  const u = docUri('cert.yaml');
  s.open(u, CERT_DSA);
  await s.waitFor(u, (p) => withCode(p, 'schema-enum').length === 1, 'local diagnostics');
  s.save(u);
  s.save(u); // debounced: one run
  await s.waitFor(u, (p) => fromCluster(p).length === 1, 'cluster diagnostics after save');
  const newText = CERT_DSA.replace('DSA', 'ECDSA').replace('dnsNames: [web.example.test]', 'dnsNames: [web.example.test]\n  renewBeforePercent: 30');
  const v = s.replace(u, newText);
  const edited = await s.waitFor(u, (p) => p.version === v, 'diagnostics of the edit');
  assert.deepEqual(fromCluster(edited), [], 'cluster diagnostics of the old text are gone at once');
  s.save(u);
  const p = await s.waitFor(u, (x) => x.version === v && fromCluster(x).length === 1, 'cluster diagnostics of the new text');
  assert.deepEqual(fromCluster(p).map(brief), [`${pos(newText, 'renewBeforePercent')} certsmith-cluster cluster-rejected error`]);
  assert.match(msg(fromCluster(p)[0].message), /^spec\.renewBeforePercent: field not declared in schema/);
});

test('live issuers: a ref found only in the cluster is fine once enabled, one found nowhere is an error naming the context; switching off forgets them', { skip, timeout: 90_000 }, async () => {
  const s = await startServer();
  s.settings({ enabled: false });
  const u = docUri('issuers.yaml');
  const text = (ref: string) => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: local-ca
  namespace: apps
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: app
  namespace: apps
spec:
  secretName: app-tls
  dnsNames: [app.example.test]
  issuerRef:
    name: ${ref}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: app2
  namespace: apps
spec:
  secretName: app2-tls
  dnsNames: [app2.example.test]
  issuerRef:
    name: live-cluster
    kind: ClusterIssuer
`;
  s.open(u, text('live-ca'));
  // Files only: both refs are unknown here (a warning each: the cluster may have them).
  const local = await s.waitFor(u, (p) => withCode(p, 'issuer-not-found').length === 2, 'files-only warnings');
  assert.deepEqual(withCode(local, 'issuer-not-found').map((d) => d.severity), [2, 2]);
  s.settings({ enabled: true, kubeconfig: kube!.adminKubeconfig });
  await s.waitFor(u, (p) => withCode(p, 'issuer-not-found').length === 0, 'live issuers seen');
  const inventory = await s.connection.sendRequest(RefreshClusterInventoryRequest);
  assert.equal(inventory.error, undefined);
  assert.equal(inventory.denied, undefined);
  assert.ok(inventory.issuers >= 2 && inventory.clusterIssuers >= 1 && inventory.secrets >= 2, JSON.stringify(inventory));
  const v = s.replace(u, text('nowhere'));
  const p = await s.waitFor(u, (x) => x.version === v && withCode(x, 'issuer-not-found').length === 1, 'nowhere is an error');
  const [d] = withCode(p, 'issuer-not-found');
  assert.equal(d.severity, 1);
  assert.equal(msg(d.message), `No Issuer "nowhere" in namespace "apps" exists in the files checked or in context "${ADMIN_CONTEXT}" (nor a ClusterIssuer of that name): the certificate will never be issued.`);
  assert.equal(brief(d), `${pos(text('nowhere'), 'name: nowhere', 'nowhere')} certsmith issuer-not-found error`);
  s.settings({ enabled: false });
  const off = await s.waitFor(u, (x) => withCode(x, 'issuer-not-found').length === 2, 'live data forgotten');
  assert.deepEqual(withCode(off, 'issuer-not-found').map((x) => x.severity), [2, 2]);
});

test('a restricted user: the lists RBAC denies are reported, the rest is used', { skip, timeout: 120_000 }, async () => {
  // reader: ClusterIssuers cluster-wide, Issuers in team-a only, no Secrets.
  await kubectlOk(['apply', '-f', '-'], kube!.adminKubeconfig, {
    input: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: certsmith-test-clusterissuer-reader}
rules: [{apiGroups: [cert-manager.io], resources: [clusterissuers], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: certsmith-test-clusterissuer-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: certsmith-test-clusterissuer-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: reader}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: certsmith-test-issuer-reader, namespace: team-a}
rules: [{apiGroups: [cert-manager.io], resources: [issuers], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: certsmith-test-issuer-reader, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: certsmith-test-issuer-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: reader}]
`,
  });
  for (let i = 0; ; i++) {
    const r = await kube!.kubectl(['auth', 'can-i', 'list', 'issuers.cert-manager.io', '-n', 'team-a'], kube!.readerKubeconfig);
    if (r.stdout.trim() === 'yes') break;
    assert.ok(i < 100, 'RBAC binding took effect');
    await sleep(100);
  }
  const s = await startServer();
  s.settings({ enabled: true, kubeconfig: kube!.readerKubeconfig });
  const inventory = await s.connection.sendRequest(RefreshClusterInventoryRequest);
  assert.equal(inventory.error, undefined);
  assert.deepEqual({ issuers: inventory.issuers, clusterIssuers: inventory.clusterIssuers, secrets: inventory.secrets }, { issuers: 1, clusterIssuers: 1, secrets: 0 });
  assert.deepEqual(inventory.denied, [
    `user "reader" may not list issuers.cert-manager.io in all namespaces in context "${READER_CONTEXT}" (403 Forbidden): only namespace "team-a" is checked against the cluster`,
    `user "reader" may not list secrets in all namespaces or in namespace "team-a" in context "${READER_CONTEXT}" (403 Forbidden): they are not checked against the cluster`,
  ]);
  assert.ok(s.logs.some((l) => l.includes('may not list secrets')), 'the denial is logged');
  const u = docUri('team-a.yaml');
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ok
  namespace: team-a
spec:
  secretName: ok-tls
  dnsNames: [ok.example.test]
  issuerRef:
    name: team-issuer
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: missing
  namespace: team-a
spec:
  secretName: missing-tls
  dnsNames: [missing.example.test]
  issuerRef:
    name: nowhere
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca
  namespace: team-a
spec:
  ca:
    secretName: some-ca
`;
  s.open(u, text);
  const p = await s.waitFor(u, (x) => withCode(x, 'issuer-not-found').length === 1 && withCode(x, 'ca-secret-not-produced').length === 1, 'cross findings with partial live data');
  assert.equal(brief(withCode(p, 'issuer-not-found')[0]), `${pos(text, 'name: nowhere', 'nowhere')} certsmith issuer-not-found error`);
  assert.match(msg(withCode(p, 'issuer-not-found')[0].message), new RegExp(`in context "${READER_CONTEXT}"`));
  // Secrets are not known to this user: the CA Secret stays a note, not an error.
  assert.equal(withCode(p, 'ca-secret-not-produced')[0].severity, 3);
});

test('no Secret value of the cluster in anything a server sent', { skip }, () => {
  const all = Buffer.concat(traffic).toString('utf8');
  assert.ok(all.length > 0);
  assert.ok(all.includes('live-ca') || all.includes('issuer'), 'traffic was captured');
  assert.ok(!all.includes(CANARY), 'the value');
  assert.ok(!all.includes(CANARY_B64), 'the value, base64');
  assert.ok(!all.includes('last-applied-configuration'));
});
