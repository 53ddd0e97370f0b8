/**
 * The server reads the manifests of its workspace folders, so a Certificate
 * open in the editor is checked against Issuers in files that are not open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client.js';
import { tempDir } from '../support/temp.js';

const clusterIssuer = (name: string) =>
  `apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: ${name}\nspec:\n  selfSigned: {}\n`;
const CERT = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dnsNames: [web.example.com]\n  issuerRef:\n    name: le\n';

test('issuers in files that are not open are known: kind mismatch found, definition leads there, a file change on disk is picked up', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'issuers'));
  writeFileSync(join(dir, 'issuers', 'cluster-issuers.yaml'), clusterIssuer('le'));
  writeFileSync(join(dir, 'not-a-manifest.yaml'), 'name: CI\non: push\n');
  const client = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: true }, pathToFileURL(dir).href);
  t.after(() => client.shutdown());
  await client.initialize();
  const certUri = pathToFileURL(join(dir, 'cert.yaml')).href;
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  client.open(certUri, CERT);

  // The ClusterIssuer "le" is only on disk: issuerRef (default kind Issuer) does not match it.
  const p = await client.waitForDiagnostics(certUri, (x) => x.diagnostics.some((d) => d.code === 'issuer-kind-mismatch'), 30_000);
  assert.equal(p.diagnostics.find((d) => d.code === 'issuer-kind-mismatch')!.range.start.line, 8);
  // Unopened files are never published.
  assert.equal(client.diagnostics.has(pathToFileURL(join(dir, 'issuers', 'cluster-issuers.yaml')).href), false);

  // Fix the kind in the editor: definition leads into the unopened file.
  const fixed = CERT + '    kind: ClusterIssuer\n';
  const v = client.change(certUri, { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, fixed);
  await client.waitForDiagnostics(certUri, (x) => (x.version ?? v) >= v && !x.diagnostics.some((d) => String(d.code).startsWith('issuer-')));
  const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: certUri }, position: { line: 8, character: 11 } });
  assert.deepEqual(locs.map((l) => [l.uri, l.range.start.line]), [[pathToFileURL(join(dir, 'issuers', 'cluster-issuers.yaml')).href, 3]]);

  // The issuer file is renamed on disk (another tool, git checkout): the Certificate's reference no longer resolves.
  writeFileSync(join(dir, 'issuers', 'cluster-issuers.yaml'), clusterIssuer('letsencrypt'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(join(dir, 'issuers', 'cluster-issuers.yaml')).href, type: 2 }],
  });
  const after = await client.waitForDiagnostics(certUri, (x) => x.diagnostics.some((d) => d.code === 'issuer-not-found'), 30_000);
  assert.match(String(after.diagnostics.find((d) => d.code === 'issuer-not-found')!.message), /ClusterIssuer "le"/);
});
