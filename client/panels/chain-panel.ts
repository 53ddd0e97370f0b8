/**
 * The chain inspector panel (webview); its HTML comes from chain-html.ts.
 * One panel, reused: a new inspection replaces the content. When the
 * inspected certificates came from a file, the panel follows it: saving or
 * replacing the file inspects it again.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChainReport } from '../../engine/chain/inspect.js';
import { renderChainHtml } from './chain-html.js';

export interface ChainSource {
  /** The file the certificates came from. */
  file: vscode.Uri;
  /** Inspect it again (undefined: it no longer parses; the panel says so). */
  reinspect: () => ChainReport | Promise<ChainReport>;
}

export class ChainPanel {
  private static current: ChainPanel | undefined;
  private watch: vscode.Disposable[] = [];
  private title = '';

  private constructor(private readonly panel: vscode.WebviewPanel) {
    panel.onDidDispose(() => {
      this.unwatch();
      if (ChainPanel.current === this) ChainPanel.current = undefined;
    });
  }

  static show(report: ChainReport, title: string, source?: ChainSource): void {
    if (!ChainPanel.current) {
      const panel = vscode.window.createWebviewPanel('certsmith.chain', 'Certificate Chain', vscode.ViewColumn.Beside, { enableScripts: false, retainContextWhenHidden: false, enableFindWidget: true });
      ChainPanel.current = new ChainPanel(panel);
    }
    const p = ChainPanel.current;
    p.title = title;
    p.render(report);
    p.unwatch();
    if (source) p.follow(source);
    p.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  private render(report: ChainReport): void {
    this.panel.title = `Chain: ${this.title}`;
    this.panel.webview.html = renderChainHtml(report, this.title, randomBytes(16).toString('base64'));
  }

  private follow(source: ChainSource): void {
    const again = async () => {
      try {
        this.render(await source.reinspect());
      } catch (e) {
        void vscode.window.setStatusBarMessage(`Certsmith: ${path.basename(source.file.fsPath)} cannot be inspected now: ${(e as Error).message}`, 5000);
      }
    };
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(source.file.fsPath)), path.basename(source.file.fsPath)));
    this.watch = [watcher, watcher.onDidChange(again), watcher.onDidCreate(again), vscode.workspace.onDidSaveTextDocument((d) => (d.uri.fsPath === source.file.fsPath ? void again() : undefined))];
  }

  private unwatch(): void {
    for (const d of this.watch) d.dispose();
    this.watch = [];
  }
}
