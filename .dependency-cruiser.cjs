/**
 * The allowed arrows between Certsmith's folders, written down once; `npm test`
 * fails when an import goes against them (test/architecture/layers.test.ts).
 * docs/architecture.md draws the same picture.
 *
 * Within engine/, each capability folder may import only the folders listed
 * for it: downward, never in a circle. core holds what every capability
 * shares (diagnostic, position, reporter, errors); gocompat the parsers that
 * must agree with Go (durations, mail addresses, DNs, cron, CSV).
 */
const ENGINE_LAYERS = {
  core: [],
  gocompat: ['core'],
  manifests: ['core'],
  dns: ['core'],
  schema: ['manifests', 'core'],
  chain: ['manifests', 'core'],
  rules: ['schema', 'manifests', 'gocompat', 'core'],
  pki: ['chain', 'gocompat', 'core'],
  workspace: ['rules', 'schema', 'manifests', 'core'],
  acme: ['rules', 'chain', 'dns', 'core'],
  cluster: ['rules', 'schema', 'chain', 'manifests', 'core'],
  issue: ['acme', 'pki', 'workspace', 'rules', 'chain', 'dns', 'manifests', 'gocompat', 'core'],
  language: ['issue', 'acme', 'cluster', 'workspace', 'rules', 'schema', 'chain', 'dns', 'manifests', 'core'],
};

const layerRules = Object.entries(ENGINE_LAYERS).map(([from, allowed]) => ({
  name: `engine-${from}-layer`,
  comment: `engine/${from} may import only ${allowed.length ? allowed.map((a) => `engine/${a}`).join(', ') : 'nothing else in engine/'}`,
  severity: 'error',
  from: { path: `^engine/${from}/` },
  to: { path: '^engine/', pathNot: `^engine/(${[from, ...allowed].join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module imports itself through others.',
      severity: 'error',
      from: { path: '^(engine|server|client|protocol)/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'engine-knows-no-editor',
      comment: 'engine/ is the heart: it knows nothing of VS Code, LSP, the server or the client.',
      severity: 'error',
      from: { path: '^engine/' },
      to: { path: '^(server|client|protocol)/|(^|/)node_modules/(vscode|vscode-languageserver[^/]*|vscode-languageclient|vscode-jsonrpc)/' },
    },
    {
      name: 'engine-no-vscode-module',
      comment: 'engine/ never imports the vscode API.',
      severity: 'error',
      from: { path: '^engine/' },
      to: { dependencyTypes: ['core', 'unknown', 'undetermined'], path: '^vscode$' },
    },
    {
      name: 'adapters-apart',
      comment: 'The language server and CLI (server/) and the extension (client/) meet only in protocol/ and engine/.',
      severity: 'error',
      from: { path: '^(server|client)/' },
      to: { path: '^(server|client)/', pathNot: '^$1/' },
    },
    {
      name: 'protocol-is-types',
      comment: 'protocol/ declares messages; it depends on engine/ types only.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'no-tests-in-product',
      comment: 'Product code never imports test code.',
      severity: 'error',
      from: { path: '^(engine|server|client|protocol|schemas)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test/\\.tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
// The table itself, for docs/architecture.md's test (not enumerable: dependency-cruiser checks its options' keys).
Object.defineProperty(module.exports, 'ENGINE_LAYERS', { value: ENGINE_LAYERS, enumerable: false });
