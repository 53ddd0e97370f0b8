/** The DNS-01 propagation panel (webview); its HTML comes from dns-html.ts. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderDnsHtml, type DnsPanelState } from './dns-html.js';

export class DnsPanel {
  private static current: DnsPanel | undefined;
  private states: DnsPanelState[] = [];

  private constructor(private readonly panel: vscode.WebviewPanel) {
    panel.onDidDispose(() => {
      if (DnsPanel.current === this) DnsPanel.current = undefined;
    });
  }

  static open(names: string[]): DnsPanel {
    if (!DnsPanel.current) {
      DnsPanel.current = new DnsPanel(vscode.window.createWebviewPanel('certsmith.dns01', 'DNS-01 Propagation', vscode.ViewColumn.Beside, { enableScripts: false }));
    }
    const p = DnsPanel.current;
    p.states = names.map((name) => ({ name, report: null, status: 'checking…' }));
    p.render();
    p.panel.reveal(vscode.ViewColumn.Beside, true);
    return p;
  }

  update(name: string, state: Partial<DnsPanelState>): void {
    this.states = this.states.map((s) => (s.name === name ? { ...s, ...state } : s));
    this.render();
  }

  private render(): void {
    this.panel.webview.html = renderDnsHtml(this.states, randomBytes(16).toString('base64'));
  }
}
