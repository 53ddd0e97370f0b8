// The single-file executable of the CLI: Node's single executable applications
// (SEA) with postject. Node 20 runs one CommonJS script in it, whose require()
// loads built-in modules only, and carries assets (node:sea getAsset, Node
// 20.12+). So the CLI is bundled once more with every lazily loaded bundle
// inlined (server/cli/single-executable.ts), and the schemas become assets.
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The bundles the CLI loads with require() on first use, by the name it requires them with, and their sources. */
const LAZY_BUNDLES = {
  './cluster-commands.js': 'server/cli/cluster-commands.ts',
  './more-commands.js': 'server/cli/more-commands.ts',
  './lsp-command.js': 'server/cli/lsp-command.ts',
  './lsp-cluster.js': 'server/lsp/lsp-cluster.ts',
  './lsp-actions.js': 'server/lsp/lsp-actions.ts',
};
/** Optional native helpers of ws: it runs without them, but a require() of them in a SEA prints a warning. */
const ABSENT = ['bufferutil', 'utf-8-validate'];
/** Node's marker for where the blob goes (its SEA documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const SCHEMA_LIST_ASSET = 'schemas.list.json';

/** esbuild options for the executable's one script (dist/sea/certsmith.cjs). */
export function singleExecutableBundle(common) {
  return {
    ...common,
    entryPoints: ['server/cli/single-executable.ts'],
    outfile: 'dist/sea/certsmith.cjs',
    sourcemap: false,
    metafile: true,
    plugins: [
      ...(common.plugins ?? []),
      {
        name: 'single-executable',
        setup(build) {
          build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => (LAZY_BUNDLES[args.path] ? { path: join(process.cwd(), LAZY_BUNDLES[args.path]) } : undefined));
          build.onResolve({ filter: new RegExp(`^(${ABSENT.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'absent' }));
          build.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({ contents: `throw new Error(${JSON.stringify(`${args.path} is not in the single executable`)});` }));
          build.onEnd((result) => {
            if (result.errors.length) return;
            const text = readFileSync('dist/sea/certsmith.cjs', 'utf8');
            const outside = [...text.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]).filter((n) => !n.startsWith('node:') && !builtinModules.includes(n));
            if (outside.length) {
              // A new lazily loaded bundle belongs in LAZY_BUNDLES; anything else must be bundled.
              throw new Error(`dist/sea/certsmith.cjs still requires ${[...new Set(outside)].join(', ')}: the single executable can load built-in modules only (scripts/single-executable.mjs)`);
            }
          });
        },
      },
    ],
  };
}

/** The schema files the engine reads at run time: every JSON file under schemas/ except the upstream sources. */
export function embeddedSchemaFiles(root = 'schemas') {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (relative(root, p) !== 'upstream') walk(p);
      } else if (name.endsWith('.json')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/**
 * Builds the executable at `out` from the bundle (dist/sea/certsmith.cjs) and
 * the Node binary running this script; returns its size in bytes.
 */
export async function buildSingleExecutable(out) {
  const work = 'dist/sea';
  mkdirSync(work, { recursive: true });
  const schemaFiles = embeddedSchemaFiles();
  writeFileSync(join(work, SCHEMA_LIST_ASSET), JSON.stringify(schemaFiles));
  const assets = { [SCHEMA_LIST_ASSET]: join(work, SCHEMA_LIST_ASSET) };
  for (const f of schemaFiles) assets[f] = join('schemas', f);
  const config = {
    main: join(work, 'certsmith.cjs'),
    output: join(work, 'certsmith.blob'),
    disableExperimentalSEAWarning: true,
    // V8's compiled code goes into the blob: start-up skips parsing the bundle.
    useCodeCache: true,
    assets,
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config, null, 2));
  const blob = spawnSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { encoding: 'utf8' });
  if (blob.status !== 0) throw new Error(`node --experimental-sea-config failed:\n${blob.stdout}${blob.stderr}`);

  const node = readFileSync(process.execPath);
  if (!node.includes(SEA_FUSE)) {
    throw new Error(`${process.execPath} has no single-executable fuse (${SEA_FUSE}): build with an official Node.js 20.12+ binary`);
  }
  rmSync(out, { force: true });
  copyFileSync(process.execPath, out);
  chmodSync(out, 0o755);
  // Node's symbols and debug information (about 12 MB of the 99 MB binary) serve no one running the CLI.
  const strip = spawnSync('strip', ['--strip-all', out], { encoding: 'utf8' });
  if (strip.error || strip.status !== 0) console.warn(`single executable: not stripped (${strip.error?.message ?? strip.stderr.trim()})`);
  const { inject } = await import('postject');
  // postject's ELF writer warns about sections it cannot name ("Can't find string offset ..."): harmless, so not shown.
  const warn = console.warn;
  console.warn = (...args) => {
    if (!/Can't find string offset/.test(String(args[0]))) warn(...args);
  };
  try {
    await inject(out, 'NODE_SEA_BLOB', readFileSync(config.output), { sentinelFuse: SEA_FUSE });
  } finally {
    console.warn = warn;
  }
  return statSync(out).size;
}
