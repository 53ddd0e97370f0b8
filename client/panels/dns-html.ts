/**
 * The DNS-01 propagation panel's HTML (no VS Code imports): for each name, a table of what every
 * authoritative and recursive nameserver answers (engine/dns), redrawn after
 * every check while waiting. Escaped HTML, no scripts.
 */
import type { PropagationReport } from '../../engine/dns/propagation.js';
import { explainResult, summarize } from '../../engine/dns/explain.js';
import { escapeHtml as e } from './chain-html.js';

export interface DnsPanelState {
  report: PropagationReport | null;
  /** "checking", "waiting 3 s (attempt 2)", "propagated", "not propagated after 2 min", or an error. */
  status: string;
  name: string;
}

export function renderDnsHtml(states: DnsPanelState[], nonce: string): string {
  const sections = states.map((s) => {
    if (!s.report) return `<h2>${e(s.name)}</h2><p class="status">${e(s.status)}</p>`;
    const r = s.report;
    const rows = r.nameservers.map((n) => {
      const x = explainResult(n, r.expected);
      return `<tr class="${e(x.status)}"><td>${n.matched ? '✔' : '✖'}</td><td><code>${e(n.server)}</code>${n.nameserver ? `<br><small>${e(n.nameserver)}</small>` : ''}</td><td>${e(n.role)}</td><td>${e(n.rcode)}</td><td>${n.values.map((v) => `<code>${e(v)}</code>`).join('<br>')}</td><td>${n.ttl === null ? '' : `${e(n.ttl)} s`}</td><td>${e(x.reason)}</td><td>${e(Math.round(n.elapsedMs))} ms</td></tr>`;
    });
    return `<h2>${e(r.name)}</h2>
<p class="status ${r.propagated ? 'ok' : 'wait'}">${e(s.status)} · ${e(summarize(r))}${r.zone ? ` · zone ${e(r.zone)}` : ''}${r.cname.length ? ` · CNAME → ${r.cname.map(e).join(' → ')}` : ''}</p>
<table><thead><tr><th></th><th>Nameserver</th><th>Role</th><th>Answer</th><th>Values</th><th>TTL</th><th>Why</th><th>Time</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p><small>Checked ${e(r.checkedAt)}</small></p>`;
  });
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
tr.ok td:first-child { color: var(--vscode-testing-iconPassed, #3a3); } tr.stale td:first-child, tr.missing td:first-child, tr.timeout td:first-child, tr.error td:first-child { color: var(--vscode-errorForeground, #c33); }
.status.ok { color: var(--vscode-testing-iconPassed, #3a3); }
</style></head><body><h1>DNS-01 propagation</h1>${sections.join('\n')}</body></html>`;
}

