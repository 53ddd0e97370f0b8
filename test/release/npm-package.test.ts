/**
 * The npm package of the release (dist/release/certsmith-<version>.tgz), as a
 * user gets it: `npm install -g` into an empty prefix, offline (it depends on
 * nothing), then `certsmith` from that prefix, run outside this repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { bundleReferences } from './bundle-references.js';
import { lspSession } from './lsp-session.js';
import { artifactBytes, MB, medianMs, RELEASE_BUILD_LIMIT_MS, releaseArtifacts } from './release-artifacts.js';

const LIMIT = { timeout: RELEASE_BUILD_LIMIT_MS + 120_000 };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

/** What the package may hold: bundles (no sources, no maps), the schemas the engine reads, and the papers. */
const ALLOWED = [
  /^package\/(package\.json|README\.md|LICENSE|NOTICE|CHANGELOG\.md)$/,
  /^package\/dist\/[\w-]+\.js$/,
  /^package\/dist\/THIRD-PARTY-NOTICES\.txt$/,
  /^package\/schemas\/index\.json$/,
  /^package\/schemas\/[a-z.-]+\.(io|k8s\.io)\/v\w+\/\w+\.json$/,
  /^package\/schemas\/releases\/(SOURCE\.md|cert-manager\/index\.json|cert-manager\/[a-z.-]+\/v\w+\/\w+\.json)$/,
  /^package\/schemas\/upstream\/[a-z-]+\/(LICENSE|SOURCE\.md)$/,
];

function duBytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + duBytes(join(path, name)), 0);
}

/** An environment with nothing of this repository's: no NODE_PATH, npm's cache and prefix in the test's folder. */
function userEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_') && !k.startsWith('NODE_') && k !== 'INIT_CWD') env[k] = v;
  return { ...env, HOME: dir, npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' };
}

test('the npm tarball: at most 5 MB, only the files the CLI and language server need, a manifest for npm users', LIMIT, (t) => {
  const release = releaseArtifacts();
  const tarball = join(release.dir, release.npmPackage);
  const bytes = artifactBytes(release, release.npmPackage);
  t.diagnostic(`${release.npmPackage}: ${(bytes / MB).toFixed(2)} MB`);
  assert.ok(bytes <= 5 * MB, `${bytes} bytes > 5 MB`);

  const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const files = list.stdout.split('\n').filter(Boolean);
  const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  assert.deepEqual(stray, [], 'files outside the whitelist');
  // What the bundles load from their folder (lazily required bundles, worker threads) is there too.
  const bundles = files.filter((f) => /^package\/dist\/[\w-]+\.js$/.test(f));
  for (const b of bundles) {
    const text = spawnSync('tar', ['-xzOf', tarball, b], { encoding: 'utf8', maxBuffer: 64 * MB }).stdout;
    for (const loaded of bundleReferences(text)) assert.ok(files.includes(`package/dist/${loaded}`), `${b} loads ${loaded}, which the package lacks`);
  }
  for (const needed of ['package/dist/cli.js', 'package/schemas/index.json', 'package/schemas/releases/cert-manager/index.json', 'package/schemas/releases/SOURCE.md', 'package/NOTICE', 'package/LICENSE', 'package/README.md']) {
    assert.ok(files.includes(needed), `${needed} is missing`);
  }

  const manifest = JSON.parse(spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout) as Record<string, unknown>;
  assert.equal(manifest.name, 'certsmith');
  assert.equal(manifest.version, pkg.version);
  assert.equal(manifest.private, undefined, 'publishable');
  assert.deepEqual(manifest.bin, { certsmith: 'dist/cli.js' });
  assert.deepEqual(manifest.engines, { node: pkg.engines.node });
  // The bundles hold every package they use; no install scripts for npm to warn about.
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'scripts', 'contributes', 'main']) {
    assert.equal(manifest[field], undefined, `${field} in the published package.json`);
  }
});

test('npm install -g of the tarball into an empty prefix, offline: at most 10 s and 25 MB; then certsmith works outside this repository', LIMIT, async (t) => {
  const release = releaseArtifacts();
  const home = tempDir(t);
  const prefix = join(home, 'prefix');
  const env = userEnv(home);
  const started = performance.now();
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(release.dir, release.npmPackage)], { cwd: home, env, encoding: 'utf8', timeout: 120_000 });
  const installMs = performance.now() - started;
  assert.equal(install.status, 0, install.stdout + install.stderr);
  assert.doesNotMatch(install.stderr, /install-scripts|deprecated/i, 'npm has nothing to warn about');
  const installed = join(prefix, 'lib', 'node_modules', 'certsmith');
  const bytes = duBytes(installed);
  t.diagnostic(`npm install -g (tarball, offline): ${(installMs / 1000).toFixed(1)} s, installed ${(bytes / MB).toFixed(1)} MB`);
  assert.ok(installMs <= 10_000, `install took ${installMs} ms`);
  assert.ok(bytes <= 25 * MB, `installed size ${bytes} bytes`);
  assert.deepEqual(readdirSync(prefix).sort(), ['bin', 'lib'], 'nothing but the package and its bin');
  assert.deepEqual(readdirSync(join(prefix, 'lib', 'node_modules')), ['certsmith'], 'no other package installed');

  const certsmith = join(prefix, 'bin', 'certsmith');
  const run = (args: string[], cwd = home) => spawnSync(certsmith, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });

  const version = run(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `certsmith ${pkg.version}\n`);
  const versionMs = medianMs(5, () => run(['--version']));
  t.diagnostic(`certsmith --version (installed): median ${Math.round(versionMs)} ms of 5`);
  // The target is 200 ms on a quiet machine; this bound only catches a start-up that went wrong.
  assert.ok(versionMs < 2000, `certsmith --version took ${versionMs} ms`);

  // The examples, copied out of the repository: the same findings as the repository's own build.
  const examples = join(home, 'examples');
  cpSync(join(ROOT, 'examples'), examples, { recursive: true });
  const lint = run(['lint', 'examples'], home);
  const reference = spawnSync(process.execPath, [CLI, 'lint', 'examples'], { cwd: home, encoding: 'utf8' });
  assert.equal(lint.stderr, '');
  assert.equal(lint.status, reference.status);
  assert.equal(lint.stdout, reference.stdout);
  assert.match(lint.stdout, /examples\/mistakes\/common-mistakes\.yaml:20:3: error: Unknown field "spec\.renewbefore"/);

  // Commands whose code is in the lazily loaded bundles.
  for (const [command, usage] of [
    ['apply', 'Usage: certsmith apply'],
    ['status', 'Usage: certsmith status certificate'],
    ['issue', 'Usage: certsmith issue'],
  ]) {
    const help = run([command, '--help']);
    assert.equal(help.status, 0, `${command} --help: ${help.stderr}`);
    assert.ok(help.stdout.startsWith(usage), help.stdout);
  }

  const lsp = await lspSession(certsmith, ['lsp', '--stdio'], env, home);
  assert.deepEqual(lsp.serverInfo, { name: 'certsmith', version: pkg.version });
  assert.ok(lsp.codes.includes('schema-unknown-field'), lsp.codes.join(', '));
});

test('SHA256SUMS holds the right hash of every artifact, and the notes are this version\'s', LIMIT, () => {
  const release = releaseArtifacts();
  const sums = new Map(
    readFileSync(join(release.dir, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const [hash, name] = l.split('  ');
        return [name, hash] as const;
      }),
  );
  for (const name of [release.npmPackage, release.extension, release.singleExecutable, release.changelog, 'NOTICE', 'LICENSE', 'THIRD-PARTY-NOTICES.txt']) {
    assert.equal(sums.get(name), createHash('sha256').update(readFileSync(join(release.dir, name))).digest('hex'), name);
  }
  const notes = readFileSync(join(release.dir, release.changelog), 'utf8');
  assert.ok(notes.startsWith(`## ${pkg.version}\n`), notes.slice(0, 80));
});
