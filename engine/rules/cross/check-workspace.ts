/**
 * Checks across all the files of a workspace: issuer references resolved with
 * cert-manager's namespace rules, ACME solver coverage, Let's Encrypt
 * production, Secrets written twice, CA Secrets nobody produces.
 */
import type { ObjectSummary } from '../check-document.js';
import type { Severity } from '../../core/diagnostic.js';
import type { CertificateFacts, IngressFacts, IssuerFacts, Located } from './object-facts.js';
import { pickSolver, type SolverChoice } from './solver-picker.js';
import { hasPlaceholder } from '../placeholders.js';
import { liveFind, liveKnows, type LiveObjects } from './live-objects.js';
import type { CrossRuleId } from './cross-rules.js';

/** One object of the workspace, with a way to turn its offsets into findings. */
export interface WorkspaceObject {
  uri: string;
  summary: ObjectSummary;
  /** The document's text (for computing edits, e.g. indentation). */
  text: string;
  /** An identity for the document, so findings can be attached to it. */
  docKey: unknown;
}

export interface CrossFinding {
  object: WorkspaceObject;
  rule: CrossRuleId;
  message: string;
  start: number;
  end: number;
  severity?: Severity;
  /** Edits in document offsets; the workspace turns them into ranges. */
  fixes?: { title: string; edits: { start: number; end: number; newText: string }[]; preferred?: boolean }[];
}

export interface CrossOptions {
  /** Where ClusterIssuers read their Secrets from (cert-manager's --cluster-resource-namespace). */
  clusterResourceNamespace: string;
  /**
   * The Issuers, ClusterIssuers and Secrets of the current cluster context,
   * when the language server's cluster checks are on. A reference found there
   * is fine; one found neither in the files nor there (where the list is
   * known) is an error naming the context.
   */
  live?: LiveObjects;
}

const LE_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';
const LE_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

/** Namespaces are compatible when equal or when either is unset (kubectl applies it to the context's namespace). */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** An Issuer or ClusterIssuer as references see it (a ClusterIssuer has no namespace). */
export interface IssuerIdentity {
  kind: 'Issuer' | 'ClusterIssuer';
  name: string;
  namespace?: string;
  facts: IssuerFacts;
}

/** The object as an issuer that references can name, or undefined (not an issuer, or no name). */
export function issuerIdentity(s: ObjectSummary): IssuerIdentity | undefined {
  if (s.facts?.type !== 'Issuer' || !s.name) return undefined;
  return { kind: s.kind as 'Issuer' | 'ClusterIssuer', name: s.name, namespace: s.kind === 'Issuer' ? s.namespace : undefined, facts: s.facts };
}

/** The issuers a reference matches under cert-manager's rules: a ClusterIssuer by name, an Issuer by name in the referrer's namespace. */
function matchingIssuers<T extends IssuerIdentity>(issuers: readonly T[], kind: string, name: string, namespace: string | undefined): T[] {
  return issuers.filter((i) => i.kind === kind && i.name === name && (kind === 'ClusterIssuer' || sameNamespace(i.namespace, namespace)));
}

/** Issuers by kind and name (NUL-separated key), in workspace order. */
export function issuersByName<T extends IssuerIdentity>(issuers: readonly T[]): Map<string, T[]> {
  const byKindName = new Map<string, T[]>();
  for (const i of issuers) {
    const k = `${i.kind}\u0000${i.name}`;
    const list = byKindName.get(k);
    if (list) list.push(i);
    else byKindName.set(k, [i]);
  }
  return byKindName;
}

/**
 * matchingIssuers for many references: the issuers of each kind and name
 * indexed by namespace, when there are many (a monorepo has an issuer of one
 * name in thousands of namespaces, and thousands of references to them);
 * same results, same order. The arrays returned are not to be changed.
 */
export function issuerLookup<T extends IssuerIdentity>(issuers: readonly T[], byKindName = issuersByName(issuers)): (kind: 'Issuer' | 'ClusterIssuer', name: string, namespace: string | undefined) => readonly T[] {
  const byNamespace = new Map<readonly T[], Map<string | undefined, T[]>>();
  return (kind, name, namespace) => {
    const all = byKindName.get(`${kind}\u0000${name}`) ?? [];
    if (kind === 'ClusterIssuer' || namespace === undefined || all.length < 16) return matchingIssuers(all, kind, name, namespace);
    let index = byNamespace.get(all);
    if (!index) {
      index = new Map();
      for (const i of all) {
        const list = index.get(i.namespace);
        if (list) list.push(i);
        else index.set(i.namespace, [i]);
      }
      byNamespace.set(all, index);
    }
    // Those in that namespace and those without one, in workspace order (as matchingIssuers gives them).
    if (!index.has(undefined)) return index.get(namespace) ?? [];
    return all.filter((i) => i.namespace === undefined || i.namespace === namespace);
  };
}

/** The cert-manager issuer a Certificate's issuerRef names (undefined: no name, or an external issuer's group). */
export function certificateIssuerRef(f: CertificateFacts): { kind: string; name: Located } | undefined {
  if (!f.issuerName || (f.issuerGroup && f.issuerGroup !== 'cert-manager.io')) return undefined;
  return { kind: f.issuerKind?.value ?? 'Issuer', name: f.issuerName };
}

/** The solver cert-manager picks for one name of an ACME order (a wildcard is offered DNS-01 only), or undefined. */
export function solverForName(name: string, solvers: SolverChoice[], labels: Record<string, string>): number | undefined {
  const offered = name.startsWith('*.') ? { http01: false, dns01: true } : { http01: true, dns01: true };
  return pickSolver(name, offered, solvers, labels);
}

interface IssuerEntry extends IssuerIdentity {
  object: WorkspaceObject;
}

function lineIndentAt(text: string, offset: number): { lineStart: number; indent: string } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ -]*/.exec(text.slice(lineStart));
  return { lineStart, indent: ' '.repeat(m ? m[0].length : 0) };
}

/** A fix that sets issuerRef.kind: replace the kind's value, or add a kind line under name. */
function setKindFix(o: WorkspaceObject, f: CertificateFacts, kind: string): CrossFinding['fixes'] {
  if (f.issuerKind) return [{ title: `Use kind: ${kind}`, edits: [{ start: f.issuerKind.start, end: f.issuerKind.end, newText: kind }], preferred: true }];
  if (!f.issuerName) return undefined;
  const { lineStart, indent } = lineIndentAt(o.text, f.issuerName.start);
  const lineEnd = o.text.indexOf('\n', f.issuerName.end);
  const at = lineEnd === -1 ? o.text.length : lineEnd + 1;
  const keyIndent = indent.length > 0 && o.text.slice(lineStart, lineStart + indent.length).includes('-') ? ' '.repeat(indent.length) : indent;
  const prefix = lineEnd === -1 ? '\n' : '';
  return [{ title: `Add kind: ${kind}`, edits: [{ start: at, end: at, newText: `${prefix}${keyIndent}kind: ${kind}\n` }], preferred: true }];
}

/**
 * The findings about every object, or only about the objects `isTarget`
 * accepts (the others still count as what references resolve to): the
 * language server needs them only for the open documents of a large
 * workspace. A target's findings are the same either way.
 */
export function checkWorkspace(objects: Iterable<WorkspaceObject>, options: CrossOptions, isTarget?: (o: WorkspaceObject) => boolean): CrossFinding[] {
  // Findings about a ${VAR} placeholder are not about the real value (see placeholders.ts).
  return findings(objects, options, isTarget).filter((f) => !hasPlaceholder(f.object.text.slice(f.start, f.end)));
}

function findings(objects: Iterable<WorkspaceObject>, options: CrossOptions, isTarget: (o: WorkspaceObject) => boolean = () => true): CrossFinding[] {
  const out: CrossFinding[] = [];
  const issuers: IssuerEntry[] = [];
  const certificates: { object: WorkspaceObject; facts: CertificateFacts }[] = [];
  const shims: { object: WorkspaceObject; facts: IngressFacts }[] = [];
  const secrets: { name: string; namespace?: string }[] = [];

  for (const object of objects) {
    const s = object.summary;
    const f = s.facts;
    if (s.kind === 'Secret' && s.apiVersion === 'v1' && s.name) secrets.push({ name: s.name, namespace: s.namespace });
    if (!f || !s.name) continue;
    const issuer = issuerIdentity(s);
    if (issuer) issuers.push({ object, ...issuer });
    else if (f.type === 'Certificate') certificates.push({ object, facts: f });
    else if (f.type === 'Ingress' || f.type === 'Gateway') shims.push({ object, facts: f });
  }

  const byKindName = issuersByName(issuers);
  const find = issuerLookup(issuers, byKindName);
  const live = options.live;
  const liveList = (kind: 'Issuer' | 'ClusterIssuer') => (kind === 'Issuer' ? live?.issuers : live?.clusterIssuers);
  /** Live objects of a kind and name that a reference from `liveNs` would use. */
  const liveMatches = (kind: 'Issuer' | 'ClusterIssuer', name: string, liveNs: string | undefined) => liveFind(liveList(kind), name, kind === 'Issuer' ? liveNs : undefined);

  /** Resolves a reference; reports what is wrong; returns the issuer when exactly one matches. */
  const resolve = (object: WorkspaceObject, at: Located, kind: string, name: string, namespace: string | undefined, certFacts?: CertificateFacts): IssuerEntry | undefined => {
    if (kind !== 'Issuer' && kind !== 'ClusterIssuer') return undefined;
    const matches = find(kind, name, namespace);
    if (matches.length > 0) return matches.length === 1 ? matches[0] : undefined;
    // The namespace the referrer lands in, for the live lists (kubectl applies an unset one to the context's).
    const liveNs = namespace ?? live?.namespace;
    // In the cluster: fine (its spec is not known here, so nothing more is checked against it).
    if (live && liveMatches(kind, name, liveNs).length > 0) return undefined;
    const other = kind === 'Issuer' ? 'ClusterIssuer' : 'Issuer';
    if (live && find(other, name, namespace).length === 0 && liveMatches(other, name, liveNs).length > 0) {
      out.push({
        object,
        rule: 'issuer-kind-mismatch',
        message: `"${name}" is ${other === 'ClusterIssuer' ? 'a ClusterIssuer' : `an Issuer (in namespace "${liveNs}")`} in context "${live.context}", but this reference is to ${kind === 'Issuer' ? 'an Issuer (the default kind)' : 'a ClusterIssuer'}: cert-manager will not find it. Set kind: ${other}.`,
        start: at.start,
        end: at.end,
        fixes: certFacts ? setKindFix(object, certFacts, other) : undefined,
      });
      return undefined;
    }
    if (find(other, name, namespace).length > 0) {
      out.push({
        object,
        rule: 'issuer-kind-mismatch',
        message: `"${name}" is ${other === 'ClusterIssuer' ? 'a ClusterIssuer' : 'an Issuer'} here, but this reference is to ${kind === 'Issuer' ? 'an Issuer (the default kind)' : 'a ClusterIssuer'}: cert-manager will not find it. Set kind: ${other}.`,
        start: at.start,
        end: at.end,
        fixes: certFacts ? setKindFix(object, certFacts, other) : undefined,
      });
      return undefined;
    }
    if (kind === 'Issuer') {
      const elsewhere = byKindName.get(`Issuer\u0000${name}`) ?? [];
      if (elsewhere.length > 0) {
        const where = [...new Set(elsewhere.map((i) => i.namespace ?? '(unset)'))].join(', ');
        out.push({
          object,
          rule: 'issuer-wrong-namespace',
          message: `The Issuer "${name}" is in namespace ${where}, not in "${namespace}": an Issuer serves only its own namespace. Use a ClusterIssuer, or an Issuer in "${namespace}".`,
          start: at.start,
          end: at.end,
        });
        return undefined;
      }
      const elsewhereLive = live?.issuers?.scope === 'all' ? liveFind(live.issuers, name).filter((i) => i.namespace !== liveNs) : [];
      if (live && elsewhereLive.length > 0) {
        const where = [...new Set(elsewhereLive.map((i) => i.namespace ?? '(unset)'))].sort().join(', ');
        out.push({
          object,
          rule: 'issuer-wrong-namespace',
          message: `In context "${live.context}" the Issuer "${name}" is in namespace ${where}, not in "${liveNs}": an Issuer serves only its own namespace. Use a ClusterIssuer, or an Issuer in "${liveNs}".`,
          start: at.start,
          end: at.end,
        });
        return undefined;
      }
    }
    // The cluster's list is known: what is neither in the files nor there does not exist.
    if (live && liveKnows(liveList(kind), kind === 'Issuer' ? liveNs : undefined)) {
      const noOther = liveKnows(liveList(other), other === 'Issuer' ? liveNs : undefined);
      out.push({
        object,
        rule: 'issuer-not-found',
        severity: 'error',
        message:
          kind === 'Issuer'
            ? `No Issuer "${name}" in namespace "${liveNs}" exists in the files checked or in context "${live.context}"${noOther ? ' (nor a ClusterIssuer of that name)' : ''}: the certificate will never be issued.`
            : `No ClusterIssuer "${name}" exists in the files checked or in context "${live.context}"${noOther ? ` (nor an Issuer of that name in namespace "${liveNs}")` : ''}: the certificate will never be issued.`,
        start: at.start,
        end: at.end,
      });
      return undefined;
    }
    // Only meaningful when the files define issuers at all: otherwise they live in the cluster.
    if (issuers.length === 0) return undefined;
    out.push({
      object,
      rule: 'issuer-not-found',
      message:
        kind === 'Issuer'
          ? `No Issuer "${name}"${namespace ? ` in namespace "${namespace}"` : ''} is defined in the files checked (nor a ClusterIssuer of that name). Fine if it exists in the cluster; otherwise the certificate will never be issued.`
          : `No ClusterIssuer "${name}" is defined in the files checked. Fine if it exists in the cluster; otherwise the certificate will never be issued.`,
      start: at.start,
      end: at.end,
    });
    return undefined;
  };

  for (const { object, facts } of certificates) {
    if (!isTarget(object)) continue;
    const ns = object.summary.namespace;
    const ref = certificateIssuerRef(facts);
    if (!ref) continue;
    const issuer = resolve(object, ref.name, ref.kind, ref.name.value, ns, facts);
    if (!issuer || issuer.facts.issuerType !== 'acme') continue;
    const solvers = issuer.facts.solvers;
    const seen = new Set<string>();
    for (const name of facts.dnsNames) {
      if (seen.has(name.value)) continue;
      seen.add(name.value);
      const wildcard = name.value.startsWith('*.');
      if (solverForName(name.value, solvers, facts.labels) !== undefined) continue;
      if (wildcard && pickSolver(name.value, { http01: true, dns01: true }, solvers, facts.labels) !== undefined) {
        out.push({
          object,
          rule: 'acme-wildcard-http01',
          message: `"${name.value}" is a wildcard: ACME servers validate it with DNS-01 only, and the solvers of ${issuer.kind} "${issuer.name}" that select it are HTTP-01. Add a dns01 solver for this zone.`,
          start: name.start,
          end: name.end,
        });
      } else {
        out.push({
          object,
          rule: 'acme-no-solver',
          message: `No solver of ${issuer.kind} "${issuer.name}" selects "${name.value}"${solvers.length === 0 ? ' (it has no solvers)' : ''}: the ACME order will fail for this name. Widen a selector (dnsNames, dnsZones, matchLabels) or add a solver without selector.`,
          start: name.start,
          end: name.end,
        });
      }
    }
  }

  for (const { object, facts } of shims) {
    if (!isTarget(object)) continue;
    const ns = object.summary.namespace;
    if (facts.issuerGroup && facts.issuerGroup !== 'cert-manager.io') continue;
    if (facts.issuer && !facts.clusterIssuer) {
      resolve(object, facts.issuer, facts.issuerKind ?? 'Issuer', facts.issuer.value, ns);
    } else if (facts.clusterIssuer && !facts.issuer) {
      resolve(object, facts.clusterIssuer, 'ClusterIssuer', facts.clusterIssuer.value, ns);
    }
  }

  const targetIssuers = issuers.filter((i) => isTarget(i.object));
  for (const i of targetIssuers) {
    const server = i.facts.acmeServer;
    if (server && server.value.replace(/\/+$/, '') === LE_PRODUCTION) {
      out.push({
        object: i.object,
        rule: 'acme-production-server',
        message: `${i.kind} "${i.name}" uses Let's Encrypt production. While testing, use staging (${LE_STAGING}): production's rate limits are easy to hit.`,
        start: server.start,
        end: server.end,
        fixes: [{ title: "Switch to Let's Encrypt staging", edits: [{ start: server.start, end: server.end, newText: LE_STAGING }] }],
      });
    }
  }

  const bySecret = new Map<string, { object: WorkspaceObject; facts: CertificateFacts }[]>();
  // Only the Secret names a target writes can conflict with it.
  const targetSecrets = new Set<string>();
  for (const c of certificates) if (c.facts.secretName && isTarget(c.object)) targetSecrets.add(c.facts.secretName.value);
  for (const c of certificates) {
    if (!c.facts.secretName || !targetSecrets.has(c.facts.secretName.value)) continue;
    // Unset namespaces are the same namespace only within one file (applied together).
    const k = `${c.object.summary.namespace ?? `\u0001${c.object.uri}`}\u0000${c.facts.secretName.value}`;
    const group = bySecret.get(k);
    if (group) group.push(c);
    else bySecret.set(k, [c]);
  }
  for (const group of bySecret.values()) {
    if (group.length < 2) continue;
    const names = group.map((g) => `Certificate/${g.object.summary.name}`);
    for (const [i, c] of group.entries()) {
      if (!isTarget(c.object)) continue;
      // Name a few of the others, not thousands. The same Certificate in two files (a kustomize
      // base and a rendered install) is one object, not two writers.
      const others = [...new Set(names.filter((n) => n !== names[i]))];
      if (!others.length) continue;
      const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
      out.push({
        object: c.object,
        rule: 'secret-name-conflict',
        message: `${shown} also ${others.length === 1 ? 'writes' : 'write'} the Secret "${c.facts.secretName!.value}"${c.object.summary.namespace ? ` in namespace "${c.object.summary.namespace}"` : ''}: they will overwrite each other. Give each Certificate its own secretName.`,
        start: c.facts.secretName!.start,
        end: c.facts.secretName!.end,
      });
    }
  }

  // The namespaces each Secret name is produced in (by a Certificate or as a Secret), for the CA issuers below.
  const caIssuers = targetIssuers.filter((i) => i.facts.caSecretName);
  const producedIn = new Map<string, (string | undefined)[]>();
  const produce = (name: string, namespace: string | undefined) => {
    const list = producedIn.get(name);
    if (list) list.push(namespace);
    else producedIn.set(name, [namespace]);
  };
  if (caIssuers.length > 0) {
    for (const c of certificates) if (c.facts.secretName) produce(c.facts.secretName.value, c.object.summary.namespace);
    for (const s of secrets) produce(s.name, s.namespace);
  }
  for (const i of caIssuers) {
    const sn = i.facts.caSecretName;
    if (!sn) continue;
    const ns = i.kind === 'ClusterIssuer' ? options.clusterResourceNamespace : i.namespace;
    const produced = (producedIn.get(sn.value) ?? []).some((n) => sameNamespace(n, ns));
    if (!produced) {
      const liveNs = ns ?? live?.namespace;
      if (live && liveFind(live.secrets, sn.value, liveNs).length > 0) continue;
      if (live && liveKnows(live.secrets, liveNs)) {
        out.push({
          object: i.object,
          rule: 'ca-secret-not-produced',
          severity: 'error',
          message: `No Certificate or Secret in the files provides the Secret "${sn.value}" in namespace "${liveNs}" that ${i.kind} "${i.name}" signs with, and context "${live.context}" has no such Secret: the issuer will not become ready${i.kind === 'ClusterIssuer' ? ' (a ClusterIssuer reads it from the cluster resource namespace)' : ''}.`,
          start: sn.start,
          end: sn.end,
        });
        continue;
      }
      out.push({
        object: i.object,
        rule: 'ca-secret-not-produced',
        message: `No Certificate or Secret in the files provides the Secret "${sn.value}"${ns ? ` in namespace "${ns}"` : ''} that ${i.kind} "${i.name}" signs with${i.kind === 'ClusterIssuer' ? ' (a ClusterIssuer reads it from the cluster resource namespace)' : ''}. Make sure it exists in the cluster.`,
        start: sn.start,
        end: sn.end,
      });
    }
  }
  return out;
}
