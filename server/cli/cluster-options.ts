/**
 * The options every cluster command takes, as kubectl spells them
 * (--kubeconfig, --context, -n/--namespace, --request-timeout), and the
 * connection they lead to. A ClusterError is printed as the message and a
 * hint, never a stack.
 */
import { DurationSyntaxError, parseDuration } from '../../engine/dns/durations.js';
import { type ClusterError, type ClusterErrorKind } from '../../engine/cluster/cluster-error.js';
import { ClusterConnection, DEFAULT_REQUEST_TIMEOUT_MS } from '../../engine/cluster/connection.js';
import { loadKubeconfig, type ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { UsageError, type CommandIO } from './command-io.js';

export const CLUSTER_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'request-timeout': { type: 'string' },
} as const;

export const CLUSTER_OPTIONS_USAGE = `  --kubeconfig FILE          this kubeconfig only (default: KUBECONFIG, else ~/.kube/config)
  --context NAME             this kubeconfig context (default: current-context)
  -n, --namespace NS         the namespace (default: the context's, else "default")
  --request-timeout DURATION give up on a request after DURATION (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}s)`;

export interface ClusterOptionValues {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  'request-timeout'?: string;
}

/** A positive duration option (30s, 2m, 1h30m) in milliseconds. */
export function durationOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (e) {
    if (e instanceof DurationSyntaxError) throw new UsageError(`--${name}: ${e.message}`);
    throw e;
  }
  if (ms <= 0) throw new UsageError(`--${name} must be more than 0`);
  return ms;
}

export function clusterTarget(values: ClusterOptionValues): ClusterTarget {
  if (values.namespace !== undefined && !values.namespace) throw new UsageError('--namespace needs a namespace name');
  return loadKubeconfig({ kubeconfig: values.kubeconfig, context: values.context, namespace: values.namespace });
}

export async function openConnection(target: ClusterTarget, values: ClusterOptionValues): Promise<ClusterConnection> {
  return ClusterConnection.open(target, { timeoutMs: durationOption('request-timeout', values['request-timeout'], DEFAULT_REQUEST_TIMEOUT_MS) });
}

export function clusterErrorText(e: ClusterError): string {
  return `certsmith: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`;
}

/** Exit status of a ClusterError: 1 when the object is not there, 2 for connection, authentication and configuration problems. */
export function clusterErrorStatus(kind: ClusterErrorKind): number {
  return kind === 'not-found' || kind === 'wait-timeout' ? 1 : 2;
}

export function clusterErrorJson(e: ClusterError): Record<string, unknown> {
  return { kind: e.kind, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
}

/** A ClusterError as a command that reads one object reports it (JSON on stdout, or text on stderr); returns the exit status. */
export function reportClusterError(e: ClusterError, format: string | undefined, context: string | undefined, io: Pick<CommandIO, 'stdout' | 'stderr'>): number {
  if (format === 'json') io.stdout(JSON.stringify({ context: context ?? null, error: clusterErrorJson(e) }, null, 2) + '\n');
  else io.stderr(clusterErrorText(e));
  return clusterErrorStatus(e.kind);
}
