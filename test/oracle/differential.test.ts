/**
 * Differential test (issue #11): Certsmith's diagnostics against cert-manager's
 * own webhook validation (test/world/go-peers/cert-manager-oracle, built by
 * `npm run setup`) and a real kube-apiserver's server-side dry run with the
 * bundled CRDs, on every manifest in the project and 5,000 generated variants
 * (fixed seed). Any difference not listed in engine/rules/deliberate-differences.ts
 * (rendered in docs/rules.md) fails, printing the document, both outputs and the
 * seed. More seeds: `npm run fuzz:oracle -- --seed N --count M`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCertManagerCrds, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';
import { DELIBERATE_DIFFERENCES } from '../../engine/rules/deliberate-differences.js';
import { ApiServerOracle } from './apiserver-oracle.js';
import { compare, describeFailure, formatSummary, relatedPaths } from './differential.js';
import { runDifferential, type RunResult } from './run-differential.js';
import { generate } from './generator.js';
import { runWebhookOracle, webhookOracleMissing } from './webhook-oracle.js';

const SEED = 20260822;
const COUNT = 5000;

const webhookMissing = webhookOracleMissing();
const apiServerMissing = kubernetesPeersBuilt() ? undefined : 'kube-apiserver is not built: run `npm run setup` (test/world/go-peers/build-kubernetes.sh)';

let kube: KubeApiServer | undefined;
let oracle: ApiServerOracle | undefined;
let run: RunResult | undefined;

before(async () => {
  if (!apiServerMissing) {
    kube = await startKubeApiServer();
    await installCertManagerCrds(kube.adminKubeconfig);
    oracle = new ApiServerOracle(kube);
  }
  if (webhookMissing && apiServerMissing) return;
  run = await runDifferential({ seed: SEED, count: COUNT, apiServer: oracle });
  console.log(`differential run, seed ${SEED}: ${Object.entries(run.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}\n${formatSummary(run.summary)}`);
});

after(async () => {
  oracle?.close();
  await kube?.stop();
});

test('the generator is deterministic and varied', () => {
  assert.equal(generate(SEED, 7).text, generate(SEED, 7).text);
  const kinds = new Set(Array.from({ length: 300 }, (_, i) => /^kind: (\w+)/m.exec(generate(SEED, i).text)?.[1]));
  for (const k of ['Issuer', 'ClusterIssuer', 'Certificate', 'CertificateRequest', 'Gateway']) assert.ok(kinds.has(k), `no ${k} among 300 generated documents`);
});

test('field paths: Certsmith and API server spellings of one field match, others do not', () => {
  assert.ok(relatedPaths('spec.secretTemplate.labels[cert-manager.io/x]', 'spec.secretTemplate.labels.cert-manager.io/x'));
  assert.ok(relatedPaths('spec.listeners[0].tls', 'spec.listeners[0].tls.certificateRefs'));
  assert.ok(!relatedPaths('spec.dnsNames[0]', 'spec.dnsNames[1]'));
  assert.ok(!relatedPaths('spec.duration', 'spec.durationX'));
});

test('a rejection Certsmith misses is a failure', () => {
  // The comparison itself must be able to fail: an oracle error and no Certsmith error.
  const r = compare({ id: 'x', text: 'kind: Certificate\n' }, { diagnostics: [], kind: 'Certificate' }, { id: 'x', handled: true, errors: [{ field: 'spec.secretName', type: 'FieldValueRequired', reason: 'Required value', detail: 'must be specified' }], warnings: [] }, { id: 'x', status: 201, accepted: true, errors: [], warnings: [] });
  assert.deepEqual(r.findings.map((f) => [f.category, f.allowedBy]), [['missed', undefined]]);
});

test('cert-manager webhook oracle answers for its own rules', { skip: webhookMissing }, async () => {
  const [a] = await runWebhookOracle([{ id: 'rsa', text: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: x}\nspec:\n  secretName: x\n  dnsNames: [example.com]\n  issuerRef: {name: i}\n  privateKey: {algorithm: RSA, size: 1024}\n' }]);
  assert.equal(a!.handled, true);
  assert.deepEqual(a!.errors.map((e) => [e.field, e.type]), [['spec.privateKey.size', 'FieldValueInvalid']]);
});

test(`differential: no undeclared difference from cert-manager's webhook and the API server (seed ${SEED}, ${COUNT} generated documents and the project's manifests)`, { skip: webhookMissing && apiServerMissing ? `${webhookMissing}; ${apiServerMissing}` : false }, (t) => {
  if (webhookMissing) t.diagnostic(`oracle 1 skipped: ${webhookMissing}`);
  if (apiServerMissing) t.diagnostic(`oracle 2 skipped: ${apiServerMissing}`);
  const s = run!.summary;
  assert.ok(s.documents >= COUNT, `only ${s.documents} documents`);
  const shown = s.failures.slice(0, 15).map((f) => describeFailure(f, SEED)).join('\n\n');
  assert.equal(s.failures.length, 0, `${s.failures.length} documents where Certsmith differs from the oracles (first ${Math.min(15, s.failures.length)}):\n\n${shown}\n\n${formatSummary(s)}`);
  // Both verdicts must really occur: a run where everything is accepted (or rejected) proves little.
  assert.ok(s.rejectedByOracles > s.documents / 10 && s.rejectedByOracles < s.documents * 0.9, `oracles reject ${s.rejectedByOracles} of ${s.documents}`);
});

test('every deliberate difference says why', () => {
  for (const d of DELIBERATE_DIFFERENCES) assert.ok(d.reason.length > 40, `${d.id}: no reason`);
  assert.equal(new Set(DELIBERATE_DIFFERENCES.map((d) => d.id)).size, DELIBERATE_DIFFERENCES.length, 'duplicate ids');
});
