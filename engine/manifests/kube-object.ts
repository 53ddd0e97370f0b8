/**
 * Kubernetes objects found in a YAML document: recognised by apiVersion and
 * kind, with their YAML nodes kept for positions.
 */
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { mapGet, scalarString, type ParsedDocument } from './parsed-document.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** API groups whose objects Certsmith understands. */
export const CERT_MANAGER_GROUP = 'cert-manager.io';
export const ACME_GROUP = 'acme.cert-manager.io';
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
   * The object as plain data (what the API server would receive), or undefined
   * when it cannot be built (alias bomb). Built once, on first use.
   */
  toPlain(): Record<string, unknown> | undefined {
    if (!this.plainDone) {
      this.plainDone = true;
      try {
        this.plain = this.node.toJS(this.document.yaml!, { maxAliasCount: 1000 });
      } catch {
        this.plain = undefined;
      }
    }
    return this.plain as Record<string, unknown> | undefined;
  }
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
