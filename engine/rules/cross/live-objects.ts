/**
 * What the cluster of the current kubeconfig context holds, as the cross
 * checks see it: the names (and namespaces) of its Issuers, ClusterIssuers
 * and Secrets, nothing else. Read by engine/cluster/live-inventory.ts; this
 * file has no cluster code, so that the checks stay free of the Kubernetes
 * client.
 *
 * Each list says how far it is known: the whole cluster, or one namespace
 * (a user that may list Secrets only in its own namespace), or not at all
 * (undefined: RBAC denied it, or the listing failed). A check may call a name
 * missing only where its list is known.
 */

export interface LiveName {
  name: string;
  /** Undefined for cluster-scoped kinds (ClusterIssuer). */
  namespace?: string;
}

export interface LiveList {
  /** 'all': every namespace (or a cluster-scoped kind); otherwise the one namespace that was listed. */
  scope: 'all' | { namespace: string };
  items: LiveName[];
}

export interface LiveObjects {
  /** The kubeconfig context the names come from (named in messages). */
  context: string;
  /** The namespace of objects that name none (the setting's, else the context's, else "default"), as kubectl applies them. */
  namespace: string;
  issuers?: LiveList;
  clusterIssuers?: LiveList;
  secrets?: LiveList;
}

/** True when the list says for sure whether a name exists in `namespace` (cluster-scoped: namespace undefined). */
export function liveKnows(list: LiveList | undefined, namespace: string | undefined): list is LiveList {
  if (!list) return false;
  return list.scope === 'all' || (namespace !== undefined && list.scope.namespace === namespace);
}

/** The live objects of a name (in a namespace, when given). */
export function liveFind(list: LiveList | undefined, name: string, namespace?: string): LiveName[] {
  if (!list) return [];
  return list.items.filter((i) => i.name === name && (namespace === undefined || i.namespace === namespace));
}
