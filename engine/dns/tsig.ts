/**
 * TSIG (RFC 8945): HMAC signatures on DNS messages, as an RFC 2136 dynamic
 * update needs them (cert-manager's `rfc2136` DNS-01 solver signs its updates
 * this way).
 *
 * - signMessage() appends a TSIG record to a request: MAC over the message as
 *   sent (original ID) and the TSIG variables; time signed = now, fudge 300,
 *   error 0, no other data (RFC 8945 §4.3, §5.1).
 * - verifyResponse() checks the server's signed answer: the MAC is computed
 *   over the request MAC (length-prefixed), the answer without its TSIG record
 *   (ARCOUNT − 1, ID = original ID) and the TSIG variables (§5.3, §4.3.3);
 *   then the key and algorithm names, the TSIG error field and the time.
 *
 * Algorithms: hmac-md5 (wire name HMAC-MD5.SIG-ALG.REG.INT), hmac-sha1,
 * hmac-sha256, hmac-sha512. Both spellings are accepted: BIND's (`hmac-sha256`)
 * and cert-manager's Issuer `tsigAlgorithm` (`HMACSHA256`, case-insensitive;
 * default HMACMD5, as cert-manager has it).
 *
 * The secret lives only inside a PreparedTsigKey (a private field): it is
 * never part of an error message, a JSON dump or util.inspect output.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

export type TsigAlgorithm = 'hmac-md5' | 'hmac-sha1' | 'hmac-sha256' | 'hmac-sha512';

interface AlgorithmInfo {
  /** node:crypto hash name */
  hash: string;
  /** The algorithm name in the TSIG record (canonical: lower case). */
  wireName: string;
  /** HMAC output length in bytes. */
  macLength: number;
  /** How cert-manager's Issuer spec spells it. */
  certManagerName: string;
}

const ALGORITHMS: Record<TsigAlgorithm, AlgorithmInfo> = {
  'hmac-md5': { hash: 'md5', wireName: 'hmac-md5.sig-alg.reg.int', macLength: 16, certManagerName: 'HMACMD5' },
  'hmac-sha1': { hash: 'sha1', wireName: 'hmac-sha1', macLength: 20, certManagerName: 'HMACSHA1' },
  'hmac-sha256': { hash: 'sha256', wireName: 'hmac-sha256', macLength: 32, certManagerName: 'HMACSHA256' },
  'hmac-sha512': { hash: 'sha512', wireName: 'hmac-sha512', macLength: 64, certManagerName: 'HMACSHA512' },
};

/** cert-manager's default `tsigAlgorithm`. */
const DEFAULT_TSIG_ALGORITHM: TsigAlgorithm = 'hmac-md5';
/** The fudge (allowed clock difference, seconds) RFC 8945 §10 recommends and cert-manager (miekg/dns) uses. */
export const DEFAULT_FUDGE = 300;

const TYPE_TSIG = 250;
const CLASS_ANY = 255;

/** A TSIG key as configured: name, algorithm (either spelling; default HMACMD5), secret in base64. */
export interface TsigKey {
  name: string;
  algorithm?: string;
  /** base64, as in BIND's `secret "..."` and cert-manager's TSIG Secret. */
  secret: string;
}

/** A TSIG key that cannot be used: unknown algorithm, secret that is not base64, bad key name. Never contains the secret. */
export class TsigKeyError extends Error {}

/**
 * `HMACSHA256`, `hmac-sha256`, `HMAC-MD5.SIG-ALG.REG.INT.` … → the algorithm;
 * empty → hmac-md5 (cert-manager's default). Throws TsigKeyError otherwise.
 */
export function parseTsigAlgorithm(input: string | undefined): TsigAlgorithm {
  const text = (input ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (text === '') return DEFAULT_TSIG_ALGORITHM;
  for (const [id, info] of Object.entries(ALGORITHMS) as [TsigAlgorithm, AlgorithmInfo][]) {
    if (text === id || text === info.wireName || text === info.certManagerName.toLowerCase()) return id;
  }
  throw new TsigKeyError(
    `the TSIG algorithm "${input}" is not supported: use HMACMD5 (default), HMACSHA1, HMACSHA256 or HMACSHA512 (or hmac-md5, hmac-sha1, hmac-sha256, hmac-sha512)`,
  );
}

/** hmac-sha256 → HMACSHA256 (the spelling of cert-manager's Issuer spec). */
export function certManagerAlgorithmName(algorithm: TsigAlgorithm): string {
  return ALGORITHMS[algorithm].certManagerName;
}

/** Lower case, no trailing dot; labels of 1–63 printable ASCII characters; at most 255 bytes on the wire. */
function canonicalName(input: string, what: string): string {
  let name = input.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') throw new TsigKeyError(`the ${what} is empty`);
  for (const label of name.split('.')) {
    if (label === '' || label.length > 63 || !/^[\x21-\x7e]+$/.test(label)) {
      throw new TsigKeyError(`the ${what} "${input}" is not a valid DNS name`);
    }
  }
  if (name.length + 2 > 255) throw new TsigKeyError(`the ${what} "${input}" is longer than 255 bytes`);
  return name;
}

/** A name in uncompressed wire format (lower case, as TSIG's canonical form wants it). `name` has no trailing dot. */
export function encodeName(name: string): Buffer {
  const parts: Buffer[] = [];
  if (name !== '' && name !== '.') {
    for (const label of name.replace(/\.$/, '').split('.')) {
      const bytes = Buffer.from(label, 'ascii');
      if (bytes.length === 0 || bytes.length > 63) throw new RangeError(`bad label "${label}" in "${name}"`);
      parts.push(Buffer.from([bytes.length]), bytes);
    }
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new RangeError(`"${name}" is longer than 255 bytes on the wire`);
  return out;
}

/** A TSIG key ready to sign: the secret is decoded and kept in a private field. */
export class PreparedTsigKey {
  readonly #secret: Buffer;

  private constructor(
    /** Canonical key name: lower case, no trailing dot. */
    readonly name: string,
    readonly algorithm: TsigAlgorithm,
    secret: Buffer,
  ) {
    this.#secret = secret;
  }

  static from(key: TsigKey | PreparedTsigKey): PreparedTsigKey {
    if (key instanceof PreparedTsigKey) return key;
    const name = canonicalName(key.name ?? '', 'TSIG key name');
    const algorithm = parseTsigAlgorithm(key.algorithm);
    const text = (key.secret ?? '').replace(/\s+/g, '');
    if (text === '') throw new TsigKeyError(`the secret of TSIG key "${name}" is empty`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
      throw new TsigKeyError(`the secret of TSIG key "${name}" is not valid base64`);
    }
    return new PreparedTsigKey(name, algorithm, Buffer.from(text, 'base64'));
  }

  /** "acme-update" (hmac-sha256) */
  describe(): string {
    return `"${this.name}" (${this.algorithm})`;
  }

  /** The full-length HMAC of `data`. */
  hmac(data: Buffer): Buffer {
    return createHmac(ALGORITHMS[this.algorithm].hash, this.#secret).update(data).digest();
  }

  toJSON(): { name: string; algorithm: TsigAlgorithm } {
    return { name: this.name, algorithm: this.algorithm };
  }

  [inspect.custom](): string {
    return `PreparedTsigKey ${this.describe()}`;
  }
}

/** The TSIG error field (RFC 8945 §4.3 and the IANA registry). */
export function tsigErrorName(code: number): string {
  const names: Record<number, string> = { 0: 'NOERROR', 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME', 19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG', 22: 'BADTRUNC', 23: 'BADCOOKIE' };
  return names[code] ?? `TSIG error ${code}`;
}

interface TsigVariables {
  keyName: string;
  algorithmName: string;
  timeSigned: number;
  fudge: number;
  error: number;
  otherData: Buffer;
}

function writeUint48(value: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(Math.floor(value / 2 ** 32) & 0xffff, 0);
  b.writeUInt32BE(value % 2 ** 32, 2);
  return b;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value, 0);
  return b;
}

/** The TSIG variables that go into the MAC (RFC 8945 §4.3.3): names canonical, class ANY, TTL 0. */
function digestVariables(v: TsigVariables): Buffer {
  return Buffer.concat([
    encodeName(v.keyName),
    u16(CLASS_ANY),
    Buffer.alloc(4), // TTL 0
    encodeName(v.algorithmName),
    writeUint48(v.timeSigned),
    u16(v.fudge),
    u16(v.error),
    u16(v.otherData.length),
    v.otherData,
  ]);
}

export interface SignOptions {
  /** The clock, in ms since the epoch (default Date.now). */
  now?: () => number;
  /** Default 300 s. */
  fudge?: number;
}

export interface SignedMessage {
  /** The message with the TSIG record appended and ARCOUNT incremented. */
  message: Buffer;
  /** The request MAC: needed to verify the answer. */
  mac: Buffer;
  /** Seconds since the epoch. */
  timeSigned: number;
  fudge: number;
}

/**
 * Signs a complete DNS message (header with its final ID, all sections,
 * no TSIG yet): appends the TSIG record as the last additional record.
 */
export function signMessage(message: Buffer, key: TsigKey | PreparedTsigKey, options: SignOptions = {}): SignedMessage {
  if (message.length < 12) throw new RangeError('signMessage: a DNS message is at least 12 bytes');
  const prepared = PreparedTsigKey.from(key);
  const timeSigned = Math.floor((options.now ?? Date.now)() / 1000);
  const fudge = options.fudge ?? DEFAULT_FUDGE;
  const algorithmName = ALGORITHMS[prepared.algorithm].wireName;
  const variables: TsigVariables = { keyName: prepared.name, algorithmName, timeSigned, fudge, error: 0, otherData: Buffer.alloc(0) };
  const mac = prepared.hmac(Buffer.concat([message, digestVariables(variables)]));
  const originalId = message.readUInt16BE(0);
  const rdata = Buffer.concat([
    encodeName(algorithmName),
    writeUint48(timeSigned),
    u16(fudge),
    u16(mac.length),
    mac,
    u16(originalId),
    u16(0), // error
    u16(0), // other len
  ]);
  const record = Buffer.concat([encodeName(prepared.name), u16(TYPE_TSIG), u16(CLASS_ANY), Buffer.alloc(4), u16(rdata.length), rdata]);
  const signed = Buffer.concat([message, record]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { message: signed, mac, timeSigned, fudge };
}

// ---------------------------------------------------------------------------
// Reading an answer

/** Reads a (possibly compressed) name; returns it lower-cased without trailing dot ('' for the root) and the offset after it. */
function readName(buf: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let pos = offset;
  let end = -1;
  for (let jumps = 0; ; ) {
    if (pos >= buf.length) throw new RangeError('name runs past the end of the message');
    const len = buf[pos]!;
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new RangeError('compression pointer runs past the end');
      if (end < 0) end = pos + 2;
      pos = buf.readUInt16BE(pos) & 0x3fff;
      if (++jumps > 64) throw new RangeError('compression loop');
      continue;
    }
    if ((len & 0xc0) !== 0) throw new RangeError('bad label type');
    if (pos + 1 + len > buf.length) throw new RangeError('label runs past the end');
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len).toLowerCase());
    pos += 1 + len;
  }
  return { name: labels.join('.'), end };
}

/** A TSIG record as found in a message. */
export interface TsigRecord {
  /** Where the record starts in the message (the message without TSIG is message[0, offset)). */
  offset: number;
  keyName: string;
  /** As on the wire, lower-cased, e.g. hmac-sha256 or hmac-md5.sig-alg.reg.int. */
  algorithmName: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  otherData: Buffer;
}

/**
 * Finds the TSIG record of a message: it must be the last additional record
 * (RFC 8945 §5.1). Returns null when there is none; throws RangeError when the
 * message cannot be walked.
 */
export function findTsigRecord(message: Buffer): TsigRecord | null {
  if (message.length < 12) throw new RangeError(`a ${message.length}-byte message (a DNS header is 12 bytes)`);
  const counts = [4, 6, 8, 10].map((o) => message.readUInt16BE(o));
  let pos = 12;
  for (let i = 0; i < counts[0]!; i++) pos = readName(message, pos).end + 4;
  const records = counts[1]! + counts[2]! + counts[3]!;
  let last: { start: number; type: number; owner: string; rdata: number; rdlength: number } | null = null;
  for (let i = 0; i < records; i++) {
    const start = pos;
    const owner = readName(message, pos);
    pos = owner.end;
    if (pos + 10 > message.length) throw new RangeError('record header runs past the end');
    const type = message.readUInt16BE(pos);
    const rdlength = message.readUInt16BE(pos + 8);
    pos += 10;
    if (pos + rdlength > message.length) throw new RangeError('record data runs past the end');
    if (type === TYPE_TSIG && i !== records - 1) throw new RangeError('a TSIG record that is not the last record');
    last = { start, type, owner: owner.name, rdata: pos, rdlength };
    pos += rdlength;
  }
  if (!last || last.type !== TYPE_TSIG || counts[3]! === 0) return null;
  const rdEnd = last.rdata + last.rdlength;
  const algorithm = readName(message, last.rdata);
  let p = algorithm.end;
  const need = (n: number) => {
    if (p + n > rdEnd) throw new RangeError('TSIG record data is too short');
  };
  need(10);
  const timeSigned = message.readUInt16BE(p) * 2 ** 32 + message.readUInt32BE(p + 2);
  const fudge = message.readUInt16BE(p + 6);
  const macSize = message.readUInt16BE(p + 8);
  p += 10;
  need(macSize + 6);
  const mac = Buffer.from(message.subarray(p, p + macSize));
  p += macSize;
  const originalId = message.readUInt16BE(p);
  const error = message.readUInt16BE(p + 2);
  const otherLen = message.readUInt16BE(p + 4);
  p += 6;
  need(otherLen);
  const otherData = Buffer.from(message.subarray(p, p + otherLen));
  return { offset: last.start, keyName: last.owner, algorithmName: algorithm.name, timeSigned, fudge, mac, originalId, error, otherData };
}

type TsigProblem = 'unsigned' | 'malformed' | 'wrong-key' | 'bad-mac' | 'bad-time' | 'tsig-error';

export interface TsigVerification {
  /** The answer is signed with our key, its MAC verifies, its TSIG error is 0 and its time is within the fudge. */
  ok: boolean;
  problem: TsigProblem | null;
  /** One line, for humans; never contains the secret. */
  detail: string;
  tsig: TsigRecord | null;
  /** The MAC is present and verifies (it may, even with problem 'tsig-error', e.g. BADTIME answers are signed). */
  macValid: boolean;
}

export interface VerifyOptions {
  /** The clock, in ms since the epoch (default Date.now). */
  now?: () => number;
}

/**
 * Verifies the TSIG of an answer to a request signed with `key` whose MAC was
 * `requestMac` (RFC 8945 §5.3, §5.4). Does not throw: the outcome says what is wrong.
 */
export function verifyResponse(response: Buffer, key: TsigKey | PreparedTsigKey, requestMac: Buffer, options: VerifyOptions = {}): TsigVerification {
  const prepared = PreparedTsigKey.from(key);
  let tsig: TsigRecord | null;
  try {
    tsig = findTsigRecord(response);
  } catch (e) {
    return { ok: false, problem: 'malformed', detail: `the answer cannot be read: ${(e as Error).message}`, tsig: null, macValid: false };
  }
  if (!tsig) return { ok: false, problem: 'unsigned', detail: 'the answer carries no TSIG record (it is not signed)', tsig: null, macValid: false };
  const info = ALGORITHMS[prepared.algorithm];
  if (tsig.keyName !== prepared.name || tsig.algorithmName !== info.wireName) {
    return {
      ok: false,
      problem: 'wrong-key',
      detail: `the answer is signed with key "${tsig.keyName}" (${tsig.algorithmName}), not with ${prepared.describe()}`,
      tsig,
      macValid: false,
    };
  }
  const macValid = checkMac(response, tsig, prepared, requestMac);
  if (tsig.error !== 0) {
    return { ok: false, problem: 'tsig-error', detail: `the nameserver reports ${tsigErrorName(tsig.error)}`, tsig, macValid };
  }
  if (!macValid) {
    const detail = tsig.mac.length === 0 ? 'the answer\'s TSIG record has an empty MAC' : 'the answer\'s TSIG MAC does not verify (the answer was altered, or signed with another secret)';
    return { ok: false, problem: 'bad-mac', detail, tsig, macValid };
  }
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) {
    return { ok: false, problem: 'bad-time', detail: `the answer was signed at ${tsig.timeSigned}, ${now - tsig.timeSigned} s from now (fudge ${tsig.fudge} s)`, tsig, macValid };
  }
  return { ok: true, problem: null, detail: `signed with ${prepared.describe()}`, tsig, macValid };
}

function checkMac(response: Buffer, tsig: TsigRecord, key: PreparedTsigKey, requestMac: Buffer): boolean {
  const full = ALGORITHMS[key.algorithm].macLength;
  const size = tsig.mac.length;
  // A truncated MAC is acceptable down to max(10 bytes, half the hash) (RFC 8945 §5.2.2.1).
  if (size === 0 || size > full || size < Math.max(10, full / 2)) return false;
  const stripped = Buffer.from(response.subarray(0, tsig.offset));
  stripped.writeUInt16BE(tsig.originalId, 0);
  stripped.writeUInt16BE(stripped.readUInt16BE(10) - 1, 10);
  const variables = digestVariables({
    keyName: key.name,
    algorithmName: tsig.algorithmName,
    timeSigned: tsig.timeSigned,
    fudge: tsig.fudge,
    error: tsig.error,
    otherData: tsig.otherData,
  });
  const expected = key.hmac(Buffer.concat([u16(requestMac.length), requestMac, stripped, variables])).subarray(0, size);
  return timingSafeEqual(expected, tsig.mac);
}
