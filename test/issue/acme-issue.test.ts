/**
 * `certsmith issue` with ACME issuers, through the bundled CLI, against a real
 * Pebble and bind9 (RFC 2136 with TSIG) and the built-in HTTP-01 responder.
 * Every certificate is verified with openssl against Pebble's issuing root.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI, ROOT, runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from '../world/acme-world.js';
import { startPebble } from '../world/pebble.js';
import { digShort } from '../world/process.js';
import { deadUdpServer, freePort } from '../world/free-port.js';

let world: AcmeWorld;

before(async () => {
  world = await startAcmeWorld();
});
after(async () => {
  await world?.stop();
});

function issue(dir: string, manifests: string, certificate: string, extra: string[] = [], state = join(dir, 'state')): CliResult & { out: string } {
  const file = join(dir, `manifests-${certificate}.yaml`);
  writeFileSync(file, manifests);
  const out = join(dir, `out-${certificate}`);
  const r = runCli(['issue', '-f', file, '--certificate', certificate, '--out', out, ...world.issueArgs(state), ...extra], { timeoutMs: 90_000 });
  return { ...r, out };
}

function openssl(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', input });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** openssl verify of tls.crt (leaf + intermediates) against Pebble's current root. */
async function verifyWithOpenssl(dir: string, out: string, purposeName?: string): Promise<void> {
  const root = join(dir, 'pebble-root.pem');
  writeFileSync(root, await world.pebble.issuingRoots());
  const chain = readFileSync(join(out, 'tls.crt'), 'utf8');
  const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  assert.ok(blocks.length >= 2, 'tls.crt holds the leaf and the intermediate');
  writeFileSync(join(dir, 'leaf.pem'), blocks[0]!);
  writeFileSync(join(dir, 'intermediates.pem'), blocks.slice(1).join(''));
  const args = ['verify', '-CAfile', root, '-untrusted', join(dir, 'intermediates.pem')];
  if (purposeName) args.push('-verify_hostname', purposeName);
  const v = openssl([...args, join(dir, 'leaf.pem')]);
  assert.equal(v.status, 0, v.out);
  assert.match(v.out, /: OK/);
  // The root is never in tls.crt.
  const rootText = readFileSync(root, 'utf8').trim();
  assert.ok(!chain.includes(rootText.split('\n').slice(1, 3).join('\n')), 'the root is not in tls.crt');
  // tls.key matches the leaf.
  const keyPub = openssl(['pkey', '-in', join(out, 'tls.key'), '-pubout']);
  const certPub = openssl(['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-pubkey']);
  assert.equal(keyPub.out, certPub.out, 'tls.key is the key of the leaf');
}

function txtAt(name: string): string {
  return (digShort('127.0.0.1', world.bind9.port, name, 'TXT') ?? 'dig failed').trim();
}

test('DNS-01 via RFC 2136: apex + wildcard in one RSA certificate; records removed; Secret as cert-manager writes it', async (t) => {
  const dir = tempDir(t);
  const manifests = `${world.issuerYaml()}---\n${certificateYaml({ name: 'site', dnsNames: [world.zone, `*.${world.zone}`], extra: '  secretTemplate:\n    labels:\n      team: web\n  additionalOutputFormats:\n    - type: CombinedPEM\n    - type: DER\n' })}`;
  const r = issue(dir, manifests, 'site', ['--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(summary).slice(0, 7), ['notBefore', 'notAfter', 'renewalTime', 'dnsNames', 'issuer', 'chainLength', 'elapsedMs']);
  assert.deepEqual([...(summary.dnsNames as string[])].sort(), [`*.${world.zone}`, world.zone].sort());
  assert.equal(summary.issuer, 'Issuer/default/pebble');
  assert.equal(summary.chainLength, 2);
  await verifyWithOpenssl(dir, r.out, `www.${world.zone}`);
  // Progress went to stderr and said what it waited for.
  assert.match(r.stderr, /creating TXT _acme-challenge\.example\.test/);
  assert.match(r.stderr, /waiting until _acme-challenge\.example\.test TXT is visible/);
  assert.match(r.stderr, /removed TXT/);
  // No TXT record is left behind (the apex and wildcard values shared one name).
  assert.equal(txtAt(`_acme-challenge.${world.zone}`), '');
  // Files and modes.
  assert.deepEqual(readdirSync(r.out).sort(), ['key.der', 'secret.yaml', 'tls-combined.pem', 'tls.crt', 'tls.key']);
  for (const f of ['tls.key', 'key.der', 'tls-combined.pem', 'secret.yaml']) assert.equal(statSync(join(r.out, f)).mode & 0o777, 0o600, f);
  const secret = parse(readFileSync(join(r.out, 'secret.yaml'), 'utf8')) as { type: string; metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> }; data: Record<string, string> };
  assert.equal(secret.type, 'kubernetes.io/tls');
  assert.equal(secret.metadata.name, 'site-tls');
  assert.equal(secret.metadata.namespace, 'default');
  assert.equal(secret.metadata.labels.team, 'web');
  assert.equal(secret.metadata.labels['controller.cert-manager.io/fao'], 'true');
  const a = secret.metadata.annotations;
  assert.equal(a['cert-manager.io/certificate-name'], 'site');
  assert.equal(a['cert-manager.io/issuer-name'], 'pebble');
  assert.equal(a['cert-manager.io/issuer-kind'], 'Issuer');
  assert.equal(a['cert-manager.io/issuer-group'], 'cert-manager.io');
  assert.deepEqual(a['cert-manager.io/alt-names']!.split(',').sort(), [`*.${world.zone}`, world.zone].sort());
  assert.equal(a['cert-manager.io/ip-sans'], '');
  assert.equal(a['cert-manager.io/uri-sans'], '');
  assert.equal(secret.data['ca.crt'], undefined, 'ACME issuers do not fill ca.crt');
  assert.equal(Buffer.from(secret.data['tls.crt']!, 'base64').toString(), readFileSync(join(r.out, 'tls.crt'), 'utf8'));
  // CombinedPEM is key, newline, chain; DER is the key's DER.
  const key = readFileSync(join(r.out, 'tls.key'), 'utf8');
  assert.equal(readFileSync(join(r.out, 'tls-combined.pem'), 'utf8'), `${key}\n${readFileSync(join(r.out, 'tls.crt'), 'utf8')}`);
  assert.equal(openssl(['pkey', '-inform', 'DER', '-in', join(r.out, 'key.der'), '-noout']).status, 0);
  // The account key is in the state directory, 0600, and reused by the next run.
  const accounts = readdirSync(join(dir, 'state', 'acme-accounts'));
  assert.equal(accounts.length, 1);
  assert.equal(statSync(join(dir, 'state', 'acme-accounts', accounts[0]!, 'account.key')).mode & 0o777, 0o600);
  // Nothing secret on stderr.
  assert.ok(!r.stderr.includes(world.bind9.tsig!.secret), 'the TSIG secret is not printed');
  assert.doesNotMatch(r.stderr + r.stdout, /PRIVATE KEY/);

  const again = issue(dir, manifests, 'site');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readdirSync(join(dir, 'state', 'acme-accounts')).length, 1, 'the same account is reused');
  assert.doesNotMatch(again.stderr, /created a new ACME account key/);
  assert.match(again.stdout, /Issued by ACME Issuer\/default\/pebble/);
});

test('HTTP-01 with the built-in responder: ECDSA P-384 and Ed25519 keys', async (t) => {
  const dir = tempDir(t);
  const solvers = `      - http01:
          ingress:
            ingressClassName: nginx`;
  for (const [name, privateKey, openSslName] of [
    ['ec', '    algorithm: ECDSA\n    size: 384', 'secp384r1'],
    ['ed', '    algorithm: Ed25519\n    encoding: PKCS8', 'ED25519'],
  ] as const) {
    const manifests = `${world.issuerYaml({ solvers })}---\n${certificateYaml({ name, dnsNames: [`${name}.${world.zone}`, `www.${name}.${world.zone}`], privateKey })}`;
    const r = issue(dir, manifests, name);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /HTTP-01 responder listening/);
    assert.match(r.stderr, /HTTP-01 responder stopped/);
    await verifyWithOpenssl(dir, r.out, `www.${name}.${world.zone}`);
    const text = openssl(['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text']).out;
    assert.match(text, new RegExp(openSslName));
  }
  // The responder is gone: nothing listens on the HTTP-01 port any more.
  const probe = spawnSync(process.execPath, ['-e', `require('net').connect(${world.pebble.httpPort}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(3))`], { timeout: 5000 });
  assert.equal(probe.status, 3);
});

test('HTTP-01 for an IP address identifier (RFC 8738): the token is served and checked at that address', async (t) => {
  const dir = tempDir(t);
  const solvers = `      - http01:
          ingress: {}`;
  const manifests = `${world.issuerYaml({ solvers })}---\n${certificateYaml({ name: 'ip', dnsNames: [`ip.${world.zone}`], extra: '  ipAddresses: [127.0.0.1]\n' })}`;
  const r = issue(dir, manifests, 'ip');
  assert.equal(r.status, 0, r.stderr);
  const text = openssl(['x509', '-in', join(r.out, 'tls.crt'), '-noout', '-ext', 'subjectAltName']).out;
  assert.match(text, /IP Address:127\.0\.0\.1/);
  const secret = parse(readFileSync(join(r.out, 'secret.yaml'), 'utf8')) as { metadata: { annotations: Record<string, string> } };
  assert.equal(secret.metadata.annotations['cert-manager.io/ip-sans'], '127.0.0.1');
});

test('external account binding required by the CA: issued with EAB; a clear error without it', async (t) => {
  const dir = tempDir(t);
  const hmacKey = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';
  const pebble = await startPebble({ dnsServer: world.bind9.address, externalAccountMACKeys: { 'kid-1': hmacKey } });
  t.after(() => pebble.stop());
  const withCa = (yaml: string) => yaml.replace(world.pebble.directoryUrl, pebble.directoryUrl).replace(Buffer.from(world.pebble.caBundlePem).toString('base64'), Buffer.from(pebble.caBundlePem).toString('base64'));
  const cert = certificateYaml({ name: 'eab', dnsNames: [`eab.${world.zone}`] });
  const without = issue(dir, `${withCa(world.issuerYaml())}---\n${cert}`, 'eab', [], join(dir, 'state-a'));
  assert.equal(without.status, 1, without.stderr);
  assert.match(without.stderr, /external account binding/i);
  assert.match(without.stderr, /externalAccountBinding/);
  assert.equal(existsSync(without.out), false);
  const withEab = issue(dir, `${withCa(world.issuerYaml({ externalAccountBinding: { keyID: 'kid-1', hmacKey } }))}---\n${cert}`, 'eab', [], join(dir, 'state-b'));
  assert.equal(withEab.status, 0, withEab.stderr);
  assert.ok(!withEab.stderr.includes(hmacKey), 'the HMAC key is not printed');
});

test('half of all nonces rejected (badNonce): issuance still succeeds', async (t) => {
  const dir = tempDir(t);
  const pebble = await startPebble({ dnsServer: world.bind9.address, nonceReject: 50 });
  t.after(() => pebble.stop());
  const issuer = world.issuerYaml().replace(world.pebble.directoryUrl, pebble.directoryUrl).replace(Buffer.from(world.pebble.caBundlePem).toString('base64'), Buffer.from(pebble.caBundlePem).toString('base64'));
  const r = issue(dir, `${issuer}---\n${certificateYaml({ name: 'nonce', dnsNames: [`nonce.${world.zone}`, `*.nonce.${world.zone}`] })}`, 'nonce');
  assert.equal(r.status, 0, r.stderr);
});

test('a CA that is down: a clear error in seconds, nothing written', async (t) => {
  const dir = tempDir(t);
  const port = await freePort();
  const issuer = world.issuerYaml({ directoryUrl: `https://127.0.0.1:${port}/dir` });
  const started = Date.now();
  const r = issue(dir, `${issuer}---\n${certificateYaml({ name: 'down', dnsNames: [`down.${world.zone}`] })}`, 'down');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`the ACME server https://127.0.0.1:${port} cannot be reached \\(connection refused\\)`));
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  assert.ok(Date.now() - started < 15_000, 'fails within seconds');
  assert.equal(existsSync(r.out), false);
});

test('a DNS server that refuses the TSIG key: the key is named, the secret is not printed, no record or output left', async (t) => {
  const dir = tempDir(t);
  const wrong = Buffer.alloc(32, 7).toString('base64');
  const r = issue(dir, `${world.issuerYaml({ tsigSecret: wrong })}---\n${certificateYaml({ name: 'tsig', dnsNames: [`tsig.${world.zone}`] })}`, 'tsig');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /acme-update/);
  assert.match(r.stderr, /BADSIG|not accept|NOTAUTH/);
  assert.ok(!r.stderr.includes(wrong) && !r.stderr.includes(world.bind9.tsig!.secret));
  assert.equal(existsSync(r.out), false);
  assert.equal(txtAt(`_acme-challenge.tsig.${world.zone}`), '');
});

test('Ctrl-C while waiting for propagation: the TXT records are removed, nothing is written, exit 130', async (t) => {
  const dir = tempDir(t);
  // The recursive view never shows the record (a resolver that does not answer), so the self check waits.
  const dead = await deadUdpServer();
  t.after(() => dead.close());
  const file = join(dir, 'cancel.yaml');
  writeFileSync(file, `${world.issuerYaml()}---\n${certificateYaml({ name: 'cancel', dnsNames: [`cancel.${world.zone}`, `*.cancel.${world.zone}`] })}`);
  const out = join(dir, 'out-cancel');
  const args = world.issueArgs(join(dir, 'state')).map((a) => (a === world.bind9.address ? `127.0.0.1:${dead.port}` : a));
  const child = spawn(process.execPath, [CLI, 'issue', '-f', file, '--certificate', 'cancel', '--out', out, ...args, '--dns01-recursive-nameservers-only'], { cwd: ROOT });
  let stderr = '';
  const sawWait = new Promise<void>((resolve) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (/waiting until/.test(stderr)) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await sawWait;
  // Both values are at the authoritative server while it waits.
  assert.equal(txtAt(`_acme-challenge.cancel.${world.zone}`).split('\n').length, 2);
  child.kill('SIGINT');
  const code = await exited;
  clearTimeout(timer);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /cancelled/);
  assert.equal(txtAt(`_acme-challenge.cancel.${world.zone}`), '', 'no TXT record is left behind');
  assert.equal(existsSync(out), false);
});

test('a commonName that is not among the dnsNames is refused before any order, as cert-manager does', (t) => {
  const dir = tempDir(t);
  const r = issue(dir, `${world.issuerYaml()}---\n${certificateYaml({ name: 'cn', dnsNames: [`cn.${world.zone}`], extra: '  commonName: other.example.test\n' })}`, 'cn');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /commonName "other\.example\.test" is not among its dnsNames or ipAddresses/);
  assert.doesNotMatch(r.stderr, /creating an order/);
});

test('a solver that cannot be used locally says so and points at --dns01-manual', (t) => {
  const dir = tempDir(t);
  const solvers = `      - dns01:
          cloudflare:
            apiTokenSecretRef:
              name: cf
              key: token`;
  const r = issue(dir, `${world.issuerYaml({ solvers })}---\n${certificateYaml({ name: 'cf', dnsNames: [`cf.${world.zone}`] })}`, 'cf');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cloudflare DNS-01 provider, which certsmith cannot drive locally yet/);
  assert.match(r.stderr, /--dns01-manual/);
});
