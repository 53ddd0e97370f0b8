/**
 * One DNS question to one server, on the wire (dns-packet), never through the
 * system resolver:
 *
 * - classic servers: UDP first (EDNS0, 1232-byte payload), retried after each
 *   timeout; TCP when the answer is truncated (TC) or when UDP gets no answer
 *   at all (as cert-manager does): the exchange in dns-transport.ts, shared
 *   with RFC 2136 updates;
 * - DNS over HTTPS (RFC 8484): one POST of application/dns-message via fetch.
 *
 * The result keeps what the checker needs to explain an answer: rcode, the
 * AA / TC / RA flags, the records of each section with their TTLs, the
 * transport that produced it and how long it took. Failures without an answer
 * are DnsQueryError with a kind (timeout, unreachable, malformed, http, aborted).
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as dnsPacket from 'dns-packet';
import { formatNameserver, type NameserverAddress } from './nameserver-address.js';
import { sameName, trimDot } from './dns-name.js';
import { checkHeaderLength, DnsTransportError, exchangeWithNameserver, formatMs, type Exchange } from './dns-transport.js';

export type RecordType = 'A' | 'AAAA' | 'NS' | 'CNAME' | 'SOA' | 'TXT';

export interface DnsRecord {
  /** Owner name, lower-case, without the trailing dot. */
  name: string;
  type: string;
  ttl: number;
  /** A/AAAA: the address; NS/CNAME: the target (lower-case); TXT: the strings joined; SOA: the primary server. */
  value: string;
  /** SOA only: the MINIMUM field (the negative-caching TTL, RFC 2308). */
  soaMinimum?: number;
}

export type Transport = 'udp' | 'tcp' | 'https';

export interface DnsResponse {
  /** The server as host:port or URL. */
  server: string;
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ... */
  rcode: string;
  authoritative: boolean;
  truncated: boolean;
  recursionAvailable: boolean;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  transport: Transport;
  elapsedMs: number;
}

export type DnsErrorKind = 'timeout' | 'unreachable' | 'malformed' | 'http' | 'aborted';

export class DnsQueryError extends Error {
  constructor(
    readonly kind: DnsErrorKind,
    message: string,
    readonly server: string,
    readonly elapsedMs: number,
  ) {
    super(message);
  }
}

export interface QueryOptions {
  /** Set RD (ask the server to recurse): true for resolvers, false for authoritative servers. */
  recursionDesired: boolean;
  /** How long to wait for each attempt (default 2000 ms). */
  timeoutMs?: number;
  /** UDP attempts before giving up (default 3; the last timeout is followed by one TCP try). */
  attempts?: number;
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_ATTEMPTS = 3;
/** The EDNS0 UDP payload size recommended by DNS Flag Day 2020: no IP fragmentation. */
const EDNS_UDP_PAYLOAD = 1232;
const DOH_MEDIA_TYPE = 'application/dns-message';

interface Query {
  id: number;
  name: string;
  type: RecordType;
}

/** Asks one server one question. Resolves with any answer the server gave (any rcode); rejects with DnsQueryError. */
export async function queryDns(server: NameserverAddress, name: string, type: RecordType, options: QueryOptions): Promise<DnsResponse> {
  const started = performance.now();
  const where = formatNameserver(server);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const fail = (kind: DnsErrorKind, message: string) => new DnsQueryError(kind, message, where, performance.now() - started);
  if (options.signal?.aborted) throw fail('aborted', 'the check was cancelled');
  // The transport's failures, in the checker's words.
  const asQueryError = (e: unknown) => (e instanceof DnsTransportError ? fail(e.kind, e.kind === 'aborted' ? 'the check was cancelled' : e.message) : e);

  const finish = (raw: Buffer, transport: Transport): DnsResponse => {
    let decoded;
    try {
      decoded = dnsPacket.decode(raw);
    } catch (e) {
      throw fail('malformed', `${where} sent a response that cannot be decoded (${(e as Error).message})`);
    }
    return toResponse(decoded, raw, where, transport, performance.now() - started);
  };

  if (server.kind === 'https') {
    const q: Query = { id: 0, name, type };
    const raw = await dohExchange(server.url, encodeQuery(q, options.recursionDesired, true), timeoutMs * attempts, options.signal, fail);
    try {
      checkHeaderLength(raw, where);
    } catch (e) {
      throw asQueryError(e);
    }
    return finish(raw, 'https');
  }

  let edns = true;
  for (let round = 0; round < 2; round++) {
    const q: Query = { id: randomInt(0, 65536), name, type };
    let exchange: Exchange;
    try {
      exchange = await exchangeWithNameserver(server, encodeQuery(q, options.recursionDesired, edns), {
        timeoutMs,
        attempts,
        signal: options.signal,
        isAnswer: (raw) => carriesQuestion(raw, q),
      });
    } catch (e) {
      throw asQueryError(e);
    }
    const response = finish(exchange.response, exchange.transport);
    // A server that does not know EDNS0 may answer FORMERR: ask again without it (RFC 6891 §7).
    if (response.rcode === 'FORMERR' && edns) {
      edns = false;
      continue;
    }
    return response;
  }
  throw fail('malformed', `${where} answers FORMERR even without EDNS0`);
}

function encodeQuery(q: Query, recursionDesired: boolean, edns: boolean): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: q.id,
    flags: recursionDesired ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ type: q.type, name: q.name, class: 'IN' }],
    additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD, flags: 0, options: [] } as unknown as dnsPacket.Answer] : [],
  });
}

/**
 * Does this answer carry our question? (Some servers omit the question in
 * errors; a truncated answer may carry only the header and question.)
 */
function carriesQuestion(raw: Buffer, q: Query): boolean {
  if (raw.readUInt16BE(4) === 0) return true;
  try {
    const question = (dnsPacket as unknown as { question: { decode(buf: Buffer, offset: number): { name: string; type: string } } }).question.decode(raw, 12);
    return sameName(question.name, q.name) && question.type === q.type;
  } catch {
    return false;
  }
}

async function dohExchange(
  url: string,
  message: Buffer,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  fail: (k: DnsErrorKind, m: string) => DnsQueryError,
): Promise<Buffer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': DOH_MEDIA_TYPE, accept: DOH_MEDIA_TYPE },
      body: message,
      signal: combined,
      redirect: 'error',
    });
  } catch (e) {
    if (signal?.aborted) throw fail('aborted', 'the check was cancelled');
    if (timeout.aborted) throw fail('timeout', `no answer from ${url} within ${formatMs(timeoutMs)}`);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw fail('unreachable', `${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  try {
    if (response.status !== 200) throw fail('http', `${url} answered HTTP ${response.status} ${response.statusText}`.trim());
    const type = response.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith(DOH_MEDIA_TYPE)) throw fail('http', `${url} answered with Content-Type "${type}", not ${DOH_MEDIA_TYPE}`);
    return Buffer.from(await response.arrayBuffer());
  } catch (e) {
    if (e instanceof DnsQueryError) throw e;
    if (signal?.aborted) throw fail('aborted', 'the check was cancelled');
    if (timeout.aborted) throw fail('timeout', `no answer from ${url} within ${formatMs(timeoutMs)}`);
    throw fail('unreachable', `${url}: ${(e as Error).message}`);
  }
}

function toRecord(a: dnsPacket.Answer): DnsRecord | undefined {
  const name = trimDot(a.name).toLowerCase();
  const ttl = (a as { ttl?: number }).ttl ?? 0;
  const data = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return { name, type: a.type, ttl, value: String(data) };
    case 'NS':
    case 'CNAME':
      return { name, type: a.type, ttl, value: trimDot(String(data)).toLowerCase() };
    case 'TXT': {
      const parts = Array.isArray(data) ? data : [data];
      const value = parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
      return { name, type: a.type, ttl, value };
    }
    case 'SOA': {
      const soa = data as { mname: string; minimum: number };
      return { name, type: a.type, ttl, value: trimDot(soa.mname).toLowerCase(), soaMinimum: soa.minimum };
    }
    default:
      return { name, type: a.type, ttl, value: '' };
  }
}

function toResponse(decoded: dnsPacket.DecodedPacket, raw: Buffer, server: string, transport: Transport, elapsedMs: number): DnsResponse {
  const flags = raw.readUInt16BE(2);
  const records = (list: dnsPacket.Answer[] | undefined) =>
    (list ?? []).filter((a) => a.type !== 'OPT').map(toRecord).filter((r): r is DnsRecord => r !== undefined);
  return {
    server,
    rcode: rcodeName(flags & 0xf),
    authoritative: decoded.flag_aa,
    truncated: decoded.flag_tc,
    recursionAvailable: decoded.flag_ra,
    answers: records(decoded.answers),
    authorities: records(decoded.authorities),
    transport,
    elapsedMs,
  };
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export function rcodeName(code: number): string {
  return RCODES[code] ?? `RCODE${code}`;
}
