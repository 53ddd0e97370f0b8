/**
 * Checks the files of `certsmith lint` on every core, then across files.
 *
 * Each file is checked on its own (lint-file.ts) by the main thread and, for
 * larger inputs, by worker threads (dist/lint-worker.js), which take batches
 * from one queue; every file comes back as a small record and its line
 * starts (no syntax tree, no text: only one file's trees and text live at a
 * time in each thread; the few texts a finding or the report needs are read
 * again). The
 * checks across files then run over the records, in file order, exactly as
 * over a Workspace holding all the files. With --cache, files whose bytes
 * were checked before by the same build are not checked again (lint-cache.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../../../engine/core/diagnostic.js';
import { decodeFile, withoutByteOrderMark } from '../../../engine/manifests/file-limits.js';
import type { CertManagerTarget } from '../../../engine/schema/cert-manager-target.js';
import { schemaStore } from '../../../engine/schema/schema-store.js';
import { documentText, lineStartsOf, storedFileView, StringTable } from '../../../engine/workspace/file-record.js';
import type { ManifestFile } from '../../../engine/workspace/manifest-file.js';
import { isKustomizationFile, kustomizationsAround, KustomizeView } from '../../../engine/workspace/kustomization.js';
import { aboutAbsence } from '../../../engine/rules/partial-objects.js';
import { crossDiagnosticsOfRecords } from '../../../engine/workspace/record-cross.js';
import { ioReason, UsageError } from '../command-io.js';
import { cacheIdentity, LintCache } from './lint-cache.js';
import { contentHash, lintFile, type LintJob, type LintOutcome } from './lint-file.js';
import { LintThreads } from './lint-threads.js';

export interface LintRunOptions {
  maxBytes: number;
  target: CertManagerTarget;
  /** Threads to check files with, the main one included (default: the cores available). */
  jobs?: number;
  /** --cache DIR. */
  cacheDir?: string;
  /** Standard input's bytes, for the path "-" (read once, when needed). */
  readStdin: () => Uint8Array;
  /** Warnings for stderr (a cache that cannot be used). */
  warn: (message: string) => void;
  /** Worker threads started ahead (startThreads); lintFiles stops them. */
  threads?: LintThreads;
}

export interface CheckedFile {
  file: LintJob;
  /** Local and cross-resource diagnostics, by position. */
  diagnostics: Diagnostic[];
  /** The file as checked (documents, objects), for placing the diagnostics in a report: made when asked for, so that a report holds one at a time. */
  view(): ManifestFile;
}

/** Below this many files per thread, another thread costs more to start (about 0.1 s of loading) than it saves. */
const FILES_PER_WORKER = 150;
/**
 * Threads for `--jobs`, the main one included. Default: one per core from 4
 * cores up, else one. Measured on 2 cores (docs/benchmarks.md, "CI lint"): a
 * worker costs about 40% more CPU in all (its own start-up, cold JIT and
 * garbage collector, and sending the records back) and gained no wall time,
 * since the one thread already has the garbage collector's helpers on the
 * second core.
 */
function threadCount(jobs: number | undefined): number {
  if (jobs !== undefined) return Math.max(1, jobs);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 4 ? cores : 1;
}

/**
 * Starts the worker threads before the files are found, when a path is a
 * folder (so there are likely many): loading the engine in them then
 * overlaps the walk. lintFiles stops those it does not need.
 */
export function startThreads(jobs: number | undefined, paths: string[], cwd: string): LintThreads | undefined {
  const count = threadCount(jobs) - 1;
  if (count < 1) return undefined;
  const folder = paths.some((p) => {
    try {
      return p !== '-' && statSync(isAbsolute(p) ? p : join(cwd, p)).isDirectory();
    } catch {
      return false;
    }
  });
  return folder ? LintThreads.start(count) : undefined;
}

/** Checks the files; returns those to show, in the order given. */
export async function lintFiles(jobs: LintJob[], options: LintRunOptions): Promise<CheckedFile[]> {
  const store = schemaStore(options.target);
  const outcomes: (LintOutcome | undefined)[] = new Array(jobs.length);
  let stdin: Uint8Array | undefined;
  const stdinBytes = () => (stdin ??= options.readStdin());

  const cache = options.cacheDir ? LintCache.open(options.cacheDir, cacheIdentity(store, options.maxBytes), options.warn) : undefined;
  const pending: number[] = [];
  jobs.forEach((job, i) => {
    if (job.path === '-') outcomes[i] = lintFile(job, store, options.maxBytes, { stdin: stdinBytes(), hash: !!cache });
    else if (!(cache && (outcomes[i] = fromCache(cache, job, options.maxBytes)))) pending.push(i);
  });

  // Only as many workers as the files keep busy; started early (startThreads) or now.
  // Records are kept until the checks across files: one copy of each string, none holding on to a file's text.
  const strings = new StringTable(true);
  const threads = options.threads ?? LintThreads.start(0);
  const wanted = Math.min(threadCount(options.jobs) - 1, Math.floor(pending.length / FILES_PER_WORKER));
  threads.stop(wanted);
  try {
    await threads.run(pending, {
      check: (i) => lintFile(jobs[i]!, store, options.maxBytes, { hash: !!cache }),
      jobOf: (i) => jobs[i]!,
      done: (i, outcome) => {
        if (outcome.kind !== 'unreadable' && outcome.record) strings.internRecord(outcome.record);
        outcomes[i] = outcome;
      },
      setup: { target: options.target, maxBytes: options.maxBytes, hash: !!cache },
    });
  } finally {
    threads.stop();
  }

  // A file that could not be read stops the command, as if the files were read one by one.
  jobs.forEach((job, i) => {
    const o = outcomes[i]!;
    if (o.kind === 'unreadable') throw new UsageError(`cannot read ${job.display}: ${ioReason(o.error)}`);
  });
  if (cache) {
    for (const o of outcomes) if (o!.kind !== 'unreadable' && o!.hash && o!.record) cache.set(o!.hash, o!.record);
    cache.save(options.warn);
  }

  const shown = outcomes.map((o) => (o?.kind === 'shown' ? o : undefined));
  // Texts are not kept (at 20,000 files they were most of the memory): the few a finding or a report needs are read again.
  const texts = new Map<number, string>();
  const textOf = (file: number): string => {
    let text = texts.get(file);
    if (text === undefined) texts.set(file, (text = shown[file]!.text ?? readChecked(jobs[file]!.path, options.maxBytes)));
    return text;
  };
  const kustomize = kustomizeOf(jobs);
  const patch = jobs.map((j) => j.path !== '-' && kustomize?.patchedBy(resolve(j.path)) !== undefined);
  const cross = crossDiagnosticsOfRecords(
    // A patch is a partial object: it is merged into its base, not applied on its own.
    shown.map((o, i) => (patch[i] ? undefined : o?.record)),
    jobs.map((j) => j.path),
    (file, doc) => documentText(shown[file]!.record, textOf(file), doc),
    kustomize ? { clusterResourceNamespace: 'cert-manager', kustomizeNamespaces: (p) => (p === '-' ? undefined : kustomize.namespaces(resolve(p))) } : { clusterResourceNamespace: 'cert-manager' },
  );
  const out: CheckedFile[] = [];
  shown.forEach((o, i) => {
    if (!o) return;
    const view = () => storedFileView(jobs[i]!.path, o.record, o.lineStarts, () => textOf(i), store);
    const own = patch[i] ? view().diagnostics().filter((d) => !aboutAbsence(d)) : view().diagnostics();
    out.push({ file: jobs[i]!, diagnostics: [...own, ...(cross.get(i) ?? [])].sort(byPosition), view });
  });
  return out;
}

/**
 * What kustomize does to the files: from the kustomizations among them and
 * those in their folders and the folders above (up to the repository's
 * root), so that a pre-commit hook naming one changed patch knows it is one.
 * Paths are absolute here, whatever the command line said.
 */
function kustomizeOf(jobs: LintJob[]): KustomizeView | undefined {
  const paths = jobs.filter((j) => j.path !== '-').map((j) => resolve(j.path));
  const found = new Map<string, string>();
  for (const p of paths) {
    if (!isKustomizationFile(basename(p)) || found.has(p)) continue;
    try {
      found.set(p, readFileSync(p, 'utf8'));
    } catch {
      // reported when the file itself is checked
    }
  }
  for (const k of kustomizationsAround(paths)) if (!found.has(k.uri)) found.set(k.uri, k.text);
  if (!found.size) return undefined;
  const view = new KustomizeView([...found].map(([uri, text]) => ({ uri, text })));
  return view.empty ? undefined : view;
}

/** The outcome of a file whose bytes the cache knows, or undefined (then it is checked). */
function fromCache(cache: LintCache, job: LintJob, maxBytes: number): LintOutcome | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.path);
  } catch {
    return undefined; // checked as usual, which reports the error
  }
  const hash = contentHash(bytes);
  const record = cache.get(hash);
  if (!record) return undefined;
  if (!job.explicit && !record.relevant) return { kind: 'skipped', record, hash };
  // Only files that were read as text are cached.
  const text = checkedText(bytes, maxBytes);
  if (text === undefined) return undefined;
  return { kind: 'shown', record, lineStarts: lineStartsOf(text), hash };
}

/**
 * A file's text as it was checked (decoded, without a byte order mark),
 * read again; empty when it cannot be. A file changed since its check gives
 * its new text: a fix or a report's end column may then be off, as for any
 * file edited while a linter runs.
 */
function readChecked(path: string, maxBytes: number): string {
  try {
    return checkedText(readFileSync(path), maxBytes) ?? '';
  } catch {
    return '';
  }
}

/** A file's bytes as the text ManifestFile checks (decoded, without a byte order mark); undefined when they are not text. */
function checkedText(bytes: Uint8Array, maxBytes: number): string | undefined {
  const decoded = decodeFile(bytes, maxBytes);
  return 'problem' in decoded ? undefined : withoutByteOrderMark(decoded.text);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
