/**
 * When cert-manager renews a certificate. Facts from cert-manager's
 * pkg/util/pki (RenewalTime and RenewBefore):
 *  - the lifetime is notAfter - notBefore;
 *  - spec.renewBefore wins when it is positive and shorter than the lifetime;
 *  - else spec.renewBeforePercentage when it is strictly between 0 and 100
 *    (renew that share of the lifetime before expiry);
 *  - else the default: one third of the lifetime before expiry, i.e. 2/3 of
 *    the way through it;
 *  - the result is truncated to whole seconds (it is stored in the
 *    Certificate's status.renewalTime, which has second precision).
 * Durations are computed in nanoseconds, with integer division, as Go does.
 */
export interface RenewalPolicy {
  /** spec.renewBefore, in milliseconds. */
  renewBeforeMs?: number;
  /** spec.renewBeforePercentage. */
  renewBeforePercentage?: number;
}

export interface Renewal {
  renewalTime: Date;
  /** How the time was chosen, for a message. */
  rule: 'renewBefore' | 'renewBeforePercentage' | 'default';
}

const NS_PER_MS = 1_000_000n;

export function renewalTime(notBefore: Date, notAfter: Date, policy: RenewalPolicy = {}): Renewal {
  const nb = BigInt(notBefore.getTime()) * NS_PER_MS;
  const na = BigInt(notAfter.getTime()) * NS_PER_MS;
  const lifetime = na - nb;
  let before: bigint;
  let rule: Renewal['rule'];
  const rb = policy.renewBeforeMs !== undefined ? BigInt(Math.round(policy.renewBeforeMs)) * NS_PER_MS : undefined;
  const pct = policy.renewBeforePercentage;
  if (rb !== undefined && rb > 0n && rb < lifetime) {
    before = rb;
    rule = 'renewBefore';
  } else if (pct !== undefined && Number.isInteger(pct) && pct > 0 && pct < 100) {
    before = (lifetime * BigInt(pct)) / 100n;
    rule = 'renewBeforePercentage';
  } else {
    before = lifetime / 3n;
    rule = 'default';
  }
  const t = na - before;
  // Truncate toward the start of the second (Go's Time.Truncate on a time after year 1).
  const secondNs = 1_000_000_000n;
  const floored = t - (((t % secondNs) + secondNs) % secondNs);
  return { renewalTime: new Date(Number(floored / NS_PER_MS)), rule };
}
