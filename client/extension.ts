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
import { Log } from './log.js';
import { SecretStore } from './secret-store.js';
import { IssuedStore } from './issuance/issued-store.js';
import { CertificatesView, type CertificateEntry } from './views/certificates-view.js';

const RELEVANT = /^\s*(apiVersion:\s*["']?(cert-manager\.io|acme\.cert-manager\.io|networking\.k8s\.io|gateway\.networking\.k8s\.io)\/|kind:\s*["']?(Certificate|Issuer|ClusterIssuer|CertificateRequest|Ingress|Gateway|HTTPRoute)\b)/m;

let client: LanguageClient | undefined;
let lazyModule: typeof Lazy | undefined;

/** dist/lazy.js, loaded on first use (a separate bundle: see esbuild.config.mjs). */
async function lazy(): Promise<typeof Lazy> {
  // require, not import(): a plain CommonJS load beside this file, as the extension host expects.
  return (lazyModule ??= require('./lazy.js') as typeof Lazy);
}
let starting: Promise<LanguageClient> | undefined;

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
  const command = (id: string, load: () => Promise<(arg: unknown) => unknown>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (arg: unknown) => {
        try {
          return await (await load())(arg);
        } catch (e) {
          log.error(`${id}: ${(e as Error).message}`);
          void vscode.window.showErrorMessage(`Certsmith: ${log.redact((e as Error).message)}`);
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
