/**
 * `certsmith apply [--dry-run] [--force-conflicts] [--kubeconfig F] [--context C] [-n NS] [--format text|json] PATH...`
 *
 * An adapter over engine/cluster: server-side apply (or its dry run) of the
 * manifests, one line per object, then the API server's refusals as
 * diagnostics at their YAML positions, printed as `lint` prints them.
 * Exit status: 0 applied / dry run passed, 1 rejected, conflict or manifest
 * errors, 2 usage, kubeconfig, connection or authentication problems.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { findYamlFiles } from '../../engine/workspace/find-manifests.js';
import { applyObjects, FIELD_MANAGER, type ApplyOutcome, type ApplyReport, type ObjectResult } from '../../engine/cluster/apply.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterConnection, DEFAULT_REQUEST_TIMEOUT_MS } from '../../engine/cluster/connection.js';
import { loadKubeconfig, type ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { kindOffsets } from '../../engine/cluster/field-path.js';
import { objectRange, readManifestObjects, type FileDiagnostic, type ManifestText } from '../../engine/cluster/source-objects.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import { ioReason, outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';
import { clusterErrorText, durationOption } from './cluster-options.js';

const APPLY_USAGE = `Usage: certsmith apply [--dry-run] [--force-conflicts] [options] PATH...

Applies manifests to a cluster with server-side apply, as
kubectl apply --server-side does: field manager "${FIELD_MANAGER}", one request per
object, Namespaces first, then Secrets and Issuers/ClusterIssuers, then
Certificates, then Ingresses/Gateways, then the rest. Objects without
metadata.namespace go to --namespace, else the context's namespace, else
"default". PATH is a file, a directory (its *.yaml and *.yml files; -R to
include subdirectories), or - for standard input.

With --dry-run the API server checks everything (dryRun=All, strict field
validation) and changes nothing; what it rejects is shown at the line and
column of the field it names.

  --dry-run                  server-side dry run: check, change nothing
  --force-conflicts          take over fields that another field manager owns
  --kubeconfig FILE          this kubeconfig only (default: KUBECONFIG, else ~/.kube/config)
  --context NAME             this kubeconfig context (default: current-context)
  -n, --namespace NS         namespace for objects that name none
  -R, --recursive            also apply the files in subdirectories of a directory
  --request-timeout DURATION give up on a request after DURATION (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}s)
  --format FORMAT            text: one line per object, then diagnostics as lint
                             prints them (default)
                             json: lint's JSON (files, summary) plus "objects"

Exit status: 0 applied (or the dry run passed), 1 rejected, conflict or
manifest errors, 2 usage, kubeconfig, connection or authentication problem.`;

export function readInputs(paths: string[], recursive: boolean, io: CommandIO): ManifestText[] {
  const out: ManifestText[] = [];
  const seen = new Set<string>();
  const add = (path: string, display: string) => {
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      // read below reports it
    }
    if (seen.has(real)) return;
    seen.add(real);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${display}: ${ioReason(e)}`);
    }
    out.push({ display, text });
  };
  for (const p of paths) {
    if (p === '-') {
      if (seen.has('-')) continue;
      seen.add('-');
      out.push({ display: '<stdin>', text: io.readStdin().toString('utf8') });
      continue;
    }
    const abs = isAbsolute(p) ? p : join(io.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${ioReason(e)}`);
    }
    if (st.isDirectory()) {
      const found = findYamlFiles(abs, p, {
        maxDepth: recursive ? 64 : 0,
        onUnreadable: (display, e) => {
          throw new UsageError(`cannot read directory ${display}: ${ioReason(e)}`);
        },
      });
      for (const f of found) add(f.path, f.display);
    } else add(abs, p);
  }
  return out;
}

const VERB: Record<ApplyOutcome, string> = {
  created: 'created',
  configured: 'configured',
  unchanged: 'unchanged',
  applied: 'applied',
  rejected: 'rejected',
  skipped: 'not checked',
};

function byPosition(a: FileDiagnostic, b: FileDiagnostic): number {
  const x = a.diagnostic.range.start;
  const y = b.diagnostic.range.start;
  return x.line - y.line || x.character - y.character;
}

function lintLine(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}


export async function runApply(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    {
      'dry-run': { type: 'boolean' },
      'force-conflicts': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      recursive: { type: 'boolean', short: 'R' },
      'request-timeout': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
    APPLY_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  if (positionals.length === 0) throw new UsageError(`no PATH given\n\n${APPLY_USAGE}`);
  const timeoutMs = durationOption('request-timeout', values['request-timeout'], DEFAULT_REQUEST_TIMEOUT_MS);
  if (values.namespace !== undefined && !values.namespace) throw new UsageError('--namespace needs a namespace name');
  const dryRun = !!values['dry-run'];

  const inputs = readInputs(positionals, !!values.recursive, io);
  const { objects, problems } = readManifestObjects(inputs);
  const fileNames = inputs.map((f) => f.display);

  const emit = (report: ApplyReport | undefined, target: ClusterTarget | undefined, extra: FileDiagnostic[], fatal?: ClusterError): number => {
    const results = report?.results ?? [];
    const diags: FileDiagnostic[] = [...extra, ...results.flatMap((r) => r.diagnostics.map((diagnostic) => ({ file: r.source.file, diagnostic })))];
    const errors = diags.filter((d) => d.diagnostic.severity === 'error').length;
    const warnings = diags.filter((d) => d.diagnostic.severity === 'warning').length;
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    const rejected = results.some((r) => r.outcome === 'rejected') || errors > 0;
    if (format === 'json') {
      const json = {
        context: target?.context ?? null,
        server: target?.server ?? null,
        dryRun,
        fieldManager: FIELD_MANAGER,
        objects: [...results.map((r) => objectJson(r)), ...(report?.notSent ?? []).map((so) => ({ file: so.file, range: objectRange(so, kindOffsets(so.object)), apiVersion: so.apiVersion, kind: so.kind, name: so.name, outcome: 'not-sent' }))],
        files: fileNames.map((path) => ({
          path,
          diagnostics: diags
            .filter((d) => d.file === path)
            .sort(byPosition)
            .map(({ diagnostic: d }) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message, ...(d.source ? { source: d.source } : {}) })),
        })),
        summary: { errors, warnings },
        outcomes: counts,
        ...(fatal ? { error: { kind: fatal.kind, message: fatal.message, ...(fatal.hint ? { hint: fatal.hint } : {}) } } : {}),
      };
      io.stdout(JSON.stringify(json, null, 2) + '\n');
    } else {
      const lines: string[] = [];
      for (const r of results) lines.push(`${r.label} ${VERB[r.outcome]}${dryRun ? ' (server dry run)' : ''}`);
      for (const file of fileNames) for (const d of diags.filter((x) => x.file === file).sort(byPosition)) lines.push(lintLine(file, d.diagnostic));
      if (target && !(fatal && results.length === 0)) {
        const parts = Object.entries(counts).map(([k, n]) => `${n} ${VERB[k as ApplyOutcome]}`);
        const notSent = report?.notSent.length ? `, ${report.notSent.length} not sent` : '';
        const what = dryRun ? 'checked against' : 'applied to';
        lines.push(`${results.length} object${results.length === 1 ? '' : 's'} ${what} context "${target.context}" (${target.server})${dryRun ? ', server dry run: nothing was changed' : ''}: ${parts.join(', ') || 'none'}${notSent}.`);
      } else if (!target && !fatal) {
        lines.push(`Nothing was sent to a cluster: ${errors} error${errors === 1 ? '' : 's'} in the manifests.`);
      }
      if (lines.length) io.stdout(lines.join('\n') + '\n');
    }
    if (fatal) {
      io.stderr(clusterErrorText(fatal));
      return 2;
    }
    return rejected ? 1 : 0;
  };

  if (problems.length) return emit(undefined, undefined, problems);
  if (objects.length === 0) throw new UsageError(`no Kubernetes objects in ${positionals.join(', ')}`);

  let target: ClusterTarget;
  let conn: ClusterConnection | undefined;
  try {
    target = loadKubeconfig({ kubeconfig: values.kubeconfig, context: values.context, namespace: values.namespace });
  } catch (e) {
    if (e instanceof ClusterError) {
      if (format === 'json') return emit(undefined, undefined, [], e);
      io.stderr(clusterErrorText(e));
      return 2;
    }
    throw e;
  }
  try {
    conn = await ClusterConnection.open(target, { timeoutMs });
    const report = await applyObjects(conn, objects, { dryRun, forceConflicts: !!values['force-conflicts'] });
    return emit(report, target, [], report.fatal);
  } catch (e) {
    if (e instanceof ClusterError) return emit(undefined, target, [], e);
    throw e;
  } finally {
    conn?.close();
  }
}

function objectJson(r: ObjectResult): Record<string, unknown> {
  const so = r.source;
  const out: Record<string, unknown> = {
    file: so.file,
    range: objectRange(so, kindOffsets(so.object)),
    apiVersion: so.apiVersion,
    kind: so.kind,
    name: so.name,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(r.resource ? { resource: r.resource } : {}),
    label: r.label,
    outcome: r.outcome,
    dryRun: r.dryRun,
  };
  if (r.resourceVersion) out.resourceVersion = r.resourceVersion;
  if (r.previousResourceVersion) out.previousResourceVersion = r.previousResourceVersion;
  if (r.rejection) {
    out.httpStatus = r.rejection.httpStatus;
    if (r.rejection.reason) out.reason = r.rejection.reason;
    out.message = r.rejection.message;
    out.rejection = r.rejection.kind;
  }
  if (r.conflicts) out.conflicts = r.conflicts;
  if (r.forbidden) out.forbidden = r.forbidden;
  return out;
}
