/**
 * The false-positive hunt: real manifests of public projects
 * (test/corpus/SOURCES.tsv, fetched by set-up) must get no error-level
 * finding, except where the file really is broken as published (KNOWN_BROKEN)
 * or Certsmith is known to be wrong and the fix is open (OPEN_FALSE_POSITIVES).
 * Every entry of both lists must still happen, so that a fix or a changed file
 * shows up here. Each rule's hits are printed; `npm run corpus:report` writes
 * them to docs/benchmarks.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCorpus, locateCorpus, readSources, sourceOf, type CorpusFinding } from '../corpus/corpus.js';

interface Expected {
  /** module@version/path */
  file: string;
  rule: string;
  why: string;
}

/** Files broken upstream as published: the errors on them are right. */
const KNOWN_BROKEN: Expected[] = [
  {
    file: 'github.com/mongodb/mongodb-kubernetes-operator@v0.9.0/config/samples/external_access/cert-x509.yaml',
    rule: 'misplaced-block',
    why: 'spec is indented under metadata, so the API server sees a Certificate without spec (and an unknown field metadata.spec)',
  },
  {
    file: 'github.com/openkruise/rollouts@v0.6.0/test/e2e/test_data/gateway/httproute-test.yaml',
    rule: 'api-version-unknown',
    why: 'HTTPRoute gateway.networking.k8s.io/v1alpha2, written for Gateway API v0.x; the v1.x CRDs (standard and experimental, checked in sigs.k8s.io/gateway-api v1.6.3) serve only v1 and v1beta1',
  },
];

/** Findings Certsmith gets wrong, reported to be fixed: remove an entry when its fix lands. */
const OPEN_FALSE_POSITIVES: Expected[] = [
  ...['cookie-based', 'header-based'].map((kind) => ({
    file: `github.com/envoyproxy/gateway@v1.5.0/test/e2e/testdata/${kind}-session-persistence.yaml`,
    rule: 'schema-unknown-field',
    why: "HTTPRoute spec.rules[].sessionPersistence is a field of the Gateway API experimental channel, which Envoy Gateway's install carries; Certsmith bundles the standard channel only",
  })),
];

const fileOf = (f: CorpusFinding) => `${f.source}/${f.path}`;

test('real-world corpus: no error-level finding on manifests that work, and each rule’s hits listed', async (t) => {
  const sources = readSources();
  const modules = new Set(sources.map(sourceOf));
  // The list itself: enough files and projects, each file once, with a licence.
  assert.ok(sources.length >= 150, `SOURCES.tsv lists ${sources.length} files; the corpus needs at least 150`);
  assert.ok(modules.size >= 30, `SOURCES.tsv lists ${modules.size} modules; the corpus needs at least 30 projects`);
  assert.equal(new Set(sources.map((s) => `${sourceOf(s)}/${s.path}`)).size, sources.length, 'a file is listed twice');
  for (const s of sources) assert.match(`${s.licence} ${s.sha256} ${s.repository}`, /^\S+ [0-9a-f]{64} https:\/\/\S+$/, `incomplete line for ${sourceOf(s)}/${s.path}`);

  const corpus = locateCorpus();
  if ('missing' in corpus) {
    t.skip(corpus.missing);
    return;
  }
  const run = await lintCorpus(corpus.dir, sources);

  // Every listed file was read and checked (none skipped as too large, unreadable, ...).
  for (const m of modules) {
    assert.equal(run.filesChecked.get(m), sources.filter((s) => sourceOf(s) === m).length, `${m}: the CLI did not check every listed file`);
  }

  const byRule = new Map<string, CorpusFinding[]>();
  for (const f of run.findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  t.diagnostic(`${sources.length} files, ${run.documents} documents, ${modules.size} projects, linted in ${(run.lintMs / 1000).toFixed(1)} s`);
  for (const [rule, hits] of byRule) {
    const severities = [...new Set(hits.map((h) => h.severity))].join('/');
    t.diagnostic(`${rule} (${severities}): ${hits.length} hit(s) in ${new Set(hits.map(fileOf)).size} file(s)`);
  }

  const expected = [...KNOWN_BROKEN, ...OPEN_FALSE_POSITIVES];
  const unexpected = run.findings.filter((f) => f.severity === 'error' && !expected.some((e) => e.file === fileOf(f) && e.rule === f.rule));
  assert.deepEqual(
    unexpected.map((f) => `${fileOf(f)}:${f.line} ${f.rule} ${f.message}`),
    [],
    'error-level findings on real manifests: a false positive to fix (engine/...), or a file broken upstream to list in KNOWN_BROKEN with the evidence',
  );
  const stale = expected.filter((e) => !run.findings.some((f) => f.severity === 'error' && e.file === fileOf(f) && e.rule === f.rule));
  assert.deepEqual(
    stale.map((e) => `${e.file} ${e.rule}`),
    [],
    'listed errors that no longer happen: remove them from KNOWN_BROKEN / OPEN_FALSE_POSITIVES',
  );
});
