/**
 * Go's time.ParseDuration and time.Duration.String(), as cert-manager reads
 * `duration`, `renewBefore` and other metav1.Duration fields and words its
 * messages ("certificate duration must be greater than 1h0m0s").
 */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5
  'μs': 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds, or an error text as Go words it. */
export function parseGoDuration(s: string): { ns: number } | { error: string } {
  const orig = s;
  const bad = { error: `time: invalid duration "${orig}"` };
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ns: 0 };
  if (s === '') return bad;
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const intPart = m[1];
    const frac = m[3];
    if (intPart === '' && (frac === undefined || frac === '')) return bad;
    s = s.slice(m[0].length);
    const u = /^[^0-9.]+/.exec(s);
    if (!u) return { error: `time: missing unit in duration "${orig}"` };
    const unit = u[0];
    const scale = UNIT_NS[unit];
    if (scale === undefined) return { error: `time: unknown unit "${unit}" in duration "${orig}"` };
    s = s.slice(unit.length);
    total += Number(intPart || '0') * scale + (frac ? Number(`0.${frac}`) * scale : 0);
    if (total > 9.223372036854775807e18) return { error: `time: invalid duration "${orig}"` };
  }
  return { ns: neg ? -total : total };
}

/** Go's Duration.String(): 2160h0m0s, 30m0s, 1.5s, 500ms, 0s. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  let out: string;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${trimFraction(u / 1e3)}µs`;
    else out = `${trimFraction(u / 1e6)}ms`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const s = trimFraction(u / 1e9);
    out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(x: number): string {
  return String(Number(x.toFixed(9)));
}

export const HOUR = 3600e9;
export const MINUTE = 60e9;
