/**
 * Certificates from the CA issuer, checked with openssl: signing by a CA
 * Secret (ours or made by openssl), tls.crt / ca.crt as cert-manager fills
 * them for a root, an intermediate with its chain, and an intermediate
 * alone; issuer URLs; and the CA Secrets cert-manager would refuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { openssl, opensslVerify, Pki } from '../chain/pki.js';
import { tempDir } from '../support/temp.js';
import { encodePrivateKeyPem, generatePrivateKey, PkiError, signSelfSigned, signWithCa, publicKeyOf, type CaSecret } from '../../engine/pki/index.js';

let counter = 0;
function save(dir: string, pem: string): string {
  const file = join(dir, `f${++counter}.pem`);
  writeFileSync(file, pem);
  return file;
}

function x509(dir: string, pem: string, ...args: string[]): string {
  return openssl(['x509', '-in', save(dir, pem), '-noout', ...args], dir);
}

const blocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];

function throwsPki(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PkiError, `expected a PkiError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

// One small PKI for the whole file: an ECDSA root and an RSA intermediate, both made by the engine.
const rootKey = generatePrivateKey({ algorithm: 'ECDSA' });
const root = signSelfSigned({ commonName: 'Certsmith Test Root', isCA: true, subject: { organizations: ['Certsmith'] }, privateKey: { algorithm: 'ECDSA' }, duration: '8760h' }, rootKey);
const rootSecret: CaSecret = { certificatesPem: root.certificatePem, privateKeyPem: encodePrivateKeyPem(rootKey) };
const interKey = generatePrivateKey();
const inter = signWithCa({ commonName: 'Certsmith Test Intermediate', isCA: true, duration: '4380h' }, publicKeyOf(interKey), rootSecret);
const leafKey = generatePrivateKey({ algorithm: 'ECDSA' });
const leafSpec = { commonName: 'www.example.com', dnsNames: ['www.example.com'], privateKey: { algorithm: 'ECDSA' } };

test('root signs a leaf: tls.crt is the leaf alone, ca.crt the root, issuer and authority key id from the root', (t) => {
  const dir = tempDir(t);
  const r = signWithCa(leafSpec, leafKey, rootSecret);
  assert.equal(r.chainPem, r.certificatePem);
  assert.equal(r.caPem, root.certificatePem);
  const verdict = opensslVerify(dir, { roots: save(dir, r.caPem), leaf: save(dir, r.chainPem) });
  assert.equal(verdict.ok, true, verdict.output);
  assert.equal(x509(dir, r.certificatePem, '-issuer'), 'issuer=O = Certsmith, CN = Certsmith Test Root\n');
  const rootSki = /Identifier: \n\s+(\S+)/.exec(x509(dir, root.certificatePem, '-ext', 'subjectKeyIdentifier'))![1];
  assert.equal(x509(dir, r.certificatePem, '-ext', 'authorityKeyIdentifier,subjectKeyIdentifier'), `X509v3 Authority Key Identifier: \n    ${rootSki}\n`);
  // Signed with the CA's key type, whatever the leaf's key is.
  assert.match(x509(dir, r.certificatePem, '-text'), /Signature Algorithm: ecdsa-with-SHA256\n/);
  assert.equal(r.signatureAlgorithm, 'ECDSAWithSHA256');
});

test('an intermediate CA signed by the root gets CA:TRUE, cert sign and its own key identifier', (t) => {
  const dir = tempDir(t);
  assert.equal(inter.chainPem, inter.certificatePem);
  assert.equal(inter.caPem, root.certificatePem);
  assert.equal(
    x509(dir, inter.certificatePem, '-ext', 'keyUsage,basicConstraints'),
    'X509v3 Key Usage: critical\n    Digital Signature, Key Encipherment, Certificate Sign\nX509v3 Basic Constraints: critical\n    CA:TRUE\n',
  );
  assert.match(x509(dir, inter.certificatePem, '-ext', 'subjectKeyIdentifier'), /^X509v3 Subject Key Identifier: \n\s+([0-9A-F]{2}:){19}[0-9A-F]{2}\n$/);
});

test('a CA Secret holding an intermediate: tls.crt gets leaf + intermediate (never the root), ca.crt the root or, lacking it, the intermediate', (t) => {
  const dir = tempDir(t);
  const interPem = encodePrivateKeyPem(interKey, 'PKCS8');
  const variants: [string, CaSecret, string][] = [
    ['tls.crt = intermediate + root', { certificatesPem: inter.certificatePem + root.certificatePem, privateKeyPem: interPem }, root.certificatePem],
    ['tls.crt = intermediate, ca.crt = root', { certificatesPem: inter.chainPem, privateKeyPem: interPem, caPem: inter.caPem }, root.certificatePem],
    ['duplicates and text between blocks', { certificatesPem: `# chain\n${inter.certificatePem}\n${root.certificatePem}junk\n${root.certificatePem}`, privateKeyPem: interPem }, root.certificatePem],
    ['tls.crt = intermediate alone', { certificatesPem: inter.certificatePem, privateKeyPem: interPem }, inter.certificatePem],
  ];
  for (const [what, secret, ca] of variants) {
    const r = signWithCa(leafSpec, leafKey, secret, {}, {});
    const chain = blocks(r.chainPem);
    assert.deepEqual(chain, [r.certificatePem, inter.certificatePem], what);
    assert.equal(r.caPem, ca, what);
    const leaf = save(dir, r.certificatePem);
    const verdict = opensslVerify(dir, { roots: save(dir, r.caPem), untrusted: save(dir, r.chainPem), leaf, extra: ca === inter.certificatePem ? ['-partial_chain'] : [] });
    assert.equal(verdict.ok, true, `${what}: ${verdict.output}`);
    assert.match(x509(dir, r.certificatePem, '-text'), /Signature Algorithm: sha256WithRSAEncryption\n/, what);
  }
  // Only the FIRST certificate of tls.crt signs: a root-first Secret does not hold the root's key.
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { certificatesPem: root.certificatePem + inter.certificatePem, privateKeyPem: interPem }),
    /^tls\.key: the private key does not belong to the first certificate \("O=Certsmith, CN=Certsmith Test Root"\) of tls\.crt/,
  );
});

test('issuer URLs: CRL distribution points, OCSP servers and issuing certificate URLs on CA-signed certificates', (t) => {
  const dir = tempDir(t);
  const r = signWithCa(leafSpec, leafKey, rootSecret, {
    crlDistributionPoints: ['http://crl.example.com/ca.crl', 'ldap://ldap.example.com/cn=ca'],
    ocspServers: ['http://ocsp.example.com'],
    issuingCertificateURLs: ['http://ca.example.com/ca.crt'],
  });
  assert.equal(
    x509(dir, r.certificatePem, '-ext', 'authorityInfoAccess,crlDistributionPoints'),
    'Authority Information Access: \n    OCSP - URI:http://ocsp.example.com\n    CA Issuers - URI:http://ca.example.com/ca.crt\nX509v3 CRL Distribution Points: \n    Full Name:\n      URI:http://crl.example.com/ca.crl\n    Full Name:\n      URI:ldap://ldap.example.com/cn=ca\n',
  );
  // Without URLs there are no such extensions.
  assert.equal(x509(dir, signWithCa(leafSpec, leafKey, rootSecret).certificatePem, '-ext', 'authorityInfoAccess,crlDistributionPoints'), '');
  throwsPki(() => signWithCa(leafSpec, leafKey, rootSecret, { ocspServers: 'http://x' as unknown as string[] }), /^issuer ocspServers: expected a list of URLs/);
});

test('notAfter is not capped at the CA notAfter; validity is exact', (t) => {
  const dir = tempDir(t);
  const shortKey = generatePrivateKey({ algorithm: 'ECDSA' });
  const now = new Date('2031-03-01T00:00:00Z');
  const shortCa = signSelfSigned({ commonName: 'Short CA', isCA: true, duration: '1h', privateKey: { algorithm: 'ECDSA' } }, shortKey, { now });
  const r = signWithCa({ ...leafSpec, duration: '2160h' }, leafKey, { certificatesPem: shortCa.certificatePem, privateKeyPem: encodePrivateKeyPem(shortKey) }, {}, { now });
  const dates = (pem: string) => x509(dir, pem, '-enddate');
  assert.equal(dates(shortCa.certificatePem), 'notAfter=Mar  1 01:00:00 2031 GMT\n');
  assert.equal(dates(r.certificatePem), 'notAfter=May 30 00:00:00 2031 GMT\n');
});

test('CA keys of every type cert-manager supports sign with the algorithm that fits them', (t) => {
  const dir = tempDir(t);
  const cases: [{ algorithm?: string; size?: number }, string][] = [
    [{ algorithm: 'RSA', size: 4096 }, 'sha512WithRSAEncryption'],
    [{ algorithm: 'RSA', size: 3072 }, 'sha384WithRSAEncryption'],
    [{ algorithm: 'ECDSA', size: 384 }, 'ecdsa-with-SHA384'],
    [{ algorithm: 'ECDSA', size: 521 }, 'ecdsa-with-SHA512'],
    [{ algorithm: 'Ed25519' }, 'ED25519'],
  ];
  for (const [pk, alg] of cases) {
    const caKey: KeyObject = generatePrivateKey(pk);
    const ca = signSelfSigned({ commonName: `CA ${alg}`, isCA: true, privateKey: pk }, caKey);
    const r = signWithCa(leafSpec, leafKey, { certificatesPem: ca.certificatePem, privateKeyPem: encodePrivateKeyPem(caKey) });
    assert.match(x509(dir, r.certificatePem, '-text'), new RegExp(`Signature Algorithm: ${alg}\\n`));
    const verdict = opensslVerify(dir, { roots: save(dir, r.caPem), leaf: save(dir, r.chainPem) });
    assert.equal(verdict.ok, true, `${alg}: ${verdict.output}`);
  }
});

test('a CA made by openssl: its key identifier becomes the authority key id; without one there is none', (t) => {
  const dir = tempDir(t);
  const pki = new Pki(dir);
  pki.selfSigned('osslca', { subj: '/C=GB/O=OpenSSL Made/CN=OpenSSL CA', ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash'] });
  const secret = { certificatesPem: readFileSync(pki.path('osslca.pem'), 'utf8'), privateKeyPem: readFileSync(pki.path('osslca.key'), 'utf8') };
  const r = signWithCa(leafSpec, leafKey, secret);
  const ski = /Identifier: \n\s+(\S+)/.exec(x509(dir, secret.certificatesPem, '-ext', 'subjectKeyIdentifier'))![1];
  assert.equal(x509(dir, r.certificatePem, '-ext', 'authorityKeyIdentifier'), `X509v3 Authority Key Identifier: \n    ${ski}\n`);
  assert.equal(x509(dir, r.certificatePem, '-issuer'), 'issuer=C = GB, O = OpenSSL Made, CN = OpenSSL CA\n');
  assert.equal(opensslVerify(dir, { roots: pki.path('osslca.pem'), leaf: save(dir, r.chainPem) }).ok, true);

  pki.selfSigned('noski', { subj: '/CN=No SKI CA', ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign', 'subjectKeyIdentifier=none', 'authorityKeyIdentifier=none'] });
  const r2 = signWithCa(leafSpec, leafKey, { certificatesPem: readFileSync(pki.path('noski.pem'), 'utf8'), privateKeyPem: readFileSync(pki.path('noski.key'), 'utf8') });
  assert.equal(x509(dir, r2.certificatePem, '-ext', 'authorityKeyIdentifier'), '');
  assert.equal(opensslVerify(dir, { roots: pki.path('noski.pem'), leaf: save(dir, r2.chainPem) }).ok, true);
});

test('CA Secrets cert-manager would refuse give clear errors', (t) => {
  const dir = tempDir(t);
  const otherKey = generatePrivateKey({ algorithm: 'ECDSA' });
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { ...rootSecret, privateKeyPem: encodePrivateKeyPem(otherKey) }),
    /^tls\.key: the private key does not belong to the first certificate \("O=Certsmith, CN=Certsmith Test Root"\) of tls\.crt; the key must be the CA certificate's key/,
  );
  const notCaKey = generatePrivateKey({ algorithm: 'ECDSA' });
  const notCa = signSelfSigned({ commonName: 'Just A Leaf', privateKey: { algorithm: 'ECDSA' } }, notCaKey);
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { certificatesPem: notCa.certificatePem, privateKeyPem: encodePrivateKeyPem(notCaKey) }),
    /^tls\.crt: the first certificate \("CN=Just A Leaf"\) is not a CA \(it lacks basic constraints CA:TRUE\), so the CA issuer is not Ready/,
  );
  throwsPki(() => signWithCa(leafSpec, leafKey, { ...rootSecret, certificatesPem: 'hello' }), /^tls\.crt: no certificate found; expected PEM blocks "-----BEGIN CERTIFICATE-----"/);
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { ...rootSecret, certificatesPem: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' }),
    /^tls\.crt: certificate 1 \(PEM block at line 1\) is not a readable X\.509 certificate/,
  );
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { ...rootSecret, certificatesPem: root.certificatePem + rootSecret.privateKeyPem }),
    /^tls\.crt: the PEM block "EC PRIVATE KEY" at line \d+ is not a certificate/,
  );
  throwsPki(() => signWithCa(leafSpec, leafKey, { ...rootSecret, privateKeyPem: 'nope' }), /^tls\.key: no PEM block found/);
  // An unrelated certificate in tls.crt breaks cert-manager's single-chain check.
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { ...rootSecret, certificatesPem: root.certificatePem + notCa.certificatePem }),
    /^the certificates do not form a single chain \(cert-manager: "certificate chain is malformed or broken"\): 2 pieces could not be linked/,
  );
  // A CA whose key usage lacks certificate signing.
  const pki = new Pki(dir);
  pki.selfSigned('nosign', { subj: '/CN=No Cert Sign CA', ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,cRLSign'] });
  throwsPki(
    () => signWithCa(leafSpec, leafKey, { certificatesPem: readFileSync(pki.path('nosign.pem'), 'utf8'), privateKeyPem: readFileSync(pki.path('nosign.key'), 'utf8') }),
    /^tls\.crt: the first certificate \("CN=No Cert Sign CA"\) has a key usage extension without keyCertSign/,
  );
  // The spec is checked as for any issuer.
  throwsPki(() => signWithCa({ duration: '1h', privateKey: { algorithm: 'ECDSA' } }, leafKey, rootSecret), /^spec: at least one of commonName/);
});
