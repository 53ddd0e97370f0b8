/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver (v1.34.3),
 * one node, on free loopback ports, with RBAC and client-certificate users.
 *
 *   const kube = await startKubeApiServer({ readerNamespace: 'team-a' });
 *   t.after(() => kube.stop());
 *   await installCertManagerCrds(kube.adminKubeconfig);
 *   await grantCertificateReader({ adminKubeconfig: kube.adminKubeconfig, namespace: 'team-a', userKubeconfig: kube.readerKubeconfig });
 *   const r = await kube.kubectl(['get', 'certificates'], kube.readerKubeconfig);
 *
 * The world:
 *
 *   etcd            http://127.0.0.1:<free port>, data in the temporary
 *                   directory, --unsafe-no-fsync (nothing here must survive)
 *   kube-apiserver  https://127.0.0.1:<free port>, serving certificate and
 *                   client CA from a throwaway CA made with openssl, RBAC,
 *                   service-account keys from node:crypto
 *   users           "admin" (O=system:masters: allowed everything) and
 *                   "reader" (no groups: RBAC denies what no binding allows),
 *                   each with a kubeconfig as a user has one (cluster CA data,
 *                   client certificate and key data, a context with a default
 *                   namespace)
 *
 * No controllers run (no kube-controller-manager, no cert-manager controller):
 * objects get no status unless a test writes it through the status
 * subresource, in the shape cert-manager's controller writes it.
 *
 * The binaries are built once by `npm run setup` (test/world/go-peers/
 * build-kubernetes.sh) into a cache directory keyed by version; a test never
 * builds them. kubectl from the same build is the reference client.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { requireBinary, startDaemon, type Daemon } from './process.js';

const BUILD_SCRIPT = join(__dirname, 'go-peers', 'build-kubernetes.sh');
const ROOT = join(__dirname, '..', '..');

/** The versions build-kubernetes.sh builds (the one place they are written). */
function pinnedVersions(): { kubernetes: string; etcd: string } {
  const text = readFileSync(BUILD_SCRIPT, 'utf8');
  const kubernetes = /^KUBERNETES_VERSION=(v[0-9.]+)$/m.exec(text)?.[1];
  const etcd = /^ETCD_VERSION=(v[0-9.]+)$/m.exec(text)?.[1];
  if (!kubernetes || !etcd) throw new Error(`${BUILD_SCRIPT} names no KUBERNETES_VERSION=/ETCD_VERSION=`);
  return { kubernetes, etcd };
}

/** Where build-kubernetes.sh puts kube-apiserver, kubectl and etcd. */
export function kubernetesBinaryDir(): string {
  const cache = process.env.CERTSMITH_PEER_CACHE || join(process.env.HOME || homedir(), '.cache', 'certsmith-peers');
  return join(cache, `kubernetes-${pinnedVersions().kubernetes}`);
}

/** True when the cache holds a complete build of the pinned versions. */
export function kubernetesPeersBuilt(): boolean {
  const dir = kubernetesBinaryDir();
  const { kubernetes, etcd } = pinnedVersions();
  const stamp = join(dir, '.complete');
  if (!existsSync(stamp)) return false;
  if (readFileSync(stamp, 'utf8').split('\n')[0] !== `k8s.io/kubernetes@${kubernetes} go.etcd.io/etcd/server/v3@${etcd}`) return false;
  return ['kube-apiserver', 'kubectl', 'etcd'].every((b) => existsSync(join(dir, b)));
}

/** Path of one cached binary, or a clear error saying how to get it. */
function kubernetesBinary(name: 'kube-apiserver' | 'kubectl' | 'etcd'): string {
  const dir = kubernetesBinaryDir();
  if (!kubernetesPeersBuilt()) {
    const { kubernetes, etcd } = pinnedVersions();
    throw new Error(
      `kube-apiserver, kubectl and etcd (Kubernetes ${kubernetes}, etcd ${etcd}) are not built (expected in ${dir}): ` +
        'run `npm run setup`, which builds them once with test/world/go-peers/build-kubernetes.sh',
    );
  }
  return join(dir, name);
}

export interface KubeApiServerOptions {
  /** Default namespace of the admin kubeconfig's context (default "default"). */
  adminNamespace?: string;
  /** Default namespace of the reader kubeconfig's context (default "default"). */
  readerNamespace?: string;
  /** How long etcd + kube-apiserver may take to become ready (default 120 s: a busy 2-core machine). */
  readyTimeoutMs?: number;
  /** kube-apiserver log verbosity (-v), default 0. */
  verbosity?: number;
}

export interface KubectlResult {
  /** Exit status (null when it was killed at the time limit). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's standard input (for `-f -`). */
  input?: string;
  /** Default 60 s. */
  timeoutMs?: number;
}

export interface KubeApiServer {
  /** https://127.0.0.1:PORT */
  server: string;
  port: number;
  /** Kubeconfig files (paths): admin is in system:masters; reader has no groups. */
  adminKubeconfig: string;
  readerKubeconfig: string;
  /** PEM of the CA that signed the serving certificate and the client certificates. */
  caPem: string;
  /** The temporary directory (certificates, kubeconfigs, etcd data); removed by stop(). */
  dir: string;
  etcdUrl: string;
  etcd: Daemon;
  readonly apiServer: Daemon;
  /** Milliseconds from spawning to ready: etcd /health, then kube-apiserver /readyz. */
  timings: { etcdMs: number; apiServerMs: number };
  /** Runs the cached kubectl with a kubeconfig (default: admin). Never throws for a non-zero exit. */
  kubectl(args: string[], kubeconfig?: string, options?: KubectlOptions): Promise<KubectlResult>;
  /** Stops kube-apiserver only (etcd and the data stay): for tests of a server that goes away mid-watch. */
  stopApiServer(): Promise<void>;
  /** Starts kube-apiserver again on the same port, with the same data. */
  startApiServer(): Promise<void>;
  /** Stops kube-apiserver, then etcd, and removes the directory. */
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const bin = requireBinary('openssl', 'openssl');
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A CA, the API server's serving certificate, two client certificates, and the service-account key pair. */
function makePki(dir: string): void {
  openssl(['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Certsmith test Kubernetes CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const sign = (name: string, subject: string, ext: string) => {
    openssl(['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n`);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`], dir);
  };
  // The names a client of a real cluster may use, and the "kubernetes" Service's first address in 10.0.0.0/24.
  sign('apiserver', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth');
  sign('admin', '/O=system:masters/CN=admin', 'extendedKeyUsage=clientAuth');
  sign('reader', '/CN=reader', 'extendedKeyUsage=clientAuth');
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));
}

const b64 = (file: string) => readFileSync(file).toString('base64');

/** A kubeconfig as `kubectl config` would write it for a client-certificate user. */
function writeKubeconfig(file: string, o: { server: string; caFile: string; user: string; certFile: string; keyFile: string; namespace: string }): void {
  const cluster = 'certsmith-test';
  const context = `${o.user}@${cluster}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: o.server, 'certificate-authority-data': b64(o.caFile) } }],
    users: [{ name: o.user, user: { 'client-certificate-data': b64(o.certFile), 'client-key-data': b64(o.keyFile) } }],
    contexts: [{ name: context, context: { cluster, user: o.user, namespace: o.namespace } }],
    'current-context': context,
    preferences: {},
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}

function get(url: string, tls?: { ca: string; cert: string; key: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ...(tls ?? {}), timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within 3 s`)));
    req.on('error', reject);
  });
}

/**
 * Runs the cached kubectl with `--kubeconfig`. Its discovery cache goes next to
 * the kubeconfig (never into ~/.kube). Never throws for a non-zero exit.
 */
export function runKubectl(args: string[], kubeconfig: string, options: KubectlOptions = {}): Promise<KubectlResult> {
  const kubectl = kubernetesBinary('kubectl');
  const home = join(dirname(kubeconfig), `.kubectl-${basename(kubeconfig)}`);
  mkdirSync(home, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      stderr += `\n(kubectl killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // kubectl may exit before reading all of it
    child.stdin.end(options.input ?? '');
  });
}

/** runKubectl that throws with kubectl's output when it fails. */
export async function kubectlOk(args: string[], kubeconfig: string, options: KubectlOptions = {}): Promise<string> {
  const r = await runKubectl(args, kubeconfig, options);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const etcdBin = kubernetesBinary('etcd');
  const apiServerBin = kubernetesBinary('kube-apiserver');
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-kube-'));
  let etcd: Daemon | undefined;
  try {
    makePki(dir);
    const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };

    const clientPort = await freePort();
    const peerPort = await freePort();
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcdStarted = Date.now();
    etcd = await startDaemon({
      name: 'etcd',
      command: etcdBin,
      args: [
        '--name=certsmith',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=certsmith=${peerUrl}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      cwd: dir,
      env,
      readyTimeoutMs,
      fatal: /"level":"fatal"|address already in use/,
      ready: async () => {
        const r = await get(`${etcdUrl}/health`);
        return r.status === 200 && /"health":\s*"true"/.test(r.body);
      },
    });
    const etcdMs = Date.now() - etcdStarted;

    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const f = (name: string) => join(dir, name);
    const apiServerStarted = Date.now();
    const admin = { ca: caPem, cert: readFileSync(f('admin.pem'), 'utf8'), key: readFileSync(f('admin.key'), 'utf8') };
    const launchApiServer = (timeoutMs: number) => startDaemon({
      name: 'kube-apiserver',
      command: apiServerBin,
      args: [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${f('apiserver-certs')}`,
        `--tls-cert-file=${f('apiserver.pem')}`,
        `--tls-private-key-file=${f('apiserver.key')}`,
        `--client-ca-file=${f('ca.pem')}`,
        `--secure-port=${port}`,
        '--bind-address=127.0.0.1',
        // Without it, a loopback bind makes it look for a default route.
        '--advertise-address=127.0.0.1',
        '--authorization-mode=RBAC',
        '--service-cluster-ip-range=10.0.0.0/24',
        // The "kubernetes" Service's Endpoints would be 127.0.0.1, which Endpoints validation refuses (an error every 10 s); nothing routes to it here.
        '--endpoint-reconciler-type=none',
        // No controller-manager creates service-account tokens here.
        '--disable-admission-plugins=ServiceAccount',
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${f('sa.pub')}`,
        `--service-account-signing-key-file=${f('sa.key')}`,
        '--allow-privileged=true',
        '--profiling=false',
        `-v=${options.verbosity ?? 0}`,
      ],
      cwd: dir,
      env,
      readyTimeoutMs: timeoutMs,
      fatal: /address already in use|^F\d{4} /m,
      ready: async () => (await get(`${server}/readyz`, admin)).status === 200,
    });
    let apiServer = await launchApiServer(Math.max(1000, readyTimeoutMs - etcdMs));
    let apiServerRunning = true;
    const apiServerMs = Date.now() - apiServerStarted;

    const adminKubeconfig = f('admin.kubeconfig');
    const readerKubeconfig = f('reader.kubeconfig');
    writeKubeconfig(adminKubeconfig, { server, caFile: f('ca.pem'), user: 'admin', certFile: f('admin.pem'), keyFile: f('admin.key'), namespace: options.adminNamespace ?? 'default' });
    writeKubeconfig(readerKubeconfig, { server, caFile: f('ca.pem'), user: 'reader', certFile: f('reader.pem'), keyFile: f('reader.key'), namespace: options.readerNamespace ?? 'default' });

    const etcdDaemon = etcd;
    return {
      server,
      port,
      adminKubeconfig,
      readerKubeconfig,
      caPem,
      dir,
      etcdUrl,
      etcd: etcdDaemon,
      get apiServer() {
        return apiServer;
      },
      async stopApiServer() {
        if (!apiServerRunning) return;
        apiServerRunning = false;
        await apiServer.stop();
      },
      async startApiServer() {
        if (apiServerRunning) return;
        apiServer = await launchApiServer(readyTimeoutMs);
        apiServerRunning = true;
      },
      timings: { etcdMs, apiServerMs },
      kubectl: (args, kubeconfig, kubectlOptions) => runKubectl(args, kubeconfig ?? adminKubeconfig, kubectlOptions),
      async stop() {
        if (apiServerRunning) await apiServer.stop();
        await etcdDaemon.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The project's copies of the cert-manager and Gateway API CRDs (schemas/upstream/). */
export function crdFiles(): string[] {
  const files: string[] = [];
  for (const sub of ['cert-manager', 'gateway-api']) {
    const d = join(ROOT, 'schemas', 'upstream', sub);
    for (const name of readdirSync(d).sort()) if (name.endsWith('.yaml')) files.push(join(d, name));
  }
  return files;
}

/**
 * Applies the cert-manager CRDs and the Gateway API CRDs (Gateway, HTTPRoute)
 * with the cached kubectl (server-side apply: the Issuer CRDs are larger than
 * the last-applied annotation allows), then waits until each is Established.
 * Returns the CRD names.
 */
export async function installCertManagerCrds(kubeconfig: string, timeoutMs = 60_000): Promise<string[]> {
  const files = crdFiles();
  const applied = await kubectlOk(['apply', '--server-side', '--field-manager=certsmith-test', ...files.flatMap((file) => ['-f', file]), '-o', 'name'], kubeconfig, { timeoutMs });
  const names = applied.split('\n').map((l) => l.trim()).filter(Boolean);
  if (names.length !== files.length) throw new Error(`kubectl apply created ${names.length} objects from ${files.length} CRD files:\n${applied}`);
  await kubectlOk(['wait', '--for=condition=Established', `--timeout=${Math.round(timeoutMs / 1000)}s`, ...names], kubeconfig, { timeoutMs: timeoutMs + 10_000 });
  return names.map((n) => n.replace(/^customresourcedefinition\.apiextensions\.k8s\.io\//, ''));
}

export interface GrantCertificateReaderOptions {
  /** A kubeconfig allowed to create Roles (the admin's). */
  adminKubeconfig: string;
  /** Created when missing. */
  namespace: string;
  /** The user name (client certificate CN), default "reader". */
  user?: string;
  /** When given: wait until this user's SelfSubjectAccessReview says it may list Certificates there (RBAC caches bindings). */
  userKubeconfig?: string;
  timeoutMs?: number;
}

/** Gives a user get/list/watch on certificates.cert-manager.io in one namespace (a Role and a RoleBinding). */
export async function grantCertificateReader(o: GrantCertificateReaderOptions): Promise<void> {
  const user = o.user ?? 'reader';
  const name = `certsmith-certificate-reader-${user}`;
  const manifest = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: o.namespace },
      rules: [{ apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: o.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  ]
    .map((doc) => `---\n${stringify(doc)}`)
    .join('');
  await kubectlOk(['apply', '--server-side', '--field-manager=certsmith-test', '-f', '-'], o.adminKubeconfig, { input: manifest });
  if (!o.userKubeconfig) return;
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    const r = await runKubectl(['auth', 'can-i', 'list', 'certificates.cert-manager.io', '-n', o.namespace], o.userKubeconfig);
    if (r.code === 0 && r.stdout.trim() === 'yes') return;
    if (Date.now() > deadline) throw new Error(`${user} still may not list certificates in ${o.namespace}: ${r.stdout}${r.stderr}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
