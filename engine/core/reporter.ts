import type { Node } from 'yaml';
import type { ParsedDocument } from '../manifests/parsed-document.js';
import type { Diagnostic, Severity } from './rule.js';
import { ruleById } from './registry.js';

/**
 * Collects the diagnostics of one document, positioned relative to that
 * document's text. Every diagnostic names a registered rule.
 */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly doc: ParsedDocument) {}

  /** Report at a node's source range (the whole node, or where it starts when that is clearer). */
  atNode(ruleId: string, node: Node | null | undefined, message: string, path?: string, severity?: Severity): Diagnostic {
    const r = node?.range;
    if (r) return this.atOffsets(ruleId, r[0], Math.max(r[1], r[0]), message, path, severity);
    return this.atOffsets(ruleId, 0, 0, message, path, severity);
  }

  /** Attach a quick fix made of edits in document offsets. */
  fix(d: Diagnostic, title: string, edits: { start: number; end: number; newText: string }[], preferred = false): void {
    (d.fixes ??= []).push({
      title,
      preferred,
      edits: edits.map((e) => ({ range: this.doc.lines.rangeOf(e.start, e.end), newText: e.newText })),
    });
  }

  atOffsets(ruleId: string, start: number, end: number, message: string, path?: string, severity?: Severity): Diagnostic {
    const rule = ruleById(ruleId);
    const d: Diagnostic = {
      range: this.doc.lines.rangeOf(start, end),
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
