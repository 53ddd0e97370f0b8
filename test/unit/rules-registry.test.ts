import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../engine/rules/registry.js';
import { renderRulesMarkdown } from '../../engine/rules/rules-doc.js';
import { ROOT } from '../support/cli.js';

test('rule ids are unique, kebab-case, and each has a message, severity and https docs link', () => {
  const ids = new Set<string>();
  for (const r of RULES) {
    assert.match(r.id, /^[a-z]+(-[a-z0-9]+)+$/, r.id);
    assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
    ids.add(r.id);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(r.severity));
    assert.match(r.docs, /^https:\/\//, r.id);
    assert.ok(r.title.length > 5 && r.description.length > 20 && r.example.length > 0, r.id);
  }
});

test('docs/rules.md is generated from the registry and up to date (npm run rules:docs)', () => {
  const onDisk = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
  assert.equal(onDisk, renderRulesMarkdown());
});
