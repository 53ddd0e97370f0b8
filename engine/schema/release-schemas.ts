/**
 * The JSON schemas of every bundled cert-manager release (v1.14 … newest, and
 * "next", the commit the main schemas/ come from), read from the compact store
 * schemas/releases/cert-manager/ that `npm run schemas:releases`
 * (schemas/generate-releases.ts) writes from the released modules' CRDs.
 *
 * Store format (version 1): index.json (the releases; per kind its index entry,
 * file and checksums) and one file per kind, <group>/<version>/<Kind>.json, read
 * on first use. Each kind's schema (and index entry) is one "union tree" over
 * all releases: a plain JSON value is the same in every release in
 * which its parent exists; an object `{"~v": [[mask, value], ...]}` is a node
 * that differs, each value holding in the releases of its bit mask (bit i =
 * releases[i], oldest first) and the node being absent in the others. Objects
 * are merged key by key, so a field added in one release costs one variant;
 * arrays (enum, required, CEL rules) are values of their own. A release's
 * schema is decoded on first use; "since" facts walk the tree with masks.
 *
 * No imports from engine/: the engine uses this module, not the other way round.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** The key of a variant node in the store; never a key of a converted schema (the generator checks). */
export const VARIANT_KEY = '~v';
export const STORE_FORMAT = 1;

/** A bundled cert-manager release. */
export interface ReleaseInfo {
  /** "v1.14" … "v1.21", or "next". */
  id: string;
  /** The module version the CRDs come from ("v1.14.7"), or for "next" the commit. */
  version: string;
  /** sha256 of each CRD file read, by file name. */
  crdFiles: Record<string, string>;
  /** The Go module zip's hash (go.sum's h1:), for releases taken from the module proxy. */
  moduleSum?: string;
  /** Where the CRDs were read. */
  source: string;
}

/** What the store says about a kind (as schemas/index.json, without file and source). */
export interface ReleaseKindEntry {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
}

/** schemas/releases/cert-manager/index.json. */
export interface ReleaseStoreIndex {
  comment: string;
  format: number;
  releases: ReleaseInfo[];
  /**
   * Keyed "group/version/Kind": the index entry (a union tree), the file of the
   * schema's union tree (relative to index.json), and per release the sha256 of
   * canonicalJson(schema) at generation time (null where the release lacks the kind).
   */
  kinds: Record<string, { entry: Json; file: string; sha256: (string | null)[] }>;
}

/** A value that holds over a run of consecutive releases. */
export interface ValueRun {
  /** First release of the run. */
  from: string;
  /** Last release of the run. */
  to: string;
  /** Absent: the keyword is not set in these releases. */
  value?: Json;
}

/** The history of one field (a path of property names through the schema) across the bundled releases. */
export interface FieldHistory {
  path: string;
  /** Releases whose CRD has the field, oldest first. */
  releases: string[];
  /** First release that has it. */
  since: string;
  /** True when even the oldest bundled release has it (it may be older than that). */
  inOldest: boolean;
  /** First release after one that has the field and that does not have it. */
  removedIn?: string;
  /** Per enum value: first release that allows it, and the release that dropped it. */
  enumValues?: { value: Json; since: string; removedIn?: string }[];
  /** The `default` the CRD records, over the releases that have the field (present only if some release sets one). */
  defaults?: ValueRun[];
  /**
   * The default the field's description states ("Default is `Always`"), over the
   * releases that have the field (present only if some description states one):
   * the controller applies these, the API server does not.
   */
  describedDefaults?: ValueRun[];
  /** Releases in which the parent lists the field as required (present only if some do). */
  requiredIn?: string[];
  /** Releases whose description of the field says it is deprecated (the CRDs have no other marker). */
  deprecatedIn?: string[];
}

/** One keyword of one field that differs between releases (descriptions are left out). */
export interface FieldChange {
  path: string;
  /**
   * "presence" for the field itself, "deprecated" for its description saying so,
   * "described default" for the default its description states, else the schema
   * keyword ("enum", "default", "required", "x-kubernetes-validations", …).
   */
  what: string;
  runs: ValueRun[];
}

/** The result of choosing a bundled release for a version a user named. */
export interface ReleaseChoice {
  release: ReleaseInfo;
  /** True when the named minor (or "next") is bundled. */
  exact: boolean;
  /** For a version that is not bundled: a sentence naming the nearest bundled one. */
  message?: string;
}

const ABSENT = Symbol('absent');
type Decoded = Json | typeof ABSENT;
interface Hit {
  mask: number;
  node: Json;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function variants(node: Json): [number, Json][] | undefined {
  if (!isObject(node)) return undefined;
  const v = node[VARIANT_KEY];
  return v === undefined ? undefined : (v as [number, Json][]);
}

/**
 * The value of a union-tree node in one release (bit). A subtree without variants
 * is returned as it is (no copy): releases share it, and decoding allocates only
 * along the paths to the nodes that differ.
 */
function decode(node: Json, bit: number): Decoded {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const vs = node[VARIANT_KEY] as [number, Json][] | undefined;
  if (vs !== undefined) {
    for (const [mask, value] of vs) if (mask & bit) return decode(value, bit);
    return ABSENT;
  }
  let out: JsonObject | undefined;
  for (const k in node) {
    const v = node[k];
    const d = decode(v, bit);
    if (d === v && !out) continue;
    if (!out) {
      // First key that differs: copy the keys before it, then go on copying.
      out = {};
      for (const before in node) {
        if (before === k) break;
        out[before] = node[before];
      }
    }
    if (d !== ABSENT) out[k] = d;
  }
  return out ?? node;
}

/** Split variant nodes until every hit is a plain value that holds in all its mask's releases. */
function flatten(hits: Hit[]): Hit[] {
  const out: Hit[] = [];
  const visit = (mask: number, node: Json): void => {
    const vs = variants(node);
    if (!vs) {
      out.push({ mask, node });
      return;
    }
    for (const [m, value] of vs) if (m & mask) visit(m & mask, value);
  };
  for (const h of hits) visit(h.mask, h.node);
  return out;
}

/** The child `key` of each hit, where it exists. */
function child(hits: Hit[], key: string): Hit[] {
  const out: Hit[] = [];
  for (const h of flatten(hits)) {
    if (isObject(h.node) && key in h.node) out.push({ mask: h.mask, node: h.node[key] });
  }
  return flatten(out);
}

function maskOf(hits: Hit[]): number {
  return hits.reduce((m, h) => m | h.mask, 0);
}

/** Canonical JSON (object keys sorted): equal values give equal text; the store's checksums are over it. */
export function canonicalJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Parse a field path: "spec.acme.solvers[].dns01.rfc2136.protocol" (also "[0]",
 * and "[a.b]" for a key that is not a plain name, as the engine's diagnostics
 * write one), or the segments themselves (strings are property names or map
 * keys, numbers and "[]" are list items), as the engine's document paths give them.
 */
export function parseFieldPath(path: string | readonly (string | number)[]): (string | number)[] {
  if (typeof path !== 'string') return [...path];
  const out: (string | number)[] = [];
  let name = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '.') {
      if (name) out.push(name);
      name = '';
    } else if (c === '[') {
      if (name) out.push(name);
      name = '';
      const close = path.indexOf(']', i + 1);
      const inside = close === -1 ? path.slice(i + 1) : path.slice(i + 1, close);
      out.push(/^\d*$/.test(inside) ? '[]' : inside);
      i = close === -1 ? path.length : close;
    } else name += c;
  }
  if (name) out.push(name);
  return out;
}

function formatPath(segments: (string | number)[]): string {
  let s = '';
  for (const seg of segments) {
    if (typeof seg === 'number' || seg === '[]') s += '[]';
    else if (seg === '{}') s += '.*';
    else s += s ? `.${seg}` : seg;
  }
  return s;
}

/** A description that says the field itself is deprecated ("Deprecated: …", "This field is deprecated"). */
const DEPRECATED = /^\s*deprecated\b|\bdeprecated:|\b(this|the) field is deprecated\b|\bis deprecated and\b/i;

/**
 * A default the description states ("Default is `Always`.") where the CRD has no
 * `default` keyword because the controller, not the API server, applies it.
 */
const DESCRIBED_DEFAULT = /\bDefault (?:value )?is `([^`]+)`/;

/** Schema keywords that hold sub-schemas (walked as paths), and descriptions (prose, not rules). */
const STRUCTURAL = new Set(['properties', 'items', 'additionalProperties', 'description']);

export class ReleaseSchemas {
  private readonly decoded = new Map<string, JsonObject | undefined>();
  private readonly unions = new Map<string, Json>();
  readonly all: readonly ReleaseInfo[];

  /** `readUnion` gives the union tree stored in an index entry's file. */
  constructor(
    private readonly store: ReleaseStoreIndex,
    private readonly readUnion: (file: string) => Json,
  ) {
    if (store.format !== STORE_FORMAT) {
      throw new Error(`schemas/releases/cert-manager has format ${store.format}; this Certsmith reads format ${STORE_FORMAT}`);
    }
    this.all = store.releases;
  }

  /** Open a store folder (default: schemas/releases/cert-manager next to the running code); kinds are read on first use. */
  static load(dir: string = findReleaseStore()): ReleaseSchemas {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as ReleaseStoreIndex;
    return new ReleaseSchemas(index, (file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json);
  }

  /** The union tree of a kind's schema, read on first use. */
  private union(key: string): Json | undefined {
    const stored = this.store.kinds[key];
    if (!stored) return undefined;
    let u = this.unions.get(key);
    if (u === undefined) {
      u = this.readUnion(stored.file);
      this.unions.set(key, u);
    }
    return u;
  }

  /** Releases oldest first; "next" is last. */
  releases(): readonly ReleaseInfo[] {
    return this.all;
  }

  /** The newest release (not "next"): the default target. */
  newest(): ReleaseInfo {
    const released = this.all.filter((r) => r.id !== 'next');
    return released[released.length - 1];
  }

  release(id: string): ReleaseInfo | undefined {
    return this.all.find((r) => r.id === id);
  }

  private bit(releaseId: string): number {
    const i = this.all.findIndex((r) => r.id === releaseId);
    if (i < 0) throw new Error(`cert-manager ${releaseId} is not a bundled release (${this.all.map((r) => r.id).join(', ')})`);
    return 1 << i;
  }

  private idsOf(mask: number): string[] {
    return this.all.filter((_, i) => mask & (1 << i)).map((r) => r.id);
  }

  private get allMask(): number {
    return (1 << this.all.length) - 1;
  }

  /** Keys ("group/version/Kind") of the kinds the release serves. */
  kindKeys(releaseId: string): string[] {
    const bit = this.bit(releaseId);
    return Object.keys(this.store.kinds).filter((k) => decode(this.store.kinds[k].entry, bit) !== ABSENT);
  }

  /** The index entries of the kinds the release serves. */
  kinds(releaseId: string): ReleaseKindEntry[] {
    const bit = this.bit(releaseId);
    return this.kindKeys(releaseId).map((k) => decode(this.store.kinds[k].entry, bit) as unknown as ReleaseKindEntry);
  }

  /**
   * The whole JSON schema of a kind in a release, as schemas/generate.ts converts
   * that release's CRD; undefined if the release does not serve it. Read-only:
   * decoded once and shared.
   */
  schema(releaseId: string, group: string, version: string, kind: string): JsonObject | undefined {
    const key = `${group}/${version}/${kind}`;
    const cacheKey = `${releaseId}|${key}`;
    if (this.decoded.has(cacheKey)) return this.decoded.get(cacheKey);
    const union = this.union(key);
    const d = union === undefined ? ABSENT : decode(union, this.bit(releaseId));
    const schema = d === ABSENT ? undefined : (d as JsonObject);
    this.decoded.set(cacheKey, schema);
    return schema;
  }

  /** The checksum recorded at generation time for a kind in a release (sha256 of canonicalJson(schema)). */
  recordedSha256(releaseId: string, group: string, version: string, kind: string): string | null | undefined {
    const stored = this.store.kinds[`${group}/${version}/${kind}`];
    return stored?.sha256[this.all.findIndex((r) => r.id === releaseId)];
  }

  /**
   * The bundled release for a version a user or a cluster names: "1.17", "v1.17.2",
   * "next" (also "main", "master"). A minor that is not bundled gets the nearest one
   * (older than the oldest: the oldest; newer than the newest: the newest release,
   * not "next"); undefined when the text is not a version at all.
   */
  nearest(version: string): ReleaseChoice | undefined {
    const text = version.trim().toLowerCase();
    if (['next', 'main', 'master', 'head'].includes(text)) return { release: this.release('next')!, exact: true };
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text);
    if (!m) return undefined;
    const want = Number(m[1]) * 1000 + Number(m[2]);
    const released = this.all.filter((r) => r.id !== 'next');
    const order = (r: ReleaseInfo): number => {
      const [maj, min] = r.id.slice(1).split('.').map(Number);
      return maj * 1000 + min;
    };
    // Closest minor; between two equally close ones, the older (its fields are a subset more often).
    let best = released[0];
    for (const r of released) if (Math.abs(order(r) - want) < Math.abs(order(best) - want)) best = r;
    if (order(best) === want) return { release: best, exact: true };
    return {
      release: best,
      exact: false,
      message: `cert-manager ${version.trim()} is not bundled with Certsmith; using the nearest bundled release, ${best.id} (bundled: ${released[0].id} to ${released[released.length - 1].id}, and next).`,
    };
  }

  /** Walk a field path through the union tree: the nodes it reaches, with the releases in which it reaches them. */
  private walk(key: string, path: (string | number)[]): Hit[] {
    const union = this.union(key);
    if (union === undefined) return [];
    let hits = flatten([{ mask: this.allMask, node: union }]);
    for (const seg of path) {
      if (typeof seg === 'number' || seg === '[]') {
        hits = child(hits, 'items').filter((h) => isObject(h.node));
        continue;
      }
      const named = seg === '{}' ? [] : child(child(hits, 'properties'), seg);
      // A name that is not a property may be a key of a map (additionalProperties with a schema).
      const rest = this.allMask & ~maskOf(named);
      const mapped = child(
        hits.map((h) => ({ mask: h.mask & rest, node: h.node })).filter((h) => h.mask),
        'additionalProperties',
      ).filter((h) => isObject(h.node));
      hits = [...named, ...mapped];
    }
    return hits;
  }

  /** Run-length form of per-release values over the releases in `mask`. */
  private runs(mask: number, valueAt: (bit: number) => Decoded): ValueRun[] {
    const out: ValueRun[] = [];
    let prev: { text: string; run: ValueRun; index: number } | undefined;
    this.all.forEach((r, i) => {
      const bit = 1 << i;
      if (!(mask & bit)) {
        prev = undefined;
        return;
      }
      const v = valueAt(bit);
      const text = v === ABSENT ? '' : canonicalJson(v);
      if (prev && prev.text === text && prev.index === i - 1) {
        prev.run.to = r.id;
        prev.index = i;
        return;
      }
      const run: ValueRun = { from: r.id, to: r.id, ...(v === ABSENT ? {} : { value: v }) };
      out.push(run);
      prev = { text, run, index: i };
    });
    return out;
  }

  private describedDefault(hits: Hit[], bit: number): Decoded {
    const d = this.keywordAt(hits, 'description', bit);
    const m = typeof d === 'string' ? DESCRIBED_DEFAULT.exec(d) : null;
    return m ? m[1] : ABSENT;
  }

  private keywordAt(hits: Hit[], keyword: string, bit: number): Decoded {
    for (const h of child(hits, keyword)) if (h.mask & bit) return decode(h.node, bit);
    return ABSENT;
  }

  /**
   * What the CRDs say about a field across the releases: since, removed, enum values
   * added or dropped, default changes, required-ness, deprecation (from its description).
   * Undefined if no bundled release has the field.
   */
  field(group: string, version: string, kind: string, path: string | readonly (string | number)[]): FieldHistory | undefined {
    const key = `${group}/${version}/${kind}`;
    const segments = parseFieldPath(path);
    const hits = this.walk(key, segments);
    const mask = maskOf(hits);
    if (!mask) return undefined;
    const ids = this.idsOf(mask);
    const firstIndex = this.all.findIndex((r) => r.id === ids[0]);
    const lastIndex = this.all.findIndex((r) => r.id === ids[ids.length - 1]);
    const out: FieldHistory = {
      path: formatPath(segments),
      releases: ids,
      since: ids[0],
      inOldest: firstIndex === 0,
      ...(lastIndex < this.all.length - 1 ? { removedIn: this.all[lastIndex + 1].id } : {}),
    };
    // Enum values: when each was first allowed, and when it stopped being allowed.
    const enumMasks = new Map<string, { value: Json; mask: number }>();
    for (const h of child(hits, 'enum')) {
      if (!Array.isArray(h.node)) continue;
      for (const v of h.node) {
        const t = canonicalJson(v);
        const e = enumMasks.get(t) ?? { value: v, mask: 0 };
        e.mask |= h.mask;
        enumMasks.set(t, e);
      }
    }
    if (enumMasks.size) {
      out.enumValues = [...enumMasks.values()].map(({ value, mask: m }) => {
        const has = this.idsOf(m);
        const last = this.all.findIndex((r) => r.id === has[has.length - 1]);
        const dropped = last < lastIndex ? this.all[last + 1].id : undefined;
        return { value, since: has[0], ...(dropped ? { removedIn: dropped } : {}) };
      });
    }
    const defaults = this.runs(mask, (bit) => this.keywordAt(hits, 'default', bit));
    if (defaults.some((r) => 'value' in r)) out.defaults = defaults;
    const described = this.runs(mask, (bit) => this.describedDefault(hits, bit));
    if (described.some((r) => 'value' in r)) out.describedDefaults = described;
    const name = segments[segments.length - 1];
    if (typeof name === 'string' && name !== '[]' && segments.length) {
      const parent = this.walk(key, segments.slice(0, -1));
      const required = this.idsOf(
        child(parent, 'required')
          .filter((h) => Array.isArray(h.node) && h.node.includes(name))
          .reduce((m, h) => m | h.mask, 0) & mask,
      );
      if (required.length) out.requiredIn = required;
    }
    const deprecated = this.idsOf(
      child(hits, 'description')
        .filter((h) => typeof h.node === 'string' && DEPRECATED.test(h.node))
        .reduce((m, h) => m | h.mask, 0),
    );
    if (deprecated.length) out.deprecatedIn = deprecated;
    return out;
  }

  /**
   * Every field of a kind that differs between the bundled releases: added or
   * removed fields ("presence"), and each rule keyword (enum, default, required,
   * pattern, CEL rules, …) whose value changes. Descriptions are left out.
   */
  changes(group: string, version: string, kind: string): FieldChange[] {
    const union = this.union(`${group}/${version}/${kind}`);
    if (union === undefined) return [];
    const out: FieldChange[] = [];
    const seen = new Set<string>();
    const visit = (segments: (string | number)[], hits: Hit[], parentMask: number): void => {
      const path = formatPath(segments);
      if (seen.has(path)) return;
      seen.add(path);
      const mask = maskOf(hits);
      if (mask !== parentMask) {
        out.push({ path, what: 'presence', runs: this.runs(parentMask, (bit) => (mask & bit ? true : false)) });
      }
      const keywords = new Set<string>();
      for (const h of flatten(hits)) if (isObject(h.node)) for (const k of Object.keys(h.node)) keywords.add(k);
      for (const k of [...keywords].sort()) {
        if (STRUCTURAL.has(k) && k !== 'additionalProperties') continue;
        // A map's value schema is walked as ".*"; here only whether unknown fields are allowed.
        const valueAt = (bit: number): Decoded => {
          const v = this.keywordAt(hits, k, bit);
          return k === 'additionalProperties' && isObject(v as Json) ? 'schema' : v;
        };
        const runs = this.runs(mask, valueAt);
        if (runs.length > 1) out.push({ path, what: k, runs });
      }
      const deprecated = maskOf(child(hits, 'description').filter((h) => typeof h.node === 'string' && DEPRECATED.test(h.node)));
      if (deprecated && deprecated !== mask) {
        out.push({ path, what: 'deprecated', runs: this.runs(mask, (bit) => (deprecated & bit ? true : false)) });
      }
      const described = this.runs(mask, (bit) => this.describedDefault(hits, bit));
      if (described.length > 1) out.push({ path, what: 'described default', runs: described });
      const names = new Set<string>();
      for (const h of child(hits, 'properties')) if (isObject(h.node)) for (const n of Object.keys(h.node)) names.add(n);
      for (const n of names) visit([...segments, n], child(child(hits, 'properties'), n), mask);
      const items = child(hits, 'items').filter((h) => isObject(h.node));
      if (items.length) visit([...segments, '[]'], items, mask);
      const map = child(hits, 'additionalProperties').filter((h) => isObject(h.node));
      if (map.length) visit([...segments, '{}'], map, mask);
    };
    visit([], flatten([{ mask: this.allMask, node: union }]), this.allMask);
    return out;
  }
}

/** Locate schemas/releases/cert-manager/ next to the running code (source tree or bundle in dist/). */
function findReleaseStore(): string {
  const fromEnv = process.env.CERTSMITH_SCHEMAS_DIR;
  const candidates = fromEnv ? [join(fromEnv, 'releases', 'cert-manager')] : [];
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'schemas', 'releases', 'cert-manager'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const found = candidates.find((c) => existsSync(join(c, 'index.json')));
  if (!found) throw new Error('Certsmith cannot find schemas/releases/cert-manager/index.json; the installation is incomplete.');
  return found;
}

let shared: ReleaseSchemas | undefined;

/** The process-wide store (read-only data). */
export function releaseSchemas(): ReleaseSchemas {
  if (!shared) shared = ReleaseSchemas.load();
  return shared;
}
