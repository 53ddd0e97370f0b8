// Bundles the CLI and the language server into dist/ (CommonJS, Node 20).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // yaml's ES module build: esbuild then binds its exports directly instead of
  // through a getter per access (isMap, isScalar, ... are called per node).
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

// The cluster commands (and @kubernetes/client-node) are a bundle of their own, required only when one runs.
await build({ ...common, entryPoints: ['server/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cluster-commands.js', './lsp-cluster.js'] });
await build({ ...common, entryPoints: ['server/cli/cluster-commands.ts'], outfile: 'dist/cluster-commands.js' });
// The language server's cluster checks likewise: dist/lsp-cluster.js, required by server.js (and by cli.js's `lsp`) only when switched on.
await build({ ...common, entryPoints: ['server/lsp/main.ts'], outfile: 'dist/server.js', external: ['./lsp-cluster.js'] });
await build({ ...common, entryPoints: ['server/lsp/lsp-cluster.ts'], outfile: 'dist/lsp-cluster.js' });
// The VS Code extension: vscode is provided by the editor at run time.
// extension.js stays small (activation); dist/lazy.js holds the language client,
// the commands and the engine, loaded on first use.
await build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './lazy.js', './cluster.js'] });
await build({ ...common, entryPoints: ['client/lazy.ts'], outfile: 'dist/lazy.js', external: ['vscode'] });
// The editor's cluster features (with @kubernetes/client-node): dist/cluster.js, loaded on first use.
await build({ ...common, entryPoints: ['client/cluster-lazy.ts'], outfile: 'dist/cluster.js', external: ['vscode'] });
chmodSync('dist/cli.js', 0o755);
