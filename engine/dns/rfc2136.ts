/**
 * RFC 2136 DNS UPDATE for DNS-01 challenges: add or remove one TXT value at
 * `_acme-challenge.<domain>` on an authoritative nameserver, signed with TSIG
 * (RFC 8945, see tsig.ts) — what cert-manager's `rfc2136` solver does
 * (pkg/issuer/acme/dns/rfc2136), with these differences on purpose:
 *
 * - add never deletes other values of the name: the apex and the wildcard
 *   (`example.com` and `*.example.com`) share `_acme-challenge.example.com`,
 *   and both challenges may be pending at once. (cert-manager before 1.4
 *   deleted the RRset first; it now only inserts, as here.)
 * - remove deletes only that one value (class NONE with the exact RDATA,
 *   RFC 2136 §2.5.4), never the RRset.
 * - a value longer than 255 bytes is split into 255-byte character-strings,
 *   as miekg/dns's zone-file parser splits a long quoted string; cert-manager's
 *   solver cannot send one (it puts the value in one string, which miekg/dns
 *   refuses to pack: "string exceeded 255 bytes in txt"), and BIND's nsupdate
 *   rejects a quoted string over 255 bytes (write it as several strings).
 *   ACME values are 43 bytes.
 * - the server's TSIG on the answer must verify; an unsigned or altered
 *   answer to a signed update is an error (miekg/dns accepts unsigned answers).
 *
 * The message is encoded here (encodeTxtUpdate), not with dns-packet: dns-packet
 * 5 has no class NONE (254), no opcode field (only raw flags) and writes a
 * character-string over 255 bytes with a wrapped length byte.
 *
 * Transport (dns-transport.ts, shared with queries): UDP (retried after each
 * timeout, then one TCP try), TCP when the answer is truncated or the request
 * is over 512 bytes; or TCP only (cert-manager's `protocol: TCP`). Failures
 * are Rfc2136Error with a kind; messages name the key, never its secret.
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { formatNameserver, parseNameserver, type NameserverAddress } from './nameserver-address.js';
import { normalizeDnsName, isAtOrBelow } from './dns-name.js';
import { rcodeName } from './dns-client.js';
import { Resolver } from './resolver.js';
import { findZone } from './zone-finder.js';
import { DnsTransportError, exchangeWithNameserver, type Exchange, type WireNameserver, type WireTransport } from './dns-transport.js';
import {
  encodeName,
  PreparedTsigKey,
  signMessage,
  TsigKeyError,
  tsigErrorName,
  verifyResponse,
  DEFAULT_FUDGE,
  type TsigKey,
  type TsigVerification,
} from './tsig.js';

export type { TsigKey } from './tsig.js';

/** cert-manager's TTL for challenge records. */
const DEFAULT_TXT_TTL = 60;
const DEFAULT_UPDATE_TIMEOUT_MS = 2000;
const DEFAULT_UPDATE_ATTEMPTS = 3;

const OPCODE_UPDATE = 5;
const TYPE_SOA = 6;
const TYPE_TXT = 16;
const CLASS_IN = 1;
const CLASS_NONE = 254;

type UpdateProtocol = WireTransport;

export type Rfc2136ErrorKind =
  /** The TSIG key, the name, the zone or the value cannot be used; nothing was sent. */
  | 'config'
  /** The server does not accept the key: BADKEY, BADSIG, BADTIME, ... (RCODE NOTAUTH). */
  | 'tsig'
  /** REFUSED: no allow-update / update-policy for this key (or client) on the zone. */
  | 'refused'
  /** NOTZONE: the record name is not in the zone. */
  | 'notzone'
  /** NOTAUTH without a TSIG error: the server is not authoritative (primary) for the zone. */
  | 'notauth'
  /** SERVFAIL */
  | 'servfail'
  /** Any other RCODE (FORMERR, NOTIMP, ...). */
  | 'rcode'
  /** The answer to a signed update is not signed, or its signature does not verify. */
  | 'unverified'
  | 'timeout'
  | 'unreachable'
  | 'malformed'
  | 'aborted';

export class Rfc2136Error extends Error {
  constructor(
    readonly kind: Rfc2136ErrorKind,
    message: string,
    /** host:port ('' when nothing was sent). */
    readonly server: string,
    /** The answer's RCODE, when there was an answer. */
    readonly rcode: string | null = null,
    /** The answer's TSIG error (BADSIG, BADKEY, ...), when there was one. */
    readonly tsigError: string | null = null,
  ) {
    super(message);
    this.name = 'Rfc2136Error';
  }
}

export interface TxtUpdate {
  /** The authoritative (primary) nameserver: `IP`, `IP:port`, `[IPv6]:port` (no host names), or a parsed address. */
  nameserver: string | NameserverAddress;
  /** The zone the record is in (found by the caller, e.g. with findZone or findZoneOnNameserver). */
  zone: string;
  /** The record name, e.g. `_acme-challenge.example.com` (see challengeRecordName). */
  name: string;
  /** The TXT value (the ACME key authorization digest). Sent as UTF-8 bytes. */
  value: string;
  /** Seconds; default 60 (cert-manager's). Ignored by remove. */
  ttl?: number;
  /** Sign with this key; null or absent: unsigned. */
  tsig?: TsigKey | PreparedTsigKey | null;
  /** Default udp (falls back to TCP as needed); `TCP`/`UDP` as in cert-manager's Issuer are accepted. */
  protocol?: UpdateProtocol | 'UDP' | 'TCP';
  /** Per attempt, default 2000 ms. */
  timeoutMs?: number;
  /** UDP attempts, default 3 (then one TCP try). */
  attempts?: number;
  signal?: AbortSignal;
  /** The clock (ms since the epoch) used for TSIG time signed and checks; default Date.now. */
  now?: () => number;
}

export interface UpdateResult {
  /** host:port */
  server: string;
  transport: UpdateProtocol;
  elapsedMs: number;
  /** The answer was signed with our key and verified (false when the update was unsigned). */
  verified: boolean;
}

export type TxtAction = 'add' | 'remove';

/** Adds one value to the TXT RRset at `name` (other values stay). */
export function addTxtRecord(update: TxtUpdate): Promise<UpdateResult> {
  return updateTxtRecord('add', update);
}

/** Removes exactly this value from the TXT RRset at `name` (other values stay); no error if it was not there. */
export function removeTxtRecord(update: TxtUpdate): Promise<UpdateResult> {
  return updateTxtRecord('remove', update);
}

/** add or remove, as one call. */
export async function updateTxtRecord(action: TxtAction, update: TxtUpdate): Promise<UpdateResult> {
  const started = performance.now();
  const server = resolveServer(update.nameserver);
  const where = formatNameserver(server);
  const configError = (message: string) => new Rfc2136Error('config', message, '');
  let key: PreparedTsigKey | null = null;
  try {
    key = update.tsig ? PreparedTsigKey.from(update.tsig) : null;
  } catch (e) {
    if (e instanceof TsigKeyError) throw configError(e.message);
    throw e;
  }
  const zone = checkedName(update.zone, 'zone', configError);
  const name = checkedName(update.name, 'record name', configError);
  const protocol = (update.protocol ?? 'udp').toLowerCase();
  if (protocol !== 'udp' && protocol !== 'tcp') throw configError(`the protocol "${update.protocol}" is not UDP or TCP`);
  const ttl = update.ttl ?? DEFAULT_TXT_TTL;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2 ** 31 - 1) throw configError(`the TTL ${ttl} is not a whole number of seconds from 0 to 2147483647`);

  const id = randomInt(0, 65536);
  let message: Buffer;
  try {
    message = encodeTxtUpdate(action, { id, zone, name, value: update.value, ttl });
  } catch (e) {
    throw configError((e as Error).message);
  }
  const now = update.now ?? Date.now;
  let requestMac: Buffer | null = null;
  if (key) {
    const signed = signMessage(message, key, { now, fudge: DEFAULT_FUDGE });
    message = signed.message;
    requestMac = signed.mac;
  }
  if (message.length > 65535) throw configError(`the update is ${message.length} bytes, more than a DNS message can hold (65535)`);

  const { response, transport } = await exchangeDnsMessage(server, message, {
    protocol: protocol as UpdateProtocol,
    timeoutMs: update.timeoutMs,
    attempts: update.attempts,
    signal: update.signal,
  });
  const verification = key && requestMac ? verifyResponse(response, key, requestMac, { now }) : null;
  checkAnswer(response, { action, where, zone, name, key, verification });
  return { server: where, transport, elapsedMs: performance.now() - started, verified: verification?.ok ?? false };
}

function resolveServer(nameserver: string | NameserverAddress): WireNameserver {
  let server: NameserverAddress;
  try {
    server = typeof nameserver === 'string' ? parseNameserver(nameserver) : nameserver;
  } catch (e) {
    throw new Rfc2136Error('config', `the nameserver ${(e as Error).message}`, '');
  }
  if (server.kind !== 'dns') throw new Rfc2136Error('config', `${server.url}: a DNS UPDATE goes to a nameserver's IP:port, not to a DNS-over-HTTPS URL`, '');
  return server;
}

function checkedName(input: string, what: string, configError: (m: string) => Rfc2136Error): string {
  try {
    return normalizeDnsName(input);
  } catch (e) {
    throw configError(`the ${what}: ${(e as Error).message}`);
  }
}

/** Splits a TXT value into character-strings of at most 255 bytes (UTF-8); '' is one empty string. */
export function txtStrings(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return [Buffer.alloc(0)];
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts;
}

function txtRdata(value: string): Buffer {
  const parts = txtStrings(value).flatMap((p) => [Buffer.from([p.length]), p]);
  const rdata = Buffer.concat(parts);
  if (rdata.length > 65535) throw new RangeError(`the TXT value is ${Buffer.byteLength(value)} bytes: too long for one record`);
  return rdata;
}

/**
 * The UPDATE message (RFC 2136 §2), without TSIG: header with opcode UPDATE,
 * zone section `zone SOA IN`, no prerequisites, one update record:
 * add = `name ttl IN TXT value`; remove = `name 0 NONE TXT value` (delete this RR only).
 */
export function encodeTxtUpdate(action: TxtAction, u: { id: number; zone: string; name: string; value: string; ttl: number }): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(u.id, 0);
  header.writeUInt16BE(OPCODE_UPDATE << 11, 2);
  header.writeUInt16BE(1, 4); // ZOCOUNT
  header.writeUInt16BE(0, 6); // PRCOUNT
  header.writeUInt16BE(1, 8); // UPCOUNT
  header.writeUInt16BE(0, 10); // ADCOUNT
  const zoneSection = Buffer.concat([encodeName(u.zone), u16(TYPE_SOA), u16(CLASS_IN)]);
  const rdata = txtRdata(u.value);
  const rr = Buffer.alloc(10);
  rr.writeUInt16BE(TYPE_TXT, 0);
  rr.writeUInt16BE(action === 'add' ? CLASS_IN : CLASS_NONE, 2);
  rr.writeUInt32BE(action === 'add' ? u.ttl : 0, 4);
  rr.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([header, zoneSection, encodeName(u.name), rr, rdata]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

interface AnswerContext {
  action: TxtAction;
  where: string;
  zone: string;
  name: string;
  key: PreparedTsigKey | null;
  verification: TsigVerification | null;
}

/** Turns an answer into success or a clear Rfc2136Error. */
function checkAnswer(response: Buffer, c: AnswerContext): void {
  const rcode = rcodeName(response.readUInt16BE(2) & 0xf);
  const v = c.verification;
  const keyText = c.key ? `TSIG key ${c.key.describe()}` : '';
  const err = (kind: Rfc2136ErrorKind, message: string, tsigError: string | null = null) => new Rfc2136Error(kind, message, c.where, rcode, tsigError);
  const record = `${c.name} TXT`;

  // The server rejects the key itself (RFC 8945 §5.2): RCODE NOTAUTH with a TSIG error; the answer is unsigned except for BADTIME.
  if (c.key && v?.tsig && v.tsig.error !== 0) {
    const code = tsigErrorName(v.tsig.error);
    let why: string;
    switch (v.tsig.error) {
      case 16:
        why = 'the signature does not verify: the secret (or the algorithm) differs from the key the server has';
        break;
      case 17:
        why = 'the server has no key of this name and algorithm: check tsigKeyName and tsigAlgorithm';
        break;
      case 18: {
        const ours = v.tsig.timeSigned;
        const theirs = v.tsig.otherData.length === 6 ? v.tsig.otherData.readUInt16BE(0) * 2 ** 32 + v.tsig.otherData.readUInt32BE(2) : null;
        why =
          theirs === null
            ? `the clocks differ by more than the fudge of ${v.tsig.fudge} s: check the time here and on the server`
            : `the clocks differ by ${Math.abs(theirs - ours)} s, more than the fudge of ${v.tsig.fudge} s: check the time here and on the server`;
        break;
      }
      case 22:
        why = 'the server does not accept a truncated MAC';
        break;
      default:
        why = `the server reports ${code}`;
    }
    throw err('tsig', `the nameserver ${c.where} does not accept ${keyText}: ${code} (${rcode}): ${why}`, code);
  }

  const unverifiedNote = c.key && v && !v.ok ? ` (the answer is not authenticated: ${v.detail})` : '';
  switch (rcode) {
    case 'NOERROR':
      if (c.key && v && !v.ok) {
        throw err(
          'unverified',
          `the nameserver ${c.where} answered NOERROR to the ${c.action} of ${record}, but ${v.detail}: the answer cannot be trusted (the update may or may not have been applied)`,
        );
      }
      return;
    case 'REFUSED':
      throw err(
        'refused',
        c.key
          ? `the nameserver ${c.where} refused the update: is allow-update (or update-policy) set for key "${c.key.name}" on zone "${c.zone}"?${unverifiedNote}`
          : `the nameserver ${c.where} refused the update: the update was not signed (no TSIG key); is allow-update set for this client on zone "${c.zone}", or does it need a key?${unverifiedNote}`,
      );
    case 'NOTZONE':
      throw err('notzone', `the nameserver ${c.where} answered NOTZONE: ${c.name} is not in zone "${c.zone}"${unverifiedNote}`);
    case 'NOTAUTH':
      throw err(
        'notauth',
        `the nameserver ${c.where} answered NOTAUTH: it is not authoritative for zone "${c.zone}" (is the zone right, and is this its primary server?)${
          c.key && v && !v.tsig ? ` — or it does not know TSIG ${keyText}` : ''
        }${unverifiedNote}`,
      );
    case 'SERVFAIL':
      throw err('servfail', `the nameserver ${c.where} answered SERVFAIL to the update of zone "${c.zone}": it failed to apply it (see its logs)${unverifiedNote}`);
    case 'NOTIMP':
      throw err('rcode', `the nameserver ${c.where} answered NOTIMP: it does not support dynamic updates (RFC 2136)${unverifiedNote}`);
    case 'FORMERR':
      throw err('rcode', `the nameserver ${c.where} answered FORMERR: it could not read the update${unverifiedNote}`);
    default:
      throw err('rcode', `the nameserver ${c.where} answered ${rcode} to the update of ${record} in zone "${c.zone}"${unverifiedNote}`);
  }
}

// ---------------------------------------------------------------------------
// Transport

export interface ExchangeOptions {
  protocol?: UpdateProtocol;
  timeoutMs?: number;
  attempts?: number;
  signal?: AbortSignal;
}

/**
 * Sends one complete DNS message (e.g. a signed UPDATE) and returns the raw
 * answer: the first message with the same ID, the QR bit and opcode UPDATE.
 * UDP (retried after each timeout, then one TCP try) unless the protocol is
 * tcp or the message is over 512 bytes; TCP when the UDP answer is truncated.
 */
export async function exchangeDnsMessage(nameserver: string | NameserverAddress, message: Buffer, options: ExchangeOptions = {}): Promise<Exchange> {
  const server = resolveServer(nameserver);
  const where = formatNameserver(server);
  if (options.signal?.aborted) throw new Rfc2136Error('aborted', 'the DNS update was cancelled before it was sent', where);
  try {
    return await exchangeWithNameserver(server, message, {
      protocol: options.protocol,
      timeoutMs: options.timeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS,
      attempts: options.attempts ?? DEFAULT_UPDATE_ATTEMPTS,
      signal: options.signal,
      isAnswer: (raw) => {
        const opcode = (raw.readUInt16BE(2) >> 11) & 0xf;
        if (opcode !== OPCODE_UPDATE) throw new DnsTransportError('malformed', `${where} answered with opcode ${opcode}, not UPDATE (5)`, where);
        return true;
      },
    });
  } catch (e) {
    if (!(e instanceof DnsTransportError)) throw e;
    throw new Rfc2136Error(e.kind, updateWording(e), where);
  }
}

/** The transport's failures in the words of an update: whether it may have been applied matters here. */
function updateWording(e: DnsTransportError): string {
  if (e.kind === 'aborted') return 'the DNS update was cancelled (it may or may not have been applied)';
  if (e.code === 'ECONNREFUSED') return `${e.server} refused the connection: no DNS server listens there`;
  if (e.fallback) {
    const why = e.fallback.tcp.kind === 'unreachable' ? 'connection refused' : 'no answer either';
    return `${e.fallback.udp.message}; TCP: ${why} (the update may or may not have been applied)`;
  }
  return e.message;
}

// ---------------------------------------------------------------------------

/**
 * The zone that holds `name`, asked of the nameserver itself (SOA walk up the
 * tree, as findZone does through resolvers). For when the ACME flow knows the
 * update server but not the zone.
 */
export async function findZoneOnNameserver(
  nameserver: string | NameserverAddress,
  name: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const server = resolveServer(nameserver);
  const resolver = new Resolver({ nameservers: [server], timeoutMs: options.timeoutMs, attempts: 1, signal: options.signal });
  const zone = await findZone(normalizeDnsName(name), resolver);
  if (!isAtOrBelow(name, zone)) throw new Error(`the zone found for ${name} (${zone}) does not contain it`);
  return zone;
}
