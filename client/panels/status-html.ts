/**
 * The status panel's HTML (no VS Code imports, so it can be tested and
 * rendered alone): a Certificate's status and the explanation of why it is
 * (not) Ready, in one page.
 *
 *   - the verdict and the root cause: its code, what is wrong, the evidence,
 *     the CA's problem document verbatim, the nameserver's answer or the
 *     per-nameserver propagation table, when cert-manager tries again, why it
 *     re-issues, and the next action (with "Renew now" and "Explain again"
 *     links: command URIs, no scripts);
 *   - the picture: Issuer → Certificate → CertificateRequest → Order →
 *     Challenges as boxes joined by arrows, each coloured by its state (and
 *     named: colour is never the only sign), the root cause's box outlined,
 *     each box's Events beside it; the Secrets below;
 *   - the full status as `certsmith status certificate` prints it, folded.
 *
 * Every value is escaped; the content security policy allows no scripts, no
 * remote content and only the nonce'd <style> (no style attributes). Colours
 * are VS Code theme variables, so light, dark and high-contrast themes apply.
 */
import type { EventSummary } from '../../engine/cluster/certificate-status.js';
import type { Explanation, ExplanationNode, NodeState, RecordCheck } from '../../engine/cluster/explain/explanation.js';
import { formatWait } from '../../engine/cluster/explain/issuance-backoff.js';
import { renderStatus } from '../../engine/cluster/status-text.js';
import { escapeHtml as e } from './chain-html.js';

/** Command links the panel may show (the panel allows only these command URIs). */
export interface StatusLinks {
  /** Command id and its argument for "Renew now". */
  renew?: { command: string; arg: unknown };
  /** "Explain again". */
  again?: { command: string; arg: unknown };
}

const STATE_LABEL: Record<NodeState, string> = { ok: 'OK', progress: 'in progress', waiting: 'waiting', failed: 'failed', missing: 'missing', unknown: 'unknown' };
const STATE_ICON: Record<NodeState, string> = { ok: '✔', progress: '⟳', waiting: '…', failed: '✖', missing: '∅', unknown: '?' };
const VERDICT: Record<Explanation['verdict'], { text: string; cls: string }> = {
  healthy: { text: 'Ready', cls: 'ok' },
  'not-ready': { text: 'Not Ready', cls: 'failed' },
  progressing: { text: 'Issuing', cls: 'progress' },
};

function commandHref(link: { command: string; arg: unknown }): string {
  return `command:${link.command}?${encodeURIComponent(JSON.stringify([link.arg]))}`;
}

function eventList(events: EventSummary[]): string {
  if (!events.length) return '<p class="none">No events (they expire after an hour).</p>';
  return `<ul class="events">${events
    .slice(-6)
    .map((ev) => `<li class="${ev.type === 'Warning' ? 'warning' : 'normal'}"><span class="reason">${e(ev.type)} ${e(ev.reason)}${ev.count > 1 ? ` ×${ev.count}` : ''}</span>${ev.lastSeen ? ` <span class="when">${e(ev.lastSeen)}</span>` : ''}<br>${e(ev.message)}</li>`)
    .join('')}</ul>`;
}

function nodeBox(n: ExplanationNode): string {
  return `<div class="node ${n.state}${n.cause ? ' cause' : ''}" id="node-${e(n.id.replace(/[^\w-]/g, '_'))}" data-state="${n.state}" role="group" aria-label="${e(`${n.kind} ${n.name}: ${STATE_LABEL[n.state]}${n.cause ? ', root cause' : ''}`)}">
<div class="kind">${e(n.kind)}${n.cause ? ' <span class="tag cause-tag">root cause</span>' : ''}</div>
<div class="name">${e(n.namespace ? `${n.namespace}/` : '')}<strong>${e(n.name)}</strong></div>
<div class="state"><span class="icon" aria-hidden="true">${STATE_ICON[n.state]}</span> ${e(STATE_LABEL[n.state])} · ${e(n.summary)}</div>
${n.details.length ? `<ul class="details">${n.details.map((d) => `<li>${e(d)}</li>`).join('')}</ul>` : ''}
</div>`;
}

function row(n: ExplanationNode, arrow: boolean): string {
  return `<div class="row${arrow ? ' arrow' : ''}">${nodeBox(n)}<div class="side"><div class="side-title">Events</div>${eventList(n.events)}</div></div>`;
}

function recordTable(rc: RecordCheck): string {
  if (rc.error) return `<p>Certsmith's check of <code>${e(rc.name)}</code> could not be done: ${e(rc.error)}</p>`;
  return `<p>Certsmith's check of <code>${e(rc.name)}</code> from this machine: <strong>${rc.propagated ? 'propagated' : 'not propagated'}</strong>${rc.zone ? ` (zone ${e(rc.zone)})` : ''}; expected ${rc.expected.map((v) => `<code>${e(v)}</code>`).join(', ') || 'any TXT value'}. Recursive nameservers: ${e(rc.recursiveNameservers.join(', ') || '(none)')}.</p>
<table class="ns" id="propagation"><thead><tr><th scope="col">State</th><th scope="col">Role</th><th scope="col">Nameserver</th><th scope="col">RCODE</th><th scope="col">Answer</th></tr></thead><tbody>
${rc.nameservers.map((n) => `<tr class="${n.matched ? 'ok' : 'failed'}"><td>${e(n.status.toUpperCase())}</td><td>${e(n.role)}</td><td>${e(n.nameserver ? `${n.nameserver} ${n.server}` : n.server)}</td><td>${e(n.rcode)}</td><td>${e(n.reason)}</td></tr>`).join('\n')}
</tbody></table>`;
}

function causeSection(x: Explanation, links: StatusLinks): string {
  const c = x.cause;
  const now = Date.parse(x.checkedAt);
  const actions = [
    // Renewing helps after a failure (it skips the backoff); while cert-manager is issuing it is refused as "already issuing".
    ...(links.renew && x.verdict !== 'healthy' && (x.retry || !x.status.issuing) ? [`<a class="button" href="${e(commandHref(links.renew))}">Renew now…</a>`] : []),
    ...(links.again ? [`<a class="button secondary" href="${e(commandHref(links.again))}">Explain again</a>`] : []),
  ].join(' ');
  if (!c) {
    const renew = x.renewal?.renewalTime;
    const left = renew ? Date.parse(renew) - now : NaN;
    return `<section class="verdict-box ok" id="cause" aria-labelledby="cause-title"><h2 id="cause-title">Healthy</h2>
<p>It is Ready and up to date.${renew ? ` cert-manager renews it at <strong>${e(renew)}</strong>${Number.isNaN(left) ? '' : ` (in ${e(formatWait(Math.max(0, left)))})`}.` : ''}${x.renewal?.notAfter ? ` Valid until ${e(x.renewal.notAfter)}.` : ''}</p>
${x.reissue ? `<p>${e(`Re-issuing (${x.reissue.reason}): ${x.reissue.meaning}.`)}</p>` : ''}
${actions ? `<p class="actions">${actions}</p>` : ''}</section>`;
  }
  const r = x.retry;
  return `<section class="verdict-box ${x.verdict === 'progressing' ? 'progress' : 'failed'}" id="cause" aria-labelledby="cause-title">
<h2 id="cause-title">${x.verdict === 'progressing' ? 'State' : 'Root cause'}: ${e(c.title)} <code class="code" id="cause-code">${e(c.code)}</code></h2>
<p class="summary">${e(c.summary)}</p>
${c.answer ? `<p>The nameserver answered <strong id="answer">${e(c.answer)}</strong>.</p>` : ''}
${c.problem ? `<p>The CA's problem document, as it sent it:</p><pre class="problem" id="problem">${e(c.problem.verbatim)}</pre>` : ''}
${c.recordCheck ? recordTable(c.recordCheck) : ''}
${r ? `<p class="retry" id="retry">Last failure ${e(r.lastFailureTime)}${r.failedIssuanceAttempts !== undefined ? ` (${r.failedIssuanceAttempts} failed attempt${r.failedIssuanceAttempts === 1 ? '' : 's'})` : ''}; backoff ${e(formatWait(r.delayMs))}: ${r.waiting ? `cert-manager tries again at <strong>${e(r.nextAttemptAt)}</strong> (in ${e(formatWait(r.remainingMs))}).` : `the next attempt was due at ${e(r.nextAttemptAt)}.`}</p>` : ''}
${x.reissue ? `<p class="reissue">${e(`Re-issuing (${x.reissue.reason}): ${x.reissue.meaning}.`)}${x.reissue.message ? ` cert-manager: “${e(x.reissue.message)}”` : ''}</p>` : ''}
<h3>What to do</h3>
<p class="next" id="next">${e(c.nextAction)}</p>
${actions ? `<p class="actions">${actions}</p>` : ''}
<details class="evidence"><summary>Evidence (${c.evidence.length})</summary><ul>${c.evidence.map((ev) => `<li><span class="source">${e(ev.source)}${ev.field ? ` <code>${e(ev.field)}</code>` : ''}</span>: ${e(ev.value)}</li>`).join('')}</ul></details>
</section>`;
}

export function renderStatusHtml(x: Explanation, nonce: string, links: StatusLinks = {}): string {
  const v = VERDICT[x.verdict];
  const flow = x.nodes.filter((n) => n.kind !== 'Secret');
  const secrets = x.nodes.filter((n) => n.kind === 'Secret');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>${e(`Certificate ${x.namespace}/${x.name}`)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; line-height: 1.4; }
h1 { font-size: 1.3em; margin-bottom: 2px; } h2 { font-size: 1.1em; margin: 4px 0; } h3 { font-size: 1em; margin: 10px 0 2px; }
.sub { color: var(--vscode-descriptionForeground); margin-top: 0; }
.badge { border-radius: 3px; padding: 1px 8px; font-size: .85em; margin-left: 8px; border: 1px solid currentColor; }
.ok { --state: var(--vscode-testing-iconPassed, #388a34); } .failed, .missing { --state: var(--vscode-errorForeground, #c33); }
.waiting { --state: var(--vscode-editorWarning-foreground, #bf8803); } .progress { --state: var(--vscode-editorInfo-foreground, #1a85ff); }
.unknown { --state: var(--vscode-descriptionForeground, #888); }
.badge { color: var(--state); }
.verdict-box { border: 1px solid var(--vscode-panel-border, #888); border-left: 6px solid var(--state); padding: 6px 12px; margin: 12px 0; }
.code { font-size: .85em; margin-left: 6px; }
pre.problem { white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background, transparent); border: 1px solid var(--vscode-panel-border, #888); padding: 6px; }
table.ns { border-collapse: collapse; margin: 6px 0; } table.ns th, table.ns td { border: 1px solid var(--vscode-panel-border, #888); padding: 2px 6px; text-align: left; vertical-align: top; }
table.ns tr.ok td:first-child { color: var(--state); font-weight: bold; } table.ns tr.failed td:first-child { color: var(--state); font-weight: bold; }
.actions { margin: 8px 0; }
a.button { display: inline-block; padding: 3px 10px; color: var(--vscode-button-foreground, #fff); background: var(--vscode-button-background, #0e639c); border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent)); text-decoration: none; border-radius: 2px; }
a.button.secondary { color: var(--vscode-button-secondaryForeground, inherit); background: var(--vscode-button-secondaryBackground, transparent); border: 1px solid var(--vscode-panel-border, #888); }
a.button:focus-visible, summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
.evidence ul { margin: 4px 0; } .source { color: var(--vscode-descriptionForeground); }
.graph { margin: 8px 0; }
.row { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(220px, 1fr); gap: 14px; align-items: start; position: relative; }
.row.arrow { margin-top: 26px; }
.row.arrow::before { content: '▼'; position: absolute; top: -22px; left: 24px; color: var(--vscode-descriptionForeground); }
.node { border: 1px solid var(--vscode-panel-border, #888); border-left: 6px solid var(--state); padding: 6px 10px; background: var(--vscode-editorWidget-background, transparent); }
.node.cause { outline: 3px solid var(--vscode-errorForeground, #c33); outline-offset: 1px; }
.node .kind { font-size: .85em; color: var(--vscode-descriptionForeground); text-transform: uppercase; letter-spacing: .03em; }
.node .state { color: var(--state); margin-top: 2px; }
.tag { font-size: .8em; border: 1px solid currentColor; border-radius: 3px; padding: 0 4px; text-transform: none; }
.cause-tag { color: var(--vscode-errorForeground, #c33); font-weight: bold; }
ul.details { margin: 4px 0 0; padding-left: 16px; font-size: .9em; word-break: break-word; }
.side { font-size: .9em; } .side-title { color: var(--vscode-descriptionForeground); font-size: .85em; text-transform: uppercase; }
ul.events { list-style: none; padding: 0; margin: 2px 0; } ul.events li { margin-bottom: 4px; word-break: break-word; }
ul.events li.warning .reason { color: var(--vscode-editorWarning-foreground, #bf8803); font-weight: bold; } .when { color: var(--vscode-descriptionForeground); font-size: .9em; }
.none { color: var(--vscode-descriptionForeground); margin: 2px 0; }
.secrets { display: flex; flex-wrap: wrap; gap: 10px; } .secrets .node { min-width: 240px; }
details.full pre { white-space: pre-wrap; font-family: var(--vscode-editor-font-family, monospace); font-size: var(--vscode-editor-font-size, 12px); }
</style></head>
<body>
<h1>Certificate ${e(x.namespace)}/${e(x.name)} <span class="badge ${v.cls}" id="verdict">${e(v.text)}</span></h1>
<p class="sub">Context ${e(x.context)} (${e(x.server)}) · checked ${e(x.checkedAt)}</p>
${causeSection(x, links)}
<h2>How it is issued</h2>
<div class="graph" id="graph">
${flow.map((n, i) => row(n, i > 0)).join('\n')}
</div>
${secrets.length ? `<h2>Secrets</h2><p class="sub">Existence and key names; values are never read into this view.</p><div class="secrets" id="secrets">${secrets.map(nodeBox).join('\n')}</div>` : ''}
<details class="full"><summary>The full status (as <code>certsmith status certificate</code> prints it)</summary><pre>${e(renderStatus(x.status))}</pre></details>
</body></html>`;
}
