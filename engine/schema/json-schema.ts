/** The subset of JSON Schema (plus Kubernetes extensions) that schemas/ uses. */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string; fieldPath?: string; reason?: string }[];
  'x-kubernetes-scope'?: 'Namespaced' | 'Cluster';
  [extension: `x-${string}`]: unknown;
}

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export function typesOf(schema: JsonSchema): JsonType[] {
  const t = schema.type;
  const list: JsonType[] = t === undefined ? [] : Array.isArray(t) ? [...t] : [t];
  if (schema['x-kubernetes-int-or-string']) list.push('integer', 'string');
  if (schema.nullable && !list.includes('null')) list.push('null');
  return list;
}

/** A short type label for hover and messages: `string`, `[]string`, `int-or-string`, `object`. */
export function typeLabel(schema: JsonSchema): string {
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  const t = typesOf(schema).filter((x) => x !== 'null');
  if (t.includes('array')) return `[]${schema.items ? typeLabel(schema.items) : 'any'}`;
  if (t.includes('object') && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map[string]${typeLabel(schema.additionalProperties)}`;
  }
  if (t.length === 0) return schema['x-kubernetes-preserve-unknown-fields'] ? 'any' : 'any';
  return t.join(' | ');
}
