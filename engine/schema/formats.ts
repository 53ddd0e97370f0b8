/**
 * String formats the Kubernetes API server checks (kube-openapi's strfmt
 * registry). Formats it does not know are not checked, as there.
 */
import { isIPv4, isIPv6 } from 'node:net';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;

interface FormatCheck {
  test: (s: string) => boolean;
  expected: string;
}

const FORMATS: Record<string, FormatCheck> = {
  byte: { test: (s) => BASE64.test(s), expected: 'base64-encoded data (standard alphabet, with padding, no line breaks)' },
  'date-time': { test: (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), expected: 'an RFC 3339 date-time such as 2026-01-31T12:00:00Z' },
  datetime: { test: (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), expected: 'an RFC 3339 date-time such as 2026-01-31T12:00:00Z' },
  date: { test: (s) => DATE.test(s), expected: 'a date such as 2026-01-31' },
  ipv4: { test: (s) => isIPv4(s), expected: 'an IPv4 address' },
  ipv6: { test: (s) => isIPv6(s), expected: 'an IPv6 address' },
  uuid: { test: (s) => UUID.test(s), expected: 'a UUID' },
  hostname: { test: (s) => HOSTNAME.test(s), expected: 'a host name' },
  email: { test: (s) => EMAIL.test(s), expected: 'an email address' },
  mac: { test: (s) => MAC.test(s), expected: 'a MAC address' },
  cidr: {
    test: (s) => {
      const [ip, bits, extra] = s.split('/');
      if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
      const n = Number(bits);
      return (isIPv4(ip) && n <= 32) || (isIPv6(ip) && n <= 128);
    },
    expected: 'a CIDR such as 10.0.0.0/8',
  },
};

/** Undefined when the value is fine (or the format is not checked), else what was expected. */
export function checkFormat(format: string, value: string): string | undefined {
  const f = FORMATS[format];
  if (!f) return undefined;
  return f.test(value) ? undefined : f.expected;
}
