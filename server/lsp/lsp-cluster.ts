/**
 * The language server's cluster side: the server-side dry run of one
 * document and the live inventory (Issuers, ClusterIssuers, Secret names) of
 * the chosen kubeconfig context.
 *
 * Bundled on its own (dist/lsp-cluster.js, with @kubernetes/client-node; see
 * esbuild.config.mjs) and loaded by server.ts with require() only when the
 * cluster checks are switched on or asked for, so that start-up and the local
 * diagnostics never parse the Kubernetes client.
 *
 * Every failure comes back as a message a person can act on (ClusterError's
 * message and hint: the context, the address, what happened), never as a
 * stack trace. Nothing here logs; response bodies are never kept.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { applyObjects } from '../../engine/cluster/apply.js';
import { CLUSTER_SOURCE } from '../../engine/cluster/cluster-codes.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { ClusterConnection } from '../../engine/cluster/connection.js';
import { loadKubeconfig, type ClusterTarget } from '../../engine/cluster/kubeconfig.js';
import { readLiveInventory } from '../../engine/cluster/live-inventory.js';
import { readManifestObjects } from '../../engine/cluster/source-objects.js';
import type { LiveObjects } from '../../engine/rules/cross/live-objects.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import type { CheckResult, ClusterSettings } from '../../engine/language/cluster-protocol.js';

export type { ClusterSettings } from '../../engine/language/cluster-protocol.js';

/** Per request to the API server: an editor should not wait for the CLI's 30 s. */
export const LSP_CLUSTER_TIMEOUT_MS = 15_000;

export interface ClusterCallOptions {
  /** The first workspace folder, for a relative kubeconfig path. */
  baseDir?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The check's result (as certsmith/checkAgainstCluster answers it) and its diagnostics, at the document's positions, source certsmith-cluster. */
export interface DryRunOutcome extends Omit<CheckResult, 'stale'> {
  diagnostics: Diagnostic[];
}

export interface InventoryOutcome {
  context: string;
  namespace: string;
  server: string;
  live?: LiveObjects;
  counts: { issuers: number; clusterIssuers: number; secrets: number };
  /** One sentence per list RBAC denied. */
  denied: string[];
  notes: string[];
  error?: string;
}

/** A failure as one message: what happened, then what to do. Never a stack. */
export function describeError(e: unknown): string {
  if (e instanceof ClusterError) return e.hint ? `${e.message}. ${e.hint}` : e.message;
  const m = (e as Error)?.message ?? String(e);
  return m.split('\n')[0];
}

function kubeconfigPath(p: string | undefined, baseDir: string | undefined): string | undefined {
  if (!p) return undefined;
  if (p === '~' || p.startsWith('~/')) return join(process.env.HOME || homedir(), p.slice(1));
  if (!isAbsolute(p) && baseDir) return join(baseDir, p);
  return p;
}

function target(settings: ClusterSettings, o: ClusterCallOptions): ClusterTarget {
  // The namespace setting is the default for objects that name none, not kubectl's -n: a document's own
  // metadata.namespace must not be refused as "differs from --namespace".
  return loadKubeconfig({ kubeconfig: kubeconfigPath(settings.kubeconfig, o.baseDir), context: settings.context || undefined, namespace: settings.namespace || undefined, namespaceIsDefault: true });
}

/**
 * Resolves the context (its name, namespace and server go on `out`), opens a
 * connection with `sockets` sockets (none when 0: only the target is wanted),
 * runs `fn`, and puts any failure on `out.error` in words; always closes.
 */
async function connected<T extends { context: string; namespace: string; server: string; error?: string }>(
  settings: ClusterSettings,
  o: ClusterCallOptions,
  out: T,
  sockets: number,
  fn: (conn: ClusterConnection, t: ClusterTarget) => Promise<void>,
): Promise<void> {
  let t: ClusterTarget;
  try {
    t = target(settings, o);
  } catch (e) {
    out.error = describeError(e);
    return;
  }
  Object.assign(out, { context: t.context, namespace: t.namespace, server: t.server });
  if (sockets === 0) return;
  let conn: ClusterConnection | undefined;
  try {
    conn = await ClusterConnection.open(t, { timeoutMs: o.timeoutMs ?? LSP_CLUSTER_TIMEOUT_MS, maxSockets: sockets });
    await fn(conn, t);
  } catch (e) {
    out.error = describeError(e);
  } finally {
    conn?.close();
  }
}

/** The server-side dry run (dryRun=All, strict field validation) of the objects of one document. */
export async function dryRunDocument(settings: ClusterSettings, display: string, text: string, o: ClusterCallOptions = {}): Promise<DryRunOutcome> {
  const { objects, problems } = readManifestObjects([{ display, text }]);
  // YAML errors are local diagnostics already; objects that cannot be sent (no name) are said here.
  const unsendable = problems.filter((p) => p.diagnostic.source === CLUSTER_SOURCE).map((p) => p.diagnostic);
  const out: DryRunOutcome = { context: settings.context ?? '', namespace: settings.namespace ?? '', server: '', objects: objects.length, rejected: 0, diagnostics: unsendable };
  // Nothing to send: only the context is resolved (its name and server for the answer).
  await connected(settings, o, out, objects.length ? 4 : 0, async (conn) => {
    const report = await applyObjects(conn, objects, { dryRun: true, signal: o.signal, concurrency: 4 });
    out.diagnostics = [...unsendable, ...report.results.flatMap((r) => r.diagnostics)];
    out.rejected = report.results.filter((r) => r.outcome === 'rejected').length;
    if (report.fatal) out.error = describeError(report.fatal);
    else if (o.signal?.aborted) out.error = 'cancelled';
  });
  return out;
}

/** The Issuers, ClusterIssuers and Secret names of the context (metadata only). */
export async function refreshInventory(settings: ClusterSettings, o: ClusterCallOptions = {}): Promise<InventoryOutcome> {
  const out: InventoryOutcome = { context: settings.context ?? '', namespace: settings.namespace ?? '', server: '', counts: { issuers: 0, clusterIssuers: 0, secrets: 0 }, denied: [], notes: [] };
  await connected(settings, o, out, 3, async (conn, t) => {
    const report = await readLiveInventory(conn, { namespace: t.namespace, signal: o.signal });
    out.live = report.live;
    out.counts = report.counts;
    out.denied = report.denied.map((d) => d.message);
    out.notes = report.notes;
  });
  return out;
}
