/**
 * `certsmith explain certificate` against cert-manager's real controller
 * (v1.21.2, test/world/cert-manager.ts), a real kube-apiserver, Pebble and
 * bind9. Every state below is made by the controller itself from what a user
 * would apply; the test only reads and asserts the root-cause code, the
 * evidence and the next action:
 *
 *   healthy                 SelfSigned → Ready: exit 0, the renewal time
 *   issuance-backoff        ACME, a commonName that is not in dnsNames: the
 *                           request fails, the controller backs off; the next
 *                           attempt as cert-manager computes it, and renew now
 *   acme-order-failed       a dnsName Pebble refuses: its problem document verbatim
 *   dns01-update-refused    a wrong TSIG key: bind9 answers NOTAUTH
 *   dns01-not-propagated    split horizon: the record is at the authoritative
 *                           bind9, the controller's resolver (a second bind9 with
 *                           its own copy of the zone) never sees it; Certsmith's
 *                           propagation table shows both
 *   ca-secret-missing / ca-secret-incomplete / ca-secret-wrong-namespace
 *                           a CA Issuer without its Secret, a Secret without
 *                           tls.key, a ClusterIssuer whose Secret is in "default"
 *                           instead of the cluster resource namespace
 *   acme-account-ca-unreachable / acme-account-eab-rejected
 *                           an ACME server nobody listens on; a Pebble that
 *                           requires EAB and gets the wrong HMAC key
 *   external-issuer-not-installed
 *                           issuerRef group awesome.example.com
 *   request-not-approved / request-denied
 *                           the controller restarted without its approver
 *                           (--controllers=*,-certificaterequests-approver);
 *                           then the request denied as an approver would
 *   reissue                 a Ready Certificate moved to another issuer:
 *                           cert-manager's IncorrectIssuer reason is explained
 *
 * The status panel (client/panels/status-html.ts) renders the explanations
 * the controller produced in headless Chromium with VS Code's light, dark and
 * high-contrast colours; screenshots go to test/results/panels/status-*.png.
 *
 * Only the split-horizon solver runs cert-manager's self check (it never
 * passes, so its 60 s sleep never starts); every other solver sets
 * waitInsteadOfSelfCheck. No output may contain a Secret value: every value
 * of every Secret is looked for in every output at the end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from '../world/acme-world.js';
import { startBind9, zoneFile, type Bind9 } from '../world/bind9.js';
import { certManagerControllerBuilt, certManagerControllerDir, startCertManager, type CertManager } from '../world/cert-manager.js';
import { kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';
import { startPebble, type Pebble } from '../world/pebble.js';
import { ROOT, runCli, type CliResult } from '../support/cli.js';
import { chromiumMissingReason, launchBrowser } from '../world/browser.js';
import { renderStatusHtml } from '../../client/panels/status-html.js';
import type { Page } from 'playwright-core';
import { ClusterConnection } from '../../engine/cluster/connection.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import { explainCertificate } from '../../engine/cluster/explain/explain-certificate.js';
import type { Explanation } from '../../engine/cluster/explain/explanation.js';
import { loadKubeconfig } from '../../engine/cluster/kubeconfig.js';
import { parseNameserver } from '../../engine/dns/nameserver-address.js';
import { recordChecker } from '../../server/cli/record-check.js';

const skip = !kubernetesPeersBuilt()
  ? `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``
  : !certManagerControllerBuilt()
    ? `cert-manager's controller is not built for the current source (${certManagerControllerDir()}): run \`npm run setup\``
    : false;

const RESULTS = join(ROOT, 'test', 'results', 'explain');
let kube: KubeApiServer;
let acme: AcmeWorld;
/** A second authoritative bind9 with its own copy of the zone: the controller's only resolver (split horizon). */
let internal: Bind9;
let eabPebble: Pebble;
let cm: CertManager;
let dir: string;
const outputs: string[] = [];
/** Each explanation reached, by "name:code", for the panel's render test. */
const explanations: Record<string, any> = {};
const started = Date.now();

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await kube.kubectl(args, undefined, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function explain(name: string, extra: string[] = []): CliResult {
  const r = runCli(['explain', 'certificate', name, '-n', 'default', '--certificate-request-minimum-backoff-duration', '5s', '--certificate-request-maximum-backoff-duration', '1m', ...extra], {
    cwd: dir,
    env: { ...process.env, KUBECONFIG: kube.adminKubeconfig, HOME: dir },
    timeoutMs: 60_000,
  });
  outputs.push(r.stdout, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `stack trace:\n${r.stderr}`);
  return r;
}

/** Explains (JSON) until the cause has this code, within a bounded time: the controller gets there on its own schedule. */
async function explainUntil(name: string, code: string, timeoutMs = 45_000, extra: string[] = []): Promise<{ json: any; text: string; status: number | null }> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  for (;;) {
    const r = explain(name, ['--format', 'json', ...extra]);
    last = r.stdout ? JSON.parse(r.stdout) : { error: r.stderr };
    if (last.cause?.code === code || (code === 'healthy' && last.verdict === 'healthy')) {
      const text = explain(name, extra);
      assert.equal(text.status, r.status, 'text and JSON exit alike');
      // What a user sees, kept for reading (test/results is not committed).
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(join(RESULTS, `${name}-${code}.txt`), text.stdout);
      writeFileSync(join(RESULTS, `${name}-${code}.json`), r.stdout);
      explanations[`${name}:${code}`] = last;
      return { json: last, text: text.stdout, status: r.status };
    }
    if (Date.now() > deadline) assert.fail(`explain ${name}: expected ${code}, got ${last.cause?.code ?? last.verdict ?? 'an error'}:\n${explain(name, extra).stdout}\ncontroller log:\n${cm.logTail('controller', 15)}`);
    await new Promise((res) => setTimeout(res, 700));
  }
}

const solver = (o: { selfCheck?: boolean; tsigSecret?: string } = {}) => `      - dns01:
          rfc2136:
            nameserver: ${acme.bind9.address}
            tsigKeyName: ${acme.bind9.tsig!.name}
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef:
              name: ${o.tsigSecret ?? 'tsig-secret'}
              key: tsig-secret-key
${o.selfCheck ? '' : '        waitInsteadOfSelfCheck: 0s\n'}`;

/** Only the Issuer document of acme.issuerYaml (its Secrets are applied once). */
const issuerOnly = (yaml: string) => yaml.split('\n---\n')[0]!;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'certsmith-explain-'));
  kube = await startKubeApiServer();
  acme = await startAcmeWorld();
  internal = await startBind9({ zones: [{ name: acme.zone, content: zoneFile({ zone: acme.zone, soaMinimum: 2, records: ['@ IN A 127.0.0.1', '* IN A 127.0.0.1'] }) }] });
  eabPebble = await startPebble({ dnsServer: acme.bind9.address, externalAccountMACKeys: { 'kid-1': randomBytes(32).toString('base64url') } });
  // The controller resolves (zones, self check) only through the internal bind9.
  cm = await startCertManager({ kube, recursiveNameservers: [internal.address], recursiveOnly: true });

  const wrongTsig = randomBytes(32).toString('base64');
  const caBundle = (p: Pebble) => Buffer.from(p.caBundlePem).toString('base64');
  await kubectl(['apply', '-f', '-'], [
    acme.issuerYaml({ name: 'pebble', solvers: solver() }),
    issuerOnly(acme.issuerYaml({ name: 'pebble-selfcheck', solvers: solver({ selfCheck: true }) })),
    issuerOnly(acme.issuerYaml({ name: 'pebble-tsig', solvers: solver({ tsigSecret: 'tsig-wrong' }) })),
    `apiVersion: v1\nkind: Secret\nmetadata: {name: tsig-wrong, namespace: default}\nstringData: {tsig-secret-key: "${wrongTsig}"}\n`,
    issuerOnly(acme.issuerYaml({ name: 'unreachable', directoryUrl: 'https://127.0.0.1:9/dir', solvers: solver() })).replace('name: pebble-account', 'name: unreachable-account'),
    acme
      .issuerYaml({ name: 'eab', directoryUrl: eabPebble.directoryUrl, externalAccountBinding: { keyID: 'kid-1', hmacKey: randomBytes(32).toString('base64url') }, solvers: solver() })
      .replace('name: pebble-account', 'name: eab-account')
      .replace(caBundle(acme.pebble), caBundle(eabPebble))
      .split('\n---\n')
      .filter((d) => !(d.startsWith('apiVersion: v1\nkind: Secret') && d.includes('name: tsig-secret\n')))
      .join('\n---\n'),
    'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: selfsigned, namespace: default}\nspec: {selfSigned: {}}\n',
    'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: ca-missing, namespace: default}\nspec: {ca: {secretName: no-such-ca}}\n',
    'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: ca-nokey, namespace: default}\nspec: {ca: {secretName: ca-cert-only}}\n',
    'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: ca-elsewhere}\nspec: {ca: {secretName: root-ca-tls}}\n',
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: root-ca, namespace: default}\nspec: {isCA: true, commonName: Explain test root, secretName: root-ca-tls, privateKey: {algorithm: ECDSA}, issuerRef: {name: selfsigned}}\n',
  ].join('\n---\n'));
  const certs: string[] = [
    certificateYaml({ name: 'healthy', issuer: 'selfsigned', dnsNames: ['healthy.example.test'] }),
    certificateYaml({ name: 'moved', issuer: 'selfsigned', dnsNames: ['moved.example.test'] }),
    certificateYaml({ name: 'cn-mismatch', issuer: 'pebble', dnsNames: ['cn.example.test'], extra: '  commonName: other.example.test\n' }),
    certificateYaml({ name: 'refused', issuer: 'pebble', dnsNames: ['bad_name.example.test'] }),
    certificateYaml({ name: 'tsig', issuer: 'pebble-tsig', dnsNames: ['tsig.example.test'] }),
    certificateYaml({ name: 'split', issuer: 'pebble-selfcheck', dnsNames: ['split.example.test'] }),
    certificateYaml({ name: 'ca-missing', issuer: 'ca-missing', dnsNames: ['cam.example.test'] }),
    certificateYaml({ name: 'ca-nokey', issuer: 'ca-nokey', dnsNames: ['cak.example.test'] }),
    certificateYaml({ name: 'ca-elsewhere', issuer: 'ca-elsewhere', dnsNames: ['cae.example.test'] }).replace('    name: ca-elsewhere\n', '    name: ca-elsewhere\n    kind: ClusterIssuer\n'),
    certificateYaml({ name: 'unreachable', issuer: 'unreachable', dnsNames: ['u.example.test'] }),
    certificateYaml({ name: 'eab', issuer: 'eab', dnsNames: ['eab.example.test'] }),
    certificateYaml({ name: 'external', issuer: 'awesome', dnsNames: ['ext.example.test'] }).replace('    name: awesome\n', '    name: awesome\n    kind: AwesomeIssuer\n    group: awesome.example.com\n'),
  ];
  await kubectl(['apply', '-f', '-'], certs.join('---\n'));
  // The CA issuer without tls.key: the root's certificate alone.
  const w = await kube.kubectl(['wait', '--for=condition=Ready', '--timeout=60s', '-n', 'default', 'certificate/root-ca']);
  assert.equal(w.code, 0, w.stderr);
  const crt = (await kubectl(['get', 'secret', 'root-ca-tls', '-n', 'default', '-o', 'jsonpath={.data.tls\\.crt}'])).trim();
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ca-cert-only', namespace: 'default' }, type: 'Opaque', data: { 'tls.crt': crt } }));
  console.log(`# world and manifests ready in ${Date.now() - started} ms (controller ready in ${cm.timings.controllerMs} ms)`);
}, { timeout: 180_000 });

after(async () => {
  await cm?.stop();
  await eabPebble?.stop();
  await internal?.stop();
  await acme?.stop();
  await kube?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`# explain suite: ${Date.now() - started} ms in all`);
});

test('a failed issuance in backoff: the next attempt as cert-manager computes it, and renew now starts one', { skip, timeout: 120_000 }, async () => {
  const { json, text, status } = await explainUntil('cn-mismatch', 'issuance-backoff');
  assert.equal(status, 1);
  const r = json.retry;
  const attempts = json.status.status.failedIssuanceAttempts;
  assert.ok(attempts >= 1);
  // cert-manager v1.21: 5 s × 2^(attempts − 1), at most 1 m (the world's --certificate-request-*-backoff-duration).
  const delay = Math.min(5000 * 2 ** (attempts - 1), 60_000);
  assert.equal(r.delayMs, delay);
  assert.equal(Date.parse(r.nextAttemptAt), Date.parse(json.status.status.lastFailureTime) + delay);
  assert.match(json.cause.summary, /The CSR PEM requests a commonName that is not present in the list of dnsNames/);
  assert.match(json.cause.nextAction, /renew now \(certsmith renew cn-mismatch -n default\)/);
  assert.match(text, /^Root cause \[issuance-backoff\]: The last issuance failed; cert-manager waits before trying again$/m);
  assert.match(text, /^Retry: last failure \S+, \d+ failed attempts?; backoff (\d+s|1m); (next attempt at \S+ \(in [\d.]+s\)|the next attempt was due at \S+)\.$/m);
  assert.match(text, /5s × 2\^\(\d+ − 1\), at most 1m/);

  // While it waits, the controller does nothing; renew starts an attempt at once (it fails again: one more attempt).
  const before = attempts;
  const renew = runCli(['renew', 'cn-mismatch', '-n', 'default'], { cwd: dir, env: { ...process.env, KUBECONFIG: kube.adminKubeconfig, HOME: dir } });
  outputs.push(renew.stdout, renew.stderr);
  if (renew.status === 0) {
    const deadline = Date.now() + 30_000;
    let now = before;
    while (now <= before && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 300));
      now = Number(await kubectl(['get', 'certificate', 'cn-mismatch', '-n', 'default', '-o', 'jsonpath={.status.failedIssuanceAttempts}']));
    }
    assert.ok(now > before, `renew started a new attempt (failedIssuanceAttempts ${before} → ${now})`);
  } else {
    // The controller's own retry came first (it was already Issuing): that is an attempt too.
    assert.match(renew.stderr, /already being issued/);
  }
});

test('healthy: exit 0, says so and when it renews', { skip, timeout: 60_000 }, async () => {
  const { json, text, status } = await explainUntil('healthy', 'healthy');
  assert.equal(status, 0);
  assert.equal(json.verdict, 'healthy');
  assert.equal(json.cause, undefined);
  assert.ok(json.renewal.renewalTime && json.renewal.notAfter);
  assert.match(text, /^Certificate default\/healthy: HEALTHY/m);
  assert.match(text, new RegExp(`cert-manager renews it at ${json.renewal.renewalTime} \\(in (59|60)d`));
  assert.match(text, /^  Certificate default\/healthy\s+ok\s+Ready$/m);
});

test('an Order the CA refuses: the problem document, verbatim', { skip, timeout: 90_000 }, async () => {
  const { json, text, status } = await explainUntil('refused', 'acme-order-failed');
  assert.equal(status, 1);
  assert.deepEqual(
    { status: json.cause.problem.status, type: json.cause.problem.type },
    { status: 400, type: 'urn:ietf:params:acme:error:malformed' },
  );
  assert.equal(json.cause.problem.detail, "Order included DNS identifier with a value containing an illegal character: '_'");
  assert.match(text, /The CA's problem document \(verbatim\):\n    400 urn:ietf:params:acme:error:malformed: Order included DNS identifier with a value containing an illegal character: '_'/);
  assert.match(json.cause.nextAction, /not a valid DNS name for this CA; correct it/);
  assert.ok(json.nodes.some((n: any) => n.kind === 'Order' && n.state === 'failed'), 'the Order is drawn as failed');
});

test('DNS-01 with a wrong TSIG key: the nameserver answered NOTAUTH', { skip, timeout: 90_000 }, async () => {
  const { json, text } = await explainUntil('tsig', 'dns01-update-refused');
  assert.equal(json.cause.answer, 'NOTAUTH');
  assert.match(json.cause.summary, new RegExp(`the nameserver ${acme.bind9.address.replace(/\./g, '\\.')} answered NOTAUTH \\(the nameserver rejected the TSIG signature`));
  assert.match(text, /Challenge default\/tsig-1-\d+-\d+ status\.reason: DNS update failed: dns: bad authentication/);
  assert.match(text, /Secret default\/tsig-wrong DNS-01 rfc2136 tsigSecretSecretRef: exists, keys: tsig-secret-key/);
  assert.match(json.cause.nextAction, /Compare the TSIG key in Secret default\/tsig-wrong/);
  const node = json.nodes.find((n: any) => n.cause);
  assert.equal(node.kind, 'Challenge');
});

test('DNS-01 split horizon: at the authoritative bind9, never at the controller\'s resolver; the per-nameserver table', { skip, timeout: 90_000 }, async () => {
  const flags = ['--recursive-nameservers', internal.address, '--authoritative-port', String(acme.bind9.port)];
  const { json, text } = await explainUntil('split', 'dns01-not-propagated', 45_000, flags);
  const rc = json.cause.recordCheck;
  assert.equal(rc.name, '_acme-challenge.split.example.test');
  assert.equal(rc.propagated, false);
  const auth = rc.nameservers.filter((n: any) => n.role === 'authoritative');
  const rec = rc.nameservers.filter((n: any) => n.role === 'recursive');
  assert.ok(auth.length >= 1 && auth.every((n: any) => n.matched), `the authoritative bind9 holds it: ${JSON.stringify(auth)}`);
  // The internal zone has a wildcard A record: the name exists there, without TXT (NODATA).
  assert.deepEqual(rec.map((n: any) => [n.server, n.matched, n.rcode]), [[internal.address, false, 'NODATA']]);
  assert.deepEqual(rc.expected, [json.status.challenges[0].key]);
  assert.match(json.cause.summary, /authoritative nameservers hold the value, 1 of the 1 recursive nameserver does not \(split horizon/);
  assert.match(text, /Propagation check \(Certsmith, from this machine; recursive nameservers 127\.0\.0\.1:\d+ \(--recursive-nameservers\)\):/);
  assert.match(text, new RegExp(`OK\\s+authoritative\\s+ns1\\.example\\.test 127\\.0\\.0\\.1:${acme.bind9.port}\\s+NOERROR`));
  assert.match(text, new RegExp(`STALE\\s+recursive\\s+${internal.address.replace(/\./g, '\\.')}\\s+NODATA`));
  assert.match(json.cause.nextAction, /--dns01-recursive-nameservers/);
});

test('CA issuers: Secret missing, without tls.key, or outside the cluster resource namespace', { skip, timeout: 90_000 }, async () => {
  const missing = await explainUntil('ca-missing', 'ca-secret-missing');
  assert.match(missing.json.cause.summary, /key pair Secret "no-such-ca" does not exist in namespace "default"/);
  assert.match(missing.text, /Issuer default\/ca-missing status\.conditions\[Ready\]: False, ErrGetKeyPair: Error getting keypair for CA issuer: secrets "no-such-ca" not found/);
  assert.match(missing.json.cause.nextAction, /Create Secret "no-such-ca" in namespace "default" with tls\.crt .* and tls\.key/);

  const nokey = await explainUntil('ca-nokey', 'ca-secret-incomplete');
  assert.match(nokey.json.cause.summary, /Secret default\/ca-cert-only has no tls\.key/);
  assert.match(nokey.text, /Secret default\/ca-cert-only data keys: tls\.crt$/m);

  const elsewhere = await explainUntil('ca-elsewhere', 'ca-secret-wrong-namespace');
  assert.match(elsewhere.json.cause.summary, /The ClusterIssuer reads Secret "root-ca-tls" from the cluster resource namespace "cert-manager", but it is in namespace "default"/);
  assert.match(elsewhere.json.cause.nextAction, /--cluster-resource-namespace=default/);
  assert.equal(elsewhere.json.nodes.find((n: any) => n.cause).id, 'secret:cert-manager/root-ca-tls');
});

test('an ACME account that cannot register: the CA unreachable; the EAB refused', { skip, timeout: 90_000 }, async () => {
  const down = await explainUntil('unreachable', 'acme-account-ca-unreachable');
  assert.match(down.json.cause.summary, /cannot reach the ACME server https:\/\/127\.0\.0\.1:9\/dir: nothing listens there \(connection refused\)/);
  assert.match(down.text, /Failed to register ACME account: Get "https:\/\/127\.0\.0\.1:9\/dir": dial tcp 127\.0\.0\.1:9: connect: connection refused/);

  const eab = await explainUntil('eab', 'acme-account-eab-rejected');
  assert.equal(eab.json.cause.problem.type, 'urn:ietf:params:acme:error:unauthorized');
  assert.match(eab.json.cause.problem.detail, /external account binding JWS verification error/);
  assert.match(eab.text, /Secret default\/eab-secret EAB HMAC key \(key "secret"\): exists, keys: secret/);
  assert.match(eab.json.cause.nextAction, /spec\.acme\.externalAccountBinding\.keyID and the HMAC key/);
});

test('an issuerRef group no controller serves: the external issuer is not installed', { skip, timeout: 60_000 }, async () => {
  const { json, text } = await explainUntil('external', 'external-issuer-not-installed');
  assert.match(json.cause.summary, /names AwesomeIssuer "awesome" in group awesome\.example\.com, which the API server does not serve/);
  assert.match(text, /API discovery: context "admin@certsmith-test" does not serve awesome\.example\.com\/v1 \(no awesomeissuers\.awesome\.example\.com\)/);
});

test('a Ready Certificate moved to a broken issuer: why it is re-issued, and why it cannot be', { skip, timeout: 60_000 }, async () => {
  await explainUntil('moved', 'healthy');
  await kubectl(['patch', 'certificate', 'moved', '-n', 'default', '--type=merge', '-p', '{"spec":{"issuerRef":{"name":"ca-missing"}}}']);
  const { json, text } = await explainUntil('moved', 'ca-secret-missing');
  assert.equal(json.reissue.reason, 'IncorrectIssuer');
  assert.match(json.reissue.message, /Issuing certificate as Secret was previously issued by "Issuer\.cert-manager\.io\/selfsigned"/);
  assert.match(text, /^Re-issuing \(IncorrectIssuer\): the Secret was issued by another issuer than spec\.issuerRef names now\./m);
});

test('the approver disabled: a request neither approved nor denied; then denied', { skip, timeout: 120_000 }, async () => {
  await cm.stop();
  cm = await startCertManager({ kube, recursiveNameservers: [internal.address], recursiveOnly: true, controllers: ['*', '-certificaterequests-approver'], installCrds: false });
  await kubectl(['apply', '-f', '-'], certificateYaml({ name: 'unapproved', issuer: 'selfsigned', dnsNames: ['unapproved.example.test'] }));
  const waiting = await explainUntil('unapproved', 'request-not-approved');
  assert.match(waiting.json.cause.summary, /CertificateRequest default\/unapproved-1 has been neither approved nor denied/);
  assert.match(waiting.json.cause.nextAction, /do not disable certificaterequests-approver in --controllers/);
  assert.equal(waiting.json.nodes.find((n: any) => n.cause).kind, 'CertificateRequest');

  // Denied, as an approver (approver-policy, a person with cmctl deny) writes it.
  const denied = { type: 'Denied', status: 'True', reason: 'policy.cert-manager.io', message: 'No policy approved this request', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  await kubectl(['patch', 'certificaterequest', 'unapproved-1', '-n', 'default', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [denied] } })]);
  const d = await explainUntil('unapproved', 'request-denied');
  assert.match(d.json.cause.summary, /was denied by policy\.cert-manager\.io: nothing will sign it\. No policy approved this request/);
  // The controller failed the issuance for it: the backoff is there too.
  const deadline = Date.now() + 20_000;
  let x = d.json;
  while (!x.retry && Date.now() < deadline) x = JSON.parse(explain('unapproved', ['--format', 'json']).stdout);
  assert.ok(x.retry, 'the denial failed the issuance (lastFailureTime)');
  assert.match(x.cause.nextAction, /cert-manager tries again at \S+ \(in [\d.]+s\); to try sooner: certsmith renew unapproved -n default\./);
});

/** The few VS Code theme variables the panels use, as VS Code sets them in each theme (as test/chain/panel-render.test.ts). */
const THEMES: Record<string, Record<string, string>> = {
  light: { 'editor-background': '#ffffff', foreground: '#3b3b3b', errorForeground: '#e51400', 'editorWarning-foreground': '#bf8803', 'editorInfo-foreground': '#1a85ff', 'testing-iconPassed': '#388a34', descriptionForeground: '#717171', 'panel-border': '#e5e5e5', focusBorder: '#005fb8', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'editorWidget-background': '#f8f8f8', 'font-family': 'system-ui, sans-serif' },
  dark: { 'editor-background': '#1f1f1f', foreground: '#cccccc', errorForeground: '#f85149', 'editorWarning-foreground': '#cca700', 'editorInfo-foreground': '#3794ff', 'testing-iconPassed': '#73c991', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b', focusBorder: '#0078d4', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'editorWidget-background': '#202020', 'font-family': 'system-ui, sans-serif' },
  'high-contrast': { contrastBorder: '#6fc3df', 'editor-background': '#000000', foreground: '#ffffff', errorForeground: '#f48771', 'editorWarning-foreground': '#ffd700', 'editorInfo-foreground': '#3794ff', 'testing-iconPassed': '#73c991', descriptionForeground: '#ffffff', 'panel-border': '#6fc3df', focusBorder: '#f38518', 'button-background': '#000000', 'button-foreground': '#ffffff', 'editorWidget-background': '#0c141f', 'font-family': 'system-ui, sans-serif' },
};

test('the status panel draws Certificate → request → order → challenges by state, the root cause outlined, events beside each (light, dark, high contrast)', { skip: skip || chromiumMissingReason() || false, timeout: 90_000 }, async () => {
  const browser = await launchBrowser();
  const out = join(ROOT, 'test', 'results', 'panels');
  mkdirSync(out, { recursive: true });
  try {
    const cases: [string, (page: Page) => Promise<void>][] = [
      ['split:dns01-not-propagated', async (page) => {
        assert.equal(await page.locator('#cause-code').textContent(), 'dns01-not-propagated');
        assert.equal(await page.locator('#propagation tbody tr').count(), 2, 'one row per nameserver');
        assert.match((await page.locator('#propagation').innerText()).replace(/\s+/g, ' '), /OK authoritative ns1\.example\.test .* STALE recursive/);
      }],
      ['tsig:dns01-update-refused', async (page) => {
        assert.equal(await page.locator('#answer').textContent(), 'NOTAUTH');
        assert.deepEqual(await page.locator('#graph .node').evaluateAll((els) => els.map((el) => `${el.querySelector('.kind')!.textContent!.replace(' root cause', '')}:${el.getAttribute('data-state')}${el.classList.contains('cause') ? '*' : ''}`)), ['Issuer:ok', 'Certificate:progress', 'CertificateRequest:progress', 'Order:progress', 'Challenge:failed*']);
        assert.match(await page.locator('#graph .row').last().locator('.side').innerText(), /PresentError/, 'the Challenge\'s events beside it');
      }],
      ['refused:acme-order-failed', async (page) => {
        assert.equal(await page.locator('#problem').textContent(), "400 urn:ietf:params:acme:error:malformed: Order included DNS identifier with a value containing an illegal character: '_'");
        assert.equal((await page.locator('.node.cause .kind').textContent())!.split(' ')[0], 'Order');
        assert.equal(await page.locator('a.button', { hasText: 'Renew now' }).count(), 1);
        assert.match(decodeURIComponent((await page.locator('a.button', { hasText: 'Renew now' }).getAttribute('href'))!), /^command:certsmith\.cluster\.renew\?\[\{"name":"refused","namespace":"default"\}\]$/);
      }],
      ['healthy:healthy', async (page) => {
        assert.equal(await page.locator('#verdict').textContent(), 'Ready');
        assert.match(await page.locator('#cause').innerText(), /cert-manager renews it at \S+ \(in (59|60)d/);
        assert.equal(await page.locator('.node.cause').count(), 0);
      }],
    ];
    // What the language server sends the panel: the engine's explanation (the CLI's JSON writes the chain in inspect's form).
    const conn = await ClusterConnection.open(loadKubeconfig({ kubeconfig: kube.adminKubeconfig }), { timeoutMs: 10_000 });
    const made: Record<string, Explanation> = {};
    try {
      for (const [key] of cases) {
        assert.ok(explanations[key], `the state ${key} was reached earlier`);
        made[key] = await explainCertificate(new ClusterReader(conn), 'default', key.split(':')[0]!, {
          backoff: { minimumMs: 5000, maximumMs: 60_000 },
          checkRecord: recordChecker({ recursiveNameservers: [parseNameserver(internal.address)], source: 'test', recursiveOnly: false, authoritativePort: acme.bind9.port }),
        });
        assert.equal(made[key]!.cause?.code ?? made[key]!.verdict, key.split(':')[1], `${key} still holds`);
      }
    } finally {
      conn.close();
    }
    for (const theme of Object.keys(THEMES)) {
      for (const [key, check] of cases) {
        const x = made[key]!;
        const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
        const page = await context.newPage();
        await page.route('**/*', (r) => r.abort()); // no network: the panel needs none
        await page.setContent(renderStatusHtml(x, 'n', { renew: { command: 'certsmith.cluster.renew', arg: { name: x.name, namespace: x.namespace } }, again: { command: 'certsmith.cluster.explain', arg: { name: x.name, namespace: x.namespace } } }));
        await page.addStyleTag({ content: `:root { ${Object.entries(THEMES[theme]!).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }` });
        await page.screenshot({ path: join(out, `status-${key.split(':')[0]}-${theme}.png`), fullPage: true });
        await check(page);
        // Keyboard: the first link or summary is reachable with Tab.
        await page.keyboard.press('Tab');
        assert.match(String(await page.evaluate('document.activeElement && document.activeElement.tagName')), /^(A|SUMMARY)$/);
        // Nothing of the page came from outside it, and no Secret value is in it.
        outputs.push(await page.content());
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
});

test('usage and errors: exit 2 for usage and connection problems, 1 for a Certificate that does not exist', { skip, timeout: 30_000 }, async () => {
  assert.equal(explain('nope').status, 1);
  assert.match(outputs.at(-1)!, /Certificate "nope" not found in namespace "default"/);
  const u = runCli(['explain', 'issuer', 'x'], { cwd: dir });
  assert.equal(u.status, 2);
  assert.match(u.stderr, /explains Certificates only/);
});

test('no Secret value appears in any output', { skip, timeout: 30_000 }, async () => {
  const secrets = JSON.parse(await kubectl(['get', 'secrets', '-A', '-o', 'json'])).items;
  let checked = 0;
  for (const s of secrets) {
    for (const [k, v] of Object.entries<string>(s.data ?? {})) {
      const decoded = Buffer.from(v, 'base64').toString('utf8');
      const needles = [v.slice(0, 40), ...decoded.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')).map((l) => l.slice(0, 40))];
      for (const n of needles) {
        if (n.length < 16) continue;
        checked++;
        for (const o of outputs) assert.ok(!o.includes(n), `a value of Secret ${s.metadata.namespace}/${s.metadata.name} (${k}) appears in an output`);
      }
    }
  }
  assert.ok(checked > 10, `values checked: ${checked}`);
  assert.ok(outputs.length > 20);
});
