/**
 * The Certsmith VS Code extension: a thin adapter over the engine and the
 * language server.
 *
 * Activation (on YAML) only registers commands, the tree view and the status
 * bar; the language server (a separate Node.js process over IPC) starts when
 * a YAML document that holds cert-manager, Ingress or Gateway kinds is open,
 * or when a command needs it. How long activation took is written to the
 * log ("activated in N ms") so it can be measured.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as Lazy from './lazy.js';
import type * as ClusterLazy from './cluster-lazy.js';
import { Log } from './log.js';
import { SecretStore } from './secret-store.js';
import { IssuedStore } from './issuance/issued-store.js';
import { CertificatesView, type CertificateEntry } from './views/certificates-view.js';
import { ClusterView } from './views/cluster-view.js';
import { SHOW_CHAIN_REPORT_COMMAND } from './panels/chain-command.js';
import { readSettings, serverClusterSettings } from './settings.js';

const RELEVANT = /^\s*(apiVersion:\s*["']?(cert-manager\.io|acme\.cert-manager\.io|networking\.k8s\.io|gateway\.networking\.k8s\.io)\/|kind:\s*["']?(Certificate|Issuer|ClusterIssuer|CertificateRequest|Ingress|Gateway|HTTPRoute)\b)/m;

let client: LanguageClient | undefined;
let lazyModule: typeof Lazy | undefined;

/** dist/lazy.js, loaded on first use (a separate bundle: see esbuild.config.mjs). */
async function lazy(): Promise<typeof Lazy> {
  // require, not import(): a plain CommonJS load beside this file, as the extension host expects.
  return (lazyModule ??= require('./lazy.js') as typeof Lazy);
}
let starting: Promise<LanguageClient> | undefined;
let clusterModule: typeof ClusterLazy | undefined;

/** dist/cluster.js (the cluster features with the Kubernetes client), loaded on first use. */
function clusterLazy(): typeof ClusterLazy {
  return (clusterModule ??= require('./cluster.js') as typeof ClusterLazy);
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
  const storageUri = context.storageUri ?? context.globalStorageUri;

  const startServer = (): Promise<LanguageClient> => {
    if (client) return Promise.resolve(client);
    starting ??= (async () => {
      const t = performance.now();
      const { createLanguageClient } = await lazy();
      const c = createLanguageClient(context);
      await c.start();
      c.onNotification('certsmith/certificatesChanged', () => void view.refresh());
      client = c;
      await c.sendNotification('certsmith/clusterSettings', serverClusterSettings(context.workspaceState));
      // The cluster features (status bar: context / namespace) once the editor has settled.
      setTimeout(() => void Promise.resolve().then(cluster).catch((e) => log.warn(`cluster features: ${(e as Error).message}`)), 500);
      log.info(`language server started in ${Math.round(performance.now() - t)} ms`);
      void view.refresh();
      return c;
    })();
    return starting;
  };

  const list = async (): Promise<CertificateEntry[]> => {
    if (!client) return [];
    const r = await client.sendRequest<{ certificates: CertificateEntry[] }>('certsmith/certificates');
    return r.certificates;
  };
  const view = new CertificatesView(issued, list);
  context.subscriptions.push(view, vscode.window.registerTreeDataProvider('certsmith.certificates', view));

  const deps = { log, secrets, issued, storageUri };

  // The cluster: a tree view registered now, its data (and the Kubernetes client) loaded when shown.
  let clusterFeatures: ReturnType<typeof ClusterLazy.createClusterFeatures> | undefined;
  const cluster = () => {
    if (clusterFeatures) return clusterFeatures;
    clusterFeatures = clusterLazy().createClusterFeatures(
      context,
      log,
      async (uri) => (await startServer()).sendRequest('certsmith/checkAgainstCluster', { uri }),
      () => clusterView.refresh(),
    );
    clusterFeatures.session.onDidChange(() => {
      clusterView.refresh();
      void client?.sendNotification('certsmith/clusterSettings', serverClusterSettings(context.workspaceState));
    });
    return clusterFeatures;
  };
  const clusterView = new ClusterView(() => cluster().treeData(), () => readSettings().expiryWarningDays);
  context.subscriptions.push(clusterView, vscode.window.registerTreeDataProvider('certsmith.cluster', clusterView));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Said in the log, so that a person (and the e2e suite) can see when an edited settings file took effect.
      if (e.affectsConfiguration('certsmith')) log.info('settings changed (certsmith.*): the next command uses them');
      if (e.affectsConfiguration('certsmith.cluster')) void client?.sendNotification('certsmith/clusterSettings', serverClusterSettings(context.workspaceState));
    }),
  );
  const command = (id: string, load: () => Promise<(arg: unknown) => unknown>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (arg: unknown) => {
        try {
          return await (await load())(arg);
        } catch (e) {
          // A ClusterError carries what to do about it (hint).
          const hint = (e as { hint?: string }).hint;
          const message = `${(e as Error).message}${hint ? ` ${hint}` : ''}`;
          log.error(`${id}: ${message}`);
          void vscode.window.showErrorMessage(`Certsmith: ${log.redact(message)}`);
          return undefined;
        }
      }),
    );
  // Command modules (and the engine behind them) load on first use: activation stays small.
  command('certsmith.issueCertificate', async () => {
    const m = await lazy();
    return (arg) => m.issueCommand(arg, deps);
  });
  command('certsmith.renewCertificate', async () => {
    const m = await lazy();
    return (arg) => m.renewCommand(arg, deps);
  });
  command('certsmith.inspectChain', async () => {
    const m = await lazy();
    return (arg) => m.inspectCommand(arg, deps);
  });
  command('certsmith.checkDns01', async () => {
    const m = await lazy();
    return (arg) => m.dnsCheckCommand(arg, deps);
  });
  command('certsmith.exportSecretManifest', async () => {
    const m = await lazy();
    return (arg) => m.exportCommand(arg, deps);
  });
  command('certsmith.refreshCertificates', async () => async () => {
    await startServer();
    await view.refresh();
  });
  command('certsmith.showLog', async () => () => log.channel.show());
  for (const id of ['certsmith.cluster.apply', 'certsmith.cluster.dryRun', 'certsmith.cluster.diff', 'certsmith.cluster.showStatus', 'certsmith.cluster.renew', 'certsmith.cluster.switchContext']) {
    command(id, async () => {
      if (!vscode.workspace.isTrusted) throw new Error('cluster commands are not available in an untrusted workspace (a kubeconfig can run credential plugins); trust the workspace first.');
      return cluster().commands[id]!;
    });
  }
  command('certsmith.cluster.refresh', async () => async () => clusterView.refresh());
  command(SHOW_CHAIN_REPORT_COMMAND, async () => {
    const m = await lazy();
    return (arg) => {
      const a = arg as { report: Parameters<typeof m.ChainPanel.show>[0]; title: string };
      m.ChainPanel.show(a.report, a.title);
    };
  });
  command('certsmith.forgetSecret', async () => async () => {
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
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => log.info('workspace trusted: issuing and DNS checks are available')));

  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: diagnostics and inspection only)'}`);
  return { activationMs, languageClient: startServer };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  starting = undefined;
  await c?.stop();
}
