/**
 * "Certsmith: Check a cert-manager Upgrade…": from which release to which
 * (the release checked against now is offered first), then what changes for
 * the workspace's manifests (certsmith/upgradeCheck) as a read-only document,
 * one line per entry with its file and line.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CertManagerTargetRequest, UpgradeCheckRequest } from '../../protocol/messages.js';
import type { Log } from '../log.js';
import type { VirtualDocuments } from '../views/virtual-documents.js';

const TITLES = { 'starts-failing': 'starts failing', 'stops-failing': 'stops failing', 'default-changes': 'default changes' } as const;

export async function upgradeCheckCommand(_arg: unknown, deps: { log: Log; client: () => Promise<LanguageClient>; documents: VirtualDocuments }): Promise<number | undefined> {
  const client = await deps.client();
  const target = await client.sendRequest(CertManagerTargetRequest);
  const order = target.bundled;
  const from = await vscode.window.showQuickPick(
    order.map((id) => ({ label: id, description: id === target.release ? `checked against now (${target.from})` : undefined })).sort((a, b) => Number(b.label === target.release) - Number(a.label === target.release)),
    { title: 'Certsmith: upgrade cert-manager from which release?' },
  );
  if (!from) return undefined;
  const newer = order.slice(order.indexOf(from.label) + 1);
  if (!newer.length) {
    void vscode.window.showInformationMessage(`Certsmith: ${from.label} is the newest bundled release.`);
    return undefined;
  }
  const to = await vscode.window.showQuickPick(newer.reverse().map((id) => ({ label: id })), { title: `Certsmith: upgrade from ${from.label} to which release?` });
  if (!to) return undefined;
  const r = await client.sendRequest(UpgradeCheckRequest, { from: from.label, to: to.label });
  if (r.error) throw new Error(r.error);
  const shown = (uri: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
  const lines = [
    `cert-manager ${r.from} → ${r.to}: what changes for this workspace's manifests`,
    '',
    ...(r.entries.length ? r.entries.map((e) => `${shown(e.uri)}:${e.line}:${e.column}: ${TITLES[e.kind]}: ${e.message}${e.code ? ` [${e.code}]` : ''}`) : ['Nothing changes for these manifests.']),
  ];
  deps.log.info(`upgrade check ${r.from} → ${r.to}: ${r.entries.length} entries`);
  await vscode.window.showTextDocument(deps.documents.put(`upgrade/${r.from}-to-${r.to}.txt`, lines.join('\n') + '\n'), { preview: true });
  return r.entries.length;
}
