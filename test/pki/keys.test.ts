/**
 * Private keys for a Certificate's spec.privateKey: cert-manager's defaults
 * and limits, the tls.key encodings (PKCS1 / SEC 1 / PKCS8) and key.der, all
 * read back by openssl; and how a CA Secret's tls.key is read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openssl } from '../chain/pki.js';
import { tempDir } from '../support/temp.js';
import { decodePrivateKeyPem, describeKey, encodePrivateKeyPem, generatePrivateKey, PkiError, privateKeyDer, publicKeyOf, signSelfSigned } from '../../engine/pki/index.js';

function write(dir: string, name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A thrown PkiError whose message matches, and that leaks no base64 run long enough to be key material. */
function throwsPki(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PkiError, `expected a PkiError, got ${String(e)}`);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /[A-Za-z0-9+/]{40,}/, 'the message must not carry key material');
    return true;
  });
}

test('key generation follows cert-manager defaults and sizes', () => {
  assert.deepEqual(describeKey(generatePrivateKey()), { algorithm: 'RSA', size: 2048, label: 'RSA 2048' });
  assert.deepEqual(describeKey(generatePrivateKey({ algorithm: 'RSA', size: 0 })), { algorithm: 'RSA', size: 2048, label: 'RSA 2048' });
  assert.equal(describeKey(generatePrivateKey({ algorithm: 'RSA', size: 3072 })).size, 3072);
  assert.equal(describeKey(generatePrivateKey({ algorithm: 'ECDSA' })).label, 'ECDSA P-256');
  assert.equal(describeKey(generatePrivateKey({ algorithm: 'ECDSA', size: 384 })).label, 'ECDSA P-384');
  assert.equal(describeKey(generatePrivateKey({ algorithm: 'ECDSA', size: 521 })).label, 'ECDSA P-521');
  // Ed25519 ignores the size.
  assert.equal(describeKey(generatePrivateKey({ algorithm: 'Ed25519', size: 384 })).label, 'Ed25519');
});

test('unsupported key parameters are refused with the field, the value and what is allowed', () => {
  throwsPki(() => generatePrivateKey({ algorithm: 'RSA', size: 1024 }), /^spec\.privateKey\.size: RSA key size 1024 is too weak; the minimum is 2048/);
  throwsPki(() => generatePrivateKey({ size: 16384 }), /^spec\.privateKey\.size: RSA key size 16384 is too big; the maximum is 8192/);
  throwsPki(() => generatePrivateKey({ algorithm: 'ECDSA', size: 300 }), /^spec\.privateKey\.size: ECDSA key size 300 is not supported; use 256 \(P-256, the default\), 384 \(P-384\) or 521 \(P-521\)/);
  throwsPki(() => generatePrivateKey({ algorithm: 'DSA' }), /^spec\.privateKey\.algorithm: unsupported private key algorithm "DSA"; use RSA \(the default\), ECDSA or Ed25519/);
  // cert-manager's enum is case-sensitive.
  throwsPki(() => generatePrivateKey({ algorithm: 'ecdsa' }), /unsupported private key algorithm "ecdsa"/);
  throwsPki(() => generatePrivateKey({ algorithm: 'RSA', size: '4096' }), /^spec\.privateKey\.size: expected an integer, got "4096"/);
  throwsPki(() => generatePrivateKey('RSA'), /^spec\.privateKey: expected an object/);
  const key = generatePrivateKey({ algorithm: 'ECDSA' });
  throwsPki(() => encodePrivateKeyPem(key, 'DER'), /^spec\.privateKey\.encoding: unknown private key encoding "DER"; use PKCS1 \(the default\) or PKCS8/);
  throwsPki(() => encodePrivateKeyPem(publicKeyOf(key)), /only a private key can be encoded/);
});

test('tls.key encodings as cert-manager writes them, parsed by openssl and matching the certificate', (t) => {
  const dir = tempDir(t);
  const cases = [
    { spec: {}, encoding: undefined, label: 'RSA PRIVATE KEY', text: /Private-Key: \(2048 bit, 2 primes\)/ },
    { spec: {}, encoding: 'PKCS8', label: 'PRIVATE KEY', text: /Private-Key: \(2048 bit, 2 primes\)/ },
    { spec: { algorithm: 'ECDSA' }, encoding: 'PKCS1', label: 'EC PRIVATE KEY', text: /ASN1 OID: prime256v1/ },
    { spec: { algorithm: 'ECDSA', size: 384 }, encoding: 'PKCS8', label: 'PRIVATE KEY', text: /ASN1 OID: secp384r1/ },
    // Ed25519 has no PKCS#1 form: cert-manager writes PKCS#8 even for PKCS1.
    { spec: { algorithm: 'Ed25519' }, encoding: 'PKCS1', label: 'PRIVATE KEY', text: /ED25519 Private-Key/ },
    { spec: { algorithm: 'Ed25519' }, encoding: 'PKCS8', label: 'PRIVATE KEY', text: /ED25519 Private-Key/ },
  ];
  cases.forEach((c, i) => {
    const key = generatePrivateKey(c.spec);
    const pem = encodePrivateKeyPem(key, c.encoding);
    assert.match(pem, new RegExp(`^-----BEGIN ${c.label}-----\\n(?:[A-Za-z0-9+/=]{64}\\n)*[A-Za-z0-9+/=]{1,64}\\n-----END ${c.label}-----\\n$`), `case ${i}`);
    const keyFile = write(dir, `k${i}.pem`, pem);
    assert.match(openssl(['pkey', '-in', keyFile, '-noout', '-text'], dir), c.text, `case ${i}`);

    // key.der is the DER inside that same block (so PKCS#1 / SEC 1 / PKCS#8 as encoded), and openssl reads it as the same key.
    const der = privateKeyDer(key, c.encoding);
    const body = Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64');
    assert.ok(der.equals(body), `case ${i}: key.der is the DER of the tls.key block`);
    const derFile = write(dir, `k${i}.der`, der);
    assert.equal(openssl(['pkey', '-inform', 'DER', '-in', derFile, '-pubout'], dir), openssl(['pkey', '-in', keyFile, '-pubout'], dir), `case ${i}`);

    // The key belongs to the certificate issued for it.
    const cert = write(dir, `c${i}.pem`, signSelfSigned({ commonName: `key ${i}`, privateKey: c.spec }, key).certificatePem);
    assert.equal(openssl(['x509', '-in', cert, '-noout', '-pubkey'], dir), openssl(['pkey', '-in', keyFile, '-pubout'], dir), `case ${i}`);
  });
});

test('a CA Secret tls.key is read in any of the three encodings, including openssl-made keys', (t) => {
  const dir = tempDir(t);
  const made = [
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    ['genpkey', '-algorithm', 'ED25519'],
  ];
  made.forEach((args, i) => {
    const pkcs8 = write(dir, `o${i}.pem`, openssl(args, dir));
    const key = decodePrivateKeyPem(openssl(['pkey', '-in', pkcs8], dir));
    assert.equal(openssl(['pkey', '-in', pkcs8, '-pubout'], dir), publicKeyOf(key).export({ type: 'spki', format: 'pem' }));
  });
  // Traditional forms (openssl's -traditional): PKCS#1 RSA and SEC 1 EC.
  const rsaTrad = openssl(['pkey', '-in', join(dir, 'o0.pem'), '-traditional'], dir);
  assert.match(rsaTrad, /BEGIN RSA PRIVATE KEY/);
  assert.equal(describeKey(decodePrivateKeyPem(rsaTrad)).label, 'RSA 2048');
  const ecTrad = openssl(['ec', '-in', join(dir, 'o1.pem')], dir);
  assert.match(ecTrad, /BEGIN EC PRIVATE KEY/);
  assert.equal(describeKey(decodePrivateKeyPem(ecTrad)).label, 'ECDSA P-384');
  // Text before the block is skipped; only the first block counts.
  assert.equal(describeKey(decodePrivateKeyPem(`# the CA key\n${ecTrad}${rsaTrad}`)).label, 'ECDSA P-384');
});

test('unreadable CA keys give clear errors without key material', (t) => {
  const dir = tempDir(t);
  throwsPki(() => decodePrivateKeyPem('this is not a key'), /^tls\.key: no PEM block found; expected "-----BEGIN RSA PRIVATE KEY-----"/);
  throwsPki(() => decodePrivateKeyPem('-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n'), /^tls\.key: the PRIVATE KEY block is not a readable PKCS#8 private key$/);
  throwsPki(() => decodePrivateKeyPem('-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n'), /not valid base64/);
  const encrypted = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes256', '-pass', 'pass:secret'], dir);
  throwsPki(() => decodePrivateKeyPem(encrypted), /^tls\.key: unknown private key type "ENCRYPTED PRIVATE KEY" in the first PEM block; .*cannot read encrypted keys/);
  const legacyEncrypted = spawnSync('openssl', ['rsa', '-aes256', '-passout', 'pass:secret', '-traditional'], { input: openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], dir), encoding: 'utf8' }).stdout;
  assert.match(legacyEncrypted, /Proc-Type: 4,ENCRYPTED/);
  throwsPki(() => decodePrivateKeyPem(legacyEncrypted), /^tls\.key: the private key is encrypted \(Proc-Type: 4,ENCRYPTED\)/);
  const k1 = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], dir);
  throwsPki(() => decodePrivateKeyPem(k1), /^the key in tls\.key is an ECDSA key on curve secp256k1, which cert-manager cannot use; use P-256, P-384 or P-521/);
  const x448 = openssl(['genpkey', '-algorithm', 'X448'], dir);
  throwsPki(() => decodePrivateKeyPem(x448), /is of type x448; cert-manager uses RSA, ECDSA and Ed25519 keys only/);
  const cert = signSelfSigned({ commonName: 'x', privateKey: { algorithm: 'ECDSA' } }, generatePrivateKey({ algorithm: 'ECDSA' })).certificatePem;
  throwsPki(() => decodePrivateKeyPem(cert), /unknown private key type "CERTIFICATE" .*the key must be the first PEM block/);
  throwsPki(() => decodePrivateKeyPem('x'.repeat(13001)), /cert-manager reads at most 13000 bytes/);
});
