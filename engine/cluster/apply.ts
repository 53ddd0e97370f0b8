/**
 * Server-side apply of manifest objects, as `kubectl apply --server-side`
 * does it, and the server-side dry run of the same (`dryRun=All`):
 *
 * - one PATCH (application/apply-patch+yaml) per object, field manager
 *   `certsmith`, strict field validation, `force=true` only when asked;
 * - in tiers (Namespaces, then Secrets and Issuers, then Certificates, then
 *   Ingresses and Gateways, then the rest); within a tier, up to
 *   `concurrency` requests at once over one connection pool;
 * - the namespace from the document, else --namespace or the context's, else
 *   "default"; none for cluster-scoped kinds (the server's discovery says which);
 * - created / configured / unchanged told apart by the resourceVersion before
 *   (one metadata-only LIST per resource and namespace) and after: re-applying
 *   unchanged YAML leaves the resourceVersion as it was;
 * - every refusal as diagnostics at the YAML position of the fields it names.
 *
 * Problems that concern the connection rather than an object (unreachable,
 * TLS, 401, time limit) stop the run: the results so far are returned with
 * `fatal` set. Response bodies are never kept or logged (a Secret's comes back
 * with its data); only names and versions are read from them.
 */
import { inApplyOrder, applyTier } from './apply-order.js';
import { asStatus } from './api-status.js';
import { CLUSTER_CODES } from './cluster-codes.js';
import { ClusterError } from './cluster-error.js';
import { jsonBody, type ClusterConnection } from './connection.js';
import { Discovery, splitApiVersion, type ResourceInfo } from './discovery.js';
import { fieldDiagnostic, kindDiagnostic, rejectionOf, type FieldConflict, type NamespaceOrigin, type Rejection } from './rejection.js';
import type { ForbiddenDetails } from './api-status.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceObject } from './source-objects.js';
import { resourcePath } from './resource-path.js';

export const FIELD_MANAGER = 'certsmith';
export const DEFAULT_APPLY_CONCURRENCY = 8;

export type ApplyOutcome =
  | 'created'
  | 'configured'
  | 'unchanged'
  /** Applied; whether it changed is not known (the user may not list this resource). */
  | 'applied'
  | 'rejected'
  /** Dry run only: not checked, because its namespace is created by the same apply. */
  | 'skipped';

export interface ObjectResult {
  source: SourceObject;
  /** kubectl's name for it: certificate.cert-manager.io/web */
  label: string;
  /** Plural resource and group (certificates.cert-manager.io), when the server serves the kind. */
  resource?: string;
  namespace?: string;
  namespaceOrigin?: NamespaceOrigin;
  outcome: ApplyOutcome;
  dryRun: boolean;
  resourceVersion?: string;
  /** The resourceVersion before the apply (undefined: did not exist, or not known). */
  previousResourceVersion?: string;
  uid?: string;
  /** The refusal, when rejected. */
  rejection?: Omit<Rejection, 'diagnostics'>;
  conflicts?: FieldConflict[];
  forbidden?: ForbiddenDetails;
  diagnostics: Diagnostic[];
  /** With keepObjects: the object as the server returned it. */
  object?: Record<string, any>;
}

export interface ApplyOptions {
  dryRun?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  concurrency?: number;
  signal?: AbortSignal;
  /** Keep the object the server returned (the dry-run result, for diff) on each result. It may be a Secret with its data: never log it. */
  keepObjects?: boolean;
  /** Called as each object's result is known (in completion order). */
  onResult?: (r: ObjectResult) => void;
}

export interface ApplyReport {
  context: string;
  server: string;
  dryRun: boolean;
  /** In apply order. */
  results: ObjectResult[];
  /** The problem that stopped the run (unreachable, TLS, 401, time limit); the objects after it were not sent. */
  fatal?: ClusterError;
  /** Objects not sent because of `fatal`. */
  notSent: SourceObject[];
}

/** kubectl's way of naming an object: lower-case kind, the group, the name. */
function objectLabel(apiVersion: string, kind: string, name: string): string {
  const { group } = splitApiVersion(apiVersion);
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

/** Runs `fn` over the items with at most `limit` in flight; stops starting new ones once `stop()` is true. */
async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function applyObjects(conn: ClusterConnection, objects: readonly SourceObject[], options: ApplyOptions = {}): Promise<ApplyReport> {
  const target = conn.target;
  const dryRun = !!options.dryRun;
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const concurrency = options.concurrency ?? DEFAULT_APPLY_CONCURRENCY;
  const discovery = new Discovery(conn);
  const report: ApplyReport = { context: target.context, server: target.server, dryRun, results: [], notSent: [] };
  const ordered = inApplyOrder(objects, (o) => o);
  const resultAt = new Map<SourceObject, ObjectResult>();
  /** Namespaces that this dry run would create (they do not exist yet, so objects in them cannot be checked). */
  const dryRunNamespaces = new Set<string>();
  const fail = (e: unknown) => {
    if (e instanceof ClusterError) {
      report.fatal ??= e;
      return;
    }
    throw e;
  };
  const done = (r: ObjectResult) => {
    resultAt.set(r.source, r);
    options.onResult?.(r);
  };

  const tiers = new Map<number, SourceObject[]>();
  for (const o of ordered) {
    const t = applyTier(o.apiVersion, o.kind);
    tiers.set(t, [...(tiers.get(t) ?? []), o]);
  }

  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    if (report.fatal || options.signal?.aborted) break;
    const items = tiers.get(tier)!;
    type Planned = { so: SourceObject; info: ResourceInfo; namespace?: string; origin?: NamespaceOrigin };
    const planned: Planned[] = [];
    // Discovery: one request per group version (cached), concurrently.
    await pool(
      items,
      concurrency,
      async (so) => {
        try {
          const label = objectLabel(so.apiVersion, so.kind, so.name);
          const lookup = await discovery.lookup(so.apiVersion, so.kind);
          if (!lookup.served) {
            done({ source: so, label, outcome: 'rejected', dryRun, diagnostics: [kindDiagnostic(so, CLUSTER_CODES.kindNotServed, lookup.message)], rejection: { kind: 'not-served', httpStatus: 404, message: lookup.message } });
            return;
          }
          const info = lookup.info;
          if (!info.namespaced) {
            planned.push({ so, info });
            return;
          }
          if (so.namespace && target.namespaceSource === 'flag' && so.namespace !== target.namespace) {
            const msg = `metadata.namespace is "${so.namespace}" but --namespace is "${target.namespace}"; kubectl refuses this too. Remove one of them, or make them the same.`;
            done({ source: so, label, outcome: 'rejected', dryRun, namespace: so.namespace, diagnostics: [fieldDiagnostic(so, CLUSTER_CODES.namespaceMismatch, 'metadata.namespace', msg, 'value')], rejection: { kind: 'other', httpStatus: 0, message: msg } });
            return;
          }
          const namespace = so.namespace ?? target.namespace;
          const origin: NamespaceOrigin = so.namespace ? 'document' : target.namespaceSource;
          planned.push({ so, info, namespace, origin });
        } catch (e) {
          fail(e);
        }
      },
      () => !!report.fatal,
    );
    if (report.fatal) break;
    planned.sort((a, b) => a.so.index - b.so.index);

    // What exists now, for created / configured / unchanged (not needed in a dry run: nothing changes).
    const before = new Map<string, Promise<Map<string, string> | undefined>>();
    const listKey = (p: Planned) => `${p.info.group}/${p.info.version}/${p.info.resource}/${p.namespace ?? ''}`;
    if (!dryRun) {
      for (const p of planned) {
        const key = listKey(p);
        if (!before.has(key)) before.set(key, listVersions(conn, p.info, p.namespace, options.signal));
      }
    }

    await pool(
      planned,
      concurrency,
      async (p) => {
        try {
          const known = dryRun ? undefined : await before.get(listKey(p));
          done(await applyOne(conn, p.so, p.info, p.namespace, p.origin, known, { dryRun, fieldManager, force: !!options.forceConflicts, signal: options.signal, dryRunNamespaces, keepObjects: !!options.keepObjects }));
        } catch (e) {
          fail(e);
        }
      },
      () => !!report.fatal || !!options.signal?.aborted,
    );
  }

  for (const o of ordered) {
    const r = resultAt.get(o);
    if (r) report.results.push(r);
    else report.notSent.push(o);
  }
  return report;
}

/** name → resourceVersion of what exists, from a metadata-only LIST (paged); undefined when it cannot be listed. */
async function listVersions(conn: ClusterConnection, info: ResourceInfo, namespace: string | undefined, signal?: AbortSignal): Promise<Map<string, string> | undefined> {
  const out = new Map<string, string>();
  let cont: string | undefined;
  try {
    do {
      const r = await conn.request('GET', resourcePath(info, namespace), {
        query: { limit: '500', continue: cont },
        accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
        signal,
        what: `to list ${info.resource}`,
      });
      if (r.status !== 200) return undefined;
      const body = jsonBody(r);
      for (const item of body?.items ?? []) {
        const md = item?.metadata;
        if (md?.name && md.resourceVersion) out.set(md.name, md.resourceVersion);
      }
      cont = body?.metadata?.continue || undefined;
    } while (cont);
  } catch (e) {
    if (e instanceof ClusterError && e.kind !== 'aborted') throw e;
    return undefined;
  }
  return out;
}

interface OneOptions {
  dryRun: boolean;
  fieldManager: string;
  force: boolean;
  signal?: AbortSignal;
  dryRunNamespaces: Set<string>;
  keepObjects: boolean;
}

async function applyOne(
  conn: ClusterConnection,
  so: SourceObject,
  info: ResourceInfo,
  namespace: string | undefined,
  origin: NamespaceOrigin | undefined,
  known: Map<string, string> | undefined,
  o: OneOptions,
): Promise<ObjectResult> {
  const label = objectLabel(so.apiVersion, so.kind, so.name);
  const resource = info.group ? `${info.resource}.${info.group}` : info.resource;
  const common = { source: so, label, resource, namespace, namespaceOrigin: origin, dryRun: o.dryRun };
  const body = requestBody(so, info, namespace);
  const r = await conn.request('PATCH', resourcePath(info, namespace, so.name), {
    query: { fieldManager: o.fieldManager, fieldValidation: 'Strict', dryRun: o.dryRun ? 'All' : undefined, force: o.force ? 'true' : undefined },
    body,
    contentType: 'application/apply-patch+yaml',
    signal: o.signal,
    what: `to apply ${label}`,
  });
  if (r.status === 200 || r.status === 201) {
    // Only metadata is read (unless the caller keeps the object): the body of a Secret holds its data.
    const returned = jsonBody(r);
    const md = returned?.metadata ?? {};
    const rv: string | undefined = md.resourceVersion;
    const previous = known?.get(so.name);
    let outcome: ApplyOutcome;
    if (r.status === 201) outcome = 'created';
    else if (o.dryRun) outcome = 'configured';
    else if (!known) outcome = 'applied';
    else if (previous === undefined) outcome = 'created';
    else outcome = previous === rv ? 'unchanged' : 'configured';
    if (o.dryRun && r.status === 201 && so.kind === 'Namespace' && info.group === '') o.dryRunNamespaces.add(so.name);
    return { ...common, outcome, resourceVersion: rv, previousResourceVersion: previous, uid: md.uid, diagnostics: [], ...(o.keepObjects && returned ? { object: returned } : {}) };
  }
  const status = asStatus(jsonBody(r));
  if (o.dryRun && r.status === 404 && status?.details?.kind === 'namespaces' && namespace && o.dryRunNamespaces.has(namespace)) {
    return {
      ...common,
      outcome: 'skipped',
      diagnostics: [kindDiagnostic(so, CLUSTER_CODES.notChecked, `Not checked by the dry run: namespace "${namespace}" does not exist yet; this apply creates it (a dry run creates nothing, so the API server cannot check objects in it).`)],
    };
  }
  const rejection = rejectionOf(r.status, status, r.text, so, { context: conn.target.context, namespace, namespaceOrigin: origin });
  const { diagnostics, ...rest } = rejection;
  return { ...common, outcome: 'rejected', rejection: rest, conflicts: rejection.conflicts, forbidden: rejection.forbidden, diagnostics };
}

/** The object as sent: the YAML as data, with the namespace it is applied in (none for cluster-scoped kinds). */
function requestBody(so: SourceObject, info: ResourceInfo, namespace: string | undefined): string {
  const plain = { ...(so.object.toPlain() ?? {}) };
  const metadata = { ...((plain.metadata as Record<string, unknown> | null) ?? {}) };
  if (info.namespaced && namespace) metadata.namespace = namespace;
  else delete metadata.namespace;
  plain.metadata = metadata;
  return JSON.stringify(plain);
}
