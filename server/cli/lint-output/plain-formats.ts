/** The text, json and github formats of `certsmith lint`. */
import type { Diagnostic } from '../../../engine/core/diagnostic.js';
import type { LintReport } from './lint-report.js';

/** `file:line:col: severity: message [code]` per finding (1-based), then the summary. */
export function renderText(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.files) {
    for (const { diagnostic: d } of f.findings) {
      lines.push(`${f.display}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`);
    }
  }
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

/** The diagnostics with 0-based LSP positions, and the summary. */
export function renderJson(report: LintReport): string {
  const json = {
    files: report.files.map((f) => ({
      path: f.display,
      diagnostics: f.findings.map(({ diagnostic: d }) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message })),
    })),
    summary: { errors: report.errors, warnings: report.warnings },
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/** GitHub Actions workflow commands, one per finding, then the summary. */
export function renderGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.files) for (const { diagnostic } of f.findings) lines.push(githubAnnotation(f.display, diagnostic));
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

function summaryLine(report: LintReport): string {
  const files = report.files.length;
  const checked = `${files} file${files === 1 ? '' : 's'} checked`;
  return `${checked}: ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}.`;
}

/**
 * One GitHub Actions workflow command (`::error file=...,line=...::message`), which
 * the runner turns into an annotation on the line of the pull request. Positions are
 * 1-based; information and hints become notices.
 */
function githubAnnotation(file: string, d: Diagnostic): string {
  const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props = [
    `file=${escapeProperty(file)}`,
    `line=${d.range.start.line + 1}`,
    `col=${d.range.start.character + 1}`,
    `endLine=${d.range.end.line + 1}`,
    `endColumn=${d.range.end.character + 1}`,
    `title=${escapeProperty(`certsmith ${d.code}`)}`,
  ];
  return `::${level} ${props.join(',')}::${escapeData(d.message)}`;
}

/** The escaping of the runner's workflow-command parser (actions/toolkit, command.ts). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
