/**
 * apiVersion and kind: removed and unknown versions, unknown kinds, missing
 * fields. Returns the schema entry when the object is one Certsmith validates.
 */
import { mapGet, mapGetPair } from '../../manifests/parsed-document.js';
import type { KubeObject } from '../../manifests/kube-object.js';
import type { SchemaIndexEntry, SchemaStore } from '../../schema/schema-store.js';
import { closest } from '../../core/suggest.js';
import type { RuleReporter } from '../registry.js';

interface Removed {
  replacement: (kind: string) => string;
  note: string;
}

const CM_RENAMES =
  ' Fields renamed on the way include Certificate keyAlgorithm/keySize/keyEncoding (now privateKey.algorithm/size/encoding) and organization (now subject.organizations); ACME solvers moved under spec.acme.solvers.';

const acmeOrCore = (kind: string) => (kind === 'Order' || kind === 'Challenge' ? 'acme.cert-manager.io/v1' : 'cert-manager.io/v1');

/** API versions that are no longer served, and what replaced them. */
const REMOVED_API_VERSIONS: Record<string, Removed> = {
  'cert-manager.io/v1alpha2': { replacement: () => 'cert-manager.io/v1', note: 'cert-manager removed it in v1.7.' + CM_RENAMES },
  'cert-manager.io/v1alpha3': { replacement: () => 'cert-manager.io/v1', note: 'cert-manager removed it in v1.7.' + CM_RENAMES },
  'cert-manager.io/v1beta1': { replacement: () => 'cert-manager.io/v1', note: 'cert-manager removed it in v1.7.' },
  'acme.cert-manager.io/v1alpha2': { replacement: () => 'acme.cert-manager.io/v1', note: 'cert-manager removed it in v1.7.' },
  'acme.cert-manager.io/v1alpha3': { replacement: () => 'acme.cert-manager.io/v1', note: 'cert-manager removed it in v1.7.' },
  'acme.cert-manager.io/v1beta1': { replacement: () => 'acme.cert-manager.io/v1', note: 'cert-manager removed it in v1.7.' },
  'certmanager.k8s.io/v1alpha1': {
    replacement: acmeOrCore,
    note: 'This is the API of cert-manager before v0.11 (2019); the group was renamed to cert-manager.io.' + CM_RENAMES,
  },
  'networking.k8s.io/v1beta1': {
    replacement: () => 'networking.k8s.io/v1',
    note: 'Kubernetes 1.22 removed it. In v1, a backend is service.name and service.port.number (or .name), and pathType is required.',
  },
  'extensions/v1beta1': {
    replacement: () => 'networking.k8s.io/v1',
    note: 'Kubernetes 1.22 removed Ingress from extensions/v1beta1. In v1, a backend is service.name and service.port.number (or .name), and pathType is required.',
  },
};

/** Groups whose objects Certsmith checks. */
export const KNOWN_GROUPS = new Set([
  'cert-manager.io',
  'acme.cert-manager.io',
  'certmanager.k8s.io',
  'networking.k8s.io',
  'gateway.networking.k8s.io',
]);

const EXTENSIONS_KINDS = new Set(['Ingress']);
/** What networking.k8s.io/v1beta1 served until Kubernetes 1.22 (newer kinds, IPAddress and ServiceCIDR, have their own v1beta1). */
const NETWORKING_V1BETA1_REMOVED_KINDS = new Set(['Ingress', 'IngressClass']);

/** Groups whose every served version and kind are in schemas/. */
const COMPLETE_GROUPS = new Set(['cert-manager.io', 'acme.cert-manager.io']);
/** Kinds of the Gateway API CRDs (v1.6, standard and experimental channels) without a bundled schema: real kinds, never a near miss. */
const UNBUNDLED_GATEWAY_KINDS = new Set(['GatewayClass', 'GRPCRoute', 'ReferenceGrant', 'BackendTLSPolicy', 'ListenerSet', 'TCPRoute', 'TLSRoute', 'UDPRoute']);

export function checkApiVersionAndKind(obj: KubeObject, store: SchemaStore, report: RuleReporter): SchemaIndexEntry | undefined {
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  const avNode = mapGet(obj.node, 'apiVersion');
  const kindNode = mapGet(obj.node, 'kind');
  const group = obj.group;

  if (apiVersion === undefined || kind === undefined) {
    const known = kind !== undefined ? store.entries.some((e) => e.kind === kind) : KNOWN_GROUPS.has(group);
    if (!known) return undefined;
    const missing = apiVersion === undefined ? 'apiVersion' : 'kind';
    const at = apiVersion === undefined ? mapGetPair(obj.node, 'kind')?.key : mapGetPair(obj.node, 'apiVersion')?.key;
    let msg = `This object has no ${missing}; kubectl cannot tell what it is.`;
    if (missing === 'apiVersion' && kind) {
      const preferred = store.entries.find((e) => e.kind === kind && e.storage)?.apiVersion;
      if (preferred) msg += ` For a ${kind}, use apiVersion: ${preferred}.`;
    }
    report.atNode('kind-missing', (at as never) ?? obj.node, msg);
    return undefined;
  }

  const removed = REMOVED_API_VERSIONS[apiVersion] ?? (group === 'certmanager.k8s.io' ? REMOVED_API_VERSIONS['certmanager.k8s.io/v1alpha1'] : undefined);
  const removedForKind = apiVersion === 'extensions/v1beta1' ? EXTENSIONS_KINDS.has(kind) : apiVersion === 'networking.k8s.io/v1beta1' ? NETWORKING_V1BETA1_REMOVED_KINDS.has(kind) : true;
  if (removed && removedForKind) {
    const to = removed.replacement(kind);
    const d = report.atNode('api-version-removed', avNode, `${apiVersion} is no longer served: ${removed.note} Use apiVersion: ${to}.`, 'apiVersion');
    const r = avNode?.range;
    if (r) report.fix(d, `Use apiVersion: ${to}`, [{ start: r[0], end: r[1], newText: to }], true);
    return undefined;
  }

  if (!KNOWN_GROUPS.has(group)) return undefined;

  const entry = store.entry(apiVersion, kind);
  if (entry) {
    if (entry.deprecated) {
      const preferred = store.preferredApiVersion(group, kind);
      report.atNode(
        'api-version-deprecated',
        avNode,
        entry.deprecationWarning ?? `${apiVersion} ${kind} is deprecated${preferred && preferred !== apiVersion ? `; use ${preferred}` : ''}.`,
        'apiVersion',
      );
    }
    return entry;
  }

  // Certsmith has every kind of the cert-manager groups, but only some of networking.k8s.io
  // and the Gateway API (ListenerSet, GRPCRoute, TLSRoute, ... exist): there, only a near miss
  // of a kind it knows is reported, and as a warning.
  if (!COMPLETE_GROUPS.has(group)) {
    // A kind Certsmith has, in a version its CRDs do not serve (a v1alpha2 Gateway): the API server refuses it.
    const served = store.entries.filter((e) => e.group === group && e.kind === kind && e.served);
    if (served.length) {
      const to = store.preferredApiVersion(group, kind) ?? served[0]!.apiVersion;
      const d = report.atNode('api-version-unknown', avNode, `${apiVersion} ${kind} is not served by the ${group} CRDs Certsmith targets (they serve ${served.map((e) => e.apiVersion).join(', ')}), so the API server refuses it. Use apiVersion: ${to}.`, 'apiVersion');
      const r = avNode?.range;
      if (r) report.fix(d, `Use apiVersion: ${to}`, [{ start: r[0], end: r[1], newText: to }], true);
      return undefined;
    }
    const known = [...new Set(store.entries.filter((e) => e.group === group).map((e) => e.kind))];
    const guess = closest(kind, known);
    if (guess && guess !== kind && !(group === 'gateway.networking.k8s.io' && UNBUNDLED_GATEWAY_KINDS.has(kind))) {
      report.atNode('kind-unknown', kindNode, `${group} has no kind "${kind}" that Certsmith knows. Did you mean "${guess}"?`, 'kind', 'warning');
    }
    return undefined;
  }

  const versions = store.servedVersions(group);
  if (!versions.includes(obj.version)) {
    const kindVersions = store.entries.filter((e) => e.group === group && e.kind === kind).map((e) => e.apiVersion);
    const list = (kindVersions.length ? kindVersions : versions.map((v) => `${group}/${v}`)).join(', ');
    report.atNode('api-version-unknown', avNode, `${apiVersion} is not a served version of ${group}; use ${list}.`, 'apiVersion');
    return undefined;
  }

  const kinds = store.kindsOf(apiVersion).map((e) => e.kind);
  const guess = closest(kind, kinds);
  const elsewhere = store.entries.find((e) => e.kind === kind);
  let msg = `${apiVersion} has no kind "${kind}".`;
  if (guess) msg += ` Did you mean "${guess}"?`;
  else if (elsewhere) msg += ` ${kind} is served by ${elsewhere.apiVersion}.`;
  else msg += ` It has: ${kinds.join(', ')}.`;
  report.atNode('kind-unknown', kindNode, msg, 'kind');
  return undefined;
}
