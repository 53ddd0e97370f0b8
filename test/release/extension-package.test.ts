/**
 * The .vsix of the release, as the Marketplace and Open VSX would take it: the
 * files in it, the manifest's metadata, and the page (client/README.md) whose
 * links vsce rewrote into this repository's URLs. Installing it into a real
 * editor is the end-to-end suite's part (test/e2e, code-server).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { bundleReferences } from './bundle-references.js';
import { artifactBytes, MB, RELEASE_BUILD_LIMIT_MS, releaseArtifacts } from './release-artifacts.js';
import { ZipArchive } from './zip-entries.js';

const LIMIT = { timeout: RELEASE_BUILD_LIMIT_MS + 60_000 };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; repository: { url: string } };
const REPOSITORY = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** What the extension needs at run time and what the Marketplace shows; vsce adds its two manifest files. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|NOTICE)$/,
  /^extension\/dist\/[\w-]+\.js$/,
  /^extension\/dist\/THIRD-PARTY-NOTICES\.txt$/,
  /^extension\/client\/media\/icon\.png$/,
  /^extension\/schemas\/index\.json$/,
  /^extension\/schemas\/[a-z.-]+\.(io|k8s\.io)\/v\w+\/\w+\.json$/,
  /^extension\/schemas\/releases\/(SOURCE\.md|cert-manager\/index\.json|cert-manager\/[a-z.-]+\/v\w+\/\w+\.json)$/,
  /^extension\/schemas\/upstream\/[a-z-]+\/(LICENSE|SOURCE\.md)$/,
];

function vsix(): ZipArchive {
  const release = releaseArtifacts();
  return new ZipArchive(join(release.dir, release.extension));
}

test('the .vsix holds the bundles, the schemas, the page and the licences; no stray file', LIMIT, (t) => {
  const release = releaseArtifacts();
  t.diagnostic(`${release.extension}: ${(artifactBytes(release, release.extension) / MB).toFixed(2)} MB`);
  const archive = vsix();
  const names = archive.names();
  assert.deepEqual(
    names.filter((n) => !ALLOWED.some((re) => re.test(n))),
    [],
    'files outside the list',
  );
  // What the bundles load from their folder (lazily required bundles, worker threads) is there too.
  for (const b of names.filter((n) => /^extension\/dist\/[\w-]+\.js$/.test(n))) {
    for (const loaded of bundleReferences(archive.text(b))) assert.ok(names.includes(`extension/dist/${loaded}`), `${b} loads ${loaded}, which the .vsix lacks`);
  }
  for (const needed of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/schemas/index.json', 'extension/schemas/releases/cert-manager/index.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/NOTICE', 'extension/client/media/icon.png']) {
    assert.ok(names.includes(needed), `${needed} is missing`);
  }
});

test('the .vsix manifest has the Marketplace metadata, the version of package.json, and no npm-only fields', LIMIT, () => {
  const manifest = JSON.parse(vsix().text('extension/package.json')) as Record<string, any>;
  assert.equal(manifest.version, pkg.version);
  assert.equal(manifest.publisher, 'certsmith');
  assert.equal(manifest.license, 'Apache-2.0');
  assert.equal(manifest.repository.url, pkg.repository.url);
  assert.match(manifest.homepage, /^https:\/\//);
  assert.match(manifest.bugs.url, /^https:\/\//);
  assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
  assert.ok(manifest.categories.includes('Linters'));
  assert.ok(manifest.keywords.includes('cert-manager'));
  assert.ok(manifest.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  assert.equal(manifest.icon, 'client/media/icon.png');
  assert.equal(manifest.files, undefined);
  assert.equal(manifest.scripts, undefined);
  const vsixManifest = vsix().text('extension.vsixmanifest');
  assert.match(vsixManifest, /<Identity Language="en-US" Id="certsmith" Version="[^"]+" Publisher="certsmith"/);
  assert.ok(vsixManifest.includes('Microsoft.VisualStudio.Services.Content.Details'), 'a details page');
  assert.ok(vsixManifest.includes('Microsoft.VisualStudio.Services.Content.Changelog'), 'a changelog');
  assert.ok(vsixManifest.includes('Microsoft.VisualStudio.Services.Content.License'), 'a licence');
});

test("the .vsix page is client/README.md, its images https URLs of this repository's screenshots and its links pages that exist", LIMIT, () => {
  const page = vsix().text('extension/readme.md');
  assert.ok(page.startsWith('# Certsmith for VS Code'), page.slice(0, 80));
  const images = [...page.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 5, `${images.length} images`);
  const links = [...page.matchAll(/(?<!!)\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]).filter((l) => l.startsWith(REPOSITORY));
  for (const [url, kind] of [...images.map((u) => [u, 'raw'] as const), ...links.map((u) => [u, 'blob'] as const)]) {
    // As a browser resolves it (client/../docs/... is docs/...).
    const resolved = new URL(url).href;
    const prefix = `${REPOSITORY}/${kind}/HEAD/`;
    assert.ok(resolved.startsWith(prefix), `${url} is not under ${prefix}`);
    const path = decodeURIComponent(resolved.slice(prefix.length).split('#')[0]);
    assert.ok(existsSync(join(ROOT, path)), `${url}: ${path} is not in this repository`);
    if (kind === 'raw') assert.match(path, /\.png$/, 'the Marketplace shows no SVG');
  }
});
