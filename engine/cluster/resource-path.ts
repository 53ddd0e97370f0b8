/**
 * REST paths of the API server: /api/v1/namespaces/NS/secrets/NAME,
 * /apis/cert-manager.io/v1/namespaces/NS/certificates/NAME/status.
 */
import type { ResourceInfo } from './discovery.js';

export function resourcePath(info: Pick<ResourceInfo, 'group' | 'version' | 'resource' | 'namespaced'>, namespace: string | undefined, name?: string, subresource?: string): string {
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const named = name !== undefined ? `/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}` : '';
  return `${prefix}${ns}/${info.resource}${named}`;
}

/** The kinds the status, renew and wait commands read (their served version is confirmed through discovery first). */
export const KNOWN = {
  certificate: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
  certificateRequest: { apiVersion: 'cert-manager.io/v1', kind: 'CertificateRequest' },
  issuer: { apiVersion: 'cert-manager.io/v1', kind: 'Issuer' },
  clusterIssuer: { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer' },
  order: { apiVersion: 'acme.cert-manager.io/v1', kind: 'Order' },
  challenge: { apiVersion: 'acme.cert-manager.io/v1', kind: 'Challenge' },
} as const;

export const SECRETS: ResourceInfo = { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true };
export const EVENTS: ResourceInfo = { group: '', version: 'v1', kind: 'Event', resource: 'events', namespaced: true };
export const NAMESPACES: ResourceInfo = { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false };
