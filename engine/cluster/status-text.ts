/**
 * The status of a Certificate as text, in the layout of cmctl's
 * `status certificate` (Name, Namespace, Conditions, DNS Names, Events,
 * Issuer, Secret, CertificateRequest, Order, Challenges), with the Secret's
 * chain as `certsmith inspect` prints it. Shared by the CLI and the editor.
 */
import { isUnreadable, type CertificateStatusReport, type ConditionSummary, type EventSummary, type Unreadable } from './certificate-status.js';
import { renderChainText } from '../chain/chain-text.js';

function conditionLine(c: ConditionSummary): string {
  return `${c.type}: ${c.status}${c.reason ? `, Reason: ${c.reason}` : ''}${c.message ? `, Message: ${c.message}` : ''}${c.lastTransitionTime ? ` (since ${c.lastTransitionTime})` : ''}`;
}

function eventLines(events: EventSummary[] | Unreadable, pad: string): string[] {
  if (isUnreadable(events)) return [`${pad}Events: (not readable: ${events.error})`];
  if (!events.length) return [`${pad}Events: <none>`];
  return [`${pad}Events:`, ...events.map((e) => `${pad}  ${e.type.padEnd(8)}${e.reason.padEnd(18)}${e.count > 1 ? `(x${e.count}) ` : ''}${e.lastSeen ? `${e.lastSeen}  ` : ''}${e.message}`)];
}

function list(values: string[], pad: string, label: string): string[] {
  return values.length ? [`${pad}${label}:`, ...values.map((v) => `${pad}- ${v}`)] : [];
}

export function renderStatus(r: CertificateStatusReport): string {
  const out: string[] = [];
  out.push(`Name: ${r.name}`);
  out.push(`Namespace: ${r.namespace}`);
  out.push(`Context: ${r.context} (${r.server})`);
  out.push(`Ready: ${r.ready ? 'yes' : 'no'}${r.issuing ? ' (issuing)' : ''}`);
  out.push(r.conditions.length ? 'Conditions:' : 'Conditions: <none> (is cert-manager running in this cluster?)');
  for (const c of r.conditions) out.push(`  ${conditionLine(c)}`);
  out.push(...list(r.spec.dnsNames, '', 'DNS Names'));
  out.push(...list(r.spec.ipAddresses, '', 'IP Addresses'));
  out.push(...list(r.spec.uris, '', 'URIs'));
  out.push(...list(r.spec.emailAddresses, '', 'Email Addresses'));
  out.push(...eventLines(r.events, ''));

  const i = r.issuer;
  if (i) {
    out.push(`Issuer:`);
    out.push(`  Name: ${i.name}`);
    out.push(`  Kind: ${i.kind}${i.group !== 'cert-manager.io' ? ` (group ${i.group})` : ''}`);
    if (i.error) out.push(`  (not readable: ${i.error})`);
    else if (i.external) out.push('  An external issuer: not read.');
    else if (!i.found) out.push(`  NOT FOUND: no ${i.kind} "${i.name}"${i.namespace ? ` in namespace "${i.namespace}"` : ''}; cert-manager cannot issue this Certificate`);
    else {
      if (i.type) out.push(`  Type: ${i.type}`);
      out.push(i.conditions.length ? '  Conditions:' : '  Conditions: <none>');
      for (const c of i.conditions) out.push(`    ${conditionLine(c)}`);
    }
  }

  const s = r.secret;
  if (s) {
    out.push('Secret:');
    out.push(`  Name: ${s.name}`);
    if (s.error) out.push(`  (not readable: ${s.error})`);
    else if (!s.found) out.push('  Does not exist (yet): cert-manager creates it when the certificate is issued');
    else {
      if (s.type) out.push(`  Type: ${s.type}`);
      out.push(`  Keys: ${s.keys.join(', ') || '<none>'}`);
      if (s.chainError) out.push(`  Chain: ${s.chainError}`);
      if (s.chain) out.push(...renderChainText(s.chain).trimEnd().split('\n').map((l) => (l ? `  ${l}` : '')));
    }
  }
  if (r.status.notBefore) out.push(`Not Before: ${r.status.notBefore}`);
  if (r.status.notAfter) out.push(`Not After: ${r.status.notAfter}`);
  if (r.status.renewalTime) out.push(`Renewal Time: ${r.status.renewalTime}`);
  if (r.status.revision !== undefined) out.push(`Revision: ${r.status.revision}`);
  if (r.status.lastFailureTime) out.push(`Last Failure: ${r.status.lastFailureTime}${r.status.failedIssuanceAttempts ? ` (${r.status.failedIssuanceAttempts} failed attempts)` : ''}`);

  const cr = r.certificateRequest;
  if (cr === null) out.push('No CertificateRequest found for this Certificate');
  else if (isUnreadable(cr)) out.push(`CertificateRequest: (not readable: ${cr.error})`);
  else if (cr) {
    out.push('CertificateRequest:');
    out.push(`  Name: ${cr.name}`);
    if (cr.revision) out.push(`  Revision: ${cr.revision}`);
    out.push(cr.conditions.length ? '  Conditions:' : '  Conditions: <none>');
    for (const c of cr.conditions) out.push(`    ${conditionLine(c)}`);
    out.push(...eventLines(cr.events, '  '));
  }
  const o = r.order;
  if (o && isUnreadable(o)) out.push(`Order: (not readable: ${o.error})`);
  else if (o) {
    out.push('Order:');
    out.push(`  Name: ${o.name}`);
    out.push(`  State: ${o.state ?? '<none>'}${o.reason ? `, Reason: ${o.reason}` : ''}`);
    if (o.url) out.push(`  URL: ${o.url}`);
    for (const a of o.authorizations) out.push(`  Authorization: ${a.identifier ?? '?'}${a.wildcard ? ' (wildcard)' : ''}, ${a.state ?? 'unknown'}`);
    out.push(...eventLines(o.events, '  '));
  }
  const chs = r.challenges;
  if (chs && isUnreadable(chs)) out.push(`Challenges: (not readable: ${chs.error})`);
  else if (chs?.length) {
    out.push('Challenges:');
    for (const c of chs) {
      out.push(`- Name: ${c.name}, Type: ${c.type ?? '?'}, Domain: ${c.domain ?? '?'}${c.wildcard ? ' (wildcard)' : ''}`);
      out.push(`  State: ${c.state ?? '<none>'}${c.reason ? `, Reason: ${c.reason}` : ''}, Presented: ${c.presented ? 'yes' : 'no'}, Processing: ${c.processing ? 'yes' : 'no'}`);
      out.push(...eventLines(c.events, '  '));
    }
  }
  return out.join('\n') + '\n';
}
