/**
 * A chain report as text: the path from the leaf up (subject, issuer,
 * validity, names, key, usage, serial, fingerprint), certificates off the
 * chain, trust and hostname verdicts, and the findings. `certsmith inspect`
 * prints it; `certsmith status certificate` and the editor show it for a
 * Secret's chain.
 */
import type { ChainReport } from './inspect.js';

const MARK = { ok: 'ok', info: 'ok', warning: 'warning', error: 'ERROR' } as const;

export function renderChainText(r: ChainReport): string {
  const out: string[] = [];
  const src = r.source.endpoint
    ? `${r.source.endpoint.host}:${r.source.endpoint.port}${r.source.endpoint.servername ? ` (SNI ${r.source.endpoint.servername})` : ''}${r.source.endpoint.protocol ? `, ${r.source.endpoint.protocol}` : ''}`
    : r.source.secret ?? (r.source.kind === 'der' ? 'DER input' : 'PEM input');
  out.push(`Certificates from ${src}, evaluated at ${r.evaluatedAt}:`);
  out.push('');
  r.chain.forEach((idx, depth) => {
    const c = r.certificates[idx];
    const d = r.details[idx];
    const el = r.path[depth];
    const pad = '   '.repeat(depth);
    const role = depth === 0 ? 'leaf' : el.trustAnchor ? 'trusted root' : depth === r.chain.length - 1 && r.pathEnd !== 'dead-end' ? 'root (not trusted)' : 'intermediate';
    const origin = d.origin === 'roots' ? ', from the trusted roots' : d.origin === 'ca.crt' ? ', from ca.crt' : '';
    out.push(`${pad}${depth ? '└─ ' : ''}[${idx}] ${c.subject || '(empty subject)'}  (${role}${origin}) ${MARK[el.status]}`);
    const ipad = pad + (depth ? '      ' : '    ');
    out.push(`${ipad}issuer     ${c.issuer}`);
    out.push(`${ipad}validity   ${c.notBefore} → ${c.notAfter}${el.timeValid ? '' : ' (not valid now)'}`);
    const names = [...c.dnsNames.map((n) => `DNS:${n}`), ...c.ipAddresses.map((n) => `IP:${n}`), ...c.emailAddresses.map((n) => `email:${n}`), ...c.uris.map((n) => `URI:${n}`)];
    if (names.length) out.push(`${ipad}names      ${names.join(', ')}`);
    out.push(`${ipad}key        ${c.keyAlgorithm}${d.curve ? ` ${d.curve}` : ` ${c.keySize}`}${c.isCA ? `, CA${c.pathLen !== null ? ` pathlen ${c.pathLen}` : ''}` : ''}; signed with ${c.signatureAlgorithm}${el.signatureValid === false ? ' (SIGNATURE INVALID)' : ''}`);
    if (c.keyUsage.length || c.extendedKeyUsage.length) out.push(`${ipad}usage      ${[...c.keyUsage, ...c.extendedKeyUsage].join(', ')}`);
    out.push(`${ipad}serial     ${c.serialNumber}`);
    out.push(`${ipad}sha256     ${c.sha256Fingerprint}`);
    if (d.caIssuers.length && depth === r.chain.length - 1 && r.pathEnd === 'dead-end') out.push(`${ipad}issuer URL ${d.caIssuers.join(', ')} (AIA, not fetched)`);
  });
  const off = r.certificates.map((_, i) => i).filter((i) => !r.chain.includes(i));
  if (off.length) {
    out.push('');
    out.push('Not on the chain:');
    for (const i of off) out.push(`  [${i}] ${r.certificates[i].subject}${r.details[i].origin === 'ca.crt' ? ' (ca.crt)' : ''}, issued by ${r.certificates[i].issuer}`);
  }
  out.push('');
  out.push(`Trusted: ${r.trusted ? 'yes' : 'no'} (against ${r.trustSource})`);
  if (r.hostname !== null) out.push(`Hostname ${r.hostname}: ${r.hostnameMatches ? 'matches' : 'DOES NOT MATCH'}`);
  if (r.findings.length) {
    out.push('');
    out.push('Findings:');
    for (const f of r.findings) out.push(`  ${f.severity.padEnd(7)} ${f.certificate === null ? '' : `[${f.certificate}] `}${f.message} [${f.code}]`);
  }
  out.push('');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  out.push(`${plural(r.certificates.length, 'certificate')}, chain of ${r.chain.length}: ${plural(r.summary.errors, 'error')}, ${plural(r.summary.warnings, 'warning')}.`);
  return out.join('\n') + '\n';
}
