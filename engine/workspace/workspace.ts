/**
 * The files that are checked together: all paths given to `certsmith lint`,
 * or the documents open in the language server. Cross-document checks read
 * the objects of every file here.
 */
import type { Diagnostic } from '../rules/rule.js';
import type { SchemaStore } from '../schema/schema-store.js';
import type { ObjectSummary } from '../rules/check-document.js';
import { DEFAULT_MAX_FILE_BYTES } from './file-limits.js';
import { ManifestFile, type UpdateStats } from './manifest-file.js';

export class Workspace {
  private readonly files = new Map<string, ManifestFile>();

  constructor(
    readonly store: SchemaStore,
    public maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {}

  /** Add or update a file's text; only changed documents are re-checked. */
  set(uri: string, text: string): UpdateStats {
    let f = this.files.get(uri);
    if (!f) {
      f = new ManifestFile(uri, this.store, this.maxFileBytes);
      this.files.set(uri, f);
    }
    return f.update(text);
  }

  /** Record a file that could not be read as text (binary, too large). */
  setUnreadable(uri: string, problem: ManifestFile['problem']): void {
    const f = new ManifestFile(uri, this.store, this.maxFileBytes);
    f.problem = problem;
    this.files.set(uri, f);
  }

  delete(uri: string): void {
    this.files.delete(uri);
  }

  get(uri: string): ManifestFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /** Every Kubernetes object in the workspace, with the file it is in. */
  *objects(): Iterable<{ uri: string; object: ObjectSummary }> {
    for (const [uri, f] of this.files) {
      for (const d of f.documents) for (const object of d.checked.objects) yield { uri, object };
    }
  }

  /** The diagnostics of one file. */
  diagnostics(uri: string): Diagnostic[] {
    const f = this.files.get(uri);
    return f ? f.diagnostics() : [];
  }
}
