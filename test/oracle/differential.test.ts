/**
 * Differential test (issues #11, #19): Certsmith's diagnostics against
 * cert-manager's own webhook validation (test/world/go-peers/cert-manager-oracle,
 * one binary per release, built by `npm run setup` for the oldest and newest)
 * and a real kube-apiserver's server-side dry run, for the oldest and the
 * newest bundled cert-manager release: Certsmith targets the release, the
 * webhook oracle is built from it, and the API server serves its CRDs. On every
 * manifest in the project and 5,000 generated variants (fixed seed). Any
 * difference not listed in engine/rules/deliberate-differences.ts (rendered in
 * docs/rules.md) fails, printing the document, both outputs and the seed.
 * Every release, more seeds: `npm run fuzz:oracle -- --all-versions --seed N --count M`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';
import { DELIBERATE_DIFFERENCES } from '../../engine/rules/deliberate-differences.js';
import { releaseSchemas } from '../../engine/schema/release-schemas.js';
import { ApiServerOracle } from './apiserver-oracle.js';
import { compare, describeFailure, formatSummary, relatedPaths } from './differential.js';
import { differentialDocuments, runDifferential, type RunResult } from './run-differential.js';
import { generate } from './generator.js';
import { releaseCrds, serveReleaseCrds } from './release-crds.js';
import { oracleVersions, runWebhookOracle, webhookOracleMissing } from './webhook-oracle.js';

const SEED = 20260822;
const COUNT = 5000;

const bundled = releaseSchemas()
  .releases()
  .filter((r) => r.id !== 'next');
/** The oldest and the newest supported release (all of them: `npm run fuzz:oracle -- --all-versions`). */
const RELEASES = [bundled[0]!, bundled[bundled.length - 1]!];

const apiServerMissing = kubernetesPeersBuilt() ? undefined : 'kube-apiserver is not built: run `npm run setup` (test/world/go-peers/build-kubernetes.sh)';

let kube: KubeApiServer | undefined;
const runs = new Map<string, RunResult>();
const crdsMissing = new Map<string, string>();

before(async () => {
  if (!apiServerMissing) kube = await startKubeApiServer();
  const docs = differentialDocuments(SEED, COUNT);
  for (const release of RELEASES) {
    let apiServer: ApiServerOracle | undefined;
    if (kube) {
      const crds = releaseCrds(release);
      if ('missing' in crds) crdsMissing.set(release.id, crds.missing);
      else {
        await serveReleaseCrds(kube, crds.crds);
        apiServer = new ApiServerOracle(kube);
      }
    }
    if (!apiServer && webhookOracleMissing(release.version)) continue;
    try {
      const run = await runDifferential(docs, { release, apiServer });
      runs.set(release.id, run);
      console.log(`differential run, cert-manager ${release.id} (${release.version}), seed ${SEED}: ${Object.entries(run.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}\n${formatSummary(run.summary)}`);
    } finally {
      apiServer?.close();
    }
  }
});

after(async () => {
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

test('every bundled release has an oracle module, and "next" says why it has none', () => {
  const pinned = oracleVersions();
  for (const r of bundled) assert.ok(pinned.includes(r.version), `cert-manager ${r.id} is bundled as ${r.version}, but the oracle modules are ${pinned.join(', ')}`);
  assert.match(webhookOracleMissing(releaseSchemas().release('next')!.version) ?? '', /proxy refuses that commit/);
});

for (const release of RELEASES) {
  const webhookMissing = webhookOracleMissing(release.version);

  test(`cert-manager ${release.version} webhook oracle answers for its own rules`, { skip: webhookMissing }, async () => {
    const [a] = await runWebhookOracle(release.version, [{ id: 'rsa', text: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: x}\nspec:\n  secretName: x\n  dnsNames: [example.com]\n  issuerRef: {name: i}\n  privateKey: {algorithm: RSA, size: 1024}\n' }]);
    assert.equal(a!.handled, true);
    assert.deepEqual(a!.errors.map((e) => [e.field, e.type]), [['spec.privateKey.size', 'FieldValueInvalid']]);
  });

  test(`differential, cert-manager ${release.id} (${release.version}): no undeclared difference from its webhook and an API server with its CRDs (seed ${SEED}, ${COUNT} generated documents and the project's manifests)`, { skip: webhookMissing && apiServerMissing ? `${webhookMissing}; ${apiServerMissing}` : false }, (t) => {
    const run = runs.get(release.id);
    if (webhookMissing) t.diagnostic(`oracle 1 skipped: ${webhookMissing}`);
    const crdsSkip = crdsMissing.get(release.id);
    if (apiServerMissing || crdsSkip) t.diagnostic(`oracle 2 skipped: ${apiServerMissing ?? crdsSkip}`);
    assert.ok(run, `no run for ${release.id}: ${[webhookMissing, crdsSkip].filter(Boolean).join('; ')}`);
    const s = run.summary;
    assert.ok(s.documents >= COUNT, `only ${s.documents} documents`);
    const shown = s.failures.slice(0, 15).map((f) => describeFailure(f, SEED, release.id)).join('\n\n');
    assert.equal(s.failures.length, 0, `${s.failures.length} documents where Certsmith (targeting ${release.id}) differs from the oracles (first ${Math.min(15, s.failures.length)}):\n\n${shown}\n\n${formatSummary(s)}`);
    // Both verdicts must really occur: a run where everything is accepted (or rejected) proves little.
    assert.ok(s.rejectedByOracles > s.documents / 10 && s.rejectedByOracles < s.documents * 0.9, `oracles reject ${s.rejectedByOracles} of ${s.documents}`);
  });
}

test('every deliberate difference says why', () => {
  for (const d of DELIBERATE_DIFFERENCES) assert.ok(d.reason.length > 40, `${d.id}: no reason`);
  assert.equal(new Set(DELIBERATE_DIFFERENCES.map((d) => d.id)).size, DELIBERATE_DIFFERENCES.length, 'duplicate ids');
});
