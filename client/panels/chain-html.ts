/**
 * The chain inspector panel's HTML (no VS Code imports, so it can be tested
 * and rendered alone): a ChainReport (engine/chain) as a tree from the leaf
 * to the root. Each certificate is a <details> block (keyboard accessible:
 * Tab to a summary, Enter/Space to fold) with a status icon, a validity bar
 * with the time left, subject, SANs, key, fingerprints and extensions; then
 * its findings, each with the explanation of what it means.
 *
 * Every value is escaped; the content security policy allows no scripts, no
 * remote content and only the nonce'd <style> (no style attributes). Colours
 * are VS Code theme variables, so light, dark and high-contrast themes apply.
 */
import type { ChainReport } from '../../engine/chain/inspect.js';
import { findingExplanation, type Finding } from '../../engine/chain/findings.js';

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;
const ICON: Record<string, string> = { ok: '✔', info: 'ℹ', warning: '⚠', error: '✖' };
const LABEL: Record<string, string> = { ok: 'OK', info: 'information', warning: 'warning', error: 'error' };
const DAY = 86_400_000;

function timeLeft(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs >= 2 * DAY ? `${Math.floor(abs / DAY)} days` : abs >= 7_200_000 ? `${Math.floor(abs / 3_600_000)} hours` : `${Math.max(1, Math.floor(abs / 60_000))} minutes`;
  return ms >= 0 ? `${text} left` : `expired ${text} ago`;
}

function findingItem(f: Finding): string {
  const x = findingExplanation(f.code);
  return `<li class="finding ${e(f.severity)}"><details><summary><span class="icon" aria-label="${e(LABEL[f.severity])}">${ICON[f.severity]}</span> ${e(f.message)} <code>${e(f.code)}</code></summary><p class="explanation"><strong>${e(x.title)}.</strong> ${e(x.explanation)}</p></details></li>`;
}

export function renderChainHtml(report: ChainReport, title: string, nonce: string): string {
  const verdict = report.trusted ? (report.hostnameMatches === false ? 'Trusted chain, but not valid for the hostname' : 'Trusted chain') : 'Not trusted';
  const verdictClass = report.trusted && report.hostnameMatches !== false ? 'ok' : 'error';
  const at = Date.parse(report.evaluatedAt);
  const items = report.path.map((p, depth) => {
    const c = report.certificates[p.certificate]!;
    const d = report.details[p.certificate]!;
    const names = [...c.dnsNames, ...c.ipAddresses, ...c.emailAddresses, ...c.uris];
    const findings = report.findings.filter((f) => f.certificate === p.certificate);
    const nb = Date.parse(c.notBefore);
    const na = Date.parse(c.notAfter);
    const used = na > nb ? Math.min(100, Math.max(0, Math.round(((at - nb) / (na - nb)) * 100))) : 100;
    const extensions = [
      c.isCA ? `Basic constraints: CA${c.pathLen !== null ? `, path length ${c.pathLen}` : ''}` : 'Basic constraints: not a CA',
      c.keyUsage.length ? `Key usage: ${c.keyUsage.join(', ')}` : '',
      c.extendedKeyUsage.length ? `Extended key usage: ${c.extendedKeyUsage.join(', ')}` : '',
      d.subjectKeyId ? `Subject key ID: ${d.subjectKeyId}` : '',
      d.authorityKeyId ? `Authority key ID: ${d.authorityKeyId}` : '',
      d.caIssuers.length ? `CA issuers (AIA, not fetched): ${d.caIssuers.join(', ')}` : '',
      d.hasNameConstraints ? 'Name constraints: present' : '',
    ].filter(Boolean);
    return `<li class="cert ${e(p.status)} depth-${Math.min(depth, 8)}" data-index="${p.certificate}">
<details open>
<summary><span class="icon" aria-label="${e(LABEL[p.status])}">${ICON[p.status] ?? ''}</span> <strong>${e(d.commonName ?? c.subject)}</strong>
<span class="tag">${c.isCA ? (d.selfIssued ? 'root' : 'CA') : 'leaf'}</span>${p.trustAnchor ? '<span class="tag">trust anchor</span>' : ''}${!p.timeValid ? '<span class="tag bad">not valid now</span>' : ''}${p.signatureValid === false ? '<span class="tag bad">signature does not verify</span>' : ''}</summary>
<div class="validity"><meter min="0" max="100" low="67" high="90" optimum="0" value="${used}" aria-label="share of the validity period used">${used}%</meter> <span>${e(c.notBefore)} → ${e(c.notAfter)} · ${e(timeLeft(na - at))}</span></div>
<table>
<tr><th scope="row">Subject</th><td>${e(c.subject)}</td></tr>
<tr><th scope="row">Issuer</th><td>${e(c.issuer)}</td></tr>
${names.length ? `<tr><th scope="row">Names</th><td>${names.map(e).join(', ')}</td></tr>` : '<tr><th scope="row">Names</th><td>(no subject alternative names)</td></tr>'}
<tr><th scope="row">Key</th><td>${e(c.keyAlgorithm)}${c.keySize ? ` ${e(c.keySize)}` : ''}${d.curve ? ` (${e(d.curve)})` : ''} · signed with ${e(c.signatureAlgorithm)}</td></tr>
<tr><th scope="row">Serial</th><td><code>${e(c.serialNumber)}</code></td></tr>
<tr><th scope="row">SHA-256</th><td><code>${e(c.sha256Fingerprint)}</code></td></tr>
<tr><th scope="row">Extensions</th><td><ul class="plain">${extensions.map((x) => `<li>${e(x)}</li>`).join('')}</ul></td></tr>
<tr><th scope="row">From</th><td>${e(d.where)}</td></tr>
</table>
${findings.length ? `<ul class="findings">${findings.map(findingItem).join('')}</ul>` : ''}
</details>
</li>`;
  });
  const general = report.findings.filter((f) => f.certificate === null);
  const outside = report.certificates.map((_, i) => i).filter((i) => !report.chain.includes(i));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>${e(title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; }
.ok-text, .verdict.ok { color: var(--vscode-testing-iconPassed, #388a34); } .verdict.error { color: var(--vscode-errorForeground, #c33); }
ul.tree { list-style: none; padding: 0; }
li.cert { border-left: 3px solid var(--vscode-panel-border, #888); margin: 8px 0; padding: 4px 10px; }
${Array.from({ length: 9 }, (_, i) => `li.depth-${i} { margin-left: ${i * 18}px; }`).join(' ')}
li.cert.error { border-left-color: var(--vscode-errorForeground, #c33); } li.cert.warning { border-left-color: var(--vscode-editorWarning-foreground, #bf8803); }
li.cert.ok { border-left-color: var(--vscode-testing-iconPassed, #388a34); } li.cert.info { border-left-color: var(--vscode-editorInfo-foreground, #1a85ff); }
summary { cursor: pointer; padding: 2px 0; } summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
.tag { font-size: .8em; border: 1px solid var(--vscode-panel-border, #888); border-radius: 3px; padding: 0 4px; margin-left: 6px; } .tag.bad { color: var(--vscode-errorForeground, #c33); border-color: var(--vscode-errorForeground, #c33); }
.validity { margin: 4px 0; } meter { width: 160px; vertical-align: middle; }
table { border-collapse: collapse; margin: 4px 0; } th { text-align: left; padding-right: 12px; vertical-align: top; font-weight: normal; color: var(--vscode-descriptionForeground); }
td code { word-break: break-all; } ul.plain { list-style: none; padding: 0; margin: 0; }
ul.findings { padding-left: 4px; list-style: none; } li.finding { margin: 2px 0; }
li.finding.error summary { color: var(--vscode-errorForeground, #c33); } li.finding.warning summary { color: var(--vscode-editorWarning-foreground, #bf8803); }
.explanation { margin: 4px 0 8px 20px; color: var(--vscode-descriptionForeground); }
</style></head>
<body>
<h1>${e(title)}</h1>
<p class="verdict ${verdictClass}" id="verdict" role="status">${e(verdict)} · ${report.summary.errors} error(s), ${report.summary.warnings} warning(s) · trust: ${e(report.trustSource)}${report.hostname ? ` · hostname ${e(report.hostname)}: ${report.hostnameMatches ? 'matches' : 'does not match'}` : ''}</p>
${report.renewal ? `<p>cert-manager would renew the leaf at ${e(report.renewal.time)} (${e(report.renewal.rule)}).</p>` : ''}
<ul class="tree" id="chain">${items.join('\n')}</ul>
${outside.length ? `<h2>Not on the chain</h2><ul>${outside.map((i) => `<li>${e(report.certificates[i]!.subject)} (${e(report.details[i]!.where)})</li>`).join('')}</ul>` : ''}
${general.length ? `<h2>Findings about the chain</h2><ul class="findings">${general.map(findingItem).join('')}</ul>` : ''}
<p class="note">Evaluated at ${e(report.evaluatedAt)}.</p>
</body></html>`;
}
