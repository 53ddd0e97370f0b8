/**
 * Finding what an issuance needs among the given manifests, with
 * cert-manager's namespace rules, and the messages when a piece is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceSet } from '../../engine/issue/resource-set.js';
import { resolveIssuanceInputs } from '../../engine/issue/issuance-inputs.js';
import { UserError } from '../../engine/core/errors.js';
import { joinCsv } from '../../engine/issue/secret-output.js';

function set(yaml: string): ResourceSet {
  const s = new ResourceSet();
  s.addFile('m.yaml', yaml);
  return s;
}

const cert = (ns: string | null, kind = 'Issuer', name = 'web') => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  secretName: web-tls
  issuerRef: { name: ca, kind: ${kind} }
  dnsNames: [web.example.com]
`;

const issuer = (ns: string | null) => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca
${ns ? `  namespace: ${ns}\n` : ''}spec:
  ca: { secretName: ca-key-pair }
`;

const clusterIssuer = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: ca }
spec:
  ca: { secretName: ca-key-pair }
`;

const secret = (ns: string) => `apiVersion: v1
kind: Secret
metadata: { name: ca-key-pair, namespace: ${ns} }
data:
  tls.crt: ${Buffer.from('CERT').toString('base64')}
stringData:
  tls.key: KEY
`;

function expectError(fn: () => unknown, pattern: RegExp, hint?: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    assert.match(e.message, pattern);
    if (hint) assert.match(e.hint ?? '', hint);
    return;
  }
  assert.fail('expected an UserError');
}

test('an Issuer is found in the Certificate namespace, and its Secrets there too', () => {
  const s = set([cert('apps'), issuer('apps'), secret('apps')].join('---\n'));
  const i = resolveIssuanceInputs(s, { certificate: 'web' });
  assert.equal(i.certificate.namespace, 'apps');
  assert.equal(i.issuer.ref.kind, 'Issuer');
  assert.equal(i.secretNamespace, 'apps');
  assert.equal(i.secretKey('ca-key-pair', 'tls.crt', 'x').toString(), 'CERT');
  assert.equal(i.secretKey('ca-key-pair', 'tls.key', 'x').toString(), 'KEY', 'stringData is read too');
});

test('an Issuer in another namespace is not used, and the message says why', () => {
  const s = set([cert('apps'), issuer('other')].join('---\n'));
  expectError(() => resolveIssuanceInputs(s, { certificate: 'web' }), /Issuer "ca" in namespace "apps" \(the Certificate's namespace\) is not in the given files/, /only used by Certificates in its own namespace; found other\/ca/);
});

test('a ClusterIssuer reads Secrets from the cluster resource namespace', () => {
  const s = set([cert('apps', 'ClusterIssuer'), clusterIssuer, secret('apps')].join('---\n'));
  const i = resolveIssuanceInputs(s, { certificate: 'web' });
  assert.equal(i.secretNamespace, 'cert-manager');
  expectError(() => i.secretKey('ca-key-pair', 'tls.crt', 'the CA issuer ca'), /Secret "ca-key-pair" in namespace "cert-manager", needed for the CA issuer ca, is not in the given files \(a ClusterIssuer reads its Secrets from the cluster resource namespace "cert-manager"; change it with --cluster-resource-namespace\)/);
  const j = resolveIssuanceInputs(s, { certificate: 'web', clusterResourceNamespace: 'apps' });
  assert.equal(j.secretKey('ca-key-pair', 'tls.crt', 'x').toString(), 'CERT');
});

test('kind mix-ups point at the fix', () => {
  expectError(() => resolveIssuanceInputs(set([cert('apps'), clusterIssuer].join('---\n')), { certificate: 'web' }), /Issuer "ca"/, /set issuerRef.kind: ClusterIssuer/);
  expectError(() => resolveIssuanceInputs(set([cert('apps', 'ClusterIssuer'), issuer('apps')].join('---\n')), { certificate: 'web' }), /ClusterIssuer "ca" is not in the given files/, /set issuerRef.kind: Issuer/);
});

test('objects without a namespace take the given (or default) namespace', () => {
  const s = set([cert(null), issuer(null), secret('default')].join('---\n'));
  const i = resolveIssuanceInputs(s, { certificate: 'web' });
  assert.equal(i.certificate.namespace, 'default');
  assert.equal(i.secretKey('ca-key-pair', 'tls.crt', 'x').toString(), 'CERT');
  assert.equal(resolveIssuanceInputs(s, { certificate: 'web', namespace: 'apps' }).certificate.namespace, 'apps');
});

test('a missing or ambiguous Certificate, an external issuer, a missing key', () => {
  expectError(() => resolveIssuanceInputs(set(cert('a')), { certificate: 'nope' }), /Certificate "nope" is not in the given files; the files hold: a\/web \(m\.yaml:1\)/);
  expectError(() => resolveIssuanceInputs(set([cert('a'), cert('b')].join('---\n')), { certificate: 'web' }), /there are 2 Certificates named "web"/, /--namespace/);
  const external = cert('a').replace('{ name: ca, kind: Issuer }', '{ name: ca, kind: AWSPCAIssuer, group: awspca.cert-manager.io }');
  expectError(() => resolveIssuanceInputs(set(external), { certificate: 'web' }), /external issuer \(AWSPCAIssuer\.awspca\.cert-manager\.io\/ca\)/);
  const i = resolveIssuanceInputs(set([cert('apps'), issuer('apps'), secret('apps')].join('---\n')), { certificate: 'web' });
  expectError(() => i.secretKey('ca-key-pair', 'ca.crt', 'the CA'), /has no key "ca\.crt" \(needed for the CA\); it has "tls\.crt", "tls\.key"/);
});

test('unreadable YAML names the file and line', () => {
  const s = new ResourceSet();
  assert.throws(() => s.addFile('bad.yaml', 'kind: Certificate\n---\nmetadata: [\n'), (e: Error) => e instanceof UserError && /^bad\.yaml:3: /.test(e.message));
});

test('annotation lists are CSV as Go writes them', () => {
  assert.equal(joinCsv(['a.example.com', 'b.example.com']), 'a.example.com,b.example.com');
  assert.equal(joinCsv(['10 Downing Street, Westminster', 'x"y', ' lead']), '"10 Downing Street, Westminster","x""y"," lead"');
  assert.equal(joinCsv([]), '');
});
