/**
 * The status of one Certificate in a cluster, as cmctl's `status certificate`
 * gathers it, and more: the Certificate's conditions; its Issuer or
 * ClusterIssuer and that issuer's Ready condition; the current
 * CertificateRequest (the one owned by the Certificate whose revision
 * annotation is status.revision + 1, as cmctl finds it), its Order and
 * Challenges; recent Events of each; and the Secret's certificate chain
 * through the chain engine.
 *
 * Only the Certificate itself must be readable: whatever else RBAC denies
 * (a user who may read Certificates only) is reported in its own section and
 * the rest is still shown. Secret values are read into memory to inspect the
 * chain and never leave this module: the report holds the names of the
 * Secret's keys, never their values.
 */
import { extractInput, ChainInputError } from '../chain/pem.js';
import { inspect, type ChainReport } from '../chain/inspect.js';
import { ClusterError } from './cluster-error.js';
import type { ClusterReader, KubeJson } from './cluster-reader.js';
import { EVENTS, KNOWN, SECRETS } from './resource-path.js';
import type { ResourceInfo } from './discovery.js';

export interface ConditionSummary {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** The most recent time it was seen (RFC 3339), when known. */
  lastSeen?: string;
}

/** A part of the report that could not be read (RBAC, not served): the rest is still shown. */
export interface Unreadable {
  error: string;
}

interface IssuerSection {
  kind: 'Issuer' | 'ClusterIssuer' | string;
  name: string;
  group: string;
  namespace?: string;
  found: boolean;
  /** acme, ca, selfSigned, vault, venafi: the key set in its spec. */
  type?: string;
  conditions: ConditionSummary[];
  ready?: boolean;
  /** An issuerRef.group other than cert-manager.io: an external issuer, not read. */
  external?: boolean;
  /** ACME: the directory URL, and the account URI once registered. */
  acmeServer?: string;
  acmeAccount?: string;
  /** The Secrets its spec names (names and keys, never values): the CA key pair, the ACME account key, EAB and solver credentials. */
  secretRefs?: SecretReference[];
  error?: string;
}

interface SecretReference {
  /** What the issuer uses it for: "CA key pair", "ACME account key", "EAB HMAC key", "DNS-01 rfc2136 tsigSecretSecretRef". */
  role: string;
  name: string;
  /** The data key it reads, when the reference names one. */
  key?: string;
}

interface SecretSection {
  name: string;
  found: boolean;
  type?: string;
  /** The names of its data keys (never their values). */
  keys: string[];
  chain?: ChainReport;
  chainError?: string;
  error?: string;
}

export interface CertificateRequestSection {
  name: string;
  revision?: string;
  conditions: ConditionSummary[];
  approved?: boolean;
  denied?: boolean;
  ready?: boolean;
  failureTime?: string;
  events: EventSummary[];
}

export interface OrderSection {
  name: string;
  state?: string;
  reason?: string;
  url?: string;
  failureTime?: string;
  authorizations: { identifier?: string; wildcard?: boolean; state?: string }[];
  events: EventSummary[];
}

export interface ChallengeSection {
  name: string;
  type?: string;
  domain?: string;
  wildcard?: boolean;
  token?: string;
  state?: string;
  reason?: string;
  presented?: boolean;
  processing?: boolean;
  /** DNS-01: the TXT value the CA will look for (public: it is published in DNS). */
  key?: string;
  /** The solver: "dns01 rfc2136", "http01 ingress". */
  solver?: string;
  /** DNS-01 rfc2136: the nameserver updated and the TSIG key's name and algorithm. */
  nameserver?: string;
  tsigKeyName?: string;
  tsigAlgorithm?: string;
  /** The solver skips cert-manager's self check (v1.21 waitInsteadOfSelfCheck). */
  waitInsteadOfSelfCheck?: string;
  events: EventSummary[];
}

export interface CertificateStatusReport {
  context: string;
  server: string;
  namespace: string;
  name: string;
  generation?: number;
  resourceVersion?: string;
  spec: {
    secretName?: string;
    commonName?: string;
    dnsNames: string[];
    ipAddresses: string[];
    uris: string[];
    emailAddresses: string[];
    duration?: string;
    renewBefore?: string;
    issuerRef?: { name?: string; kind?: string; group?: string };
  };
  status: {
    notBefore?: string;
    notAfter?: string;
    renewalTime?: string;
    revision?: number;
    lastFailureTime?: string;
    failedIssuanceAttempts?: number;
    nextPrivateKeySecretName?: string;
  };
  conditions: ConditionSummary[];
  /** Ready=True for the current generation. */
  ready: boolean;
  /** Issuing=True. */
  issuing: boolean;
  events: EventSummary[] | Unreadable;
  issuer?: IssuerSection;
  secret?: SecretSection;
  certificateRequest?: CertificateRequestSection | Unreadable | null;
  order?: OrderSection | Unreadable | null;
  challenges?: ChallengeSection[] | Unreadable;
}

export function conditionsOf(o: KubeJson | undefined): ConditionSummary[] {
  const list = o?.status?.conditions;
  if (!Array.isArray(list)) return [];
  return list.map((c: KubeJson) => ({
    type: String(c.type),
    status: String(c.status),
    ...(c.reason ? { reason: String(c.reason) } : {}),
    ...(c.message ? { message: String(c.message) } : {}),
    ...(c.lastTransitionTime ? { lastTransitionTime: String(c.lastTransitionTime) } : {}),
    ...(typeof c.observedGeneration === 'number' ? { observedGeneration: c.observedGeneration } : {}),
  }));
}

export function conditionOf(o: KubeJson | undefined, type: string): ConditionSummary | undefined {
  return conditionsOf(o).find((c) => c.type === type);
}

/** Ready=True, and (when the condition says which generation it saw) for the current spec. */
export function isReady(crt: KubeJson): boolean {
  const c = conditionOf(crt, 'Ready');
  if (c?.status !== 'True') return false;
  const gen = crt.metadata?.generation;
  return c.observedGeneration === undefined || typeof gen !== 'number' || c.observedGeneration >= gen;
}

export function isIssuing(crt: KubeJson): boolean {
  return conditionOf(crt, 'Issuing')?.status === 'True';
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function ownedBy(o: KubeJson, owner: KubeJson): boolean {
  const uid = owner.metadata?.uid;
  return Array.isArray(o.metadata?.ownerReferences) && o.metadata.ownerReferences.some((r: KubeJson) => r.uid === uid && r.controller !== false);
}

function unreadable(e: unknown): Unreadable {
  if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'not-served' || e.kind === 'server')) return { error: e.message };
  throw e;
}

export function isUnreadable(x: unknown): x is Unreadable {
  return !!x && typeof x === 'object' && !Array.isArray(x) && typeof (x as Unreadable).error === 'string' && !('name' in (x as object));
}

/** Events about an object, newest last (as kubectl describe shows them), at most `limit`. */
async function eventsFor(reader: ClusterReader, o: KubeJson, limit = 10, signal?: AbortSignal): Promise<EventSummary[]> {
  const md = o.metadata ?? {};
  const selector = [`involvedObject.uid=${md.uid}`, `involvedObject.name=${md.name}`, ...(md.namespace ? [`involvedObject.namespace=${md.namespace}`] : [])].join(',');
  const { items } = await reader.list(EVENTS, md.namespace, { fieldSelector: selector, signal });
  const when = (e: KubeJson): string => e.lastTimestamp ?? e.eventTime ?? e.series?.lastObservedTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';
  return items
    .sort((a, b) => Date.parse(when(a) || '0') - Date.parse(when(b) || '0'))
    .slice(-limit)
    .map((e) => ({
      type: String(e.type ?? 'Normal'),
      reason: String(e.reason ?? ''),
      message: String(e.message ?? e.note ?? '').trim(),
      count: typeof e.count === 'number' ? e.count : (e.series?.count ?? 1),
      ...(when(e) ? { lastSeen: String(when(e)) } : {}),
    }));
}

const ISSUER_TYPES = ['acme', 'ca', 'selfSigned', 'vault', 'venafi'];

export interface StatusOptions {
  signal?: AbortSignal;
  /** Evaluation time of the chain (default now). */
  at?: Date;
  expiryWarningDays?: number;
  /** The most recent Events shown per object (default 10). */
  eventsPerObject?: number;
}

/** Everything the status shows. Throws a ClusterError only when the Certificate itself cannot be read. */
export async function certificateStatus(reader: ClusterReader, namespace: string, name: string, options: StatusOptions = {}): Promise<CertificateStatusReport> {
  const signal = options.signal;
  const certificates = await reader.resource(KNOWN.certificate.apiVersion, KNOWN.certificate.kind);
  const crt = await reader.mustGet(certificates, namespace, name, signal);
  const spec = crt.spec ?? {};
  const st = crt.status ?? {};
  const perObject = options.eventsPerObject ?? 10;
  const report: CertificateStatusReport = {
    context: reader.context,
    server: reader.conn.endpoint.server,
    namespace,
    name,
    generation: crt.metadata?.generation,
    resourceVersion: crt.metadata?.resourceVersion,
    spec: {
      secretName: spec.secretName,
      commonName: spec.commonName,
      dnsNames: strings(spec.dnsNames),
      ipAddresses: strings(spec.ipAddresses),
      uris: strings(spec.uris),
      emailAddresses: strings(spec.emailAddresses),
      duration: spec.duration,
      renewBefore: spec.renewBefore,
      issuerRef: spec.issuerRef ? { name: spec.issuerRef.name, kind: spec.issuerRef.kind, group: spec.issuerRef.group } : undefined,
    },
    status: {
      notBefore: st.notBefore,
      notAfter: st.notAfter,
      renewalTime: st.renewalTime,
      revision: st.revision,
      lastFailureTime: st.lastFailureTime,
      failedIssuanceAttempts: st.failedIssuanceAttempts,
      nextPrivateKeySecretName: st.nextPrivateKeySecretName,
    },
    conditions: conditionsOf(crt),
    ready: isReady(crt),
    issuing: isIssuing(crt),
    events: [],
  };

  const [events, issuer, secret, request] = await Promise.all([
    eventsFor(reader, crt, perObject, signal).catch(unreadable),
    issuerSection(reader, crt, namespace, signal),
    secretSection(reader, namespace, spec.secretName, options),
    currentRequest(reader, crt, namespace, signal).catch(unreadable),
  ]);
  report.events = events;
  report.issuer = issuer;
  report.secret = secret;

  if (isUnreadable(request)) {
    report.certificateRequest = request;
    return report;
  }
  if (!request) {
    report.certificateRequest = null;
    return report;
  }
  const cr = request;
  const crEvents = await eventsFor(reader, cr, perObject, signal).catch(() => [] as EventSummary[]);
  report.certificateRequest = {
    name: cr.metadata.name,
    revision: cr.metadata?.annotations?.['cert-manager.io/certificate-revision'],
    conditions: conditionsOf(cr),
    approved: conditionOf(cr, 'Approved')?.status === 'True',
    denied: conditionOf(cr, 'Denied')?.status === 'True',
    ready: conditionOf(cr, 'Ready')?.status === 'True',
    failureTime: cr.status?.failureTime,
    events: crEvents,
  };

  // ACME: the Order owned by the request, and the Challenges owned by the Order.
  const order = await ownedOne(reader, KNOWN.order, namespace, cr, signal).catch(unreadable);
  if (isUnreadable(order) || !order) {
    report.order = order ?? null;
    return report;
  }
  report.order = {
    name: order.metadata.name,
    state: order.status?.state,
    reason: order.status?.reason,
    url: order.status?.url,
    failureTime: order.status?.failureTime,
    authorizations: (order.status?.authorizations ?? []).map((a: KubeJson) => ({ identifier: a.identifier, wildcard: a.wildcard, state: a.initialState ?? a.state })),
    events: await eventsFor(reader, order, perObject, signal).catch(() => []),
  };
  const challenges = await ownedAll(reader, KNOWN.challenge, namespace, order, signal).catch(unreadable);
  if (isUnreadable(challenges)) {
    report.challenges = challenges;
    return report;
  }
  report.challenges = await Promise.all(
    challenges.map(async (ch) => ({
      name: ch.metadata.name,
      type: ch.spec?.type,
      domain: ch.spec?.dnsName,
      wildcard: ch.spec?.wildcard,
      token: ch.spec?.token,
      state: ch.status?.state,
      reason: ch.status?.reason,
      presented: ch.status?.presented,
      processing: ch.status?.processing,
      ...solverFacts(ch.spec),
      events: await eventsFor(reader, ch, perObject, signal).catch(() => []),
    })),
  );
  return report;
}

async function issuerSection(reader: ClusterReader, crt: KubeJson, namespace: string, signal?: AbortSignal): Promise<IssuerSection | undefined> {
  const ref = crt.spec?.issuerRef;
  if (!ref?.name) return undefined;
  const kind = ref.kind || 'Issuer';
  const group = ref.group || 'cert-manager.io';
  const base = { kind, name: ref.name, group, conditions: [] as ConditionSummary[], found: false };
  if (group !== 'cert-manager.io') return { ...base, external: true, ...(kind !== 'ClusterIssuer' ? { namespace } : {}) };
  const known = kind === 'ClusterIssuer' ? KNOWN.clusterIssuer : KNOWN.issuer;
  try {
    const info = await reader.resource(known.apiVersion, known.kind);
    const issuer = await reader.get(info, namespace, ref.name, signal);
    const ns = info.namespaced ? namespace : undefined;
    if (!issuer) return { ...base, ...(ns ? { namespace: ns } : {}) };
    const ready = conditionOf(issuer, 'Ready');
    const refs = secretReferences(issuer.spec);
    return {
      ...base,
      ...(ns ? { namespace: ns } : {}),
      found: true,
      type: ISSUER_TYPES.find((t) => issuer.spec?.[t] !== undefined),
      conditions: conditionsOf(issuer),
      ready: ready?.status === 'True',
      ...(typeof issuer.spec?.acme?.server === 'string' ? { acmeServer: issuer.spec.acme.server } : {}),
      ...(typeof issuer.status?.acme?.uri === 'string' && issuer.status.acme.uri ? { acmeAccount: issuer.status.acme.uri } : {}),
      ...(refs.length ? { secretRefs: refs } : {}),
    };
  } catch (e) {
    return { ...base, ...(kind !== 'ClusterIssuer' ? { namespace } : {}), ...unreadable(e) };
  }
}

/** The Secrets an issuer's spec names: spec.ca.secretName, and every `*SecretRef` ({name, key}) under spec.acme and spec.vault. */
function secretReferences(spec: KubeJson | undefined): SecretReference[] {
  const out: SecretReference[] = [];
  if (typeof spec?.ca?.secretName === 'string') out.push({ role: 'CA key pair', name: spec.ca.secretName });
  const acme = spec?.acme;
  if (typeof acme?.privateKeySecretRef?.name === 'string') out.push({ role: 'ACME account key', name: acme.privateKeySecretRef.name, ...(acme.privateKeySecretRef.key ? { key: acme.privateKeySecretRef.key } : {}) });
  const eab = acme?.externalAccountBinding?.keySecretRef;
  if (typeof eab?.name === 'string') out.push({ role: 'EAB HMAC key', name: eab.name, ...(eab.key ? { key: eab.key } : {}) });
  /** Every `*SecretRef` ({name, key}) below a solver's or Vault's configuration. */
  const collect = (o: unknown, role: string, depth = 0) => {
    if (!o || typeof o !== 'object' || depth > 5) return;
    for (const [k, v] of Object.entries(o as KubeJson)) {
      if (/SecretRef$/.test(k) && typeof v?.name === 'string') out.push({ role: `${role} ${k}`, name: v.name, ...(v.key ? { key: String(v.key) } : {}) });
      else collect(v, role, depth + 1);
    }
  };
  for (const solver of Array.isArray(acme?.solvers) ? acme.solvers : []) {
    for (const kind of ['dns01', 'http01'] as const) {
      for (const [provider, config] of Object.entries(solver?.[kind] ?? {})) collect(config, `${kind === 'dns01' ? 'DNS-01' : 'HTTP-01'} ${provider}`);
    }
  }
  if (spec?.vault) collect(spec.vault.auth, 'Vault');
  // The same Secret and key named twice (two solvers) is one reference.
  return out.filter((r, i) => out.findIndex((x) => x.name === r.name && x.key === r.key && x.role === r.role) === i);
}

/** A Challenge's solver, in words, and the DNS-01 facts explain needs (the TXT value is public: it is what DNS serves). */
function solverFacts(spec: KubeJson | undefined): Partial<ChallengeSection> {
  const solver = spec?.solver ?? {};
  const kind = solver.dns01 ? 'dns01' : solver.http01 ? 'http01' : undefined;
  if (!kind) return {};
  const provider = Object.keys(solver[kind] ?? {}).find((k) => k !== 'cnameStrategy');
  const out: Partial<ChallengeSection> = { solver: `${kind}${provider ? ` ${provider}` : ''}` };
  if (kind === 'dns01' && typeof spec?.key === 'string') out.key = spec.key;
  const rfc = solver.dns01?.rfc2136;
  if (rfc) {
    if (rfc.nameserver) out.nameserver = String(rfc.nameserver);
    if (rfc.tsigKeyName) out.tsigKeyName = String(rfc.tsigKeyName);
    if (rfc.tsigAlgorithm) out.tsigAlgorithm = String(rfc.tsigAlgorithm);
  }
  if (solver.waitInsteadOfSelfCheck !== undefined) out.waitInsteadOfSelfCheck = String(solver.waitInsteadOfSelfCheck);
  return out;
}

async function secretSection(reader: ClusterReader, namespace: string, secretName: string | undefined, options: StatusOptions): Promise<SecretSection | undefined> {
  if (!secretName) return undefined;
  let secret: KubeJson | undefined;
  try {
    secret = await reader.get(SECRETS, namespace, secretName, options.signal);
  } catch (e) {
    return { name: secretName, found: false, keys: [], ...unreadable(e) };
  }
  if (!secret) return { name: secretName, found: false, keys: [] };
  const data: Record<string, string> = secret.data ?? {};
  const section: SecretSection = { name: secretName, found: true, type: secret.type, keys: Object.keys(data).sort() };
  if (!data['tls.crt']) {
    section.chainError = 'the Secret has no tls.crt (not issued yet)';
    return section;
  }
  try {
    // The chain engine reads a Secret manifest itself (tls.crt, ca.crt, and tls.key to check that it matches); nothing of it is kept but the report.
    const input = extractInput(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace }, type: secret.type, data }));
    section.chain = inspect(input, { at: options.at, expiryWarningDays: options.expiryWarningDays });
  } catch (e) {
    if (e instanceof ChainInputError) section.chainError = e.message;
    else throw e;
  }
  return section;
}

/** The CertificateRequest of the next revision owned by the Certificate (cmctl's findMatchingCR), or null. */
async function currentRequest(reader: ClusterReader, crt: KubeJson, namespace: string, signal?: AbortSignal): Promise<KubeJson | null> {
  const info = await reader.resource(KNOWN.certificateRequest.apiVersion, KNOWN.certificateRequest.kind);
  const { items } = await reader.list(info, namespace, { signal });
  const next = String((typeof crt.status?.revision === 'number' ? crt.status.revision : 0) + 1);
  const matches = items.filter((r) => r.metadata?.annotations?.['cert-manager.io/certificate-revision'] === next && ownedBy(r, crt));
  if (matches.length > 1) throw new ClusterError('server', `found ${matches.length} CertificateRequests with revision ${next} owned by Certificate "${crt.metadata.name}"; cert-manager will clean them up`);
  return matches[0] ?? null;
}

async function ownedAll(reader: ClusterReader, known: { apiVersion: string; kind: string }, namespace: string, owner: KubeJson, signal?: AbortSignal): Promise<KubeJson[]> {
  let info: ResourceInfo;
  try {
    info = await reader.resource(known.apiVersion, known.kind);
  } catch (e) {
    // Not an ACME setup, or the acme CRDs are missing: nothing owned.
    if (e instanceof ClusterError && e.kind === 'not-served') return [];
    throw e;
  }
  const { items } = await reader.list(info, namespace, { signal });
  return items.filter((o) => ownedBy(o, owner));
}

async function ownedOne(reader: ClusterReader, known: { apiVersion: string; kind: string }, namespace: string, owner: KubeJson, signal?: AbortSignal): Promise<KubeJson | null> {
  return (await ownedAll(reader, known, namespace, owner, signal))[0] ?? null;
}
