/**
 * Editing help over LSP (stdio): go to definition and references between
 * issuers, Certificates, Ingresses; quick fixes that really fix; completion
 * of issuer names from the workspace; snippets; diagnostics in one file that
 * change when another file changes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, Location, TextEdit } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client.js';

let client: TestLspClient;
before(async () => {
  client = new TestLspClient();
  await client.initialize();
});
after(async () => {
  await client.shutdown();
});

const pos = (line: number, character: number) => ({ line, character });
let n = 0;
const uri = (name: string) => `file:///nav/${n++}-${name}`;

const ISSUER = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    privateKeySecretRef:
      name: letsencrypt-key
    solvers:
      - http01:
          ingress:
            ingressClassName: nginx
`;

const CERT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: shop
spec:
  secretName: web-tls
  dnsNames: [shop.example.com]
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: web-tls
  rules:
    - host: shop.example.com
`;

/** Apply LSP text edits to a text (edits do not overlap). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

async function openAll(docs: Record<string, string>): Promise<Record<string, string>> {
  const uris: Record<string, string> = {};
  for (const [name, text] of Object.entries(docs)) {
    uris[name] = uri(name);
    client.open(uris[name], text);
  }
  for (const u of Object.values(uris)) await client.waitForVersion(u, 1);
  return uris;
}

test('go to definition from issuerRef.name and from the ingress annotation lands on the ClusterIssuer name', async () => {
  const u = await openAll({ 'issuer.yaml': ISSUER, 'cert.yaml': CERT, 'ingress.yaml': INGRESS });
  for (const [doc, at] of [
    [u['cert.yaml'], pos(9, 12)],
    [u['ingress.yaml'], pos(6, 40)],
  ] as const) {
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: doc }, position: at });
    assert.deepEqual(
      locs.map((l) => [l.uri, l.range.start.line, l.range.start.character]),
      [[u['issuer.yaml'], 3, 8]],
    );
  }
});

test("find references from the ClusterIssuer's name: the Certificate's issuerRef and the Ingress annotation; from secretName: the Ingress that mounts it", async () => {
  const u = await openAll({ 'issuer.yaml': ISSUER, 'cert.yaml': CERT, 'ingress.yaml': INGRESS });
  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: u['issuer.yaml'] }, position: pos(3, 10), context: { includeDeclaration: false } });
  const got = refs.map((l) => `${l.uri.split('/').pop()}:${l.range.start.line}`).filter((s) => !/^\d+-issuer/.test(s)).sort();
  assert.ok(got.some((s) => /cert\.yaml:9$/.test(s)), JSON.stringify(got));
  assert.ok(got.some((s) => /ingress\.yaml:6$/.test(s)), JSON.stringify(got));
  const mounts = await client.request<Location[]>('textDocument/references', { textDocument: { uri: u['cert.yaml'] }, position: pos(6, 15), context: { includeDeclaration: false } });
  assert.ok(mounts.some((l) => l.uri === u['ingress.yaml'] && l.range.start.line === 10), JSON.stringify(mounts));
});

test('quick fixes: the kind mismatch is fixed by adding kind: ClusterIssuer, and the result has no such diagnostic', async () => {
  const wrong = CERT.replace('    kind: ClusterIssuer\n', '');
  const u = await openAll({ 'issuer.yaml': ISSUER, 'cert.yaml': wrong });
  const p = await client.waitForDiagnostics(u['cert.yaml'], (x) => x.diagnostics.some((d) => d.code === 'issuer-kind-mismatch'));
  const diag = p.diagnostics.find((d) => d.code === 'issuer-kind-mismatch')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u['cert.yaml'] }, range: diag.range, context: { diagnostics: [diag] } });
  const fix = actions.find((a) => /kind: ClusterIssuer/.test(a.title))!;
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  const fixed = applyEdits(wrong, fix.edit!.changes![u['cert.yaml']]);
  assert.equal(fixed, CERT);
});

test("quick fixes: a removed apiVersion, a misspelt field, Let's Encrypt staging — each applies cleanly", async () => {
  const text = ISSUER.replace('cert-manager.io/v1', 'cert-manager.io/v1alpha2');
  const u = await openAll({ 'old.yaml': text });
  const p = await client.waitForVersion(u['old.yaml'], 1);
  const d = p.diagnostics.find((x) => x.code === 'api-version-removed')!;
  const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u['old.yaml'] }, range: d.range, context: { diagnostics: [d] } });
  assert.equal(applyEdits(text, fix.edit!.changes![u['old.yaml']]), ISSUER);

  const typo = CERT.replace('secretName:', 'secretname:');
  const u2 = await openAll({ 'typo.yaml': typo });
  const p2 = await client.waitForDiagnostics(u2['typo.yaml'], (x) => x.diagnostics.some((y) => y.code === 'schema-unknown-field'));
  const d2 = p2.diagnostics.find((x) => x.code === 'schema-unknown-field')!;
  const actions2 = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u2['typo.yaml'] }, range: d2.range, context: { diagnostics: [d2] } });
  assert.equal(applyEdits(typo, actions2.find((a) => /secretName/.test(a.title))!.edit!.changes![u2['typo.yaml']]), CERT);

  const u3 = await openAll({ 'prod.yaml': ISSUER });
  const p3 = await client.waitForDiagnostics(u3['prod.yaml'], (x) => x.diagnostics.some((y) => y.code === 'acme-production-server'));
  const d3 = p3.diagnostics.find((x) => x.code === 'acme-production-server')!;
  const actions3 = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u3['prod.yaml'] }, range: d3.range, context: { diagnostics: [d3] } });
  const staged = applyEdits(ISSUER, actions3[0].edit!.changes![u3['prod.yaml']]);
  assert.match(staged, /server: https:\/\/acme-staging-v02\.api\.letsencrypt\.org\/directory/);
});

test('quick fix: a spec indented under metadata moves back to the top level', async () => {
  const text = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  spec:\n    secretName: web-tls\n    dnsNames: [a.example.com]\n    issuerRef:\n      name: le\n';
  const u = await openAll({ 'misplaced.yaml': text });
  const p = await client.waitForDiagnostics(u['misplaced.yaml'], (x) => x.diagnostics.some((y) => y.code === 'misplaced-block'));
  const d = p.diagnostics.find((x) => x.code === 'misplaced-block')!;
  const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u['misplaced.yaml'] }, range: d.range, context: { diagnostics: [d] } });
  assert.equal(
    applyEdits(text, fix.edit!.changes![u['misplaced.yaml']]),
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dnsNames: [a.example.com]\n  issuerRef:\n    name: le\n',
  );
});

test('completion of issuerRef.name offers the issuers of the workspace, with their kind', async () => {
  const u = await openAll({ 'issuer.yaml': ISSUER, 'partial.yaml': CERT.replace('    name: letsencrypt\n', '    name: \n') });
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u['partial.yaml'] }, position: pos(9, 10) });
  const le = items.find((i) => i.label === 'letsencrypt');
  assert.ok(le, JSON.stringify(items.map((i) => i.label)));
  assert.match(le.detail ?? '', /ClusterIssuer/);
});

test('snippets are offered in an empty document, including the self-signed CA bootstrap, as LSP snippets', async () => {
  const u = await openAll({ 'empty.yaml': 'apiVersion: cert-manager.io/v1\n---\n' });
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u['empty.yaml'] }, position: pos(2, 0) });
  const labels = items.map((i) => i.label);
  for (const want of [/staging \(HTTP-01\)/, /production \(HTTP-01\)/, /acme-dns/, /RFC 2136/, /Self-signed CA bootstrap/, /^Certificate$/, /^Ingress/]) {
    assert.ok(labels.some((l) => want.test(l)), `${want} in ${labels.join(' | ')}`);
  }
  const boot = items.find((i) => /Self-signed CA/.test(i.label))!;
  assert.equal(boot.insertTextFormat, 2);
  assert.match((boot.textEdit as TextEdit).newText, /kind: ClusterIssuer[\s\S]*isCA: true[\s\S]*ca:\n    secretName/);
});

test('renaming an issuer in one file updates the diagnostics of the Certificate in another', async () => {
  // A name of its own: other tests' issuers are still open in this server.
  const rename = (t: string) => t.replaceAll('letsencrypt', 'rename-me');
  const u = await openAll({ 'issuer.yaml': rename(ISSUER), 'cert.yaml': rename(CERT) });
  const before = await client.waitForVersion(u['cert.yaml'], 1);
  assert.ok(!before.diagnostics.some((d) => d.code === 'issuer-not-found'));
  client.change(u['issuer.yaml'], { start: pos(3, 8), end: pos(3, 17) }, 'renamed');
  const after = await client.waitForDiagnostics(u['cert.yaml'], (x) => x.diagnostics.some((d) => d.code === 'issuer-not-found'));
  assert.equal(after.diagnostics.find((d) => d.code === 'issuer-not-found')!.range.start.line, 9);
});

test('on an Ingress, completion of annotation keys offers the cert-manager keys; a misspelt key has a fix that corrects it', async () => {
  const partial = INGRESS.replace('    cert-manager.io/cluster-issuer: letsencrypt\n', '    cert\n');
  const u = await openAll({ 'ann.yaml': partial });
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u['ann.yaml'] }, position: pos(6, 8) });
  const labels = items.map((i) => i.label);
  for (const k of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer', 'cert-manager.io/duration']) assert.ok(labels.includes(k), `${k} in ${labels.join(', ')}`);

  const typo = INGRESS.replace('cert-manager.io/cluster-issuer', 'cert-manager.io/cluster-isuer');
  const u2 = await openAll({ 'typo-ann.yaml': typo });
  const p = await client.waitForDiagnostics(u2['typo-ann.yaml'], (x) => x.diagnostics.some((d) => d.code === 'shim-annotation-unknown'));
  const d = p.diagnostics.find((x) => x.code === 'shim-annotation-unknown')!;
  const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u2['typo-ann.yaml'] }, range: d.range, context: { diagnostics: [d] } });
  assert.equal(applyEdits(typo, fix.edit!.changes![u2['typo-ann.yaml']]), INGRESS);
});

test('quick fixes: an email with a display name becomes the bare address; a missing privateKeySecretRef is added', async () => {
  const email = CERT.replace('  dnsNames: [shop.example.com]\n', '  emailAddresses: ["Jane Doe <jane@example.com>"]\n');
  const u = await openAll({ 'email.yaml': email });
  const p = await client.waitForDiagnostics(u['email.yaml'], (x) => x.diagnostics.some((d) => d.code === 'certificate-email-address'));
  const d = p.diagnostics.find((x) => x.code === 'certificate-email-address')!;
  const [fix] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u['email.yaml'] }, range: d.range, context: { diagnostics: [d] } });
  assert.match(applyEdits(email, fix.edit!.changes![u['email.yaml']]), /emailAddresses: \["jane@example\.com"\]/);

  const noKey = ISSUER.replace('    privateKeySecretRef:\n      name: letsencrypt-key\n', '');
  const u2 = await openAll({ 'nokey.yaml': noKey });
  const p2 = await client.waitForDiagnostics(u2['nokey.yaml'], (x) => x.diagnostics.some((d) => d.code === 'schema-required'));
  const d2 = p2.diagnostics.find((x) => x.code === 'schema-required')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u2['nokey.yaml'] }, range: d2.range, context: { diagnostics: [d2] } });
  const add = actions.find((a) => /privateKeySecretRef/.test(a.title))!;
  const fixed = applyEdits(noKey, add.edit!.changes![u2['nokey.yaml']]);
  assert.match(fixed, /\n    privateKeySecretRef:\n      name: letsencrypt-account-key\n/);
  // The fixed document is clean of that error.
  const u3 = await openAll({ 'fixed.yaml': fixed });
  const p3 = await client.waitForVersion(u3['fixed.yaml'], 1);
  assert.ok(!p3.diagnostics.some((x) => x.code === 'schema-required' || x.code === 'acme-issuer'), JSON.stringify(p3.diagnostics));
});

test('completion of annotation values: the private key algorithms for cert-manager.io/private-key-algorithm', async () => {
  const text = INGRESS.replace('    cert-manager.io/cluster-issuer: letsencrypt\n', '    cert-manager.io/cluster-issuer: letsencrypt\n    cert-manager.io/private-key-algorithm: \n');
  const u = await openAll({ 'ann-value.yaml': text });
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u['ann-value.yaml'] }, position: pos(7, 43) });
  assert.deepEqual(items.map((i) => i.label).sort(), ['ECDSA', 'Ed25519', 'RSA']);
});
