/**
 * Cases found by linting the YAML examples of cert-manager's documentation:
 * what real manifests contain must get the right verdict.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

function lint(t: { after(fn: () => void): void }, text: string): string[] {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'm.yaml'), text);
  const r = runCli(['lint', '--format', 'json', 'm.yaml'], { cwd: dir });
  assert.notEqual(r.status, 2, r.stderr);
  const json = JSON.parse(r.stdout) as { files: { diagnostics: { range: { start: { line: number; character: number } }; severity: string; code: string; message: string }[] }[] };
  return json.files[0].diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
}

test('an unquoted wildcard in dnsNames is a YAML error that says to quote it (YAML reads *.example.com as an alias)', (t) => {
  const ds = lint(t, 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef: {name: ca}\n  dnsNames:\n    - example.com\n    - *.example.com\n');
  assert.equal(ds.length, 1, ds.join('\n'));
  assert.match(ds[0], /^10:7 error yaml-syntax \*\.example\.com must be quoted \("\*\.example\.com"\)/);
  assert.deepEqual(lint(t, 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef: {name: ca}\n  dnsNames:\n    - example.com\n    - "*.example.com"\n'), []);
});

test('Gateway API kinds and versions without a bundled schema (ListenerSet, GRPCRoute, TLSRoute v1alpha2, ReferenceGrant) are left alone', (t) => {
  for (const [apiVersion, kind] of [
    ['gateway.networking.k8s.io/v1', 'ListenerSet'],
    ['gateway.networking.k8s.io/v1', 'GRPCRoute'],
    ['gateway.networking.k8s.io/v1alpha2', 'TLSRoute'],
    ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant'],
  ]) {
    assert.deepEqual(lint(t, `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n  namespace: web\nspec: {}\n`), [], `${apiVersion} ${kind}`);
  }
  // networking.k8s.io/v1 IPAddress has a schema since the Kubernetes 1.34 OpenAPI document: cluster-scoped, spec.parentRef required.
  assert.deepEqual(lint(t, 'apiVersion: networking.k8s.io/v1\nkind: IPAddress\nmetadata:\n  name: x\n  namespace: web\nspec: {}\n'), [
    '5:3 warning metadata-namespace-ignored IPAddress is cluster-scoped: metadata.namespace is ignored by the API server.',
    '6:1 error schema-required Missing required field "parentRef" in spec (spec.parentRef).',
  ]);
});

test('a near miss of a Gateway API kind is a warning with a suggestion; of a cert-manager kind an error', (t) => {
  assert.deepEqual(lint(t, 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gatway\nmetadata:\n  name: x\n'), ['2:7 warning kind-unknown gateway.networking.k8s.io has no kind "Gatway" that Certsmith knows. Did you mean "Gateway"?']);
  const cm = lint(t, 'apiVersion: cert-manager.io/v1\nkind: Certficate\nmetadata:\n  name: x\n');
  assert.equal(cm.length, 1);
  assert.match(cm[0], /^2:7 error kind-unknown .*Did you mean "Certificate"\?/);
});

test('any certmanager.k8s.io version (the pre-0.11 API group) is a removed API that names cert-manager.io/v1', (t) => {
  for (const v of ['v1alpha1', 'v1alpha2']) {
    const ds = lint(t, `apiVersion: certmanager.k8s.io/${v}\nkind: ClusterIssuer\nmetadata:\n  name: x\n`);
    assert.equal(ds.length, 1, ds.join('\n'));
    assert.match(ds[0], /^1:13 error api-version-removed .*Use apiVersion: cert-manager\.io\/v1\./);
  }
});
