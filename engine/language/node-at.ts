/** The node under an offset in a parsed document, with its field path. */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyString, type ParsedDocument } from '../manifests/parsed-document.js';
import type { PathSegment } from '../schema/field-path.js';

export interface NodeAt {
  path: PathSegment[];
  node: Node;
  /** True when the offset is on a mapping key (the path then ends with that key). */
  onKey: boolean;
}

function within(node: unknown, offset: number): boolean {
  const r = (node as Node | null)?.range;
  return !!r && r[0] <= offset && offset <= r[1];
}

export function nodeAt(doc: ParsedDocument, offset: number): NodeAt | undefined {
  let node: unknown = doc.root;
  const path: PathSegment[] = [];
  for (let depth = 0; depth < 200; depth++) {
    node = doc.resolve(node);
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (key && within(key, offset) && isScalar(key)) {
          return { path: [...path, keyString(key)], node: key, onKey: true };
        }
        if (pair.value && within(pair.value, offset)) {
          path.push(keyString(pair.key));
          next = pair.value;
          break;
        }
      }
      if (next === undefined) return undefined; // between entries: nothing to describe
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => within(it, offset));
      if (i === -1) return undefined;
      path.push(i);
      node = node.items[i];
    } else if (isScalar(node)) {
      return { path, node, onKey: false };
    } else return undefined;
  }
  return undefined;
}
