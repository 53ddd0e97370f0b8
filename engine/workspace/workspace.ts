/**
 * The files that are checked together: all paths given to `certsmith lint`,
 * or the documents open in the language server. Local diagnostics come from
 * each file; cross-resource diagnostics from the workspace as a whole,
 * computed once per change.
 */
import type { Diagnostic } from '../core/diagnostic.js';
import type { SchemaStore } from '../schema/schema-store.js';
import type { ObjectSummary } from '../rules/check-document.js';
import type { WorkspaceObject } from '../rules/cross/check-workspace.js';
import { checkAcrossFiles, type AcrossFilesOptions } from '../rules/check-across-files.js';
import type { LiveObjects } from '../rules/cross/live-objects.js';
import { crossFindingDiagnostic } from './cross-diagnostic.js';
import { aboutAbsence } from '../rules/partial-objects.js';
import { KustomizeView } from './kustomization.js';
import { DEFAULT_MAX_FILE_BYTES } from '../manifests/file-limits.js';
import { ManifestFile, type FileDocument, type UpdateStats } from './manifest-file.js';
import { lineStartsOf, recordFile, storedFileView } from './file-record.js';

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
  private lastCrossMs = 0;
  /** The line count of each file with cross-resource findings, when they were found. */
  private crossLineCounts = new Map<string, number>();
  /** Files whose cross-resource diagnostics nobody reads (see setChecked). */
  private readonly background = new Set<string>();
  private readonly objectsOf = new WeakMap<ManifestFile, { documents: FileDocument[]; problem: ManifestFile['problem']; objects: WorkspaceObject[] }>();
  crossOptions: AcrossFilesOptions = { clusterResourceNamespace: 'cert-manager' };
  /** What the workspace's kustomizations do to its files (none by default). */
  private kustomize: KustomizeView | undefined;

  constructor(
    public store: SchemaStore,
    public maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {}

  /**
   * Checks every file again with other schemas (another cert-manager target);
   * files that cannot be read as text keep their problem.
   */
  setStore(store: SchemaStore): void {
    if (store === this.store) return;
    this.store = store;
    for (const [uri, f] of this.files) {
      const read = f.textReader;
      if (read) {
        // A file whose text is not kept stays so: checked again, then kept as a record.
        const text = read();
        this.files.set(uri, storedFileView(uri, recordFile(uri, text, store, this.maxFileBytes).record, lineStartsOf(text), read, store));
        continue;
      }
      if (f.problem && !f.documents.length && !f.text) continue;
      // Background files keep no syntax trees, however small.
      const next = new ManifestFile(uri, store, this.maxFileBytes, this.background.has(uri) ? false : undefined);
      next.update(f.text);
      this.files.set(uri, next);
    }
    this.version++;
  }

  /** The text of every file (open documents and indexed ones: those are read from disk again). */
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
    // A background file given its text here is open now: its cross-resource diagnostics are wanted.
    const opened = this.background.delete(uri);
    if (stats.reparsed > 0 || stats.documents === 0 || opened) this.version++;
    return stats;
  }

  /**
   * Add or replace a file checked elsewhere (a worker thread's record:
   * file-record.ts storedFileView). A `background` file (the language server's
   * index: not open) gets no cross-resource diagnostics of its own; its
   * objects count only as what references resolve to, so an edit in a large
   * workspace does not check every file across again.
   */
  setChecked(uri: string, file: ManifestFile, background = false): void {
    this.files.set(uri, file);
    if (background) this.background.add(uri);
    else this.background.delete(uri);
    this.version++;
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

  /**
   * The workspace's kustomizations (every kustomization.yaml it knows, even
   * one that is not a manifest file here). Patch files are partial objects:
   * findings about absent fields are dropped from them and their objects
   * stay out of the checks across files; files kustomize puts into a
   * namespace are not "implicitly in default".
   */
  setKustomizations(kustomizations: Iterable<{ uri: string; text: string }>): void {
    const view = new KustomizeView(kustomizations);
    this.kustomize = view.empty ? undefined : view;
    const { kustomizeNamespaces: _previous, ...rest } = this.crossOptions;
    this.crossOptions = this.kustomize ? { ...rest, kustomizeNamespaces: (uri) => view.namespaces(uri) } : rest;
    this.version++;
  }

  /** The kustomization that applies the file as a patch, if any. */
  patchedBy(uri: string): string | undefined {
    return this.kustomize?.patchedBy(uri);
  }

  get live(): LiveObjects | undefined {
    return this.crossOptions.live;
  }

  delete(uri: string): void {
    this.background.delete(uri);
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
    return [...this.localDiagnostics(uri), ...(this.crossDiagnostics().get(uri) ?? [])];
  }

  /** The diagnostics found in the file alone (a kustomize patch's without those about absent fields). */
  localDiagnostics(uri: string): Diagnostic[] {
    const f = this.files.get(uri);
    if (!f) return [];
    return this.patchedBy(uri) ? f.diagnostics().filter((d) => !aboutAbsence(d)) : f.diagnostics();
  }

  /** Whether the cross-resource diagnostics are up to date with every change. */
  get crossIsCurrent(): boolean {
    return this.cross?.version === this.version;
  }

  /**
   * How long the last pass across files took (ms): in a workspace of tens
   * of thousands of files about a second, too long to wait for on each key.
   */
  get crossPassMs(): number {
    return this.lastCrossMs;
  }

  /**
   * The diagnostics of one file without waiting for a slow pass across files
   * (one that took `slowMs` or longer last time): its own, and the
   * cross-resource ones of the last pass while the file still has as many
   * lines as then (their positions are then at worst a few characters off);
   * the next pass brings them up to date.
   */
  quickDiagnostics(uri: string, slowMs: number): Diagnostic[] {
    if (this.crossIsCurrent || this.lastCrossMs < slowMs) return this.diagnostics(uri);
    const f = this.files.get(uri);
    const last = this.cross?.byUri.get(uri) ?? [];
    const placed = last.length > 0 && f !== undefined && lineCount(f.text) === this.crossLineCounts.get(uri);
    return [...this.localDiagnostics(uri), ...(placed ? last : [])];
  }

  /**
   * Cross-resource diagnostics of every file but the background ones (recomputed only after a change).
   */
  crossDiagnostics(): Map<string, Diagnostic[]> {
    if (this.cross?.version === this.version) return this.cross.byUri;
    const t0 = performance.now();
    const byUri = new Map<string, Diagnostic[]>();
    const objects: WorkspaceObject[] = [];
    for (const [uri, file] of this.files) if (!this.patchedBy(uri)) for (const o of this.crossObjects(uri, file)) objects.push(o);
    const background = this.background;
    for (const finding of checkAcrossFiles(objects, this.crossOptions, background.size ? (o) => !background.has(o.uri) : undefined)) {
      const file = this.files.get(finding.object.uri)!;
      const doc = finding.object.docKey as FileDocument;
      const lines = doc.checked.lines;
      const d = crossFindingDiagnostic(finding, (s, t) => file.toFileRange(doc, lines.rangeOf(s, t)));
      const list = byUri.get(finding.object.uri);
      if (list) list.push(d);
      else byUri.set(finding.object.uri, [d]);
    }
    this.cross = { version: this.version, byUri };
    this.lastCrossMs = performance.now() - t0;
    this.crossLineCounts = new Map([...byUri.keys()].map((u) => [u, lineCount(this.files.get(u)?.text ?? '')]));
    return byUri;
  }

  /** A relevant file's objects as the cross-resource checks take them, kept until the file changes. */
  private crossObjects(uri: string, file: ManifestFile): WorkspaceObject[] {
    const cached = this.objectsOf.get(file);
    if (cached?.documents === file.documents && cached.problem === file.problem) return cached.objects;
    const objects: WorkspaceObject[] = [];
    if (file.isRelevant) {
      for (const doc of file.documents) {
        for (const summary of doc.checked.objects) {
          objects.push(new DocumentObject(uri, summary, doc));
        }
      }
    }
    // Kept for every file of a monorepo: an array of exactly their number (a pushed-to one reserves 17 places).
    const kept = objects.slice();
    this.objectsOf.set(file, { documents: file.documents, problem: file.problem, objects: kept });
    return kept;
  }
}

/**
 * An object as the checks across files take it. Its document's text is read
 * only when a finding needs it (a background file's is read from disk); a
 * class with the getter on its prototype, as there are many.
 */
class DocumentObject implements WorkspaceObject {
  constructor(
    readonly uri: string,
    readonly summary: ObjectSummary,
    readonly docKey: FileDocument,
  ) {}

  get text(): string {
    return this.docKey.checked.text;
  }
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
