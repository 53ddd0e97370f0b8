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
import { Resolver } from '../dns/resolver.js';
import { waitForPropagation, PropagationCheckError, type PropagationReport, type WaitProgress } from '../dns/propagation.js';
import { explainResult } from '../dns/explain.js';
import type { NameserverAddress } from '../dns/nameserver-address.js';
import { IssueCancelledError, IssueError } from '../issue/issue-error.js';
import { sleep } from './acme-transport.js';

export interface DnsSelfCheckOptions {
  recursiveNameservers: NameserverAddress[];
  recursiveOnly: boolean;
  /** Port of the authoritative nameservers (NS records carry none; default 53). */
  authoritativePort?: number;
  deadlineMs: number;
  signal?: AbortSignal;
  onProgress?: (p: WaitProgress) => void;
}

export async function dnsSelfCheck(recordName: string, values: string[], o: DnsSelfCheckOptions): Promise<PropagationReport> {
  let report: PropagationReport;
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
    });
  } catch (e) {
    if (o.signal?.aborted) throw new IssueCancelledError();
    if (e instanceof PropagationCheckError) throw new IssueError(`the DNS-01 self check for ${recordName} could not be done: ${e.message}`, 'check --dns01-recursive-nameservers');
    throw e;
  }
  if (!report.propagated) {
    const lagging = report.nameservers.filter((n) => !n.matched).map((n) => `${n.server} (${n.role}): ${explainResult(n, report.expected).reason}`);
    throw new IssueError(
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

/** Resolves `name` (A, then AAAA) through the configured resolvers. */
async function addressesOf(name: string, resolver: Resolver): Promise<string[]> {
  const out: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const r = await resolver.lookup(name, type);
    for (const a of r.answers) if (a.type === type) out.push(a.value);
  }
  return out;
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

export async function httpSelfCheck(name: string, token: string, keyAuthorization: string, o: HttpSelfCheckOptions): Promise<void> {
  const deadline = Date.now() + o.deadlineMs;
  let lastProblem = '';
  let interval = 200;
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) throw new IssueCancelledError();
    try {
      // An IP address identifier (RFC 8738) is fetched from that address itself.
      const addresses = isIP(name) ? [name] : await addressesOf(name, new Resolver({ nameservers: o.recursiveNameservers, timeoutMs: 2000, attempts: 2, signal: o.signal }));
      if (addresses.length === 0) {
        lastProblem = `${name} has no A or AAAA record at the recursive nameservers`;
      } else {
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
      if (o.signal?.aborted) throw new IssueCancelledError();
      lastProblem = (e as Error).message;
    }
    if (Date.now() + interval > deadline) {
      throw new IssueError(`the HTTP-01 self check for ${name} failed: ${lastProblem}`, 'make sure the name points at this machine and that port 80 reaches --http01-listen');
    }
    o.onWait?.(`HTTP-01 self check for ${name}: ${lastProblem}; trying again`);
    await sleep(interval, o.signal);
    interval = Math.min(5000, Math.round(interval * 1.5));
  }
}
