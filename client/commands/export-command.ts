/**
 * "Certsmith: Export Secret Manifest": writes the Secret of a local issuance
 * (secret.yaml: tls.crt, tls.key, ca.crt, cert-manager's annotations) where
 * the person chooses, through the language server (certsmith/exportSecret).
 * It holds a private key, so it is written only on this explicit request,
 * with mode 0600.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExportSecretRequest } from '../../protocol/messages.js';
import type { IssuedStore } from '../views/issued-store.js';
import type { Log } from '../log.js';

export async function exportCommand(arg: unknown, deps: { issued: IssuedStore; log: Log; client: () => Promise<LanguageClient> }): Promise<string | undefined> {
  const a = arg as { name?: string; namespace?: string | null; target?: string } | undefined;
  const all = deps.issued.all();
  let rec = a?.name ? all.find((r) => r.certificate === a.name && (a.namespace == null || r.namespace === a.namespace)) : undefined;
  if (!rec) {
    if (all.length === 0) {
      void vscode.window.showInformationMessage('Certsmith: nothing has been issued here yet; issue a Certificate first.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(all.map((r) => ({ label: `${r.namespace}/${r.certificate}`, description: `Secret ${r.secretName}, valid until ${r.notAfter.slice(0, 10)}`, r })), { title: 'Certsmith: export which Secret?' });
    if (!pick) return undefined;
    rec = pick.r;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = a?.target
    ? vscode.Uri.file(a.target)
    : await vscode.window.showSaveDialog({ title: 'Export Secret manifest (it contains the private key)', defaultUri: folder ? vscode.Uri.joinPath(folder, `${rec.secretName}-secret.yaml`) : undefined, filters: { YAML: ['yaml', 'yml'] } });
  if (!target) return undefined;
  const client = await deps.client();
  const r = await client.sendRequest(ExportSecretRequest, { outDir: rec.outDir, target: target.fsPath });
  if (r.error) throw new Error(r.error);
  deps.log.info(`exported Secret ${rec.namespace}/${rec.secretName} to ${target.fsPath}`);
  void vscode.window.showInformationMessage(`Certsmith: Secret ${rec.namespace}/${rec.secretName} written to ${vscode.workspace.asRelativePath(target)} (it contains the private key; do not commit it).`);
  return target.fsPath;
}
