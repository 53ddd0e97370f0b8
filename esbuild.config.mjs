// Bundles the CLI and the language server into dist/ (CommonJS, Node 20).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { singleExecutableBundle } from './scripts/single-executable.mjs';
import { thirdPartyNotices } from './scripts/third-party-notices.mjs';

// Every bundled npm package, for dist/THIRD-PARTY-NOTICES.txt.
const notices = thirdPartyNotices();

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // Whitespace only: names and structure stay readable in stack traces; the npm package stays under 25 MB installed.
  minifyWhitespace: true,
  // yaml's ES module build: esbuild then binds its exports directly instead of
  // through a getter per access (isMap, isScalar, ... are called per node).
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  metafile: true,
  plugins: [notices.plugin],
};

// The cluster commands (and @kubernetes/client-node) are a bundle of their own, required only when one runs.
// The language server (dist/lsp-command.js), and inspect, issue and upgrade-check (dist/more-commands.js) likewise: lint and --version start without them.
await build({ ...common, entryPoints: ['server/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cluster-commands.js', './more-commands.js', './lsp-command.js'] });
await build({ ...common, entryPoints: ['server/cli/lsp-command.ts'], outfile: 'dist/lsp-command.js', external: ['./lsp-cluster.js', './lsp-actions.js'] });
await build({ ...common, entryPoints: ['server/cli/cluster-commands.ts'], outfile: 'dist/cluster-commands.js' });
await build({ ...common, entryPoints: ['server/cli/more-commands.ts'], outfile: 'dist/more-commands.js', external: ['./lsp-cluster.js', './lsp-actions.js'] });
// `certsmith lint`'s worker threads: the engine alone, loaded by each thread.
await build({ ...common, entryPoints: ['server/cli/lint-run/lint-worker.ts'], outfile: 'dist/lint-worker.js' });
// The language server's actions likewise, required by server.js (and by cli.js's `lsp`) on first use:
// dist/lsp-cluster.js (the cluster, with @kubernetes/client-node) and dist/lsp-actions.js (issuance, DNS, inspection).
await build({ ...common, entryPoints: ['server/lsp/main.ts'], outfile: 'dist/server.js', external: ['./lsp-cluster.js', './lsp-actions.js'] });
await build({ ...common, entryPoints: ['server/lsp/lsp-cluster.ts'], outfile: 'dist/lsp-cluster.js' });
// The workspace index's worker thread (the engine alone), started by server.js (and cli.js's `lsp`).
await build({ ...common, entryPoints: ['server/lsp/index-worker.ts'], outfile: 'dist/index-worker.js' });
await build({ ...common, entryPoints: ['server/lsp/lsp-actions.ts'], outfile: 'dist/lsp-actions.js' });
// The VS Code extension: vscode is provided by the editor at run time.
// extension.js stays small (activation); dist/lazy.js holds the language client
// and the commands' interface, loaded on first use.
await build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './lazy.js'] });
await build({ ...common, entryPoints: ['client/lazy.ts'], outfile: 'dist/lazy.js', external: ['vscode'] });
chmodSync('dist/cli.js', 0o755);
// --sea (npm run release): the single-file executable's one script, every lazily loaded bundle inlined.
if (process.argv.includes('--sea')) await build(singleExecutableBundle(common));
notices.write('dist/THIRD-PARTY-NOTICES.txt');
