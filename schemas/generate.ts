/**
 * Generates the JSON schemas in schemas/ from the upstream inputs copied into
 * schemas/upstream/ (cert-manager CRDs, Gateway API CRDs, the Kubernetes
 * networking.k8s.io/v1 OpenAPI document).
 *
 *   npm run schemas
 *
 * Output: schemas/<group>/<version>/<Kind>.json (draft-07 JSON Schema of the
 * whole object) and schemas/index.json (what is served, by apiVersion/kind).
 *
 * Kubernetes semantics are made explicit so that any JSON Schema validator
 * (and Certsmith's own, engine/schema) agrees with the API server:
 * - objects that the API server would prune get `additionalProperties: false`
 *   (kubectl's strict field validation reports those fields as unknown);
 * - `nullable: true` becomes a `"null"` member of `type`;
 * - OpenAPI 3.0 boolean exclusiveMinimum/exclusiveMaximum become draft-07 numbers;
 * - int-or-string becomes `anyOf: [integer, string]`;
 * - `metadata` is the full ObjectMeta schema from the Kubernetes OpenAPI.
 * The `x-kubernetes-*` markers are kept for Certsmith's validator.
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { SchemaIndexEntry } from '../engine/schema/schema-store.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const here = dirname(fileURLToPath(import.meta.url));
const upstream = join(here, 'upstream');
/** Where to write: schemas/ itself, or a folder given as the first argument (the up-to-date test); set by main(). */
let outDir = here;
const OPENAPI_FILE = join(upstream, 'kubernetes', 'apis__networking.k8s.io__v1_openapi.json');

const openapi = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths?: Record<string, Obj>;
  components: { schemas: Record<string, Obj> };
};
const defs = openapi.components.schemas;

/** Built-in types whose content is free-form JSON (no properties, any fields). */
const FREE_FORM_REFS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
]);

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Inline the $refs of the Kubernetes OpenAPI document (its graph has no cycles here). */
function inlineRefs(schema: Obj, seen: string[] = []): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') {
      const name = v.replace('#/components/schemas/', '');
      if (seen.includes(name)) throw new Error(`cyclic $ref ${name}`);
      const target = defs[name];
      if (!target) throw new Error(`unresolved $ref ${v}`);
      const resolved = inlineRefs(target, [...seen, name]);
      if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') {
        // Older documents say `type: string`, current ones `oneOf: [integer, string]`; toJsonSchema writes the anyOf.
        delete resolved.type;
        delete resolved.format;
        delete resolved.oneOf;
        resolved['x-kubernetes-int-or-string'] = true;
      }
      if (FREE_FORM_REFS.has(name)) resolved['x-kubernetes-preserve-unknown-fields'] = true;
      // Sibling keywords (description, default) of the $ref win over the target's.
      for (const [sk, sv] of Object.entries(schema)) if (sk !== '$ref') resolved[sk] = sv as Json;
      return resolved;
    }
    if (k === 'allOf' && Array.isArray(v) && v.length === 1 && isObj(v[0]) && '$ref' in v[0]) {
      // OpenAPI 3 wraps "ref + description" as allOf: [{$ref}]; as for a plain $ref, the
      // field's own keywords (its description, default) win over the referenced type's.
      const resolved = inlineRefs(v[0], seen);
      for (const [rk, rv] of Object.entries(resolved)) if (!(rk in schema) || rk === 'allOf') out[rk] = rv;
      continue;
    }
    out[k] = isObj(v) ? inlineRefs(v, seen) : Array.isArray(v) ? v.map((e) => (isObj(e) ? inlineRefs(e, seen) : e)) : v;
  }
  return out;
}

const OBJECT_META: Obj = (() => {
  const m = markObjects(inlineRefs(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']));
  // clusterName was removed from ObjectMeta in Kubernetes 1.25: a current API server rejects it.
  if (isObj(m.properties)) delete m.properties.clusterName;
  return m;
})();

/**
 * Translate one structural-schema node to draft-07 JSON Schema with
 * Kubernetes' pruning made explicit.
 */
function toJsonSchema(node: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    switch (k) {
      case 'properties':
        out.properties = Object.fromEntries(
          Object.entries(v as Obj).map(([name, sub]) => [name, toJsonSchema(sub as Obj)]),
        );
        break;
      case 'items':
        out.items = Array.isArray(v) ? v.map((e) => toJsonSchema(e as Obj)) : toJsonSchema(v as Obj);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof v === 'boolean' ? v : toJsonSchema(v as Obj);
        break;
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        out[k] = (v as Obj[]).map((e) => toJsonSchema(e));
        break;
      case 'not':
        out.not = toJsonSchema(v as Obj);
        break;
      case 'exclusiveMinimum':
        if (v === true && typeof node.minimum === 'number') out.exclusiveMinimum = node.minimum;
        break;
      case 'exclusiveMaximum':
        if (v === true && typeof node.maximum === 'number') out.exclusiveMaximum = node.maximum;
        break;
      default:
        out[k] = v;
    }
  }
  if (out.exclusiveMinimum !== undefined) delete out.minimum;
  if (out.exclusiveMaximum !== undefined) delete out.maximum;

  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];

  const isObject = node.type === 'object';
  if (isObject && node['x-kubernetes-preserve-unknown-fields'] !== true && node.additionalProperties === undefined) {
    // The API server prunes (and strict validation reports) anything not in properties.
    out.additionalProperties = false;
    if (!out.properties) out.properties = {};
  }
  return out;
}

/** An index entry, as the engine reads it (engine/schema/schema-store.ts), plus where it came from. */
export interface IndexEntry extends SchemaIndexEntry {
  source: string;
}

const index: IndexEntry[] = [];

function envelope(group: string, version: string, kind: string, body: Obj): Obj {
  const apiVersion = group ? `${group}/${version}` : version;
  const props = isObj(body.properties) ? { ...body.properties } : {};
  props.apiVersion = { ...(isObj(props.apiVersion) ? props.apiVersion : {}), type: 'string', enum: [apiVersion] };
  props.kind = { ...(isObj(props.kind) ? props.kind : {}), type: 'string', enum: [kind] };
  const metaDescription = isObj(props.metadata) ? props.metadata.description : undefined;
  props.metadata = toJsonSchema({ ...OBJECT_META, ...(metaDescription ? { description: metaDescription } : {}) });
  const required = new Set<string>(['apiVersion', 'kind', ...((body.required as string[] | undefined) ?? [])]);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://certsmith.dev/schemas/${group || 'core'}/${version}/${kind}.json`,
    title: `${kind} (${apiVersion})`,
    ...body,
    properties: props,
    required: [...required],
    additionalProperties: false,
    'x-kubernetes-group-version-kind': [{ group, version, kind }],
  };
}

function writeSchema(entry: Omit<IndexEntry, 'file'>, schema: Obj): void {
  const file = `${entry.group || 'core'}/${entry.version}/${entry.kind}.json`;
  const path = join(outDir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(schema, null, 1) + '\n');
  index.push({ ...entry, file });
}

/** One served version of a CRD, converted: its index entry (without the file) and its JSON schema. */
export interface ConvertedCrdVersion {
  entry: Omit<IndexEntry, 'file'>;
  schema: Obj;
}

/**
 * The JSON schemas of every served version of the CRDs in one YAML text.
 * Exported for schemas/generate-releases.ts, which converts each cert-manager
 * release's CRDs exactly as the bundled ones are converted.
 */
export function convertCrdYaml(text: string, sourceLabel: string, fileForErrors = sourceLabel): ConvertedCrdVersion[] {
  const out: ConvertedCrdVersion[] = [];
  const docs = parseAllDocuments(text);
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${fileForErrors}: ${d.errors[0].message}`);
    const crd = d.toJS({ maxAliasCount: -1 }) as Obj | null;
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const spec = crd.spec as Obj;
    const group = spec.group as string;
    const names = spec.names as Obj;
    for (const v of spec.versions as Obj[]) {
      if (v.served !== true) continue;
      const raw = (v.schema as Obj).openAPIV3Schema as Obj;
      const body = toJsonSchema(raw);
      const schema = envelope(group, v.name as string, names.kind as string, body);
      schema['x-kubernetes-scope'] = spec.scope as string;
      out.push({
        entry: {
          apiVersion: `${group}/${v.name}`,
          group,
          version: v.name as string,
          kind: names.kind as string,
          plural: names.plural as string,
          scope: spec.scope as 'Namespaced' | 'Cluster',
          served: true,
          storage: v.storage === true,
          deprecated: v.deprecated === true,
          ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
          source: sourceLabel,
        },
        schema,
      });
    }
  }
  return out;
}

function generateFromCrd(file: string, sourceLabel: string): void {
  for (const { entry, schema } of convertCrdYaml(readFileSync(file, 'utf8'), sourceLabel, file)) writeSchema(entry, schema);
}

/**
 * Resource name and scope of each kind, from the document's REST paths: the
 * GET of /apis/GROUP/VERSION[/namespaces/{namespace}]/PLURAL/{name} names its kind.
 */
function resourcesFromPaths(): Map<string, { plural: string; scope: 'Namespaced' | 'Cluster' }> {
  const out = new Map<string, { plural: string; scope: 'Namespaced' | 'Cluster' }>();
  for (const [path, item] of Object.entries(openapi.paths ?? {})) {
    const m = /^\/apis\/([^/]+)\/([^/]+)\/(namespaces\/\{namespace\}\/)?([a-z0-9]+)\/\{name\}$/.exec(path);
    const get = isObj(item.get) ? item.get : undefined;
    const gvk = get?.['x-kubernetes-group-version-kind'];
    if (!m || !isObj(gvk)) continue;
    const [, group, version, ns, plural] = m;
    if (gvk.group !== group || gvk.version !== version) continue;
    out.set(`${group}/${version}/${gvk.kind as string}`, { plural, scope: ns ? 'Namespaced' : 'Cluster' });
  }
  return out;
}

function generateBuiltin(): void {
  const resources = resourcesFromPaths();
  for (const [name, def] of Object.entries(defs)) {
    const gvks = def['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks) || gvks.length !== 1 || !isObj(gvks[0])) continue;
    const { group, version, kind } = gvks[0] as { group: string; version: string; kind: string };
    if (group !== 'networking.k8s.io' || kind.endsWith('List')) continue;
    const inlined = inlineRefs(def);
    // Built-in types: the API server rejects unknown fields (strict) and has no pruning
    // rules of CRDs, but the effect for a client is the same. Status is server-owned.
    const body = toJsonSchema(markObjects(inlined));
    const schema = envelope(group, version, kind, body);
    const resource = resources.get(`${group}/${version}/${kind}`);
    if (!resource) throw new Error(`${OPENAPI_FILE}: no REST path serves ${group}/${version} ${kind}`);
    const { plural, scope } = resource;
    schema['x-kubernetes-scope'] = scope;
    writeSchema(
      {
        apiVersion: `${group}/${version}`,
        group,
        version,
        kind,
        plural,
        scope,
        served: true,
        storage: true,
        deprecated: false,
        source: `kubernetes OpenAPI (${name})`,
      },
      schema,
    );
  }
}

/** OpenAPI documents of built-in types leave `type: object` off some nodes that have properties. */
function markObjects(node: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && isObj(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, markObjects(s as Obj)]));
    } else if ((k === 'items' || k === 'additionalProperties') && isObj(v)) {
      out[k] = markObjects(v);
    } else out[k] = v;
  }
  if (out.properties && !out.type) out.type = 'object';
  // A built-in map (additionalProperties) or free-form object is not pruned.
  if (out.type === 'object' && !out.properties && out.additionalProperties === undefined) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}

function main(): void {
  outDir = process.argv[2] ?? here;
  mkdirSync(outDir, { recursive: true });
  for (const dir of readdirSync(outDir, { withFileTypes: true })) {
    // upstream/ is the input; releases/ is generate-releases.ts's output.
    if (dir.isDirectory() && dir.name !== 'upstream' && dir.name !== 'releases') rmSync(join(outDir, dir.name), { recursive: true });
  }
  for (const [sub, label] of [
    ['cert-manager', 'cert-manager CRDs'],
    ['gateway-api', 'Gateway API CRDs'],
  ] as const) {
    const dir = join(upstream, sub);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
      generateFromCrd(join(dir, f), `${label} (${f})`);
    }
  }
  generateBuiltin();
  index.sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind));
  const out = {
    comment: 'Generated by `npm run schemas` from schemas/upstream; do not edit.',
    kinds: index,
  };
  writeFileSync(join(outDir, 'index.json'), JSON.stringify(out, null, 1) + '\n');
  if (!existsSync(join(outDir, 'index.json'))) throw new Error('index.json not written');
  if (outDir === here) for (const e of index) console.log(`${e.apiVersion.padEnd(36)} ${e.kind.padEnd(20)} ${e.file}`);
}

// Run only as a script: generate-releases.ts and tests import convertCrdYaml.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
