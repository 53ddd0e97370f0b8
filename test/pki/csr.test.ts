/**
 * The CSR cert-manager would put in a CertificateRequest (and send to an ACME
 * server), checked with `openssl req -verify -text`: subject, requested
 * extensions, signature algorithm, and the key it carries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { openssl } from '../chain/pki.js';
import { tempDir } from '../support/temp.js';
import { buildCsr, buildCsrDer, encodePrivateKeyPem, generatePrivateKey, PkiError, publicKeyOf } from '../../engine/pki/index.js';

let counter = 0;
/** `openssl req -verify -noout -text` output (openssl fails when the self-signature is bad). */
function req(dir: string, csrPem: string): string {
  const file = join(dir, `r${++counter}.csr`);
  writeFileSync(file, csrPem);
  return openssl(['req', '-in', file, '-verify', '-noout', '-text', '-nameopt', 'oneline'], dir);
}

/** The "Requested Extensions" block of openssl's text. */
function requested(text: string): string {
  const m = /Requested Extensions:\n([\s\S]*?\n)\s+Signature Algorithm/.exec(text);
  return m ? m[1].replace(/^ {16}/gm, '') : '';
}

const keys = new Map<string, KeyObject>();
function key(pk: { algorithm?: string; size?: number } = {}): KeyObject {
  const id = JSON.stringify(pk);
  if (!keys.has(id)) keys.set(id, generatePrivateKey(pk));
  return keys.get(id)!;
}

function throwsPki(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PkiError, `expected a PkiError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

test('a default CSR: subject, SANs, default key usages, SHA-256 with RSA, the certificate key, valid signature', (t) => {
  const dir = tempDir(t);
  const csr = buildCsr({ commonName: 'www.example.com', dnsNames: ['www.example.com', 'example.com'], ipAddresses: ['192.0.2.1'], subject: { organizations: ['Example'] } }, key());
  assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
  const text = req(dir, csr);
  assert.match(text, /Version: 1 \(0x0\)/);
  assert.match(text, /Subject: O = Example, CN = www\.example\.com\n/);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.equal(
    requested(text),
    'X509v3 Subject Alternative Name: \n    DNS:www.example.com, DNS:example.com, IP Address:192.0.2.1\nX509v3 Key Usage: critical\n    Digital Signature, Key Encipherment\n',
  );
  const file = join(dir, 'pub.csr');
  writeFileSync(file, csr);
  assert.equal(openssl(['req', '-in', file, '-noout', '-pubkey'], dir), publicKeyOf(key()).export({ type: 'spki', format: 'pem' }));
});

test('usages in the request: EKUs, cert sign for CAs (but no basic constraints), and none when encodeUsagesInRequest is false', (t) => {
  const dir = tempDir(t);
  const withEkus = req(dir, buildCsr({ commonName: 'client', usages: ['client auth', 'digital signature'] }, key()));
  assert.equal(requested(withEkus), 'X509v3 Key Usage: critical\n    Digital Signature\nX509v3 Extended Key Usage: \n    TLS Web Client Authentication\n');
  const ca = req(dir, buildCsr({ commonName: 'Issuing CA', isCA: true }, key()));
  assert.equal(requested(ca), 'X509v3 Key Usage: critical\n    Digital Signature, Key Encipherment, Certificate Sign\n');
  assert.doesNotMatch(ca, /Basic Constraints/);
  const none = req(dir, buildCsr({ commonName: 'bare', encodeUsagesInRequest: false, usages: ['server auth'] }, key()));
  assert.match(none, /Attributes:\n\s+\(none\)|Attributes:\s*\n\s*a0:00/);
  assert.equal(requested(none), '');
});

test('empty subject makes the SAN critical; otherNames, URIs and emails are requested; name constraints keep their criticality', (t) => {
  const dir = tempDir(t);
  const text = req(
    dir,
    buildCsr(
      {
        uris: ['spiffe://example.org/web'],
        emailAddresses: ['admin@example.org'],
        otherNames: [{ oid: '1.3.6.1.4.1.311.20.2.3', utf8Value: 'web@example.org' }],
        isCA: true,
        nameConstraints: { critical: true, permitted: { dnsDomains: ['example.org'] }, excluded: { ipRanges: ['192.168.0.0/16'] } },
      },
      key(),
    ),
  );
  assert.match(text, /Subject: \n/);
  assert.equal(
    requested(text),
    'X509v3 Subject Alternative Name: critical\n    email:admin@example.org, URI:spiffe://example.org/web, othername: UPN::web@example.org\nX509v3 Key Usage: critical\n    Digital Signature, Key Encipherment, Certificate Sign\nX509v3 Name Constraints: critical\n    Permitted:\n      DNS:example.org\n    Excluded:\n      IP:192.168.0.0/255.255.0.0\n',
  );
});

test("the CSR's signature algorithm: spec.signatureAlgorithm, else cert-manager's pick for spec.privateKey", (t) => {
  const dir = tempDir(t);
  const cases: [object, { algorithm?: string; size?: number }, string][] = [
    [{}, {}, 'sha256WithRSAEncryption'],
    [{ signatureAlgorithm: 'SHA384WithRSA' }, {}, 'sha384WithRSAEncryption'],
    [{ privateKey: { algorithm: 'RSA', size: 3072 } }, { algorithm: 'RSA', size: 3072 }, 'sha384WithRSAEncryption'],
    [{ privateKey: { algorithm: 'ECDSA', size: 384 } }, { algorithm: 'ECDSA', size: 384 }, 'ecdsa-with-SHA384'],
    [{ privateKey: { algorithm: 'ECDSA' }, signatureAlgorithm: 'ECDSAWithSHA512' }, { algorithm: 'ECDSA' }, 'ecdsa-with-SHA512'],
    [{ privateKey: { algorithm: 'Ed25519' } }, { algorithm: 'Ed25519' }, 'ED25519'],
  ];
  for (const [extra, pk, alg] of cases) {
    const text = req(dir, buildCsr({ commonName: 'alg', ...extra }, key(pk)));
    assert.match(text, new RegExp(`Signature Algorithm: ${alg}\\n`), alg);
  }
});

test('literalSubject in the CSR, in reverse of its written order', (t) => {
  const dir = tempDir(t);
  const text = req(dir, buildCsr({ literalSubject: 'CN=app,OU=Team,O=Example Corp,C=US', dnsNames: ['app.example.com'] }, key()));
  assert.match(text, /Subject: C = US, O = Example Corp, OU = Team, CN = app\n/);
});

test('CSRs cert-manager could not make give clear errors', () => {
  throwsPki(() => buildCsr({ commonName: 'x', signatureAlgorithm: 'ECDSAWithSHA256' }, key()), /^spec\.signatureAlgorithm: ECDSAWithSHA256 needs an ECDSA key but the private key is RSA 2048/);
  throwsPki(() => buildCsr({ commonName: 'x', privateKey: { algorithm: 'Ed25519' } }, key()), /^spec\.privateKey: asks for an Ed25519 key but the key given is RSA 2048/);
  throwsPki(() => buildCsr({ commonName: 'x' }, publicKeyOf(key())), /a public key was given/);
  throwsPki(() => buildCsr({ subject: { organizations: ['no names'] } }, key()), /^spec: at least one of commonName/);
  throwsPki(() => buildCsrDer(null, key()), /^spec: expected the Certificate's spec as an object/);
  // The key PEM never appears in an error.
  const pem = encodePrivateKeyPem(key());
  try {
    buildCsr({ commonName: 'x', usages: ['bogus'] }, key());
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof PkiError);
    assert.ok(!e.message.includes(pem.split('\n')[1]));
  }
});
