/**
 * The language server's cluster side: every action against the context the
 * settings choose (target, namespaces, the Cluster view's overview, the
 * server-side dry run, the live inventory, apply, diff, status, renew, wait).
 *
 * Bundled on its own (dist/lsp-cluster.js, with @kubernetes/client-node; see
 * esbuild.config.mjs) and loaded with require() only when a cluster feature is
 * used, so that start-up and the local diagnostics never parse the
 * Kubernetes client.
 *
 * Every failure comes back as a message a person can act on (ClusterError's
 * message and hint: the context, the address, what happened), never as a
 * stack trace. Nothing here logs; Secret values never leave the engine
 * (diffs mask them; status reports hold key names only).
 */
import { applyObjects } from '../../engine/cluster/apply.js';
import { certificateStatus } from '../../engine/cluster/certificate-status.js';
import { watchCluster } from '../../engine/cluster/cluster-watch.js';
import { explainCertificate } from '../../engine/cluster/explain/explain-certificate.js';
import { renderExplanation } from '../../engine/cluster/explain/explanation-text.js';
import { describeState, waitForCertificate, type WaitEvent } from '../../engine/cluster/certificate-wait.js';
import { CLUSTER_SOURCE } from '../../engine/cluster/cluster-codes.js';
import { ClusterError } from '../../engine/cluster/cluster-error.js';
import { clusterOverview } from '../../engine/cluster/cluster-overview.js';
import { detectCertManagerVersion } from '../../engine/cluster/cert-manager-version.js';
import { ClusterReader } from '../../engine/cluster/cluster-reader.js';
import { ClusterConnection } from '../../engine/cluster/connection.js';
import { diffObjects } from '../../engine/cluster/diff.js';
import { loadKubeconfig, type ClusterTarget as EngineTarget } from '../../engine/cluster/kubeconfig.js';
import { readLiveInventory } from '../../engine/cluster/live-inventory.js';
import { renewCertificates } from '../../engine/cluster/renew.js';
import { NAMESPACES } from '../../engine/cluster/resource-path.js';
import { objectRange, readManifestObjects, type SourceObject } from '../../engine/cluster/source-objects.js';
import { kindOffsets } from '../../engine/cluster/field-path.js';
import { renderStatus } from '../../engine/cluster/status-text.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import { chooseRecursiveNameservers } from '../../engine/dns/default-nameservers.js';
import type { LiveObjects } from '../../engine/rules/cross/live-objects.js';
import type { ApplyPlan, ApplyResult, CheckResult, ClusterTarget, ClusterTargetResult, ClusterTreeData, DiffResult, ExplainResult, NamespacesResult, ObjectOutcome, Range, RenewResult, StatusResult, WaitResult } from '../../protocol/messages.js';
import { recordChecker } from '../cli/record-check.js';
import { SETTING_NAMES, type ClusterSettings } from './settings.js';

export interface ClusterCall {
  signal?: AbortSignal;
  /** Told about each object's result, or the watched Certificate's state. */
  progress?: (message: string) => void;
}

/** A failure as one message: what happened, then what to do. Never a stack. */
export function describeError(e: unknown): string {
  if (e instanceof ClusterError) return e.hint ? `${e.message}. ${e.hint}` : e.message;
  const m = (e as Error)?.message ?? String(e);
  return m.split('\n')[0]!;
}

function engineTarget(s: ClusterSettings): EngineTarget {
  // The namespace setting is the default for objects that name none, not kubectl's -n: a document's own
  // metadata.namespace must not be refused as "differs from --namespace".
  return loadKubeconfig({ kubeconfig: s.kubeconfig, context: s.context, namespace: s.namespace, namespaceIsDefault: true, names: SETTING_NAMES });
}

function describeTarget(t: EngineTarget, s: ClusterSettings): ClusterTarget {
  return {
    context: t.context,
    contextOrigin: s.context ? s.contextOrigin : 'kubeconfig',
    namespace: t.namespace,
    namespaceOrigin: s.namespace ? s.namespaceOrigin : t.namespaceSource === 'context' ? 'kubeconfig' : 'default',
    server: t.server,
    kubeconfigFiles: t.files,
    kubeconfigOrigin: t.filesFrom === 'option' ? 'setting' : t.filesFrom === 'KUBECONFIG' ? 'environment' : 'default',
    requestTimeoutSeconds: s.requestTimeoutMs / 1000,
    contexts: t.contexts,
  };
}

export function clusterTarget(s: ClusterSettings): ClusterTargetResult {
  try {
    return { target: describeTarget(engineTarget(s), s) };
  } catch (e) {
    return { problem: describeError(e) };
  }
}

/** Opens a connection to the chosen context for one operation and closes it afterwards. */
async function withConnection<T>(s: ClusterSettings, sockets: number, fn: (conn: ClusterConnection, t: EngineTarget) => Promise<T>): Promise<T> {
  const t = engineTarget(s);
  const conn = await ClusterConnection.open(t, { timeoutMs: s.requestTimeoutMs, maxSockets: sockets });
  try {
    return await fn(conn, t);
  } finally {
    conn.close();
  }
}

/** The cert-manager version installed in the context (as cmctl finds it); undefined version: not found. */
export async function detectVersion(s: ClusterSettings, call: ClusterCall = {}): Promise<{ context: string; version?: string; source: string; error?: string }> {
  let context = s.context ?? '';
  try {
    return await withConnection(s, 2, async (conn, t) => {
      context = t.context;
      return { context: t.context, ...(await detectCertManagerVersion(new ClusterReader(conn), call.signal)) };
    });
  } catch (e) {
    return { context, source: 'not detected', error: describeError(e) };
  }
}

export async function namespaces(s: ClusterSettings, context: string): Promise<NamespacesResult> {
  try {
    const names = await withConnection({ ...s, context }, 2, async (conn) => (await new ClusterReader(conn).list(NAMESPACES, undefined, { metadataOnly: true })).items.map((n) => n.metadata.name as string));
    return { namespaces: names.sort() };
  } catch (e) {
    return { namespaces: [], error: describeError(e) };
  }
}

export async function overview(s: ClusterSettings): Promise<ClusterTreeData> {
  let t: EngineTarget;
  try {
    t = engineTarget(s);
  } catch (e) {
    return { contexts: [], problem: describeError(e) };
  }
  const contexts = t.contexts.map((c) => ({ name: c.name, current: c.name === t.context, ...(c.name === t.context ? { server: t.server } : {}) }));
  try {
    return { contexts, overview: await withConnection(s, 3, (conn) => clusterOverview(new ClusterReader(conn), t.namespace)) };
  } catch (e) {
    return { contexts, problem: describeError(e) };
  }
}

/** The objects of a document, or of the one object whose kind line lies in `range`; problems that stop sending them. */
function documentObjects(display: string, text: string, range?: Range): { objects: SourceObject[]; problems: Diagnostic[]; unsendable: Diagnostic[] } {
  const read = readManifestObjects([{ display, text }]);
  const objects = range ? read.objects.filter((o) => ((l) => l >= range.start.line && l <= range.end.line)(objectRange(o, kindOffsets(o.object)).start.line)) : read.objects;
  const problems = read.problems.map((p) => p.diagnostic);
  return { objects, problems, unsendable: problems.filter((d) => d.source === CLUSTER_SOURCE) };
}

export interface DryRunOutcome extends Omit<CheckResult, 'stale'> {
  diagnostics: Diagnostic[];
}

/** The server-side dry run (dryRun=All, strict field validation) of the objects of one document. */
export async function dryRunDocument(s: ClusterSettings, display: string, text: string, call: ClusterCall = {}): Promise<DryRunOutcome> {
  const { objects, unsendable } = documentObjects(display, text);
  // YAML errors are local diagnostics already; objects that cannot be sent (no name) are said here.
  const out: DryRunOutcome = { context: s.context ?? '', namespace: s.namespace ?? '', server: '', objects: objects.length, rejected: 0, diagnostics: unsendable };
  try {
    const t = engineTarget(s);
    Object.assign(out, { context: t.context, namespace: t.namespace, server: t.server });
    if (!objects.length) return out;
    await withConnection(s, 4, async (conn) => {
      const report = await applyObjects(conn, objects, { dryRun: true, signal: call.signal, concurrency: 4 });
      out.diagnostics = [...unsendable, ...report.results.flatMap((r) => r.diagnostics)];
      out.rejected = report.results.filter((r) => r.outcome === 'rejected').length;
      if (report.fatal) out.error = describeError(report.fatal);
      else if (call.signal?.aborted) out.error = 'cancelled';
    });
  } catch (e) {
    out.error = describeError(e);
  }
  return out;
}

export interface InventoryOutcome {
  context: string;
  namespace: string;
  server: string;
  live?: LiveObjects;
  counts: { issuers: number; clusterIssuers: number; secrets: number };
  denied: string[];
  notes: string[];
  error?: string;
}

/** The Issuers, ClusterIssuers and Secret names of the context (metadata only). */
export async function refreshInventory(s: ClusterSettings, call: ClusterCall = {}): Promise<InventoryOutcome> {
  const out: InventoryOutcome = { context: s.context ?? '', namespace: s.namespace ?? '', server: '', counts: { issuers: 0, clusterIssuers: 0, secrets: 0 }, denied: [], notes: [] };
  try {
    await withConnection(s, 3, async (conn, t) => {
      Object.assign(out, { context: t.context, namespace: t.namespace, server: t.server });
      const report = await readLiveInventory(conn, { namespace: t.namespace, signal: call.signal });
      out.live = report.live;
      out.counts = report.counts;
      out.denied = report.denied.map((d) => d.message);
      out.notes = report.notes;
    });
  } catch (e) {
    out.error = describeError(e);
  }
  return out;
}

export function applyPlan(s: ClusterSettings, display: string, text: string, range?: Range): ApplyPlan {
  const t = clusterTarget(s);
  const base = { context: t.target?.context ?? '', server: t.target?.server ?? '', namespace: t.target?.namespace ?? '' };
  if (!t.target) return { ...base, objects: [], problem: t.problem };
  const { objects, problems } = documentObjects(display, text, range);
  const first = problems.find((p) => p.severity === 'error');
  if (first) return { ...base, objects: [], problem: `the document cannot be sent to a cluster: ${first.message}` };
  if (!objects.length) return { ...base, objects: [], problem: 'there is no Kubernetes object in this document' };
  return { ...base, objects: objects.map((o) => `${o.kind}/${o.name}`) };
}

export interface ApplyOutcomeWithDiagnostics extends ApplyResult {
  diagnostics: Diagnostic[];
}

/** Server-side apply of a document's objects (or one), refused when the context is not the one the person confirmed. */
export async function apply(s: ClusterSettings, display: string, text: string, o: { range?: Range; context: string; dryRun?: boolean }, call: ClusterCall = {}): Promise<ApplyOutcomeWithDiagnostics> {
  const out: ApplyOutcomeWithDiagnostics = { context: o.context, server: '', results: [], diagnostics: [] };
  const { objects, problems } = documentObjects(display, text, o.range);
  const first = problems.find((p) => p.severity === 'error');
  if (first) return { ...out, error: `the document cannot be sent to a cluster: ${first.message}` };
  try {
    await withConnection(s, 8, async (conn, t) => {
      out.server = t.server;
      if (t.context !== o.context) throw new ClusterError('config', `the context is now "${t.context}", not "${o.context}" that was confirmed`, 'Run the command again.');
      let done = 0;
      const report = await applyObjects(conn, objects, { dryRun: o.dryRun, signal: call.signal, onResult: (r) => call.progress?.(`${++done}/${objects.length} ${r.label} ${r.outcome}`) });
      out.results = [...report.results.map((r): ObjectOutcome => ({ label: r.label, namespace: r.namespace, outcome: r.outcome, message: r.rejection?.message })), ...report.notSent.map((n): ObjectOutcome => ({ label: `${n.kind}/${n.name}`, namespace: n.namespace, outcome: 'not-sent' }))];
      out.diagnostics = report.results.flatMap((r) => r.diagnostics);
      if (report.fatal) out.error = describeError(report.fatal);
    });
  } catch (e) {
    out.error = describeError(e);
  }
  return out;
}

export async function diff(s: ClusterSettings, display: string, text: string, range: Range | undefined, call: ClusterCall = {}): Promise<DiffResult & { diagnostics: Diagnostic[] }> {
  const out: DiffResult & { diagnostics: Diagnostic[] } = { context: s.context ?? '', server: '', objects: [], diagnostics: [] };
  const { objects, problems } = documentObjects(display, text, range);
  const first = problems.find((p) => p.severity === 'error');
  if (first) return { ...out, error: `the document cannot be compared with a cluster: ${first.message}` };
  if (!objects.length) return { ...out, error: 'there is no Kubernetes object in this document' };
  try {
    await withConnection(s, 8, async (conn, t) => {
      Object.assign(out, { context: t.context, server: t.server });
      const report = await diffObjects(conn, objects, { signal: call.signal });
      out.objects = report.objects.map((d) => ({ label: d.label, path: d.path, outcome: d.outcome, before: d.before, after: d.after, diff: d.diff }));
      out.diagnostics = report.objects.flatMap((d) => d.result.diagnostics);
      if (report.fatal) out.error = describeError(report.fatal);
    });
  } catch (e) {
    out.error = describeError(e);
  }
  return out;
}

export async function status(s: ClusterSettings, name: string, namespace: string | undefined): Promise<StatusResult> {
  try {
    return await withConnection(s, 6, async (conn, t) => {
      const report = await certificateStatus(new ClusterReader(conn), namespace || t.namespace, name);
      return { report, text: renderStatus(report) };
    });
  } catch (e) {
    return { error: describeError(e) };
  }
}

export async function renew(s: ClusterSettings, name: string, namespace: string | undefined, confirmedContext: string): Promise<RenewResult> {
  const ns = namespace || '';
  try {
    return await withConnection(s, 2, async (conn, t) => {
      if (t.context !== confirmedContext) throw new ClusterError('config', `the context is now "${t.context}", not "${confirmedContext}" that was confirmed`, 'Run the command again.');
      const [r] = await renewCertificates(new ClusterReader(conn), ns || t.namespace, { names: [name] });
      return { namespace: r!.namespace, name: r!.name, outcome: r!.outcome, message: r!.message, context: t.context };
    });
  } catch (e) {
    return { namespace: ns, name, outcome: 'failed', message: describeError(e), context: confirmedContext, error: describeError(e) };
  }
}

function describeEvent(e: WaitEvent): string {
  if (e.type === 'observed') return e.conditions.filter((c) => c.type === 'Ready' || c.type === 'Issuing').map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ') || 'no conditions yet';
  if (e.type === 'disconnected') return `watch interrupted (${e.message}); reconnecting…`;
  return 'reconnected';
}

export async function wait(s: ClusterSettings, name: string, namespace: string | undefined, timeoutMs: number, call: ClusterCall = {}): Promise<WaitResult> {
  try {
    return await withConnection(s, 2, async (conn, t) => {
      const r = await waitForCertificate(new ClusterReader(conn), namespace || t.namespace, name, { timeoutMs, signal: call.signal, onEvent: (e) => call.progress?.(describeEvent(e)) });
      return { outcome: r.outcome, message: r.message, state: r.certificate && r.outcome !== 'timeout' ? describeState(r.certificate) : undefined };
    });
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'aborted') return { outcome: 'cancelled', message: 'stopped waiting' };
    return { outcome: 'timeout', message: describeError(e), error: describeError(e) };
  }
}

/** What explain needs beyond the cluster settings: the DNS settings for its propagation check, the controller's cluster resource namespace. */
export interface ExplainSettings {
  clusterResourceNamespace: string;
  recursiveNameservers: string[];
  recursiveNameserversOnly: boolean;
  authoritativePort: number;
}

export async function explain(s: ClusterSettings, name: string, namespace: string | undefined, e: ExplainSettings, call: ClusterCall = {}): Promise<ExplainResult> {
  try {
    return await withConnection(s, 6, async (conn, t) => {
      const ns = namespace || t.namespace;
      const resolvers = chooseRecursiveNameservers(e.recursiveNameservers, 'certsmith.recursiveNameservers');
      const explanation = await explainCertificate(new ClusterReader(conn), ns, name, {
        signal: call.signal,
        clusterResourceNamespace: e.clusterResourceNamespace,
        renewCommand: `"Renew Certificate in Cluster", or certsmith renew ${name} -n ${ns}`,
        checkRecord: recordChecker({ recursiveNameservers: resolvers.nameservers, source: resolvers.source, recursiveOnly: e.recursiveNameserversOnly, authoritativePort: e.authoritativePort }),
      });
      return { explanation, text: renderExplanation(explanation) };
    });
  } catch (err) {
    return { error: describeError(err) };
  }
}

export interface ClusterWatch {
  /** The context watched. */
  context: string;
  /** The kubeconfig, context and namespace it was started for: a different key means the settings changed. */
  key: string;
  stop(): void;
}

/** The settings' identity for a watch: the same key, the same target. */
export function watchKey(s: ClusterSettings): string {
  return JSON.stringify([s.kubeconfig ?? '', s.context ?? '', s.namespace ?? '', s.requestTimeoutMs]);
}

/** Follows the Certificates, Issuers and ClusterIssuers of the context until stopped (its own connection, closed on stop). */
export async function startWatch(s: ClusterSettings, onChange: (kind: string) => void, onTrouble: (message: string) => void): Promise<ClusterWatch> {
  const t = engineTarget(s);
  const conn = await ClusterConnection.open(t, { timeoutMs: s.requestTimeoutMs, maxSockets: 4 });
  const stop = new AbortController();
  void watchCluster(new ClusterReader(conn), { namespace: t.namespace, signal: stop.signal, onChange, onTrouble })
    .catch((e) => onTrouble(describeError(e)))
    .finally(() => conn.close());
  return {
    context: t.context,
    key: watchKey(s),
    stop: () => {
      stop.abort();
      conn.close();
    },
  };
}

