/**
 * What one `certsmith lint` run found, as plain data that every output format
 * reads: per file, the objects it holds and each finding with the object it
 * is about and its place in 1-based lines and columns.
 */
import type { Diagnostic } from '../../../engine/core/diagnostic.js';
import { LineIndex } from '../../../engine/core/position.js';
import type { ManifestFile } from '../../../engine/workspace/manifest-file.js';

/** A Kubernetes object in a file, as a report names it. */
export interface LintObject {
  kind?: string;
  namespace?: string;
  name?: string;
  /** 1-based line where the object starts. */
  line: number;
}

/**
 * 1-based lines and columns (UTF-16 code units, as the engine counts them);
 * endLine is the line of the last character, endColumn the column after it
 * (SARIF's region and GitHub's reading of it).
 */
interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface Finding {
  diagnostic: Diagnostic;
  /** Index in the file's objects of the object the finding is about, if any. */
  object?: number;
  /** 1-based index of the YAML document that holds it (absent for problems of the whole file). */
  document?: number;
  region: Region;
}

export interface LintedFile {
  /** As the user named it (relative to the working directory, or as given). */
  display: string;
  /** The path read ("-" for standard input). */
  path: string;
  objects: LintObject[];
  findings: Finding[];
}

export interface LintReport {
  files: LintedFile[];
  errors: number;
  warnings: number;
  /** The command's exit status: 0 no errors, 1 errors. */
  exitCode: 0 | 1;
}

/** Places a file's diagnostics (sorted by position) in its documents and objects. */
export function describeFile(display: string, path: string, file: ManifestFile | undefined, diagnostics: Diagnostic[]): LintedFile {
  const objects: LintObject[] = [];
  // Per document: where each of its objects is (offsets in the document's text) and its index in `objects`.
  const placed = new Map<unknown, { index: number; start: number; end: number }[]>();
  const docIndex = new Map<unknown, number>();
  for (const [i, doc] of (file?.documents ?? []).entries()) {
    docIndex.set(doc, i + 1);
    const list: { index: number; start: number; end: number }[] = [];
    for (const o of doc.checked.objects) {
      list.push({ index: objects.length, start: o.start, end: o.end });
      objects.push({ kind: o.kind, namespace: o.namespace, name: o.name, line: doc.segment.line + doc.checked.lines.positionAt(o.start).line + 1 });
    }
    placed.set(doc, list);
  }
  // The file's text only when a finding needs a line's length (a file's text may be read again from disk).
  let lines: LineIndex | undefined;
  const lineText = (line: number) => (lines ??= new LineIndex(file?.text ?? '')).lineText(line);
  const findings = diagnostics.map((d): Finding => {
    const finding: Finding = { diagnostic: d, region: regionOf(d, file ? lineText : undefined) };
    const doc = file && !file.problem ? file.documentAtLine(d.range.start.line) : undefined;
    if (!doc) return finding;
    finding.document = docIndex.get(doc);
    const list = placed.get(doc) ?? [];
    const offset = doc.checked.lines.offsetAt({ line: d.range.start.line - doc.segment.line, character: d.range.start.character });
    const inside = list.find((o) => o.start <= offset && offset <= o.end) ?? (list.length === 1 ? list[0] : undefined);
    if (inside) finding.object = inside.index;
    return finding;
  });
  return { display, path, objects, findings };
}

/**
 * A diagnostic's range in 1-based numbers. A range that ends at the start of a
 * line really ends with the line before it: GitHub reads endLine as the line
 * of the last character and would otherwise mark one line too many.
 */
function regionOf(d: Diagnostic, lineText: ((line: number) => string) | undefined): Region {
  const { start, end } = d.range;
  let endLine = end.line;
  let endCharacter = end.character;
  if (lineText && endCharacter === 0 && endLine > start.line) {
    endLine--;
    endCharacter = lineText(endLine).length;
  }
  if (endLine < start.line || (endLine === start.line && endCharacter < start.character)) {
    endLine = start.line;
    endCharacter = start.character;
  }
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: endLine + 1, endColumn: endCharacter + 1 };
}

/** How a report names an object: `Certificate web/shop`, `ClusterIssuer letsencrypt`. */
export function objectLabel(o: LintObject): string {
  const name = o.name === undefined ? '(no name)' : o.namespace ? `${o.namespace}/${o.name}` : o.name;
  return `${o.kind ?? '(no kind)'} ${name}`;
}
