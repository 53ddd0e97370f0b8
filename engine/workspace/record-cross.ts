/**
 * The checks across files over FileRecords (file-record.ts): the same
 * objects, in the same order, as Workspace.crossDiagnostics gives
 * checkAcrossFiles, so the findings are the same. A document's text is asked
 * for only when a finding needs it (a fix's indentation, a placeholder, the
 * line of an offset).
 */
import type { Diagnostic } from '../core/diagnostic.js';
import { LineIndex, shiftRange } from '../core/position.js';
import type { WorkspaceObject } from '../rules/cross/check-workspace.js';
import { checkAcrossFiles, type AcrossFilesOptions } from '../rules/check-across-files.js';
import { crossFindingDiagnostic } from './cross-diagnostic.js';
import type { FileRecord } from './file-record.js';
import type { ObjectSummary } from '../rules/check-document.js';

interface DocKey {
  file: number;
  doc: number;
}

/**
 * An object as the checks take it, its document's text asked for only when
 * a finding needs it. A class with the getter on its prototype: an object
 * literal with a getter costs its own accessor and closure, and a monorepo
 * has a hundred thousand objects.
 */
class RecordedObject implements WorkspaceObject {
  constructor(
    readonly uri: string,
    readonly summary: ObjectSummary,
    readonly docKey: DocKey,
    private readonly documentText: (file: number, doc: number) => string,
  ) {}

  get text(): string {
    return this.documentText(this.docKey.file, this.docKey.doc);
  }
}

/**
 * Cross-resource diagnostics by file index. `records[i]` is file i (undefined
 * for a file not in the workspace); `uris[i]` its name for the checks;
 * `documentText(i, d)` the text of document d of file i, as it was checked.
 */
export function crossDiagnosticsOfRecords(
  records: readonly (FileRecord | undefined)[],
  uris: readonly string[],
  documentText: (file: number, doc: number) => string,
  options: AcrossFilesOptions,
): Map<number, Diagnostic[]> {
  const objects: WorkspaceObject[] = [];
  records.forEach((r, file) => {
    if (!r?.relevant) return;
    let key: DocKey | undefined;
    for (const o of r.objects) {
      if (key?.doc !== o.doc) key = { file, doc: o.doc };
      objects.push(new RecordedObject(uris[file]!, o.summary, key, documentText));
    }
  });
  const out = new Map<number, Diagnostic[]>();
  const lines = new Map<DocKey, LineIndex>();
  for (const finding of checkAcrossFiles(objects, options)) {
    const k = finding.object.docKey as DocKey;
    let index = lines.get(k);
    if (!index) lines.set(k, (index = new LineIndex(documentText(k.file, k.doc))));
    const line = records[k.file]!.documents[k.doc]!.line;
    const d = crossFindingDiagnostic(finding, (s, t) => shiftRange(index.rangeOf(s, t), line));
    const list = out.get(k.file);
    if (list) list.push(d);
    else out.set(k.file, [d]);
  }
  return out;
}
