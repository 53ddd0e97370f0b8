/** A cross-resource finding as a diagnostic of its file: the rule's severity and docs link, ranges in file positions. */
import type { Diagnostic } from '../core/diagnostic.js';
import type { Range } from '../core/position.js';
import type { AcrossFilesFinding } from '../rules/check-across-files.js';
import { ruleById } from '../rules/registry.js';

/** `toRange` turns offsets in the finding's document into a range of its file. */
export function crossFindingDiagnostic(finding: AcrossFilesFinding, toRange: (start: number, end: number) => Range): Diagnostic {
  const rule = ruleById(finding.rule);
  const d: Diagnostic = {
    range: toRange(finding.start, finding.end),
    severity: finding.severity ?? rule.severity,
    code: rule.id,
    message: finding.message,
    href: rule.docs,
  };
  if (finding.fixes) {
    d.fixes = finding.fixes.map((fx) => ({
      title: fx.title,
      preferred: fx.preferred,
      edits: fx.edits.map((ed) => ({ range: toRange(ed.start, ed.end), newText: ed.newText })),
    }));
  }
  return d;
}
