/**
 * `certsmith lint --format junit`: JUnit XML, as GitLab (artifacts:reports:junit)
 * and Jenkins (the junit step) read it. One <testsuite> per file, one
 * <testcase> per Kubernetes object. An object with errors fails with one
 * <failure> that lists them all; warnings, information and hints do not fail
 * it (as they do not fail the command) and are listed in its <system-out>.
 * Findings outside any object (a YAML error, a file too large) get a testcase
 * of their own: "document N", or "file" for the file as a whole.
 */
import type { Finding, LintedFile, LintReport } from './lint-report.js';
import { objectLabel } from './lint-report.js';

interface Case {
  name: string;
  line?: number;
  findings: Finding[];
}

export function renderJunit(report: LintReport): string {
  const suites = report.files.map((f) => ({ file: f, cases: casesOf(f) }));
  const count = (cases: Case[]) => ({
    tests: cases.length,
    failures: cases.filter((c) => c.findings.some((f) => f.diagnostic.severity === 'error')).length,
  });
  const all = count(suites.flatMap((s) => s.cases));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="certsmith lint" tests="${all.tests}" failures="${all.failures}" errors="0" skipped="0" time="0">`);
  for (const s of suites) {
    const c = count(s.cases);
    const file = attr(s.file.display);
    out.push(`  <testsuite name="${file}" tests="${c.tests}" failures="${c.failures}" errors="0" skipped="0" time="0">`);
    for (const tc of s.cases) out.push(...testcase(s.file.display, tc));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** The file's testcases: its objects in order, then the findings no object holds. */
function casesOf(file: LintedFile): Case[] {
  const cases: Case[] = file.objects.map((o) => ({ name: objectLabel(o), line: o.line, findings: [] }));
  const outside = new Map<string, Case>();
  for (const f of file.findings) {
    if (f.object !== undefined) {
      cases[f.object].findings.push(f);
      continue;
    }
    const name = f.document === undefined ? 'file' : `document ${f.document}`;
    let c = outside.get(name);
    if (!c) {
      c = { name, line: f.document === undefined ? undefined : f.region.startLine, findings: [] };
      outside.set(name, c);
    }
    c.findings.push(f);
  }
  cases.push(...outside.values());
  // A file with nothing in it that Certsmith reads still shows up as one passed test.
  if (cases.length === 0) cases.push({ name: 'file', findings: [] });
  return cases;
}

function testcase(display: string, tc: Case): string[] {
  const errors = tc.findings.filter((f) => f.diagnostic.severity === 'error');
  const others = tc.findings.filter((f) => f.diagnostic.severity !== 'error');
  const open = `    <testcase classname="${attr(display)}" name="${attr(tc.name)}" file="${attr(display)}"${tc.line ? ` line="${tc.line}"` : ''} time="0"`;
  if (errors.length === 0 && others.length === 0) return [`${open}/>`];
  const lines = [`${open}>`];
  if (errors.length > 0) {
    const first = errors[0].diagnostic;
    const message = errors.length === 1 ? first.message : `${errors.length} errors; the first: ${first.message}`;
    lines.push(`      <failure message="${attr(message)}" type="${attr(first.code)}">${text(errors.map((f) => findingLine(display, f)).join('\n'))}</failure>`);
  }
  if (others.length > 0) lines.push(`      <system-out>${text(others.map((f) => findingLine(display, f)).join('\n'))}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

/** The text format's line: `file:line:col: severity: message [rule]`. */
function findingLine(display: string, f: Finding): string {
  const d = f.diagnostic;
  return `${display}:${f.region.startLine}:${f.region.startColumn}: ${d.severity}: ${d.message} [${d.code}]`;
}

/**
 * XML 1.0 allows tab, newline, carriage return and the characters from U+0020
 * on, except lone surrogates and U+FFFE/U+FFFF: anything else (a control
 * character quoted from a broken file) becomes U+FFFD.
 */
function xmlChars(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function text(s: string): string {
  // A carriage return as a reference: XML parsers turn a literal one into a line feed.
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** An attribute value; line breaks and tabs as character references, which attribute normalization keeps. */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
