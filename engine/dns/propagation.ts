/**
 * The DNS-01 propagation check: what every authoritative nameserver of the
 * record's zone and every configured recursive nameserver answers for a TXT
 * record, whether that is what the ACME server will need, and how long a stale
 * answer may live on.
 *
 * Mirrors cert-manager's self-check (pkg/issuer/acme/dns/util/wait.go):
 * - the CNAME chain is followed first (cnameStrategy Follow); the record that
 *   counts is the one at the end of the chain;
 * - recursiveOnly (dns01RecursiveNameserversOnly): only the recursive
 *   nameservers are asked; otherwise the zone of the record is found (SOA walk)
 *   and all its authoritative nameservers are asked directly, recursion off,
 *   with the AA flag checked — and, unlike cert-manager, the recursive
 *   nameservers are asked as well, because they show what a cache still holds;
 * - a value counts when the strings of one TXT record, joined, equal it.
 *
 * Propagated = every nameserver in the report holds every expected value
 * (without expected values: holds some TXT value).
 *
 * `waitForPropagation` polls with backoff (sooner when a stale cached answer
 * is about to expire) until propagated, the deadline or an abort.
 */
import { performance } from 'node:perf_hooks';
import { DNS_PORT, dnsServer, formatNameserver, type NameserverAddress } from './nameserver-address.js';
import { DnsQueryError, queryDns, type DnsRecord, type DnsResponse, type Transport } from './dns-client.js';
import { sameName } from './dns-name.js';
import { Resolver } from './resolver.js';
import { findAuthoritativeNameservers, findZone, type AuthoritativeNameserver } from './zone-finder.js';
import { followCnames } from './cname.js';

type NameserverRole = 'authoritative' | 'recursive';

/**
 * What one nameserver answered. `rcode` is the response code, with three
 * additions: NODATA (NOERROR, but no TXT record at the name), TIMEOUT (no
 * answer) and ERROR (no usable answer: connection refused, malformed, HTTP error).
 */
export interface NameserverResult {
  /** host:port (IPv6 as [addr]:port) or the DoH URL. */
  server: string;
  role: NameserverRole;
  /** For authoritative servers: the NS host name; null for recursive ones. */
  nameserver: string | null;
  /** TXT values found at the end of the CNAME chain (each record's strings joined). */
  values: string[];
  matched: boolean;
  /**
   * Seconds: for values, the lowest TTL of the TXT records (from a resolver: how
   * long it may keep serving them); for NXDOMAIN / NODATA, the negative-caching
   * TTL from the SOA (how long a resolver may keep saying "no such record"); null otherwise.
   */
  ttl: number | null;
  rcode: string;
  error: string | null;
  elapsedMs: number;
  /** udp, tcp (truncated over UDP, or UDP unanswered) or https; null without an answer. */
  transport: Transport | null;
  /** The AA flag of the answer; null without an answer. */
  authoritativeAnswer: boolean | null;
}

export interface PropagationReport {
  /** The record checked, e.g. _acme-challenge.example.com. */
  name: string;
  propagated: boolean;
  /** The zone holding the end of the CNAME chain ("" when unknown in recursive-only mode). */
  zone: string;
  /** CNAME targets followed from `name`, in order (empty: no CNAME). */
  cname: string[];
  expected: string[];
  nameservers: NameserverResult[];
  elapsedMs: number;
  /** When the check finished (ISO 8601). */
  checkedAt: string;
}

export interface PropagationOptions {
  /** The TXT record name (see challengeRecordName). */
  name: string;
  /** Values that must all be present (other values may be there too). Empty: any TXT value. */
  expected?: string[];
  recursiveNameservers: NameserverAddress[];
  /** Ask only the recursive nameservers (cert-manager's dns01RecursiveNameserversOnly). */
  recursiveOnly: boolean;
  /** Per-attempt timeout of each query (default 2000 ms). */
  timeoutMs?: number;
  /** UDP attempts per query (default 3). */
  attempts?: number;
  /** Port of the authoritative nameservers (default 53; NS records carry no port). */
  authoritativePort?: number;
  signal?: AbortSignal;
}

/** The check could not be done at all: no resolver answered, no zone, no nameservers, a CNAME loop. */
export class PropagationCheckError extends Error {}

export async function checkPropagation(options: PropagationOptions): Promise<PropagationReport> {
  const started = performance.now();
  const expected = [...new Set(options.expected ?? [])];
  if (options.recursiveNameservers.length === 0) throw new PropagationCheckError('no recursive nameservers configured');
  const resolver = new Resolver({
    nameservers: options.recursiveNameservers,
    timeoutMs: options.timeoutMs,
    attempts: options.attempts,
    signal: options.signal,
  });
  const name = options.name.toLowerCase();
  const queryOptions = { timeoutMs: options.timeoutMs, attempts: options.attempts, signal: options.signal };

  let cname: string[];
  let zone = '';
  let authoritative: AuthoritativeNameserver[] = [];
  try {
    cname = await followCnames(name, resolver);
    const target = cname.at(-1) ?? name;
    try {
      zone = await findZone(target, resolver);
      if (!options.recursiveOnly) authoritative = await findAuthoritativeNameservers(zone, resolver);
    } catch (e) {
      if (!options.recursiveOnly || (e instanceof DnsQueryError && e.kind === 'aborted')) throw e;
      zone = ''; // recursive-only: the zone is for information only
    }
  } catch (e) {
    if (e instanceof DnsQueryError && e.kind === 'aborted') throw abortError(options.signal);
    throw new PropagationCheckError((e as Error).message);
  }
  const target = cname.at(-1) ?? name;
  const port = options.authoritativePort ?? DNS_PORT;

  const checks: Promise<NameserverResult>[] = [];
  for (const ns of authoritative) checks.push(checkAuthoritative(ns, port, target, zone, expected, queryOptions));
  for (const server of options.recursiveNameservers) checks.push(checkRecursive(server, name, expected, queryOptions));
  const nameservers = await Promise.all(checks);
  if (options.signal?.aborted) throw abortError(options.signal);

  return {
    name,
    propagated: nameservers.length > 0 && nameservers.every((n) => n.matched),
    zone,
    cname,
    expected,
    nameservers,
    elapsedMs: round(performance.now() - started),
    checkedAt: new Date().toISOString(),
  };
}

interface QueryOpts {
  timeoutMs?: number;
  attempts?: number;
  signal?: AbortSignal;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('the propagation check was cancelled');
  e.name = 'AbortError';
  return e;
}

async function checkAuthoritative(
  ns: AuthoritativeNameserver,
  port: number,
  target: string,
  zone: string,
  expected: string[],
  opts: QueryOpts,
): Promise<NameserverResult> {
  const started = performance.now();
  if (ns.addresses.length === 0) {
    return failure(`${ns.host}:${port}`, 'authoritative', ns.host, 'ERROR', ns.error ?? `${ns.host} has no address`, performance.now() - started);
  }
  // IPv4 first (addresses come A then AAAA); the next address only when one does not answer at all.
  const errors: DnsQueryError[] = [];
  for (const address of ns.addresses) {
    const server = dnsServer(address, port);
    try {
      const response = await queryDns(server, target, 'TXT', { ...opts, recursionDesired: false });
      const result = interpret(response, 'authoritative', ns.host, target, expected, performance.now() - started);
      if (result.error === null && !response.authoritative && (result.rcode === 'NODATA' || result.rcode === 'NXDOMAIN' || result.values.length > 0)) {
        result.matched = false;
        result.error = `not authoritative for ${zone}: the answer lacks the AA flag (lame delegation: ${ns.host} is listed in NS but does not serve the zone)`;
      }
      return result;
    } catch (e) {
      if (!(e instanceof DnsQueryError)) throw e;
      if (e.kind === 'aborted') throw e;
      errors.push(e);
    }
  }
  const first = errors[0]!;
  return failure(
    first.server,
    'authoritative',
    ns.host,
    errors.every((e) => e.kind === 'timeout') ? 'TIMEOUT' : 'ERROR',
    errors.map((e) => e.message).join('; '),
    performance.now() - started,
  );
}

async function checkRecursive(server: NameserverAddress, name: string, expected: string[], opts: QueryOpts): Promise<NameserverResult> {
  const started = performance.now();
  try {
    const response = await queryDns(server, name, 'TXT', { ...opts, recursionDesired: true });
    const result = interpret(response, 'recursive', null, name, expected, performance.now() - started);
    if (result.error === null && !response.recursionAvailable && !response.authoritative && result.rcode !== 'NOERROR') {
      result.error = `${formatNameserver(server)} does not offer recursion (RA flag not set): it is not a recursive nameserver`;
    }
    return result;
  } catch (e) {
    if (!(e instanceof DnsQueryError)) throw e;
    if (e.kind === 'aborted') throw e;
    return failure(formatNameserver(server), 'recursive', null, e.kind === 'timeout' ? 'TIMEOUT' : 'ERROR', e.message, performance.now() - started);
  }
}

function failure(server: string, role: NameserverRole, nameserver: string | null, rcode: string, error: string, elapsedMs: number): NameserverResult {
  return { server, role, nameserver, values: [], matched: false, ttl: null, rcode, error, elapsedMs: round(elapsedMs), transport: null, authoritativeAnswer: null };
}

const RCODE_EXPLANATION: Record<string, string> = {
  SERVFAIL: 'SERVFAIL: the server failed to resolve the name (a resolver could not reach the authoritative servers, or DNSSEC validation failed)',
  REFUSED: 'REFUSED: the server refuses to answer this question (it does not serve this zone, or does not recurse for this client)',
  FORMERR: 'FORMERR: the server could not parse the query',
  NOTIMP: 'NOTIMP: the server does not implement this kind of query',
  NOTAUTH: 'NOTAUTH: the server is not authoritative for the zone',
};

/** Turns one TXT answer into a result: values at the end of the answer's CNAME chain, TTLs, NODATA/NXDOMAIN. */
function interpret(
  response: DnsResponse,
  role: NameserverRole,
  nameserver: string | null,
  name: string,
  expected: string[],
  elapsedMs: number,
): NameserverResult {
  let owner = name;
  for (let hops = 0; hops < 16; hops++) {
    const c = response.answers.find((r) => r.type === 'CNAME' && sameName(r.name, owner));
    if (!c) break;
    owner = c.value;
  }
  const txt = response.answers.filter((r) => r.type === 'TXT' && sameName(r.name, owner));
  const values = [...new Set(txt.map((r) => r.value))];
  let rcode = response.rcode;
  let ttl: number | null = null;
  let error: string | null = null;
  if (rcode === 'NOERROR' && txt.length === 0) rcode = 'NODATA';
  if (txt.length > 0) ttl = Math.min(...txt.map((r) => r.ttl));
  else if (rcode === 'NODATA' || rcode === 'NXDOMAIN') ttl = negativeTtl(response.authorities);
  if (rcode !== 'NOERROR' && rcode !== 'NODATA' && rcode !== 'NXDOMAIN') error = RCODE_EXPLANATION[rcode] ?? `the server answered ${rcode}`;
  if (rcode === 'NODATA' && !sameName(owner, name) && role === 'authoritative') {
    error = null; // a CNAME out of the zone: the chain continues elsewhere (reported by the CNAME list)
  }
  const matched = error === null && (expected.length === 0 ? values.length > 0 : expected.every((v) => values.includes(v)));
  return {
    server: response.server,
    role,
    nameserver,
    values,
    matched,
    ttl,
    rcode,
    error,
    elapsedMs: round(elapsedMs),
    transport: response.transport,
    authoritativeAnswer: response.authoritative,
  };
}

/** RFC 2308: a negative answer is cached for min(SOA TTL, SOA MINIMUM). */
function negativeTtl(authorities: DnsRecord[]): number | null {
  const soa = authorities.find((r) => r.type === 'SOA');
  if (!soa) return null;
  return Math.min(soa.ttl, soa.soaMinimum ?? soa.ttl);
}

// ---------------------------------------------------------------------------
// Waiting

export interface WaitProgress {
  report: PropagationReport;
  /** 1 for the first check. */
  attempt: number;
  /** Milliseconds until the next check, or null when this was the last one. */
  nextCheckInMs: number | null;
  /** Milliseconds left before the deadline. */
  remainingMs: number;
}

export interface WaitOptions extends PropagationOptions {
  /** How long to keep trying, in milliseconds from the call. */
  deadlineMs: number;
  /** Called after every check (including the last). */
  onProgress?: (progress: WaitProgress) => void;
  /** First pause between checks (default 500 ms); grows ×1.5 up to maxIntervalMs. */
  initialIntervalMs?: number;
  /** Longest pause between checks (default 5000 ms). */
  maxIntervalMs?: number;
  /** A verdict after each check: an error when waiting longer cannot help, which ends the wait. */
  hopeless?: (report: PropagationReport) => Error | undefined;
}

/**
 * Checks until propagated or the deadline passes; returns the last report
 * (propagated or not). A check that cannot be done at all (PropagationCheckError)
 * is retried until the deadline, then thrown. Rejects with an AbortError when
 * the signal aborts.
 */
export async function waitForPropagation(options: WaitOptions): Promise<PropagationReport> {
  const start = performance.now();
  const deadline = start + Math.max(0, options.deadlineMs);
  const maxInterval = options.maxIntervalMs ?? 5000;
  let interval = options.initialIntervalMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    let report: PropagationReport | undefined;
    let failure: PropagationCheckError | undefined;
    try {
      report = await checkPropagation(options);
    } catch (e) {
      if (!(e instanceof PropagationCheckError)) throw e;
      failure = e;
    }
    const now = performance.now();
    const remainingMs = Math.max(0, deadline - now);
    let next = interval;
    if (report) {
      // A stale answer in a cache goes away when its TTL runs out: look again right after that.
      const expiries = report.nameservers.filter((n) => n.role === 'recursive' && !n.matched && n.ttl !== null && n.error === null).map((n) => n.ttl! * 1000 + 250);
      if (expiries.length) next = Math.min(next, Math.max(200, Math.min(...expiries)));
    }
    const last = report?.propagated === true || remainingMs <= 0;
    next = Math.min(next, remainingMs);
    if (report) options.onProgress?.({ report, attempt, nextCheckInMs: last ? null : Math.round(next), remainingMs: Math.round(remainingMs) });
    const verdict = report && !report.propagated ? options.hopeless?.(report) : undefined;
    if (verdict) throw verdict;
    if (last) {
      if (report) return report;
      throw failure!;
    }
    await sleep(next, options.signal);
    interval = Math.min(maxInterval, interval * 1.5);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
