/**
 * Certsmith's DNS-01 propagation check (engine/dns) in the shape the
 * explanation takes (engine/cluster/explain: RecordChecker), for the CLI's
 * `explain` and the language server's: the record, asked of the zone's
 * authoritative nameservers and of the recursive nameservers the user names
 * (the ones cert-manager's controller uses, --dns01-recursive-nameservers).
 */
import { explainResult } from '../../engine/dns/explain.js';
import { formatNameserver, type NameserverAddress } from '../../engine/dns/nameserver-address.js';
import { checkPropagation } from '../../engine/dns/propagation.js';
import type { RecordChecker } from '../../engine/cluster/explain/explanation.js';

export interface RecordCheckSettings {
  recursiveNameservers: NameserverAddress[];
  /** Where that list came from ("--recursive-nameservers", "/etc/resolv.conf"), for the table's heading. */
  source: string;
  recursiveOnly: boolean;
  authoritativePort?: number;
  timeoutMs?: number;
}

export function recordChecker(s: RecordCheckSettings): RecordChecker {
  const asked = s.recursiveNameservers.map(formatNameserver);
  return async (record, signal) => {
    const base = { name: record.name, expected: record.expected, recursiveNameservers: asked.map((a) => `${a} (${s.source})`), checkedAt: new Date().toISOString() };
    try {
      const report = await checkPropagation({ name: record.name, expected: record.expected, recursiveNameservers: s.recursiveNameservers, recursiveOnly: s.recursiveOnly, authoritativePort: s.authoritativePort, timeoutMs: s.timeoutMs ?? 2000, attempts: 2, signal });
      return {
        ...base,
        propagated: report.propagated,
        zone: report.zone,
        checkedAt: report.checkedAt,
        nameservers: report.nameservers.map((n) => {
          const e = explainResult(n, report.expected);
          return { server: n.server, role: n.role, nameserver: n.nameserver, rcode: n.rcode, values: n.values, matched: n.matched, status: e.status, reason: e.reason };
        }),
      };
    } catch (e) {
      if (signal?.aborted) throw e;
      return { ...base, propagated: false, zone: '', nameservers: [], error: (e as Error).message };
    }
  };
}
