import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { SchemaStore } from '../../engine/schema/schema-store.js';

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'upstream') continue;
    if (statSync(p).isDirectory()) out.push(...listJson(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

test('schemas/ is exactly what `npm run schemas` generates from schemas/upstream', (t) => {
  const out = tempDir(t);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'schemas', 'generate.ts'), out], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  const committed = listJson(join(ROOT, 'schemas'));
  const generated = listJson(out);
  assert.deepEqual(generated.map((f) => relative(out, f)), committed.map((f) => relative(join(ROOT, 'schemas'), f)));
  for (const f of committed) {
    assert.equal(readFileSync(join(out, relative(join(ROOT, 'schemas'), f)), 'utf8'), readFileSync(f, 'utf8'), f);
  }
});

test('every served version of the upstream CRDs has a schema, with its licence and source copied', () => {
  const store = new SchemaStore(join(ROOT, 'schemas'));
  const have = new Set(store.entries.map((e) => `${e.apiVersion}/${e.kind}`));
  for (const want of [
    'cert-manager.io/v1/Certificate',
    'cert-manager.io/v1/CertificateRequest',
    'cert-manager.io/v1/Issuer',
    'cert-manager.io/v1/ClusterIssuer',
    'acme.cert-manager.io/v1/Order',
    'acme.cert-manager.io/v1/Challenge',
    'gateway.networking.k8s.io/v1/Gateway',
    'gateway.networking.k8s.io/v1beta1/Gateway',
    'gateway.networking.k8s.io/v1/HTTPRoute',
    'networking.k8s.io/v1/Ingress',
    'networking.k8s.io/v1/IngressClass',
  ]) {
    assert.ok(have.has(want), `missing schema for ${want}`);
  }
  for (const dir of ['cert-manager', 'gateway-api', 'kubernetes']) {
    assert.match(readFileSync(join(ROOT, 'schemas', 'upstream', dir, 'LICENSE'), 'utf8'), /Apache License/);
    assert.ok(readFileSync(join(ROOT, 'schemas', 'upstream', dir, 'SOURCE.md'), 'utf8').length > 100);
  }
  const cert = store.schema('cert-manager.io/v1', 'Certificate')!;
  // Kubernetes pruning made explicit: unknown fields are errors in any JSON Schema validator.
  assert.equal(cert.additionalProperties, false);
  assert.equal(cert.properties!.spec.additionalProperties, false);
  assert.deepEqual(cert.properties!.spec.properties!.privateKey.properties!.algorithm.enum, ['RSA', 'ECDSA', 'Ed25519']);
});
