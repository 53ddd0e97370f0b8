/** Go's net.ParseIP, net.ParseCIDR and net.SplitHostPort, as cert-manager's validation uses them. */
import { isIPv4, isIPv6 } from 'node:net';

/** net.ParseIP accepts dotted IPv4 (no leading zeros) and IPv6 without a zone. */
export function goParseIP(s: string): boolean {
  if (s.includes('%')) return false;
  return isIPv4(s) || isIPv6(s);
}

export function goParseCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash === -1) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^[0-9]+$/.test(bits) || (bits.length > 1 && bits.startsWith('0'))) return false;
  const n = Number(bits);
  if (isIPv4(ip)) return n <= 32;
  if (isIPv6(ip) && !ip.includes('%')) return n <= 128;
  return false;
}

/** net.SplitHostPort: host and port, or Go's error text. */
export function goSplitHostPort(hostport: string): { host: string; port: string } | { error: string } {
  const missingPort = { error: `address ${hostport}: missing port in address` };
  const tooMany = { error: `address ${hostport}: too many colons in address` };
  let host: string;
  let rest: string;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end === -1) return { error: `address ${hostport}: missing ']' in address` };
    host = hostport.slice(1, end);
    rest = hostport.slice(end + 1);
    if (rest === '') return missingPort;
    if (!rest.startsWith(':')) return { error: `address ${hostport}: unexpected ']' in address` };
    rest = rest.slice(1);
    if (rest.includes(':')) return tooMany;
    if (host.includes('[') || host.includes(']')) return { error: `address ${hostport}: unexpected '[' in address` };
  } else {
    const i = hostport.lastIndexOf(':');
    if (i === -1) return missingPort;
    host = hostport.slice(0, i);
    rest = hostport.slice(i + 1);
    if (host.includes(':')) return tooMany;
    if (host.includes('[') || host.includes(']')) return { error: `address ${hostport}: unexpected '[' in address` };
  }
  return { host, port: rest };
}
