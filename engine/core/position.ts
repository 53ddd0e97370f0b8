/** Zero-based line/character positions, as in LSP (characters are UTF-16 code units). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Maps offsets in a text to line/character positions. */
export class LineIndex {
  /** Offsets at which each line starts. */
  readonly lineStarts: ArrayLike<number>;
  private readonly length: number;
  /** Undefined for an index made from line starts alone. */
  private readonly text: string | undefined;

  /**
   * From a text, or from the line starts and length of a text that is not
   * kept (a language server's background file): then positions and offsets
   * work, and lineText does not.
   */
  constructor(text: string | { lineStarts: ArrayLike<number>; length: number }) {
    if (typeof text !== 'string') {
      this.lineStarts = text.lineStarts;
      this.length = text.length;
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
    this.text = text;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.length;
    if (pos.line < 0) return 0;
    const start = this.lineStarts[pos.line]!;
    const next = pos.line + 1 < this.lineStarts.length ? this.lineStarts[pos.line + 1]! : this.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The text of one line without its line break. */
  lineText(line: number): string {
    if (this.text === undefined) throw new Error('LineIndex.lineText: the text is not kept');
    const start = this.lineStarts[line] ?? this.length;
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.length;
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


