/**
 * An explanation as text, for `certsmith explain certificate` and for
 * editors without a webview: the verdict, the root cause with its code,
 * evidence and next action, the CA's problem document verbatim, the
 * nameserver's answer or the per-nameserver propagation table, the retry
 * time, why cert-manager re-issues, and the objects with their state.
 */
import type { Explanation, RecordCheck } from './explanation.js';
import { formatWait } from './issuance-backoff.js';

const VERDICT: Record<Explanation['verdict'], string> = { healthy: 'HEALTHY', 'not-ready': 'NOT READY', progressing: 'ISSUING' };

function until(iso: string | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  const ms = t - now;
  return ms >= 0 ? ` (in ${formatWait(ms)})` : ` (${formatWait(-ms)} ago)`;
}

function renderRecordCheck(rc: RecordCheck, pad = '  '): string[] {
  const out = [`${pad}${rc.name}: ${rc.error ? `check not done: ${rc.error}` : rc.propagated ? 'propagated' : 'NOT propagated'}${rc.zone ? ` (zone ${rc.zone})` : ''}; expected ${rc.expected.map((v) => JSON.stringify(v)).join(', ') || 'any TXT value'}`];
  if (rc.error) return out;
  const label = (n: RecordCheck['nameservers'][number]) => (n.nameserver ? `${n.nameserver} ${n.server}` : n.server);
  const width = Math.max(6, ...rc.nameservers.map((n) => label(n).length));
  out.push(`${pad}  ${'STATUS'.padEnd(8)}${'ROLE'.padEnd(15)}${'NAMESERVER'.padEnd(width + 2)}${'RCODE'.padEnd(9)}ANSWER`);
  for (const n of rc.nameservers) out.push(`${pad}  ${n.status.toUpperCase().padEnd(8)}${n.role.padEnd(15)}${label(n).padEnd(width + 2)}${n.rcode.padEnd(9)}${n.reason}`);
  return out;
}

export function renderExplanation(x: Explanation): string {
  const now = Date.parse(x.checkedAt);
  const out: string[] = [];
  out.push(`Certificate ${x.namespace}/${x.name}: ${VERDICT[x.verdict]} (context ${x.context})`);
  if (x.verdict === 'healthy') {
    out.push(`  It is Ready and up to date.${x.renewal?.renewalTime ? ` cert-manager renews it at ${x.renewal.renewalTime}${until(x.renewal.renewalTime, now)}.` : ''}${x.renewal?.notAfter ? ` Valid until ${x.renewal.notAfter}${until(x.renewal.notAfter, now)}.` : ''}`);
  }
  const c = x.cause;
  if (c) {
    out.push('');
    out.push(`${x.verdict === 'progressing' ? 'State' : 'Root cause'} [${c.code}]: ${c.title}`);
    out.push(`  ${c.summary}`);
    if (c.answer) out.push(`  Nameserver answer: ${c.answer}`);
    if (c.problem) {
      out.push('  The CA\'s problem document (verbatim):');
      out.push(...c.problem.verbatim.split('\n').map((l) => `    ${l}`));
    }
    if (c.evidence.length) {
      out.push('Evidence:');
      for (const e of c.evidence) out.push(`  - ${e.source}${e.field ? ` ${e.field}` : ''}: ${e.value}`);
    }
    if (c.recordCheck) {
      out.push(`Propagation check (Certsmith, from this machine; recursive nameservers ${c.recordCheck.recursiveNameservers.join(', ') || '(none)'}):`);
      out.push(...renderRecordCheck(c.recordCheck));
    }
  }
  if (x.retry) {
    const r = x.retry;
    out.push(`Retry: last failure ${r.lastFailureTime}${r.failedIssuanceAttempts !== undefined ? `, ${r.failedIssuanceAttempts} failed attempt${r.failedIssuanceAttempts === 1 ? '' : 's'}` : ''}; backoff ${formatWait(r.delayMs)}; ${r.waiting ? `next attempt at ${r.nextAttemptAt} (in ${formatWait(r.remainingMs)})` : `the next attempt was due at ${r.nextAttemptAt}`}.`);
  }
  if (x.reissue) out.push(`Re-issuing (${x.reissue.reason}): ${x.reissue.meaning}.${x.reissue.message ? ` cert-manager: "${x.reissue.message}"` : ''}`);
  if (c) out.push(`Next: ${c.nextAction}`);
  out.push('');
  out.push('Objects:');
  const label = (n: Explanation['nodes'][number]) => `${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}`;
  const width = Math.max(...x.nodes.map((n) => label(n).length));
  for (const n of x.nodes) out.push(`  ${label(n).padEnd(width)}  ${n.state.padEnd(8)} ${n.summary}${n.cause ? '   <-- root cause' : ''}`);
  return out.join('\n') + '\n';
}
