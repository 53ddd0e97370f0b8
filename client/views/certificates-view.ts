/**
 * The "Certificates" tree view (Explorer): every Certificate in the workspace
 * with its issuer, and, once issued here, its validity and cert-manager's
 * renewal time. Plus a status bar item for the nearest expiry among the
 * locally issued certificates. The list comes from the language server
 * (`certsmith/certificates`, refreshed on `certsmith/certificatesChanged`).
 */
import * as vscode from 'vscode';
import type { IssuedRecord, IssuedStore } from './issued-store.js';
import { expiryWarningDays } from '../settings.js';
import type { CertificateEntry } from '../../protocol/messages.js';

const DAY = 86_400_000;

function days(ms: number): string {
  const d = Math.floor(ms / DAY);
  return d >= 2 ? `${d} days` : `${Math.max(0, Math.round(ms / 3_600_000))} hours`;
}

export class CertificatesView implements vscode.TreeDataProvider<CertificateEntry> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries: CertificateEntry[] = [];
  private readonly status: vscode.StatusBarItem;

  constructor(
    private readonly issued: IssuedStore,
    private readonly list: () => Promise<CertificateEntry[]>,
  ) {
    this.status = vscode.window.createStatusBarItem('certsmith.expiry', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'Certsmith: nearest expiry';
    this.status.command = 'certsmith.certificates.focus';
    issued.onDidChange(() => this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      this.entries = await this.list();
    } catch {
      // The server is not running yet (no relevant file open): keep what we have.
    }
    this.changed.fire();
    this.updateStatus();
  }

  private record(e: CertificateEntry): IssuedRecord | undefined {
    return this.issued.all().find((r) => r.certificate === e.name && (e.namespace === null || r.namespace === e.namespace));
  }

  private updateStatus(): void {
    const now = Date.now();
    const records = this.issued.all().sort((a, b) => Date.parse(a.notAfter) - Date.parse(b.notAfter));
    const next = records[0];
    if (!next) {
      this.status.hide();
      return;
    }
    const left = Date.parse(next.notAfter) - now;
    const warn = left < expiryWarningDays() * DAY;
    this.status.text = `$(${left <= 0 ? 'error' : warn ? 'warning' : 'shield'}) ${next.certificate}: ${left <= 0 ? 'expired' : days(left)}`;
    this.status.tooltip = `Certsmith: ${next.namespace}/${next.certificate} (locally issued) expires ${next.notAfter}; cert-manager would renew it at ${next.renewalTime}.`;
    this.status.backgroundColor = left <= 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  getChildren(element?: CertificateEntry): CertificateEntry[] {
    if (element) return [];
    return [...this.entries].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  }

  getTreeItem(e: CertificateEntry): vscode.TreeItem {
    const rec = this.record(e);
    const item = new vscode.TreeItem(`${e.namespace ? `${e.namespace}/` : ''}${e.name}`, vscode.TreeItemCollapsibleState.None);
    const issuer = e.issuer ? `${e.issuer.kind} ${e.issuer.name} (${e.issuer.type})` : `${e.issuerRef.kind || 'Issuer'} ${e.issuerRef.name} (not found)`;
    if (rec) {
      const left = Date.parse(rec.notAfter) - Date.now();
      item.description = `${issuer} · ${left <= 0 ? 'expired' : `expires in ${days(left)}`} · renew ${rec.renewalTime.slice(0, 10)}`;
      item.contextValue = 'certificate-issued';
      item.iconPath = new vscode.ThemeIcon(left <= 0 ? 'error' : left < expiryWarningDays() * DAY ? 'warning' : 'verified');
    } else {
      item.description = `${issuer} · not issued here`;
      item.contextValue = 'certificate';
      item.iconPath = new vscode.ThemeIcon(e.issuer ? 'circle-outline' : 'question');
    }
    const md = new vscode.MarkdownString(`**${e.name}** → Secret \`${e.secretName ?? '?'}\`\n\n${e.dnsNames.map((d) => `- ${d}`).join('\n')}\n\nIssuer: ${issuer}${rec ? `\n\nLast local issuance ${rec.issuedAt}: valid ${rec.notBefore} → ${rec.notAfter}, renewal ${rec.renewalTime} (${rec.issuer})` : ''}`);
    item.tooltip = md;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(e.uri), { selection: new vscode.Range(e.range.start.line, e.range.start.character, e.range.start.line, e.range.start.character) }] };
    return item;
  }

  dispose(): void {
    this.status.dispose();
    this.changed.dispose();
  }
}
