/**
 * Every rule of the registry, through the real CLI (`certsmith lint --format json`):
 * at least one manifest that triggers it, at an exact position, and at least one
 * closely related correct manifest on which it stays silent. The cases are in
 * rule-cases/<rule-id>.yaml (format: rule-cases/README.md).
 *
 * The negative cases are realistic, correct manifests: besides "this rule does
 * not fire", each must come out with no error and no warning at all, so they
 * also guard against false positives of every other rule.
 *
 * Cases of rules that look at one document at a time are linted together in a
 * single run (each file is still its own document; the cross-resource
 * diagnostics that such a mixed run produces are ignored there). Cases of
 * cross-resource rules, and cases that need their own command-line options,
 * get a run of their own.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACROSS_FILES_RULE_IDS, isRuleId, RULES, type RuleId } from '../../engine/rules/registry.js';
import { KNOWN_USAGES } from '../../engine/rules/webhook/certificate.js';
import { ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { loadRuleCases, type RuleCase, type RuleCaseFile } from './rule-cases.js';

const loaded = loadRuleCases();
const CASES = new Map<RuleId, RuleCaseFile>(loaded.files.flatMap((f) => (isRuleId(f.id) ? [[f.id, f] as const] : [])));
const CROSS_RULES = ACROSS_FILES_RULE_IDS;

interface JsonDiagnostic {
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

interface Found {
  /** 'file:line:col', 1-based, with the case's own file name. */
  at: string;
  code: string;
  severity: string;
  message: string;
}

/** Lints files in a directory of their own; returns every diagnostic, by the name the file was given. */
function lint(files: Record<string, string>, args: string[] = []): Map<string, Found[]> {
  const dir = tempDir({ after });
  const names = Object.keys(files);
  for (const name of names) writeFileSync(join(dir, name), files[name]);
  const r = runCli(['lint', '--format', 'json', ...args, ...names], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, `certsmith lint exited with ${r.status}: ${r.stderr}`);
  const json = JSON.parse(r.stdout) as { files: { path: string; diagnostics: JsonDiagnostic[] }[] };
  const out = new Map<string, Found[]>();
  for (const f of json.files) {
    out.set(
      f.path,
      f.diagnostics.map((d) => ({
        at: `${f.path}:${d.range.start.line + 1}:${d.range.start.character + 1}`,
        code: d.code,
        severity: d.severity,
        message: d.message,
      })),
    );
  }
  return out;
}

/** A case runs alone when it needs options, or when its rule looks across files. */
function runsAlone(id: string, c: RuleCase): boolean {
  return CROSS_RULES.has(id) || c.args.length > 0;
}

const batchKey = (id: string, c: RuleCase) => `${id}.${c.kind[0]}${c.index}`;

let batch: Map<string, Found[]> | undefined;

/**
 * All cases that may share a run, linted at once: each file named after its
 * case (`<rule>.p0.<file>`), every file still a document of its own.
 */
function batchRun(): Map<string, Found[]> {
  if (batch) return batch;
  const files: Record<string, string> = {};
  for (const [id, cases] of CASES) {
    for (const c of [...cases.positive, ...cases.negative]) {
      if (runsAlone(id, c) || c.skip) continue;
      for (const [name, text] of Object.entries(c.files)) files[`${batchKey(id, c)}.${name}`] = text;
    }
  }
  batch = lint(files);
  return batch;
}

/** The diagnostics of one case (file names as the case gives them), and whether it shared its run. */
function diagnosticsOf(id: string, c: RuleCase): { found: Found[]; shared: boolean } {
  if (runsAlone(id, c)) {
    const byFile = lint(c.files, c.args);
    return { found: [...byFile.values()].flat(), shared: false };
  }
  const prefix = `${batchKey(id, c)}.`;
  const found: Found[] = [];
  for (const [path, ds] of batchRun()) {
    if (!path.startsWith(prefix)) continue;
    for (const d of ds) found.push({ ...d, at: d.at.slice(prefix.length) });
  }
  return { found, shared: true };
}

const show = (found: Found[]) => (found.length ? found.map((d) => `\n  ${d.at} ${d.severity} ${d.code}: ${d.message}`).join('') : ' (none)');
/** Names the fixture file, line and case in a failure. */
const caseName = (c: RuleCase) => `${c.kind} ${c.index}`;
const where = (c: RuleCase) => `${c.where} (${caseName(c)})`;

test('every rule of the registry has positive and negative cases, and every case names a rule', () => {
  const missing = RULES.filter((r) => {
    const c = CASES.get(r.id);
    return !c || c.positive.length === 0 || c.negative.length === 0;
  }).map((r) => r.id);
  const unknown = loaded.files.filter((f) => !isRuleId(f.id)).map((f) => `test/semantics/rule-cases/${f.id}.yaml`);
  // One assertion, so that a misnamed file shows up next to the rule it leaves without cases.
  assert.deepEqual(
    { unreadable: loaded.problems, rulesWithoutPositiveAndNegativeCase: missing, filesForRulesTheRegistryDoesNotHave: unknown },
    { unreadable: [], rulesWithoutPositiveAndNegativeCase: [], filesForRulesTheRegistryDoesNotHave: [] },
    'rule case files (test/semantics/rule-cases/) that cannot be read, rules without a positive and a negative case, or cases for rules the registry does not have',
  );
  for (const [id, cases] of CASES) {
    for (const p of cases.positive) {
      if (p.skip) continue;
      for (const at of p.at) {
        const file = at.split(':')[0];
        assert.ok(file in p.files && /^[^:]+:\d+:\d+$/.test(at), `${where(p)}: ${id}: "at" must be file:line:col of one of the case's files, not "${at}"`);
      }
    }
  }
});

test('api-version-deprecated is skipped honestly: no bundled schema version is deprecated', () => {
  const index = JSON.parse(readFileSync(join(ROOT, 'schemas', 'index.json'), 'utf8')) as { kinds: { apiVersion: string; kind: string; deprecated: boolean }[] };
  assert.ok(index.kinds.length > 0);
  const deprecated = index.kinds.filter((k) => k.deprecated).map((k) => `${k.apiVersion} ${k.kind}`);
  assert.deepEqual(deprecated, [], 'a bundled API version is deprecated: give api-version-deprecated a real positive case');
});

test('certificate-usages is skipped honestly: the CRD enum of usages is exactly the set the webhook knows', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'cert-manager.io', 'v1', 'Certificate.json'), 'utf8')) as {
    properties: { spec: { properties: { usages: { items: { enum: string[] } } } } };
  };
  const enumValues = schema.properties.spec.properties.usages.items.enum;
  assert.deepEqual([...enumValues].sort(), [...KNOWN_USAGES].sort(), 'the schema and the webhook disagree on usages: give certificate-usages a real positive case');
});

for (const rule of RULES) {
  test(`${rule.id}: fires on its positive cases, at the asserted position, and not on its negative cases`, async (t) => {
    const cases = CASES.get(rule.id);
    assert.ok(cases, `no cases for ${rule.id}: add test/semantics/rule-cases/${rule.id}.yaml`);
    // One subtest per case, so that one failing case does not hide the others.
    for (const c of cases.positive) {
      await t.test(caseName(c), { skip: c.skip }, () => {
        const { found } = diagnosticsOf(rule.id, c);
        const mine = found.filter((d) => d.code === rule.id);
        const expected = [...c.at].sort();
        assert.deepEqual(mine.map((d) => d.at).sort(), expected, `${where(c)}: ${rule.id} expected exactly at ${expected.join(', ')}; all diagnostics:${show(found)}`);
        for (const d of mine) assert.equal(d.severity, rule.severity, `${where(c)}: ${rule.id} at ${d.at} has severity ${d.severity}, the registry says ${rule.severity}`);
      });
    }
    for (const c of cases.negative) {
      await t.test(caseName(c), () => {
        const { found, shared } = diagnosticsOf(rule.id, c);
        const mine = found.filter((d) => d.code === rule.id);
        assert.deepEqual(mine, [], `${where(c)}: ${rule.id} must not fire; all diagnostics:${show(found)}`);
        // A correct manifest gets no error or warning from any rule. (In a shared run the
        // cross-resource rules see the other cases' files too, so they are left out there.)
        const noisy = found.filter((d) => (d.severity === 'error' || d.severity === 'warning') && !(shared && CROSS_RULES.has(d.code)));
        assert.deepEqual(noisy, [], `${where(c)}: this correct manifest gets:${show(noisy)}`);
      });
    }
  });
}
