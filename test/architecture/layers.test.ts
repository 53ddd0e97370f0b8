/**
 * The folders depend on each other only as .dependency-cruiser.cjs allows
 * (engine capabilities downward, no cycles, the engine free of editor and LSP
 * code, server/ and client/ apart), checked by dependency-cruiser on the real
 * tree; and the check really fails when an arrow goes the wrong way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, paths: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, ...paths, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('engine, server, client and protocol follow the allowed arrows, with no cycle', () => {
  const r = cruise(ROOT, ['engine', 'server', 'client', 'protocol']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /no dependency violations found/);
});

test('an import against the layers, a cycle, or the engine reaching for the server fails the check', (t) => {
  const dir = tempDir(t);
  const file = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowImportingTsExtensions: true, noEmit: true } }));
  file('engine/core/values.ts', "import { RULES } from '../rules/registry.js';\nexport const n = RULES.length;\n");
  file('engine/rules/registry.ts', "import { n } from '../core/values.js';\nexport const RULES = [n];\n");
  file('engine/dns/client.ts', "import { serve } from '../../server/lsp/main.js';\nexport const s = serve;\n");
  file('server/lsp/main.ts', 'export const serve = 1;\n');
  const r = cruise(dir, ['engine', 'server']);
  assert.notEqual(r.status, 0, r.out);
  assert.match(r.out, /engine-core-layer: engine\/core\/values\.ts → engine\/rules\/registry\.ts/);
  assert.match(r.out, /no-circular: engine\/core\/values\.ts → /);
  assert.match(r.out, /engine-knows-no-editor: engine\/dns\/client\.ts → server\/lsp\/main\.ts/);
});
