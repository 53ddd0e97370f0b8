/**
 * The Certsmith language server: a thin adapter from LSP to the engine. This
 * file puts it together; each concern is a module over one ServerState:
 *
 *   settings-sync      certsmith.* settings and the editor's state, resolved once (settings.ts)
 *   documents          open documents, checked incrementally and published (diagnostics-publisher.ts)
 *   workspace-index    the workspace folders' manifests, read in the background
 *   language-features  completion, hover, navigation, quick fixes, outline, code lenses
 *   certificates       the Certificates list for the tree view, lens refreshes
 *   cluster-checks     the opt-in dry run and live issuers (dist/lsp-cluster.js, loaded on use)
 *   cluster-actions    target, overview, Apply, Diff, Status, Renew, Wait
 *   local-actions      Issue, Check DNS-01, Inspect, Export (dist/lsp-actions.js, loaded on use)
 *   execute-command    the same actions for any LSP client (workspace/executeCommand)
 *
 * The custom messages are declared in protocol/messages.ts.
 */
import { createConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, TextDocuments, TextDocumentSyncKind, CodeActionKind, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { warmUpSteps } from '../../engine/workspace/warm-up.js';
import { SERVER_COMMANDS } from '../../protocol/commands.js';
import { DiagnosticsPublisher } from './diagnostics-publisher.js';
import { ServerState, type CertsmithInitOptions } from './server-state.js';
import { kubeconfigPresent } from './settings.js';
import { registerSettingsSync } from './handlers/settings-sync.js';
import { registerDocuments } from './handlers/documents.js';
import { WorkspaceIndex } from './handlers/workspace-index.js';
import { registerLanguageFeatures } from './handlers/language-features.js';
import { CertificateList } from './handlers/certificates.js';
import { attachClusterChecks } from './handlers/cluster-checks.js';
import { ClusterActions } from './handlers/cluster-actions.js';
import { LocalActions } from './handlers/local-actions.js';
import { registerExecuteCommand } from './handlers/execute-command.js';
import { VERSION } from '../version.js';

;

/** How long after `initialized` the warm-up waits for a first open document before it starts anyway. */
const WARM_UP_DELAY_MS = 100;

export function startLanguageServer(transport: 'stdio' | 'node-ipc'): Connection {
  // A monorepo's index is a few hundred thousand small objects; with V8's
  // default heap growth the heap is about twice what is live before a full
  // collection runs. Growing it by 30 % at a time measured 434–464 MiB peak
  // instead of 589–628 MiB at 20,000 files (bench:lsp-index), with edits as
  // fast; by 20 %, 284–291 MiB instead of 309–322 MiB later, indexing as fast.
  setFlagsFromString('--heap-growing-percent=20');
  const connection =
    transport === 'stdio'
      ? createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout))
      : createConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  const documents = new TextDocuments(TextDocument);
  const state = new ServerState(connection, documents, schemaStore());
  const publisher = new DiagnosticsPublisher(state);
  const certificates = new CertificateList(state, publisher);
  const index = new WorkspaceIndex(state, publisher, () => certificates.maybeChanged());
  const checks = attachClusterChecks(state, publisher);
  const cluster = new ClusterActions(state, checks);
  const local = new LocalActions(state, index);
  let canPull = false;
  const sync = registerSettingsSync(state, () => canPull);

  publisher.addSource((uri) => checks.diagnosticsFor(uri));
  publisher.onFlushed(() => certificates.maybeChanged());
  /** Apply, Diff and Status lenses: a kubeconfig is there to use, in a trusted workspace. */
  let lensesOn = false;
  const clusterLenses = () => state.settings.trusted && kubeconfigPresent(state.settings.cluster.kubeconfig);
  state.onSettings(() => {
    if (clusterLenses() !== lensesOn) {
      lensesOn = !lensesOn;
      certificates.refreshLenses();
    }
  });
  // Another cert-manager target: every file was checked again; publish what changed.
  let lastTarget = state.target;
  state.onSettings(() => {
    if (state.target === lastTarget) return;
    lastTarget = state.target;
    publisher.republishAll();
    certificates.maybeChanged();
  });
  registerDocuments(state, publisher, index, [checks, { workspaceChanged: () => certificates.maybeChanged() }]);
  index.register();
  registerLanguageFeatures(state, publisher, clusterLenses);
  certificates.register();
  cluster.register();
  local.register();
  registerExecuteCommand(state, cluster, checks, local);

  connection.onInitialize((params): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as CertsmithInitOptions;
    state.indexWorkspace = opts.indexWorkspace !== false;
    state.editorCommands = opts.editorCommands === true;
    state.secretStorage = opts.secretStorage === true;
    state.codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canPull = params.capabilities.workspace?.configuration === true;
    index.setFilesExclude(opts.filesExclude);
    const toPath = (u: string): string | undefined => {
      try {
        return u.startsWith('file:') ? fileURLToPath(u) : undefined;
      } catch {
        return undefined;
      }
    };
    const fromFolders = (params.workspaceFolders ?? []).map((f) => toPath(f.uri));
    const folders = (fromFolders.length ? fromFolders : [params.rootUri ? toPath(params.rootUri) : undefined]).filter((x): x is string => !!x);
    state.update({ folders, raw: opts.settings, trusted: opts.trusted !== false });
    lensesOn = clusterLenses();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      },
      serverInfo: { name: 'certsmith', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    state.log('Certsmith language server ready.');
    setTimeout(startWarmUp, WARM_UP_DELAY_MS);
    // A client that pushes no settings is asked for them.
    if (!state.settingsReceived) void sync.pull();
    index.indexFolders();
    // files.exclude: VS Code sends it with the certsmith section when it changes; it is read again then.
    const pullExclude = () => {
      if (canPull) void connection.workspace.getConfiguration('files.exclude').then((v: unknown) => index.filesExcludeChanged(v), () => undefined);
    };
    pullExclude();
    state.onSettings(pullExclude);
  });

  process.on('uncaughtException', (e) => state.logError('a request', e));
  process.on('unhandledRejection', (e) => state.logError('a request', e));

  documents.listen(connection);
  connection.listen();
  // Optimise the checking code before a large file arrives, in steps, with the messages answered in
  // between. It starts once the first open documents are published (the editor opens them right after
  // `initialized`), or WARM_UP_DELAY_MS after `initialized` when none is: started earlier, a step came
  // between each start-up message and the first diagnostics waited for several steps of cold code.
  let steps: (() => void)[] | undefined;
  let t0 = 0;
  let busy = 0;
  const step = (): void => {
    const s = steps!.shift();
    if (!s) return void state.trace?.(`warm-up took ${busy.toFixed(1)} ms (${(performance.now() - t0).toFixed(0)} ms with the messages in between)`);
    const t = performance.now();
    try {
      s();
    } catch (e) {
      steps!.length = 0;
      state.logError('warm-up', e);
    }
    busy += performance.now() - t;
    setImmediate(step);
  };
  const startWarmUp = (): void => {
    if (steps) return;
    steps = warmUpSteps(state.store);
    t0 = performance.now();
    setImmediate(step);
  };
  publisher.onFlushed(startWarmUp);
  return connection;
}
