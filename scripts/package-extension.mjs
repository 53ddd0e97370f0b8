// Packages the VS Code extension with vsce (after `npm run build`):
//   node scripts/package-extension.mjs OUT.vsix
//
// .vscodeignore says which files go in. package.json's "files" is the npm
// package's list, and vsce refuses to package beside both, so the files vsce
// lists (`vsce ls`, by .vscodeignore) are copied into dist/extension-package/
// with package.json minus "files" and "scripts" (npm's, not the editor's),
// and packaged there.
//
// The Marketplace and Open VSX page is client/README.md, written for users of
// the extension (the repository's README.md is the project's). Its links are
// relative to client/, so vsce turns them into the repository's URLs under
// client/ (images under raw/, pages under blob/), where GitHub resolves them too.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVSIX, listFiles, PackageManager } from '@vscode/vsce';

const README = 'client/README.md';
const STAGE = 'dist/extension-package';

/** The files of the .vsix, as `vsce ls` lists them from .vscodeignore. */
export async function extensionFiles() {
  return listFiles({ cwd: process.cwd(), packageManager: PackageManager.None, readmePath: README });
}

/** Packages the extension into `out`, with vsce's checks of the manifest, the page and the files. */
export async function packageExtension(out) {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  const files = await extensionFiles();
  rmSync(STAGE, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(STAGE, f)), { recursive: true });
    copyFileSync(f, join(STAGE, f));
  }
  delete manifest.files;
  delete manifest.scripts;
  writeFileSync(join(STAGE, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  copyFileSync('.vscodeignore', join(STAGE, '.vscodeignore'));
  await createVSIX({
    cwd: STAGE,
    packagePath: resolve(out),
    // The bundles hold every dependency: no node_modules in the package.
    dependencies: false,
    readmePath: README,
    baseContentUrl: `${repository}/blob/HEAD/${dirname(README)}`,
    baseImagesUrl: `${repository}/raw/HEAD/${dirname(README)}`,
  });
  rmSync(STAGE, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/package-extension.mjs OUT.vsix');
    process.exit(2);
  }
  try {
    await packageExtension(out);
  } catch (e) {
    console.error(`package-extension: ${e.message}`);
    process.exitCode = 1;
  }
}
