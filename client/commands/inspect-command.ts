/**
 * "Certsmith: Inspect Certificate Chain": a file, the selection, a Secret in
 * YAML (code lens), the result of a local issuance, or a TLS server
 * (host:port), inspected by the language server (certsmith/inspectChain) and
 * shown in the chain inspector panel, which follows a file it came from.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ChainReport } from '../../engine/chain/inspect.js';
import { EDITOR_COMMANDS } from '../../protocol/commands.js';
import { InspectChainRequest, type InspectParams } from '../../protocol/messages.js';
import type { IssuedStore } from '../views/issued-store.js';
import type { Log } from '../log.js';
import { ChainPanel } from '../panels/chain-panel.js';

interface InspectArg {
  kind?: 'certificate' | 'secret';
  uri?: string;
  name?: string;
  namespace?: string | null;
  range?: InspectParams['range'];
}

function validEndpoint(s: string): boolean {
  return /^\[[^\]]+\](:\d{1,5})?$/.test(s.trim()) || /^[^:\s]+(:\d{1,5})?$/.test(s.trim());
}

/** What to inspect, asking the person when the argument and the editor say nothing; the file it follows, if any. */
async function chooseInput(arg: unknown, deps: { issued: IssuedStore }): Promise<{ params: InspectParams; file?: vscode.Uri } | undefined> {
  if (arg instanceof vscode.Uri) return { params: { uri: arg.toString() }, file: arg };
  const a = (arg && typeof arg === 'object' ? arg : {}) as InspectArg;
  if (a.kind === 'secret' && a.uri && a.range) return { params: { uri: a.uri, range: a.range } };
  if (typeof a.name === 'string') {
    const rec = deps.issued.all().find((r) => r.certificate === a.name && (a.namespace == null || r.namespace === a.namespace));
    if (!rec) {
      const b = await vscode.window.showInformationMessage(`Certsmith: ${a.namespace ? `${a.namespace}/` : ''}${a.name} has not been issued here yet, so there is no chain to inspect.`, 'Issue…');
      if (b) void vscode.commands.executeCommand(EDITOR_COMMANDS.issueCertificate, { uri: a.uri, name: a.name, namespace: a.namespace ?? null });
      return undefined;
    }
    const file = vscode.Uri.file(path.join(rec.outDir, 'secret.yaml'));
    return { params: { uri: file.toString() }, file };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && !editor.selection.isEmpty) {
    const s = editor.selection;
    return { params: { uri: editor.document.uri.toString(), range: { start: s.start, end: s.end }, text: editor.document.getText() } };
  }
  if (editor && /-----BEGIN CERTIFICATE-----|kind:\s*Secret/.test(editor.document.getText())) {
    const doc = editor.document;
    return { params: { uri: doc.uri.toString(), text: doc.getText() }, file: doc.uri.scheme === 'file' && doc.languageId !== 'yaml' ? doc.uri : undefined };
  }
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'A file…', id: 'file' },
      { label: 'A TLS server (host:port)…', id: 'host' },
    ],
    { title: 'Certsmith: inspect which certificates?' },
  );
  if (!choice) return undefined;
  if (choice.id === 'file') {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Certificates: ['pem', 'crt', 'cer', 'der', 'yaml', 'yml', 'json'], All: ['*'] } });
    return files?.[0] ? { params: { uri: files[0].toString() }, file: files[0] } : undefined;
  }
  const hp = await vscode.window.showInputBox({ title: 'Certsmith: TLS server', prompt: 'HOST:PORT (port 443 when omitted)', validateInput: (v) => (validEndpoint(v) ? undefined : 'Use HOST:PORT, e.g. example.com:443') });
  return hp ? { params: { endpoint: hp.trim() } } : undefined;
}

export async function inspectCommand(arg: unknown, deps: { issued: IssuedStore; log: Log; client: () => Promise<LanguageClient> }): Promise<ChainReport | undefined> {
  const input = await chooseInput(arg, deps);
  if (!input) return undefined;
  const client = await deps.client();
  const inspectNow = () => client.sendRequest(InspectChainRequest, input.params);
  const r = input.params.endpoint ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Certsmith: connecting to ${input.params.endpoint}` }, inspectNow) : await inspectNow();
  if (r.error || !r.report) {
    deps.log.error(`inspect ${r.title}: ${r.error}`);
    void vscode.window.showErrorMessage(`Certsmith: cannot inspect ${r.title}: ${r.error}`);
    return undefined;
  }
  const file = input.file;
  ChainPanel.show(
    r.report,
    r.title,
    file
      ? {
          file,
          reinspect: async () => {
            const again = await client.sendRequest(InspectChainRequest, { uri: file.toString() });
            if (!again.report) throw new Error(again.error ?? 'no report');
            return again.report;
          },
        }
      : undefined,
  );
  deps.log.info(`inspected ${r.title}: ${r.report.trusted ? 'trusted' : 'not trusted'}, ${r.report.summary.errors} errors, ${r.report.summary.warnings} warnings`);
  return r.report;
}
