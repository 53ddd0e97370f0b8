/**
 * The chain inspector panel's HTML (no VS Code imports, so it can be tested
 * alone): a webview showing a ChainReport (engine/chain)
 * as a tree from the leaf to the root, each certificate with its facts and
 * status, then the findings with their codes. The HTML is built here from
 * the report (every value escaped), with a strict content security policy:
 * no scripts, inline styles only via the nonce'd <style>.
 */
import type { ChainReport } from '../../engine/chain/inspect.js';

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const ICON: Record<string, string> = { ok: '✔', info: 'ℹ', warning: '⚠', error: '✖' };

export function renderChainHtml(report: ChainReport, title: string, nonce: string): string {
  const e = escapeHtml;
  const verdict = report.trusted ? (report.hostnameMatches === false ? 'Trusted chain, but not valid for the hostname' : 'Trusted chain') : 'Not trusted';
  const verdictClass = report.trusted && report.hostnameMatches !== false ? 'ok' : 'error';
  const items = report.path.map((p, depth) => {
    const c = report.certificates[p.certificate]!;
    const d = report.details[p.certificate]!;
    const names = [...c.dnsNames, ...c.ipAddresses, ...c.emailAddresses, ...c.uris];
    const findings = report.findings.filter((f) => f.certificate === p.certificate);
    return `<li class="cert ${e(p.status)}" style="margin-left:${depth * 18}px" data-index="${p.certificate}">
  <div class="head"><span class="icon">${ICON[p.status] ?? ''}</span> <strong>${e(d.commonName ?? c.subject)}</strong>
    ${c.isCA ? '<span class="tag">CA</span>' : '<span class="tag">leaf</span>'}${p.trustAnchor ? '<span class="tag">trust anchor</span>' : ''}${!p.timeValid ? '<span class="tag bad">not valid now</span>' : ''}${p.signatureValid === false ? '<span class="tag bad">signature does not verify</span>' : ''}</div>
  <table>
    <tr><th>Subject</th><td>${e(c.subject)}</td></tr>
    <tr><th>Issuer</th><td>${e(c.issuer)}</td></tr>
    <tr><th>Valid</th><td>${e(c.notBefore)} → ${e(c.notAfter)}</td></tr>
    ${names.length ? `<tr><th>Names</th><td>${names.map(e).join(', ')}</td></tr>` : ''}
    <tr><th>Key</th><td>${e(c.keyAlgorithm)} ${c.keySize ? e(c.keySize) : ''} · ${e(c.signatureAlgorithm)}</td></tr>
    ${c.keyUsage.length || c.extendedKeyUsage.length ? `<tr><th>Usages</th><td>${[...c.keyUsage, ...c.extendedKeyUsage].map(e).join(', ')}</td></tr>` : ''}
    <tr><th>Serial</th><td><code>${e(c.serialNumber)}</code></td></tr>
    <tr><th>SHA-256</th><td><code>${e(c.sha256Fingerprint)}</code></td></tr>
    <tr><th>From</th><td>${e(d.where)}</td></tr>
  </table>
  ${findings.length ? `<ul class="findings">${findings.map((f) => `<li class="${e(f.severity)}">${ICON[f.severity]} <code>${e(f.code)}</code> ${e(f.message)}</li>`).join('')}</ul>` : ''}
</li>`;
  });
  const general = report.findings.filter((f) => f.certificate === null);
  const outside = report.certificates.map((_, i) => i).filter((i) => !report.chain.includes(i));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>${e(title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px; }
h1 { font-size: 1.3em; } .verdict.ok { color: var(--vscode-testing-iconPassed, #3a3); } .verdict.error { color: var(--vscode-errorForeground, #c33); }
ul.tree { list-style: none; padding: 0; } li.cert { border-left: 3px solid var(--vscode-panel-border, #888); margin: 8px 0; padding: 4px 10px; }
li.cert.error { border-left-color: var(--vscode-errorForeground, #c33); } li.cert.warning { border-left-color: var(--vscode-editorWarning-foreground, #c90); }
li.cert.ok { border-left-color: var(--vscode-testing-iconPassed, #3a3); }
.tag { font-size: .8em; border: 1px solid var(--vscode-panel-border, #888); border-radius: 3px; padding: 0 4px; margin-left: 6px; } .tag.bad { color: var(--vscode-errorForeground, #c33); }
table { border-collapse: collapse; margin: 4px 0; } th { text-align: left; padding-right: 12px; vertical-align: top; font-weight: normal; opacity: .8; }
td code { word-break: break-all; } ul.findings { padding-left: 18px; } li.error { color: var(--vscode-errorForeground, #c33); } li.warning { color: var(--vscode-editorWarning-foreground, #c90); }
</style></head>
<body>
<h1>${e(title)}</h1>
<p class="verdict ${verdictClass}" id="verdict">${e(verdict)} · ${report.summary.errors} error(s), ${report.summary.warnings} warning(s) · trust: ${e(report.trustSource)}${report.hostname ? ` · hostname ${e(report.hostname)}: ${report.hostnameMatches ? 'matches' : 'does not match'}` : ''}</p>
${report.renewal ? `<p>cert-manager would renew at ${e(report.renewal.time)} (${e(report.renewal.rule)}).</p>` : ''}
<ul class="tree" id="chain">${items.join('\n')}</ul>
${outside.length ? `<h2>Not on the chain</h2><ul>${outside.map((i) => `<li>${e(report.certificates[i]!.subject)} (${e(report.details[i]!.where)})</li>`).join('')}</ul>` : ''}
${general.length ? `<h2>Findings about the chain</h2><ul class="findings">${general.map((f) => `<li class="${e(f.severity)}">${ICON[f.severity]} <code>${e(f.code)}</code> ${e(f.message)}</li>`).join('')}</ul>` : ''}
<p style="opacity:.7">Evaluated at ${e(report.evaluatedAt)}.</p>
</body></html>`;
}

