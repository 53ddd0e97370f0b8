/** Walks a schema along a field path (for completion and hover). */
import type { PathSegment } from './field-path.js';
import type { JsonSchema } from './json-schema.js';

/** The properties a schema node offers, including those of its allOf/anyOf/oneOf branches. */
export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = { ...(schema.properties ?? {}) };
  for (const branch of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    for (const [k, v] of Object.entries(propertiesOf(branch))) if (!(k in out)) out[k] = v;
  }
  return out;
}

export function subschemaAt(schema: JsonSchema, path: readonly PathSegment[]): JsonSchema | undefined {
  let cur: JsonSchema | undefined = schema;
  for (const seg of path) {
    if (!cur) return undefined;
    if (typeof seg === 'number') {
      cur = cur.items;
    } else {
      const props = propertiesOf(cur);
      if (props[seg]) cur = props[seg];
      else if (cur.additionalProperties && typeof cur.additionalProperties === 'object') cur = cur.additionalProperties;
      else return undefined;
    }
  }
  return cur;
}
