/**
 * Watches what the Cluster view shows (Certificates, Issuers, ClusterIssuers)
 * and says when any of it changes, so that the view follows the cluster
 * instead of waiting for a refresh: a Certificate that goes Ready shows up
 * without a click. One watch per kind (resource-watch.ts), from the
 * resourceVersion of a one-item list, so nothing is sent for what exists
 * already; in every namespace, or in the context's namespace when listing
 * everywhere is not allowed (as cluster-overview.ts lists them).
 *
 * A watch that ends is resumed from its last resourceVersion; after 410 Gone
 * or a dropped connection the kind is listed again, the caller is told
 * (events may have been missed), and the watch restarts, backing off up to
 * `maxRetryDelayMs`. A kind that is not served, or that RBAC forbids, is
 * reported once and left alone. Runs until the signal aborts.
 */
import { ClusterError } from './cluster-error.js';
import type { ClusterReader } from './cluster-reader.js';
import { jsonBody } from './connection.js';
import type { ResourceInfo } from './discovery.js';
import { KNOWN, resourcePath } from './resource-path.js';
import { retryable, sleep, watchOnce } from './resource-watch.js';

export interface ClusterWatchOptions {
  /** The context's namespace: the fallback when a kind may not be watched in every namespace. */
  namespace: string;
  signal: AbortSignal;
  /** Something of this kind changed (or may have, after a reconnection). */
  onChange: (kind: string) => void;
  /** A kind that cannot be watched, or a connection trouble (in words). */
  onTrouble?: (message: string) => void;
  maxRetryDelayMs?: number;
}


/** The current resourceVersion of a kind's collection (a one-item list). */
async function currentVersion(reader: ClusterReader, info: ResourceInfo, namespace: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  const r = await reader.conn.request('GET', resourcePath(info, namespace), { query: { limit: '1' }, signal, what: `to list ${info.resource}` });
  if (r.status !== 200) throw reader.refusal(r, 'list', info, namespace);
  return jsonBody(r)?.metadata?.resourceVersion;
}

async function watchKind(reader: ClusterReader, known: { apiVersion: string; kind: string }, o: ClusterWatchOptions): Promise<void> {
  let info: ResourceInfo;
  try {
    info = await reader.resource(known.apiVersion, known.kind);
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'not-served') return o.onTrouble?.(e.message);
    throw e;
  }
  const maxDelay = o.maxRetryDelayMs ?? 5000;
  // Every namespace first; the context's namespace when that is forbidden.
  let scope: string | undefined;
  let resourceVersion: string | undefined;
  let attempt = 0;
  let needList = true;
  while (!o.signal.aborted) {
    try {
      if (needList) {
        try {
          resourceVersion = await currentVersion(reader, info, scope, o.signal);
        } catch (e) {
          if (!(e instanceof ClusterError && e.kind === 'forbidden' && scope === undefined && info.namespaced)) throw e;
          scope = o.namespace;
          resourceVersion = await currentVersion(reader, info, scope, o.signal);
        }
        if (attempt > 0) o.onChange(known.kind); // changes may have been missed while disconnected
        needList = false;
      }
      const end = await watchOnce(reader, info, { namespace: scope, resourceVersion, what: `to watch ${info.resource}` }, o.signal, () => {
        o.onChange(known.kind);
      });
      attempt = 0;
      if (end.kind === 'gone') {
        needList = true;
        o.onChange(known.kind);
      } else if (end.kind === 'ended' && end.resourceVersion) resourceVersion = end.resourceVersion;
    } catch (e) {
      if (o.signal.aborted) return;
      if (e instanceof ClusterError && e.kind === 'aborted') return;
      if (!retryable(e)) {
        o.onTrouble?.((e as Error).message);
        return;
      }
      attempt++;
      const delay = Math.min(maxDelay, 250 * 2 ** Math.min(attempt - 1, 6));
      o.onTrouble?.(`${(e as Error).message}; watching ${info.resource} again in ${+(delay / 1000).toFixed(2)} s`);
      needList = true;
      await sleep(delay, o.signal);
    }
  }
}

/** Watches Certificates, Issuers and ClusterIssuers until the signal aborts. */
export async function watchCluster(reader: ClusterReader, options: ClusterWatchOptions): Promise<void> {
  await Promise.all([KNOWN.certificate, KNOWN.issuer, KNOWN.clusterIssuer].map((k) => watchKind(reader, k, options)));
}
