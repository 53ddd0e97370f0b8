/**
 * Which proxy a request to the API server goes through, as client-go (and so
 * kubectl) decides it:
 *
 *   1. the cluster's `proxy-url` in the kubeconfig (http://, https://,
 *      socks5://), for every address;
 *   2. otherwise HTTPS_PROXY (for an https:// server) or HTTP_PROXY (for
 *      http://), upper or lower case, unless NO_PROXY names the host (a name,
 *      a .suffix or suffix, an IP, a CIDR, optionally :port, or *), and never
 *      for localhost or a loopback address (Go's httpproxy rule).
 *
 * The agents are hpagent's (HTTP CONNECT) and socks-proxy-agent's; they carry
 * the kubeconfig's TLS material like the direct agent. A proxy URL may hold a
 * user and password: `shown` is the URL without them, for messages.
 */
import { isIP } from 'node:net';

type ProxySource = 'proxy-url' | 'HTTPS_PROXY' | 'HTTP_PROXY';

export interface ProxyChoice {
  url: URL;
  from: ProxySource;
  /** scheme://host:port, without credentials. */
  shown: string;
}

function shownProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (isIP(ip) === 4 && isIP(base!) === 4 && bits >= 0 && bits <= 32) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base!) & mask);
  }
  return false;
}

/** Whether NO_PROXY exempts host:port. */
export function noProxyMatches(noProxy: string | undefined, host: string, port: string): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(h, entry)) return true;
      continue;
    }
    let entryPort: string | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !entry.startsWith('[') && isIP(entry) !== 6) {
      entry = m[1]!;
      entryPort = m[2];
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entryPort && entryPort !== port) continue;
    if (isIP(entry)) {
      if (entry === h) return true;
      continue;
    }
    const suffix = entry.startsWith('.') ? entry : `.${entry}`;
    if (h === suffix.slice(1) || h.endsWith(suffix)) return true;
  }
  return false;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/** The proxy for `server`, or undefined for a direct connection. Throws on a proxy-url that is not a URL. */
export function proxyFor(server: URL, proxyUrl: string | undefined, env: Record<string, string | undefined> = process.env): ProxyChoice | undefined {
  if (proxyUrl) {
    const url = new URL(proxyUrl);
    return { url, from: 'proxy-url', shown: shownProxy(url) };
  }
  const name = server.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = envValue(env, name);
  if (!value) return undefined;
  if (isLoopback(server.hostname)) return undefined;
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  if (noProxyMatches(envValue(env, 'NO_PROXY'), server.hostname, port)) return undefined;
  // Go accepts a bare host:port in these variables and means http://.
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  return { url, from: name, shown: shownProxy(url) };
}
