/**
 * Captures exactly the certificates a TLS server presents: the Certificate
 * handshake message as sent, in the server's order, with duplicates and
 * unrelated certificates kept (Node's getPeerCertificate() rebuilds and
 * reorders the chain, so it is not used for the list).
 *
 * The connection goes through a stream we control, which sees the raw TLS
 * records. TLS 1.2 and older send the Certificate message in the clear; in
 * TLS 1.3 it is encrypted with the server handshake traffic secret, which
 * Node reports through the 'keylog' event, and is decrypted here
 * (AES-GCM or ChaCha20-Poly1305, RFC 8446 section 5 and 7). Certificates are
 * never verified during the handshake (that is the inspector's job).
 */
import { createDecipheriv, createHmac } from 'node:crypto';
import { connect as netConnect, isIP } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export class EndpointError extends Error {
  override readonly name = 'EndpointError';
}

export interface EndpointOptions {
  host: string;
  port: number;
  /** SNI; defaults to host unless host is an IP address (SNI cannot carry IPs). */
  servername?: string;
  timeoutMs?: number;
}

export interface PresentedChain {
  certificates: Uint8Array[];
  protocol: string | null;
  servername: string | null;
}

const MAX_CAPTURE = 1024 * 1024;

export function fetchPresentedChain(opts: EndpointOptions): Promise<PresentedChain> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const servername = opts.servername ?? (isIP(opts.host) ? undefined : opts.host);
  const where = `${opts.host}:${opts.port}`;
  return new Promise<PresentedChain>((resolve, reject) => {
    const inbound: Buffer[] = [];
    let captured = 0;
    const keylog: string[] = [];
    let settled = false;
    let tls: TLSSocket | undefined;
    const raw = netConnect({ host: opts.host, port: opts.port });
    const finish = (err: Error | null, value?: PresentedChain) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls?.destroy();
      raw.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(() => finish(new EndpointError(`${where}: no TLS handshake within ${Math.round(timeoutMs / 1000)} s (timed out)`)), timeoutMs);

    const wire = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        raw.write(chunk, cb);
      },
      final(cb) {
        raw.end();
        cb();
      },
    });
    raw.on('data', (d: Buffer) => {
      if (captured < MAX_CAPTURE) {
        inbound.push(d);
        captured += d.length;
      }
      wire.push(d);
    });
    raw.on('end', () => wire.push(null));
    raw.on('error', (e: NodeJS.ErrnoException) => finish(new EndpointError(connectionProblem(where, e))));
    raw.on('connect', () => {
      tls = tlsConnect({ socket: wire, servername, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] });
      tls.on('keylog', (line: Buffer) => keylog.push(line.toString('latin1')));
      tls.on('error', (e: NodeJS.ErrnoException) => finish(new EndpointError(tlsProblem(where, e))));
      tls.on('secureConnect', () => {
        const protocol = tls!.getProtocol();
        try {
          const data = Buffer.concat(inbound);
          const certs = protocol === 'TLSv1.3' ? tls13Certificates(data, keylog, tls!.getCipher().standardName) : tls12Certificates(data);
          if (certs.length === 0) throw new EndpointError(`${where}: the server presented no certificate`);
          finish(null, { certificates: certs, protocol, servername: servername ?? null });
        } catch (e) {
          finish(e instanceof EndpointError ? e : new EndpointError(`${where}: cannot read the certificates the server sent (${(e as Error).message})`));
        }
      });
    });
  });
}

function connectionProblem(where: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${where}: connection refused (nothing listening on that port?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: the host name does not resolve`;
    case 'ETIMEDOUT':
      return `${where}: connection timed out`;
    case 'ECONNRESET':
      return `${where}: the connection was reset by the server (not a TLS port?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where}: host unreachable`;
    default:
      return `${where}: ${e.message}`;
  }
}

function tlsProblem(where: string, e: NodeJS.ErrnoException): string {
  const m = e.message ?? '';
  const alert = /alert (?:number \d+|[a-z ]+)|SSL alert number (\d+)/i.exec(m);
  if (/wrong version number|packet length too long|unknown protocol/i.test(m)) return `${where}: the server did not answer with TLS (plain HTTP or another protocol on that port?)`;
  if (e.code === 'ECONNRESET' || /socket hang up|disconnected before secure/i.test(m)) return `${where}: the server closed the connection during the TLS handshake (SNI required or not accepted?)`;
  if (alert) return `${where}: the server refused the TLS handshake with alert ${alert[0].replace(/^.*alert /i, '')} (${m.split(':').pop()?.trim()})`;
  return `${where}: TLS handshake failed: ${m.split('\n')[0]}`;
}

interface Record {
  type: number;
  header: Buffer;
  body: Buffer;
}

function records(data: Buffer): Record[] {
  const out: Record[] = [];
  let p = 0;
  while (p + 5 <= data.length) {
    const len = data.readUInt16BE(p + 3);
    if (p + 5 + len > data.length) break;
    out.push({ type: data[p], header: data.subarray(p, p + 5), body: data.subarray(p + 5, p + 5 + len) });
    p += 5 + len;
  }
  return out;
}

/** Handshake messages (type, body) from concatenated handshake bytes. */
function handshakeMessages(hs: Buffer): { type: number; body: Buffer }[] {
  const out: { type: number; body: Buffer }[] = [];
  let p = 0;
  while (p + 4 <= hs.length) {
    const len = hs.readUIntBE(p + 1, 3);
    if (p + 4 + len > hs.length) break;
    out.push({ type: hs[p], body: hs.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

function tls12Certificates(data: Buffer): Uint8Array[] {
  const hs: Buffer[] = [];
  for (const r of records(data)) {
    if (r.type === 20) break; // ChangeCipherSpec: what follows is encrypted
    if (r.type === 22) hs.push(r.body);
  }
  const msg = handshakeMessages(Buffer.concat(hs)).find((m) => m.type === 11);
  if (!msg) throw new EndpointError('no Certificate message in the TLS 1.2 handshake');
  return certificateList(msg.body.subarray(3, 3 + msg.body.readUIntBE(0, 3)), false);
}

function certificateList(list: Buffer, tls13: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p + 3 <= list.length) {
    const len = list.readUIntBE(p, 3);
    p += 3;
    if (p + len > list.length) throw new Error('truncated certificate list');
    out.push(Uint8Array.from(list.subarray(p, p + len)));
    p += len;
    if (tls13) {
      if (p + 2 > list.length) throw new Error('truncated certificate entry');
      p += 2 + list.readUInt16BE(p);
    }
  }
  return out;
}

const SUITES: { [name: string]: { cipher: string; keyLen: number; hash: string } } = {
  TLS_AES_128_GCM_SHA256: { cipher: 'aes-128-gcm', keyLen: 16, hash: 'sha256' },
  TLS_AES_256_GCM_SHA384: { cipher: 'aes-256-gcm', keyLen: 32, hash: 'sha384' },
  TLS_CHACHA20_POLY1305_SHA256: { cipher: 'chacha20-poly1305', keyLen: 32, hash: 'sha256' },
};

/** HKDF-Expand-Label (RFC 8446 7.1) for outputs no longer than one hash block. */
function expandLabel(hash: string, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  return createHmac(hash, secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, length);
}

function tls13Certificates(data: Buffer, keylog: string[], suiteName: string | undefined): Uint8Array[] {
  const suite = SUITES[suiteName ?? ''];
  if (!suite) throw new Error(`unsupported TLS 1.3 cipher suite ${suiteName}`);
  const line = keylog.find((l) => l.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET '));
  if (!line) throw new Error('no server handshake secret');
  const secret = Buffer.from(line.trim().split(' ')[2], 'hex');
  const key = expandLabel(suite.hash, secret, 'key', suite.keyLen);
  const iv = expandLabel(suite.hash, secret, 'iv', 12);
  const hs: Buffer[] = [];
  let seq = 0n;
  for (const r of records(data)) {
    if (r.type !== 23) continue;
    const nonce = Buffer.from(iv);
    const seqBytes = Buffer.alloc(8);
    seqBytes.writeBigUInt64BE(seq++);
    for (let i = 0; i < 8; i++) nonce[4 + i] ^= seqBytes[i];
    const tag = r.body.subarray(r.body.length - 16);
    const decipher = createDecipheriv(suite.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
    decipher.setAAD(r.header);
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(r.body.subarray(0, r.body.length - 16)), decipher.final()]);
    } catch {
      break; // application data under other keys: the handshake part is over
    }
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) continue;
    if (plain[end] === 22) hs.push(plain.subarray(0, end));
    const msg = handshakeMessages(Buffer.concat(hs)).find((m) => m.type === 11);
    if (msg) {
      const ctxLen = msg.body[0];
      const listStart = 1 + ctxLen;
      const listLen = msg.body.readUIntBE(listStart, 3);
      return certificateList(msg.body.subarray(listStart + 3, listStart + 3 + listLen), true);
    }
  }
  throw new Error('no Certificate message in the TLS 1.3 handshake');
}
