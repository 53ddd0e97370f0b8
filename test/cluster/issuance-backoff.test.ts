/**
 * The next issuance attempt after failures, as cert-manager v1.21's
 * certificates-trigger controller computes it (shouldBackoffReissuingOnFailure):
 * minimum × 2^(attempts − 1), capped at the maximum, the maximum when the
 * product overflows, the minimum without an attempt count or with one ≤ 0.
 * The controller-driven case is in explain.test.ts; these are the edges the
 * controller reaches only after hours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, DEFAULT_MAXIMUM_BACKOFF_MS, DEFAULT_MINIMUM_BACKOFF_MS, formatWait, issuanceBackoff } from '../../engine/cluster/explain/issuance-backoff.js';
import { acmeProblemIn } from '../../engine/cluster/explain/acme-problem.js';
import { dnsUpdateAnswer } from '../../engine/cluster/explain/diagnose.js';

const H = 3_600_000;
const defaults = { minimumMs: DEFAULT_MINIMUM_BACKOFF_MS, maximumMs: DEFAULT_MAXIMUM_BACKOFF_MS };

test('with the defaults (1 h, 32 h): 1 h, 2 h, 4 h ... 32 h, then 32 h for ever (also past 2^63)', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, defaults) / H), [1, 2, 4, 8, 16, 32, 32, 32]);
  assert.equal(backoffDelayMs(70, defaults), 32 * H);
  assert.equal(backoffDelayMs(5000, defaults), 32 * H, 'an overflowing product is the maximum');
});

test('in Go\'s time.Duration arithmetic: a product past int64 wraps around, as in cert-manager (values from the same Go expression, go1.26)', () => {
  const wide = { minimumMs: 5000, maximumMs: 1_000_000 * H };
  assert.equal(backoffDelayMs(30, wide), 2_684_354_560_000);
  assert.equal(backoffDelayMs(31, wide), 3_600_000_000_000, 'wrapped below the minimum: the maximum');
  assert.equal(backoffDelayMs(33, wide), 3_028_092_406_290, 'wrapped into range: that value');
  assert.equal(backoffDelayMs(40, wide), 214_202_457_276);
});

test('no attempt count (an older cert-manager), or a count ≤ 0 (a hand edit): the minimum', () => {
  assert.equal(backoffDelayMs(undefined, defaults), H);
  assert.equal(backoffDelayMs(0, defaults), H);
  assert.equal(backoffDelayMs(-3, defaults), H);
  assert.equal(backoffDelayMs(3, { minimumMs: 0, maximumMs: H }), 0, 'a minimum of 0 turns the backoff off');
});

test('the next attempt is lastFailureTime + delay; waiting until then, due after', () => {
  const status = { lastFailureTime: '2026-12-06T10:00:00Z', failedIssuanceAttempts: 3 };
  const b = issuanceBackoff(status, defaults, new Date('2026-12-06T11:30:00Z'))!;
  assert.equal(b.delayMs, 4 * H);
  assert.equal(b.nextAttemptAt, '2026-12-06T14:00:00Z');
  assert.equal(b.waiting, true);
  assert.equal(formatWait(b.remainingMs), '2h30m');
  const due = issuanceBackoff(status, defaults, new Date('2026-12-06T15:00:00Z'))!;
  assert.equal(due.waiting, false);
  assert.equal(due.remainingMs, 0);
  assert.equal(issuanceBackoff({}, defaults, new Date()), undefined);
});

test('the nameserver\'s answer in cert-manager\'s rfc2136 errors, and ACME problem documents in its messages', () => {
  assert.equal(dnsUpdateAnswer('DNS update failed: dns: bad authentication')?.answer, 'NOTAUTH');
  assert.equal(dnsUpdateAnswer('DNS update failed. Server replied: REFUSED')?.answer, 'REFUSED');
  assert.equal(dnsUpdateAnswer('DNS update failed: read udp: i/o timeout'), undefined);
  assert.deepEqual(acmeProblemIn('Failed to create Order: 400 urn:ietf:params:acme:error:rejectedIdentifier: Order included an identifier for which issuance is forbidden by policy: x.test'), {
    status: 400,
    type: 'urn:ietf:params:acme:error:rejectedIdentifier',
    detail: 'Order included an identifier for which issuance is forbidden by policy: x.test',
    verbatim: '400 urn:ietf:params:acme:error:rejectedIdentifier: Order included an identifier for which issuance is forbidden by policy: x.test',
  });
  assert.equal(acmeProblemIn('Get "https://127.0.0.1:9/dir": connection refused'), undefined);
});
