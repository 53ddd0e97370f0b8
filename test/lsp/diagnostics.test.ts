/**
 * The language server over stdio, as an editor uses it: initialize, open a
 * document, receive diagnostics with rule ids, severities and ranges; files
 * that are not cert-manager manifests get none; closing clears them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestLspClient, codes, local } from '../support/lsp-client.js';
import { ROOT } from '../support/cli.js';

let client: TestLspClient;
/** A diagnostic message as text (LSP 3.18 allows markup). */
const messageText = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);
let initializeResult: any;
let counter = 0;
const uri = (name: string) => `file:///certsmith-tests/diagnostics/${++counter}/${name}`;

before(async () => {
  client = new TestLspClient();
  initializeResult = await client.initialize();
});

after(async () => {
  await client.shutdown();
});

const brief = (ds: Diagnostic[]) => local(ds).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code}`).sort();

/** Opens a document and waits for its first diagnostics. */
async function openAndWait(name: string, text: string): Promise<{ uri: string; params: PublishDiagnosticsParams }> {
  const u = uri(name);
  client.open(u, text);
  const params = await client.waitForVersion(u, 1);
  return { uri: u, params };
}

/**
 * Proves that the server has processed everything sent before: opens a
 * manifest with a known error and waits for its diagnostics (the server
 * checks documents in the order it receives them).
 */
async function barrier(): Promise<void> {
  const u = uri('barrier.yaml');
  client.open(u, 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: Barrier\nspec:\n  selfSigned: {}\n');
  await client.waitForDiagnostics(u, (p) => p.diagnostics.length === 1);
  client.close(u);
}

const CERT_WITH_MISTAKES = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  renewbefore: 360h
  privateKey:
    algorithm: EC
  issuerRef:
    name: letsencrypt-prod
    kind: ClusterIssuer
`;

test('initialize announces incremental sync, completion, hover and document symbols', () => {
  const caps = initializeResult.capabilities;
  const sync = caps.textDocumentSync;
  assert.equal(typeof sync, 'object');
  assert.equal(sync.change, 2, 'TextDocumentSyncKind.Incremental');
  assert.equal(sync.openClose, true);
  assert.ok(caps.completionProvider, 'completion');
  assert.ok(caps.completionProvider.triggerCharacters.includes(':'));
  assert.ok(caps.completionProvider.triggerCharacters.includes(' '));
  assert.equal(caps.hoverProvider, true);
  assert.equal(caps.documentSymbolProvider, true);
  assert.equal(initializeResult.serverInfo?.name, 'certsmith');
  assert.ok(client.alive);
});

test('diagnostics on open carry the rule id as code, severity, range, source and a documentation link', async () => {
  const { params } = await openAndWait('cert.yaml', CERT_WITH_MISTAKES);
  assert.equal(params.version, 1);
  const ds = params.diagnostics;
  assert.deepEqual(brief(ds), ['6:2 1 schema-unknown-field', '8:15 1 schema-enum']);
  const unknown = ds.find((d) => d.code === 'schema-unknown-field')!;
  assert.deepEqual(unknown.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 13 } });
  assert.equal(unknown.severity, DiagnosticSeverity.Error);
  assert.equal(unknown.source, 'certsmith');
  assert.match(messageText(unknown.message), /Did you mean "renewBefore"\?/);
  for (const d of ds) {
    assert.ok(d.codeDescription?.href, `${d.code} has a documentation link`);
    assert.doesNotThrow(() => new URL(d.codeDescription!.href), d.codeDescription!.href);
  }
  const enumError = ds.find((d) => d.code === 'schema-enum')!;
  assert.deepEqual(enumError.range, { start: { line: 8, character: 15 }, end: { line: 8, character: 17 } });
});

test('warnings are published with warning severity', async () => {
  const { params } = await openAndWait(
    'clusterissuer.yaml',
    'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ca\n  namespace: cert-manager\nspec:\n  ca:\n    secretName: ca-key-pair\n',
  );
  assert.deepEqual(brief(params.diagnostics), ['4:2 2 metadata-namespace-ignored']);
  assert.equal(params.diagnostics[0].severity, DiagnosticSeverity.Warning);
});

test('a clean manifest gets an empty diagnostics list (so the editor clears old ones)', async () => {
  const { params } = await openAndWait(
    'clean.yaml',
    'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: selfsigned\nspec:\n  selfSigned: {}\n',
  );
  assert.deepEqual(params.diagnostics, []);
});

test('the realistic fixtures in test/fixtures/valid get no diagnostics in the editor either', async () => {
  const dir = join(ROOT, 'test', 'fixtures', 'valid');
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    const { params } = await openAndWait(f, readFileSync(join(dir, f), 'utf8'));
    // Clean: no errors or warnings (information, such as Let's Encrypt production, is allowed).
    assert.deepEqual(params.diagnostics.filter((d) => (d.severity ?? 1) <= 2).map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], f);
  }
});

test('multi-document file: a mistake in the third document is at its line in the file', async () => {
  const docs = [
    'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: selfsigned\nspec:\n  selfSigned: {}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
    '# the leaf\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dnsNames: web.example.com\n  issuerRef:\n    name: selfsigned\n',
  ];
  const { params } = await openAndWait('multi.yaml', docs.join('---\n'));
  // Document 3 starts on line 14 (0-based); dnsNames is its 8th line.
  assert.deepEqual(brief(params.diagnostics), ['21:12 1 schema-type']);
});

test('YAML syntax problems are diagnostics too', async () => {
  const { params } = await openAndWait(
    'dup.yaml',
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: a\n  secretName: b\n  issuerRef:\n    name: ca\n',
  );
  assert.deepEqual(brief(params.diagnostics), ['6:2 1 yaml-duplicate-key']);
});

test('a GitHub Actions workflow, Helm values and a docker-compose file get no diagnostics', async () => {
  const workflow = uri('ci.yml');
  const values = uri('values.yaml');
  const compose = uri('docker-compose.yaml');
  client.open(
    workflow,
    'name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n      - run: npm test\n',
  );
  client.open(values, 'replicaCount: 1\ningress:\n  enabled: true\n  className: nginx\n  tls: []\ncertManager:\n  issuer: letsencrypt\n');
  client.open(compose, 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n    environment:\n      KEY: yes\n');
  await barrier();
  for (const u of [workflow, values, compose]) {
    const published = client.diagnostics.get(u);
    assert.ok(published === undefined || published.diagnostics.length === 0, `${u}: ${JSON.stringify(published?.diagnostics)}`);
  }
});

test('didClose clears the diagnostics of the document', async () => {
  const { uri: u, params } = await openAndWait('close-me.yaml', CERT_WITH_MISTAKES);
  assert.equal(local(params.diagnostics).length, 2);
  client.close(u);
  const cleared = await client.waitForDiagnostics(u, (p) => p.diagnostics.length === 0);
  assert.deepEqual(cleared.diagnostics, []);
  // Closed documents are no longer answered about.
  const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.deepEqual(symbols, []);
});

test('a document that stops being a manifest has its diagnostics cleared', async () => {
  const { uri: u, params } = await openAndWait('becomes-workflow.yaml', CERT_WITH_MISTAKES);
  assert.equal(local(params.diagnostics).length, 2);
  const lines = CERT_WITH_MISTAKES.split('\n').length - 1;
  const v = client.change(u, { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, 'name: CI\non: push\njobs: {}\n');
  const after = await client.waitForDiagnostics(u, (p) => p.diagnostics.length === 0);
  assert.ok(after.version === undefined || after.version <= v);
  assert.deepEqual(after.diagnostics, []);
});

test('documents are independent: each gets its own diagnostics', async () => {
  const a = uri('a.yaml');
  const b = uri('b.yaml');
  client.open(a, CERT_WITH_MISTAKES);
  client.open(b, 'apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\nmetadata:\n  name: old\n');
  const pa = await client.waitForVersion(a, 1);
  const pb = await client.waitForVersion(b, 1);
  assert.deepEqual(codes(pa.diagnostics).sort(), ['schema-enum', 'schema-unknown-field']);
  assert.deepEqual(codes(pb.diagnostics), ['api-version-removed']);
  assert.match(messageText(pb.diagnostics[0].message), /cert-manager\.io\/v1\b/);
});

test('the server stays up and logs nothing on stderr through all of this', () => {
  assert.ok(client.alive);
  assert.doesNotMatch(client.stderr, /^\s+at /m, client.stderr);
});
