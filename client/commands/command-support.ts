/**
 * What the editor's commands share: the refusal in an untrusted workspace,
 * and a progress notification (with Cancel) that shows the language server's
 * work-done progress for one request and cancels that request.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import type { Log } from '../log.js';

export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`Certsmith: ${what} is not available in an untrusted workspace (it changes DNS, opens ports, writes keys or talks to a cluster). Diagnostics and chain inspection still work.`);
  return false;
}

/**
 * Runs a request with a cancellable progress notification fed by the
 * server's $/progress for `workDoneToken`; each step also goes to the log, so
 * that the "Certsmith" output channel tells the whole story.
 */
export function runWithProgress<T>(client: LanguageClient, log: Log, title: string, fn: (token: vscode.CancellationToken, workDoneToken: string) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (v.kind === 'end' || !v.message) return;
      progress.report({ message: v.message });
      log.info(v.message);
    });
    token.onCancellationRequested(() => log.info('cancel requested: removing what was created so far'));
    try {
      return await fn(token, workDoneToken);
    } finally {
      sub.dispose();
    }
  });
}
