/**
 * The operational checks across files: what cert-manager and Let's Encrypt
 * will do with objects that admission accepts. Issuer references resolve
 * with the same rules as the reference checks (../cross/check-workspace.ts);
 * an unresolved or ambiguous reference is that module's business and is
 * skipped here.
 */
import { parseGoDuration } from '../../gocompat/go-duration.js';
import { certificateIssuerRef, issuerIdentity, issuerLookup, issuersByName, type CrossFinding, type CrossOptions, type IssuerIdentity, type WorkspaceObject } from '../cross/check-workspace.js';
import type { CertificateFacts, IngressFacts, Located, SecretFacts, SolverFacts } from '../cross/object-facts.js';
import { pickSolver } from '../cross/solver-picker.js';
import { IP_ADDRESS_PROFILE, DEFAULT_PROFILE, letsEncryptEnvironment, profileLifetime, RATE_LIMITS, type LetsEncryptEnvironment } from './lets-encrypt.js';
import { registeredDomain } from './registered-domain.js';
import type { OperationsRuleId } from './operations-rules.js';

export interface OperationsFinding extends Omit<CrossFinding, 'rule'> {
  rule: OperationsRuleId;
}

export interface OperationsOptions extends CrossOptions {
  /** The day the checks judge by (Let's Encrypt's lifetimes change on announced dates); now by default. */
  now?: Date;
  /** The namespaces kustomizations put a file's objects into (none: the file is applied as it is). */
  kustomizeNamespaces?: (uri: string) => readonly string[] | undefined;
}

interface IssuerEntry extends IssuerIdentity {
  object: WorkspaceObject;
  /** The Let's Encrypt environment of an ACME issuer's server, if it is one (judged once per issuer, not per reference). */
  env: LetsEncryptEnvironment | undefined;
}

/**
 * A certificate cert-manager will request from Let's Encrypt production: a
 * Certificate, or one ingress-shim makes from an Ingress's tls entries. A
 * class whose strings are made when asked for: a monorepo requests tens of
 * thousands, and most are never named in a finding.
 */
class Requested {
  private set: string | undefined;
  private registered: string[] | undefined;

  constructor(
    readonly object: WorkspaceObject,
    /** The names of the order (lowercase), each where it is written (a Certificate's; an Ingress reports at its issuer annotation). */
    readonly names: readonly Located[],
    readonly ips: readonly string[],
    /** The Secret an ingress-shim Certificate is named after; undefined for a Certificate. */
    private readonly shimSecret?: string,
  ) {}

  /** "Certificate/web" or "Ingress/web (tls web-tls)". */
  get label(): string {
    const name = this.object.summary.name;
    return this.shimSecret === undefined ? `Certificate/${name}` : `Ingress/${name} (tls ${this.shimSecret})`;
  }

  /** The Certificate's kind, name and namespace (ingress-shim names its Certificates after the Secret): the same in several files is one Certificate in several variants. */
  get id(): string {
    return this.shimSecret === undefined ? identity(this) : `Certificate\u0000${this.shimSecret}\u0000${this.object.summary.namespace ?? ''}`;
  }

  /** The order's names and IP addresses, sorted, once each: two orders with one set certify the same identifiers. */
  get nameSet(): string {
    return (this.set ??= [...new Set([...this.names.map((n) => n.value), ...this.ips])].sort().join(','));
  }

  /** The identifier that sorts first in nameSet, found without making it. */
  get first(): string | undefined {
    let first: string | undefined;
    for (const n of this.names) if (first === undefined || n.value < first) first = n.value;
    for (const ip of this.ips) if (first === undefined || ip < first) first = ip;
    return first;
  }

  /** The registered domains of its names (Let's Encrypt's rate limits count per registered domain), once each. */
  get domains(): readonly string[] {
    return (this.registered ??= [...new Set(this.names.map((n) => registeredDomain(n.value)).filter((d): d is string => !!d))]);
  }
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A name as an order holds it (lowercase), where it is written; the same object when it is lowercase already. */
const lowercase = (n: Located): Located => {
  const value = n.value.toLowerCase();
  return value === n.value ? n : { value, start: n.start, end: n.end };
};
/** Shorter intervals renew more than 5 times in 7 days: over the duplicate certificate limit. */
const MIN_RENEWAL_INTERVAL = RATE_LIMITS.windowMs / RATE_LIMITS.duplicateCertificates;

export function checkOperations(objects: readonly WorkspaceObject[], options: OperationsOptions, isTarget: (o: WorkspaceObject) => boolean = () => true): OperationsFinding[] {
  const out: OperationsFinding[] = [];
  const report = (f: OperationsFinding) => {
    if (isTarget(f.object)) out.push(f);
  };
  const now = options.now ?? new Date();

  const issuers: IssuerEntry[] = [];
  const certificates: { object: WorkspaceObject; facts: CertificateFacts }[] = [];
  const ingresses: { object: WorkspaceObject; facts: IngressFacts }[] = [];
  const secrets: { object: WorkspaceObject; facts: SecretFacts }[] = [];
  for (const object of objects) {
    const s = object.summary;
    const f = s.facts;
    if (!f || !s.name) continue;
    const issuer = issuerIdentity(s);
    if (issuer) issuers.push({ object, ...issuer, env: issuer.facts.issuerType === 'acme' ? letsEncryptEnvironment(issuer.facts.acmeServer?.value) : undefined });
    else if (f.type === 'Certificate') certificates.push({ object, facts: f });
    else if (f.type === 'Ingress') ingresses.push({ object, facts: f });
    else if (f.type === 'Secret') secrets.push({ object, facts: f });
  }
  const byName = issuersByName(issuers);
  const lookup = issuerLookup(issuers, byName);
  /** The one issuer a reference resolves to, or undefined (none, several, or not a cert-manager kind). */
  const resolve = (kind: string, name: string, namespace: string | undefined): IssuerEntry | undefined => {
    if (kind !== 'Issuer' && kind !== 'ClusterIssuer') return undefined;
    const found = lookup(kind, name, namespace);
    return found.length === 1 ? found[0] : undefined;
  };
  /** The namespace an issuer reads its Secrets from (undefined: an Issuer without one). */
  const secretNamespace = (i: IssuerEntry) => (i.kind === 'ClusterIssuer' ? options.clusterResourceNamespace : i.namespace);

  // Checks of one object alone run only for the objects findings are wanted about (a language server's open files).
  for (const i of issuers) {
    if (!isTarget(i.object)) continue;
    unreachableSolvers(i, report);
    tlsChecks(i, report);
  }
  // Findings are about the Secrets: only targets' are looked at (their fixes read the text, which a background file does not keep).
  trailingNewlines(
    issuers,
    secrets.filter((s) => isTarget(s.object)),
    secretNamespace,
    report,
  );
  implicitNamespaces(
    certificates.filter((c) => isTarget(c.object)),
    ingresses.filter((g) => isTarget(g.object)),
    byName,
    options.kustomizeNamespaces,
    report,
  );

  // The issuer each Certificate and ingress-shim Certificate is requested from, when it is an ACME issuer.
  const certificateIssuer = (c: (typeof certificates)[number]) => {
    const ref = certificateIssuerRef(c.facts);
    const issuer = ref && resolve(ref.kind, ref.name.value, c.object.summary.namespace);
    return issuer?.facts.issuerType === 'acme' ? issuer : undefined;
  };
  const shimIssuer = (g: (typeof ingresses)[number]) => {
    const f = g.facts;
    if (f.issuerGroup && f.issuerGroup !== 'cert-manager.io') return undefined;
    const ref = f.clusterIssuer && !f.issuer ? { kind: 'ClusterIssuer', at: f.clusterIssuer } : f.issuer && !f.clusterIssuer ? { kind: f.issuerKind ?? 'Issuer', at: f.issuer } : undefined;
    const issuer = ref && resolve(ref.kind, ref.at.value, g.object.summary.namespace);
    return ref && issuer?.facts.issuerType === 'acme' ? { issuer, at: ref.at } : undefined;
  };
  let targetInProduction = false;
  for (const c of certificates) {
    if (!isTarget(c.object)) continue;
    const issuer = certificateIssuer(c);
    if (issuer?.env) letsEncryptProfile(c.object, c.facts, issuer, issuer.env, now, report);
    if (issuer?.env === 'production') targetInProduction = true;
  }
  for (const g of ingresses) if (isTarget(g.object) && shimIssuer(g)?.issuer.env === 'production') targetInProduction = true;

  // The certificates Let's Encrypt production will be asked for (its rate limits count them), when a
  // target is among them: the limits are reported only about targets.
  const production: Requested[] = [];
  for (const c of targetInProduction ? certificates : []) {
    if (certificateIssuer(c)?.env === 'production') production.push(new Requested(c.object, c.facts.dnsNames.map(lowercase), (c.facts.ipAddresses ?? []).map((ip) => ip.value)));
  }
  for (const g of targetInProduction ? ingresses : []) {
    const shim = shimIssuer(g);
    if (shim?.issuer.env !== 'production') continue;
    // ingress-shim makes one Certificate per secretName, with the hosts of every tls entry naming it.
    const bySecret = new Map<string, Set<string>>();
    for (const t of g.facts.tlsHosts ?? []) {
      const set = bySecret.get(t.secretName) ?? new Set<string>();
      for (const h of t.hosts) set.add(h.toLowerCase());
      bySecret.set(t.secretName, set);
    }
    for (const [secretName, hosts] of bySecret) {
      production.push(new Requested(g.object, [...hosts].map((value) => ({ value, start: shim.at.start, end: shim.at.end })), [], secretName));
    }
  }
  rateLimits(production, isTarget, report);
  duplicates(production, isTarget, report);
  accountKeys(issuers, certificates, ingresses, secretNamespace, report);
  return out;
}

// ---- solvers ----

function describeSelector(s: SolverFacts): string {
  const sel = s.selector;
  const type = s.dns01 && s.http01 ? 'http01 and dns01' : s.dns01 ? 'dns01' : 'http01';
  if (!sel) return `${type}, no selector`;
  const parts = [
    sel.dnsNames?.length ? `dnsNames ${JSON.stringify(sel.dnsNames)}` : '',
    sel.dnsZones?.length ? `dnsZones ${JSON.stringify(sel.dnsZones)}` : '',
    Object.keys(sel.matchLabels ?? {}).length ? `matchLabels ${JSON.stringify(sel.matchLabels)}` : '',
  ].filter(Boolean);
  return `${type}, ${parts.length ? parts.join(', ') : 'an empty selector'}`;
}

/** A name no zone or name of any selector mentions, so that only selectors broader than the probe's own match it. */
const PROBE = 'x-certsmith-probe';

/**
 * The names that give solver `s` its best chance: its own dnsNames; else a
 * fresh name (and a wildcard, for DNS-01) in each of its zones; else a fresh
 * name in a fresh domain. With exactly its own matchLabels, any other choice
 * only lets more of the other solvers match.
 */
function probeNames(s: SolverFacts): string[] {
  const sel = s.selector;
  if (sel?.dnsNames?.length) return sel.dnsNames;
  const zones = sel?.dnsZones?.length ? sel.dnsZones : [`${PROBE}-domain.${PROBE}`];
  return zones.flatMap((z) => {
    const zone = z.replace(/\.$/, '');
    return s.dns01 ? [`${PROBE}.${zone}`, `*.${zone}`] : [`${PROBE}.${zone}`];
  });
}

function unreachableSolvers(i: IssuerEntry, report: (f: OperationsFinding) => void): void {
  const solvers = i.facts.solvers;
  if (i.facts.issuerType !== 'acme' || solvers.length < 2) return;
  solvers.forEach((s, n) => {
    if (!s.at || (!s.http01 && !s.dns01)) return;
    const labels = s.selector?.matchLabels ?? {};
    let winner: number | undefined;
    let matchesAny = false;
    for (const name of probeNames(s)) {
      const offered = name.startsWith('*.') ? { http01: false, dns01: true } : { http01: true, dns01: true };
      const picked = pickSolver(name, offered, solvers, labels);
      if (picked === n) return;
      if (pickSolver(name, offered, [s], labels) === 0) {
        matchesAny = true;
        winner ??= picked;
      }
    }
    const why =
      !matchesAny || winner === undefined
        ? 'it matches none of the names it selects (are its dnsNames outside its dnsZones?)'
        : `solvers[${winner}] (${describeSelector(solvers[winner]!)}) wins every name this one could serve`;
    report({
      object: i.object,
      rule: 'acme-solver-unreachable',
      message: `solvers[${n}] of ${i.kind} "${i.name}" (${describeSelector(s)}) is never chosen: ${why}, so what it configures is never used. Remove it, or narrow ${winner === undefined ? 'its selector' : `the selector of solvers[${winner}]`}.`,
      start: s.at.start,
      end: s.at.end,
    });
  });
}

// ---- TLS to the CA ----

function tlsChecks(i: IssuerEntry, report: (f: OperationsFinding) => void): void {
  const f = i.facts;
  if (f.skipTLSVerify) {
    const le = letsEncryptEnvironment(f.acmeServer?.value);
    report({
      object: i.object,
      rule: 'acme-skip-tls-verify',
      message: le
        ? `${i.kind} "${i.name}" does not verify the certificate of Let's Encrypt ${le}, which every system trusts anyway: anyone on the path could pose as the CA. Remove skipTLSVerify.`
        : `${i.kind} "${i.name}" accepts any certificate from its ACME server: anyone on the path could pose as the CA and see every order. Put the CA's certificate in spec.acme.caBundle instead of skipping the check.`,
      start: f.skipTLSVerify.start,
      end: f.skipTLSVerify.end,
    });
  }
  const server = f.vaultServer;
  if (server && /^http:\/\//i.test(server.value.trim())) {
    const https = server.value.trim().replace(/^http:/i, 'https:');
    report({
      object: i.object,
      rule: 'vault-plain-http',
      message: `${i.kind} "${i.name}" talks to Vault over plain HTTP: its Vault credentials and every certificate request cross the network unencrypted. Serve Vault over https (with spec.vault.caBundle for a private CA).`,
      start: server.start,
      end: server.end,
      fixes: [{ title: `Use ${https}`, edits: [{ start: server.start, end: server.end, newText: https }] }],
    });
  }
}

// ---- credentials ending in a line break ----

function trailingNewlines(
  issuers: readonly IssuerEntry[],
  secrets: readonly { object: WorkspaceObject; facts: SecretFacts }[],
  secretNamespace: (i: IssuerEntry) => string | undefined,
  report: (f: OperationsFinding) => void,
): void {
  const withNewline = secrets.filter((s) => s.facts.trailingNewline?.length);
  if (withNewline.length === 0) return;
  // Each Secret value once, with every issuer that reads it.
  const uses = new Map<string, { secret: (typeof withNewline)[number]; entry: NonNullable<SecretFacts['trailingNewline']>[number]; readers: string[] }>();
  for (const i of issuers) {
    const ns = secretNamespace(i);
    for (const use of i.facts.credentials ?? []) {
      for (const s of withNewline) {
        const sns = s.object.summary.namespace;
        if (s.object.summary.name !== use.secret || !(sns === ns || sns === undefined || ns === undefined)) continue;
        for (const entry of s.facts.trailingNewline!) {
          if (!use.keys.includes(entry.key)) continue;
          const k = `${s.object.uri}\u0000${entry.at.start}`;
          const reader = `${i.kind} "${i.name}" reads it as ${use.what}`;
          const u = uses.get(k);
          if (u) {
            if (!u.readers.includes(reader)) u.readers.push(reader);
          } else uses.set(k, { secret: s, entry, readers: [reader] });
        }
      }
    }
  }
  for (const { secret, entry, readers } of uses.values()) {
    const fix = newlineFix(secret.object.text, entry);
    report({
      object: secret.object,
      rule: 'secret-trailing-newline',
      message: `The value of "${entry.key}" ends in a line break${entry.field === 'data' ? ' (once decoded)' : ''}, and ${readers.join('; ')}. The line break becomes part of the credential, which is then refused. Remove it (printf, or echo -n, when encoding).`,
      start: entry.at.start,
      end: entry.at.end,
      ...(fix ? { fixes: [fix] } : {}),
    });
  }
}

/** Edits that drop the trailing line break: a base64 value re-encoded, a `|` block made `|-`, a `\n` escape removed. */
function newlineFix(text: string, entry: NonNullable<SecretFacts['trailingNewline']>[number]): NonNullable<CrossFinding['fixes']>[number] | undefined {
  const raw = text.slice(entry.at.start, entry.at.end);
  const title = 'Remove the trailing line break';
  if (entry.field === 'data') {
    const m = /^(["']?)([A-Za-z0-9+/]+={0,2})\1$/.exec(raw);
    if (!m) return undefined;
    const value = Buffer.from(m[2]!, 'base64').toString('latin1').replace(/(\r?\n)+$/, '');
    const encoded = Buffer.from(value, 'latin1').toString('base64');
    return { title, preferred: true, edits: [{ start: entry.at.start, end: entry.at.end, newText: `${m[1]}${encoded}${m[1]}` }] };
  }
  const block = /^([|>])([1-9]?)([+-]?)/.exec(raw);
  if (block) {
    const at = entry.at.start + block[1]!.length + block[2]!.length;
    return { title, preferred: true, edits: [{ start: at, end: at + block[3]!.length, newText: '-' }] };
  }
  const escaped = /(\\r)?\\n"$/.exec(raw);
  if (raw.startsWith('"') && escaped) {
    const end = entry.at.start + raw.length - 1;
    return { title, preferred: true, edits: [{ start: end - escaped[0].length + 1, end, newText: '' }] };
  }
  return undefined;
}

// ---- namespaces that depend on `kubectl -n` ----

function implicitNamespaces(
  certificates: readonly { object: WorkspaceObject; facts: CertificateFacts }[],
  ingresses: readonly { object: WorkspaceObject; facts: IngressFacts }[],
  issuersByName: ReadonlyMap<string, IssuerEntry[]>,
  kustomizeNamespaces: OperationsOptions['kustomizeNamespaces'],
  report: (f: OperationsFinding) => void,
): void {
  const nearbyIssuers = issuersNearby(issuersByName);
  const check = (object: WorkspaceObject, kind: string, name: string) => {
    if (object.summary.namespace !== undefined || kind !== 'Issuer') return;
    // kustomize gives it a namespace (the issuer-reference checks judge that).
    if (kustomizeNamespaces?.(object.uri)?.length) return;
    // Issuers of that name in the same folder, or in a folder above or below it: in a repository
    // of many samples or apps, an Issuer elsewhere is likely another sample's, not this one's.
    const named = nearbyIssuers(name, object.uri);
    // An Issuer without a namespace lands where the Certificate does: nothing to say.
    if (named.length === 0 || named.some((i) => i.namespace === undefined)) return;
    const namespaces = [...new Set(named.map((i) => i.namespace!))].sort();
    const where = namespaces.map((n) => `"${n}"`).join(', ');
    report({
      object,
      rule: 'certificate-namespace-implicit',
      message: `${object.summary.kind} "${object.summary.name}" has no namespace, so it lands wherever it is applied, and the Issuer "${name}" is in namespace ${where}: an Issuer serves only its own namespace. It works only when applied with -n ${namespaces[0]}; write the namespace into the file.`,
      start: object.summary.labelStart,
      end: object.summary.labelEnd,
      ...namespaceFixes(object, namespaces),
    });
  };
  for (const c of certificates) {
    const ref = certificateIssuerRef(c.facts);
    if (ref) check(c.object, ref.kind, ref.name.value);
  }
  for (const g of ingresses) {
    const f = g.facts;
    if (f.issuer && !f.clusterIssuer && (!f.issuerGroup || f.issuerGroup === 'cert-manager.io')) check(g.object, f.issuerKind ?? 'Issuer', f.issuer.value);
  }
}

const folderOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/') + 1);

/**
 * The Issuers of a name in files of the same folder as `uri`, or of a folder
 * above or below it. Indexed by folder (sorted, so the folders below one are
 * a range): a monorepo has an Issuer of one name in thousands of folders.
 */
function issuersNearby(issuersByName: ReadonlyMap<string, IssuerEntry[]>): (name: string, uri: string) => IssuerEntry[] {
  const byName = new Map<string, { folders: string[]; at: Map<string, IssuerEntry[]> }>();
  return (name, uri) => {
    let index = byName.get(name);
    if (!index) {
      const at = new Map<string, IssuerEntry[]>();
      for (const i of issuersByName.get(`Issuer\u0000${name}`) ?? []) {
        const f = folderOf(i.object.uri);
        const list = at.get(f);
        if (list) list.push(i);
        else at.set(f, [i]);
      }
      index = { folders: [...at.keys()].sort(), at };
      byName.set(name, index);
    }
    const folder = folderOf(uri);
    const out: IssuerEntry[] = [];
    // The folder itself and those above it.
    for (let f = folder; f; f = folderOf(f.slice(0, -1))) {
      out.push(...(index.at.get(f) ?? []));
      if (f.length <= 1) break;
    }
    // The folders below it: from the first that sorts after it, while they start with it.
    let lo = 0;
    let hi = index.folders.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index.folders[mid]! <= folder) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < index.folders.length && index.folders[k]!.startsWith(folder); k++) out.push(...index.at.get(index.folders[k]!)!);
    return out;
  };
}

/** Adds `namespace: <ns>` under metadata.name, at name's indentation (block style only). */
function namespaceFixes(object: WorkspaceObject, namespaces: string[]): Pick<OperationsFinding, 'fixes'> {
  const text = object.text;
  const start = object.summary.labelStart;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const m = /^( *)name: +$/.exec(text.slice(lineStart, start));
  if (!m) return {};
  const lineEnd = text.indexOf('\n', start);
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const prefix = lineEnd === -1 ? '\n' : '';
  return { fixes: namespaces.map((ns) => ({ title: `Add namespace: ${ns}`, preferred: namespaces.length === 1, edits: [{ start: at, end: at, newText: `${prefix}${m[1]}namespace: ${ns}\n` }] })) };
}

// ---- Let's Encrypt profiles ----

function formatSpan(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} days`;
  const h = ms / HOUR;
  return Number.isInteger(h) ? `${h}h` : `${h.toFixed(1)}h`;
}

const durationMs = (l: Located | undefined): number | undefined => {
  if (!l) return undefined;
  const d = parseGoDuration(l.value);
  return 'ns' in d ? d.ns / 1e6 : undefined;
};

function letsEncryptProfile(object: WorkspaceObject, c: CertificateFacts, issuer: IssuerEntry, env: LetsEncryptEnvironment, now: Date, report: (f: OperationsFinding) => void): void {
  const profile = issuer.facts.acmeProfile?.value ?? DEFAULT_PROFILE;
  const profileText = issuer.facts.acmeProfile ? `the "${profile}" profile of ${issuer.kind} "${issuer.name}"` : `the default ("${DEFAULT_PROFILE}") profile (${issuer.kind} "${issuer.name}" sets none)`;
  const ca = `Let's Encrypt ${env}`;
  for (const ip of c.ipAddresses ?? []) {
    if (profile === IP_ADDRESS_PROFILE) break;
    report({
      object,
      rule: 'acme-ip-needs-shortlived',
      message: `${ca} issues certificates for IP addresses only under the "${IP_ADDRESS_PROFILE}" profile, and this Certificate gets ${profileText}: the order will be refused. Set spec.acme.profile: ${IP_ADDRESS_PROFILE} on the issuer (cert-manager v1.18 or later), or use another issuer for IP addresses.`,
      start: ip.start,
      end: ip.end,
    });
  }
  const life = profileLifetime(profile, now);
  if (!life) return;
  const duration = durationMs(c.duration);
  if (c.duration && duration !== undefined && duration !== life.ms) {
    report({
      object,
      rule: 'acme-duration-ignored',
      message: `${ca} ignores duration: under ${profileText} every certificate is valid ${formatSpan(life.ms)}${upcoming(life.upcoming)}. cert-manager plans renewals from the certificate it gets.`,
      start: c.duration.start,
      end: c.duration.end,
    });
  }
  const rb = durationMs(c.renewBefore);
  if (c.renewBefore && rb !== undefined && rb > 0) {
    const at = { start: c.renewBefore.start, end: c.renewBefore.end };
    if (rb >= life.ms) {
      report({ object, rule: 'acme-renew-before-lifetime', ...at, message: `renewBefore ${c.renewBefore.value} is not shorter than the ${formatSpan(life.ms)} that certificates of ${profileText} last at ${ca}: cert-manager ignores it and renews two thirds into the lifetime (${formatSpan((life.ms * 2) / 3)} after issuance). Use a shorter renewBefore, or renewBeforePercentage.` });
    } else if (env === 'production' && life.ms - rb < MIN_RENEWAL_INTERVAL) {
      report({ object, rule: 'acme-renew-before-lifetime', ...at, message: churn(life.ms - rb, profileText) });
    } else {
      const later = life.upcoming.find((u) => rb >= u.ms);
      if (later) {
        report({ object, rule: 'acme-renew-before-lifetime', ...at, message: `From ${later.from} certificates of ${profileText} last ${formatSpan(later.ms)} at ${ca} (now ${formatSpan(life.ms)}): renewBefore ${c.renewBefore.value} will then be ignored, and cert-manager will renew two thirds into the lifetime. Use renewBeforePercentage to follow the lifetime.` });
      }
    }
  }
  const pct = c.renewBeforePercentage;
  if (pct && env === 'production' && pct.value > 0 && pct.value < 100) {
    const interval = (life.ms * (100 - pct.value)) / 100;
    if (interval < MIN_RENEWAL_INTERVAL) report({ object, rule: 'acme-renew-before-lifetime', start: pct.start, end: pct.end, message: churn(interval, profileText) });
  }
}

function churn(interval: number, profileText: string): string {
  return `With ${profileText} this renews every ${formatSpan(interval)}: more than ${RATE_LIMITS.duplicateCertificates} certificates for the same names in 7 days, which Let's Encrypt production refuses ("too many certificates already issued for this exact set of identifiers"). Renew less often.`;
}

function upcoming(steps: { from: string; ms: number }[]): string {
  return steps.length ? ` (${steps.map((s) => `${formatSpan(s.ms)} from ${s.from}`).join(', ')})` : '';
}

// ---- Let's Encrypt production rate limits ----

function rateLimits(requested: readonly Requested[], isTarget: (o: WorkspaceObject) => boolean, report: (f: OperationsFinding) => void): void {
  // Only the domains a target's names are under can bring findings about it.
  const wanted = new Set<string>();
  for (const r of requested) if (isTarget(r.object)) for (const d of r.domains) wanted.add(d);
  if (wanted.size === 0) return;
  // Distinct name sets per registered domain: a second certificate for the same set is a renewal, exempt from this limit.
  const byDomain = new Map<string, Map<string, Requested[]>>();
  for (const r of requested) {
    for (const domain of r.domains) {
      if (!wanted.has(domain)) continue;
      const sets = byDomain.get(domain) ?? new Map<string, Requested[]>();
      const list = sets.get(r.nameSet) ?? [];
      list.push(r);
      sets.set(r.nameSet, list);
      byDomain.set(domain, sets);
    }
  }
  for (const [domain, sets] of byDomain) {
    if (sets.size <= RATE_LIMITS.newCertificatesPerRegisteredDomain) continue;
    for (const list of sets.values()) {
      for (const r of list) {
        if (!isTarget(r.object)) continue;
        const name = r.names.find((n) => registeredDomain(n.value) === domain)!;
        report({
          object: r.object,
          rule: 'letsencrypt-rate-limit',
          message: `${sets.size} different sets of names under ${domain} are requested from Let's Encrypt production in these files; it issues at most ${RATE_LIMITS.newCertificatesPerRegisteredDomain} new certificates per registered domain in 7 days. A cluster that asks for them all at once waits up to a week for ${sets.size - RATE_LIMITS.newCertificatesPerRegisteredDomain} of them ("too many certificates already issued"). Combine names, use a wildcard, or roll out in stages.`,
          start: name.start,
          end: name.end,
        });
      }
    }
  }
}

function duplicates(requested: readonly Requested[], isTarget: (o: WorkspaceObject) => boolean, report: (f: OperationsFinding) => void): void {
  // Only the sets a target requests can bring findings about it; an order whose first identifier
  // is none of theirs cannot request one of them (and its set is not made).
  const wanted = new Set<string>();
  const firsts = new Set<string | undefined>();
  for (const r of requested) {
    if (!isTarget(r.object)) continue;
    wanted.add(r.nameSet);
    firsts.add(r.first);
  }
  if (wanted.size === 0) return;
  const bySet = new Map<string, Requested[]>();
  for (const r of requested) {
    if (r.names.length === 0 && r.ips.length === 0) continue;
    if (!firsts.has(r.first)) continue;
    const k = r.nameSet;
    if (!wanted.has(k)) continue;
    const list = bySet.get(k) ?? [];
    list.push(r);
    bySet.set(k, list);
  }
  for (const [set, list] of bySet) {
    if (list.length < 2) continue;
    const names = set.split(',');
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
    const count = new Set(list.map((r) => r.id)).size;
    for (const r of list) {
      if (!isTarget(r.object)) continue;
      const tooMany = count > RATE_LIMITS.duplicateCertificates;
      // Below the limit, only Certificates that certainly go to one cluster count: the same namespace, or one file without namespaces.
      const together = list.filter((o) => o.id !== r.id && (tooMany || sameTarget(o.object, r.object)));
      if (together.length === 0) continue;
      const others = together.slice(0, 3).map((o) => o.label).join(', ') + (together.length > 3 ? ` and ${together.length - 3} more` : '');
      const at = r.names[0] ?? { start: r.object.summary.labelStart, end: r.object.summary.labelEnd };
      report({
        object: r.object,
        rule: 'letsencrypt-duplicate-certificates',
        message: tooMany
          ? `${count} Certificates request exactly these names (${shown}) from Let's Encrypt production, which issues at most ${RATE_LIMITS.duplicateCertificates} certificates for one set of names in 7 days: they cannot all be issued, nor all renewed in one week. Let one Certificate write the Secret and share it.`
          : `${others} also ${together.length === 1 ? 'requests' : 'request'} exactly these names (${shown}) from Let's Encrypt production: every renewal certifies them once per Certificate, from an allowance of ${RATE_LIMITS.duplicateCertificates} per 7 days. Let one Certificate write the Secret and share it.`,
        start: at.start,
        end: at.end,
      });
    }
  }
}

/** Kind, name and namespace: objects with the same identity in several files are variants of one object. */
function identity(o: { object: WorkspaceObject }): string {
  const s = o.object.summary;
  return `${s.kind}\u0000${s.name}\u0000${s.namespace ?? ''}`;
}

function sameTarget(a: WorkspaceObject, b: WorkspaceObject): boolean {
  const na = a.summary.namespace;
  const nb = b.summary.namespace;
  return na !== undefined ? na === nb : nb === undefined && a.uri === b.uri;
}

// ---- ACME account keys ----

function accountKeys(
  issuers: readonly IssuerEntry[],
  certificates: readonly { object: WorkspaceObject; facts: CertificateFacts }[],
  ingresses: readonly { object: WorkspaceObject; facts: IngressFacts }[],
  secretNamespace: (i: IssuerEntry) => string | undefined,
  report: (f: OperationsFinding) => void,
): void {
  const acme = issuers.filter((i) => i.facts.issuerType === 'acme' && i.facts.accountKeySecret);
  // Writers of the Secrets that hold account keys: Certificates, and Ingresses through ingress-shim.
  const keys = new Set(acme.map((i) => i.facts.accountKeySecret!.value));
  const writers: { object: WorkspaceObject; secret: Located; kind: 'Certificate' | 'Ingress' }[] = [];
  for (const c of certificates) if (c.facts.secretName && keys.has(c.facts.secretName.value)) writers.push({ object: c.object, secret: c.facts.secretName, kind: 'Certificate' });
  for (const g of ingresses) {
    const f = g.facts;
    const ref = f.clusterIssuer ?? f.issuer;
    if (!ref || (f.issuerGroup && f.issuerGroup !== 'cert-manager.io')) continue;
    for (const s of f.secretNames) if (keys.has(s.value)) writers.push({ object: g.object, secret: s, kind: 'Ingress' });
  }
  // Strict namespaces here (an error is reported): equal, or both unset in one file.
  const strictlySame = (ns: string | undefined, issuer: IssuerEntry, w: WorkspaceObject) => (ns !== undefined ? w.summary.namespace === ns : w.summary.namespace === undefined && w.uri === issuer.object.uri);
  const writersOf = new Map<string, typeof writers>();
  for (const w of writers) {
    const list = writersOf.get(w.secret.value);
    if (list) list.push(w);
    else writersOf.set(w.secret.value, [w]);
  }
  for (const i of acme) {
    const key = i.facts.accountKeySecret!;
    const ns = secretNamespace(i);
    for (const w of writersOf.get(key.value) ?? []) {
      if (!strictlySame(ns, i, w.object)) continue;
      const where = ns ? ` in namespace "${ns}"` : '';
      report({
        object: i.object,
        rule: 'account-key-secret-conflict',
        message: `The ACME account key of ${i.kind} "${i.name}" is kept in the Secret "${key.value}"${where}, which ${w.kind}/${w.object.summary.name} also writes: the certificate's key and the account key overwrite each other, and Let's Encrypt refuses a certificate whose key is the account key. Give the account key its own Secret.`,
        start: key.start,
        end: key.end,
      });
      report({
        object: w.object,
        rule: 'account-key-secret-conflict',
        message: `The Secret "${key.value}"${where} holds the ACME account key of ${i.kind} "${i.name}": writing a certificate into it overwrites the account key (or signs with it, which Let's Encrypt refuses). Use another secretName.`,
        start: w.secret.start,
        end: w.secret.end,
      });
    }
  }
  // Issuers sharing one key Secret with another server or email.
  const byKey = new Map<string, IssuerEntry[]>();
  for (const i of acme) {
    const ns = secretNamespace(i);
    const k = `${ns ?? `\u0001${i.object.uri}`}\u0000${i.facts.accountKeySecret!.value}`;
    const list = byKey.get(k) ?? [];
    list.push(i);
    byKey.set(k, list);
  }
  const server = (i: IssuerEntry) => i.facts.acmeServer?.value.trim().replace(/\/+$/, '') ?? '';
  for (const list of byKey.values()) {
    if (list.length < 2) continue;
    const servers = new Set(list.map(server));
    const emails = new Set(list.map((i) => (i.facts.acmeEmail ?? '').toLowerCase()));
    if (servers.size < 2 && emails.size < 2) continue;
    for (const i of list) {
      // The same issuer written twice (overlays, test data) is one object in several variants, not two issuers.
      const others = [...new Set(list.filter((o) => identity(o) !== identity(i)).map((o) => `${o.kind} "${o.name}"`))];
      if (others.length === 0) continue;
      const differs = servers.size > 1 ? `ACME server${emails.size > 1 ? ' and email' : ''}` : 'email';
      const key = i.facts.accountKeySecret!;
      report({
        object: i.object,
        rule: 'account-key-shared',
        message: `${i.kind} "${i.name}" shares its account key Secret "${key.value}" with ${others.join(', ')}, with another ${differs}: deleting the Secret to reset one account resets the others${emails.size > 1 ? ", and on one server the account's email becomes that of whichever issuer registered last" : ''}. Give each issuer its own privateKeySecretRef unless sharing is intended.`,
        start: key.start,
        end: key.end,
      });
    }
  }
}
