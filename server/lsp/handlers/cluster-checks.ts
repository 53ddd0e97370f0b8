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
 * Protocol (the VS Code client sends these; any LSP client may):
 *
 *   notification certsmith/clusterSettings (client → server)
 *     { enabled: boolean, kubeconfig?: string, context?: string, namespace?: string, checkOnSave?: boolean }
 *     Sent at start and on every change. kubeconfig: a file (~ and paths
 *     relative to the first workspace folder allowed), default KUBECONFIG,
 *     else ~/.kube/config; context: default the current-context; namespace:
 *     for objects that name none, default the context's; checkOnSave: default
 *     true. When enabled, kubeconfig, context or namespace change, checks in
 *     flight are cancelled and their results dropped, cluster diagnostics are
 *     cleared and live data is forgotten; then, when enabled, the live
 *     inventory is read again. Nothing is sent to a cluster while disabled
 *     (except for an explicit certsmith/checkAgainstCluster).
 *
 *   request certsmith/checkAgainstCluster { uri: string }
 *     → { context, namespace, server, objects, rejected, error?, stale? }
 *     The server-side dry run (dryRun=All, fieldValidation=Strict, field
 *     manager certsmith) of the objects of that open document, as its text is
 *     now; its results are published with the local diagnostics for the uri.
 *     When enabled, the live inventory is refreshed at the same time, and the
 *     answer comes when both are published. It works while disabled too (an
 *     explicit request), with the settings last received, but then reads no
 *     live inventory. error: a message a person can act on (the context and
 *     address named: connection refused, certificate not trusted, 401, time
 *     limit, no such context), never a stack trace; the diagnostics of objects
 *     checked before the failure are still published. stale: true when the
 *     document changed during the check: its results were dropped.
 *
 *   request certsmith/refreshClusterInventory (no params)
 *     → { issuers, clusterIssuers, secrets, error?, denied?, notes?, context?, namespace?, server? }
 *     Reads the live names (metadata-only lists: no Secret value is ever
 *     asked for). denied: one sentence per list RBAC refused (a 403 is not
 *     fatal: what is known is used, the denied list is not checked against the
 *     cluster; a namespaced kind denied cluster-wide is read in the namespace).
 *     While disabled: no network, error says so.
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
import type { Connection, Diagnostic as LspDiagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Workspace } from '../../engine/workspace/workspace.js';
import type { Diagnostic } from '../../engine/core/diagnostic.js';
import type * as LspCluster from './lsp-cluster.js';
import type { InventoryOutcome } from './lsp-cluster.js';
import {
  CHECK_AGAINST_CLUSTER_REQUEST,
  CLUSTER_SETTINGS_NOTIFICATION,
  REFRESH_CLUSTER_INVENTORY_REQUEST,
  type CheckResult,
  type ClusterSettings,
  type InventoryResult,
} from '../../engine/language/cluster-protocol.js';

export { CHECK_AGAINST_CLUSTER_REQUEST, CLUSTER_SETTINGS_NOTIFICATION, REFRESH_CLUSTER_INVENTORY_REQUEST, type CheckResult, type InventoryResult };

const SAVE_DEBOUNCE_MS = 500;
const INVENTORY_MAX_AGE_MS = 60_000;

export interface ClusterChecksHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  workspace: Workspace;
  /** The workspace folders (the first is the base of a relative kubeconfig path). */
  folders: () => string[];
  /** Brings the workspace's copy of a document up to date. */
  sync: (uri: string) => void;
  /** Publishes a document's diagnostics (local + cross + diagnosticsFor). */
  publish: (uri: string) => void;
  /** Publishes the documents whose cross-resource findings changed. */
  republishCross: () => void;
  toLspDiagnostic: (d: Diagnostic) => LspDiagnostic;
  log: (message: string) => void;
  /** Whether the cluster code lenses are wanted changed (ask the client to refresh lenses). */
  lensesChanged?: () => void;
}

export interface ClusterChecks {
  /** The cluster diagnostics of the document's current version (none when stale). */
  diagnosticsFor(uri: string): LspDiagnostic[];
  /** The document's text changed (its cluster diagnostics are dropped, a pending on-save check cancelled). */
  changed(uri: string, version: number): void;
  closed(uri: string): void;
  /** The client says a cluster is configured: code lenses get Apply, Diff and Status. */
  lenses(): boolean;
}

function normalize(p: unknown): Required<Pick<ClusterSettings, 'enabled' | 'checkOnSave'>> & ClusterSettings {
  const o = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return { enabled: o.enabled === true, kubeconfig: str(o.kubeconfig), context: str(o.context), namespace: str(o.namespace), checkOnSave: o.checkOnSave !== false, lenses: o.lenses === true };
}

const sameTarget = (a: ClusterSettings, b: ClusterSettings) => a.enabled === b.enabled && a.kubeconfig === b.kubeconfig && a.context === b.context && a.namespace === b.namespace;

export function attachClusterChecks(h: ClusterChecksHost): ClusterChecks {
  const { connection, documents, workspace } = h;
  let settings = normalize({});
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

  let module: typeof LspCluster | undefined;
  const cluster = (): typeof LspCluster => {
    if (!module) {
      try {
        // A separate bundle (see esbuild.config.mjs): required, not imported, so nothing loads it before now.
        module = require('./lsp-cluster.js') as typeof LspCluster;
      } catch (e) {
        throw new Error(`the cluster support (lsp-cluster.js next to the server) cannot be loaded: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
      }
      h.log('Certsmith: cluster checks loaded.');
    }
    return module;
  };
  const describe = (e: unknown): string => ((e as Error)?.message ?? String(e)).split('\n')[0];
  const baseDir = () => h.folders()[0];

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
      outcome = await withAbort((signal) => cluster().dryRunDocument(s, uri, doc.getText(), { baseDir: baseDir(), signal }));
    } catch (e) {
      return { ...none, error: describe(e) };
    }
    const { diagnostics, ...result } = outcome;
    if (gen !== generation) return { ...result, error: result.error ?? 'the cluster settings changed during the check: its results were dropped' };
    if (documents.get(uri)?.version !== version) return { ...result, stale: true };
    if (result.error) h.log(`Certsmith: checking ${uri} against context "${result.context}": ${result.error}`);
    byUri.set(uri, { version, diagnostics: diagnostics.map(h.toLspDiagnostic) });
    h.sync(uri);
    h.publish(uri);
    return result;
  };

  const refresh = (): Promise<InventoryResult> => {
    if (inventoryRun && inventoryRun.generation === generation) return inventoryRun.promise;
    const gen = generation;
    const s = settings;
    const promise = (async (): Promise<InventoryResult> => {
      let r: InventoryOutcome;
      try {
        r = await withAbort((signal) => cluster().refreshInventory(s, { baseDir: baseDir(), signal }));
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
      if (gen !== generation || !settings.enabled) return { ...result, error: result.error ?? 'the cluster settings changed meanwhile: this inventory was dropped' };
      inventoryAt = Date.now();
      // A context that cannot be read says nothing about what exists: check the files alone.
      workspace.setLive(r.error ? undefined : r.live);
      h.republishCross();
      if (r.error) h.log(`Certsmith: reading the Issuers, ClusterIssuers and Secrets of context "${r.context}": ${r.error}`);
      else h.log(`Certsmith: context "${r.context}": ${r.counts.issuers} Issuers, ${r.counts.clusterIssuers} ClusterIssuers, ${r.counts.secrets} Secrets (names only).`);
      for (const m of [...r.denied, ...r.notes]) h.log(`Certsmith: ${m}`);
      return result;
    })();
    inventoryRun = { generation: gen, promise };
    void promise.finally(() => {
      if (inventoryRun?.promise === promise) inventoryRun = undefined;
    });
    return promise;
  };

  connection.onNotification(CLUSTER_SETTINGS_NOTIFICATION, (params: unknown) => {
    const next = normalize(params);
    const changed = !sameTarget(next, settings);
    const lensesChanged = next.lenses !== settings.lenses;
    settings = next;
    if (lensesChanged) h.lensesChanged?.();
    if (!changed) return;
    generation++;
    for (const ac of inFlight) ac.abort();
    for (const t of saveTimers.values()) clearTimeout(t);
    saveTimers.clear();
    inventoryAt = 0;
    const had = [...byUri.keys()];
    byUri.clear();
    for (const uri of had) {
      h.sync(uri);
      h.publish(uri);
    }
    if (workspace.live) {
      workspace.setLive(undefined);
      h.republishCross();
    }
    if (next.enabled) void refresh();
  });

  connection.onRequest(CHECK_AGAINST_CLUSTER_REQUEST, async (params: { uri?: unknown } | undefined): Promise<CheckResult> => {
    const uri = params?.uri;
    if (typeof uri !== 'string') return { context: '', namespace: '', server: '', objects: 0, rejected: 0, error: 'certsmith/checkAgainstCluster needs { uri }' };
    const inventory = settings.enabled ? refresh() : undefined;
    const result = await serialized(uri, () => runCheck(uri));
    await inventory;
    return result;
  });

  connection.onRequest(REFRESH_CLUSTER_INVENTORY_REQUEST, async (): Promise<InventoryResult> => {
    if (!settings.enabled) return { issuers: 0, clusterIssuers: 0, secrets: 0, error: 'cluster checks are off (certsmith.cluster.enabled): nothing was read' };
    return refresh();
  });

  documents.onDidSave((e) => {
    if (!settings.enabled || !settings.checkOnSave) return;
    const uri = e.document.uri;
    clearTimeout(saveTimers.get(uri));
    const timer = setTimeout(() => {
      saveTimers.delete(uri);
      if (!settings.enabled || !settings.checkOnSave || saveQueued.has(uri)) return;
      try {
        h.sync(uri);
      } catch {
        // the flush reports it
      }
      if (!workspace.get(uri)?.isRelevant) return;
      saveQueued.add(uri);
      void serialized(uri, async () => {
        saveQueued.delete(uri);
        if (!settings.enabled) return;
        if (Date.now() - inventoryAt > INVENTORY_MAX_AGE_MS) void refresh();
        await runCheck(uri);
      });
    }, SAVE_DEBOUNCE_MS);
    timer.unref?.();
    saveTimers.set(uri, timer);
  });

  return {
    lenses: () => settings.lenses === true,
    diagnosticsFor(uri) {
      const c = byUri.get(uri);
      return c && c.version === documents.get(uri)?.version ? c.diagnostics : [];
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
  };
}
