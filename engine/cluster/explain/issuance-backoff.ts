/**
 * When cert-manager tries a failed issuance again, computed as its
 * certificates-trigger controller computes it (v1.21,
 * shouldBackoffReissuingOnFailure): after `failedIssuanceAttempts` failures
 * the delay is minimum × 2^(attempts − 1) in Go's int64 nanoseconds (a
 * product past 2^63 wraps around as it does there), the maximum when that is
 * below the minimum or above the maximum, at least the minimum; with no attempt
 * count (an older cert-manager wrote only lastFailureTime) or a count ≤ 0, the
 * minimum. The next attempt is lastFailureTime + delay. The bounds are the
 * controller's --certificate-request-minimum-backoff-duration (default 1 h)
 * and --certificate-request-maximum-backoff-duration (default 32 h); they are
 * not visible in the cluster, so the caller passes what the controller runs
 * with.
 *
 * cert-manager skips the wait when the Certificate's spec no longer matches
 * its failed CertificateRequest (a changed spec is tried at once); a manual
 * renewal (Issuing=True, as `certsmith renew` and cmctl write it) skips it too.
 */

export const DEFAULT_MINIMUM_BACKOFF_MS = 60 * 60_000;
export const DEFAULT_MAXIMUM_BACKOFF_MS = 32 * 60 * 60_000;

export interface BackoffBounds {
  minimumMs: number;
  maximumMs: number;
}

export interface IssuanceBackoff {
  lastFailureTime: string;
  failedIssuanceAttempts?: number;
  /** The wait after the last failure. */
  delayMs: number;
  /** lastFailureTime + delay (RFC 3339). */
  nextAttemptAt: string;
  /** The next attempt is still ahead at `now`. */
  waiting: boolean;
  /** Milliseconds from `now` to the next attempt (0 when due). */
  remainingMs: number;
  bounds: BackoffBounds;
}

const NS_PER_MS = 1_000_000n;
const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;

/** Go's int64 arithmetic: two's complement wrap-around. */
function int64(x: bigint): bigint {
  const m = ((x % TWO_64) + TWO_64) % TWO_64;
  return m >= TWO_63 ? m - TWO_64 : m;
}

/**
 * The delay after `attempts` failures (cert-manager's formula, in
 * milliseconds), in Go's time.Duration arithmetic: nanoseconds in an int64,
 * the power of two converted from float64 (out of range: math.MinInt64, as
 * on amd64), the product wrapping around; a result below the minimum or
 * above the maximum is the maximum.
 */
export function backoffDelayMs(attempts: number | undefined, bounds: BackoffBounds): number {
  const min = BigInt(Math.round(bounds.minimumMs)) * NS_PER_MS;
  const max = BigInt(Math.round(bounds.maximumMs)) * NS_PER_MS;
  if (min <= 0n) return 0; // cert-manager: no backoff at all
  let delay = min;
  if (attempts !== undefined && attempts > 0) {
    const power = attempts - 1 >= 63 ? -TWO_63 : 1n << BigInt(attempts - 1);
    const computed = int64(min * power);
    delay = computed < min || computed > max ? max : computed;
  }
  if (delay < min) delay = min;
  return Number(delay / NS_PER_MS);
}

/** The backoff a Certificate is in, or undefined when it has no lastFailureTime. */
export function issuanceBackoff(status: { lastFailureTime?: string; failedIssuanceAttempts?: number }, bounds: BackoffBounds, now: Date): IssuanceBackoff | undefined {
  const last = status.lastFailureTime ? Date.parse(status.lastFailureTime) : NaN;
  if (Number.isNaN(last)) return undefined;
  const delayMs = backoffDelayMs(status.failedIssuanceAttempts, bounds);
  const next = last + delayMs;
  const remainingMs = Math.max(0, next - now.getTime());
  return {
    lastFailureTime: status.lastFailureTime!,
    ...(status.failedIssuanceAttempts !== undefined ? { failedIssuanceAttempts: status.failedIssuanceAttempts } : {}),
    delayMs,
    nextAttemptAt: new Date(next).toISOString().replace(/\.000Z$/, 'Z'),
    waiting: remainingMs > 0,
    remainingMs,
    bounds,
  };
}

/** "1h", "2h30m", "45s", "1.5s": a duration as a person reads it. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const totalMinutes = Math.round(ms / 60_000);
  const d = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].join('') || '0m';
}
