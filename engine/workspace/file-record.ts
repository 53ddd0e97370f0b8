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
import type { SchemaStore } from '../schema/schema-store.js';
import type { TextProblem } from '../manifests/file-limits.js';
import { ManifestFile } from './manifest-file.js';

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

/**
 * A recorded file as the ManifestFile it was (documents, objects, local
 * diagnostics; syntax trees are parsed again when asked for), without
 * checking it again.
 */
export function fileView(uri: string, text: string, record: FileRecord, store: SchemaStore): ManifestFile {
  const file = new ManifestFile(uri, store);
  file.text = text;
  file.problem = record.problem;
  const byDoc = record.documents.map((): ObjectSummary[] => []);
  for (const o of record.objects) byDoc[o.doc]!.push(o.summary);
  file.documents = record.documents.map((d, i) => {
    const docText = text.slice(d.offset, d.offset + d.length);
    return { segment: { text: docText, offset: d.offset, line: d.line }, checked: new CheckedDocument(docText, d.diagnostics, byDoc[i]!, d.hasSyntaxProblems, undefined) };
  });
  return file;
}
