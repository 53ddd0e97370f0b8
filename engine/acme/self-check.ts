/**
 * The check cert-manager does before it asks the CA to validate a challenge
 * (its "self check"), so that a record or token that is not yet visible does
 * not turn into a failed authorization:
 *  - DNS-01: every value of the record is at the zone's authoritative
 *    nameservers and at the configured recursive nameservers (engine/dns,
 *    the same module as `certsmith dns check`), waiting with backoff until a
 *    deadline, CNAMEs followed;
 *  - HTTP-01: the token is served at http://<name>/.well-known/acme-challenge/
 *    <token>, where <name> is resolved through the configured recursive
 *    nameservers (never the system resolver) and the port is the responder's.
 */
import http from 'node:http';
import { isIP } from 'node:net';
import { lookupAddresses, type ResolverAddresses } from '../dns/address-lookup.js';
import { formatDuration, formatTtl } from '../dns/durations.js';
import { waitForPropagation, PropagationCheckError, type PropagationReport, type WaitProgress } from '../dns/propagation.js';
import { explainResult } from '../dns/explain.js';
import type { NameserverAddress } from '../dns/nameserver-address.js';
import { CancelledError, UserError } from '../core/errors.js';
import { sleep } from './acme-transport.js';

export interface DnsSelfCheckOptions {
  recursiveNameservers: NameserverAddress[];
  recursiveOnly: boolean;
  /** Port of the authoritative nameservers (NS records carry none; default 53). */
  authoritativePort?: number;
  deadlineMs: number;
  signal?: AbortSignal;
  onProgress?: (p: WaitProgress) => void;
  /** End before the deadline when the check cannot pass (off while a person creates the records by hand). */
  endEarly?: boolean;
}

/**
 * The DNS-01 check cannot pass: the record is at every authoritative
 * nameserver, yet a recursive nameserver has said "no such record" for longer
 * than its negative-caching TTL, so it asked again and still does not see it;
 * the check needs every nameserver. Tracked across checks in `since`.
 */
function recursiveBlind(report: PropagationReport, since: Map<string, { at: number; ttl: number }>, now: number): UserError | undefined {
  const auth = report.nameservers.filter((n) => n.role === 'authoritative');
  const rec = report.nameservers.filter((n) => n.role === 'recursive');
  for (const n of rec) {
    if ((n.rcode === 'NXDOMAIN' || n.rcode === 'NODATA') && n.ttl !== null) {
      if (!since.has(n.server)) since.set(n.server, { at: now, ttl: n.ttl });
    } else since.delete(n.server);
  }
  if (!auth.length || !auth.every((n) => n.matched)) return undefined;
  const blind = rec.filter((n) => {
    const f = since.get(n.server);
    return f !== undefined && now - f.at > f.ttl * 1000 + NEGATIVE_GRACE_MS;
  });
  if (!blind.length) return undefined;
  const firsts = blind.map((n) => since.get(n.server)!);
  const one = blind.length === 1;
  return new UserError(
    `the DNS-01 self check for ${report.name} cannot pass: every authoritative nameserver holds the record, but ${blind.map((n) => `${n.server} (${n.rcode})`).join(', ')} still ${one ? 'does' : 'do'} not see it after ${formatDuration(now - Math.max(...firsts.map((f) => f.at)))}, longer than the negative-caching TTL (${formatTtl(Math.max(...firsts.map((f) => f.ttl)))}): ${one ? 'this resolver does' : 'these resolvers do'} not reach the zone's authoritative servers (split-horizon DNS, or a private zone of the same name)`,
    'point --recursive-nameservers at resolvers that see the public zone, as the CA does',
  );
}

export async function dnsSelfCheck(recordName: string, values: string[], o: DnsSelfCheckOptions): Promise<PropagationReport> {
  let report: PropagationReport;
  const blindSince = new Map<string, { at: number; ttl: number }>();
  try {
    report = await waitForPropagation({
      name: recordName,
      expected: values,
      recursiveNameservers: o.recursiveNameservers,
      recursiveOnly: o.recursiveOnly,
      authoritativePort: o.authoritativePort,
      deadlineMs: o.deadlineMs,
      signal: o.signal,
      initialIntervalMs: 200,
      maxIntervalMs: 5000,
      timeoutMs: 2000,
      attempts: 2,
      onProgress: o.onProgress,
      hopeless: o.endEarly ? (r) => recursiveBlind(r, blindSince, Date.now()) : undefined,
    });
  } catch (e) {
    if (o.signal?.aborted) throw new CancelledError();
    if (e instanceof UserError) throw e;
    if (e instanceof PropagationCheckError) throw new UserError(`the DNS-01 self check for ${recordName} could not be done: ${e.message}`, 'check --recursive-nameservers');
    throw e;
  }
  if (!report.propagated) {
    const lagging = report.nameservers.filter((n) => !n.matched).map((n) => `${n.server} (${n.role}): ${explainResult(n, report.expected).reason}`);
    throw new UserError(
      `the TXT record ${recordName} did not propagate within ${Math.round(o.deadlineMs / 1000)} s; not there yet at ${lagging.join('; ')}`,
      'run `certsmith dns check` to watch it, or allow more time with --timeout',
    );
  }
  return report;
}

export interface HttpSelfCheckOptions {
  recursiveNameservers: NameserverAddress[];
  port: number;
  deadlineMs: number;
  signal?: AbortSignal;
  onWait?: (message: string) => void;
}

function fetchToken(address: string, port: number, host: string, token: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: address, port, path: `/.well-known/acme-challenge/${token}`, method: 'GET', headers: { Host: host }, timeout: 3000, signal },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 8192) body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 3 s')));
    req.on('error', reject);
    req.end();
  });
}

/** How much longer than a negative answer's TTL it must persist before it counts as the resolvers' fresh answer. */
const NEGATIVE_GRACE_MS = 1000;

function describeAnswers(answers: ResolverAddresses[]): string {
  return answers.map((a) => `${a.server} (${a.rcode === 'TIMEOUT' || a.rcode === 'ERROR' ? a.error : a.rcode}${a.negativeTtl !== null ? `, cached up to ${formatTtl(a.negativeTtl)}` : ''})`).join(', ');
}

const HTTP01_HINT = 'make sure the name points at this machine and that port 80 reaches --http01-listen';

/**
 * A self check that cannot pass without a change: every resolver says the name
 * has no address (NXDOMAIN or NODATA), and either has said so for longer than
 * its negative-caching TTL (it asked again and the answer stayed), or may keep
 * saying so past the deadline.
 */
function hopeless(name: string, answers: ResolverAddresses[], since: Map<string, { at: number; ttl: number }>, now: number, deadline: number): UserError | undefined {
  if (!answers.length || !answers.every((a) => (a.rcode === 'NXDOMAIN' || a.rcode === 'NODATA') && a.negativeTtl !== null)) return undefined;
  const what = answers.every((a) => a.rcode === 'NXDOMAIN') ? 'does not exist (NXDOMAIN)' : 'has no A or AAAA record';
  const servers = answers.map((a) => a.server).join(', ');
  const hint = `create an A or AAAA record for ${name} that points at this machine, or point --recursive-nameservers at resolvers that see it`;
  const firsts = answers.map((a) => since.get(a.server)!);
  if (firsts.every((f) => now - f.at > f.ttl * 1000 + NEGATIVE_GRACE_MS)) {
    const longest = Math.max(...firsts.map((f) => f.ttl));
    return new UserError(`the HTTP-01 self check for ${name} cannot pass: ${name} ${what} at ${servers}, for ${formatDuration(now - Math.max(...firsts.map((f) => f.at)))} now, longer than the zone's negative-caching TTL (${formatTtl(longest)}), so the answer is fresh and will not change by itself`, hint);
  }
  const shortest = Math.min(...answers.map((a) => a.negativeTtl!));
  if (now + shortest * 1000 > deadline) {
    return new UserError(`the HTTP-01 self check for ${name} cannot pass in time: ${name} ${what} at ${servers}, and they may keep that answer for ${formatTtl(shortest)} (negative caching), longer than the ${formatDuration(deadline - now)} left`, hint);
  }
  return undefined;
}

export async function httpSelfCheck(name: string, token: string, keyAuthorization: string, o: HttpSelfCheckOptions): Promise<void> {
  const deadline = Date.now() + o.deadlineMs;
  /** Per resolver: when it first answered "no address", and that answer's TTL. */
  const negativeSince = new Map<string, { at: number; ttl: number }>();
  let lastProblem = '';
  let interval = 200;
  for (;;) {
    if (o.signal?.aborted) throw new CancelledError();
    try {
      // An IP address identifier (RFC 8738) is fetched from that address itself.
      let addresses: string[];
      if (isIP(name)) addresses = [name];
      else {
        const answers = await lookupAddresses(name, o.recursiveNameservers, { timeoutMs: 2000, attempts: 2, signal: o.signal });
        addresses = [...new Set(answers.flatMap((a) => a.addresses))];
        const now = Date.now();
        for (const a of answers) {
          if ((a.rcode === 'NXDOMAIN' || a.rcode === 'NODATA') && a.negativeTtl !== null) {
            if (!negativeSince.has(a.server)) negativeSince.set(a.server, { at: now, ttl: a.negativeTtl });
          } else negativeSince.delete(a.server);
        }
        if (!addresses.length) {
          lastProblem = `${name} has no A/AAAA record at ${describeAnswers(answers)}`;
          const end = hopeless(name, answers, negativeSince, now, deadline);
          if (end) throw end;
        }
      }
      if (addresses.length) {
        const problems: string[] = [];
        for (const a of addresses) {
          try {
            const r = await fetchToken(a, o.port, name, token, o.signal);
            if (r.status === 200 && r.body.trim() === keyAuthorization) return;
            problems.push(`${a}:${o.port} answered ${r.status}${r.status === 200 ? ' with another value' : ''}`);
          } catch (e) {
            problems.push(`${a}:${o.port}: ${(e as Error).message}`);
          }
        }
        lastProblem = problems.join('; ');
      }
    } catch (e) {
      if (o.signal?.aborted) throw new CancelledError();
      if (e instanceof UserError) throw e;
      lastProblem = (e as Error).message;
    }
    const left = deadline - Date.now();
    if (left < interval) throw new UserError(`the HTTP-01 self check for ${name} failed: ${lastProblem}`, HTTP01_HINT);
    o.onWait?.(`HTTP-01 self check for ${name}: ${lastProblem}; trying again in ${formatDuration(interval)}, ${formatDuration(left)} left`);
    await sleep(interval, o.signal);
    interval = Math.min(5000, Math.round(interval * 1.5));
  }
}
