/**
 * One-line explanations of a nameserver's answer, for people: the CLI's text
 * output, and the editor's per-nameserver table.
 */
import { formatDuration, formatTtl } from './durations.js';
import type { NameserverResult, PropagationReport } from './propagation.js';

type ResultStatus = 'ok' | 'stale' | 'missing' | 'timeout' | 'error';

export interface Explanation {
  status: ResultStatus;
  /** Why, in one sentence. */
  reason: string;
}

const quote = (values: string[]) => values.map((v) => JSON.stringify(v)).join(', ');

export function explainResult(r: NameserverResult, expected: string[]): Explanation {
  if (r.rcode === 'TIMEOUT') return { status: 'timeout', reason: r.error ?? 'no answer' };
  if (r.error !== null) return { status: 'error', reason: r.error };
  const missing = expected.filter((v) => !r.values.includes(v));
  const cached = r.role === 'recursive';
  const ttl = r.ttl === null ? '' : formatTtl(r.ttl);
  if (r.matched) {
    const extra = expected.length ? r.values.filter((v) => !expected.includes(v)) : [];
    return {
      status: 'ok',
      reason: `${expected.length ? 'holds the expected value' + (expected.length > 1 ? 's' : '') : 'holds a TXT value'}: ${quote(r.values)}${extra.length ? ` (${extra.length} other)` : ''}${ttl ? `, TTL ${ttl}` : ''}`,
    };
  }
  if (r.rcode === 'NXDOMAIN') {
    return cached
      ? { status: 'stale', reason: `NXDOMAIN: this resolver says the name does not exist${ttl ? `, and may keep saying so for up to ${ttl} (negative caching, SOA minimum)` : ''}` }
      : { status: 'missing', reason: 'NXDOMAIN: the name does not exist on this server (the record has not been created here, or was deleted)' };
  }
  if (r.rcode === 'NODATA') {
    return cached
      ? { status: 'stale', reason: `NODATA: the name exists but this resolver has no TXT record for it${ttl ? `, and may keep that answer for up to ${ttl} (negative caching)` : ''}` }
      : { status: 'missing', reason: 'NODATA: the name exists on this server but has no TXT record' };
  }
  const have = r.values.length ? `has ${quote(r.values)}` : 'has no value';
  const lacking = missing.length ? `; missing ${quote(missing)}` : '';
  return cached
    ? { status: 'stale', reason: `${have}${lacking}: an older answer from the cache${ttl ? `, which may stay for up to ${ttl} (TTL)` : ''}` }
    : { status: 'missing', reason: `${have}${lacking}: the update has not reached this server` };
}

/** "2 of 3 nameservers hold the expected value" */
export function summarize(report: PropagationReport): string {
  const ok = report.nameservers.filter((n) => n.matched).length;
  const what = report.expected.length === 0 ? 'a TXT value' : report.expected.length === 1 ? 'the expected value' : `all ${report.expected.length} expected values`;
  return `${ok} of ${report.nameservers.length} nameserver${report.nameservers.length === 1 ? '' : 's'} hold${ok === 1 && report.nameservers.length === 1 ? 's' : ''} ${what}`;
}

/** A report as `certsmith dns check` prints it: the verdict, the zone, one line per nameserver. */
export function renderPropagationText(report: PropagationReport): string {
  const lines: string[] = [];
  lines.push(`${report.name}: ${report.propagated ? 'propagated' : 'NOT propagated'} (${summarize(report)}; ${formatDuration(report.elapsedMs)})`);
  if (report.cname.length) lines.push(`  CNAME: ${[report.name, ...report.cname].join(' -> ')}`);
  lines.push(`  zone: ${report.zone || '(unknown)'}`);
  if (report.expected.length) lines.push(`  expected: ${report.expected.map((v) => JSON.stringify(v)).join(', ')}`);
  const label = (n: PropagationReport['nameservers'][number]) => (n.nameserver ? `${n.nameserver} ${n.server}` : n.server);
  const width = Math.max(...report.nameservers.map((n) => label(n).length), 6);
  for (const n of report.nameservers) {
    const e = explainResult(n, report.expected);
    const status = e.status.toUpperCase().padEnd(7);
    const role = n.role === 'authoritative' ? 'authoritative' : 'recursive    ';
    lines.push(`  ${status} ${role} ${label(n).padEnd(width)}  ${n.rcode.padEnd(8)} ${e.reason}`);
  }
  return lines.join('\n') + '\n';
}
