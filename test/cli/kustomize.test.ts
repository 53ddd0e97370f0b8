/**
 * `certsmith lint` with kustomize: a patch file holds only the fields it
 * changes, so findings about absent fields are not reported for it, whether
 * the whole tree is checked or a pre-commit hook names just the patch; what
 * the patch does contain is still checked. A namespace given by a
 * kustomization counts as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const ISSUER = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: shop-ca
  namespace: shop
spec:
  ca:
    secretName: shop-ca-key-pair
`;
const CERT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
spec:
  secretName: shop-tls
  dnsNames: [shop.example.com]
  issuerRef:
    name: shop-ca
`;
const PATCH = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
spec:
  duration: 2160h
  privateKey:
    algorithm: RSB
`;

function writeTree(dir: string, withKustomizations: boolean): void {
  mkdirSync(join(dir, '.git'), { recursive: true });
  mkdirSync(join(dir, 'base'), { recursive: true });
  mkdirSync(join(dir, 'overlays', 'prod'), { recursive: true });
  writeFileSync(join(dir, 'base', 'issuer.yaml'), ISSUER);
  writeFileSync(join(dir, 'base', 'cert.yaml'), CERT);
  writeFileSync(join(dir, 'overlays', 'prod', 'cert-patch.yaml'), PATCH);
  if (!withKustomizations) return;
  writeFileSync(join(dir, 'base', 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - issuer.yaml\n  - cert.yaml\n');
  writeFileSync(join(dir, 'overlays', 'prod', 'kustomization.yaml'), 'resources:\n  - ../../base\npatches:\n  - path: cert-patch.yaml\n');
}

function codesByFile(cwd: string, ...paths: string[]): Record<string, string[]> {
  const r = runCli(['lint', '--format', 'json', ...paths], { cwd });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const report = JSON.parse(r.stdout) as { files: { path: string; diagnostics: { code: string }[] }[] };
  return Object.fromEntries(report.files.map((f) => [f.path.replaceAll('\\', '/'), f.diagnostics.map((d) => d.code)]));
}

test('without kustomizations: the patch lacks required fields and the Certificate is implicitly in default', (t) => {
  const dir = tempDir(t);
  writeTree(dir, false);
  const codes = codesByFile(dir, '.');
  assert.ok(codes['overlays/prod/cert-patch.yaml']?.includes('schema-required'), JSON.stringify(codes));
  assert.ok(codes['base/cert.yaml']?.includes('certificate-namespace-implicit'), JSON.stringify(codes));
});

test('with kustomizations: the patch is checked for what it holds only, and the namespace comes from kustomize', (t) => {
  const dir = tempDir(t);
  writeTree(dir, true);
  const all = codesByFile(dir, '.');
  assert.deepEqual(all['overlays/prod/cert-patch.yaml'], ['schema-enum'], JSON.stringify(all));
  assert.deepEqual(all['base/cert.yaml'], [], JSON.stringify(all));
  // A pre-commit hook names only the changed file: its kustomization is found beside it.
  const one = codesByFile(join(dir, 'overlays', 'prod'), 'cert-patch.yaml');
  assert.deepEqual(one['cert-patch.yaml'], ['schema-enum'], JSON.stringify(one));
});
