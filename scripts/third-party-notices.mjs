// The npm packages esbuild bundled into dist/, with their licences: written to
// dist/THIRD-PARTY-NOTICES.txt, which ships with every artifact (the bundles
// carry these packages' code, and legalComments: 'none' drops their headers).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package folder of a bundled input (node_modules/a/node_modules/@s/b/x.js → node_modules/a/node_modules/@s/b). */
function packageRoot(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  return input.slice(0, at) + 'node_modules/' + name;
}

function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i.test(f));
  return file ? readFileSync(join(dir, file), 'utf8').trim() : undefined;
}

/** An esbuild plugin that records every bundled input (needs metafile: true), and a writer for the notices. */
export function thirdPartyNotices() {
  const roots = new Set();
  const plugin = {
    name: 'third-party-notices',
    setup(build) {
      build.onEnd((result) => {
        for (const input of Object.keys(result.metafile?.inputs ?? {})) {
          const root = packageRoot(input);
          if (root) roots.add(root);
        }
      });
    },
  };
  function write(outFile) {
    const packages = new Map();
    for (const root of roots) {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      packages.set(`${manifest.name}@${manifest.version}`, { manifest, text: licenceText(root) });
    }
    const sections = [...packages.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, { manifest, text }]) => {
        const licence = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'not stated');
        const repo = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
        const head = [`${id}`, `License: ${licence}`, ...(repo ? [`Repository: ${repo}`] : [])].join('\n');
        return `${head}\n\n${text ?? '(The npm package holds no licence file; its package.json states the licence above.)'}`;
      });
    const rule = '\n\n' + '-'.repeat(72) + '\n\n';
    writeFileSync(
      outFile,
      `Third-party software bundled into Certsmith's dist/ files (${packages.size} npm packages).\n` +
        'Certsmith itself: see LICENSE and NOTICE.' +
        rule +
        sections.join(rule) +
        '\n',
    );
  }
  return { plugin, write };
}
