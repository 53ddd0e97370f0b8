/**
 * The background index of the workspace folders: the manifests that are not
 * open, so that checks across files see them; kept current by the client's
 * file watcher. Files that hold only Secrets are read too: issuance and the
 * cross-resource checks need the Secrets an issuer refers to.
 *
 * A worker thread (dist/index-worker.js) walks the folders and checks the
 * files; this thread only takes in its batches, so open documents are
 * checked and published at once while a monorepo of tens of thousands of
 * files is indexed. A workspace of a few small files is read in this
 * thread, in steps: a worker would cost more memory than it saves time.
 * Vendored and generated trees (.git, node_modules, charts/NAME/charts) and
 * the editor's files.exclude are left out; the client sees the progress
 * (LSP work-done progress).
 */
import { withoutByteOrderMark } from '../../../engine/manifests/file-limits.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { excludeTest } from '../../../engine/workspace/exclude-rules.js';
import { findYamlFiles, SKIP_DIRS } from '../../../engine/workspace/find-manifests.js';
import { lineStartsOf, recordFile, storedFileView, StringTable, type FileRecord, type LineStarts } from '../../../engine/workspace/file-record.js';
import { worthIndexing } from '../../../engine/workspace/manifest-file.js';
import { isKustomizationFile } from '../../../engine/workspace/kustomization.js';
import type { ServerState } from '../server-state.js';
import type { DiagnosticsPublisher } from '../diagnostics-publisher.js';
import type { FromIndexWorker, IndexedFile, IndexSetup } from '../index-worker.js';

/** At most this many YAML files are looked at (a bound on memory: about 10 MiB per 1,000 manifest files). */
const INDEX_MAX_FILES = 50_000;
/** The worker bundle beside this one (dist/); absent when running from source: then the index is read in this thread, in steps. */
const WORKER_FILE = join(__dirname, 'index-worker.js');
/**
 * A workspace of at most this many YAML files, of at most SMALL_BYTES in
 * all, is read in this thread, in steps: a worker thread's own heap, engine
 * and schemas cost more memory (40-60 MiB) than such a workspace holds.
 */
const SMALL_FILES = 200;
const SMALL_BYTES = 4 * 1024 * 1024;
/** While indexing, the open documents' cross-resource findings are brought up to date this often… */
const REPUBLISH_MS = 2000;
/**
 * …while the next pass across files should take less than this (ms). At
 * 20,000 files a pass takes about a second: passes while indexing made edits
 * wait up to 1.7 s (p95) and indexing 3-6 s longer (bench:lsp-index).
 */
const REPUBLISH_UP_TO_MS = 200;

export class WorkspaceIndex {
  /** files.exclude as the client last sent it. */
  private filesExclude: unknown;
  private run: { stop(): void } | undefined;
  /** The kustomization files of the folders (from disk, or an open document's text), by URI. */
  private readonly kustomizations = new Map<string, string>();

  constructor(
    private readonly state: ServerState,
    private readonly publisher: DiagnosticsPublisher,
    private readonly changed: () => void,
  ) {}

  /** files.exclude from initializationOptions; changes come through `register`. */
  setFilesExclude(filesExclude: unknown): void {
    this.filesExclude = filesExclude;
  }

  /** Left out of the index: in a dependency or VCS folder, or excluded (files.exclude, vendored charts). */
  private excluded(path: string): boolean {
    const folder = this.state.folders.find((f) => path === f || path.startsWith(f.endsWith('/') ? f : `${f}/`));
    if (folder === undefined) return false;
    const parts = relative(folder, path).split(sep);
    if (parts.some((part) => SKIP_DIRS.has(part))) return true;
    // The file, or a folder it is in, as the walk would have met them.
    const test = excludeTest(folder, this.filesExclude);
    return parts.some((_, i) => test(join(folder, ...parts.slice(0, i + 1)), i < parts.length - 1));
  }

  /**
   * A kustomization file's text changed (undefined: it is gone). The
   * workspace learns which files are patches and which get a namespace, and
   * every open document is published again (a patch's findings change).
   */
  kustomizationChanged(uri: string, text: string | undefined): void {
    if (!isKustomizationFile(uri)) return;
    if (text === undefined ? !this.kustomizations.delete(uri) : this.kustomizations.get(uri) === text) return;
    if (text !== undefined) this.kustomizations.set(uri, text);
    this.state.workspace.setKustomizations([...this.kustomizations].map(([u, t]) => ({ uri: u, text: t })));
    this.publisher.republishAll();
  }

  /** A kustomization file on disk (read again), unless it is open in the editor. */
  private loadKustomization(uri: string, path: string): void {
    if (this.state.documents.get(uri)) return;
    let text: string | undefined;
    try {
      if (!this.excluded(path) && statSync(path).size <= this.state.settings.maxFileBytes) text = readFileSync(path, 'utf8');
    } catch {
      // gone or unreadable: as if absent
    }
    this.kustomizationChanged(uri, text);
  }

  /** Loads a file from disk into the index; false when it is not one (or cannot be read). */
  load(uri: string, path: string): boolean {
    const { workspace, indexed, settings } = this.state;
    try {
      if (statSync(path).size > settings.maxFileBytes) return false;
      const text = readFileSync(path, 'utf8');
      if (!worthIndexing(text) || this.excluded(path)) {
        if (indexed.delete(uri)) workspace.delete(uri);
        return false;
      }
      const checked = recordFile(uri, text, workspace.store, settings.maxFileBytes);
      // Made in this thread: its strings are copied, so that they do not keep the text.
      this.add(uri, path, new StringTable(true).internRecord(checked.record), lineStartsOf(checked.text));
      return true;
    } catch {
      if (indexed.delete(uri)) workspace.delete(uri);
      return false;
    }
  }

  /**
   * An indexed file, checked here or by the worker: kept as its record, with
   * neither syntax trees nor text (read from disk again when asked for: the
   * file watcher loads a changed file again).
   */
  private add(uri: string, path: string, record: FileRecord, lineStarts: LineStarts): void {
    const { workspace, indexed } = this.state;
    workspace.setChecked(uri, storedFileView(uri, record, lineStarts, () => diskText(path), workspace.store), true);
    indexed.add(uri);
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

  /** A closed kustomization document: its file on disk (if any) counts again. */
  reloadKustomization(uri: string): void {
    if (!isKustomizationFile(uri)) return;
    try {
      const path = fileURLToPath(uri);
      if (this.state.inFolders(path)) return this.loadKustomization(uri, path);
    } catch {
      // not a file URI
    }
    this.kustomizationChanged(uri, undefined);
  }

  /**
   * Reads the workspace folders' manifests in the background (again, after
   * files.exclude or the folders changed: files no longer found leave the index).
   */
  indexFolders(): void {
    const { state } = this;
    this.run?.stop();
    this.run = undefined;
    if (!state.indexWorkspace || !state.folders.length) return;
    const t0 = performance.now();
    let total = 0;
    let loaded = 0;
    let handled = 0;
    let stopped = false;
    let progress: WorkDoneProgressServerReporter | undefined;
    let lastReport = 0;
    let lastRepublish = performance.now();
    let loadedAtRepublish = 0;
    void state.connection.window.createWorkDoneProgress().then(
      (p) => {
        p.begin('Certsmith: indexing manifests', 0, total ? `${handled} of ${total} YAML files` : 'looking for YAML files', false);
        // A small workspace may be read before the client has answered.
        if (stopped) p.done();
        else progress = p;
      },
      () => undefined,
    );
    const found = (uris: string[]) => {
      total = uris.length;
      // Files that are no longer found (excluded now, or gone) leave the index.
      const now = new Set(uris);
      for (const uri of uris) {
        if (isKustomizationFile(uri)) this.loadKustomization(uri, fileURLToPath(uri));
      }
      for (const uri of [...this.kustomizations.keys()]) if (!now.has(uri) && !state.documents.get(uri)) this.kustomizationChanged(uri, undefined);
      for (const uri of [...state.indexed]) {
        if (!now.has(uri)) {
          state.indexed.delete(uri);
          state.workspace.delete(uri);
        }
      }
    };
    const strings = new StringTable(false);
    const take = (f: IndexedFile) => {
      handled++;
      if (state.documents.get(f.uri)) return; // open in the editor: its text wins
      if ('skipped' in f) {
        if (state.indexed.delete(f.uri)) state.workspace.delete(f.uri);
        return;
      }
      this.add(f.uri, f.path, strings.internRecord(f.record), f.lineStarts);
      loaded++;
    };
    const step = () => {
      const now = performance.now();
      if (progress && now - lastReport > 200) {
        lastReport = now;
        progress.report(total ? Math.floor((handled / total) * 100) : 0, `${handled} of ${total} YAML files`);
      }
      // While the pass across files is quick, the open documents see the index grow; once it is slow
      // (a monorepo), their findings across files wait for the end: each pass stalled edits and indexing.
      // The next pass is judged by the last one, grown with the files read since.
      const expectedMs = state.workspace.crossPassMs * (loadedAtRepublish > 0 ? loaded / loadedAtRepublish : 1);
      if (expectedMs < REPUBLISH_UP_TO_MS && now - lastRepublish > REPUBLISH_MS) {
        lastRepublish = now;
        loadedAtRepublish = loaded;
        this.publisher.republishCross();
      }
    };
    let where = 'in this thread';
    const finish = () => {
      this.run = undefined;
      stopped = true;
      progress?.done();
      state.trace?.(`indexed ${loaded} manifest files of ${total} YAML files in ${(performance.now() - t0).toFixed(0)} ms (${where})`);
      this.publisher.republishCross();
      this.changed();
    };
    const setup: IndexSetup = {
      folders: state.folders,
      filesExclude: this.filesExclude,
      maxFiles: INDEX_MAX_FILES,
      maxBytes: state.settings.maxFileBytes,
      target: state.workspace.store.target,
    };
    // A bounded first look: a small workspace is read here, a larger one by the worker (which walks it again).
    const seen = new Set<string>();
    const look = state.folders.flatMap((f) => findYamlFiles(f, f, { maxFiles: SMALL_FILES + 1, seen, exclude: excludeTest(f, this.filesExclude) }));
    const small = look.length <= SMALL_FILES && totalBytes(look.map((f) => f.path), SMALL_BYTES) <= SMALL_BYTES;
    if (!small && existsSync(WORKER_FILE)) {
      where = 'in a worker thread';
      // Its young generation is the server's: --max-semi-space-size (client/server-node-flags.ts) holds for
      // every thread, whatever resourceLimits ask. 16 MiB semi-spaces for the worker alone (set while it
      // starts) scavenged 258 times instead of 1,881 at 20,000 files, 0.6 s less, but took 42 MiB more.
      const worker = new Worker(WORKER_FILE, { workerData: setup });
      const run = {
        stop: () => {
          stopped = true;
          progress?.done();
          void worker.terminate();
        },
      };
      this.run = run;
      worker.on('message', (m: FromIndexWorker) => {
        if (stopped) return;
        if ('found' in m) found(m.uris);
        else if ('files' in m) {
          m.files.forEach(take);
          step();
        } else {
          // The pass across files that ends indexing is its largest: it waits until the worker's
          // heap is given back, so that the two do not add up (bench:lsp-index, peak RSS).
          stopped = true;
          const last = () => {
            if (this.run === run) finish();
          };
          void worker.terminate().then(last, last);
        }
      });
      worker.on('error', (e) => {
        if (stopped) return;
        state.logError('indexing the workspace', e);
        this.run = undefined;
        stopped = true;
        progress?.done();
      });
      return;
    }
    // A small workspace, or no worker bundle (running from source): the same work here, in steps of at most 15 ms.
    const again = new Set<string>();
    const files = small ? look : state.folders.flatMap((f) => findYamlFiles(f, f, { maxFiles: INDEX_MAX_FILES, seen: again, exclude: excludeTest(f, this.filesExclude) })).slice(0, INDEX_MAX_FILES);
    found(files.map((f) => pathToFileURL(f.path).href));
    let i = 0;
    this.run = { stop: () => (stopped = true) };
    const inThisThread = (): void => {
      if (stopped) return;
      const start = performance.now();
      while (i < files.length && performance.now() - start < 15) {
        const f = files[i++]!;
        handled++;
        const uri = pathToFileURL(f.path).href;
        if (state.documents.get(uri)) continue;
        if (this.load(uri, f.path)) loaded++;
      }
      step();
      if (i < files.length) setImmediate(inThisThread);
      else finish();
    };
    setImmediate(inThisThread);
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
        if (isKustomizationFile(change.uri)) {
          if (change.type === 3) this.kustomizationChanged(change.uri, undefined);
          else if (state.inFolders(path)) this.loadKustomization(change.uri, path);
        }
        if (change.type === 3 /* deleted */) {
          if (state.indexed.delete(change.uri)) state.workspace.delete(change.uri);
        } else if (state.inFolders(path) && /\.ya?ml$/i.test(path)) this.load(change.uri, path);
      }
      this.publisher.republishCross();
      this.changed();
    });
  }

  /** files.exclude changed (the client sends it with the certsmith section): index again when it differs. */
  filesExcludeChanged(filesExclude: unknown): void {
    if (JSON.stringify(filesExclude ?? null) === JSON.stringify(this.filesExclude ?? null)) return;
    this.filesExclude = filesExclude;
    this.indexFolders();
  }

  /** The texts of the indexed and open manifests (issuance reads its resources from here, never from disk again). */
  texts(): { uri: string; text: string }[] {
    return this.state.workspace.fileTexts();
  }
}

/** A background file's text as checked (without a byte order mark); empty when it is gone. */
function diskText(path: string): string {
  try {
    return withoutByteOrderMark(readFileSync(path, 'utf8'));
  } catch {
    return '';
  }
}

/** The files' sizes added up, stopping once past `limit`. */
function totalBytes(paths: string[], limit: number): number {
  let total = 0;
  for (const path of paths) {
    try {
      total += statSync(path).size;
    } catch {
      // gone: counts as nothing
    }
    if (total > limit) break;
  }
  return total;
}
