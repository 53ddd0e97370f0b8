/**
 * Kubernetes objects found in a YAML document: recognised by apiVersion and
 * kind, with their YAML nodes kept for positions.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { keyString, mapGet, mergedPairs, scalarString, type ParsedDocument } from './parsed-document.js';

/** API groups whose objects Certsmith understands. */
export const CERT_MANAGER_GROUP = 'cert-manager.io';
export const NETWORKING_GROUP = 'networking.k8s.io';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export class KubeObject {
  constructor(
    readonly document: ParsedDocument,
    /** The object's mapping node. */
    readonly node: YAMLMap,
    /** Set for objects found inside a `kind: List`. */
    readonly listItemIndex?: number,
  ) {}

  get apiVersion(): string | undefined {
    return scalarString(this.document.resolve(mapGet(this.node, 'apiVersion', this.document)));
  }

  get kind(): string | undefined {
    return scalarString(this.document.resolve(mapGet(this.node, 'kind', this.document)));
  }

  get group(): string {
    const av = this.apiVersion ?? '';
    const slash = av.indexOf('/');
    return slash === -1 ? '' : av.slice(0, slash);
  }

  get version(): string {
    const av = this.apiVersion ?? '';
    return av.slice(av.indexOf('/') + 1);
  }

  get metadataNode(): Node | undefined {
    return this.document.resolve(mapGet(this.node, 'metadata', this.document));
  }

  get name(): string | undefined {
    return scalarString(this.document.resolve(mapGet(this.metadataNode, 'name', this.document)));
  }

  get namespace(): string | undefined {
    return scalarString(this.document.resolve(mapGet(this.metadataNode, 'namespace', this.document)));
  }

  /** `Kind/name` as kubectl prints it. */
  get label(): string {
    return `${this.kind ?? '(no kind)'}/${this.name ?? '(no name)'}`;
  }

  /** The node at a path of keys and indices, following aliases. */
  nodeAt(path: readonly (string | number)[]): Node | undefined {
    let cur: unknown = this.node;
    for (const seg of path) {
      cur = this.document.resolve(cur);
      if (typeof seg === 'number') cur = isSeq(cur) ? cur.items[seg] : undefined;
      else cur = mapGet(cur, seg, this.document);
      if (cur === undefined) return undefined;
    }
    return this.document.resolve(cur);
  }

  private plain: unknown;
  private plainDone = false;

  /**
   * The object as plain data, as the API server receives it after YAML-to-JSON
   * conversion: merge keys applied, timestamps as their text, aliases expanded
   * (up to a budget), or undefined when it cannot be built (an alias bomb).
   * Built once, on first use.
   */
  toPlain(): Record<string, unknown> | undefined {
    if (!this.plainDone) {
      this.plainDone = true;
      const budget = { nodes: 100_000 };
      const v = toPlainValue(this.document, this.node, budget, 0);
      this.plain = budget.nodes < 0 ? undefined : v;
    }
    return this.plain as Record<string, unknown> | undefined;
  }
}

function toPlainValue(doc: ParsedDocument, raw: unknown, budget: { nodes: number }, depth: number): unknown {
  if (--budget.nodes < 0 || depth > 300) {
    budget.nodes = -1;
    return undefined;
  }
  const node = doc.resolve(raw);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const p of doc.hasMergeKeys ? mergedPairs(doc, node) : node.items) {
      const k = keyString(doc.resolve(p.key));
      out[k] = toPlainValue(doc, p.value, budget, depth + 1);
      if (budget.nodes < 0) return undefined;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((it) => toPlainValue(doc, it, budget, depth + 1));
  if (isScalar(node)) {
    const v = node.value;
    if (v instanceof Date) return node.source ?? v.toISOString();
    if (typeof v === 'bigint') return Number(v);
    return v === undefined ? null : v;
  }
  return null;
}

/** The objects in a document: itself, or the items of a `v1/List`. */
export function objectsOf(doc: ParsedDocument): KubeObject[] {
  const root = doc.resolve(doc.root);
  if (!isMap(root)) return [];
  const obj = new KubeObject(doc, root);
  if (obj.kind?.endsWith('List') && obj.apiVersion === 'v1') {
    const items = doc.resolve(mapGet(root, 'items'));
    if (isSeq(items)) {
      const out: KubeObject[] = [];
      items.items.forEach((it, i) => {
        const n = doc.resolve(it);
        if (isMap(n)) out.push(new KubeObject(doc, n, i));
      });
      return out;
    }
  }
  if (!obj.apiVersion && !obj.kind) return [];
  return [obj];
}
