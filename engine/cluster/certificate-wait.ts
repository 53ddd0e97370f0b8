/**
 * Follows one Certificate with a watch (not polling) until it is Ready for
 * its current spec, its issuance fails, it is deleted, or the time is up.
 *
 *   ready    Ready=True (observedGeneration ≥ generation) and not Issuing
 *   failed   Issuing=False: cert-manager's issuing controller sets it, with
 *            status.lastFailureTime, when an issuance fails (it removes the
 *            condition after a success)
 *
 * A watch that drops (the API server restarts, a proxy cuts it, the server's
 * own timeout) is resumed: after a network failure the Certificate is read
 * again (re-list) and watched from that resourceVersion; after "410 Gone" (the
 * resourceVersion is too old) likewise; after a clean end, from the last
 * resourceVersion seen. Retries back off up to 5 s and stop at the deadline.
 * Each change and each reconnection is reported through onEvent, for the CLI's
 * and the extension's progress.
 */
import { ClusterError } from './cluster-error.js';
import type { ClusterReader, KubeJson } from './cluster-reader.js';
import { conditionOf, conditionsOf, isIssuing, isReady, type ConditionSummary } from './certificate-status.js';
import { KNOWN } from './resource-path.js';
import { retryable, sleep, watchOnce } from './resource-watch.js';

type WaitOutcome = 'ready' | 'failed' | 'deleted' | 'timeout';

export type WaitEvent =
  | { type: 'observed'; resourceVersion?: string; ready: boolean; issuing: boolean; conditions: ConditionSummary[] }
  | { type: 'disconnected'; message: string; attempt: number; retryInMs: number }
  | { type: 'reconnected'; resourceVersion?: string };

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onEvent?: (e: WaitEvent) => void;
  /** Longest pause between reconnection attempts (default 5 s). */
  maxRetryDelayMs?: number;
}

export interface WaitResult {
  outcome: WaitOutcome;
  /** The last state seen. */
  certificate?: KubeJson;
  message: string;
  /** Watches opened (1 when nothing dropped). */
  watches: number;
  reconnections: number;
}

/** The verdict on a Certificate: ready, failed, or undefined (still waiting). */
function verdict(crt: KubeJson): { outcome: 'ready' | 'failed'; message: string } | undefined {
  const issuing = conditionOf(crt, 'Issuing');
  if (issuing?.status === 'False') {
    return { outcome: 'failed', message: `issuance failed${issuing.reason ? ` (${issuing.reason})` : ''}: ${issuing.message ?? 'no message'}` };
  }
  if (isReady(crt) && !isIssuing(crt)) {
    const ready = conditionOf(crt, 'Ready');
    return { outcome: 'ready', message: ready?.message ?? 'Certificate is up to date and has not expired' };
  }
  return undefined;
}


export async function waitForCertificate(reader: ClusterReader, namespace: string, name: string, options: WaitOptions): Promise<WaitResult> {
  const info = await reader.resource(KNOWN.certificate.apiVersion, KNOWN.certificate.kind);
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const deadline = setTimeout(() => stop.abort(), options.timeoutMs);
  const maxDelay = options.maxRetryDelayMs ?? 5000;
  let last: KubeJson | undefined;
  let watches = 0;
  let reconnections = 0;
  let attempt = 0;

  const observe = (crt: KubeJson) => {
    last = crt;
    options.onEvent?.({ type: 'observed', resourceVersion: crt.metadata?.resourceVersion, ready: isReady(crt), issuing: isIssuing(crt), conditions: conditionsOf(crt) });
    return verdict(crt);
  };
  const finish = (outcome: WaitOutcome, message: string): WaitResult => ({ outcome, certificate: last, message, watches, reconnections });

  try {
    // The first read: a Certificate that does not exist is an error, not a wait.
    const first = await reader.mustGet(info, namespace, name, stop.signal);
    let v = observe(first);
    if (v) return finish(v.outcome, v.message);
    let resourceVersion: string | undefined = first.metadata?.resourceVersion;
    let needRelist = false;

    while (!stop.signal.aborted) {
      try {
        if (needRelist) {
          const again = await reader.get(info, namespace, name, stop.signal);
          if (!again) return finish('deleted', `Certificate ${namespace}/${name} was deleted`);
          reconnections++;
          options.onEvent?.({ type: 'reconnected', resourceVersion: again.metadata?.resourceVersion });
          attempt = 0;
          v = observe(again);
          if (v) return finish(v.outcome, v.message);
          resourceVersion = again.metadata?.resourceVersion;
          needRelist = false;
        }
        watches++;
        let seen: { outcome: 'ready' | 'failed'; message: string } | 'deleted' | undefined;
        const end = await watchOnce(reader, info, { namespace, fieldSelector: `metadata.name=${name}`, resourceVersion, what: `to watch certificate ${namespace}/${name}` }, stop.signal, (type, crt) => {
          if (type === 'DELETED') seen = 'deleted';
          else seen = observe(crt);
          return seen !== undefined;
        });
        if (seen === 'deleted') return finish('deleted', `Certificate ${namespace}/${name} was deleted`);
        if (seen) return finish(seen.outcome, seen.message);
        if (end.kind === 'gone') needRelist = true;
        // 'ended': the server closed the watch on time; resume from the last resourceVersion (a bookmark's, or the last object's).
        if (end.kind === 'ended' && end.resourceVersion) resourceVersion = end.resourceVersion;
        attempt = 0;
      } catch (e) {
        if (stop.signal.aborted) break;
        if (!retryable(e)) throw e;
        attempt++;
        const retryInMs = Math.min(maxDelay, 250 * 2 ** Math.min(attempt - 1, 5));
        options.onEvent?.({ type: 'disconnected', message: (e as Error).message, attempt, retryInMs });
        needRelist = true;
        await sleep(retryInMs, stop.signal);
      }
    }
    if (options.signal?.aborted) throw new ClusterError('aborted', 'cancelled');
    const seconds = +(options.timeoutMs / 1000).toFixed(1);
    const state = last ? describeState(last) : 'not seen';
    return finish('timeout', `Certificate ${namespace}/${name} is not ready after ${seconds} s: ${state}`);
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'aborted' && !options.signal?.aborted) {
      const seconds = +(options.timeoutMs / 1000).toFixed(1);
      return finish('timeout', `Certificate ${namespace}/${name} is not ready after ${seconds} s: ${last ? describeState(last) : 'not seen'}`);
    }
    throw e;
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** "Ready=False (DoesNotExist: Issuing certificate as Secret does not exist), Issuing=True (...)" */
export function describeState(crt: KubeJson): string {
  const cs = conditionsOf(crt).filter((c) => c.type === 'Ready' || c.type === 'Issuing');
  if (!cs.length) return 'no conditions yet (is cert-manager running?)';
  return cs.map((c) => `${c.type}=${c.status}${c.reason || c.message ? ` (${[c.reason, c.message].filter(Boolean).join(': ')})` : ''}`).join(', ');
}
