/**
 * The issuance plan the editor shows before anything is created, the
 * Certificate under the cursor, and the panels' HTML (escaping: a
 * certificate's subject is attacker-controlled text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceSet } from '../../engine/issue/resource-set.js';
import { planIssuance } from '../../engine/issue/issuance-plan.js';
import { certificateAt } from '../../engine/issue/certificate-at.js';
import { inspectBytes } from '../../engine/chain/inspect.js';
import { renderChainHtml } from '../../client/panels/chain-html.js';
import { renderDnsHtml } from '../../client/panels/dns-html.js';
import { generatePrivateKey, signSelfSigned, signWithCa, encodePrivateKeyPem } from '../../engine/pki/index.js';

const issuer = (server: string) => `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: le }
spec:
  acme:
    server: ${server}
    email: ops@example.com
    privateKeySecretRef: { name: le-account }
    externalAccountBinding:
      keyID: kid-1
      keySecretRef: { name: eab, key: secret }
    solvers:
      - http01: { ingress: { ingressClassName: nginx } }
      - selector: { dnsZones: [example.com] }
        dns01:
          rfc2136:
            nameserver: 10.0.0.53:53
            tsigKeyName: acme-update
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef: { name: tsig, key: secret }
      - selector: { dnsNames: [legacy.example.org] }
        dns01:
          cloudflare:
            apiTokenSecretRef: { name: cf, key: token }
`;

const certificate = (names: string[]) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: web, namespace: apps }
spec:
  secretName: web-tls
  issuerRef: { name: le, kind: ClusterIssuer }
  dnsNames: [${names.map((n) => `"${n}"`).join(', ')}]
`;

function set(...docs: string[]): ResourceSet {
  const s = new ResourceSet();
  s.addFile('m.yaml', docs.join('---\n'));
  return s;
}

test('the plan: solver per name as cert-manager picks it, records, listener, secrets needed, production flagged', () => {
  const tsig = `apiVersion: v1\nkind: Secret\nmetadata: { name: tsig, namespace: cert-manager }\nstringData: { secret: abc }\n`;
  const plan = planIssuance(set(issuer('https://acme-v02.api.letsencrypt.org/directory'), certificate(['example.com', '*.example.com', 'www.example.net']), tsig), { certificate: 'web', http01Listen: ':80' });
  assert.equal(plan.issuer.label, 'ClusterIssuer le');
  assert.equal(plan.issuer.type, 'ACME');
  assert.equal(plan.issuer.letsEncryptProduction, true);
  assert.deepEqual(
    plan.names.map((n) => [n.name, n.solver, n.record ?? null]),
    [
      ['example.com', 'DNS-01 (rfc2136 via 10.0.0.53:53)', '_acme-challenge.example.com'],
      ['*.example.com', 'DNS-01 (rfc2136 via 10.0.0.53:53)', '_acme-challenge.example.com'],
      ['www.example.net', 'HTTP-01 (responder on :80)', null],
    ],
  );
  assert.deepEqual(plan.dnsRecords, ['_acme-challenge.example.com']);
  assert.equal(plan.httpListener, ':80');
  assert.deepEqual(
    plan.secrets.map((s) => [`${s.namespace}/${s.name}`, s.key, s.present]),
    [
      ['cert-manager/eab', 'secret', false],
      ['cert-manager/tsig', 'secret', true],
    ],
  );
  assert.deepEqual(plan.problems, []);
  assert.equal(plan.certificate.namespace, 'apps');
});

test('the plan names what will stop the issuance: an unsupported provider (manual mode), no solver for a wildcard', () => {
  const plan = planIssuance(set(issuer('https://acme.example/dir'), certificate(['legacy.example.org', '*.example.net'])), { certificate: 'web', http01Listen: ':80' });
  assert.equal(plan.issuer.letsEncryptProduction, false);
  assert.match(plan.problems.join('\n'), /legacy\.example\.org: the cloudflare DNS-01 provider cannot be driven locally; use the manual mode/);
  assert.match(plan.problems.join('\n'), /no solver of ClusterIssuer le matches \*\.example\.net \(a wildcard needs a DNS-01 solver\)/);
  const manual = planIssuance(set(issuer('https://acme.example/dir'), certificate(['legacy.example.org'])), { certificate: 'web', http01Listen: ':80', dns01Manual: true });
  assert.deepEqual(manual.problems, []);
  assert.equal(manual.names[0]!.solver, 'DNS-01 (manual: you create the record)');
});

test('the Certificate under the cursor, from the YAML nodes', () => {
  const text = `apiVersion: v1\nkind: Secret\nmetadata: { name: s }\n---\n${certificate(['a.example.com'])}---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: other\nspec:\n  secretName: o\n`;
  assert.equal(certificateAt(text, 5), undefined, 'in the Secret');
  assert.deepEqual(certificateAt(text, text.indexOf('secretName: web-tls')), { name: 'web', namespace: 'apps' });
  assert.deepEqual(certificateAt(text, text.indexOf('secretName: o')), { name: 'other', namespace: null });
});

test('panel HTML escapes certificate text and keeps a strict content security policy', () => {
  const caKey = generatePrivateKey({ algorithm: 'ECDSA' });
  const ca = signSelfSigned({ isCA: true, commonName: 'Evil <script>alert(1)</script> CA', privateKey: { algorithm: 'ECDSA' } }, caKey);
  const leafKey = generatePrivateKey({ algorithm: 'ECDSA' });
  const leaf = signWithCa({ commonName: 'x"><img src=x onerror=alert(1)>', dnsNames: ['a.example.com'], privateKey: { algorithm: 'ECDSA' } }, leafKey, { certificatesPem: ca.certificatePem, privateKeyPem: encodePrivateKeyPem(caKey) });
  const report = inspectBytes(leaf.chainPem, { roots: { certificates: [], description: 'none' } });
  const html = renderChainHtml(report, '<b>title</b>', 'NONCE');
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /Evil \\&lt;script\\&gt;alert\(1\)/, 'the issuer name, escaped');
  assert.match(html, /default-src 'none'; style-src 'nonce-NONCE';/);
  assert.match(html, /id="verdict" role="status">Not trusted/);
  assert.doesNotMatch(html, / style="/, "no style attributes (the CSP would block them)");
  const dns = renderDnsHtml([{ name: '_acme-challenge.<x>', report: null, status: '<checking>' }], 'N');
  assert.match(dns, /_acme-challenge\.&lt;x&gt;/);
  assert.doesNotMatch(dns, /<checking>/);
});
