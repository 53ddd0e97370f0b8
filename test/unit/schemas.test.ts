import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { SchemaStore } from '../../engine/schema/schema-store.js';

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'upstream' || name === 'releases') continue;
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

test('the Kubernetes OpenAPI snapshot is the pinned API server\'s own, as SOURCE.md records it', () => {
  const dir = join(ROOT, 'schemas', 'upstream', 'kubernetes');
  const text = readFileSync(join(dir, 'apis__networking.k8s.io__v1_openapi.json'), 'utf8');
  const source = readFileSync(join(dir, 'SOURCE.md'), 'utf8');
  // Refreshed by test/world/fetch-kubernetes-openapi.ts from the kube-apiserver the cluster tests run.
  const pinned = /^KUBERNETES_VERSION=(v[0-9.]+)$/m.exec(readFileSync(join(ROOT, 'test', 'world', 'go-peers', 'build-kubernetes.sh'), 'utf8'))?.[1];
  assert.ok(pinned, 'build-kubernetes.sh pins a Kubernetes version');
  assert.ok(source.includes(`Served by kube-apiserver ${pinned} `), `SOURCE.md names kube-apiserver ${pinned}: refetch with npx tsx test/world/fetch-kubernetes-openapi.ts`);
  assert.ok(source.includes(`sha256 \`${createHash('sha256').update(text).digest('hex')}\``), 'SOURCE.md records the sha256 of the document as committed');
  assert.ok(source.includes(`${Buffer.byteLength(text)} bytes`));
  const doc = JSON.parse(text);
  assert.equal(doc.info.version, pinned.replace(/^v(\d+\.\d+)\..*$/, '$1'));
  // The format of kubernetes/kubernetes' api/openapi-spec (jq -S): keys sorted, 2-space indent.
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  assert.equal(text, JSON.stringify(sorted(doc), null, 2) + '\n');
});

test('networking.k8s.io/v1 kinds take their resource name and scope from the OpenAPI document\'s paths', () => {
  const store = new SchemaStore(join(ROOT, 'schemas'));
  const got = store.entries
    .filter((e) => e.group === 'networking.k8s.io')
    .map((e) => `${e.kind} ${e.plural} ${e.scope}`)
    .sort();
  assert.deepEqual(got, [
    'IPAddress ipaddresses Cluster',
    'Ingress ingresses Namespaced',
    'IngressClass ingressclasses Cluster',
    'NetworkPolicy networkpolicies Namespaced',
    'ServiceCIDR servicecidrs Cluster',
  ]);
  const ingress = store.schema('networking.k8s.io/v1', 'Ingress')!;
  const path = ingress.properties!.spec.properties!.rules.items!.properties!.http.properties!.paths.items!;
  assert.deepEqual(path.properties!.pathType.enum, ['Exact', 'ImplementationSpecific', 'Prefix']);
  // A field's own description wins over its type's (allOf: [{$ref}] in OpenAPI 3).
  assert.match(ingress.properties!.spec.properties!.tls.description as string, /^tls represents the TLS configuration/);
  // int-or-string stays one anyOf, whatever form the document gives it.
  const np = store.schema('networking.k8s.io/v1', 'NetworkPolicy')!;
  const port = np.properties!.spec.properties!.ingress.items!.properties!.ports.items!.properties!.port;
  assert.deepEqual(port.anyOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(port.oneOf, undefined);
});
