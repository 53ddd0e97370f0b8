/**
 * Starts the Certsmith language server (dist/server.js, bundled in the
 * extension) as a separate Node.js process over IPC, for YAML documents on
 * disk and unsaved ones. Workspace indexing is on, so that checks across
 * files (which Issuer a Certificate uses) see files that are not open.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { readSettings } from './settings.js';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannelName: 'Certsmith Language Server',
    initializationOptions: {
      indexWorkspace: true,
      clusterResourceNamespace: readSettings().clusterResourceNamespace,
    },
    synchronize: { configurationSection: 'certsmith' },
  };
  return new LanguageClient('certsmith', 'Certsmith', serverOptions, clientOptions);
}
