/**
 * The status panel (webview): a Certificate's status and why it is (not)
 * Ready, as one page (status-html.ts). One panel, reused: showing another
 * Certificate replaces the content. Show Certificate Status and "Why not
 * Ready?" open it. Its links are command URIs limited to renewing the
 * Certificate (with the usual confirmation) and explaining it again.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Explanation } from '../../engine/cluster/explain/explanation.js';
import { EDITOR_COMMANDS } from '../../protocol/commands.js';
import { renderStatusHtml } from './status-html.js';

export class StatusPanel {
  private static current: StatusPanel | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel) {
    panel.onDidDispose(() => {
      if (StatusPanel.current === this) StatusPanel.current = undefined;
    });
  }

  static show(x: Explanation): void {
    if (!StatusPanel.current) {
      const panel = vscode.window.createWebviewPanel('certsmith.status', 'Certificate Status', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
        enableScripts: false,
        enableCommandUris: [EDITOR_COMMANDS.clusterRenew, EDITOR_COMMANDS.clusterExplain],
        retainContextWhenHidden: false,
        enableFindWidget: true,
      });
      StatusPanel.current = new StatusPanel(panel);
    }
    const p = StatusPanel.current;
    const crt = { name: x.name, namespace: x.namespace };
    p.panel.title = `${x.verdict === 'healthy' ? '✔' : x.verdict === 'progressing' ? '⟳' : '✖'} ${x.name} (${x.namespace})`;
    p.panel.webview.html = renderStatusHtml(x, randomBytes(16).toString('base64'), {
      renew: { command: EDITOR_COMMANDS.clusterRenew, arg: crt },
      again: { command: EDITOR_COMMANDS.clusterExplain, arg: crt },
    });
    p.panel.reveal(undefined, false);
  }
}
