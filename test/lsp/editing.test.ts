/**
 * Editing through the language server: incremental changes re-check the
 * document; completion of keys and enum values, hover and document symbols
 * come from the CRD schemas.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, DocumentSymbol, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestLspClient, codes, local } from '../support/lsp-client.js';

let client: TestLspClient;
/** A diagnostic message as text (LSP 3.18 allows markup). */
const messageText = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);
let counter = 0;
const uri = (name: string) => `file:///certsmith-tests/editing/${++counter}/${name}`;
const pos = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: pos(l1, c1), end: pos(l2, c2) });

before(async () => {
  client = new TestLspClient();
  await client.initialize();
});

after(async () => {
  await client.shutdown();
});

async function openAndWait(name: string, text: string): Promise<{ uri: string; params: PublishDiagnosticsParams }> {
  const u = uri(name);
  client.open(u, text);
  return { uri: u, params: await client.waitForVersion(u, 1) };
}

/** Opens a document without waiting for diagnostics (requests bring it up to date themselves). */
function openDoc(name: string, text: string): string {
  const u = uri(name);
  client.open(u, text);
  return u;
}

async function completion(u: string, line: number, character: number): Promise<CompletionItem[]> {
  const r = await client.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', {
    textDocument: { uri: u },
    position: pos(line, character),
  });
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

const CERT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  renewbefore: 360h
  issuerRef:
    name: letsencrypt-prod
  dnsNames: [example.com]
`;

// --- incremental changes ---------------------------------------------------------

test('an incremental edit that fixes the error clears it; breaking it again brings a new one', async () => {
  const { uri: u, params } = await openAndWait('cert.yaml', CERT);
  assert.deepEqual(codes(params.diagnostics), ['schema-unknown-field']);

  // renewbefore -> renewBefore: replace the "b" at line 6, character 7.
  const v2 = client.change(u, range(6, 7, 6, 8), 'B');
  const fixed = await client.waitForVersion(u, v2);
  assert.equal(fixed.version, v2);
  assert.deepEqual(fixed.diagnostics, []);

  // Break it differently: renewBefore -> renewBfore.
  const v3 = client.change(u, range(6, 8, 6, 9), '');
  const broken = await client.waitForVersion(u, v3);
  assert.equal(broken.version, v3);
  assert.deepEqual(codes(broken.diagnostics), ['schema-unknown-field']);
  assert.deepEqual(broken.diagnostics[0].range, range(6, 2, 6, 12));
  assert.match(messageText(broken.diagnostics[0].message), /"renewBfore".*Did you mean "renewBefore"\?/);
});

test('lines inserted above an error move it down; a new error in the inserted text appears at its line', async () => {
  const docs = [CERT, CERT.replace('name: web', 'name: api').replace('renewbefore', 'renewBefore'), CERT.replace('name: web', 'name: db')];
  const { uri: u, params } = await openAndWait('multi.yaml', docs.join('---\n'));
  // Errors in documents 1 and 3 (0-based lines 6 and 28).
  assert.deepEqual(local(params.diagnostics).map((d) => d.range.start.line).sort((a, b) => a - b), [6, 28]);

  // Insert two label lines into document 2, after "  name: api" (line 14).
  const v = client.change(u, range(15, 0, 15, 0), '  labels:\n    "bad key": x\n');
  const moved = await client.waitForVersion(u, v);
  const got = local(moved.diagnostics).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`).sort();
  assert.deepEqual(got, ['16:4 metadata-label-invalid', '30:2 schema-unknown-field', '6:2 schema-unknown-field']);
});

test('several content changes in one didChange are applied in order', async () => {
  const { uri: u } = await openAndWait('batch.yaml', CERT);
  // 1) fix the typo; 2) then insert a bad name on the (unchanged) line 3.
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: u, version: 5 },
    contentChanges: [
      { range: range(6, 7, 6, 8), text: 'B' },
      { range: range(3, 8, 3, 11), text: 'Web_Server' },
    ],
  });
  const p = await client.waitForVersion(u, 5);
  assert.deepEqual(local(p.diagnostics).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`), ['3:8 metadata-name-invalid']);
});

test('typing character by character ends with the diagnostics of the last version', async () => {
  const { uri: u } = await openAndWait('typing.yaml', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n');
  const typed = '  privateKey:\n    algorithm: ECDSB\n';
  let line = 8;
  let character = 0;
  let v = 1;
  for (const ch of typed) {
    v = client.change(u, range(line, character, line, character), ch);
    if (ch === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  const last = await client.waitForVersion(u, v);
  assert.equal(last.version, v);
  assert.deepEqual(last.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`), ['9:15 schema-enum']);
  assert.match(messageText(last.diagnostics[0].message), /Did you mean "ECDSA"\?/);
});

test('a request right after a change answers about the changed text, and diagnostics still arrive', async () => {
  const { uri: u } = await openAndWait('sync.yaml', CERT);
  const v = client.change(u, range(3, 8, 3, 11), 'renamed');
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.deepEqual(symbols.map((s) => s.name), ['Certificate/renamed']);
  const p = await client.waitForVersion(u, v);
  assert.equal(p.version, v);
  assert.deepEqual(codes(p.diagnostics), ['schema-unknown-field']);
});

// --- completion ------------------------------------------------------------------------

test('completion of spec keys in a Certificate: secretName, issuerRef, dnsNames with markdown documentation and types', async () => {
  const u = openDoc('complete-spec.yaml', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  \n');
  const items = await completion(u, 5, 2);
  const labels = items.map((i) => i.label);
  for (const key of ['secretName', 'issuerRef', 'dnsNames', 'commonName', 'duration', 'renewBefore', 'privateKey', 'usages']) {
    assert.ok(labels.includes(key), `${key} offered; got ${labels.join(', ')}`);
  }
  assert.ok(!labels.includes('apiVersion') && !labels.includes('name'), 'only keys of spec are offered');
  assert.ok(!labels.includes('status'));

  const secretName = items.find((i) => i.label === 'secretName')!;
  const doc = secretName.documentation as MarkupContent;
  assert.equal(doc.kind, 'markdown');
  assert.match(doc.value, /Secret/);
  assert.match(secretName.detail ?? '', /string/);
  assert.match(secretName.detail ?? '', /required/);

  const dnsNames = items.find((i) => i.label === 'dnsNames')!;
  assert.match(dnsNames.detail ?? '', /\[\]string|array|list/);
  assert.match((dnsNames.documentation as MarkupContent).value, /DNS/);

  const issuerRef = items.find((i) => i.label === 'issuerRef')!;
  assert.match(issuerRef.detail ?? '', /object/);
});

test('completion leaves out keys already present and replaces the partial word typed', async () => {
  const u = openDoc('complete-partial.yaml', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dns\n  issuerRef:\n    name: ca\n');
  const items = await completion(u, 6, 5);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('dnsNames'), labels.join(', '));
  assert.ok(!labels.includes('secretName'), 'secretName is already there');
  assert.ok(!labels.includes('issuerRef'), 'issuerRef is already there (below the cursor)');
  const dnsNames = items.find((i) => i.label === 'dnsNames')!;
  const edit = dnsNames.textEdit as { range: unknown; newText: string };
  assert.deepEqual(edit.range, range(6, 2, 6, 5));
  assert.match(edit.newText, /^dnsNames:/);
});

test('completion inside issuerRef offers name, kind and group', async () => {
  const u = openDoc('complete-issuerref.yaml', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef:\n    \n');
  const labels = (await completion(u, 7, 4)).map((i) => i.label).sort();
  assert.deepEqual(labels, ['group', 'kind', 'name']);
});

test('completion of enum values after "algorithm: " offers RSA, ECDSA and Ed25519', async () => {
  const u = openDoc('complete-enum.yaml', 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  privateKey:\n    algorithm: \n  issuerRef:\n    name: ca\n');
  const items = await completion(u, 7, 15);
  assert.deepEqual(items.map((i) => i.label).sort(), ['ECDSA', 'Ed25519', 'RSA']);
  const rsa = items.find((i) => i.label === 'RSA')!;
  assert.equal((rsa.textEdit as { newText: string }).newText, 'RSA');
  assert.deepEqual((rsa.textEdit as { range: unknown }).range, range(7, 15, 7, 15));
});

test('completion of enum values in a list item of a Gateway listener (protocol is free text, tls.mode is an enum)', async () => {
  const u = openDoc(
    'complete-gateway.yaml',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: istio\n  listeners:\n    - name: https\n      port: 443\n      protocol: HTTPS\n      tls:\n        mode: \n',
  );
  const labels = (await completion(u, 11, 14)).map((i) => i.label).sort();
  assert.deepEqual(labels, ['Passthrough', 'Terminate']);
});

test('completion of kind values for a cert-manager.io/v1 apiVersion', async () => {
  const u = openDoc('complete-kind.yaml', 'apiVersion: cert-manager.io/v1\nkind: \n');
  const labels = (await completion(u, 1, 6)).map((i) => i.label);
  for (const k of ['Certificate', 'Issuer', 'ClusterIssuer', 'CertificateRequest']) assert.ok(labels.includes(k), `${k} in ${labels.join(', ')}`);
  assert.ok(!labels.includes('Gateway'));
});

test('completion in a document that is not a manifest returns nothing', async () => {
  const u = openDoc('complete-workflow.yaml', 'name: CI\non: push\njobs:\n  build:\n    \n');
  assert.deepEqual(await completion(u, 4, 4), []);
});

// --- hover ----------------------------------------------------------------------------------

test('hover on a key shows its description and type as markdown, for the key range', async () => {
  const u = openDoc('hover.yaml', CERT.replace('renewbefore', 'renewBefore').replace('  dnsNames: [example.com]\n', '') + '  dnsNames:\n    - web.example.com\n  privateKey:\n    algorithm: RSA\n');
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos(5, 5) });
  assert.ok(h, 'hover on secretName');
  const contents = h.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  assert.match(contents.value, /spec\.secretName/);
  assert.match(contents.value, /`string`/);
  assert.match(contents.value, /Secret resource that will be automatically created/);
  assert.deepEqual(h.range, range(5, 2, 5, 12));

  const dns = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos(9, 4) });
  assert.ok(dns);
  assert.match((dns.contents as MarkupContent).value, /spec\.dnsNames/);
  assert.match((dns.contents as MarkupContent).value, /\[\]string/);

  const alg = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos(12, 6) });
  assert.ok(alg);
  assert.match((alg.contents as MarkupContent).value, /RSA.*ECDSA.*Ed25519/s);
});

test('hover inside a List item and in a later document of the file', async () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: cert-manager.io/v1
    kind: Issuer
    metadata:
      name: ca
    spec:
      ca:
        secretName: ca-key-pair
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
`;
  const u = openDoc('hover-list.yaml', text);
  const inList = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos(9, 10) });
  assert.ok(inList, 'hover in a List item');
  assert.match((inList.contents as MarkupContent).value, /spec\.ca\.secretName/);
  const ingress = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos(16, 4) });
  assert.ok(ingress, 'hover in the second document');
  assert.match((ingress.contents as MarkupContent).value, /spec\.ingressClassName/);
  assert.deepEqual(ingress.range, range(16, 2, 16, 18));
});

test('hover on a comment is null', async () => {
  const u = openDoc('hover-none.yaml', '# a comment\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: ca\n\nspec:\n  selfSigned: {}\n');
  assert.equal(await client.request('textDocument/hover', { textDocument: { uri: u }, position: pos(0, 3) }), null);
});

// --- document symbols ------------------------------------------------------------------------------

test('documentSymbol returns Kind/name for each object of a multi-document file, at the object', async () => {
  const text = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-prod
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: shop
spec:
  secretName: web-tls
  issuerRef:
    name: letsencrypt-prod
    kind: ClusterIssuer
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata:
      name: ca-key-pair
  - apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata:
      name: gw
`;
  const u = openDoc('symbols.yaml', text);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['ClusterIssuer/letsencrypt-prod', 'Certificate/web', 'Ingress/web', 'Secret/ca-key-pair', 'Gateway/gw'],
  );
  assert.deepEqual(symbols.map((s) => s.range.start.line), [0, 7, 18, 26, 30]);
  // The selection is the name.
  assert.deepEqual(symbols[1].selectionRange, range(10, 8, 10, 11));
  for (const s of symbols) {
    assert.ok(s.range.start.line <= s.selectionRange.start.line && s.selectionRange.end.line <= s.range.end.line, s.name);
  }
  assert.match(symbols[1].detail ?? '', /shop/);
});

test('documentSymbol for an object without a name still lists it', async () => {
  const u = openDoc('symbols-noname.yaml', 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {}\nspec:\n  selfSigned: {}\n');
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.equal(symbols.length, 1);
  assert.match(symbols[0].name, /^Issuer\//);
});

test('the server is still up after all of this', () => {
  assert.ok(client.alive);
  assert.doesNotMatch(client.stderr, /^\s+at /m, client.stderr);
});

test('a request right after an edit does not swallow the diagnostics of that edit', async () => {
  const text = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  dnsNames: [a.example.com]\n';
  const { uri: u } = await openAndWait('race.yaml', text);
  // The edit and a hover in the same burst: the hover brings the document up to date first.
  const v = client.change(u, range(5, 2, 5, 12), 'secretNme');
  const hover = client.request('textDocument/hover', { textDocument: { uri: u }, position: pos(4, 1) });
  const published = await client.waitForVersion(u, v, 10_000);
  await hover;
  assert.ok(
    published.diagnostics.some((d) => /secretNme/.test(messageText(d.message))),
    `the edit's diagnostics are published: ${published.diagnostics.map((d) => messageText(d.message)).join(' | ')}`,
  );
});
