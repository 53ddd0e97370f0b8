/**
 * The Certsmith VS Code extension: a thin adapter over the language server,
 * which owns the logic (diagnostics, and every action: issue, DNS checks,
 * inspection, the cluster). The extension adds the editor's interface:
 * commands with confirmations, progress notifications, diff editors, panels,
 * the tree views and the status bar; and it keeps what only the editor keeps
 * (the secret storage, the workspace's cluster choice, what was issued here).
 *
 * Activation (on YAML) only registers commands, the tree views and the status
 * bar; the language server (a separate Node.js process over IPC) starts when
 * a YAML document that holds cert-manager, Ingress or Gateway kinds is open,
 * or when a command needs it. How long activation took is written to the log
 * ("activated in N ms") so it can be measured.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EDITOR_COMMANDS, SHOW_CHAIN_REPORT_COMMAND } from '../protocol/commands.js';
import type { CertificateEntry, ClusterTreeData } from '../protocol/messages.js';
import type * as Lazy from './lazy.js';
import type * as Commands from './commands/all-commands.js';
import { Log } from './log.js';
import { SecretStore } from './secret-store.js';
import { clusterChoice, expiryWarningDays } from './settings.js';
import { IssuedStore } from './views/issued-store.js';
import { CertificatesView } from './views/certificates-view.js';
import { ClusterView } from './views/cluster-view.js';

const RELEVANT = /^\s*(apiVersion:\s*["']?(cert-manager\.io|acme\.cert-manager\.io|networking\.k8s\.io|gateway\.networking\.k8s\.io)\/|kind:\s*["']?(Certificate|Issuer|ClusterIssuer|CertificateRequest|Ingress|Gateway|HTTPRoute)\b)/m;

let client: LanguageClient | undefined;
let starting: Promise<LanguageClient> | undefined;
let lazyModule: typeof Lazy | undefined;
// Only types and plain command ids are imported here: the protocol's message objects (and the
// LSP library behind them) live in dist/lazy.js, so that activation loads a small file.

/** dist/lazy.js, loaded on first use (a separate bundle: see esbuild.config.mjs). */
function lazy(): typeof Lazy {
  // require, not import(): a plain CommonJS load beside this file, as the extension host expects.
  return (lazyModule ??= require('./lazy.js') as typeof Lazy);
}

export interface CertsmithApi {
  /** ms spent in activate(). */
  activationMs: number;
  /** Starts the language server if needed. */
  languageClient(): Promise<LanguageClient>;
}

export function activate(context: vscode.ExtensionContext): CertsmithApi {
  const t0 = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  const secrets = new SecretStore(context.secrets, context.globalState, log);
  const issued = new IssuedStore(context.workspaceState);
  context.subscriptions.push(issued);
  let clusterStatus: Lazy.ClusterStatus | undefined;
  let targetStatus: Lazy.TargetStatus | undefined;
  let documents: Lazy.VirtualDocuments | undefined;

  const editorState = () => ({ trusted: vscode.workspace.isTrusted, cluster: clusterChoice(context.workspaceState) });
  const refreshClusterUi = (c: LanguageClient) => {
    void (targetStatus ??= new (lazy().TargetStatus)()).refresh(c).catch((e) => log.warn(`cert-manager version status: ${(e as Error).message}`));
    clusterView.refresh();
    // Settings or the context changed: the watch follows the new target (the server restarts it when it differs).
    if (clusterTree.visible) watchCluster(true);
    if (vscode.workspace.isTrusted) void (clusterStatus ??= new (lazy().ClusterStatus)()).refresh(c).catch((e) => log.warn(`cluster status: ${(e as Error).message}`));
  };

  const startServer = (): Promise<LanguageClient> => {
    if (client) return Promise.resolve(client);
    starting ??= (async () => {
      const t = performance.now();
      const m = lazy();
      const loaded = performance.now() - t;
      const c = m.createLanguageClient(context, firstDiagnostics);
      await c.start();
      context.subscriptions.push(...m.answerServer(c, secrets, log));
      c.onNotification(m.CertificatesChangedNotification, () => void view.refresh());
      c.onNotification(m.SettingsAppliedNotification, () => refreshClusterUi(c));
      c.onNotification(m.ClusterChangedNotification, () => clusterView.refresh());
      client = c;
      m.sendEditorState(c, editorState());
      refreshClusterUi(c);
      log.info(`language server started in ${Math.round(performance.now() - t)} ms (language client loaded in ${Math.round(loaded)} ms)`);
      void view.refresh();
      return c;
    })();
    return starting;
  };

  // The cold-start figure (bench:editor): activation → the first diagnostics of an open cert-manager file.
  let activatedAt = 0;
  let diagnosticsSeen = false;
  const firstDiagnostics = (uri: vscode.Uri, count: number) => {
    if (diagnosticsSeen) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || !RELEVANT.test(doc.getText(new vscode.Range(0, 0, 400, 0)))) return;
    diagnosticsSeen = true;
    log.info(`first diagnostics (${path.basename(uri.path)}: ${count}) ${Math.round(performance.now() - activatedAt)} ms after activation`);
  };

  const list = async (): Promise<CertificateEntry[]> => (client ? (await client.sendRequest(lazy().CertificatesRequest)).certificates : []);
  const view = new CertificatesView(issued, list);
  context.subscriptions.push(view, vscode.window.registerTreeDataProvider('certsmith.certificates', view));

  // The cluster: a tree view registered now, its data (from the language server) loaded when shown.
  const overview = async (): Promise<ClusterTreeData> => {
    if (!vscode.workspace.isTrusted) return { contexts: [], problem: 'the workspace is not trusted: Certsmith does not talk to a cluster (a kubeconfig can run credential plugins)' };
    return (await startServer()).sendRequest(lazy().ClusterOverviewRequest);
  };
  const clusterView = new ClusterView(overview, expiryWarningDays);
  const clusterTree = vscode.window.createTreeView('certsmith.cluster', { treeDataProvider: clusterView });
  // While the Cluster view is visible, the language server watches the cluster and says when it changed; hidden, nothing runs.
  const watchCluster = (on: boolean) => {
    if (!vscode.workspace.isTrusted || (!on && !client)) return;
    void startServer()
      .then((c) => c.sendRequest(lazy().WatchClusterRequest, { watch: on }))
      .then((r) => {
        if (r.error) log.warn(`cluster watch: ${r.error}`);
        else log.info(r.watching ? `Cluster view visible: following context "${r.context}"` : 'Cluster view hidden: not following the cluster');
      })
      .catch((e) => log.warn(`cluster watch: ${(e as Error).message}`));
  };
  context.subscriptions.push(clusterView, clusterTree, clusterView.followWhileVisible(clusterTree, watchCluster));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Said in the log, so that a person (and the e2e suite) can see when an edited settings file took effect.
      if (e.affectsConfiguration('certsmith')) log.info('settings changed (certsmith.*): the next command uses them');
    }),
  );
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: issuing, DNS checks and the cluster are available');
      lazyModule?.sendEditorState(client, editorState());
    }),
  );

  const deps = {
    log,
    issued,
    client: startServer,
    get documents() {
      if (!documents) context.subscriptions.push((documents = new (lazy().VirtualDocuments)()));
      return documents;
    },
    state: context.workspaceState,
    choiceChanged: () => lazyModule?.sendEditorState(client, editorState()),
    refreshView: () => clusterView.refresh(),
  };

  const command = (id: string, load: () => (arg: unknown) => unknown, trusted = false) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (arg: unknown) => {
        try {
          if (trusted && !vscode.workspace.isTrusted) throw new Error('cluster commands are not available in an untrusted workspace (a kubeconfig can run credential plugins); trust the workspace first.');
          return await load()(arg);
        } catch (e) {
          const message = (e as Error).message;
          log.error(`${id}: ${message}`);
          void vscode.window.showErrorMessage(`Certsmith: ${log.redact(message)}`);
          return undefined;
        }
      }),
    );
  // Command modules load on first use: activation stays small.
  command(EDITOR_COMMANDS.issueCertificate, () => (arg) => lazy().commands().issueCommand(arg, deps));
  command(EDITOR_COMMANDS.renewCertificate, () => (arg) => lazy().commands().renewCommand(arg, deps));
  command(EDITOR_COMMANDS.inspectChain, () => (arg) => lazy().commands().inspectCommand(arg, deps));
  command(EDITOR_COMMANDS.checkDns01, () => (arg) => lazy().commands().dnsCheckCommand(arg, deps));
  command(EDITOR_COMMANDS.exportSecretManifest, () => (arg) => lazy().commands().exportCommand(arg, deps));
  command(EDITOR_COMMANDS.upgradeCheck, () => (arg) => lazy().commands().upgradeCheckCommand(arg, deps));
  command(EDITOR_COMMANDS.refreshCertificates, () => async () => {
    await startServer();
    await view.refresh();
  });
  command(EDITOR_COMMANDS.showLog, () => () => log.channel.show());
  const clusterCommands = [EDITOR_COMMANDS.clusterApply, EDITOR_COMMANDS.clusterDryRun, EDITOR_COMMANDS.clusterDiff, EDITOR_COMMANDS.clusterShowStatus, EDITOR_COMMANDS.clusterExplain, EDITOR_COMMANDS.clusterRenew, EDITOR_COMMANDS.clusterSwitchContext] as const;
  for (const id of clusterCommands) command(id, () => (arg) => lazy().commands().CLUSTER_COMMANDS[id](arg, deps), true);
  command(EDITOR_COMMANDS.clusterRefresh, () => async () => clusterView.refresh());
  command(SHOW_CHAIN_REPORT_COMMAND, () => (arg) => {
    const a = arg as { report: Parameters<typeof Commands.ChainPanel.show>[0]; title: string };
    lazy().commands().ChainPanel.show(a.report, a.title);
  });
  command(EDITOR_COMMANDS.forgetSecret, () => async () => {
    const pick = await vscode.window.showQuickPick(secrets.stored().map((s) => ({ label: s.label, key: s.key })), { title: 'Certsmith: forget which stored secret?' });
    if (!pick) return;
    await secrets.forget(pick.key);
    log.info(`forgot ${pick.label}`);
  });

  const consider = (doc: vscode.TextDocument) => {
    if (client || starting || doc.languageId !== 'yaml' || !RELEVANT.test(doc.getText(new vscode.Range(0, 0, 400, 0)))) return;
    // After activation returns: loading the language client and starting the server is not activation work.
    setTimeout(() => void startServer().catch((e) => log.error(`the language server did not start: ${(e as Error).message}`)), 0);
  };
  vscode.workspace.textDocuments.forEach(consider);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(consider));

  activatedAt = performance.now();
  const activationMs = activatedAt - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: diagnostics and inspection only)'}`);
  return { activationMs, languageClient: startServer };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  starting = undefined;
  await c?.stop();
}
