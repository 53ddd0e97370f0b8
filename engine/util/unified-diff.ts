/**
 * A line diff in unified format (as `diff -u` prints it, 3 lines of context),
 * from a longest common subsequence of the lines. Meant for Kubernetes
 * objects (hundreds of lines); beyond MAX_CELLS of work the two texts are
 * shown as one replaced block rather than spending seconds on them.
 */

const CONTEXT = 3;
const MAX_CELLS = 16_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function operations(a: string[], b: string[]): Op[] {
  // Common prefix and suffix first: most object diffs change a few lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  const tail: Op[] = a.slice(endA).map((line) => ({ kind: ' ', line }));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const n = x.length;
  const m = y.length;
  const middle: Op[] = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (const line of x) middle.push({ kind: '-', line });
    for (const line of y) middle.push({ kind: '+', line });
    return [...head, ...middle, ...tail];
  }
  // lcs[i][j]: length of the LCS of x[i..] and y[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      middle.push({ kind: ' ', line: x[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
      middle.push({ kind: '-', line: x[i++] });
    } else {
      middle.push({ kind: '+', line: y[j++] });
    }
  }
  while (i < n) middle.push({ kind: '-', line: x[i++] });
  while (j < m) middle.push({ kind: '+', line: y[j++] });
  return [...head, ...middle, ...tail];
}

/** The unified diff of two texts, or '' when they are the same. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string): string {
  if (before === after) return '';
  const ops = operations(lines(before), lines(after));
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k !== -1);
  if (!changed.length) return '';
  // Group the changes into hunks with CONTEXT lines around them.
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const from = Math.max(0, k - CONTEXT);
    const to = Math.min(ops.length, k + CONTEXT + 1);
    const last = hunks[hunks.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  // Line numbers of each op in a and b.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 0;
  let lb = 0;
  for (const o of ops) {
    posA.push(la);
    posB.push(lb);
    if (o.kind !== '+') la++;
    if (o.kind !== '-') lb++;
  }
  for (const [from, to] of hunks) {
    const slice = ops.slice(from, to);
    const countA = slice.filter((o) => o.kind !== '+').length;
    const countB = slice.filter((o) => o.kind !== '-').length;
    const startA = countA ? posA[from] + 1 : posA[from];
    const startB = countB ? posB[from] + 1 : posB[from];
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const o of slice) out.push(`${o.kind}${o.line}`);
  }
  return out.join('\n') + '\n';
}
