/**
 * The HTTP-01 responder: a small HTTP server that answers
 * GET /.well-known/acme-challenge/<token> with the key authorization
 * (RFC 8555 §8.3), as cert-manager's acmesolver pod does, for the tokens of
 * the current order only; everything else is 404. It listens only while an
 * order needs it and is closed on success, failure and cancel.
 */
import http from 'node:http';
import { UserError } from '../core/errors.js';

const PREFIX = '/.well-known/acme-challenge/';

export interface ListenAddress {
  /** undefined: every interface. */
  host: string | undefined;
  port: number;
}

/** Parses HOST:PORT, :PORT, [v6]:PORT (cert-manager style); the port is required. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new UserError(`"${text}" is not a listen address: use HOST:PORT, :PORT or [IPv6]:PORT, e.g. :80 or 127.0.0.1:5002`);
  const host = m[1] ?? (m[2] === '' ? undefined : m[2]);
  return { host, port };
}

export function formatListenAddress(a: ListenAddress): string {
  return `${a.host === undefined ? '' : a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

export class Http01Responder {
  private readonly tokens = new Map<string, string>();
  private server: http.Server | undefined;
  /** Requests answered with a key authorization (for progress and tests). */
  served = 0;

  constructor(readonly address: ListenAddress) {}

  set(token: string, keyAuthorization: string): void {
    this.tokens.set(token, keyAuthorization);
  }

  delete(token: string): void {
    this.tokens.delete(token);
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.address.port;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      const token = path.startsWith(PREFIX) ? decodeURIComponent(path.slice(PREFIX.length)) : undefined;
      const value = token !== undefined && (req.method === 'GET' || req.method === 'HEAD') ? this.tokens.get(token) : undefined;
      if (value === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      this.served++;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(value) }).end(req.method === 'HEAD' ? undefined : value);
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const where = formatListenAddress(this.address);
        if (e.code === 'EACCES') reject(new UserError(`cannot listen on ${where} for HTTP-01: permission denied (ports below 1024 need privileges)`, 'use --http01-listen with a high port (e.g. :8080) and forward port 80 to it'));
        else if (e.code === 'EADDRINUSE') reject(new UserError(`cannot listen on ${where} for HTTP-01: the port is already in use`, 'stop what holds it, or choose another --http01-listen address that port 80 is forwarded to'));
        else reject(new UserError(`cannot listen on ${where} for HTTP-01: ${e.message}`));
      });
      server.listen(this.address.port, this.address.host, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.tokens.clear();
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
