/**
 * `certsmith lint` on many files: worker threads (--jobs) and the content
 * cache (--cache) give exactly the report one thread gives, file by file and
 * across files; a file changed since the cache was filled is checked again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { gitopsFile } from '../bench/generate-gitops.js';

/** 400 GitOps files (enough for worker threads), a few with mistakes found in the file and across files. */
function writeTree(dir: string): void {
  for (let i = 0; i < 400; i++) {
    const { rel } = gitopsFile(i);
    let { text } = gitopsFile(i);
    if (i === 5) text = text.replace('    name: letsencrypt\n', '    name: lets-encrypt\n'); // issuer-not-found
    if (i === 9) text = text.replace(/secretName: app-009-internal-tls/, 'secretName: app-009-tls'); // secret-name-conflict
    if (i === 13) text = text.replace('algorithm: RSA', 'algorithm: RSB'); // schema-enum
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  writeFileSync(join(dir, 'ci.yaml'), 'name: CI\non: push\n'); // not a manifest: left out
}

const lint = (dir: string, ...args: string[]) => {
  const r = runCli(['lint', '--format', 'json', ...args, 'tree'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(r.status, 1, r.stderr);
  return r.stdout;
};

test('--jobs and --cache give the same report as one thread; a changed file is checked again', { timeout: 300_000 }, (t) => {
  const dir = tempDir(t);
  writeTree(join(dir, 'tree'));
  const one = lint(dir, '--jobs', '1');
  const report = JSON.parse(one) as { files: { path: string; diagnostics: { code: string }[] }[]; summary: { errors: number } };
  assert.equal(report.files.length, 400);
  const codes = report.files.flatMap((f) => f.diagnostics.map((d) => d.code));
  for (const code of ['issuer-not-found', 'secret-name-conflict', 'schema-enum']) assert.ok(codes.includes(code), `${code} in ${[...new Set(codes)].join(', ')}`);

  assert.equal(lint(dir), one, 'default');
  assert.equal(lint(dir, '--jobs', '2'), one, '--jobs 2');
  assert.equal(lint(dir, '--jobs', '3'), one, '--jobs 3');
  const cache = join(dir, 'cache');
  assert.equal(lint(dir, '--cache', 'cache'), one, '--cache, empty');
  assert.ok(existsSync(join(cache, 'certsmith-lint-cache.json')));
  assert.equal(lint(dir, '--cache', 'cache'), one, '--cache, filled');

  // A file changed since: its new mistake is found, the rest comes from the cache.
  const changed = join(dir, 'tree', gitopsFile(20).rel);
  writeFileSync(changed, readFileSync(changed, 'utf8').replace('pathType: Prefix', 'pathType: Prefixed'));
  const fresh = lint(dir, '--jobs', '1');
  assert.notEqual(fresh, one);
  assert.equal(lint(dir, '--cache', 'cache'), fresh);
});

test('--jobs and --cache are checked; an unreadable cache is ignored with a warning', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: a\nspec:\n  selfSigned: {}\n');
  for (const jobs of ['0', 'two']) {
    const r = runCli(['lint', '--jobs', jobs, 'a.yaml'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--jobs must be a positive number of threads/);
  }
  mkdirSync(join(dir, 'cache'));
  writeFileSync(join(dir, 'cache', 'certsmith-lint-cache.json'), '{not json');
  const r = runCli(['lint', '--cache', 'cache', 'a.yaml'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /--cache: ignoring .*certsmith-lint-cache\.json, which cannot be read/);
  assert.match(r.stdout, /1 file checked: 0 errors/);
});
