/**
 * "Why isn't it Ready?" for one Certificate: reads what the status reads
 * (certificate-status.ts: the Certificate, its issuer, the current
 * CertificateRequest, Order and Challenges, their Events, the Secret), then
 * only what a cause needs beyond it:
 *
 *   - the Secrets the issuer names (CA key pair, ACME account key, EAB and
 *     DNS-01 credentials): whether each exists and its key names, never a
 *     value; a missing CA Secret is looked for in other namespaces (metadata
 *     only), to tell "missing" from "in the wrong namespace";
 *   - for an issuerRef outside cert-manager.io: whether the API server serves
 *     that group and kind;
 *   - the Order named after the current request when it owns none (cert-manager
 *     makes a failed request again under the same name, and its Order keeps
 *     the failure);
 *   - for a DNS-01 record cert-manager's self check cannot see: Certsmith's own
 *     propagation check of that record (injected by the caller, which owns
 *     the DNS code and the nameservers to ask).
 *
 * diagnose.ts names the one root cause; this module also draws the
 * Certificate → CertificateRequest → Order → Challenges picture with each
 * object's state, for the editor's panel.
 */
import { ClusterError } from '../cluster-error.js';
import type { ClusterReader, KubeJson } from '../cluster-reader.js';
import { certificateStatus, isUnreadable, type CertificateStatusReport, type ConditionSummary, type OrderSection } from '../certificate-status.js';
import { KNOWN, SECRETS } from '../resource-path.js';
import { diagnose, type ExplainFacts } from './diagnose.js';
import type { Explanation, ExplanationNode, NodeState, RecordChecker, SecretFact } from './explanation.js';
import { DEFAULT_MAXIMUM_BACKOFF_MS, DEFAULT_MINIMUM_BACKOFF_MS, type BackoffBounds } from './issuance-backoff.js';

export interface ExplainOptions {
  signal?: AbortSignal;
  /** The clock (tests). */
  now?: Date;
  /** The controller's --cluster-resource-namespace (default "cert-manager"). */
  clusterResourceNamespace?: string;
  /** The controller's CertificateRequest backoff bounds (default 1 h and 32 h, as cert-manager's). */
  backoff?: Partial<BackoffBounds>;
  /** Certsmith's propagation check, for a DNS-01 record cert-manager does not see. */
  checkRecord?: RecordChecker;
  /** How the next action tells to renew (default `certsmith renew NAME -n NS`). */
  renewCommand?: string;
}

async function secretFact(reader: ClusterReader, role: string, namespace: string, name: string, key: string | undefined, signal?: AbortSignal): Promise<SecretFact> {
  const base = { role, name, namespace, ...(key ? { key } : {}) };
  try {
    const s = await reader.get(SECRETS, namespace, name, signal);
    // Only the key names leave this function.
    return s ? { ...base, found: true, keys: Object.keys(s.data ?? {}).sort() } : { ...base, found: false, keys: [] };
  } catch (e) {
    if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'server' || e.kind === 'not-found')) return { ...base, found: false, keys: [], error: e.message };
    throw e;
  }
}

/** Namespaces that hold a Secret with this name (metadata only); [] when that may not be listed. */
async function namespacesWithSecret(reader: ClusterReader, name: string, signal?: AbortSignal): Promise<string[]> {
  try {
    const { items } = await reader.list(SECRETS, undefined, { metadataOnly: true, fieldSelector: `metadata.name=${name}`, signal });
    return items.map((s) => String(s.metadata?.namespace)).sort();
  } catch (e) {
    if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'server')) return [];
    throw e;
  }
}

async function externalServed(reader: ClusterReader, group: string, kind: string): Promise<{ served: boolean; message?: string }> {
  // The version is not in an issuerRef: ask for v1; a group served in other versions counts as served.
  const lookup = await reader.discovery.lookup(`${group}/v1`, kind);
  if (lookup.served || lookup.reason === 'version-missing') return { served: true };
  return { served: false, message: lookup.message };
}

async function orderNamedAfter(reader: ClusterReader, namespace: string, request: string, signal?: AbortSignal): Promise<OrderSection | undefined> {
  try {
    const info = await reader.resource(KNOWN.order.apiVersion, KNOWN.order.kind);
    const { items } = await reader.list(info, namespace, { signal });
    const o = items
      .filter((x: KubeJson) => String(x.metadata?.name).startsWith(`${request}-`) && /^\d+$/.test(String(x.metadata?.name).slice(request.length + 1)))
      .sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')))[0];
    if (!o) return undefined;
    return { name: o.metadata.name, state: o.status?.state, reason: o.status?.reason, url: o.status?.url, failureTime: o.status?.failureTime, authorizations: [], events: [] };
  } catch (e) {
    if (e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'not-served' || e.kind === 'server')) return undefined;
    throw e;
  }
}

export async function explainCertificate(reader: ClusterReader, namespace: string, name: string, options: ExplainOptions = {}): Promise<Explanation> {
  const signal = options.signal;
  const now = options.now ?? new Date();
  const clusterResourceNamespace = options.clusterResourceNamespace ?? 'cert-manager';
  const report = await certificateStatus(reader, namespace, name, { signal, at: now });
  const issuer = report.issuer;
  const secretNamespace = issuer?.kind === 'ClusterIssuer' ? clusterResourceNamespace : (issuer?.namespace ?? namespace);
  const cr = report.certificateRequest && !isUnreadable(report.certificateRequest) ? report.certificateRequest : undefined;

  const [issuerSecrets, externalIssuer, orderByName] = await Promise.all([
    Promise.all((issuer?.secretRefs ?? []).map((ref) => secretFact(reader, ref.role, secretNamespace, ref.name, ref.key, signal))),
    issuer?.external ? externalServed(reader, issuer.group, issuer.kind) : Promise.resolve(undefined),
    cr && report.order === null && issuer?.type === 'acme' ? orderNamedAfter(reader, namespace, cr.name, signal) : Promise.resolve(undefined),
  ]);
  const caSecret = issuerSecrets.find((s) => s.role === 'CA key pair');
  const caSecretElsewhere = caSecret && !caSecret.found && !caSecret.error ? await namespacesWithSecret(reader, caSecret.name, signal) : undefined;

  const facts: ExplainFacts = {
    report,
    now,
    backoff: { minimumMs: options.backoff?.minimumMs ?? DEFAULT_MINIMUM_BACKOFF_MS, maximumMs: options.backoff?.maximumMs ?? DEFAULT_MAXIMUM_BACKOFF_MS },
    clusterResourceNamespace,
    issuerSecrets,
    ...(caSecretElsewhere ? { caSecretElsewhere } : {}),
    ...(externalIssuer ? { externalIssuer } : {}),
    ...(orderByName ? { orderByName } : {}),
    renewCommand: options.renewCommand ?? `certsmith renew ${name} -n ${namespace}`,
  };
  const diagnosis = diagnose(facts);

  // A record cert-manager's self check does not see: check it from here, nameserver by nameserver.
  const c = diagnosis.cause;
  if (c?.code === 'dns01-not-propagated' && options.checkRecord) {
    const challenges = report.challenges && !isUnreadable(report.challenges) ? report.challenges : [];
    const ch = challenges.find((x) => `challenge:${x.name}` === c.node);
    if (ch?.domain) {
      const record = `_acme-challenge.${ch.domain.replace(/^\*\./, '').replace(/\.$/, '')}`.toLowerCase();
      c.recordCheck = await options.checkRecord({ name: record, expected: ch.key ? [ch.key] : [] }, signal);
      const rc = c.recordCheck;
      if (!rc.error) {
        const auth = rc.nameservers.filter((n) => n.role === 'authoritative');
        const rec = rc.nameservers.filter((n) => n.role === 'recursive');
        const atAuthority = auth.length > 0 && auth.every((n) => n.matched);
        const seen = rec.filter((n) => n.matched).length;
        c.evidence.push({ source: 'Certsmith propagation check', field: record, value: `${rc.propagated ? 'propagated' : 'NOT propagated'}: authoritative ${auth.filter((n) => n.matched).length}/${auth.length} hold the value, recursive ${seen}/${rec.length} (${rc.recursiveNameservers.join(', ')})` });
        if (atAuthority && seen < rec.length) c.summary += ` Certsmith's check agrees: the authoritative nameservers hold the value, ${rec.length - seen} of the ${rec.length} recursive nameserver${rec.length === 1 ? '' : 's'} do${rec.length - seen === 1 && rec.length === 1 ? 'es' : ''} not (split horizon or a stale cache).`;
        else if (!atAuthority && auth.length) c.summary += ' Certsmith\'s check: the authoritative nameservers do not hold the value either, so the update did not reach them (another zone, or a secondary that has not transferred it yet).';
      } else {
        c.evidence.push({ source: 'Certsmith propagation check', field: record, value: `could not be done: ${rc.error}` });
      }
    }
  }

  return {
    context: report.context,
    server: report.server,
    namespace,
    name,
    ...diagnosis,
    nodes: graphNodes(report, issuerSecrets, diagnosis.cause?.node, orderByName),
    secrets: [...(report.secret ? [{ role: 'issued certificate', name: report.secret.name, namespace, found: report.secret.found, keys: report.secret.keys, ...(report.secret.error ? { error: report.secret.error } : {}) }] : []), ...issuerSecrets],
    status: report,
    checkedAt: now.toISOString(),
  };
}

function conditionLine(c: ConditionSummary): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
}

/** The picture's boxes, in the order they are drawn: issuer, Certificate, request, order, challenges, Secrets. */
function graphNodes(r: CertificateStatusReport, issuerSecrets: SecretFact[], causeNode: string | undefined, orderByName: OrderSection | undefined): ExplanationNode[] {
  const nodes: ExplanationNode[] = [];
  const events = (e: unknown) => (Array.isArray(e) ? e : []);
  const i = r.issuer;
  if (i) {
    const ready = i.conditions.find((c) => c.type === 'Ready');
    const state: NodeState = i.error ? 'unknown' : i.external ? 'unknown' : !i.found ? 'missing' : i.ready ? 'ok' : 'failed';
    nodes.push({
      id: 'issuer',
      kind: i.kind,
      name: i.name,
      ...(i.namespace ? { namespace: i.namespace } : {}),
      state,
      summary: i.error ? `not readable: ${i.error}` : i.external ? `external issuer (group ${i.group})` : !i.found ? 'not found' : ready ? `${i.ready ? 'Ready' : 'not Ready'}${ready.reason ? ` (${ready.reason})` : ''}` : 'no conditions',
      details: [...(i.type ? [`type: ${i.type}`] : []), ...(i.acmeServer ? [`server: ${i.acmeServer}`] : []), ...(i.acmeAccount ? [`account: ${i.acmeAccount}`] : []), ...(ready?.message ? [ready.message] : [])],
      events: [],
    });
  }
  const ready = r.conditions.find((c) => c.type === 'Ready');
  const issuing = r.conditions.find((c) => c.type === 'Issuing');
  nodes.push({
    id: 'certificate',
    kind: 'Certificate',
    name: r.name,
    namespace: r.namespace,
    state: r.ready && !r.issuing ? 'ok' : issuing?.status === 'False' ? 'failed' : r.issuing ? 'progress' : r.conditions.length ? 'waiting' : 'unknown',
    summary: r.ready && !r.issuing ? 'Ready' : issuing?.status === 'True' ? `Issuing (${issuing.reason ?? ''})` : issuing?.status === 'False' ? `issuance failed (${issuing.reason ?? ''})` : ready ? `not Ready (${ready.reason ?? ''})` : 'no conditions',
    details: [
      ...r.conditions.map(conditionLine),
      ...(r.spec.dnsNames.length ? [`dnsNames: ${r.spec.dnsNames.join(', ')}`] : []),
      ...(r.status.revision !== undefined ? [`revision ${r.status.revision}`] : []),
      ...(r.status.notAfter ? [`not after ${r.status.notAfter}`] : []),
      ...(r.status.renewalTime ? [`renewal ${r.status.renewalTime}`] : []),
      ...(r.status.lastFailureTime ? [`last failure ${r.status.lastFailureTime}${r.status.failedIssuanceAttempts ? ` (${r.status.failedIssuanceAttempts} failed attempts)` : ''}`] : []),
    ],
    events: events(r.events),
  });
  const cr = r.certificateRequest;
  if (cr && !isUnreadable(cr)) {
    const crReady = cr.conditions.find((c) => c.type === 'Ready');
    const state: NodeState = cr.denied || crReady?.reason === 'Failed' ? 'failed' : !cr.approved ? 'waiting' : crReady?.status === 'True' ? 'ok' : 'progress';
    nodes.push({
      id: 'request',
      kind: 'CertificateRequest',
      name: cr.name,
      namespace: r.namespace,
      state,
      summary: cr.denied ? 'Denied' : !cr.approved ? 'not approved' : crReady ? `${crReady.status === 'True' ? 'Issued' : crReady.reason ?? 'Pending'}` : 'approved, not signed yet',
      details: [...(cr.revision ? [`revision ${cr.revision}`] : []), ...cr.conditions.map(conditionLine)],
      events: cr.events,
    });
  } else if (cr && isUnreadable(cr)) {
    nodes.push({ id: 'request', kind: 'CertificateRequest', name: '?', namespace: r.namespace, state: 'unknown', summary: `not readable: ${cr.error}`, details: [], events: [] });
  } else if (r.issuing) {
    nodes.push({ id: 'request', kind: 'CertificateRequest', name: '(not created yet)', namespace: r.namespace, state: 'waiting', summary: 'cert-manager creates it next', details: [], events: [] });
  }
  const order = r.order && !isUnreadable(r.order) ? r.order : orderByName;
  if (order) {
    const state: NodeState = order.state === 'valid' ? 'ok' : order.state === 'errored' || order.state === 'invalid' ? 'failed' : 'progress';
    nodes.push({
      id: 'order',
      kind: 'Order',
      name: order.name,
      namespace: r.namespace,
      state,
      summary: order.state ?? 'no state yet',
      details: [...(order.reason ? [order.reason] : []), ...(order.url ? [`url: ${order.url}`] : []), ...order.authorizations.map((a) => `authorization ${a.identifier ?? '?'}${a.wildcard ? ' (wildcard)' : ''}: ${a.state ?? '?'}`)],
      events: order.events,
    });
  }
  const challenges = r.challenges && !isUnreadable(r.challenges) ? r.challenges : [];
  for (const ch of challenges) {
    const failing = ch.state === 'invalid' || ch.state === 'errored' || /failed|error|refused/i.test(ch.reason ?? '');
    nodes.push({
      id: `challenge:${ch.name}`,
      kind: 'Challenge',
      name: ch.name,
      namespace: r.namespace,
      state: ch.state === 'valid' ? 'ok' : failing ? 'failed' : ch.presented ? 'waiting' : 'progress',
      summary: `${ch.type ?? '?'} ${ch.domain ?? ''}${ch.wildcard ? ' (wildcard)' : ''}: ${ch.state ?? 'pending'}`,
      details: [...(ch.reason ? [ch.reason] : []), ...(ch.solver ? [`solver: ${ch.solver}${ch.nameserver ? ` (nameserver ${ch.nameserver})` : ''}`] : []), `presented: ${ch.presented ? 'yes' : 'no'}`],
      events: ch.events,
    });
  }
  const secretNode = (s: SecretFact, issued: boolean): ExplanationNode => ({
    id: `secret:${s.namespace}/${s.name}`,
    kind: 'Secret',
    name: s.name,
    namespace: s.namespace,
    state: s.error ? 'unknown' : s.found ? (s.key && !s.keys.includes(s.key) ? 'failed' : 'ok') : issued ? 'waiting' : 'missing',
    summary: `${s.role}: ${s.error ? 'not readable' : s.found ? `keys ${s.keys.join(', ') || '(none)'}` : issued ? 'not issued yet' : 'does not exist'}`,
    details: s.error ? [s.error] : [],
    events: [],
  });
  if (r.secret) nodes.push(secretNode({ role: 'issued certificate', name: r.secret.name, namespace: r.namespace, found: r.secret.found, keys: r.secret.keys, ...(r.secret.error ? { error: r.secret.error } : {}) }, true));
  for (const s of issuerSecrets) if (!nodes.some((n) => n.id === `secret:${s.namespace}/${s.name}`)) nodes.push(secretNode(s, false));
  for (const n of nodes) if (n.id === causeNode) n.cause = true;
  return nodes;
}
