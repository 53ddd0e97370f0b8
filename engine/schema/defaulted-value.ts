/**
 * A YAML node as the API server sees it after defaulting: plain data, nulls
 * pruned, and every absent property that the schema gives a default filled in.
 * CEL rules and value validations (oneOf, anyOf, not) run on this.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyString, type ParsedDocument } from '../manifests/parsed-document.js';
import type { JsonSchema } from './json-schema.js';

export function defaultedValue(doc: ParsedDocument, raw: unknown, schema: JsonSchema | undefined, depth = 0): unknown {
  const node = doc.resolve(raw) as Node | undefined;
  if (depth > 64) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.items) {
      const k = keyString(doc.resolve(p.key));
      const sub = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      const v = doc.resolve(p.value);
      if (v == null || (isScalar(v) && v.value == null)) continue; // nulls are pruned
      out[k] = defaultedValue(doc, v, sub, depth + 1);
    }
    for (const [k, sub] of Object.entries(schema?.properties ?? {})) {
      if (!(k in out) && sub.default !== undefined) out[k] = sub.default;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((it) => defaultedValue(doc, it, schema?.items, depth + 1));
  if (isScalar(node)) {
    const v = node.value;
    if (v instanceof Date) return node.source ?? v.toISOString();
    if (typeof v === 'bigint') return Number(v);
    return v ?? null;
  }
  return null;
}
