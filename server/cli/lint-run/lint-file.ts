/**
 * One file of `certsmith lint`: its size looked at, read, decoded and checked
 * (engine/workspace/file-record.ts), in whichever thread runs it. What comes
 * back is small and cloneable: the record, or why the file is left out, or
 * the read error for the command to report.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { decodeFile, formatBytes } from '../../../engine/manifests/file-limits.js';
import { looksRelevant } from '../../../engine/workspace/manifest-file.js';
import { lineStartsOf, recordFile, recordProblem, type FileRecord, type LineStarts } from '../../../engine/workspace/file-record.js';
import type { SchemaStore } from '../../../engine/schema/schema-store.js';

export interface LintJob {
  path: string;
  /** As shown to the user. */
  display: string;
  /** Named on the command line (always checked) or found in a directory (checked when relevant). */
  explicit: boolean;
}

export type LintOutcome =
  /** Found in a directory and not a manifest Certsmith checks (the record, when it was checked, for the cache). */
  | { kind: 'skipped'; record?: FileRecord; hash?: string }
  /**
   * Checked (or unreadable as text, and named explicitly): shown with its
   * diagnostics. `lineStarts`: of the text as checked, which is not kept (a
   * report reads it again from the file, for the few that need it), but for
   * standard input (`text`); `hash`: of the bytes, for the cache.
   */
  | { kind: 'shown'; record: FileRecord; lineStarts: LineStarts; text?: string; hash?: string }
  /** The file could not be read: the command stops with this error. */
  | { kind: 'unreadable'; error: { code?: string; message: string } };

/** The line starts of a file whose text is not checked (too large, not text). */
const NO_TEXT = new Int32Array([0]);

/** The content hash the cache keys records by. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** The first bytes of a file, as text. */
function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Checks one file. `stdin`: the bytes of standard input, for the path "-"; `hash`: say the bytes' content hash (for the cache). */
export function lintFile(job: LintJob, store: SchemaStore, maxBytes: number, options: { stdin?: Uint8Array; hash?: boolean } = {}): LintOutcome {
  let bytes: Uint8Array;
  try {
    // Standard input (helm template . | certsmith lint -) has no size to look at first;
    // decodeFile below applies the same limits to it.
    const size = job.path === '-' ? 0 : statSync(job.path).size;
    if (size > maxBytes) {
      // A large file found in a directory counts only when its beginning looks like a manifest.
      if (!job.explicit && !looksRelevant(readHead(job.path, 65536))) return { kind: 'skipped' };
      const problem = {
        code: 'file-too-large' as const,
        message: `This file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit, so it is not checked. A Kubernetes API request is at most 3 MiB; split the file, or raise the limit (--max-file-size).`,
      };
      return { kind: 'shown', record: recordProblem(job.path, problem, store), lineStarts: NO_TEXT, text: '' };
    }
    bytes = job.path === '-' ? options.stdin! : readFileSync(job.path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { kind: 'unreadable', error: { code: err.code, message: err.message ?? String(e) } };
  }
  const hash = options.hash ? contentHash(bytes) : undefined;
  const decoded = decodeFile(bytes, maxBytes);
  if ('problem' in decoded) return job.explicit ? { kind: 'shown', record: recordProblem(job.path, decoded.problem, store), lineStarts: NO_TEXT, text: '' } : { kind: 'skipped' };
  const { record, text } = recordFile(job.path, decoded.text, store, maxBytes);
  if (job.explicit || record.relevant) return { kind: 'shown', record, lineStarts: lineStartsOf(text), ...(job.path === '-' ? { text } : {}), hash };
  // Kept only for the cache: a file that is no manifest is not checked again next time either.
  return hash === undefined ? { kind: 'skipped' } : { kind: 'skipped', record, hash };
}
