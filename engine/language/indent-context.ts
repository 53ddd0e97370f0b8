/**
 * Where the cursor is in a block-style YAML document while it is being typed
 * (and so often does not parse): the field path of the mapping the cursor is
 * in, read from indentation. Used for completion only; diagnostics and hover
 * use the parsed tree.
 */
import type { PathSegment } from '../schema/field-path.js';

interface LineShape {
  /** Columns of the `- ` sequence markers at the start of the line. */
  dashes: number[];
  /** Column of the first character after indentation and dashes. */
  col: number;
  /** The key, when the content is `key:` (with or without a value). */
  key?: string;
  /** True when the line is `key:` with nothing after it but a comment. */
  opensBlock: boolean;
  blank: boolean;
}

const KEY_LINE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[][^:#]*?)\s*:(?:\s+(.*))?$/;

export function lineShape(line: string): LineShape {
  let i = 0;
  const dashes: number[] = [];
  for (;;) {
    while (i < line.length && line[i] === ' ') i++;
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
      dashes.push(i);
      i++;
      continue;
    }
    break;
  }
  const content = line.slice(i).replace(/\s+$/, '');
  if (content === '' || content.startsWith('#')) {
    return { dashes, col: i, blank: dashes.length === 0, opensBlock: false };
  }
  const m = KEY_LINE.exec(content);
  if (!m) return { dashes, col: i, blank: false, opensBlock: false };
  let key = m[1].trim();
  if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) key = key.slice(1, -1);
  const rest = (m[2] ?? '').trim();
  return { dashes, col: i, key, blank: false, opensBlock: rest === '' || rest.startsWith('#') || rest === '|' || rest === '>' };
}

/**
 * The path of the mapping that holds an element starting at `col` on line
 * `lineNo` (the element's own dashes, if any, are given in `ownDashes`).
 */
export function parentPath(lines: readonly string[], lineNo: number, col: number, ownDashes: number[]): PathSegment[] {
  const path: PathSegment[] = [];
  // The element's own sequence markers: it sits inside list items.
  let target = col;
  for (let d = ownDashes.length - 1; d >= 0; d--) {
    path.unshift(0);
    target = ownDashes[d];
  }
  for (let j = lineNo - 1; j >= 0 && target > 0; j--) {
    const s = lineShape(lines[j]);
    if (s.blank || (s.key === undefined && s.dashes.length === 0)) continue;
    if (s.col === target && s.dashes.length > 0 && s.dashes[s.dashes.length - 1] < target) {
      // A sibling key that opened the same list item ("- name: a" above "  kind: b").
      for (let d = s.dashes.length - 1; d >= 0 && s.dashes[d] < target; d--) {
        path.unshift(0);
        target = s.dashes[d];
      }
      continue;
    }
    if (s.col < target && s.key !== undefined) {
      path.unshift(s.key);
      target = s.col;
      for (let d = s.dashes.length - 1; d >= 0; d--) {
        path.unshift(0);
        target = s.dashes[d];
      }
    }
  }
  return path;
}

/** Keys already present in the mapping that an element at (lineNo, col) belongs to. */
export function siblingKeys(lines: readonly string[], lineNo: number, col: number): Set<string> {
  const keys = new Set<string>();
  for (let j = lineNo - 1; j >= 0; j--) {
    const s = lineShape(lines[j]);
    if (s.blank) continue;
    const firstCol = s.dashes.length ? s.dashes[0] : s.col;
    if (s.col === col && s.key !== undefined) {
      keys.add(s.key);
      if (s.dashes.length && s.dashes[s.dashes.length - 1] < col) break; // the first key of this list item
      continue;
    }
    if (firstCol < col) break;
  }
  for (let j = lineNo + 1; j < lines.length; j++) {
    const s = lineShape(lines[j]);
    if (s.blank) continue;
    const firstCol = s.dashes.length ? s.dashes[0] : s.col;
    if (firstCol < col) break; // the parent's next sibling, or the next list item
    if (s.col === col && s.key !== undefined) keys.add(s.key);
  }
  return keys;
}
