/**
 * A fast path for the YAML that Kubernetes manifests are almost always
 * written in: block mappings and sequences, single-line plain and quoted
 * scalars, comments. It builds the `yaml` package's own node classes
 * (YAMLMap, YAMLSeq, Pair, Scalar) with the same values, types and source
 * ranges that `yaml`'s parser produces, resolving scalars with `yaml`'s own
 * YAML 1.1 schema tags.
 *
 * It accepts only input it fully understands. Anything else — flow
 * collections, block scalars, anchors, aliases, tags, multi-line scalars,
 * escapes, tabs, CR line ends, duplicate keys, any indentation problem —
 * makes it return undefined, and the caller parses the document with
 * `yaml`'s full parser (which also produces every error message). The
 * differential test (test/unit/block-subset-parser.test.ts) checks that
 * whatever it accepts is exactly what `yaml` produces.
 *
 * Why: `yaml`'s generator-based lexer and parser read about 2.5 MB/s here
 * (2.9.1, 2 cores), this 5-7x faster; without it, opening the 2,000-document
 * file of the LSP benchmark takes about 1.3 s instead of 0.25 s.
 * npm run bench:yaml (test/bench/yaml-fast-path.bench.ts) re-measures it.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

/**
 * The `yaml` release this parser was last compared with, by the differential
 * test and by npm run bench:yaml. It depends on `yaml` internals (node
 * identity, YAML 1.1 tag tests, the composer's source ranges), so the unit
 * test fails when another release is installed until both are re-run.
 */
export const VALIDATED_YAML_VERSION = '2.9.1';

const BAIL = Symbol('not in the block subset');
function bail(): never {
  throw BAIL;
}

interface ScalarTagLike {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown;
  format?: string;
  collection?: string;
}

/** Deeper documents go to the full parser (after the caller's nesting check). */
const MAX_BLOCK_DEPTH = 200;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const SQUOTE = 39;
const DQUOTE = 34;

/** Characters that may not start a plain scalar here (flow, anchors, tags, block scalars, reserved). */
const BAD_START = new Set(['[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`', ',', '#', '?', ':']);

export function parseBlockSubset(text: string): Document.Parsed | undefined {
  if (text.length === 0 || text.includes('\t') || text.includes('\r')) return undefined;
  try {
    return new BlockSubsetParser(text).parse();
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

/**
 * Node factories. `yaml`'s node constructors call Object.defineProperty for
 * every node, the largest single cost of building a tree. `yaml` identifies
 * nodes by a registered symbol read through the prototype chain
 * (identity.js: node[Symbol.for('yaml.node.type')]), so nodes made from a
 * prototype that carries that symbol are the same to it. Checked at load:
 * should a `yaml` version identify nodes differently, the constructors are used.
 */
const NODE_TYPE = Symbol.for('yaml.node.type');
const SHARED_SCHEMA = new Document(undefined, { version: '1.1' }).schema;
function protoWithType<T extends object>(proto: T, type: string, extra: PropertyDescriptorMap = {}): T {
  return Object.create(proto, { [NODE_TYPE]: { value: Symbol.for(type) }, ...extra }) as T;
}
const SCALAR_PROTO = protoWithType(Scalar.prototype, 'yaml.scalar');
const PAIR_PROTO = protoWithType(Pair.prototype, 'yaml.pair');
const COLLECTION_EXTRA = { schema: { value: SHARED_SCHEMA, writable: true, configurable: true, enumerable: false } };
const MAP_PROTO = protoWithType(YAMLMap.prototype, 'yaml.map', COLLECTION_EXTRA);
const SEQ_PROTO = protoWithType(YAMLSeq.prototype, 'yaml.seq', COLLECTION_EXTRA);

function fastScalar(value: unknown): Scalar {
  const s = Object.create(SCALAR_PROTO) as Scalar;
  s.value = value;
  return s;
}
function fastPair(key: Node, value: Node): Pair {
  const p = Object.create(PAIR_PROTO) as Pair;
  p.key = key;
  p.value = value;
  return p;
}
function fastMap(): YAMLMap {
  const m = Object.create(MAP_PROTO) as YAMLMap;
  m.items = [];
  return m;
}
function fastSeq(): YAMLSeq {
  const q = Object.create(SEQ_PROTO) as YAMLSeq;
  q.items = [];
  return q;
}
export const FACTORIES_WORK = (() => {
  try {
    const pair = fastPair(fastScalar('k'), fastScalar(1));
    const m = fastMap();
    m.items.push(pair);
    const q = fastSeq();
    q.items.push(m);
    return isScalar(pair.key) && isPair(pair) && isMap(m) && isSeq(q) && m instanceof YAMLMap && JSON.stringify(q.toJSON()) === '[{"k":1}]';
  } catch {
    return false;
  }
})();
const newScalar = FACTORIES_WORK ? fastScalar : (v: unknown) => new Scalar(v);
const newPair = FACTORIES_WORK ? fastPair : (k: Node, v: Node) => new Pair(k, v);
const newMap = FACTORIES_WORK ? fastMap : () => new YAMLMap(SHARED_SCHEMA);
const newSeq = FACTORIES_WORK ? fastSeq : () => new YAMLSeq(SHARED_SCHEMA);

/**
 * In the YAML 1.1 schema every tag test is anchored at the start and can only
 * match text starting with one of these characters (or the empty string, for
 * null); any other plain scalar is a string. Used only while `yaml`'s tag
 * tests are exactly the ones this was derived from.
 */
const MAY_NOT_BE_STRING = new Set('~.<+-0123456789yYnNtTfFoO');
const TAG_TESTS_FINGERPRINT =
  '/^(?:~|[Nn]ull|NULL)?$/|/^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/|/^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/|/^[-+]?0b[0-1_]+$/|/^[-+]?0[0-7_]+$/|/^[-+]?[0-9][0-9_]*$/|/^[-+]?0x[0-9a-fA-F_]+$/|/^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/|/^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$/|/^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$/|/^<<$/|/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/|/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$/|/^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/';
export const PREFILTER_VALID =
  (SHARED_SCHEMA as unknown as { tags: ScalarTagLike[] }).tags
    .filter((t) => t.test)
    .map((t) => String(t.test))
    .join('|') === TAG_TESTS_FINGERPRINT;

/**
 * Memo of tag choices by source text. The tags are those of the YAML 1.1
 * schema: every document gets the same stateless tag objects.
 */
const keyTagCache = new Map<string, ScalarTagLike | null>();
const valueTagCache = new Map<string, ScalarTagLike | null>();

/**
 * Line tables, reused from one parse to the next (parsing is synchronous and
 * never re-entered), so that a file of thousands of documents does not
 * allocate four arrays per document.
 */
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let indents = new Int32Array(1024);
/** 1 when the line has something other than spaces and a comment. */
let content = new Uint8Array(1024);

function ensureLineCapacity(n: number): void {
  if (n <= starts.length) return;
  const size = Math.max(n, starts.length * 2);
  // Keep the lines already read: growing happens in the middle of a document.
  const grow = <T extends Int32Array | Uint8Array>(old: T, fresh: T): T => (fresh.set(old), fresh);
  starts = grow(starts, new Int32Array(size));
  ends = grow(ends, new Int32Array(size));
  indents = grow(indents, new Int32Array(size));
  content = grow(content, new Uint8Array(size));
}

class BlockSubsetParser {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  private readonly content: Uint8Array;
  private readonly n: number;
  private line = 0;
  private readonly doc: Document;
  private readonly tags: ScalarTagLike[];
  private readonly options: unknown;

  constructor(private readonly text: string) {
    let start = 0;
    let n = 0;
    const len = text.length;
    while (start <= len) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = len;
      let i = start;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      ensureLineCapacity(n + 1);
      starts[n] = start;
      ends[n] = end;
      indents[n] = i - start;
      content[n] = i < end && text.charCodeAt(i) !== HASH ? 1 : 0;
      n++;
      if (end === len) break;
      start = end + 1;
    }
    this.starts = starts;
    this.ends = ends;
    this.indents = indents;
    this.content = content;
    this.n = n;
    // `yaml` folds a comment line that is indented deeper than the content after
    // it into the preceding node's range; leave such documents to it.
    let nextIndent = 0;
    for (let l = this.n - 1; l >= 0; l--) {
      if (this.content[l]) nextIndent = this.indents[l];
      else if (this.indents[l] < this.ends[l] - this.starts[l] && this.indents[l] > nextIndent) bail();
    }
    this.doc = new Document(undefined, { version: '1.1' });
    this.tags = (this.doc.schema as unknown as { tags: ScalarTagLike[] }).tags.filter((t) => !t.collection);
    this.options = this.doc.options;
  }

  parse(): Document.Parsed {
    let i = this.nextContent(0);
    // `yaml` starts the document's range at the line of its first token (`---` or content).
    const docRangeStart = i < this.n ? this.starts[i] : 0;
    let docStart = false;
    if (i < this.n) {
      const s = this.starts[i];
      const t = this.text;
      if (t.charCodeAt(s) === 37 /* % */) bail();
      if (this.indents[i] === 0 && t.startsWith('---', s)) {
        const after = s + 3;
        if (after < this.ends[i] && t.charCodeAt(after) !== SPACE) bail();
        if (this.restIsBlankOrComment(after, this.ends[i]) === false) bail();
        docStart = true;
        i = this.nextContent(i + 1);
      }
    }
    if (i >= this.n) bail(); // empty documents are cheap for the full parser
    const root = this.parseBlockAt(i, this.indents[i]);
    if (this.nextContent(this.line) < this.n) bail();
    const doc = this.doc;
    doc.contents = root as never;
    if (docStart) doc.directives!.docStart = true;
    const end = root.range![2];
    (doc as unknown as { range: [number, number, number] }).range = [docRangeStart, end, this.text.length];
    return doc as Document.Parsed;
  }

  private nextContent(i: number): number {
    while (i < this.n && !this.content[i]) i++;
    return i;
  }

  /** Undefined-safe: true when [from, to) is spaces and maybe a comment (preceded by a space). */
  private restIsBlankOrComment(from: number, to: number): boolean {
    let i = from;
    while (i < to && this.text.charCodeAt(i) === SPACE) i++;
    if (i === to) return true;
    return this.text.charCodeAt(i) === HASH && i > from;
  }

  private isDashAt(line: number, indent: number): boolean {
    const p = this.starts[line] + indent;
    if (this.text.charCodeAt(p) !== DASH) return false;
    return p + 1 === this.ends[line] || this.text.charCodeAt(p + 1) === SPACE;
  }

  private depth = 0;

  private parseBlockAt(line: number, indent: number): YAMLMap | YAMLSeq {
    if (++this.depth > MAX_BLOCK_DEPTH) bail(); // the caller's depth check reports it
    const node = this.isDashAt(line, indent) ? this.parseSeq(line, indent) : this.parseMap(line, indent, this.starts[line] + indent);
    this.depth--;
    return node;
  }

  private parseMap(line: number, indent: number, firstKeyStart: number): YAMLMap {
    const map = newMap();
    const seen = new Set<unknown>();
    let keyStart = firstKeyStart;
    let last: Node | undefined;
    for (;;) {
      const pair = this.parsePair(line, keyStart, indent);
      const kv = (pair.key as Scalar).value;
      if (typeof kv !== 'object' || kv === null) {
        if (seen.has(kv)) bail(); // duplicate key: the full parser reports it
        seen.add(kv);
      }
      map.items.push(pair);
      last = pair.value as Node;
      const next = this.nextContent(this.line);
      if (next >= this.n) break;
      const ind = this.indents[next];
      if (ind === indent && !this.isDashAt(next, indent)) {
        line = next;
        keyStart = this.starts[next] + indent;
        continue;
      }
      if (ind > indent) bail();
      break;
    }
    const end = last!.range![2];
    map.range = [firstKeyStart, end, end];
    return map;
  }

  /** Parses `key: value` (value inline, nested below, or empty) starting at keyStart on `line`. */
  private parsePair(line: number, keyStart: number, indent: number): Pair {
    const t = this.text;
    const lineEnd = this.ends[line];
    let keyEnd: number;
    let keySource: string;
    let keyType: Scalar.Type;
    const c = t.charCodeAt(keyStart);
    if (c === SQUOTE || c === DQUOTE) {
      const q = this.quoted(keyStart, lineEnd);
      keyEnd = q.end;
      keySource = q.value;
      keyType = q.type;
      if (t.charCodeAt(keyEnd) !== COLON) bail();
    } else {
      if (BAD_START.has(t[keyStart]) || c === DASH || c === SQUOTE || c === DQUOTE) bail();
      const colon = this.findKeyColon(keyStart, lineEnd);
      if (colon < 0) bail();
      if (t.charCodeAt(colon - 1) === SPACE) bail();
      keyEnd = colon;
      keySource = t.slice(keyStart, colon);
      keyType = 'PLAIN';
      if (keySource === '<<' || keySource.length > 1000) bail();
    }
    const key = this.scalar(keySource, keyType, true, [keyStart, keyEnd, keyEnd]);
    const colon = keyEnd;
    const afterColon = colon + 1;
    if (afterColon < lineEnd && t.charCodeAt(afterColon) !== SPACE) bail();
    let p = afterColon;
    while (p < lineEnd && t.charCodeAt(p) === SPACE) p++;
    if (p >= lineEnd || t.charCodeAt(p) === HASH) {
      const next = this.nextContent(line + 1);
      if (next < this.n && (this.indents[next] > indent || (this.indents[next] === indent && this.isDashAt(next, indent)))) {
        const value = this.indents[next] > indent ? this.parseBlockAt(next, this.indents[next]) : this.parseSeq(next, indent);
        return newPair(key, value);
      }
      // An empty value.
      const hasComment = p < lineEnd;
      const end = hasComment ? Math.min(lineEnd + 1, t.length) : p;
      const value = this.scalar('', 'PLAIN', false, [p, p, end]);
      this.line = line + 1;
      return newPair(key, value);
    }
    const value = this.inlineScalar(p, lineEnd);
    this.line = line + 1;
    const next = this.nextContent(this.line);
    if (next < this.n && this.indents[next] > indent) bail(); // a continuation line
    return newPair(key, value);
  }

  private parseSeq(line: number, indent: number): YAMLSeq {
    const t = this.text;
    const seq = newSeq();
    const start = this.starts[line] + indent;
    let last: Node | undefined;
    for (;;) {
      const lineStart = this.starts[line];
      const lineEnd = this.ends[line];
      let q = lineStart + indent + 1;
      while (q < lineEnd && t.charCodeAt(q) === SPACE) q++;
      if (q >= lineEnd || t.charCodeAt(q) === HASH) bail(); // empty item, or item on the next line
      if (t.charCodeAt(q) === DASH && (q + 1 === lineEnd || t.charCodeAt(q + 1) === SPACE)) bail(); // "- - x"
      let item: Node;
      if (this.startsKey(q, lineEnd)) {
        item = this.parseMap(line, q - lineStart, q);
      } else {
        item = this.inlineScalar(q, lineEnd);
        this.line = line + 1;
        const next = this.nextContent(this.line);
        if (next < this.n && this.indents[next] > indent) bail();
      }
      seq.items.push(item);
      last = item;
      const next = this.nextContent(this.line);
      if (next < this.n && this.indents[next] === indent && this.isDashAt(next, indent)) {
        line = next;
        continue;
      }
      if (next < this.n && this.indents[next] > indent) bail();
      // `yaml` folds comment lines at the sequence's indentation into its range.
      for (let l = this.line; l < next; l++) {
        if (this.indents[l] >= indent && this.indents[l] < this.ends[l] - this.starts[l]) bail();
      }
      break;
    }
    const end = last!.range![2];
    seq.range = [start, end, end];
    return seq;
  }

  /** True when a mapping key starts at p (a plain key followed by ": ", or a quoted one followed by ":"). */
  private startsKey(p: number, lineEnd: number): boolean {
    const c = this.text.charCodeAt(p);
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.closingQuote(p, lineEnd);
      return close > 0 && this.text.charCodeAt(close + 1) === COLON;
    }
    return this.findKeyColon(p, lineEnd) >= 0;
  }

  /** The ':' that ends a plain key (followed by a space or the line end), or -1. Stops at a comment. */
  private findKeyColon(p: number, lineEnd: number): number {
    const t = this.text;
    for (let i = p; i < lineEnd; i++) {
      const c = t.charCodeAt(i);
      if (c === COLON && (i + 1 === lineEnd || t.charCodeAt(i + 1) === SPACE)) return i;
      if (c === HASH && i > p && t.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** A scalar value that ends on its line: plain or quoted, then maybe a comment. */
  private inlineScalar(p: number, lineEnd: number): Scalar {
    const t = this.text;
    const rangeEnd = lineEnd < t.length ? lineEnd + 1 : lineEnd;
    const c = t.charCodeAt(p);
    if (c === SQUOTE || c === DQUOTE) {
      const q = this.quoted(p, lineEnd);
      if (!this.restIsBlankOrComment(q.end, lineEnd)) bail();
      return this.scalar(q.value, q.type, false, [p, q.end, rangeEnd]);
    }
    if (BAD_START.has(t[p])) bail();
    if (c === DASH && (p + 1 === lineEnd || t.charCodeAt(p + 1) === SPACE)) bail();
    let end = lineEnd;
    for (let i = p; i < lineEnd; i++) {
      const ch = t.charCodeAt(i);
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (ch === COLON && (i + 1 === lineEnd || t.charCodeAt(i + 1) === SPACE)) bail(); // "a: b: c"
    }
    while (end > p && t.charCodeAt(end - 1) === SPACE) end--;
    return this.scalar(t.slice(p, end), 'PLAIN', false, [p, end, rangeEnd]);
  }

  private closingQuote(p: number, lineEnd: number): number {
    const t = this.text;
    const quote = t.charCodeAt(p);
    for (let i = p + 1; i < lineEnd; i++) {
      const c = t.charCodeAt(i);
      if (quote === DQUOTE && c === 92 /* \ */) return -1; // escapes: the full parser handles them
      if (c === quote) {
        if (quote === SQUOTE && t.charCodeAt(i + 1) === SQUOTE) {
          i++;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  private quoted(p: number, lineEnd: number): { value: string; end: number; type: Scalar.Type } {
    const close = this.closingQuote(p, lineEnd);
    if (close < 0) bail();
    const raw = this.text.slice(p + 1, close);
    const single = this.text.charCodeAt(p) === SQUOTE;
    return { value: single ? raw.replace(/''/g, "'") : raw, end: close + 1, type: single ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE' };
  }

  /** The tag `yaml` picks for a plain scalar: the first default tag whose test matches (memoised). */
  private tagFor(source: string, atKey: boolean): ScalarTagLike | null {
    if (PREFILTER_VALID && source.length > 0 && !MAY_NOT_BE_STRING.has(source[0])) return null;
    const cache = atKey ? keyTagCache : valueTagCache;
    let tag = cache.get(source);
    if (tag === undefined) {
      tag = this.tags.find((tg) => (tg.default === true || (atKey && tg.default === 'key')) && tg.test?.test(source)) ?? null;
      if (cache.size > 20_000) cache.clear();
      cache.set(source, tag);
    }
    return tag;
  }

  /** A Scalar exactly as `yaml` composes it. */
  private scalar(source: string, type: Scalar.Type, atKey: boolean, range: [number, number, number]): Scalar {
    let node: Scalar;
    if (type === 'PLAIN') {
      const tag = this.tagFor(source, atKey);
      if (tag) {
        const res = tag.resolve(source, () => bail(), this.options);
        node = isScalar(res) ? res : newScalar(res); // YAML 1.1 booleans resolve to a Scalar
        if (tag.format) node.format = tag.format;
      } else node = newScalar(source);
    } else node = newScalar(source);
    node.range = range;
    node.source = source;
    node.type = type;
    return node;
  }
}
