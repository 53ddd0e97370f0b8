/**
 * `certsmith issue` with SelfSigned and CA issuers, through the bundled CLI:
 * a SelfSigned root CA, a CA Issuer on it signing an intermediate CA, and a
 * leaf from that intermediate, each verified with openssl; durations exact,
 * usages as cert-manager maps them, ca.crt and the chain as cert-manager
 * fills them, key rotation policy, and failures that write nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

function issue(dir: string, files: string[], certificate: string, out: string, extra: string[] = []): CliResult {
  return runCli(['issue', ...files.flatMap((f) => ['-f', f]), '--certificate', certificate, '--out', out, '--state', join(dir, 'state'), ...extra]);
}

function certDates(file: string): { notBefore: number; notAfter: number } {
  const out = openssl(['x509', '-in', file, '-noout', '-startdate', '-enddate']).out;
  const nb = /notBefore=(.+)/.exec(out)![1]!;
  const na = /notAfter=(.+)/.exec(out)![1]!;
  return { notBefore: Date.parse(nb), notAfter: Date.parse(na) };
}

const manifests = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata: { name: selfsigned, namespace: pki }
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: root, namespace: pki }
spec:
  isCA: true
  commonName: Certsmith Test Root
  subject:
    organizations: [Certsmith]
  secretName: root-ca
  duration: 8760h
  privateKey: { algorithm: ECDSA, size: 384 }
  issuerRef: { name: selfsigned }
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: { name: root, namespace: pki }
spec:
  ca:
    secretName: root-ca
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: intermediate, namespace: pki }
spec:
  isCA: true
  commonName: Certsmith Test Intermediate
  secretName: intermediate-ca
  duration: 4380h
  privateKey: { algorithm: RSA, size: 3072 }
  issuerRef: { name: root }
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: { name: intermediate, namespace: pki }
spec:
  ca:
    secretName: intermediate-ca
    crlDistributionPoints: [http://crl.example.test/intermediate.crl]
    ocspServers: [http://ocsp.example.test]
    issuingCertificateURLs: [http://ca.example.test/intermediate.crt]
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web, namespace: pki }
spec:
  secretName: web-tls
  duration: 1h
  dnsNames: [web.example.test]
  ipAddresses: [192.0.2.7]
  uris: [spiffe://example.test/web]
  usages: [server auth, client auth, digital signature]
  privateKey: { algorithm: ECDSA, encoding: PKCS8, rotationPolicy: Never }
  issuerRef: { name: intermediate }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: plain, namespace: pki }
spec:
  secretName: plain-tls
  commonName: plain.example.test
  dnsNames: [plain.example.test]
  issuerRef: { name: intermediate }
`;

test('SelfSigned root → CA intermediate → leaf, verified with openssl, exactly as cert-manager fills the Secrets', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'pki.yaml');
  writeFileSync(file, manifests);

  // 1. The SelfSigned root: ca.crt is the certificate itself.
  const rootOut = join(dir, 'root');
  const root = issue(dir, [file], 'root', rootOut, ['--format', 'json']);
  assert.equal(root.status, 0, root.stderr);
  const rootSummary = JSON.parse(root.stdout) as { notBefore: string; notAfter: string; renewalTime: string; issuer: string; chainLength: number };
  assert.equal(rootSummary.issuer, 'Issuer/pki/selfsigned');
  assert.equal(rootSummary.chainLength, 1);
  assert.equal(Date.parse(rootSummary.notAfter) - Date.parse(rootSummary.notBefore), 8760 * 3600_000, 'duration exact');
  // Renewal at 2/3 of the lifetime (cert-manager's default).
  assert.equal(Date.parse(rootSummary.renewalTime) - Date.parse(rootSummary.notBefore), (8760 * 3600_000 * 2) / 3);
  assert.equal(readFileSync(join(rootOut, 'ca.crt'), 'utf8'), readFileSync(join(rootOut, 'tls.crt'), 'utf8'));
  const rootText = openssl(['x509', '-in', join(rootOut, 'tls.crt'), '-noout', '-text']).out;
  assert.match(rootText, /CA:TRUE/);
  assert.match(rootText, /Certificate Sign/);
  assert.match(rootText, /Subject: O ?= ?Certsmith, CN ?= ?Certsmith Test Root/);
  assert.match(rootText, /secp384r1/);
  const d = certDates(join(rootOut, 'tls.crt'));
  assert.equal(d.notAfter - d.notBefore, 8760 * 3600_000, 'openssl sees the same duration');

  // 2. The intermediate, signed by the CA issuer reading the root's secret.yaml.
  const interOut = join(dir, 'intermediate');
  const inter = issue(dir, [file, join(rootOut, 'secret.yaml')], 'intermediate', interOut);
  assert.equal(inter.status, 0, inter.stderr);
  assert.match(inter.stderr, /signing with the CA in Secret pki\/root-ca/);
  assert.equal((readFileSync(join(interOut, 'tls.crt'), 'utf8').match(/BEGIN CERTIFICATE/g) ?? []).length, 1, 'the root is never in tls.crt');
  assert.equal(readFileSync(join(interOut, 'ca.crt'), 'utf8'), readFileSync(join(rootOut, 'tls.crt'), 'utf8'), 'ca.crt is the root');
  const v1 = openssl(['verify', '-CAfile', join(rootOut, 'tls.crt'), join(interOut, 'tls.crt')]);
  assert.equal(v1.status, 0, v1.out);
  const di = certDates(join(interOut, 'tls.crt'));
  assert.equal(di.notAfter - di.notBefore, 4380 * 3600_000);

  // 3. The leaf from the intermediate: chain = leaf + intermediate, ca.crt = root.
  const webOut = join(dir, 'web');
  const web = issue(dir, [file, join(interOut, 'secret.yaml')], 'web', webOut);
  assert.equal(web.status, 0, web.stderr);
  const chain = readFileSync(join(webOut, 'tls.crt'), 'utf8');
  const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  assert.equal(blocks.length, 2, 'leaf then the intermediate');
  assert.equal(blocks[1], readFileSync(join(interOut, 'tls.crt'), 'utf8'));
  assert.equal(readFileSync(join(webOut, 'ca.crt'), 'utf8'), readFileSync(join(rootOut, 'tls.crt'), 'utf8'));
  writeFileSync(join(dir, 'leaf.pem'), blocks[0]!);
  writeFileSync(join(dir, 'inter.pem'), blocks[1]!);
  const v2 = openssl(['verify', '-CAfile', join(webOut, 'ca.crt'), '-untrusted', join(dir, 'inter.pem'), '-verify_hostname', 'web.example.test', '-purpose', 'sslserver', join(dir, 'leaf.pem')]);
  assert.equal(v2.status, 0, v2.out);
  const leafText = openssl(['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text']).out;
  assert.match(leafText, /X509v3 Key Usage: critical\s+Digital Signature\n/);
  assert.match(leafText, /X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
  assert.match(leafText, /DNS:web\.example\.test, IP Address:192\.0\.2\.7, URI:spiffe:\/\/example\.test\/web/);
  assert.match(leafText, /URI:http:\/\/crl\.example\.test\/intermediate\.crl/);
  assert.match(leafText, /OCSP - URI:http:\/\/ocsp\.example\.test/);
  assert.match(leafText, /CA Issuers - URI:http:\/\/ca\.example\.test\/intermediate\.crt/);
  const dw = certDates(join(dir, 'leaf.pem'));
  assert.equal(dw.notAfter - dw.notBefore, 3600_000, 'duration 1h exactly');
  assert.match(readFileSync(join(webOut, 'tls.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/, 'PKCS8 as asked');
  assert.equal(statSync(join(webOut, 'tls.key')).mode & 0o777, 0o600);
  const secret = parse(readFileSync(join(webOut, 'secret.yaml'), 'utf8')) as { metadata: { namespace: string; annotations: Record<string, string> } };
  assert.equal(secret.metadata.namespace, 'pki');
  assert.equal(secret.metadata.annotations['cert-manager.io/ip-sans'], '192.0.2.7');
  assert.equal(secret.metadata.annotations['cert-manager.io/uri-sans'], 'spiffe://example.test/web');
  assert.equal(secret.metadata.annotations['cert-manager.io/common-name'], '');

  // rotationPolicy Never: the next issuance reuses the key; the certificate is new.
  const keyBefore = readFileSync(join(webOut, 'tls.key'), 'utf8');
  const again = issue(dir, [file, join(interOut, 'secret.yaml')], 'web', webOut);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /reusing the private key/);
  assert.equal(readFileSync(join(webOut, 'tls.key'), 'utf8'), keyBefore);
  assert.notEqual(readFileSync(join(webOut, 'tls.crt'), 'utf8'), chain);

  // Default usages: digital signature + key encipherment, no extended key usage; RSA 2048 PKCS1 by default.
  const plainOut = join(dir, 'plain');
  const plain = issue(dir, [file, join(interOut, 'secret.yaml')], 'plain', plainOut);
  assert.equal(plain.status, 0, plain.stderr);
  const plainText = openssl(['x509', '-in', join(plainOut, 'tls.crt'), '-noout', '-text']).out;
  assert.match(plainText, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
  assert.doesNotMatch(plainText, /Extended Key Usage/);
  assert.match(plainText, /Public-Key: \(2048 bit\)/);
  assert.match(readFileSync(join(plainOut, 'tls.key'), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
  const second = issue(dir, [file, join(interOut, 'secret.yaml')], 'plain', plainOut);
  assert.equal(second.status, 0);
  assert.notEqual(readFileSync(join(plainOut, 'tls.key'), 'utf8'), readFileSync(join(dir, 'leaf.pem'), 'utf8'));
  assert.doesNotMatch(second.stderr, /reusing/, 'rotationPolicy Always (the default) makes a new key');
});

test('a CA issuer without its Secret, or with a key that does not match: a clear error, nothing written', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'pki.yaml');
  writeFileSync(file, manifests);
  const out = join(dir, 'inter');
  const r = issue(dir, [file], 'intermediate', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^certsmith: Secret "root-ca" in namespace "pki", needed for the CA issuer root, is not in the given files \(an Issuer reads its Secrets from its own namespace\)\n  hint: add a Secret manifest with another -f\n$/m);
  assert.equal(existsSync(out), false);

  // A CA Secret whose tls.key belongs to another certificate.
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  assert.equal(issue(dir, [file], 'root', a).status, 0);
  assert.equal(issue(dir, [file], 'root', b).status, 0);
  const mixed = readFileSync(join(a, 'secret.yaml'), 'utf8').replace(/tls\.key: .+/, `tls.key: ${readFileSync(join(b, 'tls.key')).toString('base64')}`);
  writeFileSync(join(dir, 'mixed.yaml'), mixed);
  const bad = issue(dir, [file, join(dir, 'mixed.yaml')], 'intermediate', out);
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stderr, /certsmith: the CA Secret pki\/root-ca: tls\.key: the private key does not belong to the first certificate/);
  assert.doesNotMatch(bad.stderr, /PRIVATE KEY|^\s+at /m);
  assert.equal(existsSync(out), false);
});

test('usage and input errors: exit 2, one clear line', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: [\n');
  const r = issue(dir, [file], 'x', join(dir, 'out'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^certsmith: .*bad\.yaml:3: /);
  const missing = runCli(['issue', '-f', join(dir, 'nope.yaml'), '--certificate', 'x', '--out', join(dir, 'o')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read .*nope\.yaml/);
  const noCert = runCli(['issue', '-f', file, '--out', join(dir, 'o')]);
  assert.equal(noCert.status, 2);
  assert.match(noCert.stderr, /no --certificate NAME given/);
  assert.equal(readdirSync(dir).includes('out'), false);
});
