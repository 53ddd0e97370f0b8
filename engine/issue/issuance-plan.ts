/**
 * What an issuance will do, before it does it: which issuer and CA, which
 * solver each name gets (cert-manager's choice, assuming the CA offers
 * HTTP-01 and DNS-01 except for wildcards, which get DNS-01 only), which TXT
 * records or HTTP listener will exist for a while, where the result goes, and
 * which Secrets the issuer needs (and whether they are at hand). The editor
 * shows it and asks before anything is created; nothing here touches the
 * network.
 */
import { pickSolver, type SolverChoice, type SolverSelector } from '../rules/cross/solver-picker.js';
import { asRecord } from '../core/values.js';
import { LETS_ENCRYPT_PRODUCTION } from '../acme/acme-servers.js';
import { resolveIssuanceInputs, type IssuanceInputs, type ResolveOptions } from './issuance-inputs.js';
import type { ResourceSet } from './resource-set.js';


interface NeededSecret {
  namespace: string;
  name: string;
  key: string;
  /** "the TSIG key acme-update", ... */
  purpose: string;
  /** The value is among the resources. */
  present: boolean;
}

interface PlannedName {
  /** As in dnsNames ("*.example.com") or an IP address. */
  name: string;
  /** "DNS-01 (rfc2136 via 10.0.0.53:53)", "HTTP-01 (responder on :80)", "no solver matches", ... */
  solver: string;
  /** The TXT record to be created, for DNS-01. */
  record?: string;
}

export interface IssuancePlan {
  certificate: { name: string; namespace: string; secretName: string; dnsNames: string[]; ipAddresses: string[] };
  issuer: { label: string; kind: 'Issuer' | 'ClusterIssuer'; name: string; type: 'SelfSigned' | 'CA' | 'ACME' | 'unsupported'; acmeServer: string | null; letsEncryptProduction: boolean };
  names: PlannedName[];
  /** TXT record names that will be created and removed again. */
  dnsRecords: string[];
  /** The HTTP-01 listener, when a name uses HTTP-01. */
  httpListener: string | null;
  secrets: NeededSecret[];
  /** What will stop the issuance, already visible now. */
  problems: string[];
}

export interface PlanOptions extends ResolveOptions {
  http01Listen: string;
  dns01Manual?: boolean;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function dns01Provider(dns01: Record<string, unknown>): string {
  if (dns01.rfc2136 !== undefined) return `rfc2136 via ${String(asRecord(dns01.rfc2136).nameserver ?? '?')}`;
  if (dns01.acmeDNS !== undefined) return `acme-dns at ${String(asRecord(dns01.acmeDNS).host ?? '?')}`;
  return Object.keys(dns01).find((k) => k !== 'cnameStrategy') ?? 'unknown provider';
}

export function planIssuance(resources: ResourceSet, o: PlanOptions): IssuancePlan {
  const inputs: IssuanceInputs = resolveIssuanceInputs(resources, o);
  const spec = inputs.certificate.spec;
  const dnsNames = strings(spec.dnsNames);
  const ipAddresses = strings(spec.ipAddresses);
  const problems: string[] = [];
  const secrets: NeededSecret[] = [];
  const need = (name: unknown, key: unknown, purpose: string) => {
    if (typeof name !== 'string' || !name) return;
    const k = typeof key === 'string' ? key : '';
    const data = inputs.optionalSecret(name);
    secrets.push({ namespace: inputs.secretNamespace, name, key: k, purpose, present: data !== undefined && data[k] !== undefined && data[k].length > 0 });
  };
  const is = inputs.issuer.spec;
  const ref = inputs.issuer.ref;
  const label = `${ref.kind} ${inputs.issuer.namespace ? `${inputs.issuer.namespace}/` : ''}${ref.name}`;
  let type: IssuancePlan['issuer']['type'] = 'unsupported';
  let acmeServer: string | null = null;
  const names: PlannedName[] = [];
  const records = new Set<string>();
  let http = false;
  if (is.selfSigned !== undefined) type = 'SelfSigned';
  else if (is.ca !== undefined) {
    type = 'CA';
    const ca = asRecord(is.ca);
    need(ca.secretName, 'tls.crt', `the CA certificate of ${label}`);
    need(ca.secretName, 'tls.key', `the CA private key of ${label}`);
  } else if (is.acme !== undefined) {
    type = 'ACME';
    const acme = asRecord(is.acme);
    acmeServer = typeof acme.server === 'string' ? acme.server : null;
    const eab = asRecord(acme.externalAccountBinding);
    if (Object.keys(eab).length) need(asRecord(eab.keySecretRef).name, asRecord(eab.keySecretRef).key ?? 'secret', 'the external account binding HMAC key');
    const solvers = Array.isArray(acme.solvers) ? acme.solvers.map(asRecord) : [];
    const choices: SolverChoice[] = solvers.map((s) => ({ http01: s.http01 != null, dns01: s.dns01 != null, selector: s.selector === undefined ? undefined : (asRecord(s.selector) as SolverSelector) }));
    const used = new Set<number>();
    for (const name of [...dnsNames, ...ipAddresses]) {
      const wildcard = name.startsWith('*.');
      const i = pickSolver(name, { http01: !wildcard, dns01: true }, choices, inputs.certificate.labels);
      if (i === undefined) {
        names.push({ name, solver: 'no solver matches' });
        problems.push(`no solver of ${label} matches ${name}${wildcard ? ' (a wildcard needs a DNS-01 solver)' : ''}`);
        continue;
      }
      used.add(i);
      const c = choices[i]!;
      if (c.dns01 && (wildcard || !c.http01)) {
        const dns01 = asRecord(solvers[i]!.dns01);
        const record = `_acme-challenge.${name.replace(/^\*\./, '')}`;
        records.add(record);
        const provider = o.dns01Manual ? 'manual: you create the record' : dns01Provider(dns01);
        names.push({ name, solver: `DNS-01 (${provider})`, record });
        if (!o.dns01Manual && dns01.rfc2136 === undefined && dns01.acmeDNS === undefined) {
          problems.push(`${name}: the ${provider} DNS-01 provider cannot be driven locally; use the manual mode`);
        }
      } else {
        http = true;
        names.push({ name, solver: `HTTP-01 (responder on ${o.http01Listen})` });
      }
    }
    for (const i of used) {
      const dns01 = asRecord(solvers[i]!.dns01);
      if (o.dns01Manual || solvers[i]!.dns01 == null) continue;
      const r = asRecord(dns01.rfc2136);
      if (dns01.rfc2136 !== undefined && typeof r.tsigKeyName === 'string' && r.tsigKeyName) need(asRecord(r.tsigSecretSecretRef).name, asRecord(r.tsigSecretSecretRef).key ?? '', `the TSIG key ${r.tsigKeyName}`);
      const a = asRecord(dns01.acmeDNS);
      if (dns01.acmeDNS !== undefined) need(asRecord(a.accountSecretRef).name, asRecord(a.accountSecretRef).key ?? '', 'the acme-dns accounts');
    }
    if (!dnsNames.length && !ipAddresses.length) problems.push('the Certificate has no dnsNames or ipAddresses');
    const cn = typeof spec.commonName === 'string' ? spec.commonName : '';
    if (cn && !dnsNames.includes(cn) && !ipAddresses.includes(cn)) problems.push(`the commonName "${cn}" is not among the dnsNames or ipAddresses, which ACME requires`);
  } else {
    problems.push(`${label} is not a SelfSigned, CA or ACME issuer; only those can be issued locally`);
  }
  const secretName = typeof spec.secretName === 'string' ? spec.secretName : '';
  if (!secretName) problems.push('the Certificate has no spec.secretName');
  return {
    certificate: { name: inputs.certificate.name, namespace: inputs.certificate.namespace, secretName, dnsNames, ipAddresses },
    issuer: { label, kind: ref.kind, name: ref.name, type, acmeServer, letsEncryptProduction: acmeServer === LETS_ENCRYPT_PRODUCTION },
    names,
    dnsRecords: [...records],
    httpListener: http ? o.http01Listen : null,
    secrets,
    problems,
  };
}

