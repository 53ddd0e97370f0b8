/**
 * `certsmith lint [--format text|json|github] [--max-file-size BYTES] PATH...`
 *
 * All paths together form one workspace. Exit status: 0 no error, 1 errors,
 * 2 usage or I/O problems.
 */
import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, isAbsolute } from 'node:path';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { decodeFile, DEFAULT_MAX_FILE_BYTES, formatBytes } from '../../engine/manifests/file-limits.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import { findYamlFiles } from '../../engine/workspace/find-manifests.js';
import { looksRelevant } from '../../engine/workspace/manifest-file.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import { ioReason, outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';

export const LINT_USAGE = `Usage: certsmith lint [--format text|json|github] [--max-file-size BYTES] PATH...

Checks cert-manager, Ingress and Gateway manifests. PATH is a file, a
directory (searched recursively for *.yaml and *.yml), or - for standard
input (helm template . | certsmith lint -). All paths together form one
workspace.

  --format FORMAT       text: file:line:col: severity: message [code] (default)
                        json: the diagnostics with 0-based LSP positions
                        github: GitHub Actions annotations (::error file=...)
  --max-file-size N     skip files larger than N bytes (default ${DEFAULT_MAX_FILE_BYTES})

Exit status: 0 no errors, 1 errors found, 2 usage or I/O problem.`;


interface FileEntry {
  /** As shown to the user. */
  display: string;
  path: string;
  /** Named on the command line (always checked) or found in a directory (checked when relevant). */
  explicit: boolean;
}

function collectFiles(paths: string[], cwd: string): FileEntry[] {
  const out: FileEntry[] = [];
  const seen = new Set<string>();
  const walkedDirs = new Set<string>();
  const add = (path: string, display: string, explicit: boolean) => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ path, display, explicit });
  };
  for (const p of paths) {
    if (p === '-') {
      if (!seen.has('-')) out.push({ path: '-', display: '<stdin>', explicit: true });
      seen.add('-');
      continue;
    }
    const abs = isAbsolute(p) ? p : join(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${ioReason(e)}`);
    }
    if (st.isDirectory()) {
      const found = findYamlFiles(abs, p, {
        seen: walkedDirs,
        onUnreadable: (display, e) => {
          throw new UsageError(`cannot read directory ${display}: ${ioReason(e)}`);
        },
      });
      for (const f of found) add(f.path, f.display, false);
    } else add(abs, p, true);
  }
  return out;
}

/** The first bytes of a file, as text. */
function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}


export function runLint(argv: string[], io: CommandIO): number {
  const parsed = parseCommandArgs(
    argv,
    {
        format: { type: 'string', default: 'text' },
        'max-file-size': { type: 'string' },
    },
    LINT_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format, ['github'] as const);
  let maxBytes = DEFAULT_MAX_FILE_BYTES;
  if (values['max-file-size'] !== undefined) {
    maxBytes = Number(values['max-file-size']);
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new UsageError('--max-file-size must be a positive number of bytes');
  }
  if (positionals.length === 0) throw new UsageError(`no PATH given\n\n${LINT_USAGE}`);

  const files = collectFiles(positionals, io.cwd);
  const workspace = new Workspace(schemaStore(), maxBytes);
  const shown: FileEntry[] = [];
  for (const f of files) {
    let bytes: Buffer;
    try {
      // Standard input (helm template . | certsmith lint -) has no size to look at first;
      // decodeFile below applies the same limits to it.
      const size = f.path === '-' ? 0 : statSync(f.path).size;
      if (size > maxBytes) {
        // A large file found in a directory counts only when its beginning looks like a manifest.
        if (!f.explicit && !looksRelevant(readHead(f.path, 65536))) continue;
        workspace.setUnreadable(f.path, {
          code: 'file-too-large',
          message: `This file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit, so it is not checked. A Kubernetes API request is at most 3 MiB; split the file, or raise the limit (--max-file-size).`,
        });
        shown.push(f);
        continue;
      }
      bytes = f.path === '-' ? io.readStdin() : readFileSync(f.path);
    } catch (e) {
      throw new UsageError(`cannot read ${f.display}: ${ioReason(e)}`);
    }
    const decoded = decodeFile(bytes, maxBytes);
    if ('problem' in decoded) {
      if (f.explicit) {
        workspace.setUnreadable(f.path, decoded.problem);
        shown.push(f);
      }
      continue;
    }
    workspace.set(f.path, decoded.text);
    if (f.explicit || workspace.get(f.path)!.isRelevant) shown.push(f);
    else workspace.delete(f.path);
  }

  let errors = 0;
  let warnings = 0;
  const results = shown.map((f) => {
    const diagnostics = workspace.diagnostics(f.path).sort(byPosition);
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    return { file: f, diagnostics };
  });

  if (format === 'json') {
    const json = {
      files: results.map((r) => ({
        path: r.file.display,
        diagnostics: r.diagnostics.map((d) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message })),
      })),
      summary: { errors, warnings },
    };
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else if (format === 'github') {
    const lines: string[] = [];
    for (const r of results) for (const d of r.diagnostics) lines.push(githubAnnotation(r.file.display, d));
    lines.push(summaryLine(shown.length, errors, warnings));
    io.stdout(lines.join('\n') + '\n');
  } else {
    const lines: string[] = [];
    for (const r of results) {
      for (const d of r.diagnostics) {
        lines.push(`${r.file.display}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`);
      }
    }
    lines.push(summaryLine(shown.length, errors, warnings));
    io.stdout(lines.join('\n') + '\n');
  }
  return errors > 0 ? 1 : 0;
}

function summaryLine(files: number, errors: number, warnings: number): string {
  const checked = `${files} file${files === 1 ? '' : 's'} checked`;
  return `${checked}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`;
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

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
