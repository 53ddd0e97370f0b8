/**
 * The operational checks in the editor (LSP over stdio): a credential Secret
 * with a trailing line break and a Certificate whose namespace depends on
 * `kubectl -n` are reported in their own documents, and their quick fixes
 * remove the finding once applied.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client.js';

let client: TestLspClient;
before(async () => {
  client = new TestLspClient();
  await client.initialize();
});
after(async () => {
  await client.shutdown();
});

const ISSUER = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-staging
spec:
  acme:
    server: https://acme-staging-v02.api.letsencrypt.org/directory
    privateKeySecretRef:
      name: letsencrypt-staging-key
    solvers:
      - dns01:
          cloudflare:
            apiTokenSecretRef: {name: cloudflare-api-token, key: api-token}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: shop-ca
  namespace: shop
spec:
  ca:
    secretName: shop-ca-key-pair
`;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: cloudflare-api-token
  namespace: cert-manager
stringData:
  api-token: |
    Hn1Jq8rYz2TtV5xK0aLmWcEo3Pd6UsGi9FbN4QvR
`;

const CERT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
spec:
  secretName: shop-tls
  dnsNames: [shop.example.com]
  issuerRef:
    name: shop-ca
`;

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** Applies the preferred quick fix of the first diagnostic with `code`, and waits until the document no longer has one. */
async function fix(uri: string, text: string, code: string): Promise<{ fixed: string; diagnostic: Diagnostic }> {
  const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === code));
  const diagnostic = p.diagnostics.find((d) => d.code === code)!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
  const action = actions.find((a) => a.isPreferred && a.diagnostics?.some((d) => d.code === code));
  assert.ok(action, JSON.stringify(actions.map((a) => a.title)));
  const fixed = applyEdits(text, action.edit!.changes![uri]!);
  const lines = text.split('\n');
  client.change(uri, { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1]!.length } }, fixed);
  await client.waitForDiagnostics(uri, (x) => !x.diagnostics.some((d) => d.code === code));
  return { fixed, diagnostic };
}

test('a credential with a trailing line break: reported on the Secret, fixed by `|-`', async () => {
  client.open('file:///ops/issuers.yaml', ISSUER);
  client.open('file:///ops/secret.yaml', SECRET);
  const { fixed, diagnostic } = await fix('file:///ops/secret.yaml', SECRET, 'secret-trailing-newline');
  assert.equal(diagnostic.range.start.line, 6);
  assert.match(String(diagnostic.message), /ClusterIssuer "letsencrypt-staging" reads it as the Cloudflare API token/);
  assert.equal(fixed, SECRET.replace('api-token: |', 'api-token: |-'));
});

test('a Certificate without namespace whose Issuer has one: the fix writes the namespace', async () => {
  client.open('file:///ops/issuers.yaml', ISSUER);
  client.open('file:///ops/cert.yaml', CERT);
  const { fixed, diagnostic } = await fix('file:///ops/cert.yaml', CERT, 'certificate-namespace-implicit');
  assert.match(String(diagnostic.message), /applied with -n shop/);
  assert.equal(fixed, CERT.replace('  name: shop\n', '  name: shop\n  namespace: shop\n'));
});

const PATCH = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
spec:
  duration: 2160h
  renewBefore: 720h
`;

test('kustomize: a patch file is a partial object, and a namespace from a kustomization is not "implicit"', async () => {
  // A patch alone looks like a Certificate without secretName and issuerRef.
  client.open('file:///kz/overlay/cert-patch.yaml', PATCH);
  await client.waitForDiagnostics('file:///kz/overlay/cert-patch.yaml', (x) => x.diagnostics.some((d) => d.code === 'schema-required'));
  client.open('file:///kz/overlay/kustomization.yaml', 'resources:\n  - ../base\npatches:\n  - path: cert-patch.yaml\n');
  const patched = await client.waitForDiagnostics('file:///kz/overlay/cert-patch.yaml', (x) => !x.diagnostics.some((d) => d.code === 'schema-required'));
  assert.deepEqual(patched.diagnostics.map((d) => d.code), []);

  client.open('file:///kz/base/issuers.yaml', ISSUER);
  client.open('file:///kz/base/cert.yaml', CERT);
  await client.waitForDiagnostics('file:///kz/base/cert.yaml', (x) => x.diagnostics.some((d) => d.code === 'certificate-namespace-implicit'));
  client.open('file:///kz/base/kustomization.yaml', 'namespace: shop\nresources:\n  - cert.yaml\n');
  await client.waitForDiagnostics('file:///kz/base/cert.yaml', (x) => !x.diagnostics.some((d) => d.code === 'certificate-namespace-implicit'));
  // Closing the kustomization (not on disk) brings the findings back.
  client.close('file:///kz/overlay/kustomization.yaml');
  await client.waitForDiagnostics('file:///kz/overlay/cert-patch.yaml', (x) => x.diagnostics.some((d) => d.code === 'schema-required'));
});
