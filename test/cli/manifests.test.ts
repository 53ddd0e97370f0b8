/**
 * The manifest model as `certsmith lint` sees it: multi-document files,
 * `kind: List`, objects of other API groups, scope, names, removed API versions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { ACROSS_FILES_RULE_IDS } from '../../engine/rules/registry.js';

interface JsonDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

/** Lints one file and returns its diagnostics (0-based positions) and the exit status. */
const CROSS_RULE_IDS = ACROSS_FILES_RULE_IDS;

/**
 * Lints one file and returns its diagnostics, without the cross-resource ones:
 * this file is about what each document says (issuer references and Secrets
 * across documents are tested in test/semantics/cross.test.ts).
 */
function lint(t: { after(fn: () => void): void }, text: string, name = 'manifest.yaml'): { status: number | null; diagnostics: JsonDiagnostic[] } {
  const dir = tempDir(t);
  writeFileSync(join(dir, name), text);
  const r = runCli(['lint', '--format', 'json', name], { cwd: dir });
  assert.notEqual(r.status, 2, r.stderr);
  const json = JSON.parse(r.stdout) as { files: { path: string; diagnostics: JsonDiagnostic[] }[] };
  assert.equal(json.files.length, 1);
  return { status: r.status, diagnostics: json.files[0].diagnostics.filter((d) => !CROSS_RULE_IDS.has(d.code)) };
}

const brief = (ds: JsonDiagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}`);

test('multi-document file: a mistake in the third document is reported at its line in the file', (t) => {
  const text = `# issuers and certificates for the web team
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: selfsigned
  namespace: web
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: root-ca
  namespace: web
spec:
  isCA: true
  commonName: root-ca
  secretName: root-ca
  issuerRef:
    name: selfsigned
---
# the leaf certificate
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: web
spec:
  secretName: web-tls
  dnsNames:
    - web.example.com
  renewbefore: 240h
  issuerRef:
    name: web-ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  assert.deepEqual(brief(diagnostics), ['32:3 error schema-unknown-field']);
  assert.deepEqual(diagnostics[0].range, { start: { line: 31, character: 2 }, end: { line: 31, character: 13 } });
});

test('documents separated by "---" with trailing "..." and empty documents keep their positions', (t) => {
  const text = `---
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: ca
spec:
  ca:
    secretName: ca-key-pair
...
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: Bad_Name
spec:
  secretName: x
  issuerRef: {name: ca, kind: ClusterIssuer}
  dnsNames: [example.com]
`;
  const { diagnostics } = lint(t, text);
  assert.deepEqual(brief(diagnostics), ['15:9 error metadata-name-invalid']);
});

test('objects inside a v1 List are checked, at their own positions', (t) => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: cert-manager.io/v1
    kind: Certificate
    metadata:
      name: in-list
    spec:
      secretName: in-list-tls
      renewbefore: 1h
      issuerRef:
        name: ca
  - apiVersion: v1
    kind: Secret
    metadata:
      name: ca-key-pair
    type: kubernetes.io/tls
  - apiVersion: cert-manager.io/v1
    kind: Issuer
    metadata:
      name: Upper
    spec:
      ca:
        secretName: ca-key-pair
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  assert.deepEqual(brief(diagnostics), ['10:7 error schema-unknown-field', '21:13 error metadata-name-invalid']);
});

test('objects of other API groups (apps/v1 Deployment, v1 ConfigMap, Service) are tolerated without errors', (t) => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  enabled: "true"
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
---
apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: w
spec:
  anything: [1, 2, 3]
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.deepEqual(brief(diagnostics), []);
  assert.equal(status, 0);
});

test('a ClusterIssuer with a namespace: warning metadata-namespace-ignored at the namespace key', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-prod
  namespace: cert-manager
spec:
  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    privateKeySecretRef:
      name: letsencrypt-prod
    solvers:
      - http01:
          ingress:
            ingressClassName: nginx
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 0, 'a warning alone does not fail the run');
  assert.deepEqual(brief(diagnostics), ['5:3 warning metadata-namespace-ignored']);
  assert.match(diagnostics[0].message, /cluster-scoped/);
  // An Issuer is namespaced: the same namespace is fine there.
  const issuer = lint(t, text.replace('kind: ClusterIssuer', 'kind: Issuer'));
  assert.deepEqual(brief(issuer.diagnostics), []);
});

test('removed cert-manager API versions are errors that name cert-manager.io/v1', (t) => {
  for (const [apiVersion, kind] of [
    ['cert-manager.io/v1alpha2', 'Certificate'],
    ['cert-manager.io/v1alpha3', 'Issuer'],
    ['cert-manager.io/v1beta1', 'ClusterIssuer'],
    ['certmanager.k8s.io/v1alpha1', 'Certificate'],
  ]) {
    const { status, diagnostics } = lint(t, `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: old\nspec: {}\n`);
    assert.equal(status, 1, apiVersion);
    assert.deepEqual(brief(diagnostics), ['1:13 error api-version-removed'], apiVersion);
    assert.deepEqual(diagnostics[0].range.end, { line: 0, character: 12 + apiVersion.length }, 'the range is the apiVersion value');
    assert.match(diagnostics[0].message, /apiVersion: cert-manager\.io\/v1\b(?!\w)/, `${apiVersion}: ${diagnostics[0].message}`);
    assert.ok(diagnostics[0].message.includes(apiVersion), diagnostics[0].message);
  }
});

test('a networking.k8s.io/v1beta1 Ingress is an error that names networking.k8s.io/v1', (t) => {
  const text = `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
spec:
  tls:
    - hosts: [example.com]
      secretName: web-tls
  rules:
    - host: example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: web
              servicePort: 80
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  assert.deepEqual(brief(diagnostics), ['1:13 error api-version-removed']);
  assert.match(diagnostics[0].message, /apiVersion: networking\.k8s\.io\/v1\b(?!beta)/);
});

test('an unknown version of a known group and a misspelt kind are errors with the served alternative', (t) => {
  const unknownVersion = lint(t, 'apiVersion: cert-manager.io/v2\nkind: Certificate\nmetadata:\n  name: a\n');
  assert.deepEqual(brief(unknownVersion.diagnostics), ['1:13 error api-version-unknown']);
  assert.match(unknownVersion.diagnostics[0].message, /cert-manager\.io\/v1/);

  const typo = lint(t, 'apiVersion: cert-manager.io/v1\nkind: Certficate\nmetadata:\n  name: a\n');
  assert.deepEqual(brief(typo.diagnostics), ['2:7 error kind-unknown']);
  assert.match(typo.diagnostics[0].message, /Did you mean "Certificate"\?/);

  const noApiVersion = lint(t, 'kind: Certificate\nmetadata:\n  name: a\nspec:\n  secretName: a\n');
  assert.deepEqual(brief(noApiVersion.diagnostics), ['1:1 error kind-missing']);
  assert.match(noApiVersion.diagnostics[0].message, /cert-manager\.io\/v1/);
});

test('metadata.name with uppercase letters or underscores is metadata-name-invalid, at the value', (t) => {
  for (const [name, hint] of [
    ['Example-Com', /lowercase: "example-com" would be valid/],
    ['example_com', /"_"/],
    ['web-', /start and end with a letter or digit/],
    ['a'.repeat(254), /at most 253 characters/],
  ] as const) {
    const { status, diagnostics } = lint(t, `apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ${name}\nspec:\n  selfSigned: {}\n`);
    assert.equal(status, 1, name);
    assert.deepEqual(brief(diagnostics), ['4:9 error metadata-name-invalid'], name);
    assert.deepEqual(diagnostics[0].range.end, { line: 3, character: 8 + name.length });
    assert.match(diagnostics[0].message, hint);
  }
  // Valid names: dots are allowed in DNS-subdomain names.
  const ok = lint(t, 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ca.example-1\nspec:\n  selfSigned: {}\n');
  assert.deepEqual(brief(ok.diagnostics), []);
});

test('metadata.name missing: metadata-name-missing', (t) => {
  const { status, diagnostics } = lint(t, 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  namespace: web\nspec:\n  selfSigned: {}\n');
  assert.equal(status, 1);
  assert.deepEqual(diagnostics.map((d) => d.code), ['metadata-name-missing']);
});

test('an invalid metadata.namespace is metadata-namespace-invalid', (t) => {
  for (const ns of ['Team-A', 'team.a', 'team_a']) {
    const { diagnostics } = lint(t, `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  dnsNames: [example.com]\n`);
    assert.deepEqual(brief(diagnostics), ['5:14 error metadata-namespace-invalid'], ns);
  }
});

test('invalid label keys and values are metadata-label-invalid, each at its own node', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
    team: "platform team"
    "bad key": x
    example.com/ok: "yes"
    -leading: x
    version: ${'v'.repeat(64)}
spec:
  secretName: web-tls
  issuerRef:
    name: ca
  dnsNames: [example.com]
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  assert.deepEqual(brief(diagnostics), [
    '7:11 error metadata-label-invalid',
    '8:5 error metadata-label-invalid',
    '10:5 error metadata-label-invalid',
    '11:14 error metadata-label-invalid',
  ]);
  assert.match(diagnostics[0].message, /"platform team"/);
  assert.match(diagnostics[3].message, /at most 63 characters/);
});

test('an invalid annotation key is metadata-annotation-invalid; cert-manager annotations are fine', (t) => {
  const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
    cert-manager.io/renew-before: 720h
    "not a key!": x
spec:
  ingressClassName: nginx
  tls:
    - hosts: [example.com]
      secretName: web-tls
`;
  const { diagnostics } = lint(t, text);
  assert.deepEqual(brief(diagnostics), ['8:5 error metadata-annotation-invalid']);
});
