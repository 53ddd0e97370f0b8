/**
 * The order objects are applied in: what others need first. Namespaces (and
 * CRDs), then Secrets and Issuers/ClusterIssuers, then Certificates, then
 * Ingresses and Gateways, then everything else. Within a tier the order of
 * the files is kept; objects of one tier do not depend on each other and may
 * be sent concurrently.
 */

export function applyTier(apiVersion: string, kind: string): number {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === '' && kind === 'Namespace') return 0;
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') return 0;
  if (group === '' && kind === 'Secret') return 1;
  if (group === 'cert-manager.io' && (kind === 'Issuer' || kind === 'ClusterIssuer')) return 1;
  if (group === 'cert-manager.io' && (kind === 'Certificate' || kind === 'CertificateRequest')) return 2;
  if ((group === 'networking.k8s.io' || group === 'extensions') && kind === 'Ingress') return 3;
  if (group === 'gateway.networking.k8s.io' && kind === 'Gateway') return 3;
  return 4;
}

/** A stable sort by tier (file order within a tier). */
export function inApplyOrder<T>(items: readonly T[], of: (t: T) => { apiVersion: string; kind: string }): T[] {
  return items
    .map((item, i) => ({ item, i, tier: applyTier(of(item).apiVersion, of(item).kind) }))
    .sort((a, b) => a.tier - b.tier || a.i - b.i)
    .map((x) => x.item);
}
