/**
 * Maps a field path as the API server names it to the YAML nodes of the
 * object it came from: never by searching the text, always by walking the
 * parsed mapping and sequence nodes.
 *
 * Two notations come back from the server:
 *
 *   field.Path (validation, status.details.causes[].field):
 *     spec.dnsNames[0]   metadata.name   data[tls.key]   metadata.labels[app.kubernetes.io/name]
 *   structured-merge-diff (server-side apply: conflicts, "field not declared in schema"):
 *     .spec.secretName   .metadata.labels.app.kubernetes.io/name   .spec.listeners[name="https"].port
 *     .spec.dnsNames[="a.example.com"]
 *
 * A map key may itself contain dots (labels, annotations, Secret data keys);
 * at each mapping the longest key that matches the rest of the path wins.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { keyString, mapGetPair, mergedPairs, scalarString } from '../manifests/parsed-document.js';
import type { KubeObject } from '../manifests/kube-object.js';

export interface FieldTarget {
  /** The value node reached (the deepest one when the path could not be followed to its end). */
  node: Node | undefined;
  /** The key of the pair through which `node` was reached (undefined for the object itself and for sequence items). */
  key: Node | undefined;
  /** True when the whole path was followed; false when a part of it is not in the YAML (a missing required field). */
  complete: boolean;
  /** True for the object itself (an empty path). */
  root: boolean;
}

/** Follows a server field path through the object's nodes. */
export function resolveFieldPath(obj: KubeObject, field: string): FieldTarget {
  const doc = obj.document;
  let s = field.trim();
  if (s === '' || s === '<nil>' || s === '.') return { node: obj.node, key: undefined, complete: true, root: true };
  if (s.startsWith('.')) s = s.slice(1);
  let cur: Node | undefined = obj.node;
  let key: Node | undefined;
  let depth = 0;
  while (s.length > 0) {
    const here = doc.resolve(cur);
    if (s[0] === '[') {
      const end = closingBracket(s);
      if (end < 0) break;
      const inner = s.slice(1, end);
      if (isSeq(here)) {
        const item = selectItem(obj, here.items as unknown[], inner);
        if (item === undefined) break;
        cur = item;
        key = undefined;
      } else if (isMap(here)) {
        const pair = mapGetPair(here, inner, doc);
        if (!pair) break;
        key = pair.key as Node;
        cur = (pair.value as Node | null) ?? undefined;
      } else break;
      s = s.slice(end + 1);
    } else {
      if (s[0] === '.') s = s.slice(1);
      if (!isMap(here)) break;
      let best: Pair | undefined;
      let bestLen = -1;
      for (const p of doc.hasMergeKeys ? mergedPairs(doc, here) : (here.items as Pair[])) {
        const k = keyString(doc.resolve(p.key));
        if (k.length > bestLen && s.startsWith(k) && (s.length === k.length || s[k.length] === '.' || s[k.length] === '[')) {
          best = p;
          bestLen = k.length;
        }
      }
      if (!best) break;
      key = best.key as Node;
      cur = (best.value as Node | null) ?? undefined;
      s = s.slice(bestLen);
    }
    depth++;
  }
  return { node: doc.resolve(cur), key, complete: s.length === 0, root: depth === 0 };
}

/** Index of the `]` that closes the `[` at 0, skipping quoted text. */
function closingBracket(s: string): number {
  let quote = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"') quote = c;
    else if (c === ']') return i;
  }
  return -1;
}

/** A value written in a merge-diff path (`"https"`, `443`, `true`) as text. */
function pathValue(raw: string): string {
  const t = raw.trim();
  if (t.startsWith('"')) {
    try {
      return String(JSON.parse(t));
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

/** Splits `name="a,b",port=80` at the commas outside quotes. */
function splitKeys(inner: string): string[] {
  const out: string[] = [];
  let quote = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === ',') {
      out.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  out.push(inner.slice(start));
  return out;
}

function selectItem(obj: KubeObject, items: unknown[], inner: string): Node | undefined {
  const doc = obj.document;
  if (/^\d+$/.test(inner)) return (items[Number(inner)] as Node | undefined) ?? undefined;
  if (inner.startsWith('=')) {
    // A set of scalars: [="a.example.com"]
    const want = pathValue(inner.slice(1));
    return items.find((it) => scalarString(doc.resolve(it)) === want) as Node | undefined;
  }
  // An associative list: [name="https",port=443]
  const wanted = splitKeys(inner).map((kv) => {
    const eq = kv.indexOf('=');
    return { k: kv.slice(0, eq).trim(), v: pathValue(kv.slice(eq + 1)) };
  });
  if (wanted.some((w) => !w.k)) return undefined;
  return items.find((it) => {
    const m = doc.resolve(it);
    if (!isMap(m)) return false;
    return wanted.every((w) => scalarString(doc.resolve(mapGetPair(m, w.k, doc)?.value)) === w.v);
  }) as Node | undefined;
}

/** How to show a field: its key (an unknown or conflicting field), or its value (an invalid value). */
export type FieldEmphasis = 'key' | 'value';

/** Offsets (in the object's document text) of the `kind: X` line: where whole-object errors go. */
export function kindOffsets(obj: KubeObject): [number, number] {
  const pair = mapGetPair(obj.node, 'kind', obj.document);
  const k = (pair?.key as Node | undefined)?.range;
  const v = (pair?.value as Node | undefined)?.range;
  if (k && v) return [k[0], v[1]];
  const r = obj.node.range;
  return r ? [r[0], r[0]] : [0, 0];
}

/**
 * Offsets of where a diagnostic about a field goes: the value for an invalid
 * value, the key for an unknown or conflicting field, the nearest key that
 * exists for a missing field, the kind line for the object itself.
 */
export function fieldOffsets(obj: KubeObject, target: FieldTarget, emphasis: FieldEmphasis): [number, number] {
  if (target.root) return kindOffsets(obj);
  const keyRange = (target.key as Node | undefined)?.range;
  if (!target.complete) return keyRange ? [keyRange[0], keyRange[1]] : kindOffsets(obj);
  const node = target.node;
  if (emphasis === 'value' && node && isScalar(node) && node.range) return [node.range[0], node.range[1]];
  if (keyRange) return [keyRange[0], keyRange[1]];
  // A sequence item: the scalar itself, or the first line of the mapping.
  if (node && isScalar(node) && node.range) return [node.range[0], node.range[1]];
  if (node && isMap(node)) {
    const first = node.items[0] as Pair | undefined;
    const fk = (first?.key as Node | undefined)?.range;
    const fv = (first?.value as Node | undefined)?.range;
    if (fk) return [fk[0], fv && isScalar(first?.value) ? fv[1] : fk[1]];
  }
  if (node?.range) return [node.range[0], node.range[0]];
  return kindOffsets(obj);
}
