/**
 * `certsmith lint [--format FORMAT] [--output FORMAT[=FILE]]... [--max-file-size BYTES] PATH...`
 *
 * All paths together form one workspace. The report's formats live in
 * lint-output/. Exit status: 0 no error, 1 errors, 2 usage or I/O problems.
 */
import { isAbsolute, join } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../../engine/manifests/file-limits.js';
import { certManagerVersionOption, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';
import { describeFile, type LintReport } from './lint-output/lint-report.js';
import { outputTargets, writeOutputs } from './lint-output/outputs.js';
import { lintFiles, startThreads } from './lint-run/lint-files.js';
import { collectInputFiles } from './manifest-inputs.js';

const LINT_USAGE = `Usage: certsmith lint [--format text|json|github|sarif|junit] [--output FORMAT[=FILE]]... [--max-file-size BYTES] PATH...

Checks cert-manager, Ingress and Gateway manifests. PATH is a file, a
directory (searched recursively for *.yaml and *.yml), or - for standard
input (helm template . | certsmith lint -). All paths together form one
workspace.

  --format FORMAT       the report on standard output:
                        text: file:line:col: severity: message [code] (default)
                        json: the diagnostics with 0-based LSP positions
                        github: GitHub Actions annotations (::error file=...)
                        sarif: SARIF 2.1.0 for GitHub code scanning and other viewers
                        junit: JUnit XML (one testsuite per file, one testcase per object)
  --output FORMAT=FILE  also write the report in FORMAT to FILE (replaced whole);
                        repeat for several (--output sarif=certsmith.sarif --output junit=junit.xml).
                        --output FORMAT without a file chooses standard output's format instead
                        of --format; standard output gets text when only files are named.
  --max-file-size N     skip files larger than N bytes (default ${DEFAULT_MAX_FILE_BYTES})
  --cert-manager-version V  the cert-manager release to check against (default: the newest bundled)
  --jobs N              check files in N threads (default: one per core with 4 cores
                        or more, else 1)
  --cache DIR           keep what was found per file content in DIR and check again only
                        files that changed (the checks across files always run)

Exit status: 0 no errors, 1 errors found, 2 usage or I/O problem (a report
that cannot be written too).`;


export async function runLint(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
        format: { type: 'string' },
        output: { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        'cert-manager-version': { type: 'string' },
        jobs: { type: 'string' },
        cache: { type: 'string' },
    },
    LINT_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const targets = outputTargets(values.format, values.output, io.cwd);
  let maxBytes = DEFAULT_MAX_FILE_BYTES;
  if (values['max-file-size'] !== undefined) {
    maxBytes = Number(values['max-file-size']);
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new UsageError('--max-file-size must be a positive number of bytes');
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs <= 0) throw new UsageError('--jobs must be a positive number of threads');
  }
  if (values.cache === '') throw new UsageError('--cache needs a directory');
  if (positionals.length === 0) throw new UsageError(`no PATH given\n\n${LINT_USAGE}`);

  const threads = startThreads(jobs, positionals, io.cwd);
  const files = collectInputFiles(positionals, io.cwd);
  const target = certManagerVersionOption(values['cert-manager-version'], io);
  const checked = await lintFiles(files, {
    threads,
    maxBytes,
    target,
    jobs,
    cacheDir: values.cache === undefined ? undefined : isAbsolute(values.cache) ? values.cache : join(io.cwd, values.cache),
    readStdin: io.readStdin,
    warn: (message) => io.stderr(`certsmith: ${message}\n`),
  });

  let errors = 0;
  let warnings = 0;
  const linted = checked.map(({ file: f, diagnostics, view }) => {
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    return describeFile(f.display, f.path, view(), diagnostics);
  });
  const report: LintReport = { files: linted, errors, warnings, exitCode: errors > 0 ? 1 : 0 };
  writeOutputs(report, targets, io);
  return report.exitCode;
}
