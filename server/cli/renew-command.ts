/**
 * `certsmith renew NAME... | --all | -l SELECTOR [-A] [options]`: marks
 * Certificates for manual renewal exactly as cmctl renew does
 * (engine/cluster/renew.ts): the Issuing condition, reason ManuallyTriggered,
 * through the status subresource. A Certificate already issuing is skipped
 * with a message.
 * Exit status: 0 all triggered (or none matched), 1 some not found, already
 * issuing or failed, 2 usage, kubeconfig, connection, authentication or RBAC problem.
 */
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import { renewCertificates, type RenewResult, type RenewSelection } from '../../engine/cluster/renew.js';
import type { ClusterConnection } from '../../engine/cluster/connection.js';
import type { ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';
import { CLUSTER_OPTIONS, CLUSTER_OPTIONS_USAGE, clusterErrorJson, clusterErrorStatus, clusterErrorText, clusterTarget, openConnection } from './cluster-options.js';

const RENEW_USAGE = `Usage: certsmith renew (NAME... | --all | -l SELECTOR) [options]

Marks Certificates for manual renewal, as cmctl renew does: sets their
Issuing condition (reason ManuallyTriggered) through the status subresource,
and cert-manager issues a new certificate. A Certificate that is already
being issued is left alone.

  --all                      every Certificate in the namespace
  -l, --selector SELECTOR    the Certificates with these labels (key=value,key!=value)
  -A, --all-namespaces       with --all or -l: in every namespace
${CLUSTER_OPTIONS_USAGE}
  --format FORMAT            text (default) or json

Exit status: 0 triggered, 1 a Certificate was not found, already issuing or
not updated, 2 usage, kubeconfig, connection, authentication or RBAC problem.`;

export async function runRenew(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(
    argv,
    { ...CLUSTER_OPTIONS, all: { type: 'boolean' }, selector: { type: 'string', short: 'l' }, 'all-namespaces': { type: 'boolean', short: 'A' }, format: { type: 'string', default: 'text' } },
    RENEW_USAGE,
    io,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  // cmctl's rules for combining them.
  if (values.selector !== undefined && values.all) throw new UsageError('cannot specify label selectors in conjunction with --all flag');
  if (positionals.length === 0 && !values.all && values.selector === undefined) {
    throw new UsageError(`please either supply one or more Certificate resource names, label selectors, or use the --all flag to renew all Certificate resources\n\n${RENEW_USAGE}`);
  }
  if (positionals.length && values.selector !== undefined) throw new UsageError('cannot specify Certificate names in conjunction with label selectors');
  if (positionals.length && values.all) throw new UsageError('cannot specify Certificate names in conjunction with --all flag');
  if (positionals.length && values['all-namespaces']) throw new UsageError('cannot specify Certificate names in conjunction with --all-namespaces flag');
  if (values.selector === '') throw new UsageError('--selector needs a label selector (key=value)');
  const selection: RenewSelection = positionals.length ? { names: positionals } : values.all ? { all: true } : { labelSelector: values.selector! };

  let target: ClusterTarget | undefined;
  let conn: ClusterConnection | undefined;
  const results: RenewResult[] = [];
  try {
    target = clusterTarget(values);
    conn = await openConnection(target, values);
    await renewCertificates(new ClusterReader(conn), target.namespace, selection, {
      allNamespaces: !!values['all-namespaces'],
      onResult: (r) => {
        results.push(r);
        if (format === 'text') (r.outcome === 'triggered' ? io.stdout : io.stderr)(`${r.outcome === 'triggered' ? '' : 'certsmith: '}${r.message}\n`);
      },
    });
    if (!results.length && format === 'text') io.stderr(values['all-namespaces'] ? 'No Certificates found\n' : `No Certificates found in ${target.namespace} namespace.\n`);
    if (format === 'json') io.stdout(JSON.stringify({ context: target.context, certificates: results }, null, 2) + '\n');
    return results.every((r) => r.outcome === 'triggered') ? 0 : 1;
  } catch (e) {
    if (e instanceof ClusterError) {
      if (format === 'json') io.stdout(JSON.stringify({ context: target?.context ?? null, certificates: results, error: clusterErrorJson(e) }, null, 2) + '\n');
      else io.stderr(clusterErrorText(e));
      return clusterErrorStatus(e.kind);
    }
    throw e;
  } finally {
    conn?.close();
  }
}
