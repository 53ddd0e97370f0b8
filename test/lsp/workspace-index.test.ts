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

test('vendored trees (node_modules, charts/NAME/charts) and files.exclude stay out of the index; indexing shows work-done progress', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const put = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put('node_modules/pkg/issuer.yaml', clusterIssuer('from-node-modules'));
  put('charts/app/charts/dep/templates/issuer.yaml', clusterIssuer('from-subchart'));
  put('generated/issuer.yaml', clusterIssuer('from-generated'));
  put('platform/issuer.yaml', clusterIssuer('kept'));
  const client = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: true, filesExclude: { '**/generated': true, '**/*.tmp': true } }, pathToFileURL(dir).href);
  const progress: string[] = [];
  client.connection.onRequest('window/workDoneProgress/create', () => null);
  client.connection.onNotification('$/progress', (p: { value: { kind: string; title?: string } }) => {
    progress.push(p.value.kind === 'begin' ? `begin ${p.value.title}` : p.value.kind);
  });
  t.after(() => client.shutdown());
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    workspaceFolders: null,
    initializationOptions: { indexWorkspace: true, filesExclude: { '**/generated': true, '**/*.tmp': true } },
  });
  await client.connection.sendNotification('initialized', {});

  const names = ['from-node-modules', 'from-subchart', 'from-generated', 'kept'];
  const cert = names.map((n, i) => CERT.replace('name: web', `name: web-${i}`).replace('secretName: web-tls', `secretName: web-${i}-tls`).replace('    name: le\n', `    name: ${n}\n    kind: ClusterIssuer\n`)).join('---\n');
  const certUri = pathToFileURL(join(dir, 'certs.yaml')).href;
  client.open(certUri, cert);
  // Only the ClusterIssuer outside the vendored and excluded trees is known.
  const p = await client.waitForDiagnostics(certUri, (x) => x.diagnostics.filter((d) => d.code === 'issuer-not-found').length === 3, 30_000);
  const missing = p.diagnostics.filter((d) => d.code === 'issuer-not-found').map((d) => /ClusterIssuer "([^"]+)"/.exec(String(d.message))?.[1]);
  assert.deepEqual(missing.sort(), ['from-generated', 'from-node-modules', 'from-subchart']);
  for (let i = 0; i < 100 && progress.at(-1) !== 'end'; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual([progress[0], progress.at(-1)], ['begin Certsmith: indexing manifests', 'end']);
});
