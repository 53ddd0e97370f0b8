/**
 * The pre-commit hook (.pre-commit-hooks.yaml) through the real `pre-commit`
 * (Debian's package): installed from a git repository that holds this
 * checkout's files (committed or not, as a clone of the result would have
 * them), then run on a repository with the examples' mistakes.
 *
 * Installing runs what pre-commit runs for `language: node`: npm install in its
 * clone (dependencies from the npm registry or its cache; the postinstall
 * script builds dist/), npm pack, npm install --global. That takes a minute or
 * two, so each test has a generous limit, and reports how long it took.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const INSTALL_LIMIT_MS = 15 * 60_000;

/** Git and pre-commit without the user's configuration, hooks or signing, and without a surrounding repository's variables. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('PRE_COMMIT')) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Certsmith test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Certsmith test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    PRE_COMMIT_HOME: home,
    PRE_COMMIT_COLOR: 'never',
  };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 60_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) assert.fail(`${cmd} ${args.join(' ')}: ${r.error.message}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r;
}

function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = run('git', args, cwd, env);
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function preCommitMissing(): string | undefined {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'pre-commit is not installed (Debian package pre-commit; npm run setup installs it)';
  return undefined;
}

/**
 * A git repository with this checkout's files as they are on disk: tracked and
 * untracked ones that git does not ignore, one commit. On a clean clone (CI)
 * that is HEAD; locally it includes work not yet committed.
 */
function hookRepository(t: TestContext, env: NodeJS.ProcessEnv): { dir: string; rev: string } {
  const dir = join(tempDir(t), 'certsmith');
  const list = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT, env);
  assert.equal(list.status, 0, `this checkout is not a git work tree: ${list.stderr}`);
  for (const file of list.stdout.split('\0').filter(Boolean)) {
    const from = join(ROOT, file);
    // Deleted but not yet committed, or not a regular file (a submodule, a link to a folder).
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(from, join(dir, file));
  }
  git(['init', '-q'], dir, env);
  git(['add', '-A'], dir, env);
  git(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', 'certsmith under test'], dir, env);
  return { dir, rev: git(['rev-parse', 'HEAD'], dir, env) };
}

/** A user's repository: manifests under deploy/, the mistakes among them unless `clean`. */
function userRepository(t: TestContext, env: NodeJS.ProcessEnv, files: string[]): string {
  const dir = join(tempDir(t), 'user');
  mkdirSync(join(dir, 'deploy'), { recursive: true });
  for (const f of files) copyFileSync(join(ROOT, 'examples', f), join(dir, 'deploy', f.split('/').pop()!));
  // A YAML file that is not a manifest: the hook gets it too and passes it.
  writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 2\nimage:\n  tag: "1.2"\n');
  git(['init', '-q'], dir, env);
  return dir;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const MISTAKES = 'mistakes/common-mistakes.yaml';
const CLEAN = ['certificates.yaml', 'selfsigned-ca.yaml', 'letsencrypt-clusterissuers.yaml'];

test('.pre-commit-hooks.yaml: the hooks run `certsmith lint` with language node on YAML files, all files in one run', () => {
  const hooks = parseYaml(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    types: string[];
    require_serial?: boolean;
    pass_filenames?: boolean;
  }[];
  assert.deepEqual(
    hooks.map((h) => h.id),
    ['certsmith', 'certsmith-all'],
  );
  for (const h of hooks) {
    assert.equal(h.language, 'node');
    assert.match(h.entry, /^certsmith lint\b/);
    assert.deepEqual(h.types, ['yaml']);
    assert.equal(h.require_serial, true, `${h.id}: one run sees all files (checks across files)`);
  }
  assert.equal(hooks[1].pass_filenames, false);
  // What pre-commit installs: the bin it runs, and no script that writes to `npm pack`'s output.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  assert.equal(pkg.bin.certsmith, 'dist/cli.js');
  for (const s of ['prepare', 'prepack', 'postpack']) {
    assert.equal(pkg.scripts[s], undefined, `a "${s}" script prints on npm pack's standard output, which pre-commit takes as the package's file name`);
  }
});

test('pre-commit try-repo: the hook installs from a local clone and reports the mistakes in the examples (exit 1)', { timeout: INSTALL_LIMIT_MS + 60_000 }, (t) => {
  const missing = preCommitMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const env = cleanEnv(join(tempDir(t), 'pre-commit-home'));
  const hook = hookRepository(t, env);
  const user = userRepository(t, env, [MISTAKES, ...CLEAN]);
  git(['add', '-A'], user, env);
  const started = Date.now();
  const r = run('pre-commit', ['try-repo', hook.dir, 'certsmith', '--ref', hook.rev, '--all-files'], user, env, INSTALL_LIMIT_MS);
  const elapsed = Date.now() - started;
  t.diagnostic(`pre-commit try-repo (install and run): ${seconds(elapsed)}`);
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, /certsmith lint\.+Failed/);
  assert.match(out, /- exit code: 1/);
  for (const line of [
    'deploy/common-mistakes.yaml:3:13: error: cert-manager.io/v1alpha2 is no longer served',
    'deploy/common-mistakes.yaml:20:3: error: Unknown field "spec.renewbefore"',
    'deploy/common-mistakes.yaml:23:16: error: Unsupported value "EC"',
  ]) {
    assert.ok(out.includes(line), `${line}\n---\n${out}`);
  }
  assert.match(out, /\d+ files checked: 7 errors, \d+ warnings?\./);
  assert.doesNotMatch(out, /An unexpected error has occurred/);
});

test('pre-commit run --all-files with the three-line configuration: fails on the mistakes, passes once they are gone', { timeout: INSTALL_LIMIT_MS + 120_000 }, (t) => {
  const missing = preCommitMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const env = cleanEnv(join(tempDir(t), 'pre-commit-home'));
  const hook = hookRepository(t, env);
  const user = userRepository(t, env, [MISTAKES, ...CLEAN]);
  // What docs/ci.md tells users to write, with the clone's path for the URL.
  writeFileSync(join(user, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hook.dir}\n    rev: ${hook.rev}\n    hooks: [{ id: certsmith }]\n`);
  git(['add', '-A'], user, env);

  let started = Date.now();
  const first = run('pre-commit', ['run', '--all-files'], user, env, INSTALL_LIMIT_MS);
  t.diagnostic(`pre-commit run --all-files, first (installs the hook): ${seconds(Date.now() - started)}`);
  const out = first.stdout + first.stderr;
  assert.equal(first.status, 1, out);
  assert.match(out, /certsmith lint\.+Failed/);
  assert.ok(out.includes('deploy/common-mistakes.yaml:16:9: error: metadata.name "Shop_Example" is not a valid Certificate name'), out);

  // The mistakes fixed (here: removed): the hook passes, and runs from its installed environment.
  git(['rm', '-q', '-f', 'deploy/common-mistakes.yaml'], user, env);
  started = Date.now();
  const second = run('pre-commit', ['run', '--all-files'], user, env, 120_000);
  t.diagnostic(`pre-commit run --all-files, hook installed: ${seconds(Date.now() - started)}`);
  assert.equal(second.status, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /certsmith lint\.+Passed/);
  assert.doesNotMatch(second.stdout, /Installing environment/);
});
