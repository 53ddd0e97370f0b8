/**
 * One DNS message to one classic nameserver (IP:port), and its raw answer:
 * the exchange shared by queries (dns-client.ts) and RFC 2136 updates
 * (rfc2136.ts). What the message says is the caller's business; this file
 * knows the sockets:
 *
 * - UDP first: the datagram is sent again after each timeout, `attempts`
 *   times in all. The answer is the first message with our ID and the QR bit
 *   that the caller's check accepts (the question for queries, the opcode for
 *   updates); anything else (a late answer to an earlier try) is ignored.
 * - TCP, framed with a 2-byte length (RFC 1035 §4.2.2): when the UDP answer
 *   is truncated (TC); as one last try when UDP got no answer at all (some
 *   networks drop UDP/53, as cert-manager also assumes); and from the start
 *   when asked (cert-manager's `protocol: TCP`) or when the message is over
 *   512 bytes (RFC 1035's UDP limit: a request carries no EDNS size for us).
 *
 * Failures are DnsTransportError with a kind (timeout, unreachable, malformed,
 * aborted). Their messages are the DNS check's; an update words a few of them
 * its own way (it must say whether the change may have been applied), from
 * the facts kept here: the socket's error code, and after a UDP timeout how
 * the TCP try failed.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { formatNameserver, type NameserverAddress } from './nameserver-address.js';

export type WireTransport = 'udp' | 'tcp';

/** A classic nameserver (not a DNS-over-HTTPS URL). */
export type WireNameserver = Extract<NameserverAddress, { kind: 'dns' }>;

export type TransportErrorKind = 'timeout' | 'unreachable' | 'malformed' | 'aborted';

export class DnsTransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    /** host:port */
    readonly server: string,
    /** unreachable: the socket's error code (ECONNREFUSED: nothing listens there). */
    readonly code?: string,
    /** timeout: UDP got no answer, then the last try over TCP failed too. */
    readonly fallback?: { udp: DnsTransportError; tcp: DnsTransportError },
  ) {
    super(message);
    this.name = 'DnsTransportError';
  }
}

/** The largest request sent over UDP; bigger ones go over TCP. */
const MAX_UDP_REQUEST = 512;
const DNS_HEADER_BYTES = 12;

const FLAG_QR = 0x8000;
const FLAG_TC = 0x0200;

export interface ExchangeOptions {
  /** Per UDP attempt, and for the whole TCP exchange. */
  timeoutMs: number;
  /** UDP datagrams sent before UDP is given up (at least 1). */
  attempts: number;
  /** tcp: TCP only. Default udp (with TCP as above). */
  protocol?: WireTransport;
  signal?: AbortSignal;
  /**
   * Beyond the ID and the QR bit: is this message our answer? false ignores
   * it; throwing a DnsTransportError (malformed) ends the exchange with it.
   */
  isAnswer?: (raw: Buffer) => boolean;
}

export interface Exchange {
  response: Buffer;
  transport: WireTransport;
}

/** Sends `message` (its first two bytes are its ID) and resolves with the raw answer; rejects with DnsTransportError. */
export async function exchangeWithNameserver(server: WireNameserver, message: Buffer, options: ExchangeOptions): Promise<Exchange> {
  const where = formatNameserver(server);
  const attempts = Math.max(1, options.attempts);
  const accepts = answerMatcher(message.readUInt16BE(0), where, options.isAnswer);
  const overTcp = async (): Promise<Exchange> => ({ response: await tcpExchange(server, message, accepts, options.timeoutMs, options.signal), transport: 'tcp' });

  if (options.protocol === 'tcp' || message.length > MAX_UDP_REQUEST) return overTcp();
  let response: Buffer;
  try {
    response = await udpExchange(server, message, accepts, options.timeoutMs, attempts, options.signal);
  } catch (udp) {
    if (!(udp instanceof DnsTransportError) || udp.kind !== 'timeout') throw udp;
    try {
      return await overTcp();
    } catch (tcp) {
      if (!(tcp instanceof DnsTransportError)) throw tcp;
      if (tcp.kind === 'aborted') throw tcp;
      const why = tcp.kind === 'unreachable' ? 'refused' : 'no answer either';
      throw new DnsTransportError('timeout', `${udp.message}; TCP: ${why}`, where, undefined, { udp, tcp });
    }
  }
  // Truncated: the whole answer over TCP.
  if ((response.readUInt16BE(2) & FLAG_TC) !== 0) return overTcp();
  return { response, transport: 'udp' };
}

/** A DNS message is at least its 12-byte header; throws DnsTransportError (malformed) otherwise. */
export function checkHeaderLength(raw: Buffer, where: string): void {
  if (raw.length < DNS_HEADER_BYTES) throw new DnsTransportError('malformed', `${where} sent a ${raw.length}-byte response (a DNS header is 12 bytes)`, where);
}

/** Per-attempt times as users read them: "200 ms", "2 s", "1.5 s". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function answerMatcher(id: number, where: string, isAnswer: ((raw: Buffer) => boolean) | undefined): (raw: Buffer) => boolean {
  return (raw) => {
    checkHeaderLength(raw, where);
    if (raw.readUInt16BE(0) !== id || (raw.readUInt16BE(2) & FLAG_QR) === 0) return false;
    return isAnswer ? isAnswer(raw) : true;
  };
}

function networkError(err: Error, where: string): DnsTransportError {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return new DnsTransportError('unreachable', `${where} refused the connection (nothing listens there)`, where, code);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new DnsTransportError('unreachable', `${where} cannot be reached (${code})`, where, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return new DnsTransportError('unreachable', `${where} closed the connection (${code})`, where, code);
    default:
      return new DnsTransportError('unreachable', `${where}: ${err.message}`, where, code);
  }
}

const cancelled = (where: string) => new DnsTransportError('aborted', `the exchange with ${where} was cancelled`, where);

function udpExchange(
  server: WireNameserver,
  message: Buffer,
  accepts: (raw: Buffer) => boolean,
  timeoutMs: number,
  attempts: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const where = formatNameserver(server);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(where));
    const socket = dgram.createSocket(server.family === 6 ? 'udp6' : 'udp4');
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    let done = false;
    const finish = (error: Error | undefined, value?: Buffer) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {
        // already closed
      }
      if (error) reject(error);
      else resolve(value!);
    };
    const onAbort = () => finish(cancelled(where));
    signal?.addEventListener('abort', onAbort, { once: true });
    const send = () => {
      sent++;
      socket.send(message, (err) => {
        if (err) finish(networkError(err, where));
      });
      timer = setTimeout(() => {
        if (sent < attempts) send();
        else finish(new DnsTransportError('timeout', `no answer from ${where} over UDP (${attempts} × ${formatMs(timeoutMs)})`, where));
      }, timeoutMs);
    };
    socket.on('error', (err) => finish(networkError(err, where)));
    socket.on('message', (raw) => {
      try {
        if (accepts(raw)) finish(undefined, raw);
      } catch (e) {
        finish(e as Error);
      }
    });
    // A connected socket hears ICMP "port unreachable" as ECONNREFUSED, and ignores datagrams from elsewhere.
    socket.connect(server.port, server.host, () => {
      if (!done) send();
    });
  });
}

function tcpExchange(
  server: WireNameserver,
  message: Buffer,
  accepts: (raw: Buffer) => boolean,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const where = formatNameserver(server);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(where));
    const socket = net.connect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (error: Error | undefined, value?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = setTimeout(() => finish(new DnsTransportError('timeout', `no answer from ${where} over TCP within ${formatMs(timeoutMs)}`, where)), timeoutMs);
    const onAbort = () => finish(cancelled(where));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      const framed = Buffer.alloc(2 + message.length);
      framed.writeUInt16BE(message.length, 0);
      message.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) return;
        const raw = Buffer.from(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        try {
          if (accepts(raw)) return finish(undefined, raw);
        } catch (e) {
          return finish(e as Error);
        }
      }
    });
    socket.on('error', (err) => finish(networkError(err, where)));
    socket.on('close', () => finish(new DnsTransportError('unreachable', `${where} closed the TCP connection without answering`, where)));
  });
}
