/**
 * Background files without their text (the language server's index in a
 * monorepo): positions, findings across files and re-checks are the same as
 * for a file whose text is kept, and the text is read (from disk) only when
 * a request needs it, never by the checks across files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../engine/workspace/workspace.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { lineStartsOf, recordFile, storedFileView, StringTable } from '../../engine/workspace/file-record.js';
import { ManifestFile } from '../../engine/workspace/manifest-file.js';
import { definition, references } from '../../engine/language/navigation.js';
import { listCertificates } from '../../engine/language/certificate-list.js';
import { chooseTarget } from '../../engine/schema/cert-manager-target.js';

const OPEN = 'file:///repo/app/certificate.yaml';
const INDEXED = 'file:///repo/platform/issuers.yaml';

/** An Issuer (CRLF line ends in one document), a Secret whose key ends in a line break, and a Certificate with a mistake. */
const INDEXED_TEXT = [
  '# issuers of the platform team\r\n',
  'apiVersion: cert-manager.io/v1\r\nkind: Issuer\r\nmetadata:\r\n  name: letsencrypt\r\n  namespace: apps\r\nspec:\r\n  acme:\r\n    server: https://acme-v02.api.letsencrypt.org/directory\r\n    privateKeySecretRef:\r\n      name: le-account\r\n    solvers:\r\n      - dns01:\r\n          route53:\r\n            region: eu-west-1\r\n            accessKeyIDSecretRef:\r\n              name: route53\r\n              key: access-key-id\r\n            secretAccessKeySecretRef:\r\n              name: route53\r\n              key: secret-access-key\r\n',
  '---\n',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: route53\n  namespace: apps\nstringData:\n  access-key-id: "AKIAEXAMPLE\\n"\n  secret-access-key: example\n',
  '---\n',
  'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: shop\n  namespace: apps\nspec:\n  secretName: shop-tls\n  dnsNames: [shop.example.com]\n  privateKey:\n    algorithm: RSB\n  issuerRef:\n    name: letsencrypt\n',
].join('');

const OPEN_TEXT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: apps
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: api
  namespace: apps
spec:
  secretName: api-tls
  dnsNames: [api.example.com]
  issuerRef:
    name: letsencrypt
`;

const brief = (ds: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string }[]) =>
  ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`).sort();

/** A workspace with the open file and the indexed one: kept as text, or as a stored record (with a count of reads). */
function workspace(stored: boolean): { ws: Workspace; reads: () => number } {
  const store = schemaStore();
  const ws = new Workspace(store);
  ws.set(OPEN, OPEN_TEXT);
  let reads = 0;
  const { record, text } = recordFile(INDEXED, INDEXED_TEXT, store, 1 << 20);
  const copy = structuredClone(record);
  const view = stored ? storedFileView(INDEXED, new StringTable(false).internRecord(copy), lineStartsOf(text), () => (reads++, INDEXED_TEXT), store) : keptFile(store);
  ws.setChecked(INDEXED, view, true);
  return { ws, reads: () => reads };
}

test('a stored file has the same documents, positions and local diagnostics as one whose text is kept, without reading its text', () => {
  const kept = workspace(false);
  const stored = workspace(true);
  const a = kept.ws.get(INDEXED)!;
  const b = stored.ws.get(INDEXED)!;
  assert.equal(b.documents.length, 3);
  assert.deepEqual(brief(b.diagnostics()), brief(a.diagnostics()));
  assert.ok(brief(b.diagnostics()).some((d) => d.endsWith('enum')), `the RSB mistake is found: ${brief(b.diagnostics())}`);
  assert.equal(b.isRelevant, true);
  b.documents.forEach((d, i) => {
    const k = a.documents[i]!;
    assert.equal(d.segment.line, k.segment.line);
    for (const [j, o] of d.checked.objects.entries()) {
      const ko = k.checked.objects[j]!;
      assert.deepEqual(d.checked.lines.rangeOf(o.start, o.end), k.checked.lines.rangeOf(ko.start, ko.end), `object ${o.kind} of document ${i}`);
      assert.deepEqual(d.checked.lines.rangeOf(o.labelStart, o.labelEnd), k.checked.lines.rangeOf(ko.labelStart, ko.labelEnd));
    }
  });
  assert.equal(stored.reads(), 0, 'positions come from the line starts');
  // Asked for, the text is read: the same as the kept one.
  assert.equal(b.documents[1]!.checked.text, a.documents[1]!.checked.text);
  assert.equal(b.text, INDEXED_TEXT);
});

test('checks across files, navigation and the Certificates list see a stored file as a kept one, and never read its text', () => {
  const kept = workspace(false);
  const stored = workspace(true);
  // The open Certificate asks for a ClusterIssuer that is an Issuer in the indexed file.
  const crossKept = brief(kept.ws.diagnostics(OPEN));
  assert.ok(crossKept.some((d) => d.includes('issuer')), `a finding about the issuerRef: ${crossKept}`);
  assert.deepEqual(brief(stored.ws.diagnostics(OPEN)), crossKept);
  // The Secret's trailing line break is a finding about the indexed file: background files get none.
  assert.deepEqual(stored.ws.crossDiagnostics().get(INDEXED), undefined);
  // The second open Certificate's issuerRef leads to the Issuer in the indexed file.
  const at = { line: OPEN_TEXT.split('\n').lastIndexOf('    name: letsencrypt'), character: 12 };
  const found = definition(stored.ws, OPEN, at);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.uri, INDEXED);
  assert.deepEqual(found, definition(kept.ws, OPEN, at));
  assert.equal(references(stored.ws, OPEN, at, true).length, 3, 'the Issuer, and the two Certificates that use it as an Issuer');
  assert.deepEqual(references(stored.ws, OPEN, at, true), references(kept.ws, OPEN, at, true));
  assert.deepEqual(listCertificates(stored.ws), listCertificates(kept.ws));
  assert.equal(listCertificates(stored.ws).length, 3);
  assert.equal(stored.reads(), 0);
});

test('opening a stored file keeps the results of its unchanged documents and reads it once; another cert-manager target keeps it stored', () => {
  const stored = workspace(true);
  const kept = workspace(false);
  const older = schemaStore(chooseTarget('v1.14', 'flag', '--cert-manager-version'));
  stored.ws.setStore(older);
  kept.ws.setStore(older);
  assert.ok(stored.ws.get(INDEXED)!.textReader, 'still read from disk when asked for');
  assert.deepEqual(brief(stored.ws.get(INDEXED)!.diagnostics()), brief(kept.ws.get(INDEXED)!.diagnostics()));
  // Opened as it is on disk: no document is checked again (a monorepo file of thousands of documents opens at once).
  const same = workspace(true);
  assert.deepEqual(same.ws.set(INDEXED, INDEXED_TEXT), { documents: 3, reparsed: 0 });
  assert.equal(same.reads(), 1, 'its text is read once');
  assert.deepEqual(brief(same.ws.diagnostics(INDEXED)), brief(workspaceOpened().diagnostics(INDEXED)));
  assert.equal(same.ws.get(INDEXED)!.documents[2]!.checked.text.includes('RSB'), true);
  assert.equal(same.reads(), 1, 'and then kept');
  // Opened with an edit (RSB corrected): the edited document is checked from the editor's text, not read from disk.
  const edited = INDEXED_TEXT.replace('RSB', 'RSA');
  const before = stored.reads();
  assert.deepEqual(stored.ws.set(INDEXED, edited), { documents: 3, reparsed: 1 });
  assert.equal(stored.ws.get(INDEXED)!.textReader, undefined);
  assert.equal(stored.ws.get(INDEXED)!.text, edited);
  assert.ok(!brief(stored.ws.diagnostics(INDEXED)).some((d) => d.endsWith('enum')));
  const reads = stored.reads();
  void stored.ws.get(INDEXED)!.documents[2]!.checked.text;
  assert.equal(stored.reads(), reads, `no disk read after opening (${before} before)`);
});

/** A workspace where the indexed file was opened from the start (its text kept all along). */
function workspaceOpened(): Workspace {
  const ws = new Workspace(schemaStore());
  ws.set(OPEN, OPEN_TEXT);
  ws.set(INDEXED, INDEXED_TEXT);
  return ws;
}

/** The indexed file checked with its text kept, as the index kept files before. */
function keptFile(store: ReturnType<typeof schemaStore>): ManifestFile {
  const file = new ManifestFile(INDEXED, store, undefined, false);
  file.update(INDEXED_TEXT);
  return file;
}

test('line starts are kept in 16 bits below 64 KiB and in 32 bits above, with the same positions either way', () => {
  const store = schemaStore();
  const big = `${'# padding: a long comment line of a generated file, repeated\n'.repeat(1200)}---\n${INDEXED_TEXT}`;
  assert.ok(big.length > 0x10000);
  assert.ok(lineStartsOf(INDEXED_TEXT) instanceof Uint16Array);
  assert.ok(lineStartsOf(big) instanceof Int32Array);
  for (const text of [INDEXED_TEXT, big]) {
    const kept = new ManifestFile(INDEXED, store);
    kept.update(text);
    const { record } = recordFile(INDEXED, text, store, 1 << 20);
    const stored = storedFileView(INDEXED, record, lineStartsOf(text), () => text, store);
    const places = (f: ManifestFile) => f.documents.flatMap((d) => d.checked.objects.map((o) => f.toFileRange(d, d.checked.lines.rangeOf(o.labelStart, o.labelEnd))));
    assert.deepEqual(places(stored), places(kept));
    assert.ok(places(stored).at(-1)!.start.line > 1000 || text === INDEXED_TEXT);
  }
});
