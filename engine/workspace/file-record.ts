/**
 * A file checked on its own, reduced to what outlives the check: its local
 * diagnostics, whether it is a manifest Certsmith checks, its documents'
 * places and the small facts of its objects that the checks across files
 * need. No syntax tree is kept, so a linter can check thousands of files one
 * after another (or in worker threads, which send records back) in little
 * memory, and run the checks across files over the records.
 */
import type { Diagnostic } from '../core/diagnostic.js';
import { CheckedDocument, type ObjectSummary } from '../rules/check-document.js';
import { LineIndex } from '../core/position.js';
import type { SchemaStore } from '../schema/schema-store.js';
import type { TextProblem } from '../manifests/file-limits.js';
import { ManifestFile, type FileDocument } from './manifest-file.js';
import { ownCopy } from '../core/own-copy.js';

interface RecordedObject {
  /** The document's index in the file. */
  doc: number;
  summary: ObjectSummary;
}

export interface FileRecord {
  /** The file holds manifests Certsmith checks (ManifestFile.isRelevant); only these take part in the checks across files. */
  relevant: boolean;
  /** Why the file's text is not checked (too large, not text, a template). */
  problem?: TextProblem;
  /** Every object, in file order. */
  objects: RecordedObject[];
  /** Each document: its place in the file's text (as ManifestFile reads it: without a byte order mark) and its local diagnostics (in its own positions). */
  documents: { offset: number; line: number; length: number; hasSyntaxProblems: boolean; diagnostics: Diagnostic[] }[];
}

/** Checks one file's text; returns the record and the text as checked. Syntax trees are dropped as soon as each document is checked. */
export function recordFile(uri: string, text: string, store: SchemaStore, maxBytes: number): { record: FileRecord; text: string } {
  const file = new ManifestFile(uri, store, maxBytes, false);
  file.update(text);
  return { record: recordOf(file), text: file.text };
}

/** A file that could not be read as text (binary, too large). */
export function recordProblem(uri: string, problem: TextProblem, store: SchemaStore): FileRecord {
  const file = new ManifestFile(uri, store);
  file.problem = problem;
  return recordOf(file);
}

function recordOf(file: ManifestFile): FileRecord {
  const objects: RecordedObject[] = [];
  file.documents.forEach((d, doc) => d.checked.objects.forEach((summary) => objects.push({ doc, summary })));
  const record: FileRecord = {
    relevant: file.isRelevant,
    objects,
    documents: file.documents.map((d) => ({
      offset: d.segment.offset,
      line: d.segment.line,
      length: d.segment.text.length,
      hasSyntaxProblems: d.checked.hasSyntaxProblems,
      diagnostics: d.checked.diagnostics,
    })),
  };
  if (file.problem) record.problem = file.problem;
  return record;
}

/** The text of one document of a recorded file (`text`: the file's, as checked). */
export function documentText(record: FileRecord, text: string, doc: number): string {
  const d = record.documents[doc]!;
  return text.slice(d.offset, d.offset + d.length);
}

/** Where each line of a text starts: 16 bits each when the text is shorter than 64 KiB (nearly every manifest file), else 32. */
export type LineStarts = Uint16Array | Int32Array;

/** Where each line of a text starts (a background file's positions, without its text). */
export function lineStartsOf(text: string): LineStarts {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  const starts = text.length < 0x10000 ? new Uint16Array(n) : new Int32Array(n);
  let k = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

/**
 * A recorded file as a ManifestFile that keeps no text: the language
 * server's background files, tens of thousands in a monorepo, where texts
 * would be most of the memory. Positions come from the file's line starts;
 * the text, which only a few requests need (a parse on demand, issuance),
 * is read with `read` (from disk) each time it is asked for.
 */
export function storedFileView(uri: string, record: FileRecord, lineStarts: LineStarts, read: () => string, store: SchemaStore): ManifestFile {
  const file = new ManifestFile(uri, store);
  file.readTextFrom(read);
  file.problem = record.problem;
  file.knownRelevant = record.relevant;
  const source = { read, lineStarts };
  let o = 0;
  file.documents = record.documents.map((d, i) => {
    // The objects are in document order; an array of exactly their number (a pushed-to one reserves 17 places).
    const from = o;
    while (o < record.objects.length && record.objects[o]!.doc === i) o++;
    const objects = record.objects.slice(from, o).map((r) => r.summary);
    return new StoredDocument(source, d.offset, d.line, d.length, d.diagnostics, objects, d.hasSyntaxProblems);
  });
  return file;
}

/**
 * One document of a file whose text is not kept: the file's document (its
 * segment, and its checked results), and the text and lines its
 * CheckedDocument reads. One class for all three, not closures: a monorepo
 * has a hundred thousand of these.
 */
class StoredDocument implements FileDocument {
  readonly checked: CheckedDocument;

  constructor(
    private readonly file: { read: () => string; lineStarts: LineStarts },
    readonly offset: number,
    readonly line: number,
    private readonly length: number,
    diagnostics: Diagnostic[],
    objects: ObjectSummary[],
    hasSyntaxProblems: boolean,
  ) {
    this.checked = new CheckedDocument(this, diagnostics, objects, hasSyntaxProblems, undefined);
  }

  get segment(): this {
    return this;
  }

  get text(): string {
    return this.read();
  }

  read(): string {
    return this.file.read().slice(this.offset, this.offset + this.length);
  }

  /** The document's lines: a window onto the file's line starts, from its first line to its end. */
  lines(): LineIndex {
    const { lineStarts } = this.file;
    const end = this.offset + this.length;
    // The lines after the first that start within the document (binary search: line starts ascend).
    let lo = this.line + 1;
    let hi = lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineStarts[mid]! <= end) lo = mid + 1;
      else hi = mid;
    }
    return new LineIndex({ lineStarts, length: this.length, first: this.line, count: lo - this.line, shift: this.offset });
  }
}

/**
 * One copy of each string value in records kept for a whole run: records
 * taken in from another thread arrive as separate copies (apiVersion, kind,
 * namespace, issuer names, label keys repeat across tens of thousands of
 * files), and a record made in this thread holds slices of its file's text,
 * which keep the whole text alive. At most `limit` distinct strings are
 * remembered; later ones are only looked up, and copied.
 */
export class StringTable {
  private readonly strings = new Map<string, string>();

  /** `copy`: the records were made in this thread (their strings may be slices of a text). */
  constructor(
    private readonly copy: boolean,
    private readonly limit = 200_000,
  ) {}

  /** The record, its strings replaced by their first copies (in place). */
  internRecord(record: FileRecord): FileRecord {
    for (const o of record.objects) {
      this.internValues(o.summary);
      o.summary = compactSummary(o.summary);
    }
    for (const d of record.documents) if (d.diagnostics.length) this.internValues(d.diagnostics);
    return record;
  }

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    const kept = this.copy ? ownCopy(s) : s;
    if (this.strings.size < this.limit) this.strings.set(kept, kept);
    return kept;
  }

  private internValues(value: object): void {
    const v = value as Record<string, unknown>;
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (typeof x === 'string') v[key] = this.intern(x);
      else if (x !== null && typeof x === 'object') this.internValues(x);
    }
  }
}

/**
 * The same summary as an object literal, whose fields V8 keeps inside the
 * object. An object that came from another thread (or was built field by
 * field) keeps four there and the rest in a second block: 30-60 bytes more
 * per object, and a monorepo has a hundred thousand.
 */
function compactSummary(s: ObjectSummary): ObjectSummary {
  return { apiVersion: s.apiVersion, kind: s.kind, group: s.group, name: s.name, namespace: s.namespace, start: s.start, end: s.end, labelStart: s.labelStart, labelEnd: s.labelEnd, facts: s.facts };
}
