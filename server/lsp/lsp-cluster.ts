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
import type { Diagnostic } from '../../engine/rules/rule.js';
import type { ClusterSettings } from '../../engine/language/cluster-protocol.js';

export type { ClusterSettings } from '../../engine/language/cluster-protocol.js';

/** Per request to the API server: an editor should not wait for the CLI's 30 s. */
export const LSP_CLUSTER_TIMEOUT_MS = 15_000;

export interface ClusterCallOptions {
  /** The first workspace folder, for a relative kubeconfig path. */
  baseDir?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface DryRunOutcome {
  context: string;
  namespace: string;
  server: string;
  /** Objects of the document that were sent (or would have been). */
  objects: number;
  rejected: number;
  error?: string;
  /** At the document's positions, source certsmith-cluster. */
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

/** The server-side dry run (dryRun=All, strict field validation) of the objects of one document. */
export async function dryRunDocument(settings: ClusterSettings, display: string, text: string, o: ClusterCallOptions = {}): Promise<DryRunOutcome> {
  const { objects, problems } = readManifestObjects([{ display, text }]);
  // YAML errors are local diagnostics already; objects that cannot be sent (no name) are said here.
  const unsendable = problems.filter((p) => p.diagnostic.source === CLUSTER_SOURCE).map((p) => p.diagnostic);
  const out: DryRunOutcome = { context: settings.context ?? '', namespace: settings.namespace ?? '', server: '', objects: objects.length, rejected: 0, diagnostics: unsendable };
  let t: ClusterTarget;
  try {
    t = target(settings, o);
  } catch (e) {
    out.error = describeError(e);
    return out;
  }
  Object.assign(out, { context: t.context, namespace: t.namespace, server: t.server });
  if (objects.length === 0) return out;
  let conn: ClusterConnection | undefined;
  try {
    conn = await ClusterConnection.open(t, { timeoutMs: o.timeoutMs ?? LSP_CLUSTER_TIMEOUT_MS, maxSockets: 4 });
    const report = await applyObjects(conn, objects, { dryRun: true, signal: o.signal, concurrency: 4 });
    out.diagnostics = [...unsendable, ...report.results.flatMap((r) => r.diagnostics)];
    out.rejected = report.results.filter((r) => r.outcome === 'rejected').length;
    if (report.fatal) out.error = describeError(report.fatal);
    else if (o.signal?.aborted) out.error = 'cancelled';
  } catch (e) {
    out.error = describeError(e);
  } finally {
    conn?.close();
  }
  return out;
}

/** The Issuers, ClusterIssuers and Secret names of the context (metadata only). */
export async function refreshInventory(settings: ClusterSettings, o: ClusterCallOptions = {}): Promise<InventoryOutcome> {
  const out: InventoryOutcome = { context: settings.context ?? '', namespace: settings.namespace ?? '', server: '', counts: { issuers: 0, clusterIssuers: 0, secrets: 0 }, denied: [], notes: [] };
  let t: ClusterTarget;
  try {
    t = target(settings, o);
  } catch (e) {
    out.error = describeError(e);
    return out;
  }
  Object.assign(out, { context: t.context, namespace: t.namespace, server: t.server });
  let conn: ClusterConnection | undefined;
  try {
    conn = await ClusterConnection.open(t, { timeoutMs: o.timeoutMs ?? LSP_CLUSTER_TIMEOUT_MS, maxSockets: 3 });
    const report = await readLiveInventory(conn, { namespace: t.namespace, signal: o.signal });
    out.live = report.live;
    out.counts = report.counts;
    out.denied = report.denied.map((d) => d.message);
    out.notes = report.notes;
  } catch (e) {
    out.error = describeError(e);
  } finally {
    conn?.close();
  }
  return out;
}
