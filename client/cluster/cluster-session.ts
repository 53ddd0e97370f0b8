/**
 * Which cluster the editor talks to: the kubeconfig (the setting
 * certsmith.cluster.kubeconfig, else KUBECONFIG, else ~/.kube/config), the
 * context and the namespace. Switching context or namespace is remembered
 * for this workspace (workspace state) and never written to the kubeconfig.
 * A status bar item shows "context / namespace"; clicking it switches.
 * Every change is sent to the language server (certsmith/clusterSettings),
 * which uses it for its opt-in dry run and live issuers.
 */
import * as vscode from 'vscode';
import { ClusterConnection } from '../../engine/cluster/connection.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import { loadKubeconfig, type ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { NAMESPACES } from '../../engine/cluster/resource-path.js';
import type { Log } from '../log.js';
import { CLUSTER_CHOICE_KEY as STATE_KEY, readClusterSettings, type ClusterChoice as Choice } from '../settings.js';

export class ClusterSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly status: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {
    this.status = vscode.window.createStatusBarItem('certsmith.cluster', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'Certsmith: cluster context';
    this.status.command = 'certsmith.cluster.switchContext';
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('certsmith.cluster')) this.fire();
      }),
    );
    this.updateStatus();
  }

  private get choice(): Choice {
    return this.state.get<Choice>(STATE_KEY) ?? {};
  }

  private fire(): void {
    this.updateStatus();
    this.changed.fire();
  }

  /** The context and namespace in use: the workspace's choice, else the settings, else the kubeconfig's. */
  target(): ClusterTarget {
    const s = readClusterSettings();
    const c = this.choice;
    return loadKubeconfig({ kubeconfig: s.kubeconfig || undefined, context: c.context || s.context || undefined, namespace: c.namespace || s.namespace || undefined, namespaceIsDefault: true });
  }

  /** The target, or undefined with the reason (no kubeconfig, no context). */
  tryTarget(): { target?: ClusterTarget; problem?: string } {
    try {
      return { target: this.target() };
    } catch (e) {
      if (e instanceof ClusterError) return { problem: e.message + (e.hint ? ` ${e.hint}` : '') };
      throw e;
    }
  }

  /** Opens a connection for one operation and closes it afterwards. */
  async withConnection<T>(fn: (conn: ClusterConnection, target: ClusterTarget) => Promise<T>): Promise<T> {
    const target = this.target();
    const conn = await ClusterConnection.open(target, { timeoutMs: readClusterSettings().requestTimeoutSeconds * 1000 });
    try {
      return await fn(conn, target);
    } finally {
      conn.close();
    }
  }

  private updateStatus(): void {
    const { target, problem } = this.tryTarget();
    if (!target) {
      this.status.text = '$(cloud) no cluster';
      this.status.tooltip = `Certsmith: ${problem ?? 'no kubeconfig'}`;
    } else {
      this.status.text = `$(cloud) ${target.context} / ${target.namespace}`;
      this.status.tooltip = `Certsmith cluster: context "${target.context}" (${target.server}), namespace "${target.namespace}". Click to switch.`;
    }
    this.status.show();
  }

  /** "Certsmith: Switch Cluster Context / Namespace": a context, then a namespace (listed from the cluster when allowed). */
  async switchContext(arg?: unknown): Promise<void> {
    const given = arg as { context?: string } | undefined;
    const { target, problem } = this.tryTarget();
    if (!target) {
      void vscode.window.showErrorMessage(`Certsmith: ${problem}`);
      return;
    }
    let context = given?.context;
    if (!context) {
      const pick = await vscode.window.showQuickPick(
        target.contexts.map((c) => ({ label: c.name, description: `${c.name === target.context ? '(current) ' : ''}cluster ${c.cluster}, user ${c.user}${c.namespace ? `, namespace ${c.namespace}` : ''}`, context: c.name })),
        { title: 'Certsmith: which cluster context? (the kubeconfig is not changed)' },
      );
      if (!pick) return;
      context = pick.context;
    }
    await this.state.update(STATE_KEY, { context, namespace: undefined } satisfies Choice);
    let namespaces: string[] = [];
    try {
      namespaces = await this.withConnection(async (conn) => (await new ClusterReader(conn).list(NAMESPACES, undefined, { metadataOnly: true })).items.map((n) => n.metadata.name as string).sort());
    } catch (e) {
      this.log.warn(`cannot list namespaces in context "${context}": ${(e as Error).message}`);
    }
    const now = this.target();
    const items: (vscode.QuickPickItem & { ns?: string })[] = namespaces.map((n) => ({ label: n, description: n === now.namespace ? '(current)' : undefined, ns: n }));
    items.push({ label: '$(edit) Another namespace…' });
    const pick = await vscode.window.showQuickPick(items, { title: `Certsmith: namespace in context "${context}"`, placeHolder: now.namespace });
    let namespace = pick?.ns;
    if (pick && !pick.ns) namespace = await vscode.window.showInputBox({ title: 'Namespace', value: now.namespace, validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'a namespace name: lower-case letters, digits and -') });
    await this.state.update(STATE_KEY, { context, namespace: namespace || undefined } satisfies Choice);
    const t = this.target();
    this.log.info(`cluster: context "${t.context}" (${t.server}), namespace "${t.namespace}"`);
    this.fire();
  }

  dispose(): void {
    this.status.dispose();
    this.changed.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
