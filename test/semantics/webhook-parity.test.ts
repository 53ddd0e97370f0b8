/**
 * cert-manager's own validation test tables (ported to whole v1 manifests in
 * test/semantics/webhook-tables/*.yaml) run against Certsmith's rules: every
 * case must get the same verdict — the same field paths with the same error
 * types (and the same detail text where the table gives one) — and whatever
 * the CRD schema also rejects must be reported by the schema rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkDocument } from '../../engine/rules/check-document.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { webhookErrors } from '../../engine/rules/webhook/check-webhook.js';
import { ROOT } from '../support/cli.js';

interface ExpectedError {
  path: string;
  type: string;
  message?: string;
}

interface TableCase {
  name: string;
  manifest?: string;
  errors?: ExpectedError[];
  warnings?: string[];
  schemaErrors?: string[];
  skip?: string;
}

const TABLES = join(ROOT, 'test', 'semantics', 'webhook-tables');
const store = schemaStore();

function key(e: { path: string; type: string }): string {
  return `${e.path} | ${e.type}`;
}

const files = existsSync(TABLES) ? readdirSync(TABLES).filter((f) => f.endsWith('.yaml')).sort() : [];

test('the ported cert-manager test tables are present', () => {
  assert.ok(files.includes('certificate.yaml'), 'test/semantics/webhook-tables/certificate.yaml is missing');
});

for (const file of files) {
  const table = parse(readFileSync(join(TABLES, file), 'utf8')) as { cases: TableCase[] };
  for (const c of table.cases ?? []) {
    test(`${file}: ${c.name}`, { skip: c.skip ? `not expressible as a v1 manifest: ${c.skip}` : false }, () => {
      const checked = checkDocument(c.manifest!, store);
      const objects = checked.parsed().objects;
      assert.equal(objects.length, 1, 'the case holds one object');
      const raw = webhookErrors(objects[0]);

      const got = raw.filter((e) => !e.warning);
      const expected = c.errors ?? [];
      assert.deepEqual(
        [...new Set(got.map(key))].sort(),
        [...new Set(expected.map(key))].sort(),
        `field errors differ.\ngot:\n${got.map((e) => `  ${key(e)}: ${e.detail}`).join('\n')}\nexpected:\n${expected.map((e) => `  ${key(e)}: ${e.message ?? ''}`).join('\n')}`,
      );
      for (const e of expected) {
        if (!e.message) continue;
        const same = got.find((g) => key(g) === key(e) && g.detail === e.message);
        assert.ok(same, `detail for ${key(e)}: expected "${e.message}", got ${JSON.stringify(got.filter((g) => key(g) === key(e)).map((g) => g.detail))}`);
      }
      assert.deepEqual(
        raw.filter((e) => e.warning).map((e) => e.detail).sort(),
        [...(c.warnings ?? [])].sort(),
        'webhook warnings differ',
      );

      // What the CRD schema also rejects is reported by the schema rules, at or under that path.
      const schemaPaths = checked.diagnostics.filter((d) => d.code.startsWith('schema-') && d.severity === 'error').map((d) => d.path ?? '');
      for (const p of c.schemaErrors ?? []) {
        assert.ok(
          schemaPaths.some((sp) => sp === p || sp.startsWith(`${p}.`) || sp.startsWith(`${p}[`) || p.startsWith(`${sp}.`)),
          `the schema should reject ${p}; schema errors: ${JSON.stringify(schemaPaths)}`,
        );
      }
    });
  }
}
