/**
 * Where the report of one `certsmith lint` run goes: --format for standard
 * output (as before), and any number of `--output FORMAT[=PATH]`, so that one
 * run writes SARIF for code scanning, JUnit for the test view and text for
 * the log. Files are written whole or not at all (a temporary file renamed
 * into place), so a reader never sees half a report.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ioReason, outputFormat, UsageError, type CommandIO } from '../command-io.js';
import type { LintReport } from './lint-report.js';
import { renderGithub, renderJson, renderText } from './plain-formats.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';

const LINT_FORMATS = ['text', 'json', 'github', 'sarif', 'junit'] as const;
type LintFormat = (typeof LINT_FORMATS)[number];

interface OutputTarget {
  format: LintFormat;
  /** As given (relative to the working directory); absent: standard output. */
  path?: string;
}

/**
 * The outputs that --format and --output ask for. Standard output gets the
 * one --output without a path (or with "-"), else --format (default text);
 * two reports on standard output, or two in one file, are usage errors.
 */
export function outputTargets(format: string | undefined, outputs: string[] | undefined, cwd: string): OutputTarget[] {
  const targets: OutputTarget[] = [];
  const files = new Map<string, string>();
  for (const spec of outputs ?? []) {
    const eq = spec.indexOf('=');
    const name = eq === -1 ? spec : spec.slice(0, eq);
    const path = eq === -1 ? undefined : spec.slice(eq + 1);
    const f = formatName(name, spec);
    if (path === '') throw new UsageError(`--output ${spec}: the file name after "=" is missing (or write --output ${name} for standard output)`);
    if (path === undefined || path === '-') {
      const other = targets.find((t) => t.path === undefined);
      if (other) throw new UsageError(`--output ${other.format} and --output ${f} would both write to standard output; give one of them a file (--output ${f}=FILE)`);
      targets.push({ format: f });
      continue;
    }
    const abs = resolve(cwd, path);
    const same = files.get(abs);
    if (same) throw new UsageError(`--output ${same} and --output ${spec} name the same file`);
    files.set(abs, spec);
    targets.push({ format: f, path });
  }
  const toStdout = targets.find((t) => t.path === undefined);
  if (toStdout && format !== undefined) {
    throw new UsageError(`--format ${format} and --output ${toStdout.format} would both write to standard output; use one of them`);
  }
  if (!toStdout) targets.unshift({ format: outputFormat(format ?? 'text', ['github', 'sarif', 'junit'] as const) });
  return targets;
}

/** Writes the report in every format asked for: standard output first, then the files. */
export function writeOutputs(report: LintReport, targets: OutputTarget[], io: CommandIO): void {
  const rendered = new Map<LintFormat, string>();
  const render = (f: LintFormat): string => {
    let s = rendered.get(f);
    if (s === undefined) {
      s = renderFormat(report, f, io.cwd);
      rendered.set(f, s);
    }
    return s;
  };
  for (const t of targets) if (t.path === undefined) io.stdout(render(t.format));
  for (const t of targets) if (t.path !== undefined) writeAtomically(isAbsolute(t.path) ? t.path : join(io.cwd, t.path), t.path, render(t.format));
}

function renderFormat(report: LintReport, format: LintFormat, cwd: string): string {
  switch (format) {
    case 'text':
      return renderText(report);
    case 'json':
      return renderJson(report);
    case 'github':
      return renderGithub(report);
    case 'sarif':
      return renderSarif(report, cwd);
    case 'junit':
      return renderJunit(report);
  }
}

function formatName(name: string, spec: string): LintFormat {
  if ((LINT_FORMATS as readonly string[]).includes(name)) return name as LintFormat;
  throw new UsageError(`--output ${spec}: the format must be ${LINT_FORMATS.slice(0, -1).join(', ')} or ${LINT_FORMATS[LINT_FORMATS.length - 1]}, not "${name}" (--output FORMAT or FORMAT=FILE)`);
}

/** Write to a temporary file beside the target, then rename it over the target (atomic on one file system). */
function writeAtomically(abs: string, shown: string, content: string): void {
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${shown}: ${ioReason(e)}`);
  }
}
