/**
 * The release under test: dist/release/ as `npm run release` writes it. Built
 * at most once per test run: reused while release.json is newer than every
 * file the artifacts are built from, built again otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

export interface Release {
  version: string;
  dir: string;
  /** File names in dir. */
  npmPackage: string;
  extension: string;
  singleExecutable: string;
  changelog: string;
  artifacts: { name: string; bytes: number; sha256: string }[];
  buildMs: Record<string, number>;
}

/** What the artifacts are built from. */
const SOURCES = ['package.json', 'package-lock.json', 'esbuild.config.mjs', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'NOTICE', 'LICENSE', 'client', 'engine', 'server', 'protocol', 'schemas', 'scripts'];
/** A release takes about half a minute here; this is the limit for a busy machine. */
export const RELEASE_BUILD_LIMIT_MS = 10 * 60_000;

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, name)));
  return newest;
}

let checked: Release | undefined;

export function releaseArtifacts(): Release {
  if (checked) return checked;
  const dir = join(ROOT, 'dist', 'release');
  const manifest = join(dir, 'release.json');
  const built = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as Omit<Release, 'dir'>) : undefined;
  const fresh =
    built !== undefined &&
    built.artifacts.every((a) => existsSync(join(dir, a.name))) &&
    statSync(manifest).mtimeMs > Math.max(...SOURCES.map((s) => newestChange(join(ROOT, s))));
  if (!fresh) {
    const r = spawnSync(process.execPath, [join('scripts', 'release.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: RELEASE_BUILD_LIMIT_MS });
    if (r.status !== 0) throw new Error(`npm run release failed (${r.status ?? r.error?.message}):\n${r.stdout}${r.stderr}`);
  }
  checked = { ...(JSON.parse(readFileSync(manifest, 'utf8')) as Omit<Release, 'dir'>), dir };
  return checked;
}

/** The artifact's size in bytes, as release.json recorded it. */
export function artifactBytes(release: Release, name: string): number {
  const a = release.artifacts.find((x) => x.name === name);
  if (!a) throw new Error(`${name} is not in release.json`);
  return a.bytes;
}

/** The median of `runs` timings of fn, in milliseconds. */
export function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const MB = 1_000_000;
