/**
 * The "Cluster" tree view: the kubeconfig's contexts; under the current one
 * its ClusterIssuers and its namespaces, each with Issuers and Certificates,
 * with their Ready state and, for Certificates, the expiry. Selecting a
 * Certificate shows its status (and its Secret's chain); another context
 * switches to it. The data comes from the language server
 * (certsmith/clusterOverview: three LIST requests per refresh). While the
 * view is visible the server watches the cluster (certsmith/watchCluster)
 * and says when something changed (certsmith/clusterChanged), so a
 * Certificate that goes Ready shows up without a click; a hidden view
 * stops the watch and costs nothing.
 */
import * as vscode from 'vscode';
import type { OverviewCertificate, OverviewIssuer } from '../../engine/cluster/cluster-overview.js';
import { EDITOR_COMMANDS } from '../../protocol/commands.js';
import type { ClusterTreeData } from '../../protocol/messages.js';

type Node =
  | { type: 'context'; name: string; current: boolean; server?: string }
  | { type: 'clusterIssuers'; issuers: OverviewIssuer[] }
  | { type: 'namespace'; name: string; current: boolean }
  | { type: 'issuer'; issuer: OverviewIssuer }
  | { type: 'certificate'; certificate: OverviewCertificate }
  | { type: 'message'; text: string; icon: string; tooltip?: string };

const DAY = 86_400_000;

function left(notAfter: string | undefined): { text: string; ms: number } | undefined {
  if (!notAfter) return undefined;
  const ms = Date.parse(notAfter) - Date.now();
  if (Number.isNaN(ms)) return undefined;
  if (ms <= 0) return { text: 'expired', ms };
  const d = Math.floor(ms / DAY);
  return { text: d >= 2 ? `expires in ${d} days` : `expires in ${Math.max(1, Math.round(ms / 3_600_000))} hours`, ms };
}

export class ClusterView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: Promise<ClusterTreeData> | undefined;

  constructor(
    private readonly load: () => Promise<ClusterTreeData>,
    private readonly expiryWarningDays: () => number,
  ) {}

  refresh(): void {
    this.data = undefined;
    this.changed.fire(undefined);
  }

  /** Watches while `view` is visible: watch(true) when it is shown (and the data read again: it may be stale), watch(false) when hidden. */
  followWhileVisible(view: vscode.TreeView<unknown>, watch: (on: boolean) => void): vscode.Disposable {
    if (view.visible) watch(true);
    return view.onDidChangeVisibility((e) => {
      watch(e.visible);
      if (e.visible) this.refresh();
    });
  }

  private get(): Promise<ClusterTreeData> {
    return (this.data ??= this.load().catch((e) => ({ contexts: [], problem: (e as Error).message })));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const data = await this.get();
    if (!node) {
      if (data.problem && !data.contexts.length) return [{ type: 'message', text: data.problem, icon: 'warning' }];
      return data.contexts.map((c) => ({ type: 'context', name: c.name, current: c.current, server: c.server }));
    }
    const o = data.overview;
    switch (node.type) {
      case 'context': {
        if (!node.current) return [];
        if (!o) return [{ type: 'message', text: data.problem ?? 'not loaded', icon: 'error', tooltip: data.problem }];
        const out: Node[] = o.notes.map((text) => ({ type: 'message', text, icon: 'info', tooltip: text }));
        const cis = o.issuers.filter((i) => i.kind === 'ClusterIssuer');
        if (cis.length) out.push({ type: 'clusterIssuers', issuers: cis });
        const namespaces = new Set<string>([o.namespace, ...o.certificates.map((c) => c.namespace), ...o.issuers.filter((i) => i.namespace).map((i) => i.namespace!)]);
        for (const ns of [...namespaces].sort()) out.push({ type: 'namespace', name: ns, current: ns === o.namespace });
        return out;
      }
      case 'clusterIssuers':
        return node.issuers.map((issuer) => ({ type: 'issuer', issuer }));
      case 'namespace': {
        if (!o) return [];
        const issuers: Node[] = o.issuers.filter((i) => i.kind === 'Issuer' && i.namespace === node.name).map((issuer) => ({ type: 'issuer', issuer }));
        const certs: Node[] = o.certificates.filter((c) => c.namespace === node.name).map((certificate) => ({ type: 'certificate', certificate }));
        return issuers.length + certs.length ? [...issuers, ...certs] : [{ type: 'message', text: 'no Issuers or Certificates', icon: 'circle-slash' }];
      }
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    switch (node.type) {
      case 'context': {
        const item = new vscode.TreeItem(node.name, node.current ? vscode.TreeItemCollapsibleState.Expanded : None);
        item.description = node.current ? `current${node.server ? ` · ${node.server}` : ''}` : node.server;
        item.iconPath = new vscode.ThemeIcon(node.current ? 'cloud' : 'circle-outline');
        item.contextValue = node.current ? 'context-current' : 'context';
        if (!node.current) item.command = { command: EDITOR_COMMANDS.clusterSwitchContext, title: 'Switch to this context', arguments: [{ context: node.name }] };
        item.tooltip = node.current ? `Context "${node.name}" (in use)` : `Switch to context "${node.name}"`;
        return item;
      }
      case 'clusterIssuers': {
        const item = new vscode.TreeItem('ClusterIssuers', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.issuers.length}`;
        item.iconPath = new vscode.ThemeIcon('organization');
        return item;
      }
      case 'namespace': {
        const item = new vscode.TreeItem(node.name, node.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = node.current ? 'namespace (current)' : 'namespace';
        item.iconPath = new vscode.ThemeIcon('folder');
        return item;
      }
      case 'issuer': {
        const i = node.issuer;
        const item = new vscode.TreeItem(i.name, None);
        item.description = `${i.kind}${i.type ? ` (${i.type})` : ''} · ${i.ready ? 'Ready' : `not Ready${i.reason ? `: ${i.reason}` : ''}`}`;
        item.iconPath = new vscode.ThemeIcon(i.ready ? 'pass' : 'warning');
        item.tooltip = `${i.kind} ${i.namespace ? `${i.namespace}/` : ''}${i.name}: ${i.ready ? 'Ready' : 'not Ready'}${i.message ? `\n${i.message}` : ''}`;
        item.contextValue = 'cluster-issuer';
        return item;
      }
      case 'certificate': {
        const c = node.certificate;
        const item = new vscode.TreeItem(c.name, None);
        const exp = left(c.notAfter);
        const warn = exp && exp.ms < this.expiryWarningDays() * DAY;
        const state = c.failed ? `failed${c.reason ? `: ${c.reason}` : ''}` : c.issuing ? 'issuing' : c.ready ? 'Ready' : `not Ready${c.reason ? `: ${c.reason}` : ''}`;
        item.description = `${state}${exp ? ` · ${exp.text}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(c.failed || (exp !== undefined && exp.ms <= 0) ? 'error' : c.issuing ? 'sync' : !c.ready ? 'warning' : warn ? 'warning' : 'verified');
        item.tooltip = new vscode.MarkdownString(
          `**${c.namespace}/${c.name}** → Secret \`${c.secretName ?? '?'}\`\n\n${c.dnsNames.map((d) => `- ${d}`).join('\n')}\n\n${state}${c.message ? `: ${c.message}` : ''}${c.notAfter ? `\n\nNot after ${c.notAfter}` : ''}${c.renewalTime ? `, renewal ${c.renewalTime}` : ''}`,
        );
        item.contextValue = 'cluster-certificate';
        item.command = { command: EDITOR_COMMANDS.clusterShowStatus, title: 'Show Certificate Status', arguments: [{ name: c.name, namespace: c.namespace }] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip ?? node.text;
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
