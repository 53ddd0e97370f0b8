/**
 * The cluster actions (protocol/messages.ts): the target and its namespaces,
 * the Cluster view's data, and Apply, Diff, Status, Renew and Wait. Every
 * action uses the settings resolved in settings.ts and the lazily loaded
 * cluster bundle; what a cluster says about a document (apply and diff
 * refusals) becomes that document's `certsmith-cluster` diagnostics, beside
 * the dry run's. The methods are what requests and executeCommand call.
 */
import {
  ApplyPlanRequest,
  ApplyRequest,
  CertificateStatusRequest,
  ClusterChangedNotification,
  ClusterNamespacesRequest,
  ClusterOverviewRequest,
  ClusterTargetRequest,
  DiffRequest,
  ExplainCertificateRequest,
  RenewRequest,
  WaitForCertificateRequest,
  WatchClusterRequest,
  type ApplyParams,
  type ApplyPlan,
  type ApplyResult,
  type CertificateRef,
  type ClusterTargetResult,
  type ClusterTreeData,
  type DiffResult,
  type DocumentTarget,
  type ExplainResult,
  type NamespacesResult,
  type RenewParams,
  type RenewResult,
  type StatusResult,
  type WaitParams,
  type WaitResult,
  type WatchClusterParams,
  type WatchClusterResult,
} from '../../../protocol/messages.js';
import type { ClusterWatch } from '../lsp-cluster.js';
import type { CancellationToken } from 'vscode-languageserver/node';
import { guardedAsync, guardedRequest } from '../guard.js';
import type { ServerState } from '../server-state.js';
import type { ClusterChecks } from './cluster-checks.js';
import { abortOn, documentText, untrusted, withProgress, type ActionCall } from './action-support.js';

const WAIT_DEFAULT_SECONDS = 600;
/** Changes arriving within this time are one notification (a Certificate being issued changes several times a second). */
const CHANGE_DEBOUNCE_MS = 300;

export class ClusterActions {
  private watcher?: ClusterWatch;
  /** Watch starts and stops, one after the other. */
  private watchQueue: Promise<unknown> = Promise.resolve();
  private changedKinds = new Set<string>();
  private changeTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly state: ServerState,
    private readonly checks: ClusterChecks,
  ) {}

  private get cluster() {
    return this.checks.cluster();
  }

  private get settings() {
    return this.state.settings.cluster;
  }

  private refused(what: string): string | undefined {
    return untrusted(this.state, what);
  }

  async target(): Promise<ClusterTargetResult> {
    const refusal = this.refused('talking to a cluster');
    return refusal ? { problem: refusal } : this.cluster.clusterTarget(this.settings);
  }

  async namespaces(context: string): Promise<NamespacesResult> {
    const refusal = this.refused('talking to a cluster');
    return refusal ? { namespaces: [], error: refusal } : this.cluster.namespaces(this.settings, context);
  }

  async overview(): Promise<ClusterTreeData> {
    const refusal = this.refused('talking to a cluster');
    if (refusal) return { contexts: [], problem: refusal };
    const data = await this.cluster.overview(this.settings);
    if (data.overview) this.state.log(`Certsmith: cluster view: ${data.overview.certificates.length} Certificates, ${data.overview.issuers.length} issuers from "${data.overview.context}" in ${data.overview.ms} ms`);
    return data;
  }

  async applyPlan(p: DocumentTarget): Promise<ApplyPlan> {
    const none = { context: '', server: '', namespace: '', objects: [] };
    const refusal = this.refused('applying to a cluster');
    if (refusal) return { ...none, problem: refusal };
    const doc = documentText(this.state, p.uri);
    if ('error' in doc) return { ...none, problem: doc.error };
    return this.cluster.applyPlan(this.settings, p.uri, doc.text, p.range);
  }

  async apply(p: ApplyParams, call: ActionCall = {}): Promise<ApplyResult> {
    const refusal = this.refused('applying to a cluster');
    if (refusal) return { context: p.context, server: '', results: [], error: refusal };
    const doc = documentText(this.state, p.uri);
    if ('error' in doc) return { context: p.context, server: '', results: [], error: doc.error };
    const { diagnostics, ...result } = await this.cluster.apply(this.settings, p.uri, doc.text, { range: p.range, context: p.context, dryRun: p.dryRun }, call);
    if (doc.version !== undefined) this.checks.setDiagnostics(p.uri, doc.version, diagnostics);
    for (const r of result.results) this.state.log(`Certsmith: ${p.dryRun ? 'dry run' : 'apply'} ${r.label}${r.namespace ? ` (namespace ${r.namespace})` : ''}: ${r.outcome}${r.message ? ` — ${r.message}` : ''}`);
    if (result.error) this.state.log(`Certsmith: apply to "${result.context}": ${result.error}`);
    return result;
  }

  async diff(p: DocumentTarget, call: ActionCall = {}): Promise<DiffResult> {
    const refusal = this.refused('comparing with a cluster');
    if (refusal) return { context: '', server: '', objects: [], error: refusal };
    const doc = documentText(this.state, p.uri);
    if ('error' in doc) return { context: '', server: '', objects: [], error: doc.error };
    const { diagnostics, ...result } = await this.cluster.diff(this.settings, p.uri, doc.text, p.range, call);
    if (doc.version !== undefined) this.checks.setDiagnostics(p.uri, doc.version, diagnostics);
    return result;
  }

  async status(p: CertificateRef): Promise<StatusResult> {
    const refusal = this.refused('talking to a cluster');
    return refusal ? { error: refusal } : this.cluster.status(this.settings, p.name, p.namespace ?? undefined);
  }

  async renew(p: RenewParams): Promise<RenewResult> {
    const refusal = this.refused('renewing in a cluster');
    if (refusal) return { namespace: p.namespace ?? '', name: p.name, outcome: 'failed', message: refusal, context: p.context, error: refusal };
    const r = await this.cluster.renew(this.settings, p.name, p.namespace ?? undefined, p.context);
    this.state.log(`Certsmith: renew ${r.namespace}/${r.name} in "${r.context}": ${r.message}`);
    return r;
  }

  async wait(p: WaitParams, call: ActionCall = {}): Promise<WaitResult> {
    const refusal = this.refused('talking to a cluster');
    if (refusal) return { outcome: 'timeout', message: refusal, error: refusal };
    return this.cluster.wait(this.settings, p.name, p.namespace ?? undefined, (p.timeoutSeconds ?? WAIT_DEFAULT_SECONDS) * 1000, call);
  }

  async explain(p: CertificateRef, call: ActionCall = {}): Promise<ExplainResult> {
    const refusal = this.refused('talking to a cluster');
    if (refusal) return { error: refusal };
    const s = this.state.settings;
    return this.cluster.explain(this.settings, p.name, p.namespace ?? undefined, { clusterResourceNamespace: s.clusterResourceNamespace, recursiveNameservers: s.recursiveNameservers, recursiveNameserversOnly: s.recursiveNameserversOnly, authoritativePort: s.authoritativePort }, call);
  }

  /**
   * Starts (or keeps) the watch of the context the settings choose, or stops it. A start
   * with other settings than the running watch's replaces it. The client starts it while
   * the Cluster view is visible and stops it when hidden, so a hidden view costs nothing.
   */
  watch(p: WatchClusterParams): Promise<WatchClusterResult> {
    const next = this.watchQueue.then(() => this.setWatch(p.watch));
    this.watchQueue = next.catch(() => undefined);
    return next;
  }

  private async setWatch(on: boolean): Promise<WatchClusterResult> {
    if (!on) {
      this.stopWatch();
      return { watching: false };
    }
    const refusal = this.refused('talking to a cluster');
    if (refusal) {
      this.stopWatch();
      return { watching: false, error: refusal };
    }
    const key = this.cluster.watchKey(this.settings);
    if (this.watcher?.key === key) return { watching: true, context: this.watcher.context };
    this.stopWatch();
    try {
      const w = await this.cluster.startWatch(
        this.settings,
        (kind) => this.changed(kind),
        (message) => this.state.log(`Certsmith: cluster watch: ${message}`),
      );
      this.watcher = w;
      this.state.log(`Certsmith: watching Certificates and issuers in "${w.context}"`);
      return { watching: true, context: w.context };
    } catch (e) {
      const error = ((e as Error)?.message ?? String(e)).split('\n')[0]!;
      this.state.log(`Certsmith: cluster watch: ${error}`);
      return { watching: false, error };
    }
  }

  stopWatch(): void {
    if (!this.watcher) return;
    this.watcher.stop();
    this.state.log(`Certsmith: stopped watching "${this.watcher.context}"`);
    this.watcher = undefined;
    clearTimeout(this.changeTimer);
    this.changeTimer = undefined;
    this.changedKinds.clear();
  }

  private changed(kind: string): void {
    this.changedKinds.add(kind);
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = undefined;
      const kinds = [...this.changedKinds].sort();
      this.changedKinds.clear();
      if (this.watcher) void this.state.connection.sendNotification(ClusterChangedNotification, { context: this.watcher.context, kinds });
    }, CHANGE_DEBOUNCE_MS);
  }

  register(): void {
    const { state } = this;
    const { connection } = state;
    connection.onRequest(ClusterTargetRequest, guardedAsync(state, 'resolving the cluster target', (problem) => ({ problem }), () => this.target()));
    connection.onRequest(ClusterNamespacesRequest, guardedAsync(state, 'listing namespaces', (error) => ({ namespaces: [], error }), (p) => this.namespaces(p.context)));
    connection.onRequest(ClusterOverviewRequest, guardedAsync(state, 'reading the cluster overview', (problem) => ({ contexts: [], problem }), () => this.overview()));
    connection.onRequest(ApplyPlanRequest, guardedAsync(state, 'planning the apply', (problem) => ({ context: '', server: '', namespace: '', objects: [], problem }), (p) => this.applyPlan(p)));
    connection.onRequest(
      ApplyRequest,
      guardedRequest(state, 'applying', (error) => ({ context: '', server: '', results: [], error }), (p, token, progress) =>
        withProgress(progress, `${p.dryRun ? 'dry run against' : 'applying to'} ${p.context}`, true, (report) => this.apply(p, { signal: abortOn(token), progress: report })),
      ),
    );
    connection.onRequest(
      DiffRequest,
      guardedRequest(state, 'comparing with the cluster', (error) => ({ context: '', server: '', objects: [], error }), (p, token, progress) =>
        withProgress(progress, 'comparing with the cluster', true, (report) => this.diff(p, { signal: abortOn(token), progress: report })),
      ),
    );
    connection.onRequest(CertificateStatusRequest, guardedAsync(state, 'reading the Certificate status', (error) => ({ error }), (p) => this.status(p)));
    connection.onRequest(ExplainCertificateRequest, guardedAsync(state, 'explaining the Certificate', (error) => ({ error }), (p: CertificateRef, token: CancellationToken) => this.explain(p, { signal: abortOn(token) })));
    connection.onRequest(WatchClusterRequest, guardedAsync(state, 'watching the cluster', (error) => ({ watching: false, error }), (p) => this.watch(p)));
    connection.onShutdown(() => this.stopWatch());
    connection.onRequest(RenewRequest, guardedAsync(state, 'renewing', (error) => ({ namespace: '', name: '', outcome: 'failed', message: error, context: '', error }), (p) => this.renew(p)));
    connection.onRequest(
      WaitForCertificateRequest,
      guardedRequest(state, 'waiting for the Certificate', (error) => ({ outcome: 'timeout', message: error, error }), (p, token, progress) =>
        withProgress(progress, `${p.namespace ? `${p.namespace}/` : ''}${p.name}`, true, (report) => this.wait(p, { signal: abortOn(token), progress: report })),
      ),
    );
  }
}
