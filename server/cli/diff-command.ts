/**
 * `certsmith diff [options] PATH...`: what `certsmith apply` would change, as
 * kubectl diff --server-side shows it (engine/cluster/diff.ts). The unified
 * diff goes to standard output, a one-line summary to standard error; objects
 * the API server would refuse are shown as lint shows diagnostics.
 * Exit status: 0 no differences, 1 differences or refusals, 2 usage,
 * kubeconfig, connection or authentication problem.
 */
import { diffObjects, type DiffReport } from '../../engine/cluster/diff.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { kindOffsets } from '../../engine/cluster/field-path.js';
import { objectRange, readManifestObjects, type FileDiagnostic } from '../../engine/cluster/source-objects.js';
import type { ClusterConnection } from '../../engine/cluster/connection.js';
import type { ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';
import { CLUSTER_OPTIONS, CLUSTER_OPTIONS_USAGE, clusterErrorJson, clusterErrorStatus, clusterErrorText, clusterTarget, openConnection } from './cluster-options.js';
import { readInputs } from './apply-command.js';

const DIFF_USAGE = `Usage: certsmith diff [options] PATH...

Shows what "certsmith apply" would change, as kubectl diff --server-side does:
the live object against the API server's dry-run result of the apply, without
the fields the server owns (managedFields, resourceVersion, status ...), as a
unified diff. Secret values are shown as ***. PATH is a file, a directory
(-R for subdirectories) or - for standard input.

${CLUSTER_OPTIONS_USAGE}
  -R, --recursive            also read the files in subdirectories
  --force-conflicts          diff as if applying with --force-conflicts
  --format FORMAT            text: the unified diff (default)
                             json: objects with outcome and diff, diagnostics as lint's JSON

Exit status: 0 no differences, 1 differences (or objects the server would
refuse), 2 usage, kubeconfig, connection or authentication problem.`;

function lintLine(f: FileDiagnostic): string {
  const d = f.diagnostic;
  return `${f.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

export async function runDiff(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(argv, { ...CLUSTER_OPTIONS, recursive: { type: 'boolean', short: 'R' }, 'force-conflicts': { type: 'boolean' }, format: { type: 'string', default: 'text' } }, DIFF_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  if (positionals.length === 0) throw new UsageError(`no PATH given\n\n${DIFF_USAGE}`);
  const inputs = readInputs(positionals, !!values.recursive, io);
  const { objects, problems } = readManifestObjects(inputs);

  const emit = (report: DiffReport | undefined, target: ClusterTarget | undefined, extra: FileDiagnostic[], fatal?: ClusterError): number => {
    const objs = report?.objects ?? [];
    const diags: FileDiagnostic[] = [...extra, ...objs.flatMap((o) => o.result.diagnostics.map((diagnostic) => ({ file: o.source.file, diagnostic })))];
    const differs = objs.filter((o) => o.diff).length;
    const rejected = objs.filter((o) => o.outcome === 'rejected').length;
    const errors = diags.filter((d) => d.diagnostic.severity === 'error').length;
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            context: target?.context ?? null,
            server: target?.server ?? null,
            objects: objs.map((o) => ({
              file: o.source.file,
              range: objectRange(o.source, kindOffsets(o.source.object)),
              label: o.label,
              ...(o.namespace ? { namespace: o.namespace } : {}),
              outcome: o.outcome,
              diff: o.diff,
            })),
            files: inputs.map((f) => ({
              path: f.display,
              diagnostics: diags.filter((d) => d.file === f.display).map(({ diagnostic: d }) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message, ...(d.source ? { source: d.source } : {}) })),
            })),
            summary: { changed: differs, rejected, errors, warnings: diags.length - errors },
            ...(fatal ? { error: clusterErrorJson(fatal) } : {}),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      const text = objs.map((o) => o.diff).join('');
      if (text) io.stdout(text);
      const lines = diags.map(lintLine);
      if (lines.length) io.stdout(lines.join('\n') + '\n');
      if (target && report) {
        const counts = new Map<string, number>();
        for (const o of objs) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
        const parts = [...counts].map(([k, n]) => `${n} ${k === 'not-checked' ? 'not checked' : k}`);
        io.stderr(`${objs.length} object${objs.length === 1 ? '' : 's'} compared with context "${target.context}" (${target.server}): ${parts.join(', ') || 'none'}.\n`);
      }
    }
    if (fatal) {
      if (format !== 'json') io.stderr(clusterErrorText(fatal));
      return clusterErrorStatus(fatal.kind);
    }
    return differs || rejected || errors ? 1 : 0;
  };

  if (problems.length) return emit(undefined, undefined, problems);
  if (objects.length === 0) throw new UsageError(`no Kubernetes objects in ${positionals.join(', ')}`);
  let target: ClusterTarget | undefined;
  let conn: ClusterConnection | undefined;
  try {
    target = clusterTarget(values);
    conn = await openConnection(target, values);
    const report = await diffObjects(conn, objects, { forceConflicts: !!values['force-conflicts'] });
    return emit(report, target, [], report.fatal);
  } catch (e) {
    if (e instanceof ClusterError) return emit(undefined, target, [], e);
    throw e;
  } finally {
    conn?.close();
  }
}
