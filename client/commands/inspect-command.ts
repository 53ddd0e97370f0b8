/**
 * "Certsmith: Inspect Certificate Chain": a file, the selection, a Secret in
 * YAML (code lens), the result of a local issuance, or a TLS server
 * (host:port), shown in the chain inspector panel.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inspect, type ChainReport, type InspectOptions } from '../../engine/chain/inspect.js';
import { ChainInputError, extractInput, type ExtractedInput } from '../../engine/chain/pem.js';
import { EndpointError, fetchPresentedChain } from '../../engine/chain/endpoint.js';
import { splitDocuments } from '../../engine/manifests/segments.js';
import type { IssuedStore } from '../issuance/issued-store.js';
import type { Log } from '../log.js';
import { readSettings } from '../settings.js';
import { ChainPanel } from '../panels/chain-panel.js';

interface InspectArg {
  kind?: 'certificate' | 'secret';
  uri?: string;
  name?: string;
  namespace?: string | null;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function parseHostPort(s: string): { host: string; port: number } | undefined {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s.trim());
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 443) };
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(s.trim());
  if (!m) return undefined;
  const port = Number(m[2] ?? 443);
  return port > 0 && port < 65536 ? { host: m[1]!, port } : undefined;
}

async function fromEndpoint(text: string, options: InspectOptions): Promise<{ report: ChainReport; title: string }> {
  const hp = parseHostPort(text)!;
  const presented = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Certsmith: connecting to ${hp.host}:${hp.port}` }, () => fetchPresentedChain({ host: hp.host, port: hp.port, timeoutMs: 10_000 }));
  const input: ExtractedInput = {
    kind: 'der',
    certificates: presented.certificates.map((der, i) => ({ der, origin: 'input', where: `certificate ${i + 1} presented by ${hp.host}:${hp.port}` })),
    caCertificates: [],
    keys: [],
    notes: [],
  };
  options.hostname ??= hp.host;
  return { report: inspect(input, options, { host: hp.host, port: hp.port, servername: presented.servername, protocol: presented.protocol }), title: `${hp.host}:${hp.port}` };
}

export async function inspectCommand(arg: unknown, deps: { issued: IssuedStore; log: Log }): Promise<ChainReport | undefined> {
  const settings = readSettings();
  const options: InspectOptions = { expiryWarningDays: settings.expiryWarningDays };
  let text: string | Uint8Array | undefined;
  let title = 'selection';
  /** The whole file the input is, when it is one (the panel follows it). */
  let file: vscode.Uri | undefined;
  try {
    if (arg instanceof vscode.Uri) {
      text = readFileSync(arg.fsPath);
      title = path.basename(arg.fsPath);
      file = arg;
    } else if (arg && typeof arg === 'object' && (arg as InspectArg).kind === 'secret' && (arg as InspectArg).uri && (arg as InspectArg).range) {
      const a = arg as InspectArg;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(a.uri!));
      const r = a.range!;
      text = doc.getText(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
      title = `Secret in ${vscode.workspace.asRelativePath(doc.uri)}`;
    } else if (arg && typeof arg === 'object' && typeof (arg as InspectArg).name === 'string') {
      const a = arg as InspectArg;
      const rec = deps.issued.all().find((r) => r.certificate === a.name && (a.namespace == null || r.namespace === a.namespace));
      if (!rec) {
        const b = await vscode.window.showInformationMessage(`Certsmith: ${a.namespace ? `${a.namespace}/` : ''}${a.name} has not been issued here yet, so there is no chain to inspect.`, 'Issue…');
        if (b) void vscode.commands.executeCommand('certsmith.issueCertificate', { uri: a.uri, name: a.name, namespace: a.namespace ?? null });
        return undefined;
      }
      text = readFileSync(path.join(rec.outDir, 'secret.yaml'));
      file = vscode.Uri.file(path.join(rec.outDir, 'secret.yaml'));
      title = `${rec.namespace}/${rec.secretName} (issued ${rec.issuedAt.slice(0, 16).replace('T', ' ')})`;
    } else {
      const editor = vscode.window.activeTextEditor;
      if (editor && !editor.selection.isEmpty) {
        text = editor.document.getText(editor.selection);
      } else if (editor && /-----BEGIN CERTIFICATE-----|kind:\s*Secret/.test(editor.document.getText())) {
        text = editor.document.getText();
        title = vscode.workspace.asRelativePath(editor.document.uri);
        if (editor.document.uri.scheme === 'file' && editor.document.languageId !== 'yaml') file = editor.document.uri;
        // In a YAML file with several documents, the Secret under the cursor.
        if (editor.document.languageId === 'yaml') {
          const offset = editor.document.offsetAt(editor.selection.active);
          const segment = splitDocuments(text).find((s) => offset >= s.offset && offset <= s.offset + s.text.length);
          if (segment && /tls\.crt/.test(segment.text)) text = segment.text;
        }
      } else {
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
          if (!files?.[0]) return undefined;
          text = readFileSync(files[0].fsPath);
          title = path.basename(files[0].fsPath);
          file = files[0];
        } else {
          const hp = await vscode.window.showInputBox({ title: 'Certsmith: TLS server', prompt: 'HOST:PORT (port 443 when omitted)', validateInput: (v) => (parseHostPort(v) ? undefined : 'Use HOST:PORT, e.g. example.com:443') });
          if (!hp) return undefined;
          const { report, title: t } = await fromEndpoint(hp, options);
          ChainPanel.show(report, t);
          deps.log.info(`inspected ${t}: ${report.trusted ? 'trusted' : 'not trusted'}, ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
          return report;
        }
      }
    }
    const report = inspect(extractInput(text!), options);
    const followed = file;
    ChainPanel.show(report, title, followed ? { file: followed, reinspect: () => inspect(extractInput(readFileSync(followed.fsPath)), options) } : undefined);
    deps.log.info(`inspected ${title}: ${report.trusted ? 'trusted' : 'not trusted'}, ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
    return report;
  } catch (e) {
    const message = e instanceof ChainInputError || e instanceof EndpointError ? e.message : `unexpected error: ${(e as Error).message}`;
    deps.log.error(`inspect ${title}: ${message}`);
    void vscode.window.showErrorMessage(`Certsmith: cannot inspect ${title}: ${message}`);
    return undefined;
  }
}
