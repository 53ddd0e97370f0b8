import type { Node } from 'yaml';
import type { Diagnostic, Severity } from './diagnostic.js';
import type { Range } from './position.js';
import type { RuleLookup } from './rule-definition.js';

/** What a reporter needs of a text: ranges from offsets (a ParsedDocument's `lines`). */
export interface TextLines {
  rangeOf(start: number, end: number): Range;
}

/**
 * Collects the diagnostics of one document, positioned relative to that
 * document's text. Every diagnostic names a rule that `rules` knows: its
 * severity and documentation link come from there. The rule ids a reporter
 * takes are a type (`Id`), so that a misspelt id does not compile.
 */
export class Reporter<Id extends string = string> {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly lines: TextLines,
    private readonly rules: RuleLookup<Id>,
  ) {}

  /** Report at a node's source range (the whole node, or where it starts when that is clearer). */
  atNode(ruleId: Id, node: Node | null | undefined, message: string, path?: string, severity?: Severity): Diagnostic {
    const r = node?.range;
    if (r) return this.atOffsets(ruleId, r[0], Math.max(r[1], r[0]), message, path, severity);
    return this.atOffsets(ruleId, 0, 0, message, path, severity);
  }

  /** Attach a quick fix made of edits in document offsets. */
  fix(d: Diagnostic, title: string, edits: { start: number; end: number; newText: string }[], preferred = false): void {
    (d.fixes ??= []).push({
      title,
      preferred,
      edits: edits.map((e) => ({ range: this.lines.rangeOf(e.start, e.end), newText: e.newText })),
    });
  }

  atOffsets(ruleId: Id, start: number, end: number, message: string, path?: string, severity?: Severity): Diagnostic {
    const rule = this.rules(ruleId);
    const d: Diagnostic = {
      range: this.lines.rangeOf(start, end),
      severity: severity ?? rule.severity,
      code: rule.id,
      message,
      href: rule.docs,
    };
    if (path) d.path = path;
    this.diagnostics.push(d);
    return d;
  }
}
