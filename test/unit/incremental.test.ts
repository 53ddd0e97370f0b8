/**
 * Incremental re-checking in the engine: an edit re-parses only the documents
 * it touched, and the diagnostics of the other documents move with their text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../engine/workspace/workspace.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';

const URI = 'file:///test/certificates.yaml';

/** Document i is a Certificate of 9 lines (10 with the `---` that follows it). */
function certificate(i: number, extra = ''): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: cert-${i}
spec:
  secretName: cert-${i}-tls
  dnsNames: [host-${i}.example.com]
  issuerRef:
    name: ca
${extra}`;
}

/** 50 documents; document 40 has a typo (renewbefore) on its last line. */
function fiftyDocuments(): string[] {
  return Array.from({ length: 50 }, (_, i) => certificate(i, i === 40 ? '  renewbefore: 1h\n' : ''));
}

const join = (docs: string[]) => docs.join('---\n');
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`);

/** The 0-based line on which document `index` starts in the joined text. */
function startLine(docs: string[], index: number): number {
  return join(docs.slice(0, index)).split('\n').length - 1 + (index > 0 ? 1 : 0);
}

test('the first set of a file checks every document', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  const stats = ws.set(URI, join(docs));
  assert.deepEqual(stats, { documents: 50, reparsed: 50 });
  const line = startLine(docs, 40) + 9; // `  renewbefore: 1h`
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${line}:2-${line}:13 schema-unknown-field`]);
});

test('setting the same text again re-parses nothing', () => {
  const ws = new Workspace(schemaStore());
  const text = join(fiftyDocuments());
  ws.set(URI, text);
  const before = brief(ws.diagnostics(URI));
  assert.deepEqual(ws.set(URI, text), { documents: 50, reparsed: 0 });
  assert.deepEqual(brief(ws.diagnostics(URI)), before);
});

test('editing one document of 50 re-parses exactly that one and reports its new problem', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  ws.set(URI, join(docs));
  docs[10] = docs[10].replace('name: cert-10', 'name: Cert_10');
  const stats = ws.set(URI, join(docs));
  assert.deepEqual(stats, { documents: 50, reparsed: 1 });
  const nameLine = startLine(docs, 10) + 3;
  const typoLine = startLine(docs, 40) + 9;
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${nameLine}:8-${nameLine}:15 metadata-name-invalid`, `${typoLine}:2-${typoLine}:13 schema-unknown-field`]);

  // Fixing it again: one document re-parsed, its diagnostic gone.
  docs[10] = docs[10].replace('name: Cert_10', 'name: cert-10');
  assert.deepEqual(ws.set(URI, join(docs)), { documents: 50, reparsed: 1 });
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${typoLine}:2-${typoLine}:13 schema-unknown-field`]);
});

test('inserting lines above a document moves its diagnostics without re-parsing it', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  ws.set(URI, join(docs));
  const typoBefore = startLine(docs, 40) + 9;
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${typoBefore}:2-${typoBefore}:13 schema-unknown-field`]);

  // Three lines inserted in document 5 (labels), far above document 40.
  docs[5] = docs[5].replace('  name: cert-5\n', '  name: cert-5\n  labels:\n    app: web\n    tier: frontend\n');
  const stats = ws.set(URI, join(docs));
  assert.deepEqual(stats, { documents: 50, reparsed: 1 });
  const typoAfter = startLine(docs, 40) + 9;
  assert.equal(typoAfter, typoBefore + 3);
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${typoAfter}:2-${typoAfter}:13 schema-unknown-field`]);
});

test('inserting lines above while breaking that document: both diagnostics at their new positions', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  ws.set(URI, join(docs));
  docs[2] = docs[2].replace('  name: cert-2\n', '  name: cert-2\n  # a comment\n  labels:\n    "bad key": x\n');
  const stats = ws.set(URI, join(docs));
  assert.deepEqual(stats, { documents: 50, reparsed: 1 });
  const labelLine = startLine(docs, 2) + 6;
  const typoLine = startLine(docs, 40) + 9;
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${labelLine}:4-${labelLine}:13 metadata-label-invalid`, `${typoLine}:2-${typoLine}:13 schema-unknown-field`]);
});

test('deleting a whole document above moves the later diagnostics up; nothing is re-parsed', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  ws.set(URI, join(docs));
  docs.splice(1, 1);
  const stats = ws.set(URI, join(docs));
  assert.equal(stats.documents, 49);
  assert.equal(stats.reparsed, 0);
  const typoLine = startLine(docs, 39) + 9;
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${typoLine}:2-${typoLine}:13 schema-unknown-field`]);
});

test('inserting a new document in the middle re-parses only the new one', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  ws.set(URI, join(docs));
  docs.splice(20, 0, certificate(999).replace('dnsNames: [host-999.example.com]', 'dnsNames: host-999.example.com'));
  const stats = ws.set(URI, join(docs));
  assert.deepEqual(stats, { documents: 51, reparsed: 1 });
  const typeLine = startLine(docs, 20) + 6;
  const typoLine = startLine(docs, 41) + 9;
  assert.deepEqual(brief(ws.diagnostics(URI)), [`${typeLine}:12-${typeLine}:32 schema-type`, `${typoLine}:2-${typoLine}:13 schema-unknown-field`]);
});

test('the incremental result equals a fresh check of the same text', () => {
  const ws = new Workspace(schemaStore());
  const docs = fiftyDocuments();
  ws.set(URI, join(docs));
  for (const i of [3, 17, 31, 48]) {
    docs[i] = docs[i].replace(`name: cert-${i}\n`, `name: Cert-${i}\n  labels:\n    x: "a b"\n`);
    ws.set(URI, join(docs));
  }
  const fresh = new Workspace(schemaStore());
  fresh.set(URI, join(docs));
  assert.deepEqual(ws.diagnostics(URI), fresh.diagnostics(URI));
  assert.equal(ws.diagnostics(URI).length, 9);
});

test('two identical documents each get their own diagnostics at their own lines', () => {
  const ws = new Workspace(schemaStore());
  const bad = certificate(1, '  renewbefore: 1h\n');
  const docs = [bad, certificate(2), bad];
  ws.set(URI, join(docs));
  const l0 = startLine(docs, 0) + 9;
  const l2 = startLine(docs, 2) + 9;
  // The document's own diagnostics (the two identical Certificates also share a Secret: that is tested elsewhere).
  assert.deepEqual(brief(ws.get(URI)!.diagnostics()), [`${l0}:2-${l0}:13 schema-unknown-field`, `${l2}:2-${l2}:13 schema-unknown-field`]);
  // Editing the middle one keeps both.
  docs[1] = certificate(3);
  assert.deepEqual(ws.set(URI, join(docs)), { documents: 3, reparsed: 1 });
  assert.equal(ws.get(URI)!.diagnostics().length, 2);
});
