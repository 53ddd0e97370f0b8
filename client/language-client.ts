/**
 * Starts the Certsmith language server (dist/server.js, bundled in the
 * extension) as a separate Node.js process over IPC. The server owns the
 * logic (diagnostics, and every action: issue, DNS checks, inspect, the
 * cluster); this client gives it the settings (synchronized `certsmith.*`),
 * the editor's state (trust, the cluster choice), and answers its questions
 * about what only the editor keeps (secret storage).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AccountKeyRequest, AccountRegisteredNotification, EditorStateNotification, ManualRecordsNotification, SecretValueRequest, type EditorState } from '../protocol/messages.js';
import type { Log } from './log.js';
import { SERVER_NODE_FLAGS } from './server-node-flags.js';
import type { SecretStore } from './secret-store.js';

/** `diagnostics` hears every publishDiagnostics as it arrives (the cold-start figure in the log). */
export function createLanguageClient(context: vscode.ExtensionContext, diagnostics?: (uri: vscode.Uri, count: number) => void): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannelName: 'Certsmith Language Server',
    initializationOptions: {
      indexWorkspace: true,
      editorCommands: true,
      secretStorage: true,
      trusted: vscode.workspace.isTrusted,
      // The settings as they are now, so that the first request already sees them.
      settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('certsmith'))),
      // What the workspace index leaves out, besides vendored trees.
      filesExclude: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('files').get('exclude') ?? {})),
    },
    // files.exclude too: a change to it is sent with the certsmith section, and the server indexes again.
    synchronize: { configurationSection: ['certsmith', 'files.exclude'] },
    middleware: {
      handleDiagnostics: (uri, found, next) => {
        diagnostics?.(uri, found.length);
        next(uri, found);
      },
    },
  };
  return new LanguageClient('certsmith', 'Certsmith', serverOptions, clientOptions);
}

/** The handlers of the server's requests to the editor; call after start(). */
export function answerServer(client: LanguageClient, secrets: SecretStore, log: Log): vscode.Disposable[] {
  return [
    client.onRequest(SecretValueRequest, async (p) => {
      const value = (await secrets.secretValue(p.namespace, p.name, p.key)) ?? (await secrets.askSecretValue(p.namespace, p.name, p.key, p.purpose));
      return value === undefined ? {} : { value };
    }),
    client.onRequest(AccountKeyRequest, async (p) => {
      let created = false;
      const key = await secrets.load(p.directoryUrl, p.privateKeySecretRef, () => (created = true));
      return { pem: key.pem, origin: key.origin, accountUrl: key.accountUrl, removeHint: key.removeHint, created };
    }),
    client.onNotification(AccountRegisteredNotification, (p) => void secrets.saveAccountUrl(p.directoryUrl, p.privateKeySecretRef, p.accountUrl)),
    client.onNotification(ManualRecordsNotification, (m) => {
      if (m.phase !== 'create') return;
      const text = m.records.map((r) => `${r.fqdn}. ${r.ttl} IN TXT "${r.value}"`).join('\n');
      log.info(`create this TXT record; issuance continues once it is visible:\n${text}`);
      void vscode.window.showInformationMessage(`Certsmith: create this TXT record; issuance continues once it is visible:\n${text}`, 'Copy').then((b) => {
        if (b === 'Copy') void vscode.env.clipboard.writeText(text);
      });
    }),
  ];
}

/** Tells the server the editor's state (trust, the workspace's cluster choice). */
export function sendEditorState(client: LanguageClient | undefined, state: EditorState): void {
  void client?.sendNotification(EditorStateNotification, state);
}
