/**
 * "Certsmith: Issue Certificate…" and "Certsmith: Renew Certificate": the
 * editor's interface over the language server's certsmith/issuePlan and
 * certsmith/issue.
 *
 * Issue: the Certificate (code lens argument, the cursor, or a pick from the
 * server's list), its plan in a modal (issuer, CA, solver per name, the TXT
 * records or HTTP listener that will exist for a while, where the result
 * goes), Let's Encrypt staging instead of production unless production is
 * confirmed twice, then the issuance with a cancellable progress
 * notification. Secret values that are in no file, and the ACME account key,
 * come from the secret storage when the server asks (language-client.ts).
 * Renew: the same Certificate again, to the same CA and output directory,
 * without the questions.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CertificateAtRequest, CertificatesRequest, IssuePlanRequest, IssueRequest, type CertificateRef, type IssuePlanResult, type IssueResult } from '../../protocol/messages.js';
import { EDITOR_COMMANDS } from '../../protocol/commands.js';
import type { Log } from '../log.js';
import type { IssuedStore } from '../views/issued-store.js';
import { requireTrust, runWithProgress } from './command-support.js';

export interface IssueDeps {
  log: Log;
  issued: IssuedStore;
  client: () => Promise<LanguageClient>;
}

/** The Certificate to act on: the argument, the one under the cursor, or one picked from the workspace. */
export async function chooseCertificate(arg: unknown, client: LanguageClient): Promise<CertificateRef | undefined> {
  const a = arg as Partial<CertificateRef> | undefined;
  if (a && typeof a.name === 'string') return { uri: a.uri, name: a.name, namespace: a.namespace ?? null };
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === 'yaml') {
    const hit = await client.sendRequest(CertificateAtRequest, { uri: editor.document.uri.toString(), position: editor.selection.active });
    if (hit) return hit;
  }
  const { certificates } = await client.sendRequest(CertificatesRequest);
  if (certificates.length === 0) {
    void vscode.window.showWarningMessage('Certsmith: there is no cert-manager Certificate in this workspace.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    certificates.map((c) => ({ label: c.name, description: c.namespace ?? '(default namespace)', detail: vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri)), target: { uri: c.uri, name: c.name, namespace: c.namespace } })),
    { title: 'Certsmith: which Certificate?', matchOnDescription: true },
  );
  return pick?.target;
}

function describePlan(p: IssuePlanResult): string {
  const plan = p.plan!;
  return [
    `Issuer: ${plan.issuer.label} (${plan.issuer.type})`,
    ...(p.server ? [`CA: ${p.server}`] : []),
    ...plan.names.map((n) => `• ${n.name}: ${n.solver}`),
    ...(plan.dnsRecords.length ? [`TXT records created, then removed: ${plan.dnsRecords.join(', ')}`] : []),
    ...(plan.httpListener ? [`HTTP-01 listener while validating: ${plan.httpListener}`] : []),
    `Result: Secret ${plan.certificate.namespace}/${plan.certificate.secretName} in ${p.outDir}`,
    ...plan.problems.map((x) => `⚠ ${x}`),
  ].join('\n');
}

async function runIssue(client: LanguageClient, params: Parameters<typeof client.sendRequest<typeof IssueRequest>>[1], title: string, deps: IssueDeps): Promise<IssueResult | undefined> {
  const r = await runWithProgress(client, deps.log, title, (token, workDoneToken) => client.sendRequest(IssueRequest, { ...params, workDoneToken }, token));
  if (r.cancelled) {
    deps.log.info(`issuance cancelled; nothing was written${r.error ? ` (${r.error})` : ''}`);
    void vscode.window.showInformationMessage('Certsmith: issuance cancelled. Everything it had created was removed; nothing was written.');
    return undefined;
  }
  if (r.error || !r.summary) {
    deps.log.error(`issuance failed: ${r.error}`);
    void vscode.window.showErrorMessage(`Certsmith: ${deps.log.redact(r.error ?? 'not issued')}`, 'Show Log').then((b) => {
      if (b) deps.log.channel.show(true);
    });
    return undefined;
  }
  return r;
}

async function record(target: CertificateRef, r: IssueResult, deps: IssueDeps): Promise<void> {
  const s = r.summary!;
  await deps.issued.put({
    certificate: target.name,
    namespace: s.namespace,
    secretName: s.secretName,
    outDir: r.outDir!,
    notBefore: s.notBefore,
    notAfter: s.notAfter,
    renewalTime: s.renewalTime,
    issuer: s.issuer,
    issuedAt: new Date().toISOString(),
    acmeServer: r.acmeServer,
    uri: target.uri ?? '',
  });
}

export async function issueCommand(arg: unknown, deps: IssueDeps): Promise<IssueResult['summary']> {
  if (!requireTrust('issuing certificates')) return undefined;
  const client = await deps.client();
  const target = await chooseCertificate(arg, client);
  if (!target) return undefined;
  const p = await client.sendRequest(IssuePlanRequest, target);
  if (p.error || !p.plan) {
    deps.log.error(p.error ?? 'no plan');
    void vscode.window.showErrorMessage(`Certsmith: ${p.error ?? 'the Certificate cannot be planned'}`);
    return undefined;
  }
  const plan = p.plan;
  const buttons: string[] = plan.issuer.letsEncryptProduction ? ['Issue with staging', 'Use production…'] : p.needsManual ? ['Create the TXT records myself'] : ['Issue'];
  deps.log.info(`plan for ${plan.certificate.namespace}/${plan.certificate.name}:\n${describePlan(p)}`);
  const detail = describePlan(p) + (plan.issuer.letsEncryptProduction ? `\n\nThe Issuer points at Let's Encrypt production; Certsmith uses ${p.defaultServer} unless you choose production.` : '');
  const choice = await vscode.window.showInformationMessage(`Issue ${plan.certificate.namespace}/${plan.certificate.name}?`, { modal: true, detail }, ...(p.blocking?.length ? [] : buttons));
  if (!choice) return undefined;
  let production = false;
  if (choice === 'Use production…') {
    const sure = await vscode.window.showWarningMessage(
      "Request a real, publicly trusted certificate from Let's Encrypt production?",
      { modal: true, detail: "It counts against Let's Encrypt's rate limits and is logged in Certificate Transparency for the names in it." },
      'Use production',
    );
    if (sure !== 'Use production') return undefined;
    production = true;
  }
  const r = await runIssue(client, { ...target, production, dns01Manual: choice === 'Create the TXT records myself' }, `Certsmith: issuing ${plan.certificate.namespace}/${plan.certificate.name}`, deps);
  if (!r) return undefined;
  await record(target, r, deps);
  const s = r.summary!;
  const folder = target.uri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(target.uri)) : vscode.workspace.workspaceFolders?.[0];
  void vscode.window.showInformationMessage(`Certsmith: issued ${s.dnsNames.join(', ') || plan.certificate.name}, valid until ${s.notAfter.slice(0, 10)}; Secret written to ${path.relative(folder?.uri.fsPath ?? '', r.outDir!) || r.outDir}.`, 'Inspect', 'Export Secret Manifest').then((b) => {
    if (b === 'Inspect') void vscode.commands.executeCommand(EDITOR_COMMANDS.inspectChain, { kind: 'certificate', name: target.name, namespace: s.namespace });
    if (b === 'Export Secret Manifest') void vscode.commands.executeCommand(EDITOR_COMMANDS.exportSecretManifest, { name: target.name, namespace: s.namespace });
  });
  return s;
}

export async function renewCommand(arg: unknown, deps: IssueDeps): Promise<IssueResult['summary']> {
  if (!requireTrust('renewing certificates')) return undefined;
  const client = await deps.client();
  const target = await chooseCertificate(arg, client);
  if (!target) return undefined;
  const previous = deps.issued.all().find((r) => r.certificate === target.name && (target.namespace == null || r.namespace === target.namespace));
  if (!previous) {
    const b = await vscode.window.showInformationMessage(`Certsmith: ${target.namespace ? `${target.namespace}/` : ''}${target.name} has not been issued here yet.`, 'Issue…');
    return b ? issueCommand(target, deps) : undefined;
  }
  const r = await runIssue(client, { ...target, namespace: previous.namespace, renew: { outDir: previous.outDir, acmeServer: previous.acmeServer } }, `Certsmith: renewing ${previous.namespace}/${target.name}`, deps);
  if (!r) return undefined;
  await record(target, r, deps);
  void vscode.window.showInformationMessage(`Certsmith: renewed ${previous.namespace}/${target.name}${r.summary!.keyReused ? ' with the same private key (rotationPolicy: Never)' : ' with a new private key'}; valid until ${r.summary!.notAfter.slice(0, 10)}.`);
  return r.summary;
}
