/**
 * An Ingress or Gateway as the certificate-shim sees it: its kind, its
 * annotations (with their YAML nodes, for positions) and whether the shim
 * processes it at all (hasShimAnnotation in sync.go).
 */
import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { GATEWAY_GROUP, NETWORKING_GROUP, type KubeObject } from '../../manifests/kube-object.js';
import { keyString, mapGet, mergedPairs } from '../../manifests/parsed-document.js';
import { CLUSTER_ISSUER, ISSUER, TLS_ACME, type ShimKind } from './annotations.js';
import { goParseBool } from '../../gocompat/go-strconv.js';
import type { RuleId, RuleReporter } from '../registry.js';

export interface AnnotationEntry {
  key: string;
  keyNode: Node;
  /** The value node (the key node when the value is empty). */
  valueNode: Node;
  /** The value when it is a string; other types are the schema rules' business. */
  value: string | undefined;
}

export interface ShimObject {
  obj: KubeObject;
  kind: ShimKind;
  /** In document order. */
  annotations: AnnotationEntry[];
  /** String values by key, as the shim's map[string]string. */
  values: Map<string, string>;
}

/** Ingress in networking.k8s.io/v1; Gateway in gateway.networking.k8s.io v1 or v1beta1 (the same stored object). */
export function shimKindOf(obj: KubeObject): ShimKind | undefined {
  if (obj.kind === 'Ingress' && obj.group === NETWORKING_GROUP && obj.version === 'v1') return 'Ingress';
  if (obj.kind === 'Gateway' && obj.group === GATEWAY_GROUP && (obj.version === 'v1' || obj.version === 'v1beta1')) return 'Gateway';
  return undefined;
}

export function readShimObject(obj: KubeObject, kind: ShimKind): ShimObject {
  const doc = obj.document;
  const annotationsNode = doc.resolve(mapGet(obj.metadataNode, 'annotations', doc));
  const annotations: AnnotationEntry[] = [];
  const values = new Map<string, string>();
  if (isMap(annotationsNode)) {
    const pairs = doc.hasMergeKeys ? mergedPairs(doc, annotationsNode) : annotationsNode.items;
    for (const p of pairs) {
      const keyNode = doc.resolve(p.key);
      if (!keyNode) continue;
      const key = keyString(keyNode);
      const valueNode = doc.resolve(p.value);
      const value = isScalar(valueNode) && typeof valueNode.value === 'string' ? valueNode.value : undefined;
      annotations.push({ key, keyNode, valueNode: valueNode ?? keyNode, value });
      if (value !== undefined) values.set(key, value);
    }
  }
  return { obj, kind, annotations, values };
}

export function entry(o: ShimObject, key: string): AnnotationEntry | undefined {
  return o.annotations.find((a) => a.key === key);
}

/**
 * hasShimAnnotation: cert-manager.io/issuer or cert-manager.io/cluster-issuer
 * (present, whatever the value), or, on an Ingress, kubernetes.io/tls-acme
 * with a value Go's ParseBool reads as true (the default
 * --auto-certificate-annotations; the issuer then comes from the controller's
 * default issuer).
 */
export function triggerOf(o: ShimObject): AnnotationEntry | undefined {
  const explicit = issuerAnnotation(o);
  if (explicit) return explicit;
  if (o.kind === 'Ingress') {
    const acme = entry(o, TLS_ACME);
    if (acme?.value !== undefined && goParseBool(acme.value) === true) return acme;
  }
  return undefined;
}

/** The first cert-manager.io/issuer or cert-manager.io/cluster-issuer annotation. */
export function issuerAnnotation(o: ShimObject): AnnotationEntry | undefined {
  return o.annotations.find((a) => a.key === ISSUER || a.key === CLUSTER_ISSUER);
}

/** True when the object has an explicit issuer annotation (not only tls-acme). */
export function hasIssuerAnnotation(o: ShimObject): boolean {
  return issuerAnnotation(o) !== undefined;
}

/** Where a node's content ends: a block collection's range runs on to the next line, its last scalar does not. */
function contentEnd(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1] as unknown;
    if (isPair(last)) {
      const v = (last.value ?? last.key) as Node | null;
      if (v && typeof v === 'object' && 'range' in v && v.range) return contentEnd(v);
    } else if (last && typeof last === 'object' && 'range' in (last as Node) && (last as Node).range) {
      return contentEnd(last as Node);
    }
  }
  return node.range ? node.range[1] : 0;
}

/** Offsets of a list entry for a diagnostic: the whole entry (`whole`), or its first line's key and value. */
function entryOffsets(node: YAMLMap, whole: boolean): [number, number] {
  const start = node.range ? node.range[0] : 0;
  if (whole || node.items.length === 0) return [start, Math.max(start, contentEnd(node))];
  const first = node.items[0];
  const v = (first.value ?? first.key) as Node | null;
  return [start, v?.range ? contentEnd(v) : start];
}

/** Report at `node`, or, when the field is absent, at the list entry that lacks it. */
export function reportAt(report: RuleReporter, rule: RuleId, node: Node | undefined, entryNode: YAMLMap, whole: boolean, message: string, path: string): void {
  if (node) {
    report.atNode(rule, node, message, path);
    return;
  }
  const [start, end] = entryOffsets(entryNode, whole);
  report.atOffsets(rule, start, end, message, path);
}
