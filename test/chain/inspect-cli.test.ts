/**
 * `certsmith inspect` on chains made with openssl, each verdict compared with
 * `openssl verify` (trust, time, purpose, security level, hostname) and each
 * certificate fact with `openssl x509`.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectJsonReport } from '../../server/cli/inspect-command.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { Pki, opensslFacts, opensslVerify } from './pki.js';

type JsonReport = InspectJsonReport;

let pki: Pki;
let dir: string;
const SERVER = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'];
const CA = (pathlen?: number) => [`basicConstraints=critical,CA:TRUE${pathlen === undefined ? '' : `,pathlen:${pathlen}`}`, 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'];

// Made once for the whole file (key generation is the slow part).
{
  dir = tempDir({ after });
  pki = new Pki(dir);
  pki.selfSigned('root', { subj: '/O=Certsmith Test/CN=Test Root', ext: [...CA().slice(0, 3)] });
  pki.issue('int', 'root', { subj: '/O=Certsmith Test/CN=Test Intermediate', ext: [...CA(0), 'authorityInfoAccess=caIssuers;URI:http://pki.invalid/int.cer'], days: 1800 });
  pki.issue('leaf', 'int', { subj: '/CN=www.test', ext: [...SERVER, 'subjectAltName=DNS:www.test,DNS:*.apps.test,IP:127.0.0.1', 'authorityInfoAccess=caIssuers;URI:http://pki.invalid/int.cer'], days: 90 });
  // Two intermediates, for ordering.
  pki.issue('intA', 'root', { subj: '/CN=Intermediate A', ext: CA(1) });
  pki.issue('intB', 'intA', { subj: '/CN=Intermediate B', ext: CA(0) });
  pki.issue('leafB', 'intB', { subj: '/CN=b.test', ext: [...SERVER, 'subjectAltName=DNS:b.test'] });
  // Problems.
  pki.issue('short', 'int', { subj: '/CN=short.test', ext: [...SERVER, 'subjectAltName=DNS:short.test'], days: 2 });
  pki.issue('notca', 'root', { subj: '/CN=Not A CA', ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'] });
  pki.issue('leafNotca', 'notca', { subj: '/CN=nc.test', ext: [...SERVER, 'subjectAltName=DNS:nc.test'] });
  pki.issue('weak', 'int', { subj: '/CN=weak.test', ext: [...SERVER, 'subjectAltName=DNS:weak.test'], key: 'rsa1024' });
  pki.issue('sha1', 'int', { subj: '/CN=sha1.test', ext: [...SERVER, 'subjectAltName=DNS:sha1.test'], md: 'sha1' });
  pki.issue('nosan', 'int', { subj: '/CN=nosan.test', ext: SERVER });
  pki.issue('client', 'int', { subj: '/CN=client.test', ext: ['basicConstraints=CA:FALSE', 'extendedKeyUsage=clientAuth', 'subjectAltName=DNS:client.test'] });
  pki.issue('cnmismatch', 'int', { subj: '/CN=other.test', ext: [...SERVER, 'subjectAltName=DNS:www2.test'] });
  pki.selfSigned('self', { subj: '/CN=self.test', ext: ['basicConstraints=CA:FALSE', 'subjectAltName=DNS:self.test', 'extendedKeyUsage=serverAuth'] });
  pki.issue('ncInt', 'root', { subj: '/CN=Constrained CA', ext: [...CA(0), 'nameConstraints=critical,permitted;DNS:good.test,excluded;DNS:bad.good.test'] });
  pki.issue('ncGood', 'ncInt', { subj: '/CN=a.good.test', ext: [...SERVER, 'subjectAltName=DNS:a.good.test'] });
  pki.issue('ncEvil', 'ncInt', { subj: '/CN=evil.test', ext: [...SERVER, 'subjectAltName=DNS:evil.test'] });
  pki.issue('ncExcluded', 'ncInt', { subj: '/CN=x.bad.good.test', ext: [...SERVER, 'subjectAltName=DNS:x.bad.good.test'] });
  pki.issue('pathlenLeaf', 'intB', { subj: '/CN=Too Deep CA', ext: CA() }); // a CA below intB (pathlen 0)
  pki.issue('pathlenLeaf2', 'pathlenLeaf', { subj: '/CN=deep.test', ext: [...SERVER, 'subjectAltName=DNS:deep.test'] });
  // Other algorithms: an RSA intermediate signing with RSA-PSS, an Ed25519 intermediate.
  pki.issue('rsaInt', 'root', { subj: '/CN=RSA Intermediate', ext: CA(0), key: 'rsa2048' });
  pki.issue('pssLeaf', 'rsaInt', { subj: '/CN=pss.test', ext: [...SERVER, 'subjectAltName=DNS:pss.test'], pss: true });
  pki.issue('rsaLeaf', 'rsaInt', { subj: '/CN=rsa.test', ext: [...SERVER, 'subjectAltName=DNS:rsa.test'] });
  pki.issue('edInt', 'root', { subj: '/CN=Ed25519 Intermediate', ext: CA(0), key: 'ed25519' });
  pki.issue('edLeaf', 'edInt', { subj: '/CN=ed.test', ext: [...SERVER, 'subjectAltName=DNS:ed.test'], key: 'ed25519' });
  // A leaf whose signature was tampered with.
  const der = Buffer.from(readFileSync(pki.path('leaf.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.length - 10] ^= 0x55;
  writeFileSync(pki.path('badsig.pem'), `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
}

function inspectJson(args: string[], opts: { input?: string } = {}): { status: number | null; json: JsonReport; stderr: string } {
  const r = runCli(['inspect', '--format', 'json', ...args], { cwd: dir, input: opts.input });
  assert.doesNotMatch(r.stderr, /^\s+at /m, r.stderr);
  let json: JsonReport;
  try {
    json = JSON.parse(r.stdout) as JsonReport;
  } catch {
    assert.fail(`not JSON (status ${r.status}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
  }
  return { status: r.status, json, stderr: r.stderr };
}

const codes = (j: JsonReport) => j.findings.map((f) => f.code);
const errorsOf = (j: JsonReport) => j.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const show = (j: JsonReport) => JSON.stringify(j.findings.map((f) => `${f.severity} ${f.code} [${f.certificate}] ${f.message}`), null, 1);

/** Inspect `names` as a bundle and compare the trust verdict with openssl verify. */
function compare(names: string[], o: { at?: Date; extra?: string[]; roots?: string } = {}) {
  const bundle = pki.bundle(`bundle-${names.join('+')}.pem`, names, true);
  const roots = o.roots ?? pki.path('root.pem');
  const args = ['--roots', roots, bundle];
  if (o.at) args.unshift('--at', o.at.toISOString());
  const r = inspectJson(args);
  const leafIdx = r.json.chain[0];
  const leafName = names[leafIdx] ?? names[0];
  const ossl = opensslVerify(dir, { roots, untrusted: bundle, leaf: pki.path(`${leafName}.pem`), at: o.at, extra: o.extra });
  return { ...r, ossl };
}

describe('trust verdicts agree with openssl verify', () => {
  test('a good chain (leaf, intermediate) is trusted, exit 0', () => {
    const r = compare(['leaf', 'int']);
    assert.equal(r.ossl.ok, true, r.ossl.output);
    assert.equal(r.json.trusted, true, show(r.json));
    assert.deepEqual(r.json.chain, [0, 1, 2]);
    assert.deepEqual(errorsOf(r.json), [], show(r.json));
    assert.equal(r.status, 0);
    assert.equal(r.json.hostnameMatches, null);
  });

  test('a misordered bundle is still trusted but reported; the leaf not first is an error', () => {
    const r = compare(['leafB', 'intA', 'intB']);
    assert.equal(r.ossl.ok, true, r.ossl.output);
    assert.equal(r.json.trusted, true);
    assert.deepEqual(r.json.chain, [0, 2, 1, 3]);
    assert.ok(codes(r.json).includes('chain-wrong-order'), show(r.json));
    assert.match(r.json.findings.find((f) => f.code === 'chain-wrong-order')!.message, /"b\.test" → "Intermediate B" → "Intermediate A"/);

    const s = compare(['int', 'leaf']);
    assert.equal(s.json.trusted, true);
    assert.deepEqual(s.json.chain, [1, 0, 2]);
    assert.ok(errorsOf(s.json).includes('chain-leaf-not-first'), show(s.json));
    assert.equal(s.status, 1);
  });

  test('a missing intermediate: untrusted, shows the AIA URL; openssl cannot get the issuer either', () => {
    const r = compare(['leaf']);
    assert.equal(r.ossl.ok, false);
    assert.match(r.ossl.output, /unable to get local issuer certificate/);
    assert.equal(r.json.trusted, false);
    const f = r.json.findings.find((x) => x.code === 'chain-missing-intermediate');
    assert.ok(f, show(r.json));
    assert.equal(f.severity, 'error');
    assert.equal(f.certificate, 0);
    assert.match(f.message, /http:\/\/pki\.invalid\/int\.cer/);
    assert.equal(r.status, 1);
  });

  test('the root included in the bundle: trusted, with a warning explaining why to drop it', () => {
    const r = compare(['leaf', 'int', 'root']);
    assert.equal(r.ossl.ok, true, r.ossl.output);
    assert.equal(r.json.trusted, true);
    assert.deepEqual(r.json.chain, [0, 1, 2]);
    const f = r.json.findings.find((x) => x.code === 'chain-root-included');
    assert.ok(f && f.severity === 'warning' && f.certificate === 2, show(r.json));
    assert.match(f.message, /ca\.crt/);
    assert.equal(r.status, 0, 'a warning alone does not fail');
  });

  test('duplicates and unrelated certificates are reported and kept out of the chain', () => {
    const r = compare(['leaf', 'int', 'int', 'leafB']);
    assert.equal(r.json.trusted, true);
    assert.deepEqual(r.json.chain, [0, 1, 4]);
    assert.ok(r.json.findings.some((f) => f.code === 'chain-duplicate-certificate' && f.certificate === 2), show(r.json));
    assert.ok(r.json.findings.some((f) => f.code === 'chain-unrelated-certificate' && f.certificate === 3), show(r.json));
  });

  test('expired and not yet valid, at chosen instants (-attime)', () => {
    const facts = opensslFacts(dir, pki.path('short.pem'));
    const later = new Date(facts.notAfter.getTime() + 86_400_000);
    const r = compare(['short', 'int'], { at: later });
    assert.equal(r.ossl.ok, false);
    assert.match(r.ossl.output, /certificate has expired/);
    assert.equal(r.json.trusted, false);
    assert.ok(r.json.findings.some((f) => f.code === 'cert-expired' && f.certificate === 0), show(r.json));

    const earlier = new Date(facts.notBefore.getTime() - 3_600_000);
    const e = compare(['short', 'int'], { at: earlier });
    assert.equal(e.ossl.ok, false);
    assert.match(e.ossl.output, /certificate is not yet valid/);
    assert.equal(e.json.trusted, false);
    assert.ok(e.json.findings.some((f) => f.code === 'cert-not-yet-valid'), show(e.json));

    // Inside the validity: trusted, and expiring within the 30-day threshold.
    const inside = new Date(facts.notBefore.getTime() + 3_600_000);
    const ok = compare(['short', 'int'], { at: inside });
    assert.equal(ok.ossl.ok, true, ok.ossl.output);
    assert.equal(ok.json.trusted, true);
    assert.ok(ok.json.findings.some((f) => f.code === 'cert-expiring-soon' && f.severity === 'warning'), show(ok.json));
    assert.ok(ok.json.findings.some((f) => f.code === 'leaf-renewal-time'), show(ok.json));
    // A smaller threshold silences it.
    const quiet = inspectJson(['--roots', pki.path('root.pem'), '--at', inside.toISOString(), '--expiry-warning', '1', pki.bundle('short2.pem', ['short', 'int'])]);
    assert.ok(!codes(quiet.json).includes('cert-expiring-soon'), show(quiet.json));
  });

  test('a tampered signature', () => {
    const r = compare(['badsig', 'int']);
    assert.equal(r.ossl.ok, false);
    assert.match(r.ossl.output, /certificate signature failure/);
    assert.equal(r.json.trusted, false);
    assert.ok(r.json.findings.some((f) => f.code === 'chain-bad-signature' && f.certificate === 0), show(r.json));
  });

  test('an intermediate that is not a CA', () => {
    const r = compare(['leafNotca', 'notca']);
    assert.equal(r.ossl.ok, false);
    assert.match(r.ossl.output, /invalid CA certificate/);
    assert.equal(r.json.trusted, false);
    assert.ok(r.json.findings.some((f) => f.code === 'chain-issuer-not-ca' && f.certificate === 1), show(r.json));
  });

  test('a path length constraint exceeded', () => {
    const r = compare(['pathlenLeaf2', 'pathlenLeaf', 'intB', 'intA']);
    assert.equal(r.ossl.ok, false);
    assert.match(r.ossl.output, /path length constraint exceeded/);
    assert.equal(r.json.trusted, false);
    assert.ok(codes(r.json).includes('chain-path-length-exceeded'), show(r.json));
  });

  test('name constraints: permitted, outside the permitted subtree, inside an excluded one', () => {
    const good = compare(['ncGood', 'ncInt']);
    assert.equal(good.ossl.ok, true, good.ossl.output);
    assert.equal(good.json.trusted, true, show(good.json));
    const evil = compare(['ncEvil', 'ncInt']);
    assert.equal(evil.ossl.ok, false);
    assert.match(evil.ossl.output, /permitted subtree violation/);
    assert.equal(evil.json.trusted, false);
    assert.match(evil.json.findings.find((f) => f.code === 'chain-name-constraints-violated')?.message ?? '', /evil\.test is not within the permitted DNS:good\.test/);
    const excl = compare(['ncExcluded', 'ncInt']);
    assert.equal(excl.ossl.ok, false);
    assert.match(excl.ossl.output, /excluded subtree violation/);
    assert.equal(excl.json.trusted, false);
    assert.ok(codes(excl.json).includes('chain-name-constraints-violated'), show(excl.json));
  });

  test('a self-signed leaf is untrusted unless it is among the roots', () => {
    const r = compare(['self']);
    assert.equal(r.ossl.ok, false);
    assert.match(r.ossl.output, /self-signed certificate/);
    assert.equal(r.json.trusted, false);
    assert.ok(codes(r.json).includes('leaf-self-signed') && codes(r.json).includes('chain-untrusted-root'), show(r.json));
    const pinned = compare(['self'], { roots: pki.path('self.pem') });
    assert.equal(pinned.ossl.ok, true, pinned.ossl.output);
    assert.equal(pinned.json.trusted, true);
  });

  test('RSA-PSS, RSA and Ed25519 signatures verify', () => {
    for (const [leaf, int] of [['pssLeaf', 'rsaInt'], ['rsaLeaf', 'rsaInt'], ['edLeaf', 'edInt']]) {
      const r = compare([leaf, int]);
      assert.equal(r.ossl.ok, true, r.ossl.output);
      assert.equal(r.json.trusted, true, `${leaf}: ${show(r.json)}`);
      assert.deepEqual(errorsOf(r.json), []);
    }
  });
});

describe('findings that openssl reports only when asked (purpose, security level)', () => {
  test('a 1024-bit RSA key: trusted at openssl\'s default level, rejected at level 2, a weak-key error', () => {
    const r = compare(['weak', 'int']);
    assert.equal(r.ossl.ok, true, r.ossl.output);
    assert.equal(r.json.trusted, true);
    const strict = opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: pki.path('int.pem'), leaf: pki.path('weak.pem'), extra: ['-auth_level', '2'] });
    assert.equal(strict.ok, false);
    assert.match(strict.output, /key too weak/i);
    const f = r.json.findings.find((x) => x.code === 'cert-weak-key');
    assert.ok(f && f.certificate === 0 && /1024-bit RSA/.test(f.message), show(r.json));
    assert.equal(r.json.certificates[0].keySize, opensslFacts(dir, pki.path('weak.pem')).publicKeyBits);
    assert.equal(r.status, 1);
  });

  test('a SHA-1 signature: rejected by openssl at level 1, a weak-signature error', () => {
    const r = compare(['sha1', 'int']);
    assert.equal(r.json.trusted, true);
    const strict = opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: pki.path('int.pem'), leaf: pki.path('sha1.pem'), extra: ['-auth_level', '1'] });
    assert.equal(strict.ok, false, strict.output);
    assert.match(strict.output, /digest algorithm too weak/i);
    assert.equal(r.json.certificates[0].signatureAlgorithm, opensslFacts(dir, pki.path('sha1.pem')).signatureAlgorithm);
    assert.ok(r.json.findings.some((f) => f.code === 'cert-weak-signature-hash' && f.certificate === 0), show(r.json));
    // The good chain passes the same strict check, and has no such finding.
    assert.equal(opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: pki.path('int.pem'), leaf: pki.path('leaf.pem'), extra: ['-auth_level', '2'] }).ok, true);
  });

  test('no serverAuth EKU: openssl rejects it for -purpose sslserver', () => {
    const r = compare(['client', 'int']);
    const purpose = opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: pki.path('int.pem'), leaf: pki.path('client.pem'), extra: ['-purpose', 'sslserver'] });
    assert.equal(purpose.ok, false);
    assert.match(purpose.output, /unsuitable certificate purpose/);
    assert.equal(opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: pki.path('int.pem'), leaf: pki.path('leaf.pem'), extra: ['-purpose', 'sslserver'] }).ok, true);
    const f = r.json.findings.find((x) => x.code === 'eku-no-server-auth');
    assert.ok(f && f.certificate === 0 && /clientAuth/.test(f.message), show(r.json));
    assert.deepEqual(r.json.certificates[0].extendedKeyUsage, ['clientAuth']);
  });
});

describe('hostnames (RFC 6125), compared with openssl verify -verify_hostname / -verify_ip', () => {
  const cases: [string, boolean][] = [
    ['www.test', true],
    ['WWW.Test.', true],
    ['a.apps.test', true],
    ['apps.test', false],
    ['a.b.apps.test', false],
    ['other.test', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
  ];
  for (const [name, expected] of cases) {
    test(`${name}: ${expected ? 'matches' : 'does not match'}`, () => {
      const bundle = pki.bundle('leaf+int.pem', ['leaf', 'int']);
      const r = inspectJson(['--roots', pki.path('root.pem'), '--hostname', name, bundle]);
      const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(name);
      const ossl = opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: bundle, leaf: pki.path('leaf.pem'), extra: [isIp ? '-verify_ip' : '-verify_hostname', name.replace(/\.$/, '')] });
      assert.equal(ossl.ok, expected, ossl.output);
      assert.equal(r.json.hostnameMatches, expected, show(r.json));
      assert.equal(codes(r.json).includes('hostname-mismatch'), !expected);
      assert.equal(r.status, expected ? 0 : 1);
    });
  }

  test('no SAN: never matches by CN (RFC 6125), unlike openssl\'s legacy CN fallback; leaf-no-san', () => {
    const r = compare(['nosan', 'int']);
    assert.equal(opensslFacts(dir, pki.path('nosan.pem')).hasSan, false);
    const h = inspectJson(['--roots', pki.path('root.pem'), '--hostname', 'nosan.test', pki.bundle('nosan+int.pem', ['nosan', 'int'])]);
    assert.equal(h.json.hostnameMatches, false);
    // OpenSSL still falls back to the CN when there is no DNS SAN; browsers and Go do not.
    assert.equal(opensslVerify(dir, { roots: pki.path('root.pem'), untrusted: pki.path('int.pem'), leaf: pki.path('nosan.pem'), extra: ['-verify_hostname', 'nosan.test'] }).ok, true);
    assert.ok(errorsOf(r.json).includes('leaf-no-san'), show(r.json));
  });

  test('a CN that is not among the SANs', () => {
    const r = inspectJson(['--roots', pki.path('root.pem'), '--hostname', 'other.test', pki.bundle('cnm.pem', ['cnmismatch', 'int'])]);
    assert.ok(codes(r.json).includes('leaf-cn-not-in-sans'), show(r.json));
    assert.equal(r.json.hostnameMatches, false);
  });
});

describe('certificate facts agree with openssl x509', () => {
  test('serial, fingerprint, dates, names, key, signature, CA flags', () => {
    const r = inspectJson(['--roots', pki.path('root.pem'), pki.bundle('facts.pem', ['leaf', 'int', 'pssLeaf', 'edLeaf', 'weak'])]);
    ['leaf', 'int', 'pssLeaf', 'edLeaf', 'weak'].forEach((name, i) => {
      const c = r.json.certificates[i];
      const o = opensslFacts(dir, pki.path(`${name}.pem`));
      assert.equal(c.serialNumber, o.serial.replace(/^0+(?=..)/, ''), name);
      assert.equal(c.sha256Fingerprint, o.fingerprint, name);
      assert.equal(new Date(c.notBefore).getTime(), o.notBefore.getTime(), name);
      assert.equal(new Date(c.notAfter).getTime(), o.notAfter.getTime(), name);
      assert.ok(c.signatureAlgorithm.startsWith(o.signatureAlgorithm), `${name}: ${c.signatureAlgorithm} vs ${o.signatureAlgorithm}`);
      assert.equal(c.keySize, o.publicKeyBits || 256, name);
      assert.equal(c.isCA, o.isCA, name);
      assert.equal(c.pathLen, o.pathLen, name);
      assert.deepEqual(c.dnsNames, o.dnsNames, name);
      assert.deepEqual(c.ipAddresses, o.ipAddresses, name);
    });
    assert.equal(r.json.certificates[0].keyAlgorithm, 'ECDSA');
    assert.equal(r.json.certificates[3].keyAlgorithm, 'Ed25519');
    assert.equal(r.json.certificates[4].keyAlgorithm, 'RSA');
    assert.deepEqual(r.json.certificates[1].keyUsage, ['keyCertSign', 'cRLSign']);
    assert.match(r.json.certificates[0].subject, /CN=www\.test/);
    assert.match(r.json.certificates[0].issuer, /CN=Test Intermediate/);
  });

  test('the JSON has exactly the documented shape', () => {
    const r = inspectJson(['--roots', pki.path('root.pem'), '--hostname', 'www.test', pki.bundle('shape.pem', ['leaf', 'int'])]);
    assert.deepEqual(Object.keys(r.json), ['certificates', 'chain', 'trusted', 'hostnameMatches', 'findings']);
    assert.deepEqual(Object.keys(r.json.certificates[0]).sort(), [
      'dnsNames', 'emailAddresses', 'extendedKeyUsage', 'ipAddresses', 'isCA', 'issuer', 'keyAlgorithm', 'keySize', 'keyUsage',
      'notAfter', 'notBefore', 'pathLen', 'serialNumber', 'sha256Fingerprint', 'signatureAlgorithm', 'subject', 'uris',
    ]);
    for (const f of r.json.findings) assert.deepEqual(Object.keys(f), ['severity', 'code', 'message', 'certificate']);
  });
});

describe('inputs: DER, stdin, Secret manifests', () => {
  const b64 = (names: string[]) => Buffer.from(names.map((n) => readFileSync(pki.path(`${n}.pem`), 'utf8')).join('')).toString('base64');
  const secret = (crt: string[], ca: string[] | null, key: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\n  namespace: prod\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(crt)}\n${ca ? `  ca.crt: ${b64(ca)}\n` : ''}  tls.key: ${Buffer.from(readFileSync(pki.path(`${key}.key`))).toString('base64')}\n`;

  test('DER from a file and PEM on standard input', () => {
    const derFile = join(dir, 'leaf.der');
    writeFileSync(derFile, Buffer.from(readFileSync(pki.path('leaf.pem'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    const r = inspectJson(['--roots', pki.path('root.pem'), derFile]);
    assert.equal(r.json.certificates[0].sha256Fingerprint, opensslFacts(dir, pki.path('leaf.pem')).fingerprint);
    const s = inspectJson(['--roots', pki.path('root.pem'), '-'], { input: readFileSync(pki.bundle('stdin.pem', ['leaf', 'int']), 'utf8') });
    assert.equal(s.json.trusted, true);
    assert.equal(s.status, 0);
  });

  test('a Secret: tls.crt with its key and ca.crt holding the root', () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, secret(['leaf', 'int'], ['root'], 'leaf'));
    const r = inspectJson(['--roots', pki.path('root.pem'), file]);
    assert.equal(r.json.trusted, true, show(r.json));
    assert.deepEqual(r.json.chain, [0, 1, 2]);
    assert.deepEqual(errorsOf(r.json), []);
    assert.ok(!codes(r.json).includes('secret-ca-not-root') && !codes(r.json).includes('key-mismatch'), show(r.json));
    const raw = runCli(['inspect', '--roots', pki.path('root.pem'), file], { cwd: dir });
    const keyBody = readFileSync(pki.path('leaf.key'), 'utf8').split('\n')[1];
    assert.ok(!raw.stdout.includes(keyBody) && !raw.stdout.includes('PRIVATE KEY'), 'the private key is never printed');
    assert.match(raw.stdout, /Secret prod\/web-tls/);
  });

  test('a Secret whose key belongs to another certificate, whose ca.crt is the intermediate', () => {
    const file = join(dir, 'secret-bad.yaml');
    writeFileSync(file, secret(['leaf', 'int'], ['int'], 'weak'));
    const r = inspectJson(['--roots', pki.path('root.pem'), file]);
    assert.ok(errorsOf(r.json).includes('key-mismatch'), show(r.json));
    const ca = r.json.findings.find((f) => f.code === 'secret-ca-not-root');
    assert.ok(ca, show(r.json));
    assert.match(ca.message, /not its root/);
    assert.equal(r.status, 1);
  });

  test('unreadable input: exit 2, one line, no stack trace', () => {
    const bad: [string, string | Buffer, RegExp][] = [
      ['empty.pem', '', /empty/],
      ['junk.txt', 'hello world\n', /no certificate found/],
      ['truncated.pem', readFileSync(pki.path('leaf.pem'), 'utf8').slice(0, 300), /no "-----END CERTIFICATE-----"/],
      ['badb64.pem', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', /not valid base64/],
      ['notcert.pem', `-----BEGIN CERTIFICATE-----\n${Buffer.from('0\x03\x02\x01\x00', 'latin1').toString('base64')}\n-----END CERTIFICATE-----\n`, /not a readable X\.509 certificate/],
      ['key-only.pem', readFileSync(pki.path('leaf.key'), 'utf8'), /no certificate found: the PEM blocks are PRIVATE KEY/],
      ['bin.der', Buffer.from([0x30, 0x82, 0x05, 0x00, 1, 2, 3]), /not valid DER/],
    ];
    for (const [name, content, re] of bad) {
      writeFileSync(join(dir, name), content);
      const r = runCli(['inspect', name], { cwd: dir });
      assert.equal(r.status, 2, `${name}: ${r.stdout} ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^certsmith: /);
      assert.match(r.stderr, re, `${name}: ${r.stderr}`);
    }
    const usage = runCli(['inspect', '--at', 'yesterday', 'x.pem'], { cwd: dir });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--at must be an ISO-8601/);
    const missing = runCli(['inspect', 'nope.pem'], { cwd: dir });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read nope\.pem: no such file/);
  });

  test('text output: a tree, trust and the findings', () => {
    const r = runCli(['inspect', '--roots', pki.path('root.pem'), '--hostname', 'www.test', pki.bundle('text.pem', ['leaf', 'int', 'root'])], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\[0\] CN=www\.test {2}\(leaf\)/m);
    assert.match(r.stdout, /^ {3}└─ \[1\] O=Certsmith Test, CN=Test Intermediate {2}\(intermediate\)/m);
    assert.match(r.stdout, /└─ \[2\] .*CN=Test Root {2}\(trusted root\)/);
    assert.match(r.stdout, /Trusted: yes/);
    assert.match(r.stdout, /Hostname www\.test: matches/);
    assert.match(r.stdout, /warning +\[2\] .*\[chain-root-included\]/);
  });
});
