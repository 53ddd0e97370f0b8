/**
 * cert-manager itself in the test world: its real controllers (and, by
 * default, its admission webhook) as plain processes against a running test
 * kube-apiserver, on loopback only.
 *
 *   const kube = await startKubeApiServer();
 *   const cm = await startCertManager({ kube, recursiveNameservers: [bind9.address], recursiveOnly: true });
 *   t.after(async () => { await cm.stop(); await kube.stop(); });
 *
 * The program is cert-manager v1.21.2's own controller and webhook code,
 * wired by test/world/go-peers/cert-manager-controller/ and built once by
 * `npm run setup` (build-cert-manager-controller.sh) into the peer cache; a
 * test never builds it.
 *
 * The world:
 *
 *   CRDs        the project's cert-manager CRDs (schemas/upstream), installed
 *               unless installCrds is false
 *   webhook     `certsmith-cert-manager webhook` on https://127.0.0.1:<free port>
 *               with a serving certificate for IP 127.0.0.1 from a throwaway
 *               CA, registered as the Helm chart registers it: a
 *               ValidatingWebhookConfiguration (/validate: cert-manager.io and
 *               acme.cert-manager.io, CREATE/UPDATE) and a
 *               MutatingWebhookConfiguration (/mutate: CertificateRequest
 *               CREATE), failurePolicy Fail, sideEffects None,
 *               admissionReviewVersions v1, matchPolicy Equivalent, timeout 30 s,
 *               clientConfig.url + caBundle instead of a Service
 *   controller  `certsmith-cert-manager controller` with the admin kubeconfig,
 *               leader election off, the cluster resource namespace (created
 *               when missing), the DNS-01 recursive nameservers, and
 *               test-friendly intervals through cert-manager's own flags
 *               (see CONTROLLER_INTERVALS); ready when its /readyz on a
 *               loopback port says every informer cache has synced
 *
 * Not in this world: HTTP-01 (its solver pods never run without a kubelet),
 * the Venafi issuer (not built: the Go module proxy refuses its client
 * library), cainjector, and the Gateway API shim.
 *
 * Logs go to files in the API server's temporary directory (removed with it);
 * an error at start-up quotes their tail. cert-manager does not log Secret
 * data at the verbosity used here (-v=2), and nothing here prints any.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { installCertManagerCrds, type KubeApiServer } from './kube-apiserver.js';
import { requireBinary, startDaemon, type Daemon } from './process.js';

const GO_PEERS = join(__dirname, 'go-peers');
const BUILD_SCRIPT = join(GO_PEERS, 'build-cert-manager-controller.sh');
const MODULE_DIR = join(GO_PEERS, 'cert-manager-controller');
const BINARY = 'certsmith-cert-manager';

/** The name under which cert-manager's webhook denies requests (the chart's webhook name). */
export const WEBHOOK_NAME = 'webhook.cert-manager.io';

/**
 * The controller's intervals in this world, through cert-manager's own flags
 * (upstream defaults in brackets):
 * - a propagation check every second [10 s];
 * - a failed CertificateRequest retried after 5 s, doubling up to 1 min [1 h up to 32 h].
 * Everything else keeps upstream's defaults. The DNS-01 self check still
 * sleeps its hard-coded 60 s after it passes; a solver with
 * `waitInsteadOfSelfCheck` skips check and sleep.
 */
export const CONTROLLER_INTERVALS = {
  dns01CheckRetryPeriod: '1s',
  certificateRequestMinimumBackoff: '5s',
  certificateRequestMaximumBackoff: '1m',
} as const;

/** The cert-manager version build-cert-manager-controller.sh builds (the one place it is written). */
function certManagerVersion(): string {
  const v = /^CERT_MANAGER_VERSION=(v\S+)$/m.exec(readFileSync(BUILD_SCRIPT, 'utf8'))?.[1];
  if (!v) throw new Error(`${BUILD_SCRIPT} names no CERT_MANAGER_VERSION=`);
  return v;
}

/** The source hash in the cache key, as build-cert-manager-controller.sh computes it. */
function sourceHash(): string {
  const h = createHash('sha256');
  const goFiles = readdirSync(MODULE_DIR).filter((f) => f.endsWith('.go')).sort();
  for (const f of ['go.mod', 'go.sum', ...goFiles]) h.update(readFileSync(join(MODULE_DIR, f)));
  return h.digest('hex').slice(0, 12);
}

/** Where build-cert-manager-controller.sh puts the binary for the current source. */
export function certManagerControllerDir(): string {
  const cache = process.env.CERTSMITH_PEER_CACHE || join(process.env.HOME || homedir(), '.cache', 'certsmith-peers');
  return join(cache, `cert-manager-controller-${certManagerVersion()}-${sourceHash()}`);
}

/** True when the cache holds a complete build of the current source. */
export function certManagerControllerBuilt(): boolean {
  const dir = certManagerControllerDir();
  const stamp = join(dir, '.complete');
  if (!existsSync(join(dir, BINARY)) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').split('\n')[0] === `github.com/cert-manager/cert-manager@${certManagerVersion()} source:${sourceHash()}`;
}

/** Path of the cached binary, or a clear error saying how to get it. */
function certManagerBinary(): string {
  const dir = certManagerControllerDir();
  if (!certManagerControllerBuilt()) {
    throw new Error(
      `cert-manager's controller and webhook (cert-manager ${certManagerVersion()}) are not built for the current source (expected in ${dir}): ` +
        'run `npm run setup`, which builds them once with test/world/go-peers/build-cert-manager-controller.sh (its output says why when the Go module proxy refuses a module)',
    );
  }
  return join(dir, BINARY);
}

export interface CertManagerOptions {
  kube: KubeApiServer;
  /** host:port resolvers for DNS-01 zone lookups and the self check (--dns01-recursive-nameservers); default none (the system's, which tests must not use). */
  recursiveNameservers?: string[];
  /** Ask only those resolvers, never the zone's authoritative servers (--dns01-recursive-nameservers-only). */
  recursiveOnly?: boolean;
  /** --cluster-resource-namespace (created when missing); default "cert-manager". */
  clusterResourceNamespace?: string;
  /** Start and register the admission webhook (default true). */
  webhook?: boolean;
  /** --controllers, e.g. ['*', '-certificaterequests-approver'] (default: upstream's default set). */
  controllers?: string[];
  /** Install the project's CRDs first (default true; idempotent). */
  installCrds?: boolean;
  /** Override CONTROLLER_INTERVALS. */
  intervals?: Partial<Record<keyof typeof CONTROLLER_INTERVALS, string>>;
  /** More controller flags. */
  extraControllerArgs?: string[];
  /** Log verbosity (-v) of both processes, default 2 (upstream chart's level). */
  verbosity?: number;
  /** Per process, default 90 s (a busy 2-core machine). */
  readyTimeoutMs?: number;
}

export interface CertManager {
  controller: Daemon;
  webhook?: Daemon;
  /** The controller's and the webhook's log files. */
  logs: { controller: string; webhook?: string };
  /** The controller's command-line flags (for reports; no secrets in them). */
  controllerArgs: string[];
  /** https://127.0.0.1:PORT of the webhook, and the PEM of the CA in its caBundle. */
  webhookUrl?: string;
  webhookCaPem?: string;
  clusterResourceNamespace: string;
  /** Milliseconds from spawning to ready: the webhook (healthz + first denial through the API server), the controller (/readyz). */
  timings: { webhookMs?: number; controllerMs: number };
  /** The last lines of a log (default: the controller's). */
  logTail(which?: 'controller' | 'webhook', lines?: number): string;
  /** Stops the controller, removes the webhook configurations (best effort), stops the webhook. */
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const bin = requireBinary('openssl', 'openssl');
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA and the webhook's serving certificate for IP 127.0.0.1 (the URL the API server calls). */
function makeServingCertificate(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'webhook-ca.key', '-out', 'webhook-ca.pem', '-days', '2', '-subj', '/CN=Certsmith test cert-manager webhook CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...ec, '-keyout', 'webhook.key', '-out', 'webhook.csr', '-subj', '/CN=cert-manager-webhook'], dir);
  writeFileSync(join(dir, 'webhook.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  openssl(['x509', '-req', '-in', 'webhook.csr', '-CA', 'webhook-ca.pem', '-CAkey', 'webhook-ca.key', '-CAcreateserial', '-out', 'webhook.pem', '-days', '2', '-extfile', 'webhook.ext'], dir);
}

function get(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? https : http).get(url, { ca, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log written)';
  const size = statSync(file).size;
  const text = readFileSync(file, 'utf8').slice(size > 400_000 ? -400_000 : 0);
  return text.split('\n').slice(-lines - 1).join('\n');
}

/**
 * Runs the binary with its output appended to a log file (through sh, which
 * execs it: the process group still holds only the program).
 */
async function startLogged(o: { name: string; args: string[]; dir: string; log: string; ready: () => Promise<boolean>; readyTimeoutMs: number }): Promise<Daemon> {
  const bin = certManagerBinary();
  // One file per process kind, appended to when a test restarts it: mark each start.
  appendFileSync(o.log, `--- ${new Date().toISOString()} certsmith: starting ${o.name} ---\n`);
  try {
    return await startDaemon({
      name: o.name,
      command: '/bin/sh',
      args: ['-c', 'exec "$0" "$@" >>"$CERTSMITH_LOG" 2>&1', bin, ...o.args],
      cwd: o.dir,
      // No proxy variables, no KUBECONFIG: everything it talks to is named in its flags.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: o.dir, CERTSMITH_LOG: o.log },
      readyTimeoutMs: o.readyTimeoutMs,
      ready: o.ready,
    });
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    // Only this start's lines: the file may hold earlier runs.
    const log = tail(o.log, 40);
    const mark = log.lastIndexOf(`certsmith: starting ${o.name} ---`);
    throw new Error(`${first}\nlast lines of ${o.log}:\n${mark < 0 ? log : log.slice(log.indexOf('\n', mark) + 1)}`);
  }
}

function webhookConfigurations(url: string, caPem: string): string {
  const caBundle = Buffer.from(caPem).toString('base64');
  const common = {
    admissionReviewVersions: ['v1'],
    matchPolicy: 'Equivalent',
    timeoutSeconds: 30,
    failurePolicy: 'Fail',
    sideEffects: 'None',
  };
  const docs = [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'cert-manager-webhook' },
      webhooks: [
        {
          name: WEBHOOK_NAME,
          // As the chart: a namespace labelled cert-manager.io/disable-validation=true is not validated.
          namespaceSelector: { matchExpressions: [{ key: 'cert-manager.io/disable-validation', operator: 'NotIn', values: ['true'] }] },
          rules: [{ apiGroups: ['cert-manager.io', 'acme.cert-manager.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['*/*'] }],
          ...common,
          clientConfig: { url: `${url}/validate`, caBundle },
        },
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'cert-manager-webhook' },
      webhooks: [
        {
          name: WEBHOOK_NAME,
          rules: [{ apiGroups: ['cert-manager.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['certificaterequests'] }],
          ...common,
          clientConfig: { url: `${url}/mutate`, caBundle },
        },
      ],
    },
  ];
  return docs.map((d) => `---\n${stringify(d)}`).join('');
}

/** A Certificate the webhook refuses (RSA 1024), for the server dry run that shows the API server calls it. */
const PROBE_CERTIFICATE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: certsmith-webhook-probe
  namespace: default
spec:
  secretName: certsmith-webhook-probe
  dnsNames: [probe.example.test]
  issuerRef: {name: probe}
  privateKey: {algorithm: RSA, size: 1024}
`;

export async function startCertManager(o: CertManagerOptions): Promise<CertManager> {
  certManagerBinary(); // a clear error before anything starts
  const kube = o.kube;
  const dir = join(kube.dir, 'cert-manager');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const readyTimeoutMs = o.readyTimeoutMs ?? 90_000;
  const verbosity = String(o.verbosity ?? 2);
  const clusterResourceNamespace = o.clusterResourceNamespace ?? 'cert-manager';
  const logs: CertManager['logs'] = { controller: join(dir, 'controller.log') };
  if (o.installCrds !== false) await installCertManagerCrds(kube.adminKubeconfig);

  let webhook: Daemon | undefined;
  let webhookUrl: string | undefined;
  let webhookCaPem: string | undefined;
  let webhookMs: number | undefined;
  const unregisterWebhook = async () => {
    await kube.kubectl(['delete', '--ignore-not-found', '--wait=false', 'validatingwebhookconfiguration/cert-manager-webhook', 'mutatingwebhookconfiguration/cert-manager-webhook'], undefined, { timeoutMs: 15_000 }).catch(() => undefined);
  };
  try {
    if (o.webhook !== false) {
      makeServingCertificate(dir);
      webhookCaPem = readFileSync(join(dir, 'webhook-ca.pem'), 'utf8');
      const port = await freePort();
      webhookUrl = `https://127.0.0.1:${port}`;
      logs.webhook = join(dir, 'webhook.log');
      const started = Date.now();
      webhook = await startLogged({
        name: 'cert-manager webhook',
        args: [
          'webhook',
          `--kubeconfig=${kube.adminKubeconfig}`,
          '--listen-host=127.0.0.1',
          `--secure-port=${port}`,
          `--tls-cert-file=${join(dir, 'webhook.pem')}`,
          `--tls-private-key-file=${join(dir, 'webhook.key')}`,
          `-v=${verbosity}`,
        ],
        dir,
        log: logs.webhook,
        readyTimeoutMs,
        ready: async () => (await get(`${webhookUrl}/healthz`, webhookCaPem)) === 200,
      });
      await kube.kubectl(['apply', '-f', '-'], undefined, { input: webhookConfigurations(webhookUrl, webhookCaPem) }).then((r) => {
        if (r.code !== 0) throw new Error(`registering cert-manager's webhook failed: ${r.stderr}`);
      });
      // Registered is not yet called: the API server picks new configurations up asynchronously.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const r = await kube.kubectl(['create', '--dry-run=server', '-f', '-'], undefined, { input: PROBE_CERTIFICATE });
        if (r.code !== 0 && r.stderr.includes(`admission webhook "${WEBHOOK_NAME}" denied the request`)) break;
        if (Date.now() > deadline) {
          throw new Error(`the API server does not call cert-manager's webhook 30 s after its registration (dry run: ${r.code === 0 ? 'accepted' : r.stderr.trim()})\nlast lines of ${logs.webhook}:\n${tail(logs.webhook, 40)}`);
        }
        await new Promise((res) => setTimeout(res, 200));
      }
      webhookMs = Date.now() - started;
    }

    const intervals = { ...CONTROLLER_INTERVALS, ...o.intervals };
    const readinessPort = await freePort();
    const controllerArgs = [
      `--kubeconfig=${kube.adminKubeconfig}`,
      `--cluster-resource-namespace=${clusterResourceNamespace}`,
      `--readiness-address=127.0.0.1:${readinessPort}`,
      `--dns01-check-retry-period=${intervals.dns01CheckRetryPeriod}`,
      `--certificate-request-minimum-backoff-duration=${intervals.certificateRequestMinimumBackoff}`,
      `--certificate-request-maximum-backoff-duration=${intervals.certificateRequestMaximumBackoff}`,
      ...(o.recursiveNameservers?.length ? [`--dns01-recursive-nameservers=${o.recursiveNameservers.join(',')}`] : []),
      ...(o.recursiveOnly ? ['--dns01-recursive-nameservers-only'] : []),
      ...(o.controllers ? [`--controllers=${o.controllers.join(',')}`] : []),
      ...(o.extraControllerArgs ?? []),
      `-v=${verbosity}`,
    ];
    const started = Date.now();
    const controller = await startLogged({
      name: 'cert-manager controller',
      args: ['controller', ...controllerArgs],
      dir,
      log: logs.controller,
      readyTimeoutMs,
      ready: async () => (await get(`http://127.0.0.1:${readinessPort}/readyz`)) === 200,
    });
    const controllerMs = Date.now() - started;

    let stopped = false;
    return {
      controller,
      webhook,
      logs,
      controllerArgs,
      webhookUrl,
      webhookCaPem,
      clusterResourceNamespace,
      timings: { webhookMs, controllerMs },
      logTail: (which = 'controller', lines = 40) => tail(which === 'webhook' ? logs.webhook ?? '' : logs.controller, lines),
      async stop() {
        if (stopped) return;
        stopped = true;
        await controller.stop();
        if (webhook) {
          await unregisterWebhook();
          await webhook.stop();
        }
      },
    };
  } catch (e) {
    if (webhook) {
      await unregisterWebhook();
      await webhook.stop();
    }
    throw e;
  }
}
