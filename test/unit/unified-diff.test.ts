/**
 * engine/cluster/unified-diff.ts: the hunks `diff -u` prints (checked against
 * GNU diff on the same inputs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from '../../engine/cluster/unified-diff.js';

function gnuDiff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-diff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const r = spawnSync('diff', ['-u', '--label', 'A', '--label', 'B', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i) + '\n').join('');

test('identical texts have no diff', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'A', 'B'), '');
});

test('the same hunks as diff -u: a change, far-apart changes, insertions at both ends, from and to empty', () => {
  const base = lines(30, (i) => `line ${i}`);
  const cases: [string, string][] = [
    [base, base.replace('line 5\n', 'line five\n')],
    [base, base.replace('line 2\n', 'two\n').replace('line 25\n', '').replace('line 14\n', 'line 14\nnew 14b\n')],
    [base, `first\n${base}last\n`],
    ['', base],
    [base, ''],
    [lines(8, (i) => `k${i}: v`), lines(8, (i) => (i % 3 ? `k${i}: v` : `k${i}: w`))],
    ['one\n', 'two\n'],
    ['a\n', 'a\nb\n'],
  ];
  for (const [a, b] of cases) assert.equal(unifiedDiff(a, b, 'A', 'B'), gnuDiff(a, b));
});
