/**
 * NOTICE names what the schemas come from as their SOURCE.md files record it:
 * when a schema source moves (another commit, another release), NOTICE must
 * move with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

const notice = readFileSync(join(ROOT, 'NOTICE'), 'utf8').replace(/\s+/g, ' ');

test('NOTICE names the cert-manager commit of schemas/upstream/cert-manager/SOURCE.md', () => {
  const source = readFileSync(join(ROOT, 'schemas', 'upstream', 'cert-manager', 'SOURCE.md'), 'utf8');
  const commit = /commit\s+`([0-9a-f]{40})`/.exec(source)?.[1];
  assert.ok(commit, 'SOURCE.md names a commit');
  assert.ok(notice.includes(commit), `NOTICE does not name ${commit}`);
});

test('NOTICE names every cert-manager release of schemas/releases/SOURCE.md', () => {
  const source = readFileSync(join(ROOT, 'schemas', 'releases', 'SOURCE.md'), 'utf8');
  const versions = [...source.matchAll(/^\| v\d+\.\d+ \| (v\d+\.\d+\.\d+) \|/gm)].map((m) => m[1]);
  assert.ok(versions.length > 0, 'SOURCE.md lists releases');
  for (const v of versions) assert.ok(notice.includes(v), `NOTICE does not name ${v}`);
});

test('NOTICE names the Kubernetes version of the networking OpenAPI document and every upstream licence', () => {
  const source = readFileSync(join(ROOT, 'schemas', 'upstream', 'kubernetes', 'SOURCE.md'), 'utf8');
  const version = /kube-apiserver (v\d+\.\d+\.\d+)/.exec(source)?.[1];
  assert.ok(version);
  assert.ok(notice.includes(`kube-apiserver ${version}`));
  for (const project of ['cert-manager', 'gateway-api', 'kubernetes']) {
    assert.ok(notice.includes(`schemas/upstream/${project}/`), project);
    assert.match(readFileSync(join(ROOT, 'schemas', 'upstream', project, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  }
  assert.ok(notice.includes('Apache License, Version 2.0'));
});
