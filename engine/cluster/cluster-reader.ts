/**
 * Reads from the API server for status, renew, wait and diff: GET and LIST
 * (paged) of the kinds those commands need, with their served versions from
 * discovery, and every refusal turned into a ClusterError that says what to
 * do: cert-manager not installed in the context, RBAC denying a verb on a
 * resource in a namespace to a user, an object that does not exist.
 */
import { ClusterError } from './cluster-error.js';
import { jsonBody, type ApiResponse, type ClusterConnection } from './connection.js';
import { asStatus, parseForbidden } from './api-status.js';
import { Discovery, type ResourceInfo } from './discovery.js';
import { resourcePath } from './resource-path.js';

export type KubeJson = Record<string, any>;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Metadata only (PartialObjectMetadataList): for Secrets, so that no value is read. */
  metadataOnly?: boolean;
  signal?: AbortSignal;
}

const PAGE = 500;
const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** "certificates.cert-manager.io" */
function resourceName(info: Pick<ResourceInfo, 'resource' | 'group'>): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

export class ClusterReader {
  readonly discovery: Discovery;

  constructor(readonly conn: ClusterConnection) {
    this.discovery = new Discovery(conn);
  }

  get context(): string {
    return this.conn.endpoint.context;
  }

  /** The resource of a kind, or a ClusterError('not-served') in the user's terms ("cert-manager is not installed in context X: no certificates.cert-manager.io"). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const lookup = await this.discovery.lookup(apiVersion, kind);
    if (!lookup.served) throw new ClusterError('not-served', lookup.message, lookup.reason === 'group-missing' ? 'Install the CRDs (cert-manager, or the Gateway API), or pick the --context of a cluster that has them.' : undefined);
    return lookup.info;
  }

  /** The object, or undefined when it does not exist. */
  async get(info: ResourceInfo, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<KubeJson | undefined> {
    const r = await this.conn.request('GET', resourcePath(info, namespace, name), { signal, what: `to get ${resourceName(info)} ${name}` });
    if (r.status === 404) {
      const st = asStatus(jsonBody(r));
      // A 404 for the namespace is still "not found" for the object; a 404 without a Status body means the path is not served.
      if (!st) throw this.unexpected(r, `GET ${resourceName(info)}/${name}`);
      return undefined;
    }
    if (r.status !== 200) throw this.refusal(r, 'get', info, namespace);
    return jsonBody(r) as KubeJson;
  }

  /** Like get, but a missing object is a ClusterError('not-found') naming it and the namespace. */
  async mustGet(info: ResourceInfo, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<KubeJson> {
    const o = await this.get(info, namespace, name, signal);
    if (!o) {
      const where = info.namespaced ? ` in namespace "${namespace}"` : '';
      throw new ClusterError('not-found', `${info.kind} "${name}" not found${where} (context "${this.context}")`, info.namespaced ? 'Check the name, or pick the namespace with -n/--namespace.' : 'Check the name.');
    }
    return o;
  }

  /** Every item (following `continue`), with the list's resourceVersion. */
  async list(info: ResourceInfo, namespace: string | undefined, options: ListOptions = {}): Promise<{ items: KubeJson[]; resourceVersion?: string }> {
    const items: KubeJson[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const r = await this.conn.request('GET', resourcePath(info, namespace), {
        query: { limit: String(PAGE), continue: cont, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
        accept: options.metadataOnly ? METADATA_ACCEPT : undefined,
        signal: options.signal,
        what: `to list ${resourceName(info)}`,
      });
      if (r.status !== 200) throw this.refusal(r, 'list', info, namespace);
      const body = jsonBody(r);
      if (!body || !Array.isArray(body.items)) throw this.unexpected(r, `list ${resourceName(info)}`);
      items.push(...body.items);
      resourceVersion = body.metadata?.resourceVersion;
      cont = body.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  /** A non-2xx answer to a read or write as a ClusterError; 403 says who may not do what where. */
  refusal(r: ApiResponse, verb: string, info: ResourceInfo, namespace: string | undefined): ClusterError {
    const st = asStatus(jsonBody(r));
    const what = resourceName(info);
    if (r.status === 403) {
      const f = parseForbidden(st?.message);
      const where = f ? (f.namespace !== undefined ? `in namespace "${f.namespace}"` : 'at the cluster scope') : namespace ? `in namespace "${namespace}"` : 'at the cluster scope';
      const user = f?.user ?? this.conn.endpoint.user ?? '(unknown)';
      return new ClusterError(
        'forbidden',
        `user "${user}" may not ${f?.verb ?? verb} ${f ? `${f.resource}${f.group ? `.${f.group}` : ''}` : what} ${where} (context "${this.context}"): 403 Forbidden`,
        'Ask a cluster admin for a Role that allows it, or use a --context with more rights.',
      );
    }
    if (r.status === 404 && st?.details?.kind === 'namespaces') {
      return new ClusterError('not-found', `namespace "${st.details.name ?? namespace}" does not exist in context "${this.context}"`, 'Check -n/--namespace.');
    }
    return this.unexpected(r, `${verb} ${what}`);
  }

  private unexpected(r: ApiResponse, what: string): ClusterError {
    const ep = this.conn.endpoint;
    const message = asStatus(jsonBody(r))?.message ?? r.text.trim().slice(0, 200);
    return new ClusterError('server', `the API server of context "${ep.context}" at ${ep.server} answered ${what} with ${r.status}${message ? `: ${message}` : ''}`);
  }
}
