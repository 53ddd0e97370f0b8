/**
 * Certificates from the SelfSigned issuer, checked with openssl: what
 * cert-manager puts in them for a Certificate spec (subject, SANs, key
 * usages, basic constraints, name constraints, validity, signature) and that
 * openssl accepts their signatures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, opensslVerify } from '../chain/pki.js';
import { tempDir } from '../support/temp.js';
import { generatePrivateKey, PkiError, signSelfSigned, certificateTemplate, publicKeyOf, EMPTY_ISSUER_DN_WARNING } from '../../engine/pki/index.js';

let counter = 0;
function save(dir: string, pem: string): string {
  const file = join(dir, `cert${++counter}.pem`);
  writeFileSync(file, pem);
  return file;
}

/** `openssl x509 -noout ARGS` on a PEM certificate. */
function x509(dir: string, pem: string, ...args: string[]): string {
  return openssl(['x509', '-in', save(dir, pem), '-noout', ...args], dir);
}

/** The given extensions as `openssl x509 -ext` prints them. */
function ext(dir: string, pem: string, names: string): string {
  return x509(dir, pem, '-ext', names);
}

function seconds(dir: string, pem: string): { notBefore: number; notAfter: number } {
  const out = x509(dir, pem, '-dates');
  const at = (k: string) => Date.parse(new RegExp(`^${k}=(.*)$`, 'm').exec(out)![1]) / 1000;
  return { notBefore: at('notBefore'), notAfter: at('notAfter') };
}

// Keys are reused across tests (RSA 4096 is slow to make).
const keys = new Map<string, KeyObject>();
function key(privateKey: { algorithm?: string; size?: number } = {}): KeyObject {
  const id = `${privateKey.algorithm ?? 'RSA'}-${privateKey.size ?? 0}`;
  let k = keys.get(id);
  if (!k) keys.set(id, (k = generatePrivateKey(privateKey)));
  return k;
}

function throwsPki(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof PkiError && message.test(e.message));
}

test('a SelfSigned root CA: CA:TRUE critical, cert sign added, subject key id, no authority key id, ca.crt is itself', (t) => {
  const dir = tempDir(t);
  const r = signSelfSigned({ commonName: 'Example Root CA', isCA: true, privateKey: { algorithm: 'ECDSA' } }, key({ algorithm: 'ECDSA' }));
  assert.equal(r.caPem, r.certificatePem);
  const root = save(dir, r.certificatePem);
  assert.equal(opensslVerify(dir, { roots: root, leaf: root }).ok, true);
  assert.equal(
    ext(dir, r.certificatePem, 'keyUsage,extendedKeyUsage,basicConstraints,authorityKeyIdentifier'),
    'X509v3 Key Usage: critical\n    Digital Signature, Key Encipherment, Certificate Sign\nX509v3 Basic Constraints: critical\n    CA:TRUE\n',
  );
  assert.equal(x509(dir, r.certificatePem, '-subject', '-issuer'), 'subject=CN = Example Root CA\nissuer=CN = Example Root CA\n');
  // Go's subject key id (1.25+): SHA-256 of the subjectPublicKey bits, first 20 bytes.
  // For an EC key, the subjectPublicKey bits are the uncompressed point: 04 || x || y.
  const jwk = createPublicKey(x509(dir, r.certificatePem, '-pubkey')).export({ format: 'jwk' });
  const bits = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const expected = createHash('sha256').update(bits).digest().subarray(0, 20).toString('hex').toUpperCase().match(/../g)!.join(':');
  assert.equal(ext(dir, r.certificatePem, 'subjectKeyIdentifier'), `X509v3 Subject Key Identifier: \n    ${expected}\n`);
  assert.equal(r.template.subjectKeyId?.toString('hex').toUpperCase().match(/../g)!.join(':'), expected);
});

test('default usages are digital signature and key encipherment, for RSA and ECDSA keys alike, with no EKU', (t) => {
  const dir = tempDir(t);
  for (const pk of [{}, { algorithm: 'ECDSA' }, { algorithm: 'Ed25519' }]) {
    const { certificatePem } = signSelfSigned({ commonName: 'leaf.example', dnsNames: ['leaf.example'], privateKey: pk }, key(pk));
    assert.equal(
      ext(dir, certificatePem, 'keyUsage,extendedKeyUsage,basicConstraints,subjectKeyIdentifier,authorityKeyIdentifier'),
      'X509v3 Key Usage: critical\n    Digital Signature, Key Encipherment\nX509v3 Basic Constraints: critical\n    CA:FALSE\n',
      JSON.stringify(pk),
    );
  }
});

test('explicit usages: key usages and EKUs in spec order, no key usage extension when only EKUs are asked for', (t) => {
  const dir = tempDir(t);
  const base = { commonName: 'u.example' };
  const cases: [string[], boolean, string][] = [
    [
      ['client auth', 'code signing', 'any', 'signing', 'server auth'],
      false,
      'X509v3 Key Usage: critical\n    Digital Signature\nX509v3 Extended Key Usage: \n    TLS Web Client Authentication, Code Signing, Any Extended Key Usage, TLS Web Server Authentication\n',
    ],
    [['server auth'], false, 'X509v3 Extended Key Usage: \n    TLS Web Server Authentication\n'],
    [['crl sign'], true, 'X509v3 Key Usage: critical\n    Certificate Sign, CRL Sign\n'],
    [
      ['content commitment', 'key agreement', 'data encipherment', 'encipher only', 'decipher only', 's/mime', 'timestamping', 'ocsp signing'],
      false,
      'X509v3 Key Usage: critical\n    Non Repudiation, Data Encipherment, Key Agreement, Encipher Only, Decipher Only\nX509v3 Extended Key Usage: \n    E-mail Protection, Time Stamping, OCSP Signing\n',
    ],
  ];
  for (const [usages, isCA, expected] of cases) {
    const { certificatePem } = signSelfSigned({ ...base, usages, isCA }, key());
    assert.equal(ext(dir, certificatePem, 'keyUsage,extendedKeyUsage'), expected, usages.join(', '));
  }
  throwsPki(() => signSelfSigned({ ...base, usages: ['server auth', 'web server'] }, key()), /^spec\.usages: unknown key usage "web server"; cert-manager knows "signing", "digital signature"/);
});

test('notAfter - notBefore is exactly the duration; notBefore is the signing time; UTCTime until 2049, GeneralizedTime after', (t) => {
  const dir = tempDir(t);
  const now = new Date('2030-06-01T12:00:00.750Z');
  for (const [duration, secs] of [[undefined, 2160 * 3600], ['1h', 3600], ['8760h', 8760 * 3600], ['90m', 5400], ['1h30m15s', 5415]] as const) {
    const { certificatePem } = signSelfSigned({ commonName: 'd.example', duration }, key(), { now });
    const s = seconds(dir, certificatePem);
    assert.equal(s.notBefore, Date.parse('2030-06-01T12:00:00Z') / 1000, String(duration));
    assert.equal(s.notAfter - s.notBefore, secs, String(duration));
  }
  const late = signSelfSigned({ commonName: 'late.example', duration: '2h' }, key(), { now: new Date('2049-12-31T23:30:00Z') }).certificatePem;
  const parsed = openssl(['asn1parse', '-in', save(dir, late)], dir);
  assert.match(parsed, /UTCTIME\s+:491231233000Z\n.*GENERALIZEDTIME\s+:20500101013000Z/);
  throwsPki(() => signSelfSigned({ commonName: 'x', duration: '90d' }, key()), /^spec\.duration: time: unknown unit "d" in duration "90d"; use a Go duration/);
  throwsPki(() => signSelfSigned({ commonName: 'x', duration: 3600 }, key()), /^spec\.duration: expected a Go duration/);
});

test("subject fields in Go's order, lists as one multi-valued RDN, PrintableString or UTF8String as Go picks", (t) => {
  const dir = tempDir(t);
  const spec = {
    commonName: '*.example.com',
    subject: {
      organizations: ['Org B', 'Org A'],
      countries: ['GB'],
      organizationalUnits: ['Unit'],
      localities: ['London'],
      provinces: ['England'],
      streetAddresses: ['1 Road'],
      postalCodes: ['N1 1AA'],
      serialNumber: 'SN-1',
    },
    dnsNames: ['*.example.com'],
  };
  const { certificatePem } = signSelfSigned(spec, key());
  assert.equal(
    x509(dir, certificatePem, '-subject'),
    'subject=C = GB, ST = England, L = London, street = 1 Road, postalCode = N1 1AA, O = Org A + O = Org B, OU = Unit, CN = *.example.com, serialNumber = SN-1\n',
  );
  const strings = openssl(['asn1parse', '-in', save(dir, certificatePem)], dir);
  assert.match(strings, /PRINTABLESTRING\s+:Org A/);
  assert.match(strings, /UTF8STRING\s+:\*\.example\.com/); // '*' is outside PrintableString for Go's encoder
});

test('literalSubject is the whole subject, encoded in reverse of its written order', (t) => {
  const dir = tempDir(t);
  const literal = 'CN=my-cn,OU=Another+OU=Unit,O=Org\\, Inc.,C=DE,DC=example,UID=u1';
  const { certificatePem } = signSelfSigned({ literalSubject: literal, commonName: 'ignored', subject: { organizations: ['ignored'] } }, key());
  // The two OUs form one RDN whose attributes are sorted by encoding (the shorter "Unit" first), whatever the written order.
  assert.equal(x509(dir, certificatePem, '-subject'), 'subject=UID = u1, DC = example, C = DE, O = "Org, Inc.", OU = Unit + OU = Another, CN = my-cn\n');
  // RFC 2253 printing reverses the order again (within the RDN too), which gives back the literal.
  assert.equal(x509(dir, certificatePem, '-subject', '-nameopt', 'RFC2253'), 'subject=CN=my-cn,OU=Another+OU=Unit,O=Org\\, Inc.,C=DE,DC=example,UID=u1\n');
  // A dotted OID works as an attribute type; POSTALCODE is not a name cert-manager knows.
  const withOid = signSelfSigned({ literalSubject: 'CN=x,2.5.4.17=N1 1AA' }, key()).certificatePem;
  assert.equal(x509(dir, withOid, '-subject'), 'subject=postalCode = N1 1AA, CN = x\n');
  throwsPki(() => signSelfSigned({ literalSubject: 'CN=x,POSTALCODE=N1' }, key()), /^spec\.literalSubject: attribute type "POSTALCODE" is neither one of C, O, OU, CN/);
  throwsPki(() => signSelfSigned({ literalSubject: 'CN=x,O' }, key()), /^spec\.literalSubject: "CN=x,O" is not an RFC 4514 distinguished name: DN ended with incomplete type, value pair/);
  // The common name for the "some name" rule comes from the literal subject.
  throwsPki(() => signSelfSigned({ literalSubject: 'O=only org', commonName: 'ignored' }, key()), /^spec: at least one of commonName \(from the commonName field or from a literalSubject\), dnsNames/);
});

test('SANs in cert-manager order: DNS, email, IP, URI, otherName; critical only when the subject is empty', (t) => {
  const dir = tempDir(t);
  const spec = {
    dnsNames: ['a.example.com', 'b.example.com'],
    ipAddresses: ['10.0.0.1', '2001:db8::1', '::ffff:192.0.2.7'],
    uris: ['spiffe://cluster.local/ns/default/sa/web'],
    emailAddresses: ['ops@example.com'],
    otherNames: [
      { oid: '1.3.6.1.4.1.311.20.2.3', utf8Value: 'upn@example.com' },
      { oid: '1.2.3.4', utf8Value: 'hello' },
    ],
  };
  const emptyResult = signSelfSigned(spec, key());
  assert.deepEqual(emptyResult.warnings, [EMPTY_ISSUER_DN_WARNING]);
  const empty = emptyResult.certificatePem;
  assert.equal(x509(dir, empty, '-subject'), 'subject=\n');
  assert.equal(
    ext(dir, empty, 'subjectAltName'),
    'X509v3 Subject Alternative Name: critical\n    DNS:a.example.com, DNS:b.example.com, email:ops@example.com, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:192.0.2.7, URI:spiffe://cluster.local/ns/default/sa/web, othername: UPN::upn@example.com, othername: 1.2.3.4::hello\n',
  );
  const namedResult = signSelfSigned({ ...spec, commonName: 'a.example.com' }, key());
  assert.deepEqual(namedResult.warnings, []);
  const named = namedResult.certificatePem;
  assert.match(ext(dir, named, 'subjectAltName'), /^X509v3 Subject Alternative Name: \n/);
  // No SANs at all: no extension.
  assert.equal(ext(dir, signSelfSigned({ commonName: 'cn-only' }, key()).certificatePem, 'subjectAltName'), '');

  throwsPki(() => signSelfSigned({ ipAddresses: ['10.0.0.256'] }, key()), /^spec\.ipAddresses\[0\]: "10\.0\.0\.256" is not an IP address/);
  throwsPki(() => signSelfSigned({ ipAddresses: ['[::1]'] }, key()), /without brackets, zones or leading zeros/);
  throwsPki(() => signSelfSigned({ dnsNames: ['bücher.example'] }, key()), /^spec\.dnsNames\[0\]: "bücher\.example" cannot be encoded as an IA5String.*xn--/);
  throwsPki(() => signSelfSigned({ otherNames: [{ oid: 'upn', utf8Value: 'x' }] }, key()), /^spec\.otherNames\[0\]\.oid: "upn": an object identifier is dot-separated/);
  throwsPki(() => signSelfSigned({ otherNames: [{ oid: '1.2.3' }] }, key()), /^spec\.otherNames\[0\]\.utf8Value: utf8Value must be set/);
  throwsPki(() => signSelfSigned({}, key()), /^spec: at least one of commonName/);
  throwsPki(() => signSelfSigned({ dnsNames: 'a.example' }, key()), /^spec\.dnsNames: expected a list of strings, got "a\.example"/);
});

test('name constraints: permitted and excluded subtrees, critical only when asked', (t) => {
  const dir = tempDir(t);
  const nameConstraints = {
    critical: true,
    permitted: { dnsDomains: ['example.com', '.corp.example'], ipRanges: ['10.1.2.3/8', '2001:db8::/32'], emailAddresses: ['example.com'], uriDomains: ['.example.com'] },
    excluded: { dnsDomains: ['secret.example.com'] },
  };
  const critical = signSelfSigned({ commonName: 'Constrained CA', isCA: true, nameConstraints }, key()).certificatePem;
  assert.equal(
    ext(dir, critical, 'nameConstraints'),
    'X509v3 Name Constraints: critical\n    Permitted:\n      DNS:example.com\n      DNS:.corp.example\n      IP:10.0.0.0/255.0.0.0\n      IP:2001:DB8:0:0:0:0:0:0/FFFF:FFFF:0:0:0:0:0:0\n      email:example.com\n      URI:.example.com\n    Excluded:\n      DNS:secret.example.com\n',
  );
  const plain = signSelfSigned({ commonName: 'CA', isCA: true, nameConstraints: { permitted: { dnsDomains: ['example.com'] } } }, key()).certificatePem;
  assert.equal(ext(dir, plain, 'nameConstraints'), 'X509v3 Name Constraints: \n    Permitted:\n      DNS:example.com\n');
  // Empty constraints write no extension.
  assert.equal(ext(dir, signSelfSigned({ commonName: 'CA', isCA: true, nameConstraints: { critical: true } }, key()).certificatePem, 'nameConstraints'), '');
  throwsPki(() => signSelfSigned({ commonName: 'CA', nameConstraints: { permitted: { ipRanges: ['10.0.0.0'] } } }, key()), /^spec\.nameConstraints\.permitted\.ipRanges\[0\]: "10\.0\.0\.0" is not a CIDR range/);
});

test("the signature follows the key: RSA 2048/3072/4096, ECDSA P-256/384/521, Ed25519, all verified by openssl", (t) => {
  const dir = tempDir(t);
  const cases: [{ algorithm?: string; size?: number }, string, RegExp][] = [
    [{}, 'sha256WithRSAEncryption', /Public-Key: \(2048 bit\)/],
    [{ algorithm: 'RSA', size: 3072 }, 'sha384WithRSAEncryption', /Public-Key: \(3072 bit\)/],
    [{ algorithm: 'RSA', size: 4096 }, 'sha512WithRSAEncryption', /Public-Key: \(4096 bit\)/],
    [{ algorithm: 'ECDSA' }, 'ecdsa-with-SHA256', /NIST CURVE: P-256/],
    [{ algorithm: 'ECDSA', size: 384 }, 'ecdsa-with-SHA384', /NIST CURVE: P-384/],
    [{ algorithm: 'ECDSA', size: 521 }, 'ecdsa-with-SHA512', /NIST CURVE: P-521/],
    [{ algorithm: 'Ed25519' }, 'ED25519', /Public Key Algorithm: ED25519/],
  ];
  for (const [pk, sigAlg, keyLine] of cases) {
    const r = signSelfSigned({ commonName: `sig ${sigAlg}`, isCA: true, privateKey: pk }, key(pk));
    const text = x509(dir, r.certificatePem, '-text');
    assert.match(text, new RegExp(`Signature Algorithm: ${sigAlg}\\n`), sigAlg);
    assert.match(text, keyLine, sigAlg);
    const file = save(dir, r.certificatePem);
    const verdict = opensslVerify(dir, { roots: file, leaf: file, extra: ['-check_ss_sig'] });
    assert.equal(verdict.ok, true, `${sigAlg}: ${verdict.output}`);
  }
});

test('spec.signatureAlgorithm does not change the certificate (SignCertificate picks from the signer key) but must fit the key', (t) => {
  const dir = tempDir(t);
  const r = signSelfSigned({ commonName: 'sig', signatureAlgorithm: 'SHA512WithRSA' }, key());
  assert.match(x509(dir, r.certificatePem, '-text'), /Signature Algorithm: sha256WithRSAEncryption/);
  assert.equal(r.template.signatureAlgorithm.request, 'SHA512WithRSA');
  throwsPki(
    () => signSelfSigned({ commonName: 'sig', signatureAlgorithm: 'ECDSAWithSHA256' }, key()),
    /^spec\.signatureAlgorithm: ECDSAWithSHA256 needs an ECDSA key but the private key is RSA 2048; with this key use SHA256WithRSA, SHA384WithRSA, SHA512WithRSA/,
  );
  throwsPki(() => signSelfSigned({ commonName: 'sig', signatureAlgorithm: 'SHA1WithRSA' }, key()), /^spec\.signatureAlgorithm: unsupported signature algorithm "SHA1WithRSA"/);
  throwsPki(() => signSelfSigned({ commonName: 'k', privateKey: { algorithm: 'ECDSA' } }, key()), /^spec\.privateKey: asks for an ECDSA P-256 key but the key given is RSA 2048/);
});

test('serial numbers are random, positive and at most 20 bytes; the SelfSigned issuer adds its CRL distribution points', (t) => {
  const dir = tempDir(t);
  const serials = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const { certificatePem } = signSelfSigned({ commonName: 'serial' }, key());
    const serial = /^serial=([0-9A-F]+)$/m.exec(x509(dir, certificatePem, '-serial'))![1];
    assert.ok(serial.length <= 40 && (serial.length < 40 || parseInt(serial[0], 16) < 8), serial);
    serials.add(serial);
  }
  assert.equal(serials.size, 5);
  const withCrl = signSelfSigned({ commonName: 'crl' }, key(), { crlDistributionPoints: ['http://crl.example.com/root.crl'] }).certificatePem;
  assert.equal(ext(dir, withCrl, 'crlDistributionPoints'), 'X509v3 CRL Distribution Points: \n    Full Name:\n      URI:http://crl.example.com/root.crl\n');
});

test('certificateTemplate describes what will be signed', () => {
  const k = key({ algorithm: 'ECDSA', size: 384 });
  const tpl = certificateTemplate(
    { commonName: 'tpl', dnsNames: ['tpl.example'], duration: '24h', usages: ['server auth'], privateKey: { algorithm: 'ECDSA', size: 384 } },
    publicKeyOf(k),
    { now: new Date('2031-01-01T00:00:00.400Z') },
  );
  assert.equal(tpl.notBefore.toISOString(), '2031-01-01T00:00:00.000Z');
  assert.equal(tpl.notAfter.toISOString(), '2031-01-02T00:00:00.000Z');
  assert.equal(tpl.duration, '24h0m0s');
  assert.equal(tpl.subject.commonName, 'tpl');
  assert.deepEqual(tpl.subjectAltNames.dnsNames, ['tpl.example']);
  assert.equal(tpl.sanCritical, false);
  assert.equal(tpl.usages.keyUsage, 0);
  assert.deepEqual(tpl.usages.extKeyUsages, [{ name: 'serverAuth', oid: '1.3.6.1.5.5.7.3.1' }]);
  assert.deepEqual(tpl.signatureAlgorithm, { request: 'ECDSAWithSHA384', selfSigned: 'ECDSAWithSHA384' });
  assert.equal(tpl.subjectKeyId, null);
  assert.equal(tpl.serialNumber.length, 20);
});
