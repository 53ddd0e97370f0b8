/**
 * The HTTP transport under acme-client, one per Issuer, so that the Issuer's
 * `caBundle` and `skipTLSVerify` apply to that Issuer's ACME server only and
 * never to the process (acme-client's own transport is one shared axios
 * instance). It also gives every request a time limit, a cancel signal, and
 * bounded, explained retries:
 *  - a server that cannot be reached: two more tries, then an UserError that
 *    says so (a CA that is down fails in seconds, not minutes);
 *  - 429 rateLimited and 5xx: wait as Retry-After asks (seconds or an HTTP
 *    date) when that fits in the time left, at most 5 times;
 *  - TLS trust failures: no retry; a message pointing at spec.acme.caBundle.
 * badNonce is retried above this layer, by acme-client (per request).
 */
import http from 'node:http';
import https from 'node:https';
import { CancelledError, UserError } from '../core/errors.js';

interface AcmeResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON for JSON bodies, else the body as text (a PEM chain). */
  data: unknown;
}

interface AcmeRequestOptions {
  data?: unknown;
  headers?: Record<string, string>;
}

export type AcmeRequest = (url: string, method: string, opts?: AcmeRequestOptions) => Promise<AcmeResponse>;

export interface TransportOptions {
  /** PEM bundle trusted for the ACME server's TLS certificate (spec.acme.caBundle), instead of Node's roots. */
  caBundlePem?: string;
  /** spec.acme.skipTLSVerify: do not check the server's certificate at all. */
  skipTLSVerify?: boolean;
  /** Per request (default 30 s). */
  requestTimeoutMs?: number;
  /** Epoch milliseconds after which no retry is started. */
  deadline: number;
  signal?: AbortSignal;
  /** Told about each wait before a retry. */
  onRetry?: (message: string) => void;
  /** Told about every problem document (RFC 8555 §6.7) the server answers with; acme-client keeps only its detail. */
  onProblem?: (problem: AcmeProblem) => void;
}

/** An error answer of the ACME server: its type without the `urn:ietf:params:acme:error:` prefix. */
export interface AcmeProblem {
  url: string;
  status: number;
  type: string;
  detail: string;
}

const MAX_RETRIES = 5;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

export function createAcmeTransport(options: TransportOptions): AcmeRequest {
  const agent = new https.Agent({
    keepAlive: true,
    ca: options.caBundlePem && !options.skipTLSVerify ? options.caBundlePem : undefined,
    rejectUnauthorized: !options.skipTLSVerify,
  });
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  const once = (url: URL, method: string, body: string | undefined, headers: Record<string, string>): Promise<AcmeResponse> =>
    new Promise((resolve, reject) => {
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(
        url,
        {
          method: method.toUpperCase(),
          agent: url.protocol === 'https:' ? agent : undefined,
          headers: { 'User-Agent': 'certsmith', ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
          signal: options.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > 16 * 1024 * 1024) req.destroy(new Error('the response is larger than 16 MiB'));
            else chunks.push(c);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const responseHeaders: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
            let data: unknown = text;
            if (/json/i.test(responseHeaders['content-type'] ?? '') && text !== '') {
              try {
                data = JSON.parse(text);
              } catch {
                data = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: responseHeaders, data });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no response within ${Math.round(timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });

  return async (urlText, method, opts = {}) => {
    const url = new URL(urlText);
    const body = opts.data === undefined ? undefined : typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
    // As acme-client's own transport does: every request is JOSE (RFC 8555 §6.2).
    const headers = { ...(opts.headers ?? {}), 'Content-Type': 'application/jose+json' };
    let unreachableTries = 0;
    for (let retry = 0; ; retry++) {
      if (options.signal?.aborted) throw new CancelledError();
      let res: AcmeResponse;
      try {
        res = await once(url, method, body, headers);
      } catch (e) {
        if (options.signal?.aborted) throw new CancelledError();
        const code = String((e as NodeJS.ErrnoException).code ?? '');
        if (TLS_TRUST.test(code) || TLS_TRUST.test((e as Error).message)) {
          throw new UserError(
            `the TLS certificate of the ACME server ${url.origin} is not trusted (${(e as Error).message})`,
            options.caBundlePem ? 'spec.acme.caBundle does not hold the CA that signed it' : 'if it is a private CA, put its CA certificate (base64 PEM) in the Issuer\'s spec.acme.caBundle',
          );
        }
        if (UNREACHABLE.has(code) && unreachableTries < 2 && Date.now() + 1000 * (unreachableTries + 1) < options.deadline) {
          unreachableTries++;
          options.onRetry?.(`the ACME server ${url.origin} did not answer (${code}); trying again in ${unreachableTries} s`);
          await sleep(1000 * unreachableTries, options.signal);
          continue;
        }
        const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ETIMEDOUT' ? (e as Error).message : `${code || 'error'}: ${(e as Error).message}`;
        throw new UserError(`the ACME server ${url.origin} cannot be reached (${why})`, 'check the Issuer\'s spec.acme.server and that the CA is up');
      }
      if (res.status >= 400) reportProblem(urlText, res, options.onProblem);
      const retryable = res.status === 429 || (res.status >= 500 && res.status <= 599);
      if (!retryable || retry >= MAX_RETRIES) return res;
      const waitMs = retryAfterMs(res.headers['retry-after']) ?? 1000 * (retry + 1);
      if (Date.now() + waitMs > options.deadline) return res;
      const what = res.status === 429 ? 'rate-limited the request' : `answered ${res.status}`;
      options.onRetry?.(`the ACME server ${what}; trying again in ${Math.ceil(waitMs / 1000)} s${res.headers['retry-after'] !== undefined ? ' (its Retry-After)' : ''}`);
      await sleep(waitMs, options.signal);
    }
  };
}

function reportProblem(url: string, res: AcmeResponse, onProblem: TransportOptions['onProblem']): void {
  const data = res.data as { type?: unknown; detail?: unknown } | null;
  if (!onProblem || typeof data !== 'object' || data === null || typeof data.type !== 'string') return;
  onProblem({ url, status: res.status, type: data.type.replace('urn:ietf:params:acme:error:', ''), detail: typeof data.detail === 'string' ? data.detail : '' });
}

/** Retry-After as delay seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
