/**
 * The cluster commands of the editor, over engine/cluster:
 *
 *   Apply to Cluster              names the context, asks, then server-side
 *                                 apply of the document (as saved or not);
 *                                 refusals go to the Problems panel
 *   Dry Run Against Cluster       the language server's dry run of the
 *                                 document (certsmith/checkAgainstCluster):
 *                                 its diagnostics appear beside the local ones
 *   Diff with Cluster             the live object against the dry-run result,
 *                                 in VS Code's diff editor, one per object
 *   Show Certificate Status       cmctl-like status as a read-only document,
 *                                 and the Secret's chain in the chain panel
 *   Renew Certificate in Cluster  cmctl renew, then follows the Certificate
 *                                 (a watch) with a cancellable progress
 *   Switch Context / Namespace    see cluster-session.ts
 *
 * Secret values never reach the log, a document or a message.
 */
import * as vscode from 'vscode';
import { applyObjects, type ApplyReport } from '../../engine/cluster/apply.js';
import { diffObjects } from '../../engine/cluster/diff.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import { certificateStatus } from '../../engine/cluster/certificate-status.js';
import { renderStatus } from '../../engine/cluster/status-text.js';
import { renewCertificates } from '../../engine/cluster/renew.js';
import { describeState, waitForCertificate } from '../../engine/cluster/certificate-wait.js';
import { objectRange, readManifestObjects, type SourceObject } from '../../engine/cluster/source-objects.js';
import { kindOffsets } from '../../engine/cluster/field-path.js';
import { certificateAt } from '../../engine/issue/certificate-at.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import type { CheckResult } from '../../engine/language/cluster-protocol.js';

export type { CheckResult };
import type { Log } from '../log.js';
import type { ClusterSession } from './cluster-session.js';
import { SHOW_CHAIN_REPORT_COMMAND } from '../panels/chain-command.js';
import { ClusterDocuments } from './cluster-documents.js';

export interface ClusterDeps {
  log: Log;
  session: ClusterSession;
  documents: ClusterDocuments;
  /** Diagnostics of Apply (the dry run's come from the language server). */
  applyDiagnostics: vscode.DiagnosticCollection;
  /** The language server's certsmith/checkAgainstCluster. */
  checkAgainstCluster(uri: string): Promise<CheckResult>;
  /** Refresh the Cluster view after a change. */
  refreshView(): void;
}


/** The document a command acts on: the argument's (code lens, explorer), else the active editor's. */
async function documentOf(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const a = arg as { uri?: string } | vscode.Uri | undefined;
  const uri = a instanceof vscode.Uri ? a : typeof a?.uri === 'string' ? vscode.Uri.parse(a.uri) : undefined;
  if (uri) return vscode.workspace.openTextDocument(uri);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === 'yaml') return doc;
  void vscode.window.showWarningMessage('Certsmith: open a YAML manifest first.');
  return undefined;
}

/** The range of one object, when a code lens names it. */
function rangeOf(arg: unknown): { start: { line: number }; end: { line: number } } | undefined {
  const r = (arg as { range?: { start?: { line?: number }; end?: { line?: number } } } | undefined)?.range;
  return typeof r?.start?.line === 'number' && typeof r.end?.line === 'number' ? (r as { start: { line: number }; end: { line: number } }) : undefined;
}

function objectsOf(doc: vscode.TextDocument, log: Log, only?: { start: { line: number }; end: { line: number } }): SourceObject[] | undefined {
  const read = readManifestObjects([{ display: doc.uri.toString(), text: doc.getText() }]);
  const problems = read.problems;
  // A code lens's object: the one whose kind line lies in its range.
  const objects = only ? read.objects.filter((o) => ((l) => l >= only.start.line && l <= only.end.line)(objectRange(o, kindOffsets(o.object)).start.line)) : read.objects;
  if (problems.length) {
    void vscode.window.showErrorMessage(`Certsmith: ${vscode.workspace.asRelativePath(doc.uri)} cannot be sent to a cluster: ${problems[0].diagnostic.message}`);
    log.warn(`${doc.uri.fsPath}: ${problems.map((p) => p.diagnostic.message).join('; ')}`);
    return undefined;
  }
  if (!objects.length) {
    void vscode.window.showWarningMessage('Certsmith: there is no Kubernetes object in this document.');
    return undefined;
  }
  return objects;
}

function vsDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const r = d.range;
  const out = new vscode.Diagnostic(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
  out.source = d.source ?? 'certsmith-cluster';
  out.code = d.code;
  return out;
}

export async function applyCommand(arg: unknown, deps: ClusterDeps): Promise<ApplyReport | undefined> {
  const doc = await documentOf(arg);
  if (!doc) return undefined;
  const objects = objectsOf(doc, deps.log, rangeOf(arg));
  if (!objects) return undefined;
  const target = deps.session.target();
  const names = objects.map((o) => `${o.kind}/${o.name}`);
  const answer = await vscode.window.showWarningMessage(
    `Apply ${objects.length} object${objects.length === 1 ? '' : 's'} to context "${target.context}"?`,
    { modal: true, detail: `${target.server}\nNamespace for objects without one: ${target.namespace}\n\n${names.slice(0, 12).join('\n')}${names.length > 12 ? `\n… and ${names.length - 12} more` : ''}\n\nServer-side apply, field manager "certsmith".` },
    'Apply',
  );
  if (answer !== 'Apply') return undefined;
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Certsmith: applying to ${target.context}`, cancellable: true }, (progress, token) =>
    deps.session.withConnection(async (conn) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let done = 0;
      return applyObjects(conn, objects, {
        signal: abort.signal,
        onResult: (r) => progress.report({ message: `${r.label} ${r.outcome}`, increment: (++done / objects.length) * 100 - ((done - 1) / objects.length) * 100 }),
      });
    }),
  );
  deps.applyDiagnostics.set(doc.uri, report.results.flatMap((r) => r.diagnostics.map(vsDiagnostic)));
  for (const r of report.results) deps.log.info(`apply ${r.label}${r.namespace ? ` (namespace ${r.namespace})` : ''}: ${r.outcome}${r.rejection ? ` — ${r.rejection.message}` : ''}`);
  if (report.fatal) throw report.fatal;
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
  const doc = await documentOf(arg);
  if (!doc) return undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Certsmith: server dry run…' }, () => deps.checkAgainstCluster(doc.uri.toString()));
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
  const doc = await documentOf(arg);
  if (!doc) return undefined;
  const objects = objectsOf(doc, deps.log, rangeOf(arg));
  if (!objects) return undefined;
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Certsmith: comparing with the cluster…' }, () => deps.session.withConnection((conn) => diffObjects(conn, objects)));
  if (report.fatal) throw report.fatal;
  deps.applyDiagnostics.set(doc.uri, report.objects.flatMap((o) => o.result.diagnostics.map(vsDiagnostic)));
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
async function certificateOf(arg: unknown, deps: ClusterDeps): Promise<{ name: string; namespace: string } | undefined> {
  const a = arg as { name?: string; namespace?: string | null } | undefined;
  const fallbackNs = () => deps.session.target().namespace;
  if (a && typeof a.name === 'string') return { name: a.name, namespace: a.namespace || fallbackNs() };
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'yaml') {
    const hit = certificateAt(editor.document.getText(), editor.document.offsetAt(editor.selection.active));
    if (hit) return { name: hit.name, namespace: hit.namespace || fallbackNs() };
  }
  const name = await vscode.window.showInputBox({ title: `Certsmith: Certificate name (namespace ${fallbackNs()})` });
  return name ? { name, namespace: fallbackNs() } : undefined;
}

export async function statusCommand(arg: unknown, deps: ClusterDeps): Promise<string | undefined> {
  const crt = await certificateOf(arg, deps);
  if (!crt) return undefined;
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Certsmith: status of ${crt.namespace}/${crt.name}…` }, () =>
    deps.session.withConnection((conn) => certificateStatus(new ClusterReader(conn), crt.namespace, crt.name)),
  );
  const text = renderStatus(report);
  const uri = deps.documents.put(`status/${report.context}/${crt.namespace}/${crt.name}.txt`, text);
  await vscode.window.showTextDocument(uri, { preview: true });
  // The one chain panel lives in dist/lazy.js: shown through its internal command, not a second copy of the panel in this bundle.
  if (report.secret?.chain) await vscode.commands.executeCommand(SHOW_CHAIN_REPORT_COMMAND, { report: report.secret.chain, title: `Secret ${crt.namespace}/${report.secret.name} (${report.context})` });
  return text;
}

export async function renewClusterCommand(arg: unknown, deps: ClusterDeps): Promise<string | undefined> {
  const crt = await certificateOf(arg, deps);
  if (!crt) return undefined;
  const target = deps.session.target();
  const answer = await vscode.window.showWarningMessage(`Renew Certificate ${crt.namespace}/${crt.name} in context "${target.context}"?`, { modal: true, detail: `cert-manager issues a new certificate now (as cmctl renew: the Issuing condition, reason ManuallyTriggered).\n${target.server}` }, 'Renew');
  if (answer !== 'Renew') return undefined;
  return deps.session.withConnection(async (conn) => {
    const reader = new ClusterReader(conn);
    const [result] = await renewCertificates(reader, crt.namespace, { names: [crt.name] });
    deps.log.info(`renew ${crt.namespace}/${crt.name} in "${target.context}": ${result.message}`);
    if (result.outcome !== 'triggered') {
      void vscode.window.showWarningMessage(`Certsmith: ${result.message}`);
      return result.outcome;
    }
    deps.refreshView();
    const waited = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Certsmith: ${crt.namespace}/${crt.name}`, cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      progress.report({ message: 'renewal triggered; waiting for cert-manager…' });
      return waitForCertificate(reader, crt.namespace, crt.name, {
        timeoutMs: 10 * 60_000,
        signal: abort.signal,
        onEvent: (e) => {
          if (e.type === 'observed') progress.report({ message: e.conditions.filter((c) => c.type === 'Ready' || c.type === 'Issuing').map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ') || 'no conditions yet' });
          else if (e.type === 'disconnected') progress.report({ message: `watch interrupted (${e.message}); reconnecting…` });
          else progress.report({ message: 'reconnected' });
        },
      }).catch((e) => {
        if (e instanceof ClusterError && e.kind === 'aborted') return undefined;
        throw e;
      });
    });
    deps.refreshView();
    if (!waited) return 'cancelled';
    if (waited.outcome === 'ready') void vscode.window.showInformationMessage(`Certsmith: ${crt.namespace}/${crt.name} renewed: ${waited.message}`);
    else void vscode.window.showWarningMessage(`Certsmith: ${crt.namespace}/${crt.name}: ${waited.message}${waited.certificate && waited.outcome !== 'timeout' ? ` (${describeState(waited.certificate)})` : ''}`);
    return waited.outcome;
  });
}

