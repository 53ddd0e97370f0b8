/** Zero-based line/character positions, as in LSP (characters are UTF-16 code units). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * Where a text's lines start: its own, or a window onto a longer text's
 * (`first`: the index of its first line there; `shift`: its offset there).
 * A window costs no copy: a background file's documents are looked up
 * tens of thousands of times in a monorepo (the Certificates list).
 */
export interface LineStartsOf {
  lineStarts: ArrayLike<number>;
  length: number;
  first?: number;
  count?: number;
  shift?: number;
}

/** Maps offsets in a text to line/character positions. */
export class LineIndex {
  private readonly lineStarts: ArrayLike<number>;
  private readonly length: number;
  private readonly first: number;
  private readonly count: number;
  private readonly shift: number;
  /** Undefined for an index made from line starts alone. */
  private readonly text: string | undefined;

  /**
   * From a text, or from the line starts and length of a text that is not
   * kept (a language server's background file): then positions and offsets
   * work, and lineText does not.
   */
  constructor(text: string | LineStartsOf) {
    if (typeof text !== 'string') {
      this.lineStarts = text.lineStarts;
      this.length = text.length;
      this.first = text.first ?? 0;
      this.count = text.count ?? text.lineStarts.length - this.first;
      this.shift = text.shift ?? 0;
      this.text = undefined;
      return;
    }
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = starts;
    this.length = text.length;
    this.first = 0;
    this.count = starts.length;
    this.shift = 0;
    this.text = text;
  }

  get lineCount(): number {
    return this.count;
  }

  /** Where line `i` starts (the first line at 0). */
  private startOf(i: number): number {
    return i === 0 ? 0 : this.lineStarts[this.first + i]! - this.shift;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.startOf(mid) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.startOf(lo) };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.count) return this.length;
    if (pos.line < 0) return 0;
    const start = this.startOf(pos.line);
    const next = pos.line + 1 < this.count ? this.startOf(pos.line + 1) : this.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The text of one line without its line break. */
  lineText(line: number): string {
    if (this.text === undefined) throw new Error('LineIndex.lineText: the text is not kept');
    const start = line < this.count ? this.startOf(line) : this.length;
    const next = line + 1 < this.count ? this.startOf(line + 1) : this.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }
}

export function shiftRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return {
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  };
}


