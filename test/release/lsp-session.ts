/**
 * One short language-server session with an installed `certsmith lsp --stdio`
 * (any executable): initialize, open a Certificate with a misspelt field, wait
 * for its diagnostics, shut down. What an editor configured with the installed
 * command would see first.
 */
import { spawn } from 'node:child_process';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

export interface LspSessionResult {
  serverInfo: { name: string; version?: string } | undefined;
  /** The rule ids of the diagnostics published for the document. */
  codes: string[];
  stderr: string;
}

const DOCUMENT_URI = 'file:///release-check/certificate.yaml';
const DOCUMENT = ['apiVersion: cert-manager.io/v1', 'kind: Certificate', 'metadata:', '  name: web', 'spec:', '  secretName: web-tls', '  renewbefore: 360h', '  dnsNames: [web.example.com]', '  issuerRef:', '    name: ca', ''].join('\n');

export async function lspSession(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 30_000): Promise<LspSessionResult> {
  const proc = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      if (p.uri === DOCUMENT_URI && p.diagnostics.length > 0) resolve(p);
    });
  });
  connection.listen();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')}: no answer within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
  });
  try {
    const init = (await Promise.race([
      connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, initializationOptions: { indexWorkspace: false } }),
      deadline,
    ])) as { serverInfo?: { name: string; version?: string } };
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: DOCUMENT_URI, languageId: 'yaml', version: 1, text: DOCUMENT } });
    const published = await Promise.race([diagnostics, deadline]);
    await Promise.race([connection.sendRequest('shutdown'), deadline]);
    await connection.sendNotification('exit');
    await Promise.race([exited, deadline]);
    return { serverInfo: init.serverInfo, codes: published.diagnostics.map((d) => String(d.code)), stderr };
  } finally {
    clearTimeout(timer);
    connection.dispose();
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}
