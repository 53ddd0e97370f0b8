/** Writes one benchmark's section of docs/benchmarks.md, leaving the other sections alone. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Replaces the section that starts with `heading` (a "## ..." line) up to the
 * next "## " heading, or appends it; creates the file if missing. `section`
 * starts with the heading itself. Returns the file's path.
 */
export function writeDocsSection(repoRoot: string, heading: string, section: string): string {
  const docsPath = path.join(repoRoot, 'docs', 'benchmarks.md');
  mkdirSync(path.dirname(docsPath), { recursive: true });
  if (!existsSync(docsPath)) {
    writeFileSync(docsPath, `# Benchmarks\n\n${section}`);
    return docsPath;
  }
  const lines = readFileSync(docsPath, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === heading);
  let next: string[];
  if (start === -1) {
    while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
    next = [...lines, '', ...section.split('\n')];
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end === -1) end = lines.length;
    next = [...lines.slice(0, start), ...section.split('\n'), ...lines.slice(end)];
  }
  let text = next.join('\n');
  if (!text.endsWith('\n')) text += '\n';
  writeFileSync(docsPath, text);
  return docsPath;
}
