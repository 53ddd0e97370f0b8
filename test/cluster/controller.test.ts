/**
 * cert-manager's real controller and webhook (v1.21.2, test/world/cert-manager.ts)
 * against a real kube-apiserver, Pebble and bind9: what a user applies turns
 * into Ready Certificates and Secrets, issued by cert-manager itself.
 *
 *   SelfSigned  Issuer + Certificate → Ready, the Secret holds tls.crt/tls.key
 *               for the dnsName (openssl x509)
 *   CA          SelfSigned root (isCA) → CA Issuer → leaf → Ready; openssl
 *               verify the leaf against the root
 *   ACME        DNS-01 through bind9 (rfc2136 with the TSIG Secret) against
 *               Pebble, apex + wildcard; the solver sets
 *               waitInsteadOfSelfCheck: 0s, so cert-manager skips its self
 *               check and its hard-coded 60 s wait after it; one more
 *               Certificate runs that default path once, followed by
 *               `certsmith status --wait`
 *   webhook     a server dry run of an RSA-1024 Certificate is denied by
 *               cert-manager's webhook; the CertificateRequests the controller
 *               creates went through its mutating webhook (spec.username)
 *
 * Times to Ready are printed (`# ...`) for the notes. HTTP-01 is not here:
 * its solver pods need a kubelet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/cli.js';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from '../world/acme-world.js';
import { certManagerControllerBuilt, certManagerControllerDir, CONTROLLER_INTERVALS, startCertManager, WEBHOOK_NAME, type CertManager } from '../world/cert-manager.js';
import { kubernetesBinaryDir, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';

const skip = !kubernetesPeersBuilt()
  ? `kube-apiserver/etcd are not built (${kubernetesBinaryDir()}): run \`npm run setup\``
  : !certManagerControllerBuilt()
    ? `cert-manager's controller is not built for the current source (${certManagerControllerDir()}): run \`npm run setup\` (build-cert-manager-controller.sh says why when the Go module proxy refuses a module)`
    : false;

let kube: KubeApiServer;
let cm: CertManager;
let acme: AcmeWorld;
let dir: string;

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await kube.kubectl(args, undefined, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function getJson(args: string[]): Promise<any> {
  return JSON.parse(await kubectl([...args, '-o', 'json']));
}

/** What cert-manager made of everything, for a failure message (status only, never Secret data). */
async function snapshot(): Promise<string> {
  const r = await kube.kubectl(['get', 'issuers,clusterissuers,certificates,certificaterequests,orders,challenges', '-A', '-o', 'wide']);
  const events = await kube.kubectl(['get', 'events', '-A', '--sort-by=.lastTimestamp']);
  return `${r.stdout}${r.stderr}\n${events.stdout.split('\n').slice(-25).join('\n')}\ncontroller log:\n${cm.logTail('controller', 30)}`;
}

/** Waits (a watch, bounded) until the object's Ready condition is True; returns the milliseconds it took from `since`. */
async function waitReady(resource: string, since: number, timeoutS: number): Promise<number> {
  const r = await kube.kubectl(['wait', '--for=condition=Ready', `--timeout=${timeoutS}s`, '-n', 'default', resource], undefined, { timeoutMs: (timeoutS + 15) * 1000 });
  if (r.code !== 0) assert.fail(`${resource} did not become Ready within ${timeoutS} s: ${r.stderr}\n${await snapshot()}`);
  return Date.now() - since;
}

/** The Secret's tls.crt (PEM) written to a file; asserts tls.key is there without reading it out. */
async function issuedCertificate(secret: string): Promise<{ file: string; pem: string; caCrt?: string }> {
  const s = await getJson(['get', 'secret', '-n', 'default', secret]);
  assert.equal(s.type, 'kubernetes.io/tls');
  assert.ok(s.data?.['tls.key'], `Secret ${secret} has no tls.key`);
  assert.ok(s.data?.['tls.crt'], `Secret ${secret} has no tls.crt`);
  const pem = Buffer.from(s.data['tls.crt'], 'base64').toString('utf8');
  const file = join(dir, `${secret}.crt`);
  writeFileSync(file, pem);
  const caCrt = s.data['ca.crt'] ? Buffer.from(s.data['ca.crt'], 'base64').toString('utf8') : undefined;
  return { file, pem, caCrt };
}

function openssl(args: string[]): string {
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const timesToReady: Record<string, number> = {};

test('cert-manager v1.21.2 issues SelfSigned, CA and ACME DNS-01 certificates and its webhook judges requests', { skip, timeout: 600_000 }, async (t) => {
  dir = mkdtempSync(join(tmpdir(), 'certsmith-controller-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  kube = await startKubeApiServer();
  t.after(() => kube.stop());
  acme = await startAcmeWorld();
  t.after(() => acme.stop());
  // bind9 is the only resolver cert-manager asks (for the zone's SOA): never the system's.
  cm = await startCertManager({ kube, recursiveNameservers: [acme.bind9.address], recursiveOnly: true });
  t.after(() => cm.stop());
  console.log(`# kube-apiserver ready in ${kube.timings.etcdMs + kube.timings.apiServerMs} ms; cert-manager webhook ready (and called by the API server) in ${cm.timings.webhookMs} ms, controller ready in ${cm.timings.controllerMs} ms`);
  console.log(`# controller flags: ${cm.controllerArgs.filter((a) => !a.startsWith('--kubeconfig')).join(' ')}`);

  await t.test('the controller runs with leader election off, the cluster resource namespace exists, the webhook is registered', async () => {
    assert.match(readFileSync(cm.logs.controller, 'utf8'), /"controllers running"/);
    const ns = await getJson(['get', 'namespace', cm.clusterResourceNamespace]);
    assert.equal(ns.status.phase, 'Active');
    const leases = await kubectl(['get', 'leases', '-A', '-o', 'name']);
    assert.doesNotMatch(leases, /cert-manager-controller/);
    const validating = await getJson(['get', 'validatingwebhookconfiguration', 'cert-manager-webhook']);
    assert.equal(validating.webhooks[0].clientConfig.url, `${cm.webhookUrl}/validate`);
    assert.equal(validating.webhooks[0].failurePolicy, 'Fail');
    assert.equal(validating.webhooks[0].sideEffects, 'None');
    const mutating = await getJson(['get', 'mutatingwebhookconfiguration', 'cert-manager-webhook']);
    assert.equal(mutating.webhooks[0].clientConfig.url, `${cm.webhookUrl}/mutate`);
  });

  await t.test('SelfSigned: Issuer + Certificate → Ready, and the Secret holds a certificate for the dnsName', async () => {
    await kubectl(['apply', '-f', '-'], 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: selfsigned, namespace: default}\nspec: {selfSigned: {}}\n');
    const since = Date.now();
    await kubectl(['apply', '-f', '-'], certificateYaml({ name: 'web', issuer: 'selfsigned', dnsNames: ['web.example.test'] }));
    timesToReady.selfSigned = await waitReady('certificate/web', since, 60);
    const cert = await issuedCertificate('web-tls');
    assert.match(openssl(['x509', '-in', cert.file, '-noout', '-ext', 'subjectAltName']), /DNS:web\.example\.test/);
    // Its own issuer: subject = issuer.
    const names = openssl(['x509', '-in', cert.file, '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253']).trim().split('\n');
    assert.equal(names[0]!.replace(/^subject=/, ''), names[1]!.replace(/^issuer=/, ''));
    const status = (await getJson(['get', 'certificate', '-n', 'default', 'web'])).status;
    assert.equal(status.revision, 1);
    assert.ok(status.notAfter && status.renewalTime, 'Ready status names notAfter and renewalTime');
  });

  await t.test('the CertificateRequest went through the mutating webhook and the approver', async () => {
    const list = await getJson(['get', 'certificaterequests', '-n', 'default']);
    const cr = list.items.find((i: any) => i.metadata.annotations?.['cert-manager.io/certificate-name'] === 'web');
    assert.ok(cr, 'a CertificateRequest for Certificate web');
    // The webhook's identity plugin fills in who created it (the controller, as admin).
    assert.equal(cr.spec.username, 'admin');
    const approved = cr.status.conditions.find((c: any) => c.type === 'Approved');
    assert.equal(approved?.status, 'True');
    assert.equal(approved?.reason, 'cert-manager.io');
  });

  await t.test('CA: SelfSigned root (isCA) → CA Issuer → leaf → Ready, and openssl verifies the leaf against the root', async () => {
    const since = Date.now();
    await kubectl(['apply', '-f', '-'], [
      'apiVersion: cert-manager.io/v1',
      'kind: Certificate',
      'metadata: {name: root-ca, namespace: default}',
      'spec:',
      '  isCA: true',
      '  commonName: Certsmith test root CA',
      '  secretName: root-ca-tls',
      '  privateKey: {algorithm: ECDSA, size: 256}',
      '  issuerRef: {name: selfsigned, kind: Issuer}',
      '---',
      'apiVersion: cert-manager.io/v1',
      'kind: Issuer',
      'metadata: {name: ca, namespace: default}',
      'spec: {ca: {secretName: root-ca-tls}}',
      '',
    ].join('\n'));
    await waitReady('certificate/root-ca', since, 60);
    await waitReady('issuer/ca', since, 60);
    const leafSince = Date.now();
    await kubectl(['apply', '-f', '-'], certificateYaml({ name: 'leaf', issuer: 'ca', dnsNames: ['leaf.example.test'] }));
    timesToReady.ca = await waitReady('certificate/leaf', leafSince, 60);
    timesToReady.caChain = Date.now() - since;
    const root = await issuedCertificate('root-ca-tls');
    const leaf = await issuedCertificate('leaf-tls');
    assert.match(openssl(['x509', '-in', root.file, '-noout', '-ext', 'basicConstraints']), /CA:TRUE/);
    assert.match(openssl(['verify', '-CAfile', root.file, leaf.file]), /: OK/);
    assert.equal(leaf.caCrt?.trim(), root.pem.trim(), 'the leaf Secret carries the root as ca.crt');
    assert.match(openssl(['x509', '-in', leaf.file, '-noout', '-ext', 'subjectAltName']), /DNS:leaf\.example\.test/);
  });

  await t.test('ACME DNS-01: Pebble + bind9 (rfc2136, TSIG), apex + wildcard → Ready with Pebble\'s chain', async () => {
    const solvers = `      - dns01:
          rfc2136:
            nameserver: ${acme.bind9.address}
            tsigKeyName: ${acme.bind9.tsig!.name}
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef:
              name: tsig-secret
              key: tsig-secret-key
        waitInsteadOfSelfCheck: 0s`;
    const since = Date.now();
    await kubectl(['apply', '-f', '-'], acme.issuerYaml({ name: 'pebble', solvers }));
    await kubectl(['apply', '-f', '-'], certificateYaml({ name: 'site', issuer: 'pebble', dnsNames: [acme.zone, `*.${acme.zone}`] }));
    timesToReady.acmeDns01 = await waitReady('certificate/site', since, 120);
    // With the self check, cert-manager sleeps 60 s per challenge after it passes (apex and wildcard share one TXT name: 2 × 61 s measured).
    assert.ok(timesToReady.acmeDns01 < 55_000, `waitInsteadOfSelfCheck: 0s should skip the self check and its 60 s sleep; Ready took ${timesToReady.acmeDns01} ms`);
    const issuer = await getJson(['get', 'issuer', '-n', 'default', 'pebble']);
    assert.match(issuer.status.acme.uri, /^https:\/\/127\.0\.0\.1:\d+\//, 'the ACME account is registered at Pebble');
    const cert = await issuedCertificate('site-tls');
    const sans = openssl(['x509', '-in', cert.file, '-noout', '-ext', 'subjectAltName']);
    assert.match(sans, /DNS:example\.test/);
    assert.match(sans, /DNS:\*\.example\.test/);
    const roots = join(dir, 'pebble-roots.pem');
    writeFileSync(roots, await acme.pebble.issuingRoots());
    // tls.crt is leaf + intermediate(s): verify the leaf through them to Pebble's current root.
    assert.match(openssl(['verify', '-CAfile', roots, '-untrusted', cert.file, cert.file]), /: OK/);
    const order = (await getJson(['get', 'orders', '-n', 'default'])).items[0];
    assert.equal(order?.status.state, 'valid');
  });

  await t.test("ACME DNS-01 with cert-manager's own self check (its default, run once here): the check passes at bind9, cert-manager waits its 60 s, and `certsmith status --wait` follows it to Ready", async () => {
    const solvers = `      - dns01:
          rfc2136:
            nameserver: ${acme.bind9.address}
            tsigKeyName: ${acme.bind9.tsig!.name}
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef:
              name: tsig-secret
              key: tsig-secret-key`;
    const since = Date.now();
    await kubectl(['apply', '-f', '-'], acme.issuerYaml({ name: 'pebble-checked', solvers }));
    await kubectl(['apply', '-f', '-'], certificateYaml({ name: 'checked', issuer: 'pebble-checked', dnsNames: [`checked.${acme.zone}`] }));
    // The CLI runs as its own process while this one keeps serving the world's pipes.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'status', 'certificate', 'checked', '-n', 'default', '--wait', '--timeout', '150s'], {
        cwd: dir,
        env: { ...process.env, KUBECONFIG: kube.adminKubeconfig, HOME: dir },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill(), 170_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    const took = Date.now() - since;
    assert.equal(r.code, 0, `status --wait did not end Ready after ${took} ms:\n${r.stdout}\n${r.stderr}\ncontroller log:\n${cm.logTail('controller', 15)}`);
    assert.match(r.stdout, /Ready/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.ok(!(r.stdout + r.stderr).includes(acme.bind9.tsig!.secret), 'the TSIG secret is not shown');
    const cert = await issuedCertificate('checked-tls');
    assert.match(openssl(['x509', '-in', cert.file, '-noout', '-ext', 'subjectAltName']), new RegExp(`DNS:checked\\.${acme.zone.replace(/\./g, '\\.')}`));
    timesToReady.acmeDns01SelfCheck = took;
  });

  await t.test('the webhook denies a Certificate with an RSA key of 1024 bits in a server dry run', async () => {
    const r = await kube.kubectl(['apply', '--dry-run=server', '-f', '-'], undefined, {
      input: certificateYaml({ name: 'weak', issuer: 'selfsigned', dnsNames: ['weak.example.test'], privateKey: '    algorithm: RSA\n    size: 1024' }),
    });
    assert.notEqual(r.code, 0, 'the dry run must be refused');
    assert.match(r.stderr, new RegExp(`admission webhook "${WEBHOOK_NAME.replace(/\./g, '\\.')}" denied the request`));
    assert.match(r.stderr, /spec\.privateKey\.size: Invalid value: 1024/);
    const none = await kube.kubectl(['get', 'certificate', '-n', 'default', 'weak']);
    assert.notEqual(none.code, 0, 'a dry run creates nothing');
  });

  await t.test('no Secret value (TSIG key, private keys) shows up in the logs', async () => {
    const logs = readFileSync(cm.logs.controller, 'utf8') + readFileSync(cm.logs.webhook!, 'utf8');
    assert.ok(!logs.includes(acme.bind9.tsig!.secret), 'the TSIG secret is in a log');
    assert.doesNotMatch(logs, /PRIVATE KEY/);
  });

  console.log(
    `# time to Ready: SelfSigned ${timesToReady.selfSigned} ms, CA leaf ${timesToReady.ca} ms (root + CA Issuer + leaf ${timesToReady.caChain} ms), ` +
      `ACME DNS-01 apex+wildcard with waitInsteadOfSelfCheck ${timesToReady.acmeDns01} ms, with the self check ${timesToReady.acmeDns01SelfCheck} ms (intervals: ${JSON.stringify(CONTROLLER_INTERVALS)})`,
  );
});
