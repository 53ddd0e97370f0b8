/**
 * The background index of the workspace folders: the manifests that are not
 * open, read from disk in small steps (requests are never kept waiting), so
 * that checks across files see them; kept current by the client's file
 * watcher. Files that hold only Secrets are read too: issuance and the
 * cross-resource checks need the Secrets an issuer refers to.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findYamlFiles } from '../../../engine/workspace/find-manifests.js';
import { looksRelevant } from '../../../engine/workspace/manifest-file.js';
import type { ServerState } from '../server-state.js';
import type { DiagnosticsPublisher } from '../diagnostics-publisher.js';

/** Bounds of the background index. */
const INDEX_MAX_FILES = 2000;
/** Text that is worth indexing: the manifests Certsmith checks, and Secrets. */
const SECRET_TEXT = /^(- +)?kind:\s*["']?Secret\b/m;

export class WorkspaceIndex {
  constructor(
    private readonly state: ServerState,
    private readonly publisher: DiagnosticsPublisher,
    private readonly changed: () => void,
  ) {}

  private worthIndexing(text: string): boolean {
    return looksRelevant(text) || SECRET_TEXT.test(text);
  }

  /** Loads a file from disk into the index; false when it is not one (or cannot be read). */
  load(uri: string, path: string): boolean {
    const { workspace, indexed, settings } = this.state;
    try {
      if (statSync(path).size > settings.maxFileBytes) return false;
      const text = readFileSync(path, 'utf8');
      if (!this.worthIndexing(text)) {
        if (indexed.delete(uri)) workspace.delete(uri);
        return false;
      }
      workspace.set(uri, text);
      indexed.add(uri);
      return true;
    } catch {
      if (indexed.delete(uri)) workspace.delete(uri);
      return false;
    }
  }

  /** A closed document: its file on disk (if in a folder) takes its place. */
  reload(uri: string): void {
    if (!this.state.indexWorkspace) return;
    try {
      const path = fileURLToPath(uri);
      if (this.state.inFolders(path)) this.load(uri, path);
    } catch {
      // not a file URI
    }
  }

  /** Reads the workspace folders' manifests in steps of at most 15 ms. */
  indexFolders(): void {
    const { state } = this;
    if (!state.indexWorkspace || !state.folders.length) return;
    const t0 = performance.now();
    const seen = new Set<string>();
    const files = state.folders.flatMap((f) => findYamlFiles(f, f, { maxFiles: INDEX_MAX_FILES, seen })).slice(0, INDEX_MAX_FILES);
    let i = 0;
    let loaded = 0;
    const step = (): void => {
      const start = performance.now();
      while (i < files.length && performance.now() - start < 15) {
        const f = files[i++]!;
        const uri = pathToFileURL(f.path).href;
        if (state.documents.get(uri)) continue; // open in the editor: its text wins
        if (this.load(uri, f.path)) loaded++;
      }
      if (i < files.length) setImmediate(step);
      else {
        state.trace?.(`indexed ${loaded} manifest files of ${files.length} YAML files in ${(performance.now() - t0).toFixed(0)} ms`);
        this.publisher.republishCross();
        this.changed();
      }
    };
    setImmediate(step);
  }

  register(): void {
    const { state } = this;
    state.connection.onDidChangeWatchedFiles((params) => {
      for (const change of params.changes) {
        if (state.documents.get(change.uri)) continue;
        let path: string;
        try {
          path = fileURLToPath(change.uri);
        } catch {
          continue;
        }
        if (change.type === 3 /* deleted */) {
          if (state.indexed.delete(change.uri)) state.workspace.delete(change.uri);
        } else if (state.inFolders(path) && /\.ya?ml$/i.test(path)) this.load(change.uri, path);
      }
      this.publisher.republishCross();
      this.changed();
    });
  }

  /** The texts of the indexed and open manifests (issuance reads its resources from here, never from disk again). */
  texts(): { uri: string; text: string }[] {
    return this.state.workspace.fileTexts();
  }
}
