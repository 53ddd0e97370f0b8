/**
 * A line diff in unified format, as `diff -u` prints it (3 lines of context):
 * the `diff` package computes the hunks; this writes them with GNU diff's
 * headers and empty-side line numbers, which kubectl diff users know.
 */
import { structuredPatch } from 'diff';

/** The unified diff of two texts, or '' when they are the same. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string): string {
  if (before === after) return '';
  const patch = structuredPatch(fromLabel, toLabel, before, after, undefined, undefined, { context: 3 });
  if (!patch.hunks.length) return '';
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  // GNU's ranges: an empty side names the line before it, and a count of 1 is left out.
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start}${count === 1 ? '' : `,${count}`}`;
  for (const h of patch.hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    out.push(...h.lines.filter((l) => !l.startsWith('\\')));
  }
  return out.join('\n') + '\n';
}
