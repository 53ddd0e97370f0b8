/**
 * The language server must never go down on bad input: empty and binary
 * documents, a 50 MB document, deep nesting, alias bombs, broken text, odd
 * requests and garbage on the wire. After each, it must still answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { DocumentSymbol, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestLspClient, codes } from '../support/lsp-client.js';

let client: TestLspClient;
/** A diagnostic message as text (LSP 3.18 allows markup). */
const messageText = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);
let counter = 0;
const uri = (name: string) => `file:///certsmith-tests/bad-input/${++counter}/${name}`;
const pos = (line: number, character: number) => ({ line, character });

before(async () => {
  client = new TestLspClient();
  await client.initialize();
});

after(async () => {
  await client.shutdown();
});

const CERT_HEAD = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n';
const CERT = `${CERT_HEAD}spec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  dnsNames: [example.com]\n`;

/** Bounded wait for a request (a hung server fails the test instead of hanging it). */
async function requestWithin<R>(method: string, params: unknown, ms = 20_000): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      client.request<R>(method, params),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${method} not answered within ${ms} ms (alive: ${client.alive})`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The server is alive and still does its job: a fresh manifest gets its diagnostic. */
async function assertStillServing(): Promise<void> {
  assert.ok(client.alive, `the server exited; stderr: ${client.stderr.slice(0, 1000)}`);
  const u = uri('probe.yaml');
  client.open(u, CERT.replace('name: web', 'name: Probe_Name'));
  const p = await client.waitForDiagnostics(u, (x) => x.diagnostics.length > 0);
  assert.deepEqual(codes(p.diagnostics), ['metadata-name-invalid']);
  const symbols = await requestWithin<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.deepEqual(symbols.map((s) => s.name), ['Certificate/Probe_Name']);
  client.close(u);
}

/** Hover, completion and symbols on a document all answer (whatever they answer). */
async function assertRequestsAnswered(u: string, line = 0, character = 0): Promise<void> {
  await requestWithin('textDocument/hover', { textDocument: { uri: u }, position: pos(line, character) });
  await requestWithin('textDocument/completion', { textDocument: { uri: u }, position: pos(line, character) });
  await requestWithin('textDocument/documentSymbol', { textDocument: { uri: u } });
}

test('an empty document and a document of comments: no diagnostics, requests answered', async () => {
  const empty = uri('empty.yaml');
  const comments = uri('comments.yaml');
  client.open(empty, '');
  client.open(comments, '# nothing yet\n# TODO: add the certificate\n');
  await assertRequestsAnswered(empty);
  await assertRequestsAnswered(comments, 1, 3);
  const symbols = await requestWithin<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: comments } });
  assert.deepEqual(symbols, []);
  await assertStillServing();
  for (const u of [empty, comments]) {
    const p = client.diagnostics.get(u);
    assert.ok(p === undefined || p.diagnostics.length === 0, JSON.stringify(p));
  }
});

test('binary garbage (random bytes with NUL, decoded as text) does not crash the server', async () => {
  const u = uri('garbage.yaml');
  const bytes = randomBytes(64 * 1024);
  bytes[10] = 0;
  client.open(u, bytes.toString('latin1'));
  await assertRequestsAnswered(u, 3, 5);
  await assertStillServing();
  const p = client.diagnostics.get(u);
  // Binary data is not a manifest: nothing, or a single file-not-text.
  assert.ok(p === undefined || codes(p.diagnostics).every((c) => c === 'file-not-text'), JSON.stringify(p?.diagnostics));
});

test('a manifest that turns binary while editing does not crash the server', async () => {
  const u = uri('turns-binary.yaml');
  client.open(u, CERT);
  await client.waitForVersion(u, 1);
  const v = client.change(u, { start: pos(3, 8), end: pos(3, 11) }, 'web\u0000\u0001\u0002');
  await assertRequestsAnswered(u, 3, 8);
  await assertStillServing();
  const p = client.diagnostics.get(u)!;
  // Either cleared or reported as not text; never the stale diagnostics of version 1 alone.
  assert.ok(p.version === undefined || p.version >= v || p.diagnostics.length === 0, JSON.stringify(p));
});

test('invalid UTF-8 as an editor passes it on (replacement characters, lone surrogates) is checked normally', async () => {
  const u = uri('utf8.yaml');
  client.open(u, `${CERT_HEAD}  annotations:\n    owner: "J\ufffdrgen \ud800"\n    bad\ufffd: x\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  dnsNames: [example.com]\n`);
  const p = await client.waitForVersion(u, 1);
  assert.deepEqual(codes(p.diagnostics), ['metadata-annotation-invalid']);
  assert.equal(p.diagnostics[0].range.start.line, 6);
  await assertStillServing();
});

test('a 50 MB document: one file-too-large diagnostic, and the server stays up', { timeout: 120_000 }, async () => {
  const u = uri('huge.yaml');
  const unit = `---\n${CERT}`;
  let text = unit.repeat(Math.ceil((50 * 1024 * 1024) / unit.length));
  client.open(u, text);
  text = '';
  const p = await client.waitForDiagnostics(u, () => true, 90_000);
  assert.deepEqual(codes(p.diagnostics), ['file-too-large'], JSON.stringify(p.diagnostics));
  assert.deepEqual(p.diagnostics[0].range, { start: pos(0, 0), end: pos(0, 0) });
  assert.match(messageText(p.diagnostics[0].message), /MiB/);
  await assertRequestsAnswered(u, 5, 4);
  await assertStillServing();
  // Closing it frees it and clears the diagnostic.
  client.close(u);
  const cleared = await client.waitForDiagnostics(u, (x) => x.diagnostics.length === 0, 30_000);
  assert.deepEqual(cleared.diagnostics, []);
});

test('deep nesting: 100,000 "[" gives yaml-too-deep, no crash', { timeout: 60_000 }, async () => {
  const u = uri('deep-flow.yaml');
  client.open(u, `${CERT_HEAD}spec:\n  dnsNames: ${'['.repeat(100_000)}\n`);
  const p = await client.waitForVersion(u, 1, 30_000);
  assert.deepEqual(codes(p.diagnostics), ['yaml-too-deep']);
  await assertRequestsAnswered(u, 5, 50_000);
  await assertStillServing();
});

test('deep nesting: 5,000 levels of block sequences give yaml-too-deep, no crash', { timeout: 60_000 }, async () => {
  const u = uri('deep-block.yaml');
  client.open(u, `${CERT_HEAD}spec:\n  dnsNames:\n  ${'- '.repeat(5000)}x\n`);
  const p = await client.waitForVersion(u, 1, 30_000);
  assert.deepEqual(codes(p.diagnostics), ['yaml-too-deep']);
  await assertRequestsAnswered(u, 6, 4000);
  await assertStillServing();
});

test('deep nesting: 2,000 levels of one-space indentation give yaml-too-deep (not silence, not a stack overflow)', { timeout: 60_000 }, async () => {
  const u = uri('deep-indent.yaml');
  const parts = [`${CERT_HEAD}spec:\n`];
  for (let i = 0; i < 2000; i++) parts.push(`${' '.repeat(i + 1)}k${i}:\n`);
  client.open(u, parts.join(''));
  await assertRequestsAnswered(u, 1000, 1001);
  await assertStillServing();
  const published: PublishDiagnosticsParams | undefined = client.diagnostics.get(u);
  assert.ok(published, `no diagnostics were published for the document; server log: ${client.logs.filter((l) => /failed/.test(l)).join(' | ')}`);
  assert.ok(codes(published.diagnostics).includes('yaml-too-deep'), JSON.stringify(published.diagnostics.map((d) => `${d.code} ${d.message}`)));
});

test('an alias bomb (billion laughs) is answered with yaml-alias-limit, and requests on it return', { timeout: 60_000 }, async () => {
  const u = uri('bomb.yaml');
  const lines = [CERT_HEAD + 'spec:', '  secretName: lol', '  issuerRef:', '    name: ca', '  secretTemplate:', '    annotations:'];
  lines.push(`      a0: &a0 [${Array(10).fill('lol').join(', ')}]`);
  for (let i = 1; i < 10; i++) lines.push(`      a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('  dnsNames: *a9');
  client.open(u, lines.join('\n') + '\n');
  const p = await client.waitForVersion(u, 1, 30_000);
  await assertRequestsAnswered(u, 19, 14);
  await requestWithin('textDocument/hover', { textDocument: { uri: u }, position: pos(19, 4) });
  await assertStillServing();
  assert.ok(codes(p.diagnostics).includes('yaml-alias-limit'), `the bomb is not reported: ${JSON.stringify(codes(p.diagnostics))}`);
});

test('odd requests: positions outside the document, unopened documents, missing parameters, unknown methods', async () => {
  const u = uri('odd.yaml');
  client.open(u, CERT);
  await client.waitForVersion(u, 1);
  for (const position of [pos(10_000, 0), pos(0, 10_000), pos(-1, -1), pos(3, -5)]) {
    await requestWithin('textDocument/hover', { textDocument: { uri: u }, position });
    const items = await requestWithin<unknown[]>('textDocument/completion', { textDocument: { uri: u }, position });
    assert.ok(Array.isArray(items));
  }
  const never = 'file:///certsmith-tests/never-opened.yaml';
  assert.equal(await requestWithin('textDocument/hover', { textDocument: { uri: never }, position: pos(0, 0) }), null);
  assert.deepEqual(await requestWithin('textDocument/completion', { textDocument: { uri: never }, position: pos(0, 0) }), []);
  assert.deepEqual(await requestWithin('textDocument/documentSymbol', { textDocument: { uri: never } }), []);
  // Missing parameters are answered (empty), not fatal.
  await requestWithin('textDocument/completion', {});
  await requestWithin('textDocument/hover', { textDocument: { uri: u } });
  // An unknown method is an error response, not a crash.
  await assert.rejects(requestWithin('certsmith/noSuchMethod', {}));
  await assertStillServing();
});

test('odd notifications: changes to unopened documents, ranges past the end, closing twice, opening twice', async () => {
  client.change('file:///certsmith-tests/never-opened-2.yaml', { start: pos(0, 0), end: pos(0, 0) }, 'x');
  client.close('file:///certsmith-tests/never-opened-3.yaml');
  const u = uri('odd-notify.yaml');
  client.open(u, CERT);
  await client.waitForVersion(u, 1);
  const v = client.change(u, { start: pos(500, 0), end: pos(900, 9) }, 'extra: 1\n');
  const p = await client.waitForVersion(u, v);
  assert.ok(codes(p.diagnostics).includes('schema-unknown-field'), JSON.stringify(p.diagnostics));
  client.open(u, 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: Reopened\nspec:\n  selfSigned: {}\n');
  client.close(u);
  client.close(u);
  await assertStillServing();
});

test('garbage on the wire (invalid JSON, wrong shapes) does not take the server down', async () => {
  const stdin = client.proc.stdin!;
  stdin.write('Content-Length: 7\r\n\r\n{bad: }');
  stdin.write('Content-Length: 2\r\n\r\n[]');
  stdin.write('Content-Length: 4\r\n\r\nnull');
  const wrong = '{"jsonrpc":"2.0","id":424242,"method":42}';
  stdin.write(`Content-Length: ${Buffer.byteLength(wrong)}\r\n\r\n${wrong}`);
  const badParams = '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":42,"text":null}}}';
  stdin.write(`Content-Length: ${Buffer.byteLength(badParams)}\r\n\r\n${badParams}`);
  await assertStillServing();
});

test('an unrendered Helm template gets no YAML errors; a manifest edited into a template has its diagnostics cleared', async () => {
  const template = `${CERT_HEAD}spec:\n  secretName: {{ .Values.tls.secretName }}\n  issuerRef:\n    name: {{ include "issuer" . }}\n`;
  const u = uri('templates/certificate.yaml');
  client.open(u, template);
  await assertStillServing();
  const symbols = await requestWithin<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.deepEqual(symbols ?? [], []);
  assert.deepEqual(codes(client.diagnostics.get(u)?.diagnostics ?? []), []);

  // A manifest with a real error, then the user turns a value into a template expression.
  const v = uri('templates/issuer.yaml');
  client.open(v, CERT.replace('secretName', 'secretname'));
  const first = await client.waitForVersion(v, 1);
  assert.ok(codes(first.diagnostics).includes('schema-unknown-field'), JSON.stringify(first.diagnostics));
  client.change(v, { start: pos(3, 8), end: pos(3, 11) }, '{{ .Release.Name }}');
  const cleared = await client.waitForDiagnostics(v, (p) => p.diagnostics.length === 0);
  assert.deepEqual(cleared.diagnostics, []);
  await assertStillServing();
});

test('no stack traces were printed and the server is still up', () => {
  assert.ok(client.alive);
  assert.doesNotMatch(client.stderr, /^\s+at /m, client.stderr.slice(0, 2000));
});
