// The npm package of a release (after `npm run build`): the files package.json's
// "files" selects, as `npm pack` lists them, with a manifest written for npm
// users. The repository's package.json is also the extension's manifest and
// the development one: its contributes, devDependencies and scripts (among
// them the postinstall that builds dist/ in a git clone, for pre-commit) have
// no business in the published package, where npm would warn about the
// install script. So the files are copied into dist/npm-package/ beside the
// trimmed manifest, and packed there.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const STAGE = 'dist/npm-package';
/** What npm users see of package.json; everything else is the extension's or the developers'. */
const PUBLISHED_FIELDS = ['name', 'version', 'description', 'keywords', 'license', 'repository', 'homepage', 'bugs', 'bin', 'files', 'engines'];

/** The files the package holds, as `npm pack` selects them from package.json "files" (package.json itself included). */
export function npmPackageFiles() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
  return JSON.parse(out)[0].files.map((f) => f.path);
}

/** The published manifest: package.json's npm fields, Node.js as the only engine, no dependencies (the bundles hold them). */
export function publishedManifest(manifest) {
  const out = {};
  for (const k of PUBLISHED_FIELDS) if (manifest[k] !== undefined) out[k] = manifest[k];
  out.engines = { node: manifest.engines.node };
  return out;
}

/** Packs the npm package into `outDir`; returns the tarball's file name. */
export function packNpmPackage(outDir) {
  rmSync(STAGE, { recursive: true, force: true });
  for (const f of npmPackageFiles()) {
    mkdirSync(dirname(join(STAGE, f)), { recursive: true });
    copyFileSync(f, join(STAGE, f));
  }
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  writeFileSync(join(STAGE, 'package.json'), JSON.stringify(publishedManifest(manifest), null, 2) + '\n');
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', resolve(outDir)], { cwd: STAGE, encoding: 'utf8' });
  rmSync(STAGE, { recursive: true, force: true });
  return JSON.parse(out)[0].filename;
}
