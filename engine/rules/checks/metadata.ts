/**
 * metadata: name and namespace syntax, labels and annotations, namespaces on
 * cluster-scoped objects — what the API server's ObjectMeta validation rejects.
 */
import { isMap, type Node } from 'yaml';
import { keyString, mapGet, mapGetPair, scalarString } from '../../manifests/parsed-document.js';
import type { KubeObject } from '../../manifests/kube-object.js';
import { checkDns1123Label, checkDns1123Subdomain, checkLabelValue, checkQualifiedName } from '../../manifests/names.js';
import type { SchemaIndexEntry } from '../../schema/schema-store.js';
import type { RuleReporter } from '../registry.js';

/** Kinds outside the schema registry whose names follow the DNS-subdomain rule. */
const CORE_SUBDOMAIN_KINDS = new Set(['Secret', 'ConfigMap', 'ServiceAccount']);
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export function checkMetadata(obj: KubeObject, entry: SchemaIndexEntry | undefined, report: RuleReporter): void {
  const isCore = obj.apiVersion === 'v1';
  const kind = obj.kind ?? '';
  const nameRule = entry
    ? checkDns1123Subdomain
    : isCore && CORE_SUBDOMAIN_KINDS.has(kind)
      ? checkDns1123Subdomain
      : isCore && kind === 'Namespace'
        ? checkDns1123Label
        : undefined;
  if (!nameRule) return;

  const metadata = obj.metadataNode;
  const kindKey = mapGetPair(obj.node, 'kind')?.key as Node | undefined;
  if (!isMap(metadata)) {
    if (metadata === undefined || metadata === null) {
      report.atNode('metadata-name-missing', kindKey ?? obj.node, `This ${kind} has no metadata.name; every object needs a name.`, 'metadata.name');
    }
    return;
  }

  const nameNode = obj.document.resolve(mapGet(metadata, 'name', obj.document));
  const name = scalarString(nameNode);
  const generateName = scalarString(obj.document.resolve(mapGet(metadata, 'generateName', obj.document)));
  if (name === undefined) {
    if (generateName === undefined) {
      const metaKey = mapGetPair(obj.node, 'metadata')?.key as Node | undefined;
      report.atNode('metadata-name-missing', metaKey ?? obj.node, `This ${kind} has no metadata.name; every object needs a name.`, 'metadata.name');
    }
  } else {
    const problem = nameRule(name);
    if (problem) {
      report.atNode('metadata-name-invalid', nameNode, `metadata.name "${name}" is not a valid ${kind} name: it ${problem}.`, 'metadata.name');
    }
  }

  const nsPair = mapGetPair(metadata, 'namespace', obj.document);
  const nsNode = obj.document.resolve(nsPair?.value);
  const namespace = scalarString(nsNode);
  // An empty namespace is no namespace: kubectl sends the object to its
  // context's namespace and the API server fills it in.
  if (namespace !== undefined && namespace !== '') {
    const clusterScoped = entry?.scope === 'Cluster' || (isCore && kind === 'Namespace');
    if (clusterScoped) {
      const extra =
        kind === 'ClusterIssuer'
          ? ` A ClusterIssuer reads its Secrets from the cluster resource namespace (cert-manager by default), not from "${namespace}".`
          : '';
      report.atNode('metadata-namespace-ignored', nsPair?.key as Node, `${kind} is cluster-scoped: metadata.namespace is ignored by the API server.${extra}`, 'metadata.namespace');
    } else {
      const problem = checkDns1123Label(namespace);
      if (problem) {
        report.atNode('metadata-namespace-invalid', nsNode, `metadata.namespace "${namespace}" is not a valid namespace name: it ${problem}.`, 'metadata.namespace');
      }
    }
  }

  const labels = obj.document.resolve(mapGet(metadata, 'labels'));
  if (isMap(labels)) {
    for (const pair of labels.items) {
      const key = keyString(pair.key);
      const keyProblem = checkQualifiedName(key);
      if (keyProblem) {
        report.atNode('metadata-label-invalid', pair.key as Node, `Label key "${key}" ${keyProblem}.`, `metadata.labels[${key}]`);
      }
      const valueNode = obj.document.resolve(pair.value);
      const value = scalarString(valueNode);
      if (value !== undefined) {
        const valueProblem = checkLabelValue(value);
        if (valueProblem) {
          report.atNode('metadata-label-invalid', valueNode, `Label value "${value}" ${valueProblem}.`, `metadata.labels[${key}]`);
        }
      }
    }
  }

  const annotations = obj.document.resolve(mapGet(metadata, 'annotations'));
  if (isMap(annotations)) {
    let bytes = 0;
    for (const pair of annotations.items) {
      const key = keyString(pair.key);
      const keyProblem = checkQualifiedName(key);
      if (keyProblem) {
        report.atNode('metadata-annotation-invalid', pair.key as Node, `Annotation key "${key}" ${keyProblem}.`, `metadata.annotations[${key}]`);
      }
      bytes += Buffer.byteLength(key) + Buffer.byteLength(scalarString(obj.document.resolve(pair.value)) ?? '');
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) {
      report.atNode(
        'metadata-annotation-invalid',
        mapGetPair(metadata, 'annotations')?.key as Node,
        `metadata.annotations total ${bytes} bytes; the API server allows at most ${MAX_ANNOTATIONS_BYTES} (256 KiB).`,
        'metadata.annotations',
      );
    }
  }
}
