/**
 * The cert-manager version installed in a cluster, found as cmctl finds it
 * (its versionchecker): the labels of the certificates.cert-manager.io CRD
 * (app.kubernetes.io/version, else the version in helm.sh/chart or chart,
 * e.g. "cert-manager-v1.17.2"); failing those, the image tag of a
 * cert-manager controller Deployment (quay.io/jetstack/cert-manager-controller:v1.17.2).
 * Reads metadata and Deployments only; a 403 is "not detected", not an error.
 */
import { ClusterError } from './cluster-error.js';
import type { ClusterReader } from './cluster-reader.js';
import type { ResourceInfo } from './discovery.js';

const CRDS: ResourceInfo = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', namespaced: false };
const DEPLOYMENTS: ResourceInfo = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true };
const HELM_CHART_VERSION = /-(v\d+\.\d+\.\d+.*)$/;
const CONTROLLER_IMAGE = /cert-manager-controller(?:-[a-z0-9]+)?:(v\d+\.\d+\.\d+[^@\s]*)/;

export interface DetectedVersion {
  /** "v1.17.2"; absent when none was found. */
  version?: string;
  /** Where it was read, for messages: "CRD certificates.cert-manager.io label app.kubernetes.io/version". */
  source: string;
}

function fromLabels(labels: Record<string, string> | undefined): { version: string; label: string } | undefined {
  if (!labels) return undefined;
  if (labels['app.kubernetes.io/version']) return { version: labels['app.kubernetes.io/version'], label: 'app.kubernetes.io/version' };
  for (const label of ['helm.sh/chart', 'chart']) {
    const m = labels[label] ? HELM_CHART_VERSION.exec(labels[label]) : null;
    if (m) return { version: m[1]!, label };
  }
  return undefined;
}

const denied = (e: unknown) => e instanceof ClusterError && (e.kind === 'forbidden' || e.kind === 'not-found' || e.kind === 'not-served');

export async function detectCertManagerVersion(reader: ClusterReader, signal?: AbortSignal): Promise<DetectedVersion> {
  try {
    const crd = await reader.get(CRDS, undefined, 'certificates.cert-manager.io', signal);
    if (!crd) return { source: 'cert-manager is not installed (no CRD certificates.cert-manager.io)' };
    const found = fromLabels(crd.metadata?.labels as Record<string, string> | undefined);
    if (found) return { version: found.version, source: `CRD certificates.cert-manager.io label ${found.label}` };
  } catch (e) {
    if (!denied(e)) throw e;
  }
  try {
    const { items } = await reader.list(DEPLOYMENTS, undefined, { signal });
    for (const d of items) {
      const containers = ((d.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec?.containers ?? []);
      for (const c of containers) {
        const m = CONTROLLER_IMAGE.exec(c.image ?? '');
        if (m) return { version: m[1]!, source: `the image of Deployment ${d.metadata?.namespace}/${d.metadata?.name}` };
      }
    }
  } catch (e) {
    if (!denied(e)) throw e;
  }
  return { source: 'no version label on the CRDs and no cert-manager controller Deployment that this user may read' };
}
