/**
 * The single-file executable of the release (certsmith-<version>-<os>-<arch>),
 * run as on a CI image without Node.js: its absolute path, a PATH that holds
 * nothing, the executable copied alone into a folder outside this repository
 * (so no schemas/ folder is anywhere above it).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT } from '../support/cli.js';
import { lspSession } from './lsp-session.js';
import { artifactBytes, MB, medianMs, RELEASE_BUILD_LIMIT_MS, releaseArtifacts } from './release-artifacts.js';

const LIMIT = { timeout: RELEASE_BUILD_LIMIT_MS + 120_000 };
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The executable alone in a fresh folder under the system's temporary folder, and an environment without Node.js. */
function installed(t: TestContext): { exe: string; dir: string; env: NodeJS.ProcessEnv } {
  const release = releaseArtifacts();
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-sea-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const exe = join(dir, 'bin', 'certsmith');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'empty-path'));
  copyFileSync(join(release.dir, release.singleExecutable), exe);
  return { exe, dir, env: { PATH: join(dir, 'empty-path'), HOME: dir, LANG: 'C.UTF-8' } };
}

test('the single executable runs without Node.js on PATH: --version', LIMIT, (t) => {
  const release = releaseArtifacts();
  const bytes = artifactBytes(release, release.singleExecutable);
  t.diagnostic(`${release.singleExecutable}: ${(bytes / MB).toFixed(1)} MB`);
  const { exe, dir, env } = installed(t);
  assert.equal(spawnSync('node', ['--version'], { env }).error?.message.includes('ENOENT'), true, 'node is not on this PATH');
  const r = spawnSync(exe, ['--version'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `certsmith ${version}\n`);
  // No warning of Node's about the executable (an experimental feature, a require() it cannot serve).
  assert.equal(r.stderr, '');
  const ms = medianMs(5, () => spawnSync(exe, ['--version'], { cwd: dir, env }));
  t.diagnostic(`single executable --version: median ${Math.round(ms)} ms of 5`);
  assert.ok(ms < 2000, `--version took ${ms} ms`);
});

test('the single executable lints the examples with its own schemas, as the npm package does', LIMIT, (t) => {
  const { exe, dir, env } = installed(t);
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  const lint = spawnSync(exe, ['lint', 'examples'], { cwd: dir, env, encoding: 'utf8' });
  const reference = spawnSync(process.execPath, [CLI, 'lint', 'examples'], { cwd: dir, encoding: 'utf8' });
  assert.equal(lint.stderr, '');
  assert.equal(lint.status, reference.status);
  assert.equal(lint.stdout, reference.stdout);
  assert.match(lint.stdout, /examples\/mistakes\/common-mistakes\.yaml:23:16: error: Unsupported value "EC"/);
  // A cert-manager release of the per-release store (schemas/releases/) answers too.
  const old = spawnSync(exe, ['lint', '--cert-manager-version', '1.14', 'examples'], { cwd: dir, env, encoding: 'utf8' });
  const oldReference = spawnSync(process.execPath, [CLI, 'lint', '--cert-manager-version', '1.14', 'examples'], { cwd: dir, encoding: 'utf8' });
  assert.equal(old.stdout, oldReference.stdout, old.stderr);
  assert.equal(old.status, oldReference.status);
});

test('the single executable holds the lazily loaded commands and the language server', LIMIT, async (t) => {
  const { exe, dir, env } = installed(t);
  for (const [command, usage] of [
    ['apply', 'Usage: certsmith apply'],
    ['status', 'Usage: certsmith status certificate'],
    ['issue', 'Usage: certsmith issue'],
  ]) {
    const help = spawnSync(exe, [command, '--help'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(help.status, 0, `${command} --help: ${help.stderr}`);
    assert.ok(help.stdout.startsWith(usage), help.stdout);
    assert.equal(help.stderr, '');
  }
  const lsp = await lspSession(exe, ['lsp', '--stdio'], env, dir);
  assert.deepEqual(lsp.serverInfo, { name: 'certsmith', version });
  assert.ok(lsp.codes.includes('schema-unknown-field'), lsp.codes.join(', '));
  assert.equal(lsp.stderr, '');
});
