/**
 * Errors that stop a whole cluster operation (not one object): a kubeconfig
 * that cannot be used, an API server that cannot be reached or not trusted,
 * credentials it refuses, no answer in time. Each message names the context
 * and the address, says what happened in words, and what to do about it;
 * no stack trace is ever meant for the user.
 */

export type ClusterErrorKind =
  /** The kubeconfig: missing, unreadable, no such context, no cluster for it. */
  | 'config'
  /** Connection refused, host unknown, no route, connection reset. */
  | 'unreachable'
  /** The server's certificate is not trusted by the kubeconfig's CA (or the name does not match). */
  | 'tls'
  /** 401: the credentials are wrong or expired, or a credential plugin failed. */
  | 'unauthorized'
  /** No answer within the time limit. */
  | 'timeout'
  /** An answer the client cannot work with (an unexpected status on discovery, not JSON). */
  | 'server'
  /** 403: RBAC does not allow this verb on this resource for this user. */
  | 'forbidden'
  /** The object asked for does not exist. */
  | 'not-found'
  /** The cluster does not serve the kind (cert-manager or the Gateway API not installed, another version). */
  | 'not-served'
  /** A watch or wait ran out of time (the object did not reach the state waited for). */
  | 'wait-timeout'
  /** Cancelled by the caller. */
  | 'aborted';

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    /** What the user can do about it (one sentence), when there is something. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** Where a request went: for messages. */
export interface Endpoint {
  context: string;
  server: string;
  /** The kubeconfig's cluster entry (for "check certificate-authority of cluster X"). */
  cluster?: string;
  user?: string;
  /** The proxy in between, "http://proxy:3128 (proxy-url)", without credentials. */
  proxy?: string;
}

const TLS_TRUST = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

const TLS_OTHER: Record<string, string> = {
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the clocks)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not valid for this address',
  HOSTNAME_MISMATCH: 'its certificate is not valid for this address',
};

/** A socket, DNS or TLS failure of a request, as a ClusterError that says what it means. */
export function networkError(e: unknown, ep: Endpoint): ClusterError {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code ?? '';
  const at = `the API server of context "${ep.context}" at ${ep.server}`;
  if (ep.proxy) {
    const bad = /^Bad response: (\d+)/.exec(err?.message ?? '');
    if (bad) {
      const status = Number(bad[1]);
      // 407 is the standard answer; some proxies (tinyproxy) say 401.
      const auth = status === 407 || status === 401;
      const why = auth ? ' (the proxy wants other credentials)' : status === 403 ? ' (Forbidden)' : status >= 500 ? ' (it could not connect onwards)' : '';
      return new ClusterError(
        'unreachable',
        `the proxy ${ep.proxy} refused to open a tunnel to ${at}: HTTP ${status}${why}`,
        auth ? 'Check the user and password in the proxy URL.' : status === 403 ? "Check that the proxy allows CONNECT to the API server's host and port." : 'Check that the proxy can reach the API server.',
      );
    }
    const PROXY_UNREACHABLE: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'its host name does not resolve', EAI_AGAIN: 'its host name does not resolve', ETIMEDOUT: 'the connection timed out', EHOSTUNREACH: 'no route to the host', ENETUNREACH: 'no route to the host' };
    // These can only be the proxy's own address: past it, failures come back as its HTTP answer.
    if (code in PROXY_UNREACHABLE) {
      const reason = PROXY_UNREACHABLE[code];
      return new ClusterError('unreachable', `cannot reach the proxy ${ep.proxy} for ${at}: ${reason}`, 'Is the proxy running, and is this its address (proxy-url in the kubeconfig, or HTTPS_PROXY)?');
    }
  }
  const clusterEntry = ep.cluster ? `cluster "${ep.cluster}"` : 'the cluster';
  if (TLS_TRUST.has(code)) {
    return new ClusterError(
      'tls',
      `${at} is not trusted: its certificate is not signed by the CA the kubeconfig names for ${clusterEntry} (${tlsReason(code)})`,
      `Check certificate-authority / certificate-authority-data of ${clusterEntry} in the kubeconfig: it must be the CA of this API server.`,
    );
  }
  if (code in TLS_OTHER) {
    return new ClusterError('tls', `${at} is not trusted: ${TLS_OTHER[code]}${err.reason ? ` (${err.reason})` : ''}`, `Check the server address and tls-server-name of ${clusterEntry} in the kubeconfig.`);
  }
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS')) {
    return new ClusterError('tls', `${at}: the TLS handshake failed (${err.message})`, `Is ${ep.server} an HTTPS Kubernetes API server?`);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new ClusterError('unreachable', `cannot reach ${at}: connection refused`, 'Is the cluster running, and is this its address? (kubectl config view shows the kubeconfig in use)');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ClusterError('unreachable', `cannot reach ${at}: the host name ${safeHost(ep.server)} does not resolve`, 'Check the server address in the kubeconfig, and the VPN or DNS it needs.');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ClusterError('unreachable', `cannot reach ${at}: no route to the host`, 'Check the network (VPN, firewall) between this machine and the cluster.');
    case 'ECONNRESET':
    case 'EPIPE':
      return new ClusterError('unreachable', `${at} closed the connection (${code})`, 'Is it a Kubernetes API server, and is a proxy in between?');
    case 'ETIMEDOUT':
      return new ClusterError('timeout', `cannot reach ${at}: the connection timed out`, 'Is the cluster running, and is this its address?');
    default:
      return new ClusterError('unreachable', `cannot reach ${at}: ${err?.message ?? String(e)}`);
  }
}

function tlsReason(code: string): string {
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'unable to verify the first certificate';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'self-signed certificate in the chain';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'self-signed certificate';
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'unable to get the issuer certificate';
    default:
      return code;
  }
}

function safeHost(server: string): string {
  try {
    return new URL(server).hostname;
  } catch {
    return server;
  }
}

/** The time limit of a request, in words. */
export function timeoutError(ep: Endpoint, ms: number, what: string): ClusterError {
  const s = ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
  return new ClusterError('timeout', `the API server of context "${ep.context}" at ${ep.server} did not answer ${what} within ${s}`, 'Is the cluster overloaded or behind a slow link? Raise --request-timeout to wait longer.');
}
