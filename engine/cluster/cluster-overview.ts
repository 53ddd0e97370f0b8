/**
 * What the Cluster tree view shows for one context: its Certificates, Issuers
 * and ClusterIssuers with their Ready state, and each Certificate's expiry and
 * renewal time — from three LIST requests (all namespaces, paged), never one
 * request per object, so 500 Certificates load in well under a second.
 *
 * A user who may not list across namespaces gets the context's namespace
 * instead, with a note saying so; a kind RBAC denies entirely is reported and
 * the others are still shown.
 */
import { ClusterError } from './cluster-error.js';
import type { ClusterReader, KubeJson } from './cluster-reader.js';
import { conditionOf, isIssuing, isReady } from './certificate-status.js';
import { KNOWN } from './resource-path.js';
import type { ResourceInfo } from './discovery.js';

export interface OverviewCertificate {
  name: string;
  namespace: string;
  ready: boolean;
  issuing: boolean;
  /** Issuing=False: the last issuance failed. */
  failed: boolean;
  /** The Ready (or failed Issuing) condition's reason and message. */
  reason?: string;
  message?: string;
  notAfter?: string;
  renewalTime?: string;
  secretName?: string;
  dnsNames: string[];
  issuerRef?: { name?: string; kind?: string; group?: string };
}

export interface OverviewIssuer {
  kind: 'Issuer' | 'ClusterIssuer';
  name: string;
  namespace?: string;
  ready: boolean;
  reason?: string;
  message?: string;
  type?: string;
}

export interface ClusterOverview {
  context: string;
  server: string;
  namespace: string;
  certificates: OverviewCertificate[];
  issuers: OverviewIssuer[];
  /** Lists narrowed or denied, cert-manager missing: one sentence each. */
  notes: string[];
  /** Milliseconds the lists took. */
  ms: number;
}

const ISSUER_TYPES = ['acme', 'ca', 'selfSigned', 'vault', 'venafi'];

function certificateOf(c: KubeJson): OverviewCertificate {
  const issuing = conditionOf(c, 'Issuing');
  const ready = conditionOf(c, 'Ready');
  const failed = issuing?.status === 'False';
  const shown = failed ? issuing : ready;
  return {
    name: c.metadata?.name,
    namespace: c.metadata?.namespace,
    ready: isReady(c),
    issuing: isIssuing(c),
    failed,
    ...(shown?.reason ? { reason: shown.reason } : {}),
    ...(shown?.message ? { message: shown.message } : {}),
    ...(c.status?.notAfter ? { notAfter: c.status.notAfter } : {}),
    ...(c.status?.renewalTime ? { renewalTime: c.status.renewalTime } : {}),
    ...(c.spec?.secretName ? { secretName: c.spec.secretName } : {}),
    dnsNames: Array.isArray(c.spec?.dnsNames) ? c.spec.dnsNames.map(String) : [],
    ...(c.spec?.issuerRef ? { issuerRef: { name: c.spec.issuerRef.name, kind: c.spec.issuerRef.kind, group: c.spec.issuerRef.group } } : {}),
  };
}

function issuerOf(kind: 'Issuer' | 'ClusterIssuer', o: KubeJson): OverviewIssuer {
  const ready = conditionOf(o, 'Ready');
  return {
    kind,
    name: o.metadata?.name,
    ...(kind === 'Issuer' ? { namespace: o.metadata?.namespace } : {}),
    ready: ready?.status === 'True',
    ...(ready?.reason ? { reason: ready.reason } : {}),
    ...(ready?.message ? { message: ready.message } : {}),
    type: ISSUER_TYPES.find((t) => o.spec?.[t] !== undefined),
  };
}

/** Lists everywhere, or in `namespace` when listing everywhere is denied. */
async function listWide(reader: ClusterReader, info: ResourceInfo, namespace: string, notes: string[], signal?: AbortSignal): Promise<KubeJson[]> {
  try {
    return (await reader.list(info, undefined, { signal })).items;
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind !== 'forbidden' || !info.namespaced) throw e;
  }
  try {
    const items = (await reader.list(info, namespace, { signal })).items;
    notes.push(`${info.kind}s: only namespace "${namespace}" (listing them in all namespaces is not allowed)`);
    return items;
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'forbidden') {
      notes.push(e.message);
      return [];
    }
    throw e;
  }
}

export async function clusterOverview(reader: ClusterReader, namespace: string, signal?: AbortSignal): Promise<ClusterOverview> {
  const t0 = Date.now();
  const notes: string[] = [];
  const resource = async (k: { apiVersion: string; kind: string }) => {
    try {
      return await reader.resource(k.apiVersion, k.kind);
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-served') {
        if (!notes.includes(e.message)) notes.push(e.message);
        return undefined;
      }
      throw e;
    }
  };
  const [certificates, issuers, clusterIssuers] = await Promise.all([resource(KNOWN.certificate), resource(KNOWN.issuer), resource(KNOWN.clusterIssuer)]);
  const forbiddenToNote = async (p: Promise<KubeJson[]>): Promise<KubeJson[]> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'forbidden') {
        notes.push(e.message);
        return [];
      }
      throw e;
    }
  };
  const [certs, iss, ciss] = await Promise.all([
    certificates ? listWide(reader, certificates, namespace, notes, signal) : Promise.resolve([]),
    issuers ? listWide(reader, issuers, namespace, notes, signal) : Promise.resolve([]),
    clusterIssuers ? forbiddenToNote(reader.list(clusterIssuers, undefined, { signal }).then((r) => r.items)) : Promise.resolve([]),
  ]);
  const byName = (a: { namespace?: string; name: string }, b: { namespace?: string; name: string }) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`);
  return {
    context: reader.context,
    server: reader.conn.endpoint.server,
    namespace,
    certificates: certs.map(certificateOf).sort(byName),
    issuers: [...ciss.map((o) => issuerOf('ClusterIssuer', o)), ...iss.map((o) => issuerOf('Issuer', o))].sort((a, b) => a.kind.localeCompare(b.kind) || byName(a, b)),
    notes,
    ms: Date.now() - t0,
  };
}
