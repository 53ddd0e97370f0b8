/**
 * Read-only documents for what comes from a cluster (the two sides of a diff,
 * a Certificate's status), under the certsmith-cluster: scheme. They live in
 * memory only: nothing is written to disk, and Secret values in them are
 * already masked by the engine.
 */
import * as vscode from 'vscode';

export const VIRTUAL_SCHEME = 'certsmith-cluster';

export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VIRTUAL_SCHEME, this);
  }

  /** Stores (or replaces) a document and returns its URI. */
  put(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: `/${path.replace(/^\/+/, '')}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
