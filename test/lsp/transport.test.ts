import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { CLI, ROOT } from '../support/cli.js';

test('the language server also speaks LSP over node IPC (certsmith lsp --node-ipc), as editors that fork it use', async () => {
  const proc = spawn(process.execPath, [CLI, 'lsp', '--node-ipc'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
  connection.listen();
  try {
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => resolve(p)),
    );
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
      capabilities: { hoverProvider?: boolean };
    };
    assert.equal(init.capabilities.hoverProvider, true);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: 'file:///ipc/cert.yaml',
        languageId: 'yaml',
        version: 1,
        text: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  dnsNames: [a.example.com]\n  privateKey:\n    algorithm: EC\n',
      },
    });
    const p = await Promise.race([diagnostics, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no diagnostics over IPC')), 20_000))]);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line]), [['schema-enum', 10]]);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    if (proc.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          proc.kill('SIGKILL');
          resolve();
        }, 3000);
        proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
});
