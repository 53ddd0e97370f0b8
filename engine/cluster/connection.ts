/**
 * HTTPS to one API server, with the credentials and CA of a kubeconfig
 * context (client-node's KubeConfig: client certificates, bearer tokens,
 * token files, exec credential plugins, basic auth, the cluster's CA and
 * tls-server-name, insecure-skip-tls-verify).
 *
 * One keep-alive connection pool per connection (maxSockets bounds the
 * requests in flight), a time limit per request, and failures turned into
 * ClusterErrors that say what happened (refused, not trusted, 401, timeout).
 * Response bodies are handed to the caller and never logged: they may hold
 * Secret data.
 */
import http from 'node:http';
import https from 'node:https';
import { ClusterError, networkError, timeoutError, type Endpoint } from './cluster-error.js';
import type { ClusterTarget } from './kubeconfig.js';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { proxyFor, type ProxyChoice } from './proxy.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_SOCKETS = 8;

export interface ConnectionOptions {
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Connections kept to the server, and so requests in flight (default 8). */
  maxSockets?: number;
  /** The environment for HTTPS_PROXY, HTTP_PROXY and NO_PROXY (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** For the timeout message: "to PATCH certificates/web". */
  what?: string;
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** The body as JSON, or undefined when it is not JSON (a proxy's HTML page, "404 page not found"). */
export function jsonBody(r: ApiResponse): any {
  try {
    return JSON.parse(r.text);
  } catch {
    return undefined;
  }
}

interface Auth {
  headers: Record<string, string>;
  auth?: string;
}

export class ClusterConnection {
  readonly endpoint: Endpoint;
  private readonly base: string;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  /** Static credentials are read once; plugin and token-file users are asked per request (tokens expire). */
  private readonly dynamicAuth: boolean;

  private constructor(
    readonly target: ClusterTarget,
    agent: http.Agent,
    private readonly streamAgent: http.Agent,
    /** The proxy the requests go through, if any. */
    readonly proxy: ProxyChoice | undefined,
    private staticAuth: Auth,
    options: ConnectionOptions,
  ) {
    this.endpoint = { context: target.context, server: target.server, cluster: target.cluster, user: target.user, ...(proxy ? { proxy: `${proxy.shown} (${proxy.from})` } : {}) };
    this.base = target.server.replace(/\/+$/, '');
    this.agent = agent;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const user = target.kc.getCurrentUser();
    this.dynamicAuth = !!(user && (user.exec || user.authProvider));
  }

  /** Reads the context's credentials (runs an exec plugin if it has one) and prepares the connection pool. Sends nothing. */
  static async open(target: ClusterTarget, options: ConnectionOptions = {}): Promise<ClusterConnection> {
    let url: URL;
    try {
      url = new URL(target.server);
    } catch {
      throw new ClusterError('config', `cluster "${target.cluster}" of context "${target.context}" has no valid server address ("${target.server}")`);
    }
    const tls = await credentials(target);
    const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
    let proxy: ProxyChoice | undefined;
    const proxyUrl = target.kc.getCurrentCluster()?.proxyUrl;
    try {
      proxy = proxyFor(url, proxyUrl, options.env ?? process.env);
    } catch {
      throw new ClusterError('config', `cluster "${target.cluster}" of context "${target.context}" has a proxy-url that is not a URL`, 'Write it as http://HOST:PORT, https://HOST:PORT or socks5://HOST:PORT.');
    }
    if (proxy && !/^(https?|socks[45]?h?):$/.test(proxy.url.protocol)) {
      throw new ClusterError('config', `the proxy ${proxy.shown} (${proxy.from}) has a scheme Certsmith cannot use`, 'Use an http://, https:// or socks5:// proxy, as kubectl does.');
    }
    const makeAgent = (keepAlive: boolean, sockets: number): http.Agent => {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new ClusterError('config', `cluster "${target.cluster}" of context "${target.context}" has server ${target.server}: only https:// (or http://) is supported`);
      }
      const tlsOptions = {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        pfx: tls.pfx,
        passphrase: tls.passphrase,
        servername: tls.servername,
        // Only when the kubeconfig says insecure-skip-tls-verify; otherwise always verified.
        rejectUnauthorized: tls.rejectUnauthorized !== false,
      };
      if (proxy?.url.protocol.startsWith('socks')) {
        return new SocksProxyAgent(proxy.url, { keepAlive, maxSockets: sockets, ...(url.protocol === 'https:' ? tlsOptions : {}) }) as unknown as http.Agent;
      }
      if (proxy) {
        return url.protocol === 'https:'
          ? new HttpsProxyAgent({ proxy: proxy.url, keepAlive, maxSockets: sockets, ...tlsOptions })
          : new HttpProxyAgent({ proxy: proxy.url, keepAlive, maxSockets: sockets });
      }
      return url.protocol === 'https:' ? new https.Agent({ keepAlive, maxSockets: sockets, ...tlsOptions }) : new http.Agent({ keepAlive, maxSockets: sockets });
    };
    const agent = makeAgent(true, maxSockets);
    // Watches hold their connection for minutes: they get sockets of their own, outside the pool.
    const streamAgent = makeAgent(false, Infinity);
    return new ClusterConnection(target, agent, streamAgent, proxy, { headers: { ...((tls.headers as Record<string, string>) ?? {}) }, auth: tls.auth ?? undefined }, options);
  }

  /** Sends a request; returns any HTTP answer except 401, which throws (as do network failures and the time limit). */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const auth = this.dynamicAuth ? await credentials(this.target) : this.staticAuth;
    let url = this.base + path;
    const q = Object.entries(options.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    if (q.length) url += (url.includes('?') ? '&' : '?') + new URLSearchParams(q).toString();
    const headers: Record<string, string> = { ...(auth.headers ?? {}), 'user-agent': 'certsmith', accept: options.accept ?? 'application/json' };
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const mod = url.startsWith('https:') ? https : http;
    const response = await new Promise<ApiResponse>((resolve, reject) => {
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(e instanceof ClusterError ? e : networkError(e, this.endpoint));
      };
      const req = mod.request(url, { method, agent: this.agent, headers, auth: auth.auth }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(() => {
        const e = timeoutError(this.endpoint, timeoutMs, options.what ?? `${method} ${path.split('?')[0]}`);
        req.destroy(e);
        fail(e);
      }, timeoutMs);
      const onAbort = () => {
        const e = new ClusterError('aborted', 'cancelled');
        req.destroy(e);
        fail(e);
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.end(options.body);
    });
    if (response.status === 401) throw this.unauthorized(response);
    return response;
  }

  /**
   * A streaming GET (a watch): calls onLine for each line of the body as it
   * arrives. Resolves with the HTTP status when the server ends the stream
   * (after its timeoutSeconds, or when it stops); a non-200 answer resolves
   * with its status and body without calling onLine. Rejects on a network
   * failure (the API server went away mid-stream) or when the signal aborts.
   * Only the connection phase has a time limit: a watch may be quiet for long.
   */
  async stream(path: string, options: RequestOptions & { onLine: (line: string) => void }): Promise<ApiResponse> {
    const auth = this.dynamicAuth ? await credentials(this.target) : this.staticAuth;
    let url = this.base + path;
    const q = Object.entries(options.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    if (q.length) url += (url.includes('?') ? '&' : '?') + new URLSearchParams(q).toString();
    const headers: Record<string, string> = { ...(auth.headers ?? {}), 'user-agent': 'certsmith', accept: 'application/json' };
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const mod = url.startsWith('https:') ? https : http;
    const response = await new Promise<ApiResponse>((resolve, reject) => {
      let settled = false;
      const finish = (e: unknown, r?: ApiResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (r) resolve(r);
        else reject(e instanceof ClusterError ? e : networkError(e, this.endpoint));
      };
      // A watch gets a connection of its own: it would hold a pooled socket for minutes.
      const req = mod.request(url, { method: 'GET', agent: this.streamAgent, headers, auth: auth.auth }, (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        let buffered = '';
        const chunks: Buffer[] = [];
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (status !== 200) {
            chunks.push(Buffer.from(c));
            return;
          }
          buffered += c;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) !== -1) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) options.onLine(line);
          }
        });
        res.on('error', (e) => finish(e));
        res.on('aborted', () => finish(Object.assign(new Error('the connection was closed mid-stream'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (status === 200 && buffered.trim()) options.onLine(buffered.trim());
          finish(undefined, { status, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(() => {
        const e = timeoutError(this.endpoint, timeoutMs, options.what ?? `GET ${path.split('?')[0]}`);
        req.destroy(e);
        finish(e);
      }, timeoutMs);
      const onAbort = () => {
        const e = new ClusterError('aborted', 'cancelled');
        req.destroy(e);
        finish(e);
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => finish(e));
      req.end();
    });
    if (response.status === 401) throw this.unauthorized(response);
    return response;
  }

  /** A 401 answer in words: the credentials are wrong or have expired. */
  private unauthorized(response: ApiResponse): ClusterError {
    const server = jsonBody(response)?.message as string | undefined;
    return new ClusterError(
      'unauthorized',
      `the API server of context "${this.endpoint.context}" at ${this.endpoint.server} does not accept the credentials of user "${this.endpoint.user}" (401 Unauthorized${server && server !== 'Unauthorized' ? `: ${server}` : ''}): they are wrong or have expired`,
      'Log in again (refresh the token or client certificate in the kubeconfig), or pick another --context.',
    );
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }
}

/** TLS material and auth headers from the kubeconfig (runs the exec plugin, reads token files). */
async function credentials(target: ClusterTarget): Promise<https.RequestOptions & Auth> {
  const opts: https.RequestOptions = {};
  try {
    await target.kc.applyToHTTPSOptions(opts);
  } catch (e) {
    const msg = ((e as Error).message ?? String(e)).split('\n')[0];
    throw new ClusterError('unauthorized', `cannot get the credentials of user "${target.user}" (context "${target.context}"): ${msg}`, 'Check the user entry of the kubeconfig (its exec plugin, token or certificate files).');
  }
  // client-node builds its own agent here; ours replaces it.
  delete opts.agent;
  return opts as https.RequestOptions & Auth;
}
