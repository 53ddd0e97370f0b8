/**
 * One Kubernetes watch request (GET ...?watch=1): events are handed to the
 * caller line by line until it says stop, the server ends the watch (its
 * timeoutSeconds), the resourceVersion is too old (410 Gone, or an ERROR
 * event), or the connection fails (the promise rejects with a ClusterError).
 * Bookmarks are asked for, so that a resumed watch starts from a recent
 * resourceVersion. The loops around it (re-list, back off, resume) belong to
 * the callers: certificate-wait.ts follows one Certificate, cluster-watch.ts
 * the Cluster view's kinds.
 */
import type { ClusterReader, KubeJson } from './cluster-reader.js';
import type { ResourceInfo } from './discovery.js';
import { resourcePath } from './resource-path.js';
import { ClusterError } from './cluster-error.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type WatchEnd =
  /** The caller's onEvent returned true. */
  | { kind: 'stopped' }
  /** The resourceVersion is too old: list again and watch from there. */
  | { kind: 'gone' }
  /** The server ended the watch; resume from this resourceVersion (a bookmark's or the last object's). */
  | { kind: 'ended'; resourceVersion?: string };

export interface WatchRequest {
  /** Namespace of a namespaced kind; undefined: all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** For messages: "to watch certificate default/web". */
  what: string;
  /** The server's own time limit for the watch (default 300 s). */
  timeoutSeconds?: number;
}

export async function watchOnce(
  reader: ClusterReader,
  info: ResourceInfo,
  request: WatchRequest,
  signal: AbortSignal,
  onEvent: (type: WatchEventType, object: KubeJson) => boolean | void,
): Promise<WatchEnd> {
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let result: WatchEnd | undefined;
  let resourceVersion = request.resourceVersion;
  try {
    const r = await reader.conn.stream(resourcePath(info, request.namespace), {
      query: { watch: '1', fieldSelector: request.fieldSelector, resourceVersion: request.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(request.timeoutSeconds ?? 300) },
      signal: local.signal,
      what: request.what,
      onLine: (line) => {
        if (result) return;
        let ev: { type?: string; object?: KubeJson };
        try {
          ev = JSON.parse(line);
        } catch {
          return;
        }
        if (ev.type === 'ERROR') {
          // 410 Gone (resourceVersion too old) or another watch error: the caller reads again.
          result = { kind: 'gone' };
        } else if (ev.type === 'BOOKMARK') {
          resourceVersion = ev.object?.metadata?.resourceVersion ?? resourceVersion;
          return;
        } else if (ev.object && (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED')) {
          resourceVersion = ev.object.metadata?.resourceVersion ?? resourceVersion;
          if (onEvent(ev.type, ev.object) === true) result = { kind: 'stopped' };
        }
        if (result) local.abort();
      },
    });
    if (r.status === 410) return { kind: 'gone' };
    if (r.status !== 200) throw reader.refusal(r, 'watch', info, request.namespace);
  } catch (e) {
    if (result) return result;
    throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return result ?? { kind: 'ended', resourceVersion };
}

/** Waits ms, or less when the signal aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Network-level trouble worth retrying (not 401, 403, not-found, a bad kubeconfig). */
export function retryable(e: unknown): boolean {
  return e instanceof ClusterError && (e.kind === 'unreachable' || e.kind === 'timeout' || e.kind === 'server');
}
