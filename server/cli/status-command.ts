/**
 * `certsmith status certificate NAME [--wait [--timeout D]] [options]`: the
 * status of a Certificate as cmctl's `status certificate` shows it, and more
 * (engine/cluster/certificate-status.ts); with --wait, follows it with a watch
 * until it is Ready, fails, or the time is up (engine/cluster/certificate-wait.ts),
 * printing each change and reconnection to standard error.
 * Exit status: 0 Ready, 1 not ready / failed / not found / timed out,
 * 2 usage, kubeconfig, connection, authentication or RBAC problem.
 */
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import { certificateStatus, type CertificateStatusReport } from '../../engine/cluster/certificate-status.js';
import { describeState, waitForCertificate, type WaitEvent, type WaitResult } from '../../engine/cluster/certificate-wait.js';
import type { ClusterConnection } from '../../engine/cluster/connection.js';
import type { ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { outputFormat, parseCommandArgs, UsageError, type CommandIO } from './command-io.js';
import { CLUSTER_OPTIONS, CLUSTER_OPTIONS_USAGE, clusterTarget, durationOption, openConnection, reportClusterError } from './cluster-options.js';
import { toJson as chainJson } from './inspect-command.js';
import { renderStatus } from '../../engine/cluster/status-text.js';

const DEFAULT_WAIT_MS = 5 * 60_000;

const STATUS_USAGE = `Usage: certsmith status certificate NAME [options]

Shows a Certificate as cmctl status certificate does, and more: its
conditions, its Issuer or ClusterIssuer and whether that is Ready, the
current CertificateRequest, Order and Challenges with their Events, and the
certificate chain in its Secret (checked as certsmith inspect checks it).
Secret values are never shown.

  --wait                     follow the Certificate (a watch) until it is
                             Ready, its issuance fails, or --timeout passes
  --timeout DURATION         how long --wait waits (default 5m)
${CLUSTER_OPTIONS_USAGE}
  --format FORMAT            text (default) or json

Exit status: 0 Ready, 1 not Ready (failed, not found, timed out), 2 usage,
kubeconfig, connection, authentication or RBAC problem.`;

export async function runStatus(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(argv, { ...CLUSTER_OPTIONS, wait: { type: 'boolean' }, timeout: { type: 'string' }, format: { type: 'string', default: 'text' } }, STATUS_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.format);
  const [what, name, ...extra] = positionals;
  if (what === undefined) throw new UsageError(`say what to show: status certificate NAME\n\n${STATUS_USAGE}`);
  if (!/^(certificate|certificates|cert|certs)$/.test(what)) throw new UsageError(`certsmith status shows Certificates only ("status certificate NAME"), not "${what}"`);
  if (!name) throw new UsageError(`no Certificate name given\n\n${STATUS_USAGE}`);
  if (extra.length) throw new UsageError(`one Certificate at a time; unexpected "${extra.join(' ')}"`);
  if (values.timeout !== undefined && !values.wait) throw new UsageError('--timeout is for --wait');
  const waitMs = durationOption('timeout', values.timeout, DEFAULT_WAIT_MS);

  let target: ClusterTarget | undefined;
  let conn: ClusterConnection | undefined;
  try {
    target = clusterTarget(values);
    conn = await openConnection(target, values);
    const reader = new ClusterReader(conn);
    const namespace = target.namespace;
    let waited: WaitResult | undefined;
    if (values.wait) {
      io.stderr(`Waiting up to ${describeMs(waitMs)} for Certificate ${namespace}/${name} to be Ready (context "${target.context}")...\n`);
      let lastState = '';
      waited = await waitForCertificate(reader, namespace, name, {
        timeoutMs: waitMs,
        onEvent: (e: WaitEvent) => {
          const line = progressLine(e);
          if (e.type === 'observed') {
            if (line === lastState) return;
            lastState = line;
          }
          io.stderr(`  ${line}\n`);
        },
      });
      io.stderr(`${waited.outcome === 'ready' ? 'Ready' : waited.outcome === 'failed' ? 'Failed' : waited.outcome === 'deleted' ? 'Deleted' : 'Timed out'}: ${waited.message}\n`);
      if (waited.outcome === 'deleted') {
        if (format === 'json') io.stdout(JSON.stringify({ context: target.context, wait: waitJson(waited) }, null, 2) + '\n');
        return 1;
      }
    }
    const report = await certificateStatus(reader, namespace, name);
    if (format === 'json') io.stdout(JSON.stringify({ ...statusJson(report), ...(waited ? { wait: waitJson(waited) } : {}) }, null, 2) + '\n');
    else io.stdout(renderStatus(report));
    if (waited) return waited.outcome === 'ready' ? 0 : 1;
    return report.ready ? 0 : 1;
  } catch (e) {
    if (e instanceof ClusterError) return reportClusterError(e, format, target?.context, io);
    throw e;
  } finally {
    conn?.close();
  }
}

function describeMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${+(ms / 1000).toFixed(1)}s`;
}

function progressLine(e: WaitEvent): string {
  switch (e.type) {
    case 'observed': {
      const cs = e.conditions.filter((c) => c.type === 'Ready' || c.type === 'Issuing');
      return cs.length ? cs.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ') : 'no conditions yet (is cert-manager running?)';
    }
    case 'disconnected':
      return `watch interrupted: ${e.message}; reconnecting in ${+(e.retryInMs / 1000).toFixed(2)} s (attempt ${e.attempt})`;
    case 'reconnected':
      return 'reconnected; following the Certificate again';
  }
}

function waitJson(w: WaitResult) {
  return { outcome: w.outcome, message: w.message, watches: w.watches, reconnections: w.reconnections, state: w.certificate ? describeState(w.certificate) : null };
}

/** The JSON form: the report as is, with the chain in `certsmith inspect`'s documented JSON. */
function statusJson(r: CertificateStatusReport) {
  const { secret, ...rest } = r;
  return {
    ...rest,
    ...(secret ? { secret: { ...secret, chain: secret.chain ? chainJson(secret.chain) : undefined } } : {}),
  };
}

