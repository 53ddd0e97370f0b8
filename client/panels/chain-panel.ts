/** The chain inspector panel (webview); its HTML comes from chain-html.ts. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChainReport } from '../../engine/chain/inspect.js';
import { renderChainHtml } from './chain-html.js';

/** One panel, reused: a new inspection replaces the content. */
export class ChainPanel {
  private static current: ChainPanel | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel) {
    panel.onDidDispose(() => {
      if (ChainPanel.current === this) ChainPanel.current = undefined;
    });
  }

  static show(report: ChainReport, title: string): void {
    if (!ChainPanel.current) {
      const panel = vscode.window.createWebviewPanel('certsmith.chain', 'Certificate Chain', vscode.ViewColumn.Beside, { enableScripts: false, retainContextWhenHidden: false });
      ChainPanel.current = new ChainPanel(panel);
    }
    const p = ChainPanel.current.panel;
    p.title = `Chain: ${title}`;
    p.webview.html = renderChainHtml(report, title, randomBytes(16).toString('base64'));
    p.reveal(vscode.ViewColumn.Beside, true);
  }
}
