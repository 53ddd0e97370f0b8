/**
 * Validates a Kubernetes object against its structural schema the way the API
 * server does (pruning made visible as unknown fields, nullable, int-or-string,
 * enums, patterns, formats, limits, list types), walking the YAML nodes so that
 * every problem is reported at the node it is about.
 */
import { isMap, isScalar, isSeq, isAlias, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { keyString, mergedPairs, type ParsedDocument } from '../manifests/parsed-document.js';
import type { Reporter } from '../core/reporter.js';
import type { SchemaRuleId } from './schema-rules.js';
import type { ManifestRuleId } from '../manifests/manifest-rules.js';

/** Schema validation reports its own rules, and YAML alias bombs found while walking the tree. */
export type SchemaReporter = Reporter<SchemaRuleId | Extract<ManifestRuleId, 'yaml-alias-limit'>>;
import type { Diagnostic } from '../core/diagnostic.js';
import { closest } from '../core/suggest.js';
import { checkFormat } from './formats.js';
import { failingCelRules } from './cel-rules.js';
import { defaultedValue } from './defaulted-value.js';
import { matchesValue } from './value-validation.js';
import { formatPath, type PathSegment } from './field-path.js';
import { typesOf as computeTypes, type JsonSchema, type JsonType } from './json-schema.js';

const typesCache = new WeakMap<JsonSchema, JsonType[]>();
/** The allowed JSON types of a schema node (cached: schemas are immutable). */
function typesOf(schema: JsonSchema): JsonType[] {
  let t = typesCache.get(schema);
  if (!t) {
    t = computeTypes(schema);
    typesCache.set(schema, t);
  }
  return t;
}

/** Nodes visited through aliases before the document counts as a YAML bomb. */
const ALIAS_EXPANSION_LIMIT = 10_000;

interface Walk {
  doc: ParsedDocument;
  report: SchemaReporter;
  /** The objects being validated, outermost first (for misplaced blocks). */
  stack?: { schema: JsonSchema; map: YAMLMap }[];
  /** Nodes visited while inside an alias expansion. */
  aliasVisits: number;
  aborted: boolean;
}

export function validateAgainstSchema(doc: ParsedDocument, root: YAMLMap, schema: JsonSchema, report: SchemaReporter): void {
  const walk: Walk = { doc, report, aliasVisits: 0, aborted: false };
  const kindPair = root.items.find((p) => keyString(p.key) === 'kind');
  validateNode(walk, root, schema, [], (kindPair?.key as Node | undefined) ?? root, false, 0);
}

/** The JSON type of a YAML node as the API server would see it after YAML-to-JSON conversion. */
function jsonTypeOf(node: Node | null | undefined): JsonType {
  if (node == null) return 'null';
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return 'boolean';
    if (typeof v === 'number' || typeof v === 'bigint') {
      return Number.isInteger(Number(v)) && Number.isFinite(Number(v)) ? 'integer' : 'number';
    }
    return 'string'; // strings, and timestamps (which JSON carries as strings)
  }
  return 'null';
}

/** The scalar's value as JSON would carry it. */
function scalarValue(node: Scalar): unknown {
  const v = node.value;
  if (v instanceof Date) return node.source ?? v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function describe(node: Node | null | undefined): string {
  const t = jsonTypeOf(node);
  if (isScalar(node)) {
    const src = node.source ?? String(node.value);
    if (t === 'string') return `the string "${truncate(String(scalarValue(node)))}"`;
    if (t === 'boolean') return `the boolean ${src}`;
    if (t === 'null') return 'no value';
    return `the number ${src}`;
  }
  return t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t;
}

function truncate(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

const TYPE_WORDS: Record<JsonType, string> = {
  object: 'a mapping (object)',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  null: 'null',
};

function typeMatches(actual: JsonType, allowed: JsonType[]): boolean {
  if (allowed.length === 0) return true;
  if (allowed.includes(actual)) return true;
  return actual === 'integer' && allowed.includes('number');
}

function validateNode(
  w: Walk,
  rawNode: unknown,
  schema: JsonSchema,
  path: PathSegment[],
  /** Where to report problems about this node as a whole (its key, for a field). */
  anchor: Node,
  viaAlias: boolean,
  depth: number,
): void {
  if (w.aborted) return;
  let node = rawNode as Node | null | undefined;
  if (isAlias(node)) {
    viaAlias = true;
    node = w.doc.resolve(node);
  }
  if (viaAlias && ++w.aliasVisits > ALIAS_EXPANSION_LIMIT) {
    w.aborted = true;
    w.report.atNode(
      'yaml-alias-limit',
      anchor,
      `Aliases in this document expand to more than ${ALIAS_EXPANSION_LIMIT.toLocaleString('en')} nodes (a "billion laughs" YAML bomb?). Kubernetes rejects excessive aliasing; the document is not checked further.`,
    );
    return;
  }
  if (depth > 1000) return;

  const actual = jsonTypeOf(node);
  const allowed = typesOf(schema);

  if (actual === 'null') {
    if (allowed.includes('null') || allowed.length === 0) return;
    // The API server prunes null from fields that are not nullable.
    return;
  }

  if (!typeMatches(actual, allowed)) {
    const want = allowed.filter((t) => t !== 'null');
    const wantText = schema['x-kubernetes-int-or-string']
      ? 'an integer or a string'
      : want.map((t) => TYPE_WORDS[t]).join(' or ');
    let hint = '';
    if (want.includes('string') && isScalar(node) && node.type === 'PLAIN' && (actual === 'boolean' || actual === 'integer' || actual === 'number')) {
      hint = ` Kubernetes reads YAML 1.1, where an unquoted ${node.source ?? String(node.value)} is ${actual === 'boolean' ? 'a boolean' : 'a number'}: quote it ("${node.source ?? String(node.value)}").`;
    } else if (want.includes('array') && actual !== 'array') {
      hint = ' Write it as a list (each item on its own line starting with "- ").';
    }
    const p = formatPath(path);
    w.report.atNode('schema-type', node, `${p} must be ${wantText}, not ${describe(node)}.${hint}`, p);
    return;
  }

  switch (actual) {
    case 'object':
      validateObject(w, node as YAMLMap, schema, path, anchor, viaAlias, depth);
      break;
    case 'array':
      validateArray(w, node as Node & { items: unknown[] }, schema, path, viaAlias, depth);
      break;
    default:
      validateScalar(w, node as Scalar, schema, path, actual);
  }
  if (w.aborted) return;
  if (schema.anyOf || schema.oneOf || schema.allOf || schema.not) validateAlternatives(w, node as Node, schema, path, anchor, viaAlias, depth);
  if (schema['x-kubernetes-validations'] && !viaAlias) {
    for (const f of failingCelRules(w.doc, node, schema)) {
      const at = f.rule.fieldPath ? (nodeAtFieldPath(w.doc, node, f.rule.fieldPath) ?? anchor) : isScalar(node) ? node : anchor;
      const p = formatPath(path) + (f.rule.fieldPath ?? '');
      w.report.atNode('schema-cel', at, `${p || 'The object'}: ${f.message}`, p);
    }
  }
}

function validateObject(
  w: Walk,
  map: YAMLMap,
  schema: JsonSchema,
  path: PathSegment[],
  anchor: Node,
  viaAlias: boolean,
  depth: number,
): void {
  const props = schema.properties ?? {};
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const pairs = w.doc.hasMergeKeys ? mergedPairs(w.doc, map) : (map.items as Pair[]);
  const stack = (w.stack ??= []);
  stack.push({ schema, map });
  for (const pair of pairs) {
    if (w.aborted) return;
    const key = keyString(w.doc.resolve(pair.key));
    const keyNode = ((w.doc.resolve(pair.key) as Node | undefined) ?? map) as Node;
    const sub = props[key];
    path.push(key);
    if (sub) {
      if (pair.value == null || (isScalar(pair.value) && pair.value.value == null)) {
        const allowsNull = typesOf(sub).includes('null');
        if (!allowsNull && !(schema.required ?? []).includes(key)) {
          const cp = formatPath(path);
          // kubectl --dry-run -o yaml and controller-gen write `creationTimestamp: null`: harmless, and routine.
          const routine = cp === 'metadata.creationTimestamp';
          w.report.atNode('schema-null-value', keyNode, `${cp} has no value; the API server drops it. ${routine ? 'Harmless here (kubectl and controller-gen write it); remove the line to tidy up.' : 'Give it a value or remove the line.'}`, cp, routine ? 'information' : undefined);
        }
      } else validateNode(w, pair.value, sub, path, keyNode, viaAlias, depth + 1);
    } else if (additional && typeof additional === 'object') {
      validateNode(w, pair.value, additional, path, keyNode, viaAlias, depth + 1);
    } else if (additional === false && !preserve) {
      // Only where the schema says so (the generator writes `false` wherever the
      // API server prunes); value-validation branches (oneOf/anyOf) leave other keys alone.
      const names = Object.keys(props);
      const guess = closest(key, names);
      const childPath = formatPath(path);
      if (!misplacedBlock(w, pair, keyNode, key, path)) {
        const where = path.length > 1 ? formatPath(path.slice(0, -1)) : 'the top level';
        let msg = `Unknown field "${childPath}": ${where} has no field "${key}".`;
        if (guess) msg += ` Did you mean "${guess}"?`;
        else if (names.length && names.length <= 12) msg += ` Known fields: ${names.join(', ')}.`;
        const d = w.report.atNode('schema-unknown-field', keyNode, msg, childPath);
        const kr = keyNode.range;
        if (guess && kr && isScalar(keyNode) && keyNode.type === 'PLAIN') w.report.fix(d, `Change to "${guess}"`, [{ start: kr[0], end: kr[1], newText: guess }], true);
      }
    }
    path.pop();
  }
  stack.pop();
  for (const req of schema.required ?? []) {
    const found = pairs.find((it) => keyString(w.doc.resolve(it.key)) === req);
    if (found) {
      const resolved = w.doc.resolve(found.value);
      if (resolved != null && !(isScalar(resolved) && resolved.value == null)) continue;
      if (props[req] && typesOf(props[req]).includes('null')) continue;
    }
    const fieldPath = formatPath([...path, req]);
    const owner = path.length ? formatPath(path) : 'the object';
    const d = w.report.atNode('schema-required', anchor, `Missing required field "${req}" in ${owner} (${fieldPath}).`, fieldPath);
    addRequiredFieldFix(w, d, map, req, props[req]);
  }
  const n = pairs.length;
  if (schema.minProperties !== undefined && n < schema.minProperties) {
    w.report.atNode('schema-limit', anchor, `${formatPath(path)} must have at least ${schema.minProperties} entries, it has ${n}.`, formatPath(path));
  }
  if (schema.maxProperties !== undefined && n > schema.maxProperties) {
    w.report.atNode('schema-limit', anchor, `${formatPath(path)} must have at most ${schema.maxProperties} entries, it has ${n}.`, formatPath(path));
  }
}

function validateArray(
  w: Walk,
  seq: Node & { items: unknown[] },
  schema: JsonSchema,
  path: PathSegment[],
  viaAlias: boolean,
  depth: number,
): void {
  const items = seq.items;
  if (schema.minItems !== undefined && items.length < schema.minItems) {
    w.report.atNode('schema-limit', seq, `${formatPath(path)} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, it has ${items.length}.`, formatPath(path));
  }
  if (schema.maxItems !== undefined && items.length > schema.maxItems) {
    w.report.atNode('schema-limit', seq, `${formatPath(path)} must have at most ${schema.maxItems} items, it has ${items.length}.`, formatPath(path));
  }
  if (schema.items) {
    for (let i = 0; i < items.length; i++) {
      if (w.aborted) return;
      const item = items[i] as Node;
      const resolved = w.doc.resolve(item);
      if (jsonTypeOf(resolved) === 'null' && !typesOf(schema.items).includes('null') && typesOf(schema.items).length) {
        const ip = formatPath([...path, i]);
        w.report.atNode('schema-type', resolved ?? seq, `${ip} is an empty list item; it must be ${typesOf(schema.items).map((t) => TYPE_WORDS[t]).join(' or ')}.`, ip);
        continue;
      }
      path.push(i);
      validateNode(w, item, schema.items, path, (w.doc.resolve(item) as Node | undefined) ?? seq, viaAlias, depth + 1);
      path.pop();
    }
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
      const key = canonical(w.doc, it);
      if (key === undefined) return;
      const first = seen.get(key);
      if (first !== undefined) {
        w.report.atNode('schema-duplicate', w.doc.resolve(it), `${formatPath([...path, i])} repeats ${formatPath([...path, first])}: the items of ${formatPath(path)} must be unique.`, formatPath([...path, i]));
      } else seen.set(key, i);
    });
  } else if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
      const item = w.doc.resolve(it);
      if (!isMap(item)) return;
      const parts = keys.map((k) => {
        const v = item.items.find((pr) => keyString(pr.key) === k)?.value;
        const dflt = schema.items?.properties?.[k]?.default;
        return canonical(w.doc, v) ?? JSON.stringify(dflt ?? null);
      });
      const key = parts.join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) {
        const desc = keys.map((k, j) => `${k}=${parts[j]}`).join(', ');
        w.report.atNode('schema-duplicate', item, `${formatPath([...path, i])} has the same key (${desc}) as ${formatPath([...path, first])}: entries of ${formatPath(path)} must be unique by ${keys.join(', ')}.`, formatPath([...path, i]));
      } else seen.set(key, i);
    });
  }
}

/** A canonical string for set/map uniqueness (scalars only; structured items compare by JSON). */
function canonical(doc: ParsedDocument, raw: unknown): string | undefined {
  const node = doc.resolve(raw);
  if (node == null) return undefined;
  if (isScalar(node)) return JSON.stringify(scalarValue(node));
  try {
    return JSON.stringify((node as Node).toJSON());
  } catch {
    return undefined;
  }
}

function validateScalar(w: Walk, node: Scalar, schema: JsonSchema, path: PathSegment[], actual: JsonType): void {
  const value = scalarValue(node);
  if (schema.enum) {
    if (!schema.enum.some((e) => e === value)) {
      const options = schema.enum.map((e) => JSON.stringify(e));
      const guess = typeof value === 'string' ? closest(value, schema.enum.filter((e): e is string => typeof e === 'string')) : undefined;
      let msg = `Unsupported value ${JSON.stringify(value)} for ${formatPath(path)}: use ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}.`;
      if (guess) msg += ` Did you mean ${JSON.stringify(guess)}?`;
      const d = w.report.atNode('schema-enum', node, msg, formatPath(path));
      const r = node.range;
      if (guess && r && node.type === 'PLAIN') w.report.fix(d, `Change to "${guess}"`, [{ start: r[0], end: r[1], newText: guess }], true);
      return;
    }
  }
  if (actual === 'string') {
    const s = value as string;
    if (schema.pattern) {
      const re = compilePattern(schema.pattern);
      if (re && !re.test(s)) {
        w.report.atNode('schema-pattern', node, `${formatPath(path)}: "${truncate(s)}" does not match the required pattern ${schema.pattern}.`, formatPath(path));
      }
    }
    if (schema.format) {
      const expected = checkFormat(schema.format, s);
      if (expected) w.report.atNode('schema-format', node, `${formatPath(path)} must be ${expected}; "${truncate(s)}" is not.`, formatPath(path));
    }
    const len = codePointLength(s);
    if (schema.minLength !== undefined && len < schema.minLength) {
      w.report.atNode(
        'schema-limit',
        node,
        schema.minLength === 1 ? `${formatPath(path)} must not be empty.` : `${formatPath(path)} must be at least ${schema.minLength} characters long, it has ${len}.`,
        formatPath(path),
      );
    }
    if (schema.maxLength !== undefined && len > schema.maxLength) {
      w.report.atNode('schema-limit', node, `${formatPath(path)} must be at most ${schema.maxLength} characters long, it has ${len}.`, formatPath(path));
    }
  } else if (actual === 'integer' || actual === 'number') {
    const n = value as number;
    if (schema.minimum !== undefined && n < schema.minimum) {
      w.report.atNode('schema-limit', node, `${formatPath(path)} must be at least ${schema.minimum}, not ${n}.`, formatPath(path));
    }
    if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) {
      w.report.atNode('schema-limit', node, `${formatPath(path)} must be greater than ${schema.exclusiveMinimum}, not ${n}.`, formatPath(path));
    }
    if (schema.maximum !== undefined && n > schema.maximum) {
      w.report.atNode('schema-limit', node, `${formatPath(path)} must be at most ${schema.maximum}, not ${n}.`, formatPath(path));
    }
    if (schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum) {
      w.report.atNode('schema-limit', node, `${formatPath(path)} must be less than ${schema.exclusiveMaximum}, not ${n}.`, formatPath(path));
    }
  }
}

/**
 * anyOf / oneOf / allOf / not as value validations, on the value after
 * defaulting (the API server defaults before it validates: a Gateway address
 * without type is an IPAddress).
 */
function validateAlternatives(
  w: Walk,
  node: Node,
  schema: JsonSchema,
  path: PathSegment[],
  _anchor: Node,
  viaAlias: boolean,
  _depth: number,
): void {
  if (viaAlias) return;
  const intOrStringOnly = schema['x-kubernetes-int-or-string'] && schema.anyOf?.every((b) => Object.keys(b).every((k) => k === 'type'));
  if (intOrStringOnly && !schema.oneOf && !schema.allOf && !schema.not) return; // the type check covered it
  const value = defaultedValue(w.doc, node, schema);
  if (schema.anyOf && !intOrStringOnly && !schema.anyOf.some((b) => matchesValue(value, b))) {
    w.report.atNode('schema-alternatives', node, `${formatPath(path)} matches none of the ${schema.anyOf.length} shapes the schema allows (anyOf).`, formatPath(path));
  }
  if (schema.oneOf) {
    const n = schema.oneOf.filter((b) => matchesValue(value, b)).length;
    if (n !== 1) {
      w.report.atNode(
        'schema-alternatives',
        node,
        n === 0
          ? `${formatPath(path)} matches none of the ${schema.oneOf.length} shapes the schema allows (oneOf).`
          : `${formatPath(path)} matches ${n} of the shapes the schema allows, but must match exactly one (oneOf).`,
        formatPath(path),
      );
    }
  }
  if (schema.allOf && !schema.allOf.every((b) => matchesValue(value, b))) {
    w.report.atNode('schema-alternatives', node, `${formatPath(path)} does not have every property the schema requires (allOf).`, formatPath(path));
  }
  if (schema.not && matchesValue(value, schema.not)) {
    w.report.atNode('schema-alternatives', node, `${formatPath(path)} has a value the schema forbids here (not).`, formatPath(path));
  }
}

/**
 * A key that belongs to an enclosing object, indented one level too deep
 * (`spec` under `metadata`, as in some published tutorials): one error on that
 * key, with a fix that moves the whole block out. Returns true when reported.
 */
function misplacedBlock(w: Walk, pair: Pair, keyNode: Node, key: string, path: PathSegment[]): boolean {
  const stack = w.stack ?? [];
  for (let i = stack.length - 2; i >= 0; i--) {
    const outer = stack[i];
    if (!outer.schema.properties?.[key]) continue;
    if (outer.map.items.some((p) => keyString(w.doc.resolve(p.key)) === key)) return false;
    const kr = keyNode.range;
    const firstKey = outer.map.items[0]?.key as Node | undefined;
    if (!kr || !firstKey?.range || outer.map.flow) return false;
    const lines = w.doc.lines;
    const keyCol = lines.positionAt(kr[0]).character;
    const outerCol = lines.positionAt(firstKey.range[0]).character;
    const by = keyCol - outerCol;
    const ownerPath = formatPath(path.slice(0, -1));
    const where = i === 0 ? 'at the top level' : `under ${formatPath(path.slice(0, i))}`;
    const d = w.report.atNode(
      'misplaced-block',
      keyNode,
      `"${key}" is indented under ${ownerPath}, but it belongs ${where}: the block is ${by} column${by === 1 ? '' : 's'} too deep, so Kubernetes reads it as part of ${ownerPath} and drops it.`,
      formatPath(path),
    );
    // Move the key and its whole value block out by `by` columns.
    const endOffset = (pair.value as Node | null)?.range?.[1] ?? kr[1];
    const first = lines.positionAt(kr[0]).line;
    const last = lines.positionAt(Math.max(kr[0], endOffset - 1)).line;
    const edits: { start: number; end: number; newText: string }[] = [];
    if (by > 0 && outer.map.items.every((p) => (p.key as Node | null)?.range)) {
      for (let l = first; l <= last; l++) {
        const text = lines.lineText(l);
        const spaces = /^ */.exec(text)![0].length;
        if (text.trim() === '' || spaces < by) continue;
        const start = lines.offsetAt({ line: l, character: 0 });
        edits.push({ start, end: start + by, newText: '' });
      }
      if (edits.length) w.report.fix(d, `Move "${key}" ${where}`, edits, true);
    }
    return true;
  }
  return false;
}

/** A fix that adds a missing required field at the end of its object (block style only). */
function addRequiredFieldFix(w: Walk, d: Diagnostic, map: YAMLMap, field: string, sub: JsonSchema | undefined): void {
  if (map.flow || map.items.length === 0) return;
  const first = map.items[0].key as Node | null;
  const last = map.items[map.items.length - 1];
  const at = (last.value as Node | null)?.range?.[2] ?? (last.key as Node | null)?.range?.[2];
  if (!first?.range || at === undefined) return;
  const indent = ' '.repeat(w.doc.lines.positionAt(first.range[0]).character);
  const lead = at > 0 && w.doc.text[at - 1] !== '\n' ? '\n' : '';
  let body = `${field}: `;
  if (sub && typesOf(sub).includes('object')) {
    if (sub.required?.includes('name')) {
      // An account key Secret named after the object, as cert-manager's docs do.
      const meta = w.stack?.[0]?.map.items.find((p) => keyString(p.key) === 'metadata')?.value;
      const name = isMap(meta) ? meta.items.find((p) => keyString(p.key) === 'name')?.value : undefined;
      const base = isScalar(name) && typeof name.value === 'string' ? name.value : 'issuer';
      body = `${field}:\n${indent}  name: ${field === 'privateKeySecretRef' ? `${base}-account-key` : ''}`;
    } else body = `${field}: {}`;
  }
  w.report.fix(d, `Add ${field}`, [{ start: at, end: at, newText: `${lead}${indent}${body}\n` }]);
}

/** The node a rule's fieldPath (".a.b", ".a['b']") names, relative to `node`. */
function nodeAtFieldPath(doc: ParsedDocument, node: unknown, fieldPath: string): Node | undefined {
  let cur = doc.resolve(node);
  let lastKey: Node | undefined;
  for (const m of fieldPath.matchAll(/\.([A-Za-z0-9_$-]+)|\[['"]([^'"]+)['"]\]/g)) {
    const k = m[1] ?? m[2];
    if (!isMap(cur)) return lastKey;
    const pair = cur.items.find((p) => keyString(doc.resolve(p.key)) === k);
    if (!pair) return lastKey;
    lastKey = doc.resolve(pair.key) ?? lastKey;
    cur = doc.resolve(pair.value);
  }
  return isScalar(cur) ? cur : lastKey;
}

const patternCache = new Map<string, RegExp | null>();

/** Kubernetes patterns are Go RE2 syntax, which JavaScript reads the same way for the CRDs in use. */
function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
