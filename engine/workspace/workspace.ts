/**
 * The files that are checked together: all paths given to `certsmith lint`,
 * or the documents open in the language server. Local diagnostics come from
 * each file; cross-resource diagnostics from the workspace as a whole,
 * computed once per change.
 */
import type { Diagnostic } from '../core/diagnostic.js';
import type { SchemaStore } from '../schema/schema-store.js';
import type { ObjectSummary } from '../rules/check-document.js';
import { checkWorkspace, type CrossOptions, type WorkspaceObject } from '../rules/cross/check-workspace.js';
import type { LiveObjects } from '../rules/cross/live-objects.js';
import { ruleById } from '../rules/registry.js';
import { DEFAULT_MAX_FILE_BYTES } from '../manifests/file-limits.js';
import { ManifestFile, type FileDocument, type UpdateStats } from './manifest-file.js';

export interface WorkspaceEntry {
  uri: string;
  file: ManifestFile;
  doc: FileDocument;
  object: ObjectSummary;
}

export class Workspace {
  private readonly files = new Map<string, ManifestFile>();
  private version = 0;
  private cross: { version: number; byUri: Map<string, Diagnostic[]> } | undefined;
  crossOptions: CrossOptions = { clusterResourceNamespace: 'cert-manager' };

  constructor(
    readonly store: SchemaStore,
    public maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {}

  /** The text of every file (open documents and indexed ones). */
  fileTexts(): { uri: string; text: string }[] {
    return [...this.files].map(([uri, f]) => ({ uri, text: f.text }));
  }

  /** Add or update a file's text; only changed documents are re-checked. */
  set(uri: string, text: string): UpdateStats {
    let f = this.files.get(uri);
    if (!f) {
      f = new ManifestFile(uri, this.store, this.maxFileBytes);
      this.files.set(uri, f);
    }
    const stats = f.update(text);
    if (stats.reparsed > 0 || stats.documents === 0) this.version++;
    return stats;
  }

  /** Record a file that could not be read as text (binary, too large). */
  setUnreadable(uri: string, problem: ManifestFile['problem']): void {
    const f = new ManifestFile(uri, this.store, this.maxFileBytes);
    f.problem = problem;
    this.files.set(uri, f);
    this.version++;
  }

  /**
   * The Issuers, ClusterIssuers and Secrets of the current cluster context
   * (the language server's opt-in cluster checks), or undefined to check the
   * files alone. The cross-resource findings are recomputed on next use.
   */
  setLive(live: LiveObjects | undefined): void {
    if (live === this.crossOptions.live) return;
    const { live: _previous, ...rest } = this.crossOptions;
    this.crossOptions = live ? { ...rest, live } : rest;
    this.version++;
  }

  get live(): LiveObjects | undefined {
    return this.crossOptions.live;
  }

  delete(uri: string): void {
    if (this.files.delete(uri)) this.version++;
  }

  get(uri: string): ManifestFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /** Every Kubernetes object in the workspace, with the file and document it is in. */
  *entries(): Iterable<WorkspaceEntry> {
    for (const [uri, file] of this.files) {
      for (const doc of file.documents) for (const object of doc.checked.objects) yield { uri, file, doc, object };
    }
  }

  /** The diagnostics of one file: its own, then those about it from across the workspace. */
  diagnostics(uri: string): Diagnostic[] {
    const f = this.files.get(uri);
    if (!f) return [];
    return [...f.diagnostics(), ...(this.crossDiagnostics().get(uri) ?? [])];
  }

  /** Cross-resource diagnostics of every file (recomputed only after a change). */
  crossDiagnostics(): Map<string, Diagnostic[]> {
    if (this.cross?.version === this.version) return this.cross.byUri;
    const byUri = new Map<string, Diagnostic[]>();
    const entries = new Map<unknown, WorkspaceEntry>();
    const objects: WorkspaceObject[] = [];
    const relevant = new Map<ManifestFile, boolean>();
    for (const e of this.entries()) {
      let r = relevant.get(e.file);
      if (r === undefined) relevant.set(e.file, (r = e.file.isRelevant));
      if (!r) continue;
      entries.set(e.doc, e);
      objects.push({ uri: e.uri, summary: e.object, text: e.doc.checked.text, docKey: e.doc });
    }
    for (const finding of checkWorkspace(objects, this.crossOptions)) {
      const e = entries.get(finding.object.docKey)!;
      const lines = e.doc.checked.lines;
      const toRange = (s: number, t: number) => e.file.toFileRange(e.doc, lines.rangeOf(s, t));
      const rule = ruleById(finding.rule);
      const d: Diagnostic = {
        range: toRange(finding.start, finding.end),
        severity: finding.severity ?? rule.severity,
        code: rule.id,
        message: finding.message,
        href: rule.docs,
      };
      if (finding.fixes) {
        d.fixes = finding.fixes.map((fx) => ({
          title: fx.title,
          preferred: fx.preferred,
          edits: fx.edits.map((ed) => ({ range: toRange(ed.start, ed.end), newText: ed.newText })),
        }));
      }
      byUri.set(finding.object.uri, [...(byUri.get(finding.object.uri) ?? []), d]);
    }
    this.cross = { version: this.version, byUri };
    return byUri;
  }
}
