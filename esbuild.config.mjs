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
await build({ ...common, entryPoints: ['server/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cluster-commands.js', './lsp-cluster.js', './lsp-actions.js'] });
await build({ ...common, entryPoints: ['server/cli/cluster-commands.ts'], outfile: 'dist/cluster-commands.js' });
// The language server's actions likewise, required by server.js (and by cli.js's `lsp`) on first use:
// dist/lsp-cluster.js (the cluster, with @kubernetes/client-node) and dist/lsp-actions.js (issuance, DNS, inspection).
await build({ ...common, entryPoints: ['server/lsp/main.ts'], outfile: 'dist/server.js', external: ['./lsp-cluster.js', './lsp-actions.js'] });
await build({ ...common, entryPoints: ['server/lsp/lsp-cluster.ts'], outfile: 'dist/lsp-cluster.js' });
await build({ ...common, entryPoints: ['server/lsp/lsp-actions.ts'], outfile: 'dist/lsp-actions.js' });
// The VS Code extension: vscode is provided by the editor at run time.
// extension.js stays small (activation); dist/lazy.js holds the language client
// and the commands' interface, loaded on first use.
await build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './lazy.js'] });
await build({ ...common, entryPoints: ['client/lazy.ts'], outfile: 'dist/lazy.js', external: ['vscode'] });
chmodSync('dist/cli.js', 0o755);
