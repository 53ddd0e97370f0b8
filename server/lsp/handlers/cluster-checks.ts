/**
 * Opt-in checks against a cluster, in the language server: the server-side
 * dry run of a document as diagnostics of their own source
 * (`certsmith-cluster`), and the live Issuers, ClusterIssuers and Secrets of
 * the context for the cross-resource checks.
 *
 * This file is part of dist/server.js and never imports cluster code: the
 * network side is dist/lsp-cluster.js (server/lsp/lsp-cluster.ts, with
 * @kubernetes/client-node), loaded with require() the first time it is needed
 * (cluster checks switched on, or a check asked for). Local diagnostics never
 * wait for it: everything here is asynchronous and publishes when it is done.
 *
 * Settings: certsmith.cluster.* (settings.ts resolves them once). When the
 * checks are switched on, or the kubeconfig, context or namespace change,
 * checks in flight are cancelled and their results dropped, cluster
 * diagnostics are cleared and live data is forgotten; then, when on, the live
 * inventory is read again. Nothing is sent to a cluster while the checks are
 * off, except for an explicit certsmith/checkAgainstCluster (with the current
 * settings; then no live inventory is read).
 *
 * certsmith/checkAgainstCluster { uri } → CheckResult: the server-side dry
 * run (dryRun=All, fieldValidation=Strict, field manager certsmith) of the
 * objects of that open document, as its text is now; its results are
 * published with the local diagnostics for the uri. `stale`: the document
 * changed during the check, its results were dropped.
 *
 * certsmith/refreshClusterInventory → InventoryResult: the live names
 * (metadata-only lists: no Secret value is ever asked for); a 403 is not
 * fatal (what is known is used).
 *
 * Apply and Diff results (cluster-actions.ts) are published here too, as the
 * document's `certsmith-cluster` diagnostics: one place for what a cluster
 * says about a document.
 *
 * Stale positions: cluster diagnostics belong to the document version they
 * were computed for. As soon as the text changes they are dropped (published
 * again without them): their ranges point at text that may have moved, and a
 * rejection of a field the user is fixing should not linger. They come back
 * with the next save (checkOnSave) or check. A check whose document changed
 * while it ran is dropped the same way.
 *
 * On save (enabled and checkOnSave): after 500 ms without another save or
 * edit, one dry run per document at a time (a save during a run queues one
 * more run, never more), for documents that hold cert-manager, networking or
 * Gateway objects. The live inventory is refreshed with it when older than a
 * minute.
 */
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Diagnostic } from '../../../engine/core/diagnostic.js';
import { CheckAgainstClusterRequest, RefreshClusterInventoryRequest, type CheckResult, type InventoryResult } from '../../../protocol/messages.js';
import type * as LspCluster from '../lsp-cluster.js';
import type { InventoryOutcome } from '../lsp-cluster.js';
import type { ClusterSettings } from '../settings.js';
import type { ServerState } from '../server-state.js';
import type { DiagnosticsPublisher } from '../diagnostics-publisher.js';
import { toLspDiagnostic } from '../diagnostics-publisher.js';
import { guardedAsync } from '../guard.js';

const SAVE_DEBOUNCE_MS = 500;
const INVENTORY_MAX_AGE_MS = 60_000;

export interface ClusterChecks {
  /** The cluster diagnostics of the document's current version (none when stale). */
  diagnosticsFor(uri: string): LspDiagnostic[];
  /** Sets what a cluster said about a document's current version (apply, diff) and publishes it. */
  setDiagnostics(uri: string, version: number, diagnostics: Diagnostic[]): void;
  /** The document's text changed (its cluster diagnostics are dropped, a pending on-save check cancelled). */
  changed(uri: string, version: number): void;
  closed(uri: string): void;
  saved(uri: string): void;
  /** The lazily loaded cluster module. */
  cluster(): typeof LspCluster;
  /** The dry run of an open document (certsmith/checkAgainstCluster), its diagnostics published. */
  check(uri: string): Promise<CheckResult>;
}

const sameTarget = (a: ClusterSettings, b: ClusterSettings) =>
  a.checkAgainstCluster === b.checkAgainstCluster && a.kubeconfig === b.kubeconfig && a.context === b.context && a.namespace === b.namespace && a.requestTimeoutMs === b.requestTimeoutMs;

/** The lazily loaded cluster bundle (a separate bundle, see esbuild.config.mjs: required, not imported, so nothing loads it before now). */
function loadClusterModule(state: ServerState): () => typeof LspCluster {
  let module: typeof LspCluster | undefined;
  return () => {
    if (!module) {
      try {
        module = require('./lsp-cluster.js') as typeof LspCluster;
      } catch (e) {
        throw new Error(`the cluster support (lsp-cluster.js next to the server) cannot be loaded: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
      }
      state.log('Certsmith: cluster support loaded.');
    }
    return module;
  };
}

export function attachClusterChecks(state: ServerState, publisher: DiagnosticsPublisher): ClusterChecks {
  const { connection, documents, workspace } = state;
  let settings = state.settings.cluster;
  /** Bumped when the target changes: results of older generations are dropped. */
  let generation = 0;
  const byUri = new Map<string, { version: number; diagnostics: LspDiagnostic[] }>();
  /** The last check of each document (checks of one document run one at a time). */
  const queues = new Map<string, Promise<unknown>>();
  const saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents with an on-save check queued and not started. */
  const saveQueued = new Set<string>();
  const inFlight = new Set<AbortController>();
  let inventoryRun: { generation: number; promise: Promise<InventoryResult> } | undefined;
  let inventoryAt = 0;
  const cluster = loadClusterModule(state);
  const describe = (e: unknown): string => ((e as Error)?.message ?? String(e)).split('\n')[0]!;
  const republish = (uri: string) => {
    publisher.sync(uri);
    publisher.publish(uri);
  };

  const serialized = <T>(uri: string, fn: () => Promise<T>): Promise<T> => {
    const next = (queues.get(uri) ?? Promise.resolve()).catch(() => undefined).then(fn);
    queues.set(uri, next);
    void next.finally(() => {
      if (queues.get(uri) === next) queues.delete(uri);
    }).catch(() => undefined);
    return next;
  };

  const withAbort = async <T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const ac = new AbortController();
    inFlight.add(ac);
    try {
      return await fn(ac.signal);
    } finally {
      inFlight.delete(ac);
    }
  };

  const runCheck = async (uri: string): Promise<CheckResult> => {
    const s = settings;
    const none: CheckResult = { context: s.context ?? '', namespace: s.namespace ?? '', server: '', objects: 0, rejected: 0 };
    const doc = documents.get(uri);
    if (!doc) return { ...none, error: `${uri} is not open: only open documents are checked against the cluster` };
    const version = doc.version;
    const gen = generation;
    let outcome: LspCluster.DryRunOutcome;
    try {
      outcome = await withAbort((signal) => cluster().dryRunDocument(s, uri, doc.getText(), { signal }));
    } catch (e) {
      return { ...none, error: describe(e) };
    }
    const { diagnostics, ...result } = outcome;
    if (gen !== generation) return { ...result, error: result.error ?? 'the cluster settings changed during the check: its results were dropped' };
    if (documents.get(uri)?.version !== version) return { ...result, stale: true };
    if (result.error) state.log(`Certsmith: checking ${uri} against context "${result.context}": ${result.error}`);
    byUri.set(uri, { version, diagnostics: diagnostics.map(toLspDiagnostic) });
    republish(uri);
    return result;
  };

  const refresh = (): Promise<InventoryResult> => {
    if (inventoryRun && inventoryRun.generation === generation) return inventoryRun.promise;
    const gen = generation;
    const s = settings;
    const promise = (async (): Promise<InventoryResult> => {
      let r: InventoryOutcome;
      try {
        r = await withAbort((signal) => cluster().refreshInventory(s, { signal }));
      } catch (e) {
        return { issuers: 0, clusterIssuers: 0, secrets: 0, error: describe(e) };
      }
      const result: InventoryResult = {
        ...r.counts,
        ...(r.error ? { error: r.error } : {}),
        ...(r.denied.length ? { denied: r.denied } : {}),
        ...(r.notes.length ? { notes: r.notes } : {}),
        context: r.context,
        namespace: r.namespace,
        server: r.server,
      };
      if (gen !== generation || !settings.checkAgainstCluster) return { ...result, error: result.error ?? 'the cluster settings changed meanwhile: this inventory was dropped' };
      inventoryAt = Date.now();
      // The cert-manager release the context runs is the target unless a setting names one.
      if (!r.error) {
        const v = await withAbort((signal) => cluster().detectVersion(s, { signal }));
        if (gen === generation && !v.error) state.setDetectedVersion({ context: v.context, version: v.version, source: v.source });
      }
      // A context that cannot be read says nothing about what exists: check the files alone.
      workspace.setLive(r.error ? undefined : r.live);
      publisher.republishCross();
      if (r.error) state.log(`Certsmith: reading the Issuers, ClusterIssuers and Secrets of context "${r.context}": ${r.error}`);
      else state.log(`Certsmith: context "${r.context}": ${r.counts.issuers} Issuers, ${r.counts.clusterIssuers} ClusterIssuers, ${r.counts.secrets} Secrets (names only).`);
      for (const m of [...r.denied, ...r.notes]) state.log(`Certsmith: ${m}`);
      return result;
    })();
    inventoryRun = { generation: gen, promise };
    void promise.finally(() => {
      if (inventoryRun?.promise === promise) inventoryRun = undefined;
    });
    return promise;
  };

  state.onSettings((now) => {
    const next = now.cluster;
    if (sameTarget(next, settings)) {
      settings = next;
      return;
    }
    settings = next;
    generation++;
    for (const ac of inFlight) ac.abort();
    for (const t of saveTimers.values()) clearTimeout(t);
    saveTimers.clear();
    inventoryAt = 0;
    const had = [...byUri.keys()];
    byUri.clear();
    for (const uri of had) republish(uri);
    if (workspace.live) {
      workspace.setLive(undefined);
      publisher.republishCross();
    }
    state.setDetectedVersion(undefined);
    if (next.checkAgainstCluster && now.trusted) void refresh();
  });

  const check = async (uri: string): Promise<CheckResult> => {
    if (typeof uri !== 'string') return { context: '', namespace: '', server: '', objects: 0, rejected: 0, error: 'certsmith/checkAgainstCluster needs { uri }' };
    if (!state.settings.trusted) return { context: '', namespace: '', server: '', objects: 0, rejected: 0, error: 'the workspace is not trusted: nothing is sent to a cluster' };
    const inventory = settings.checkAgainstCluster ? refresh() : undefined;
    const result = await serialized(uri, () => runCheck(uri));
    await inventory;
    return result;
  };

  connection.onRequest(
    CheckAgainstClusterRequest,
    guardedAsync(state, 'the cluster check', (error) => ({ context: '', namespace: '', server: '', objects: 0, rejected: 0, error }), (params) => check(params?.uri)),
  );

  connection.onRequest(
    RefreshClusterInventoryRequest,
    guardedAsync(state, 'reading the cluster inventory', (error) => ({ issuers: 0, clusterIssuers: 0, secrets: 0, error }), async (): Promise<InventoryResult> => {
      if (!settings.checkAgainstCluster) return { issuers: 0, clusterIssuers: 0, secrets: 0, error: 'cluster checks are off (certsmith.cluster.checkAgainstCluster): nothing was read' };
      return refresh();
    }),
  );

  return {
    cluster,
    check,
    diagnosticsFor(uri) {
      const c = byUri.get(uri);
      return c && c.version === documents.get(uri)?.version ? c.diagnostics : [];
    },
    setDiagnostics(uri, version, diagnostics) {
      if (documents.get(uri)?.version !== version) return;
      byUri.set(uri, { version, diagnostics: diagnostics.map(toLspDiagnostic) });
      republish(uri);
    },
    changed(uri, version) {
      const c = byUri.get(uri);
      if (c && c.version !== version) byUri.delete(uri);
      const t = saveTimers.get(uri);
      if (t) {
        clearTimeout(t);
        saveTimers.delete(uri);
      }
    },
    closed(uri) {
      byUri.delete(uri);
      clearTimeout(saveTimers.get(uri));
      saveTimers.delete(uri);
    },
    saved(uri) {
      if (!settings.checkAgainstCluster || !settings.checkOnSave || !state.settings.trusted) return;
      clearTimeout(saveTimers.get(uri));
      const timer = setTimeout(() => {
        saveTimers.delete(uri);
        if (!settings.checkAgainstCluster || !settings.checkOnSave || saveQueued.has(uri)) return;
        try {
          publisher.sync(uri);
        } catch {
          // the flush reports it
        }
        if (!workspace.get(uri)?.isRelevant) return;
        saveQueued.add(uri);
        void serialized(uri, async () => {
          saveQueued.delete(uri);
          if (!settings.checkAgainstCluster) return;
          if (Date.now() - inventoryAt > INVENTORY_MAX_AGE_MS) void refresh();
          await runCheck(uri);
        });
      }, SAVE_DEBOUNCE_MS);
      timer.unref?.();
      saveTimers.set(uri, timer);
    },
  };
}
