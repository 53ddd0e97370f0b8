/**
 * The cluster test world itself: a real etcd + kube-apiserver (v1.34.3, built
 * once by `npm run setup`), the project's cert-manager and Gateway API CRDs
 * installed with the real kubectl, and RBAC that lets the "reader" user list
 * Certificates in one namespace and nowhere else.
 *
 * Both users are exercised twice: through kubectl with their kubeconfig files,
 * and with a plain HTTPS request built from the same kubeconfig (its CA data
 * and client certificate), so the kubeconfigs are shown to be complete.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';
import { grantCertificateReader, installCertManagerCrds, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

/** kube-apiserver and etcd exist only as Go modules; where set-up could not build them (see build-kubernetes.sh), say so and skip. */
const skip = kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\` (it builds them from the Go module proxy)`;

const READER_NS = 'team-a';
const OTHER_NS = 'team-b';

let kube: KubeApiServer;

function certificate(namespace: string, name: string): string {
  return [
    'apiVersion: cert-manager.io/v1',
    'kind: Certificate',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    `  secretName: ${name}-tls`,
    '  dnsNames:',
    `    - ${name}.example.test`,
    '  issuerRef:',
    '    name: letsencrypt-staging',
    '    kind: ClusterIssuer',
    '',
  ].join('\n');
}

/** A GET as the kubeconfig's user, with nothing but what the kubeconfig holds. */
function getAs(kubeconfigPath: string, path: string): Promise<{ status: number; body: string }> {
  const config = parse(readFileSync(kubeconfigPath, 'utf8'));
  const context = config.contexts.find((c: { name: string }) => c.name === config['current-context']).context;
  const cluster = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
  const user = config.users.find((u: { name: string }) => u.name === context.user).user;
  const data = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${cluster.server}${path}`,
      { ca: data(cluster['certificate-authority-data']), cert: data(user['client-certificate-data']), key: data(user['client-key-data']), timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
    req.on('error', reject);
  });
}

before(async () => {
  if (skip) return;
  kube = await startKubeApiServer({ readerNamespace: READER_NS });
  console.log(`# etcd ready in ${kube.timings.etcdMs} ms, kube-apiserver ready in ${kube.timings.apiServerMs} ms (${kube.server})`);
}, { timeout: 150_000 });

after(async () => {
  await kube?.stop();
});

test('the API server answers on loopback with its version, and admin is allowed everything', { skip, timeout: 30_000 }, async () => {
  assert.match(kube.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  const version = await kube.kubectl(['version', '-o', 'json']);
  assert.equal(version.code, 0, version.stderr);
  const v = JSON.parse(version.stdout);
  assert.equal(v.clientVersion.gitVersion, 'v1.34.3');
  assert.equal(v.serverVersion.gitVersion, 'v1.34.3');
  const canI = await kube.kubectl(['auth', 'can-i', '*', '*', '--all-namespaces']);
  assert.equal(canI.stdout.trim(), 'yes', canI.stderr);
  const readerCan = await kube.kubectl(['auth', 'can-i', 'list', 'namespaces'], kube.readerKubeconfig);
  assert.equal(readerCan.stdout.trim(), 'no', readerCan.stderr);
});

test('the cert-manager and Gateway API CRDs install and become Established', { skip, timeout: 90_000 }, async () => {
  const names = await installCertManagerCrds(kube.adminKubeconfig);
  for (const crd of ['certificates.cert-manager.io', 'issuers.cert-manager.io', 'clusterissuers.cert-manager.io', 'certificaterequests.cert-manager.io', 'orders.acme.cert-manager.io', 'challenges.acme.cert-manager.io', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io']) {
    assert.ok(names.includes(crd), `${crd} in ${names.join(', ')}`);
  }
  const established = await kube.kubectl(['get', 'crd', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Established")].status}{"\\n"}{end}']);
  assert.equal(established.code, 0, established.stderr);
  for (const line of established.stdout.trim().split('\n')) assert.match(line, /=True$/);
});

test('admin creates Certificates; reader lists them in its namespace and is denied (403) elsewhere', { skip, timeout: 90_000 }, async () => {
  for (const ns of [READER_NS, OTHER_NS]) {
    const created = await kube.kubectl(['create', 'namespace', ns]);
    assert.equal(created.code, 0, created.stderr);
  }
  for (const [ns, name] of [[READER_NS, 'web'], [OTHER_NS, 'api']] as const) {
    const applied = await kube.kubectl(['apply', '-f', '-'], kube.adminKubeconfig, { input: certificate(ns, name) });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, new RegExp(`certificate\\.cert-manager\\.io/${name} created`));
  }
  // No controller runs: the object has no status.
  const stored = JSON.parse((await kube.kubectl(['get', 'certificate', 'web', '-n', READER_NS, '-o', 'json'])).stdout);
  assert.deepEqual(stored.spec.dnsNames, ['web.example.test']);
  assert.equal(stored.status, undefined);

  // Before the grant, reader may not even list its own namespace.
  const before = await getAs(kube.readerKubeconfig, `/apis/cert-manager.io/v1/namespaces/${READER_NS}/certificates`);
  assert.equal(before.status, 403, before.body);

  await grantCertificateReader({ adminKubeconfig: kube.adminKubeconfig, namespace: READER_NS, userKubeconfig: kube.readerKubeconfig });

  // kubectl as reader, in the kubeconfig's default namespace (team-a).
  const listed = await kube.kubectl(['get', 'certificates', '-o', 'name'], kube.readerKubeconfig);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.trim(), 'certificate.cert-manager.io/web');
  const got = await kube.kubectl(['get', 'certificate', 'web', '-o', 'jsonpath={.spec.secretName}'], kube.readerKubeconfig);
  assert.equal(got.stdout, 'web-tls', got.stderr);

  const elsewhere = await kube.kubectl(['get', 'certificates', '-n', OTHER_NS], kube.readerKubeconfig);
  assert.notEqual(elsewhere.code, 0);
  assert.match(elsewhere.stderr, /Forbidden.*User "reader" cannot list resource "certificates" in API group "cert-manager\.io" in the namespace "team-b"/);
  const write = await kube.kubectl(['delete', 'certificate', 'web'], kube.readerKubeconfig);
  assert.notEqual(write.code, 0);
  assert.match(write.stderr, /Forbidden.*cannot delete resource "certificates"/);

  // The same through plain HTTPS with the kubeconfig's own credentials.
  const own = await getAs(kube.readerKubeconfig, `/apis/cert-manager.io/v1/namespaces/${READER_NS}/certificates`);
  assert.equal(own.status, 200, own.body);
  assert.deepEqual(JSON.parse(own.body).items.map((i: { metadata: { name: string } }) => i.metadata.name), ['web']);
  const other = await getAs(kube.readerKubeconfig, `/apis/cert-manager.io/v1/namespaces/${OTHER_NS}/certificates`);
  assert.equal(other.status, 403, other.body);
  assert.equal(JSON.parse(other.body).reason, 'Forbidden');
  const all = await getAs(kube.readerKubeconfig, '/apis/cert-manager.io/v1/certificates');
  assert.equal(all.status, 403, all.body);
  const adminAll = await getAs(kube.adminKubeconfig, '/apis/cert-manager.io/v1/certificates');
  assert.equal(adminAll.status, 200, adminAll.body);
  assert.deepEqual(JSON.parse(adminAll.body).items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ['api', 'web']);
});
