/**
 * Proxies between Certsmith and the API server, as kubectl uses them: the
 * kubeconfig's proxy-url through a real HTTP CONNECT proxy (Debian's
 * tinyproxy, test/world/tinyproxy.ts) in front of a real kube-apiserver, with
 * and without Basic authentication; a proxy that is down; and the
 * HTTPS_PROXY / NO_PROXY rules (never for loopback, as in Go).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { noProxyMatches, proxyFor } from '../../engine/cluster/proxy.js';
import { installCertManagerCrds, kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';
import { startTinyproxy, tinyproxyMissingReason, type Tinyproxy } from '../world/tinyproxy.js';
import { freePort } from '../world/free-port.js';
import { runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

test('proxy-url wins; HTTPS_PROXY / HTTP_PROXY by scheme, skipped for loopback and what NO_PROXY names', () => {
  const server = new URL('https://api.example.test:6443');
  assert.equal(proxyFor(server, 'http://user:secret@proxy.test:3128', {})?.shown, 'http://proxy.test:3128');
  assert.equal(proxyFor(server, 'http://proxy.test:3128', { HTTPS_PROXY: 'http://other:1' })?.from, 'proxy-url');
  assert.equal(proxyFor(server, undefined, { HTTPS_PROXY: 'http://p:1' })?.shown, 'http://p:1');
  assert.equal(proxyFor(server, undefined, { https_proxy: 'p2:8080' })?.shown, 'http://p2:8080', 'a bare host:port means http://');
  assert.equal(proxyFor(server, undefined, { HTTP_PROXY: 'http://p:1' }), undefined, 'HTTP_PROXY is for http:// servers');
  assert.equal(proxyFor(new URL('http://api.example.test'), undefined, { HTTP_PROXY: 'http://p:1' })?.from, 'HTTP_PROXY');
  for (const loopback of ['https://127.0.0.1:6443', 'https://localhost:6443', 'https://[::1]:6443']) {
    assert.equal(proxyFor(new URL(loopback), undefined, { HTTPS_PROXY: 'http://p:1' }), undefined, loopback);
    assert.ok(proxyFor(new URL(loopback), 'http://p:1', {}), `proxy-url applies to ${loopback} too`);
  }
  assert.equal(proxyFor(server, undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.example.test' }), undefined);
  assert.equal(proxyFor(server, undefined, { HTTPS_PROXY: 'http://p:1', no_proxy: 'example.test' }), undefined);
  assert.ok(proxyFor(server, undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other.test,ample.test' }));
  assert.ok(noProxyMatches('*', 'anything', '1'));
  assert.ok(noProxyMatches('10.0.0.0/8', '10.2.3.4', '443'));
  assert.ok(!noProxyMatches('10.0.0.0/8', '11.2.3.4', '443'));
  assert.ok(noProxyMatches('api.example.test:6443', 'api.example.test', '6443'));
  assert.ok(!noProxyMatches('api.example.test:443', 'api.example.test', '6443'));
  assert.ok(noProxyMatches('192.0.2.7', '192.0.2.7', '443'));
});

const skip = tinyproxyMissingReason() ?? (kubernetesPeersBuilt() ? false : `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``);
let kube: KubeApiServer;
let open: Tinyproxy;
let authed: Tinyproxy;
const PASSWORD = 'pr0xy-Pa55word-never-printed';

before(async () => {
  if (skip) return;
  kube = await startKubeApiServer({ adminNamespace: 'apps' });
  await installCertManagerCrds(kube.adminKubeconfig);
  await kube.kubectl(['create', 'namespace', 'apps']);
  open = await startTinyproxy();
  authed = await startTinyproxy({ user: 'certsmith', password: PASSWORD });
}, { timeout: 180_000 });

after(async () => {
  await open?.stop();
  await authed?.stop();
  await kube?.stop();
});

/** The admin kubeconfig with a proxy-url on its cluster. */
function kubeconfigVia(dir: string, proxyUrl: string): string {
  const kc = parse(readFileSync(kube.adminKubeconfig, 'utf8'));
  kc.clusters[0].cluster['proxy-url'] = proxyUrl;
  const file = join(dir, 'via-proxy.kubeconfig');
  writeFileSync(file, stringify(kc), { mode: 0o600 });
  return file;
}

const CERT = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: proxied\nspec:\n  secretName: proxied-tls\n  dnsNames: [proxied.example.test]\n  issuerRef:\n    name: ca\n';

function cli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = runCli(args, { cwd: dir, env: { ...process.env, KUBECONFIG: '', HTTPS_PROXY: '', https_proxy: '', HOME: dir, ...env }, timeoutMs: 60_000 });
  assert.doesNotMatch(r.stderr, /^\s+at |internal error/m, r.stderr);
  assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), 'the proxy password is never printed');
  return r;
}

test('apply, status and the watch go through the kubeconfig proxy-url (tinyproxy logs the tunnels)', { skip, timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  const kc = kubeconfigVia(dir, open.url);
  const before = open.connects().length;
  const applied = cli(dir, ['apply', '--kubeconfig', kc, 'cert.yaml']);
  assert.equal(applied.status, 0, applied.stderr);
  assert.match(applied.stdout, /certificate\.cert-manager\.io\/proxied created/);
  const status = cli(dir, ['status', 'certificate', 'proxied', '--kubeconfig', kc, '--wait', '--timeout', '2s']);
  assert.equal(status.status, 1, 'not Ready (no controller): exit 1 after the wait');
  assert.match(status.stderr, /Timed out: Certificate apps\/proxied is not ready after 2 s/);
  const tunnels = open.connects().slice(before);
  assert.ok(tunnels.length >= 2, `tunnels: ${JSON.stringify(tunnels)}`);
  assert.ok(tunnels.every((c) => c === `127.0.0.1:${kube.port}`), JSON.stringify(tunnels));
});

test('a proxy with Basic authentication: the right password works, a wrong one is refused in words (tinyproxy answers 401); no password is printed', { skip, timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  const good = cli(dir, ['apply', '--dry-run', '--kubeconfig', kubeconfigVia(dir, authed.url.replace('http://', `http://certsmith:${encodeURIComponent(PASSWORD)}@`)), 'cert.yaml']);
  assert.equal(good.status, 0, good.stderr);
  const bad = cli(dir, ['apply', '--dry-run', '--kubeconfig', kubeconfigVia(dir, authed.url.replace('http://', 'http://certsmith:wrong@')), 'cert.yaml']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, new RegExp(`the proxy http://127\\.0\\.0\\.1:${authed.port} \\(proxy-url\\) refused to open a tunnel to the API server of context "admin@certsmith-test" at https://127\\.0\\.0\\.1:${kube.port}: HTTP 401 \\(the proxy wants other credentials\\)`));
  assert.match(bad.stderr, /hint: Check the user and password in the proxy URL\./);
  assert.doesNotMatch(bad.stderr, /wrong/);
});

test('a proxy that is down: the error names the proxy, not the API server; HTTPS_PROXY is not used for a loopback server, as in kubectl', { skip, timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  const dead = await freePort();
  const r = cli(dir, ['apply', '--dry-run', '--kubeconfig', kubeconfigVia(dir, `http://127.0.0.1:${dead}`), 'cert.yaml']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`cannot reach the proxy http://127\\.0\\.0\\.1:${dead} \\(proxy-url\\) for the API server of context "admin@certsmith-test" at https://127\\.0\\.0\\.1:${kube.port}: connection refused`));
  const direct = cli(dir, ['apply', '--dry-run', '--kubeconfig', kube.adminKubeconfig, 'cert.yaml'], { HTTPS_PROXY: `http://127.0.0.1:${dead}` });
  assert.equal(direct.status, 0, direct.stderr);
});
