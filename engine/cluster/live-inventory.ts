/**
 * The live inventory of a cluster context for the cross-resource checks: the
 * names of its Issuers (all namespaces), ClusterIssuers and Secrets.
 *
 * - Metadata only: every list asks for `PartialObjectMetadataList` and nothing
 *   else (no fallback to full objects), so a Secret's data and stringData never
 *   come back; a server that cannot answer in that form leaves the list
 *   unknown. Metadata may still carry annotations (kubectl's
 *   last-applied-configuration of a Secret applied client-side holds its
 *   values): only `metadata.name` and `metadata.namespace` are copied out of
 *   a page, the response text is dropped with the page, and nothing of it is
 *   logged or returned.
 * - A 403 on one list is not fatal: a namespaced kind denied cluster-wide is
 *   listed in the context's namespace instead (what a restricted user usually
 *   may do); what stays denied is reported, and that list is left unknown, so
 *   the checks do not call names missing there.
 * - cert-manager not installed (404 on its group): no Issuers or
 *   ClusterIssuers exist, said in a note.
 * - Bounded: each request has the connection's time limit; lists are paged
 *   (500 a page) and given up (left unknown) past `maxItems`.
 *
 * Connection problems (unreachable, TLS, 401, time limit) are ClusterErrors
 * and stop the inventory: the caller reports them.
 */
import { asStatus, parseForbidden } from './api-status.js';
import { ClusterError } from './cluster-error.js';
import { jsonBody, type ClusterConnection } from './connection.js';
import type { LiveList, LiveName, LiveObjects } from '../rules/cross/live-objects.js';

const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const DEFAULT_MAX_INVENTORY_ITEMS = 50_000;
const PAGE = 500;

export interface InventoryOptions {
  /** The namespace of objects that name none; the fallback scope of a list denied cluster-wide. */
  namespace: string;
  signal?: AbortSignal;
  /** Per list (default 50,000): beyond it the list is left unknown. */
  maxItems?: number;
}

interface InventoryDenial {
  /** "secrets", "issuers.cert-manager.io", "clusterissuers.cert-manager.io" */
  resource: string;
  /** 'all': denied everywhere it was tried; 'cluster-wide': denied cluster-wide, known in the namespace. */
  extent: 'all' | 'cluster-wide';
  message: string;
}

export interface InventoryReport {
  live: LiveObjects;
  counts: { issuers: number; clusterIssuers: number; secrets: number };
  denied: InventoryDenial[];
  /** Lists that are not known for another reason, and cert-manager not being installed. */
  notes: string[];
}

interface ResourceSpec {
  resource: string;
  /** Path prefix: /api/v1 or /apis/cert-manager.io/v1 */
  prefix: string;
  plural: string;
  namespaced: boolean;
  /** The group is cert-manager's: a 404 means it is not installed. */
  certManager: boolean;
}

const ISSUERS: ResourceSpec = { resource: 'issuers.cert-manager.io', prefix: '/apis/cert-manager.io/v1', plural: 'issuers', namespaced: true, certManager: true };
const CLUSTER_ISSUERS: ResourceSpec = { resource: 'clusterissuers.cert-manager.io', prefix: '/apis/cert-manager.io/v1', plural: 'clusterissuers', namespaced: false, certManager: true };
const SECRETS: ResourceSpec = { resource: 'secrets', prefix: '/api/v1', plural: 'secrets', namespaced: true, certManager: false };

type ListResult =
  | { kind: 'ok'; items: LiveName[] }
  | { kind: 'forbidden'; message: string; user?: string }
  | { kind: 'not-served' }
  | { kind: 'failed'; message: string };

/** One metadata-only LIST, all pages; only names and namespaces are kept. */
async function listNames(conn: ClusterConnection, spec: ResourceSpec, namespace: string | undefined, o: InventoryOptions): Promise<ListResult> {
  const path = `${spec.prefix}${namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${spec.plural}`;
  const where = namespace !== undefined ? `in namespace "${namespace}"` : spec.namespaced ? 'in all namespaces' : '';
  const items: LiveName[] = [];
  const max = o.maxItems ?? DEFAULT_MAX_INVENTORY_ITEMS;
  let cont: string | undefined;
  do {
    const r = await conn.request('GET', path, {
      query: { limit: String(PAGE), continue: cont },
      accept: METADATA_ONLY_ACCEPT,
      signal: o.signal,
      what: `to list ${spec.resource} ${where}`.trimEnd(),
    });
    if (r.status === 403) {
      const status = asStatus(jsonBody(r));
      const f = parseForbidden(status?.message);
      return { kind: 'forbidden', user: f?.user, message: status?.message ?? `403 Forbidden listing ${spec.resource} ${where}` };
    }
    if (r.status === 404 && spec.certManager && items.length === 0 && !asStatus(jsonBody(r))?.details) return { kind: 'not-served' };
    if (r.status === 406) return { kind: 'failed', message: `the API server does not answer a metadata-only list of ${spec.resource} (406), so it is not read (its values must not be)` };
    if (r.status !== 200) {
      const msg = asStatus(jsonBody(r))?.message;
      return { kind: 'failed', message: `listing ${spec.resource} ${where} answered ${r.status}${msg ? `: ${msg}` : ''}` };
    }
    const body = jsonBody(r);
    if (!body || !Array.isArray(body.items)) return { kind: 'failed', message: `listing ${spec.resource} ${where} did not answer a list` };
    for (const item of body.items) {
      const md = item?.metadata;
      if (typeof md?.name !== 'string') continue;
      items.push(spec.namespaced && typeof md.namespace === 'string' ? { name: md.name, namespace: md.namespace } : { name: md.name });
    }
    if (items.length > max) return { kind: 'failed', message: `more than ${max} ${spec.resource}: not read in full, so not used` };
    cont = typeof body.metadata?.continue === 'string' && body.metadata.continue ? body.metadata.continue : undefined;
  } while (cont);
  return { kind: 'ok', items };
}

/** Reads the three lists concurrently. Throws a ClusterError when the connection fails. */
export async function readLiveInventory(conn: ClusterConnection, o: InventoryOptions): Promise<InventoryReport> {
  const context = conn.endpoint.context;
  const user = conn.endpoint.user;
  const denied: InventoryDenial[] = [];
  const notes: string[] = [];
  let certManagerMissing = false;

  const deniedMessage = (spec: ResourceSpec, who: string | undefined, scope: string) =>
    `user "${who ?? user ?? '(unknown)'}" may not list ${spec.resource} ${scope} in context "${context}" (403 Forbidden)`;

  const read = async (spec: ResourceSpec): Promise<LiveList | undefined> => {
    const first = await listNames(conn, spec, undefined, o);
    if (first.kind === 'ok') return { scope: 'all', items: first.items };
    if (first.kind === 'not-served') {
      certManagerMissing = true;
      return { scope: 'all', items: [] };
    }
    if (first.kind === 'failed') {
      notes.push(`${spec.resource}: ${first.message}`);
      return undefined;
    }
    if (!spec.namespaced) {
      denied.push({ resource: spec.resource, extent: 'all', message: `${deniedMessage(spec, first.user, 'at the cluster scope')}: they are not checked against the cluster` });
      return undefined;
    }
    const inNs = await listNames(conn, spec, o.namespace, o);
    if (inNs.kind === 'ok') {
      denied.push({
        resource: spec.resource,
        extent: 'cluster-wide',
        message: `${deniedMessage(spec, first.user, 'in all namespaces')}: only namespace "${o.namespace}" is checked against the cluster`,
      });
      return { scope: { namespace: o.namespace }, items: inNs.items };
    }
    if (inNs.kind === 'not-served') {
      certManagerMissing = true;
      return { scope: 'all', items: [] };
    }
    if (inNs.kind === 'failed') {
      notes.push(`${spec.resource}: ${inNs.message}`);
      return undefined;
    }
    denied.push({
      resource: spec.resource,
      extent: 'all',
      message: `${deniedMessage(spec, inNs.user ?? first.user, `in all namespaces or in namespace "${o.namespace}"`)}: they are not checked against the cluster`,
    });
    return undefined;
  };

  const order = [ISSUERS, CLUSTER_ISSUERS, SECRETS];
  const [issuers, clusterIssuers, secrets] = await Promise.all(order.map(read));
  // In a fixed order, whichever answered first.
  denied.sort((a, b) => order.findIndex((s) => s.resource === a.resource) - order.findIndex((s) => s.resource === b.resource));
  notes.sort();
  if (o.signal?.aborted) throw new ClusterError('aborted', 'cancelled');
  if (certManagerMissing) notes.push(`cert-manager is not installed in context "${context}" (no issuers.cert-manager.io): no Issuer or ClusterIssuer exists there`);
  const live: LiveObjects = { context, namespace: o.namespace };
  if (issuers) live.issuers = issuers;
  if (clusterIssuers) live.clusterIssuers = clusterIssuers;
  if (secrets) live.secrets = secrets;
  return {
    live,
    counts: { issuers: issuers?.items.length ?? 0, clusterIssuers: clusterIssuers?.items.length ?? 0, secrets: secrets?.items.length ?? 0 },
    denied,
    notes,
  };
}
