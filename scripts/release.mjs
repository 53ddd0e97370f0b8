// npm run release: every artifact of this version, built from this checkout into dist/release/:
//   certsmith-<version>.tgz               the npm package (CLI and language server; scripts/npm-package.mjs)
//   certsmith-<version>.vsix              the VS Code extension (scripts/package-extension.mjs)
//   certsmith-<version>-<os>-<arch>       the CLI as one executable, no Node.js needed (scripts/single-executable.mjs)
//   CHANGELOG-<version>.md                this version's section of CHANGELOG.md
//   LICENSE, NOTICE, THIRD-PARTY-NOTICES.txt   what the binary carries, for those who download it alone
//   SHA256SUMS                            `sha256sum -c SHA256SUMS` checks them
//   release.json                          the same facts for scripts (sizes, hashes, build times)
// The version is package.json's; the bundles take it from there at build time.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packNpmPackage } from './npm-package.mjs';
import { packageExtension } from './package-extension.mjs';
import { buildSingleExecutable } from './single-executable.mjs';

const OUT = 'dist/release';
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** The `## <version>` section of CHANGELOG.md, heading included. */
function changelogSection() {
  const text = readFileSync('CHANGELOG.md', 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${version}` || l.startsWith(`## ${version} `));
  if (start < 0) throw new Error(`CHANGELOG.md has no "## ${version}" section: write one before releasing ${version}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n').trim() + '\n';
}

const timings = {};
function step(name, fn) {
  const t0 = performance.now();
  const result = fn();
  timings[name] = Math.round(performance.now() - t0);
  return result;
}
async function stepAsync(name, fn) {
  const t0 = performance.now();
  const result = await fn();
  timings[name] = Math.round(performance.now() - t0);
  return result;
}

try {
  const notes = changelogSection();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `CHANGELOG-${version}.md`), notes);

  step('bundles', () => execFileSync(process.execPath, ['esbuild.config.mjs', '--sea'], { stdio: 'inherit' }));
  const tarball = step('npm package', () => packNpmPackage(OUT));
  const vsix = `certsmith-${version}.vsix`;
  await stepAsync('extension', () => packageExtension(join(OUT, vsix)));
  const binary = `certsmith-${version}-${process.platform}-${process.arch}`;
  await stepAsync('single executable', () => buildSingleExecutable(join(OUT, binary)));
  for (const f of ['LICENSE', 'NOTICE']) copyFileSync(f, join(OUT, f));
  copyFileSync('dist/THIRD-PARTY-NOTICES.txt', join(OUT, 'THIRD-PARTY-NOTICES.txt'));

  const artifacts = readdirSync(OUT)
    .filter((f) => f !== 'SHA256SUMS' && f !== 'release.json')
    .sort()
    .map((name) => {
      const data = readFileSync(join(OUT, name));
      return { name, bytes: statSync(join(OUT, name)).size, sha256: createHash('sha256').update(data).digest('hex') };
    });
  writeFileSync(join(OUT, 'SHA256SUMS'), artifacts.map((a) => `${a.sha256}  ${a.name}\n`).join(''));
  const kinds = { npmPackage: tarball, extension: vsix, singleExecutable: binary, changelog: `CHANGELOG-${version}.md` };
  writeFileSync(join(OUT, 'release.json'), JSON.stringify({ version, node: process.version, ...kinds, artifacts, buildMs: timings }, null, 2) + '\n');

  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`\nCertsmith ${version} in ${OUT}/:`);
  for (const a of artifacts) console.log(`  ${a.name.padEnd(44)} ${mb(a.bytes).padStart(9)}  sha256 ${a.sha256.slice(0, 16)}…`);
  console.log(`  built in ${Object.entries(timings).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
} catch (e) {
  console.error(`release: ${e.message}`);
  process.exitCode = 1;
}
