/**
 * Open documents: each change is checked (incrementally: only the YAML
 * documents it touched) and published; a closed document goes back to what
 * is on disk in the workspace index.
 */
import type { ServerState } from '../server-state.js';
import type { DiagnosticsPublisher } from '../diagnostics-publisher.js';
import type { WorkspaceIndex } from './workspace-index.js';

export interface DocumentListeners {
  /** The document's text changed (cluster diagnostics of the old text are stale). */
  changed?(uri: string, version: number): void;
  closed?(uri: string): void;
  /** The document was saved (the on-save cluster check). */
  saved?(uri: string): void;
  /** The set of documents or their contents changed in a way that affects the whole workspace. */
  workspaceChanged?(): void;
}

export function registerDocuments(state: ServerState, publisher: DiagnosticsPublisher, index: WorkspaceIndex, listeners: DocumentListeners[]): void {
  const { documents } = state;
  documents.onDidOpen((e) => {
    state.indexed.delete(e.document.uri);
    state.trace?.(`opened ${e.document.uri} (${e.document.getText().length} characters)`);
    index.kustomizationChanged(e.document.uri, e.document.getText());
    publisher.schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    for (const l of listeners) l.changed?.(e.document.uri, e.document.version);
    index.kustomizationChanged(e.document.uri, e.document.getText());
    publisher.schedule(e.document.uri);
  });
  documents.onDidSave((e) => {
    for (const l of listeners) l.saved?.(e.document.uri);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    state.workspace.delete(uri);
    publisher.closed(uri);
    for (const l of listeners) l.closed?.(uri);
    // A file of the workspace goes back to what is on disk (unsaved edits are gone).
    index.reload(uri);
    index.reloadKustomization(uri);
    publisher.republishCross();
    for (const l of listeners) l.workspaceChanged?.();
  });
}
