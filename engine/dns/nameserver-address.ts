/**
 * Where a DNS query goes: a classic nameserver (IP address and port; UDP with
 * TCP fallback) or a DNS-over-HTTPS endpoint (an https:// URL, RFC 8484).
 *
 * The syntax mirrors cert-manager's `--dns01-recursive-nameservers`:
 * a comma-separated list of `host:port` and `https://` URLs. IPv6 addresses
 * take brackets when a port is given (`[2001:db8::53]:53`). A missing port
 * means 53. Host names are refused for classic servers: resolving them would
 * go through the system resolver, which is exactly what the checker must not
 * rely on silently. (A DoH URL's host name is resolved by the system, as any
 * HTTPS client does; write an IP address in the URL to avoid that.)
 */
import { isIP } from 'node:net';

export type NameserverAddress =
  | { kind: 'dns'; host: string; port: number; family: 4 | 6 }
  | { kind: 'https'; url: string };

export class NameserverSyntaxError extends Error {}

export const DNS_PORT = 53;

function parsePort(text: string, whole: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new NameserverSyntaxError(`"${whole}": the port "${text}" is not a number from 1 to 65535`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new NameserverSyntaxError(`"${whole}": the port ${port} is not from 1 to 65535`);
  return port;
}

/** Parses one nameserver: `1.2.3.4`, `1.2.3.4:5353`, `[::1]:53`, `::1`, `https://host/dns-query`. */
export function parseNameserver(input: string): NameserverAddress {
  const text = input.trim();
  if (text === '') throw new NameserverSyntaxError('an empty nameserver (two commas in a row, or a trailing comma?)');
  if (/^https:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new NameserverSyntaxError(`"${text}" is not a valid https:// URL`);
    }
    if (url.hostname === '') throw new NameserverSyntaxError(`"${text}" has no host`);
    return { kind: 'https', url: url.toString() };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new NameserverSyntaxError(`"${text}": only https:// URLs (DNS over HTTPS) and host:port addresses are supported`);
  }
  let host: string;
  let port = DNS_PORT;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], text);
    if (isIP(host) !== 6) throw new NameserverSyntaxError(`"${text}": "${host}" in brackets is not an IPv6 address`);
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      port = parsePort(text.slice(colon + 1), text);
    } else host = text;
    if (host.includes(':')) throw new NameserverSyntaxError(`"${text}": write an IPv6 address with a port as [address]:port`);
  }
  const family = isIP(host);
  if (family === 0) {
    if (host === '') throw new NameserverSyntaxError(`"${text}" has no address`);
    throw new NameserverSyntaxError(
      `"${text}": "${host}" is not an IP address; give nameservers as IP:port (host names would be resolved by the system resolver)`,
    );
  }
  return { kind: 'dns', host: host.toLowerCase(), port, family: family as 4 | 6 };
}

/** Parses a comma-separated list (what `--recursive-nameservers` takes). */
export function parseNameserverList(input: string): NameserverAddress[] {
  if (input.trim() === '') throw new NameserverSyntaxError('the nameserver list is empty');
  return input.split(',').map((part) => parseNameserver(part));
}

/** `127.0.0.1:53`, `[::1]:53`, or the DoH URL. */
export function formatNameserver(address: NameserverAddress): string {
  if (address.kind === 'https') return address.url;
  return address.family === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export function dnsServer(host: string, port = DNS_PORT): NameserverAddress {
  const family = isIP(host);
  if (family === 0) throw new NameserverSyntaxError(`"${host}" is not an IP address`);
  return { kind: 'dns', host, port, family: family as 4 | 6 };
}
