/**
 * What the API server serves: for an apiVersion and kind, the resource (its
 * plural name) and whether it is namespaced, from the server's discovery
 * documents (/api/v1, /apis/GROUP/VERSION), one request per group version,
 * cached. When a kind is not served, says why in the user's terms: the
 * cert-manager or Gateway API CRDs are not installed, the version is not
 * served (and which are), or the group has no such kind.
 */
import { ClusterError } from './cluster-error.js';
import { jsonBody, type ClusterConnection } from './connection.js';

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name: "certificates". */
  resource: string;
  namespaced: boolean;
}

type NotServedReason = 'group-missing' | 'version-missing' | 'kind-missing';

export type Lookup = { served: true; info: ResourceInfo } | { served: false; reason: NotServedReason; message: string };

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const CERT_MANAGER_GROUPS = new Set(['cert-manager.io', 'acme.cert-manager.io']);
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** "certificates.cert-manager.io": the CRD name of a kind, as its plural is usually formed. */
function crdNameOf(kind: string, group: string): string {
  const lower = kind.toLowerCase();
  const plural = /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return group ? `${plural}.${group}` : plural;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export class Discovery {
  private readonly groupVersions = new Map<string, Promise<ApiResource[] | undefined>>();
  private readonly groups = new Map<string, Promise<string[] | undefined>>();

  constructor(private readonly conn: ClusterConnection) {}

  private get context(): string {
    return this.conn.endpoint.context;
  }

  async lookup(apiVersion: string, kind: string): Promise<Lookup> {
    const { group, version } = splitApiVersion(apiVersion);
    const resources = await this.resources(group, version);
    if (resources) {
      const r = resources.find((x) => x.kind === kind && !x.name.includes('/'));
      if (r) return { served: true, info: { group, version, kind, resource: r.name, namespaced: r.namespaced } };
      const kinds = [...new Set(resources.filter((x) => !x.name.includes('/')).map((x) => x.kind))].sort();
      return { served: false, reason: 'kind-missing', message: `${apiVersion} has no kind ${kind} in context "${this.context}"${kinds.length ? ` (it serves ${kinds.join(', ')})` : ''}` };
    }
    const crd = crdNameOf(kind, group);
    const versions = group ? await this.versions(group) : undefined;
    if (versions?.length) {
      const which = versions.length === 1 ? `only ${group}/${versions[0]}` : versions.map((v) => `${group}/${v}`).join(', ');
      return { served: false, reason: 'version-missing', message: `context "${this.context}" does not serve ${apiVersion}: ${crd} is served as ${which}; change apiVersion to ${group}/${versions[0]}` };
    }
    if (CERT_MANAGER_GROUPS.has(group)) return { served: false, reason: 'group-missing', message: `cert-manager is not installed in context "${this.context}": no ${crd}` };
    if (group === GATEWAY_GROUP) return { served: false, reason: 'group-missing', message: `the Gateway API is not installed in context "${this.context}": no ${crd}` };
    return { served: false, reason: 'group-missing', message: `context "${this.context}" does not serve ${apiVersion} (no ${crd}): is its CRD installed?` };
  }

  /** The resources of a group version, or undefined when the server does not serve it. */
  private resources(group: string, version: string): Promise<ApiResource[] | undefined> {
    const key = `${group}/${version}`;
    let p = this.groupVersions.get(key);
    if (!p) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      p = this.getDiscovery(path).then((body) => (body ? ((body.resources ?? []) as ApiResource[]) : undefined));
      this.groupVersions.set(key, p);
      p.catch(() => this.groupVersions.delete(key));
    }
    return p;
  }

  /** The versions a group is served in (preferred first), or undefined when the group is not served. */
  private versions(group: string): Promise<string[] | undefined> {
    let p = this.groups.get(group);
    if (!p) {
      p = this.getDiscovery(`/apis/${group}`).then((body) => {
        if (!body) return undefined;
        const preferred = body.preferredVersion?.version as string | undefined;
        const all = ((body.versions ?? []) as { version: string }[]).map((v) => v.version);
        return preferred ? [preferred, ...all.filter((v) => v !== preferred)] : all;
      });
      this.groups.set(group, p);
      p.catch(() => this.groups.delete(group));
    }
    return p;
  }

  private async getDiscovery(path: string): Promise<any | undefined> {
    const r = await this.conn.request('GET', path, { what: `discovery (GET ${path})` });
    if (r.status === 404) return undefined;
    const body = jsonBody(r);
    if (r.status !== 200 || !body) {
      const ep = this.conn.endpoint;
      throw new ClusterError('server', `the API server of context "${ep.context}" at ${ep.server} answered GET ${path} with ${r.status}${body?.message ? `: ${body.message}` : ''}`);
    }
    return body;
  }
}
