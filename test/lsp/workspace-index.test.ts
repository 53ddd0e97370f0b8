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

test('a workspace of a few small files is read in the server thread, a larger one by the worker thread: issuers found either way, findings the same', { timeout: 90_000 }, async (t) => {
  /** `count` files: one ClusterIssuer per file, issuer-0 … issuer-N, in folders a/0 … */
  const workspace = (count: number) => {
    const dir = tempDir(t);
    for (let i = 0; i < count; i++) {
      mkdirSync(join(dir, 'teams', String(i % 7)), { recursive: true });
      writeFileSync(join(dir, 'teams', String(i % 7), `issuer-${i}.yaml`), clusterIssuer(`issuer-${i}`));
    }
    return dir;
  };
  const results: { where: string; codes: string[] }[] = [];
  for (const count of [12, 260]) {
    const dir = workspace(count);
    const env = { ...process.env, CERTSMITH_TRACE: '1', KUBECONFIG: join(dir, 'no-kubeconfig') };
    const client = new TestLspClient(['lsp', '--stdio'], { indexWorkspace: true }, pathToFileURL(dir).href, env);
    t.after(() => client.shutdown());
    await client.initialize();
    // issuer-5 is a ClusterIssuer on disk (kind mismatch); issuer-11 too, referenced as one (fine); "absent" is nowhere.
    const certs = [`issuer-5`, `issuer-11\n    kind: ClusterIssuer`, 'absent']
      .map((ref, i) => CERT.replace('name: web', `name: web-${i}`).replace('secretName: web-tls', `secretName: web-${i}-tls`).replace('    name: le\n', `    name: ${ref}\n`))
      .join('---\n');
    const certUri = pathToFileURL(join(dir, 'certs.yaml')).href;
    client.open(certUri, certs);
    for (let i = 0; i < 300 && !client.logs.some((l) => l.startsWith('indexed ')); i++) await new Promise((r) => setTimeout(r, 50));
    const indexed = client.logs.find((l) => l.startsWith('indexed '));
    assert.ok(indexed, `the server says when the index is complete (logs: ${client.logs.join(' | ')})`);
    assert.match(indexed, new RegExp(`^indexed ${count} manifest files of ${count} YAML files`));
    const p = await client.waitForDiagnostics(certUri, (x) => x.diagnostics.some((d) => d.code === 'issuer-kind-mismatch') && x.diagnostics.some((d) => d.code === 'issuer-not-found'), 30_000);
    results.push({ where: /\((in [^)]+)\)$/.exec(indexed)![1]!, codes: p.diagnostics.map((d) => `${d.range.start.line} ${d.code}`).sort() });
  }
  assert.deepEqual(results.map((r) => r.where), ['in this thread', 'in a worker thread']);
  assert.deepEqual(results[1]!.codes, results[0]!.codes);
  assert.deepEqual(results[0]!.codes, ['29 issuer-not-found', '8 issuer-kind-mismatch']);
});
