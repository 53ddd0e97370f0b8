/**
 * Splits a multi-document YAML text into one segment per document, without
 * parsing it. Each segment is parsed on its own, so an edit re-parses only the
 * documents it touched (see ManifestFile).
 *
 * A line that starts with `---` or `...` followed by white space or the end of
 * the line is a document marker wherever it appears (YAML 1.2 "c-forbidden":
 * it cannot be part of any content), so cutting at those lines gives the same
 * documents as a full parse.
 */
export interface Segment {
  /** The document's text, from its `---` line (if any) to the next document. */
  text: string;
  /** Offset of the segment in the whole text. */
  offset: number;
  /** Zero-based line of the segment in the whole text. */
  line: number;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

export function splitDocuments(text: string): Segment[] {
  const raw: Segment[] = [];
  let segStart = 0;
  let segLine = 0;
  let lineStart = 0;
  let line = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    const c = text.charCodeAt(lineStart);
    if ((c === 45 /* - */ || c === 46) /* . */ && lineEnd - lineStart >= 3) {
      const m = MARKER.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + 4)));
      if (m) {
        if (m[1] === '---') {
          if (lineStart > segStart) raw.push({ text: text.slice(segStart, lineStart), offset: segStart, line: segLine });
          segStart = lineStart;
          segLine = line;
        } else {
          // `...` ends the document; the next one starts on the following line.
          const next = Math.min(lineEnd + 1, n);
          raw.push({ text: text.slice(segStart, next), offset: segStart, line: segLine });
          segStart = next;
          segLine = line + 1;
        }
      }
    }
    if (lineEnd >= n) break;
    lineStart = lineEnd + 1;
    line++;
  }
  if (segStart < n || raw.length === 0) raw.push({ text: text.slice(segStart), offset: segStart, line: segLine });

  // Comments, directives and blank lines before a `---` belong to that document.
  const out: Segment[] = [];
  let pending: Segment | undefined;
  for (const s of raw) {
    const merged = pending ? { text: pending.text + s.text, offset: pending.offset, line: pending.line } : s;
    pending = undefined;
    if (!merged.text.startsWith('---') && !hasContent(merged.text) && merged !== raw[raw.length - 1]) {
      pending = merged;
      continue;
    }
    out.push(merged);
  }
  if (pending) {
    if (out.length && !hasContent(pending.text)) {
      const last = out[out.length - 1];
      out[out.length - 1] = { text: last.text + pending.text, offset: last.offset, line: last.line };
    } else out.push(pending);
  }
  return out;
}

/** True when the text has a line other than blank, comment or directive. */
function hasContent(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    let j = i;
    while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
    if (j < end) {
      const c = text[j];
      if (c !== '#' && !(c === '%' && j === i)) return true;
    }
    i = end + 1;
  }
  return false;
}
