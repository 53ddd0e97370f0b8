/**
 * The identity of a finding across commits, for SARIF's partialFingerprints:
 * what is wrong (rule and message) where (file, object, field), and no line
 * or column, so that a finding keeps its identity when lines are inserted
 * above it, and a finding on another object gets another one.
 */
import { createHash } from 'node:crypto';
import type { Finding, LintObject } from './lint-report.js';

/** The partialFingerprints key; the version changes if what is hashed changes. */
export const FINGERPRINT_KEY = 'certsmithFinding/v1';

/**
 * One fingerprint per finding of a file, in order. `uri` is the file as the
 * SARIF names it. Findings that are otherwise alike (the same rule, object,
 * field and message) are told apart by their order: `:1`, `:2`, ...
 */
export function findingFingerprints(uri: string, objects: LintObject[], findings: Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const object = f.object === undefined ? undefined : objects[f.object];
    // Outside any object (a YAML error, a file too large): the document's number is the best identity there is.
    const where = object ? ['object', object.kind ?? '', object.namespace ?? '', object.name ?? ''] : ['document', String(f.document ?? 0)];
    const identity = JSON.stringify([f.diagnostic.code, uri, ...where, f.diagnostic.path ?? '', withoutPositions(f.diagnostic.message)]);
    const hash = createHash('sha256').update(identity).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

/** A message without the line and column numbers some messages quote (a PEM block "at line 12", "file.yaml:3"). */
function withoutPositions(message: string): string {
  return message
    .replace(/\b(lines?|columns?|col)\s+\d+(\s*[-–]\s*\d+)?/gi, '$1 #')
    .replace(/(\.ya?ml):\d+(:\d+)?/gi, '$1');
}
