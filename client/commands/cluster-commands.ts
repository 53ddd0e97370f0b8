/**
 * The cluster commands of the editor: its interface over the language
 * server's cluster requests (protocol/messages.ts), which resolve the
 * kubeconfig, context, namespace and time limit from the settings:
 *
 *   Apply to Cluster              names the context, asks, then server-side
 *                                 apply of the document (as saved or not);
 *                                 refusals become the document's diagnostics
 *   Dry Run Against Cluster       the server's dry run of the document: its
 *                                 diagnostics appear beside the local ones
 *   Diff with Cluster             the live object against the dry-run result,
 *                                 in VS Code's diff editor, one per object
 *   Show Certificate Status       the status panel: status, why it is (not)
 *                                 Ready and the Certificate → request → order →
 *                                 challenges picture; and the Secret's chain
 *   Why not Ready?                the same panel, without the chain
 *   Renew Certificate in Cluster  cmctl renew, then follows the Certificate
 *                                 (a watch) with a cancellable progress
 *   Switch Context / Namespace    the workspace's choice, sent to the server
 *
 * Secret values never reach the log, a document or a message.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EDITOR_COMMANDS, SHOW_CHAIN_REPORT_COMMAND } from '../../protocol/commands.js';
import {
  ApplyPlanRequest,
  ApplyRequest,
  CertificateAtRequest,
  CheckAgainstClusterRequest,
  ClusterNamespacesRequest,
  ClusterTargetRequest,
  DiffRequest,
  ExplainCertificateRequest,
  RenewRequest,
  WaitForCertificateRequest,
  type ApplyResult,
  type CertificateRef,
  type CheckResult,
  type ClusterTarget,
  type DocumentTarget,
} from '../../protocol/messages.js';
import type { Explanation } from '../../engine/cluster/explain/explanation.js';
import type { Log } from '../log.js';
import { StatusPanel } from '../panels/status-panel.js';
import { setClusterChoice } from '../settings.js';
import type { VirtualDocuments } from '../views/virtual-documents.js';
import { runWithProgress } from './command-support.js';

export interface ClusterDeps {
  log: Log;
  client: () => Promise<LanguageClient>;
  documents: VirtualDocuments;
  state: vscode.Memento;
  /** The workspace's cluster choice changed (tell the server, refresh the views). */
  choiceChanged(): void;
  /** Refresh the Cluster view after a change. */
  refreshView(): void;
}

/** The document a command acts on: the argument's (code lens, explorer), else the active editor's. */
function targetOf(arg: unknown): DocumentTarget | undefined {
  const a = arg as Partial<DocumentTarget> | vscode.Uri | undefined;
  if (a instanceof vscode.Uri) return { uri: a.toString() };
  if (typeof a?.uri === 'string') return { uri: a.uri, range: a.range };
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === 'yaml') return { uri: doc.uri.toString() };
  void vscode.window.showWarningMessage('Certsmith: open a YAML manifest first.');
  return undefined;
}

/** The context in use, or an error message shown to the person. */
async function currentTarget(client: LanguageClient): Promise<ClusterTarget | undefined> {
  const t = await client.sendRequest(ClusterTargetRequest);
  if (!t.target) void vscode.window.showErrorMessage(`Certsmith: ${t.problem ?? 'no cluster is configured'}`);
  return t.target;
}

export async function applyCommand(arg: unknown, deps: ClusterDeps): Promise<ApplyResult | undefined> {
  const target = targetOf(arg);
  if (!target) return undefined;
  const client = await deps.client();
  const plan = await client.sendRequest(ApplyPlanRequest, target);
  if (plan.problem) {
    void vscode.window.showErrorMessage(`Certsmith: ${vscode.workspace.asRelativePath(vscode.Uri.parse(target.uri))}: ${plan.problem}`);
    return undefined;
  }
  const names = plan.objects;
  const answer = await vscode.window.showWarningMessage(
    `Apply ${names.length} object${names.length === 1 ? '' : 's'} to context "${plan.context}"?`,
    { modal: true, detail: `${plan.server}\nNamespace for objects without one: ${plan.namespace}\n\n${names.slice(0, 12).join('\n')}${names.length > 12 ? `\n… and ${names.length - 12} more` : ''}\n\nServer-side apply, field manager "certsmith".` },
    'Apply',
  );
  if (answer !== 'Apply') return undefined;
  const report = await runWithProgress(client, deps.log, `Certsmith: applying to ${plan.context}`, (token, workDoneToken) => client.sendRequest(ApplyRequest, { ...target, context: plan.context, workDoneToken }, token));
  for (const r of report.results) deps.log.info(`apply ${r.label}${r.namespace ? ` (namespace ${r.namespace})` : ''}: ${r.outcome}${r.message ? ` — ${r.message}` : ''}`);
  if (report.error) throw new Error(`apply to "${report.context}": ${report.error}`);
  const rejected = report.results.filter((r) => r.outcome === 'rejected').length;
  const counts = new Map<string, number>();
  for (const r of report.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const summary = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  if (rejected) void vscode.window.showErrorMessage(`Certsmith: ${rejected} object${rejected === 1 ? '' : 's'} refused by context "${report.context}" (${summary}); see the Problems panel.`);
  else void vscode.window.showInformationMessage(`Certsmith: applied to "${report.context}": ${summary}.`);
  deps.refreshView();
  return report;
}

export async function dryRunCommand(arg: unknown, deps: ClusterDeps): Promise<CheckResult | undefined> {
  const target = targetOf(arg);
  if (!target) return undefined;
  const client = await deps.client();
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Certsmith: server dry run…' }, () => client.sendRequest(CheckAgainstClusterRequest, { uri: target.uri }));
  if (result.error) {
    void vscode.window.showErrorMessage(`Certsmith: dry run against "${result.context}" failed: ${result.error}`);
  } else if (result.rejected) {
    void vscode.window.showWarningMessage(`Certsmith: context "${result.context}" would refuse ${result.rejected} of ${result.objects} object${result.objects === 1 ? '' : 's'}; see the Problems panel.`);
  } else {
    void vscode.window.setStatusBarMessage(`Certsmith: dry run against "${result.context}": ${result.objects} object${result.objects === 1 ? '' : 's'} accepted`, 8000);
  }
  return result;
}

export async function diffCommand(arg: unknown, deps: ClusterDeps): Promise<number | undefined> {
  const target = targetOf(arg);
  if (!target) return undefined;
  const client = await deps.client();
  const report = await runWithProgress(client, deps.log, 'Certsmith: comparing with the cluster…', (token, workDoneToken) => client.sendRequest(DiffRequest, { ...target, workDoneToken }, token));
  if (report.error) throw new Error(report.error);
  const differing = report.objects.filter((o) => o.outcome === 'changed' || o.outcome === 'created' || o.outcome === 'not-checked');
  const rejected = report.objects.filter((o) => o.outcome === 'rejected').length;
  if (!differing.length) {
    void vscode.window.showInformationMessage(rejected ? `Certsmith: ${rejected} object${rejected === 1 ? '' : 's'} would be refused by "${report.context}"; see the Problems panel.` : `Certsmith: no differences with context "${report.context}".`);
    return 0;
  }
  for (const o of differing) {
    const left = deps.documents.put(`live/${o.path}.yaml`, o.before);
    const right = deps.documents.put(`merged/${o.path}.yaml`, o.after);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${o.label}: ${report.context} ↔ after apply${o.outcome === 'created' ? ' (new)' : ''}`, { preview: differing.length === 1 });
  }
  return differing.length;
}

/** The Certificate: the argument (tree, lens), the one under the cursor, or asked for. */
async function certificateOf(arg: unknown, client: LanguageClient): Promise<CertificateRef | undefined> {
  const a = arg as Partial<CertificateRef> | undefined;
  if (a && typeof a.name === 'string') return { name: a.name, namespace: a.namespace || undefined };
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'yaml') {
    const hit = await client.sendRequest(CertificateAtRequest, { uri: editor.document.uri.toString(), position: editor.selection.active });
    if (hit) return { name: hit.name, namespace: hit.namespace || undefined };
  }
  const t = await currentTarget(client);
  if (!t) return undefined;
  const name = await vscode.window.showInputBox({ title: `Certsmith: Certificate name (namespace ${t.namespace})` });
  return name ? { name } : undefined;
}

/** The status panel for a Certificate: its status, why it is (not) Ready, the picture; with the Secret's chain when asked. */
async function showStatusPanel(arg: unknown, deps: ClusterDeps, withChain: boolean): Promise<Explanation | undefined> {
  const client = await deps.client();
  const crt = await certificateOf(arg, client);
  if (!crt) return undefined;
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Certsmith: ${withChain ? 'status' : 'why'} of ${crt.namespace ? `${crt.namespace}/` : ''}${crt.name}…` }, () => client.sendRequest(ExplainCertificateRequest, crt));
  if (r.error || !r.explanation) throw new Error(r.error ?? 'no status');
  const x = r.explanation;
  deps.log.info(`${x.namespace}/${x.name} in "${x.context}": ${x.verdict}${x.cause ? ` [${x.cause.code}] ${x.cause.title}` : ''}`);
  StatusPanel.show(x);
  const chain = x.status.secret?.chain;
  if (withChain && chain) await vscode.commands.executeCommand(SHOW_CHAIN_REPORT_COMMAND, { report: chain, title: `Secret ${x.namespace}/${x.status.secret!.name} (${x.context})` });
  return x;
}

/** Show Certificate Status: the status panel and the Secret's chain. */
export function statusCommand(arg: unknown, deps: ClusterDeps): Promise<Explanation | undefined> {
  return showStatusPanel(arg, deps, true);
}

/** "Why not Ready?": the status panel, the cause first. */
export function explainCommand(arg: unknown, deps: ClusterDeps): Promise<Explanation | undefined> {
  return showStatusPanel(arg, deps, false);
}

export async function renewClusterCommand(arg: unknown, deps: ClusterDeps): Promise<string | undefined> {
  const client = await deps.client();
  const crt = await certificateOf(arg, client);
  if (!crt) return undefined;
  const target = await currentTarget(client);
  if (!target) return undefined;
  const ns = crt.namespace || target.namespace;
  const answer = await vscode.window.showWarningMessage(`Renew Certificate ${ns}/${crt.name} in context "${target.context}"?`, { modal: true, detail: `cert-manager issues a new certificate now (as cmctl renew: the Issuing condition, reason ManuallyTriggered).\n${target.server}` }, 'Renew');
  if (answer !== 'Renew') return undefined;
  const result = await client.sendRequest(RenewRequest, { name: crt.name, namespace: ns, context: target.context });
  deps.log.info(`renew ${ns}/${crt.name} in "${target.context}": ${result.message}`);
  if (result.outcome !== 'triggered') {
    void vscode.window.showWarningMessage(`Certsmith: ${result.message}`);
    return result.outcome;
  }
  deps.refreshView();
  const waited = await runWithProgress(client, deps.log, `Certsmith: ${ns}/${crt.name}`, (token, workDoneToken) => client.sendRequest(WaitForCertificateRequest, { name: crt.name, namespace: ns, workDoneToken }, token));
  deps.refreshView();
  if (waited.outcome === 'cancelled') return 'cancelled';
  if (waited.outcome === 'ready') void vscode.window.showInformationMessage(`Certsmith: ${ns}/${crt.name} renewed: ${waited.message}`);
  else void vscode.window.showWarningMessage(`Certsmith: ${ns}/${crt.name}: ${waited.message}${waited.state ? ` (${waited.state})` : ''}`);
  return waited.outcome;
}

/** "Certsmith: Switch Cluster Context / Namespace": a context, then a namespace (listed from the cluster when allowed). */
export async function switchContextCommand(arg: unknown, deps: ClusterDeps): Promise<void> {
  const client = await deps.client();
  const target = await currentTarget(client);
  if (!target) return;
  let context = (arg as { context?: string } | undefined)?.context;
  if (!context) {
    const pick = await vscode.window.showQuickPick(
      target.contexts.map((c) => ({ label: c.name, description: `${c.name === target.context ? '(current) ' : ''}cluster ${c.cluster}, user ${c.user}${c.namespace ? `, namespace ${c.namespace}` : ''}`, context: c.name })),
      { title: 'Certsmith: which cluster context? (the kubeconfig is not changed)' },
    );
    if (!pick) return;
    context = pick.context;
  }
  const listed = await client.sendRequest(ClusterNamespacesRequest, { context });
  if (listed.error) deps.log.warn(`cannot list namespaces in context "${context}": ${listed.error}`);
  const fallback = target.contexts.find((c) => c.name === context)?.namespace ?? 'default';
  const items: (vscode.QuickPickItem & { ns?: string })[] = listed.namespaces.map((n) => ({ label: n, description: n === fallback ? '(the context\'s)' : undefined, ns: n }));
  items.push({ label: '$(edit) Another namespace…' });
  const pick = await vscode.window.showQuickPick(items, { title: `Certsmith: namespace in context "${context}"`, placeHolder: fallback });
  let namespace = pick?.ns;
  if (pick && !pick.ns) namespace = await vscode.window.showInputBox({ title: 'Namespace', value: fallback, validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'a namespace name: lower-case letters, digits and -') });
  await setClusterChoice(deps.state, { context, namespace: namespace || undefined });
  deps.log.info(`cluster: context "${context}", namespace "${namespace || fallback}" (this workspace; the kubeconfig is not changed)`);
  deps.choiceChanged();
}

/** The editor command of each cluster action, for extension.ts. */
export const CLUSTER_COMMANDS = {
  [EDITOR_COMMANDS.clusterApply]: applyCommand,
  [EDITOR_COMMANDS.clusterDryRun]: dryRunCommand,
  [EDITOR_COMMANDS.clusterDiff]: diffCommand,
  [EDITOR_COMMANDS.clusterShowStatus]: statusCommand,
  [EDITOR_COMMANDS.clusterExplain]: explainCommand,
  [EDITOR_COMMANDS.clusterRenew]: renewClusterCommand,
  [EDITOR_COMMANDS.clusterSwitchContext]: switchContextCommand,
} as const;

