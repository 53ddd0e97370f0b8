/**
 * One YAML document, parsed on its own with the `yaml` package. Positions are
 * relative to the document's own text so that a parse can be reused when the
 * document moves inside its file (lines inserted above it).
 */
import { parseDocument, visit, isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import { LineIndex, type Range } from '../core/position.js';
import { parseBlockSubset } from './block-subset-parser.js';
import type { ManifestRuleId } from './manifest-rules.js';

/**
 * Nesting deeper than this is refused. No manifest comes near it (a deep
 * cert-manager object has about 15 levels), and `yaml`'s recursive composer
 * overflows the stack at a few hundred levels of flow collections.
 */
const MAX_NESTING = 256;


/**
 * Documents go to the block-subset fast path first (5-7x faster than
 * `yaml` alone on manifests) unless CERTSMITH_YAML_FAST_PATH=off, which
 * test/bench/yaml-fast-path.bench.ts uses to measure the difference.
 */
let fastPath = typeof process === 'undefined' || process.env?.CERTSMITH_YAML_FAST_PATH !== 'off';

/** Turn the fast path on or off (the differential test compares both paths in one process); returns the previous setting. */
export function setYamlFastPath(on: boolean): boolean {
  const was = fastPath;
  fastPath = on;
  return was;
}

export interface YamlProblem {
  code: ManifestRuleId;
  message: string;
  /** Offsets in the document's text. */
  start: number;
  end: number;
  severity: 'error' | 'warning';
}

export class ParsedDocument {
  readonly yaml: Document.Parsed | undefined;
  readonly problems: YamlProblem[] = [];
  /** True when the document may use YAML 1.1 merge keys (`<<`); the fast parser never accepts them. */
  readonly hasMergeKeys: boolean = false;
  private lineIndex: LineIndex | undefined;

  /** Line positions of the document's text (built on first use: most documents never need them). */
  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  constructor(readonly text: string) {
    const fast = fastPath ? parseBlockSubset(text) : undefined;
    if (fast) {
      this.yaml = fast;
      return;
    }
    const depth = maxFlowOrBlockDepth(text);
    if (depth > MAX_NESTING) {
      this.problems.push({
        code: 'yaml-too-deep',
        message: `YAML nesting is deeper than ${MAX_NESTING} levels; no Kubernetes object needs that, and the document is not checked further.`,
        start: 0,
        end: Math.min(text.length, firstLineEnd(text)),
        severity: 'error',
      });
      return;
    }
    let doc: Document.Parsed;
    try {
      doc = parseDocument(text, {
        version: '1.1', // Kubernetes reads YAML as YAML 1.1: `yes`, `on` and `off` are booleans.
        prettyErrors: false,
        uniqueKeys: true,
        keepSourceTokens: false,
        strict: true,
      });
    } catch (e) {
      this.problems.push({
        code: 'yaml-syntax',
        message: `This YAML document cannot be read: ${(e as Error).message}`,
        start: 0,
        end: firstLineEnd(text),
        severity: 'error',
      });
      return;
    }
    this.yaml = doc;
    this.hasMergeKeys = text.includes('<<');
    for (const err of doc.errors) {
      const overflow = /call stack/i.test(err.message);
      const unclosed = !overflow && /quote|flow (sequence|mapping|collection)/i.test(err.message) ? unclosedNodeEndingAt(doc, err.pos[0]) : undefined;
      if (unclosed) {
        // Report where the string or bracket opens, not where the parser gave up.
        const start = unclosed.range![0];
        const lineEnd = text.indexOf('\n', start);
        const what = isScalar(unclosed)
          ? `This ${unclosed.type === 'QUOTE_SINGLE' ? "single-quoted (')" : 'double-quoted (")'} string is never closed, so it runs on over the lines after it. Add the closing ${unclosed.type === 'QUOTE_SINGLE' ? "'" : '"'}.`
          : `This ${isSeq(unclosed) ? '[ list' : '{ mapping'} is never closed. Add the closing ${isSeq(unclosed) ? ']' : '}'} (and indent continuation lines more than the key).`;
        this.problems.push({ code: 'yaml-syntax', message: what, start, end: lineEnd === -1 ? text.length : lineEnd, severity: 'error' });
        continue;
      }
      this.problems.push({
        code: overflow ? 'yaml-too-deep' : yamlErrorCode(err.code),
        message: overflow
          ? 'This document is nested too deeply to read; no Kubernetes object needs that.'
          : yamlErrorMessage(err.code, err.message),
        start: err.pos[0],
        end: Math.max(err.pos[1], err.pos[0] + 1),
        severity: 'error',
      });
    }
    if (text.includes('*')) {
      // An alias to an anchor that does not exist: most often an unquoted wildcard name.
      visit(doc, {
        Alias: (_key, node) => {
          if (node.resolve(doc) !== undefined || !node.range) return;
          const wildcard = node.source.startsWith('.');
          this.problems.push({
            code: 'yaml-syntax',
            message: wildcard
              ? `*${node.source} must be quoted ("*${node.source}"): an unquoted * starts a YAML alias, and there is no anchor "${node.source}". Kubernetes rejects the file.`
              : `The alias *${node.source} refers to no anchor &${node.source} before it. Kubernetes rejects the file.`,
            start: node.range[0],
            end: node.range[1],
            severity: 'error',
          });
        },
      });
      const expanded = aliasExpansion(doc);
      if (expanded.excessive) {
        const r = expanded.firstAlias?.range;
        this.problems.push({
          code: 'yaml-alias-limit',
          message: `Aliases make this document expand to ${expanded.size >= 1e9 ? 'more than a billion' : expanded.size.toLocaleString('en')} nodes, almost all of them copies (a "billion laughs" YAML bomb?). kubectl and the API server reject such excessive aliasing.`,
          start: r ? r[0] : 0,
          end: r ? r[1] : firstLineEnd(text),
          severity: 'error',
        });
      }
    }
    for (const w of doc.warnings) {
      this.problems.push({
        code: 'yaml-syntax',
        message: w.message,
        start: w.pos[0],
        end: Math.max(w.pos[1], w.pos[0] + 1),
        severity: 'warning',
      });
    }
  }

  /** The root node, or undefined for an empty or unreadable document. */
  get root(): ParsedNode | undefined {
    return (this.yaml?.contents as ParsedNode | null | undefined) ?? undefined;
  }

  rangeOf(node: Node | undefined): Range {
    const r = node?.range;
    if (!r) return this.lines.rangeOf(0, 0);
    return this.lines.rangeOf(r[0], r[1]);
  }

  /** Follow an alias to the node it names. */
  resolve(node: unknown): Node | undefined {
    if (isAlias(node)) {
      const target = this.yaml ? node.resolve(this.yaml) : undefined;
      return (target as Node | undefined) ?? undefined;
    }
    return (node as Node | null) ?? undefined;
  }
}

/** The string form of a mapping key as Kubernetes sees it (the key's source text). */
export function keyString(key: unknown): string {
  if (isScalar(key)) {
    if (typeof key.value === 'string') return key.value;
    return key.source ?? String(key.value);
  }
  if (key == null) return '';
  return String(key);
}

/** True for a YAML 1.1 merge key (`<<: *base`), which Kubernetes' YAML reader applies. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.type === 'PLAIN' && key.source === '<<'));
}

/**
 * The pairs of a mapping once its merge keys are applied, as Kubernetes reads
 * it: explicit keys first, then keys from the merged mappings that are not
 * already there (earlier sources win over later ones).
 */
export function mergedPairs(doc: ParsedDocument, map: YAMLMap, depth = 0): Pair[] {
  const items = map.items as Pair[];
  if (depth > 32 || !items.some((p) => isMergeKey(p.key))) return items;
  const out = items.filter((p) => !isMergeKey(p.key));
  const seen = new Set(out.map((p) => keyString(p.key)));
  for (const p of items) {
    if (!isMergeKey(p.key)) continue;
    const v = doc.resolve(p.value);
    const sources = isSeq(v) ? v.items.map((i) => doc.resolve(i)) : [v];
    for (const src of sources) {
      if (!isMap(src)) continue;
      for (const sp of mergedPairs(doc, src, depth + 1)) {
        const k = keyString(sp.key);
        if (!seen.has(k)) {
          seen.add(k);
          out.push(sp);
        }
      }
    }
  }
  return out;
}

/** Find the pair of `key` in a map node (with merge keys applied when a document is given). */
export function mapGetPair(map: unknown, key: string, doc?: ParsedDocument): Pair | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) if (keyString(item.key) === key) return item as Pair;
  if (doc?.hasMergeKeys) return mergedPairs(doc, map).find((p) => keyString(p.key) === key);
  return undefined;
}

/** Find the value node of `key` in a map node (with merge keys applied when a document is given). */
export function mapGet(map: unknown, key: string, doc?: ParsedDocument): Node | undefined {
  return (mapGetPair(map, key, doc)?.value as Node | null | undefined) ?? undefined;
}

export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (v == null) return undefined;
  return node.source ?? String(v);
}

/** The quoted scalar or flow collection that a "not closed" error at `offset` is about. */
function unclosedNodeEndingAt(doc: Document.Parsed, offset: number): Node | undefined {
  let found: Node | undefined;
  visit(doc, (_key, node) => {
    if (found) return visit.BREAK;
    const n = node as Node;
    if (!n?.range || n.range[1] !== offset) return undefined;
    if ((isScalar(n) && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE')) || ((isMap(n) || isSeq(n)) && n.flow)) {
      found = n;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

/**
 * How many nodes the document has once every alias is replaced by what it
 * names (as kubectl's YAML-to-JSON conversion does), counted without
 * expanding anything: each anchored node's size is computed once. Whether
 * that is "excessive aliasing" is decided as go-yaml decides it (kubectl and
 * the API server decode YAML with it): more than 100 nodes came from aliases,
 * more than 1,000 in all, and the aliased share is above 99 % (falling to
 * 10 % between 400,000 and 4,000,000 nodes). go-yaml checks as it goes; the
 * share peaks at the end of an alias, so it is checked there. A large
 * document with a few anchors (a CRD) is fine.
 */
function aliasExpansion(doc: Document.Parsed): { size: number; excessive: boolean; firstAlias?: Node } {
  const memo = new Map<unknown, number>();
  let firstAlias: Node | undefined;
  const CAP = 1e9;
  /** Nodes decoded for this node, counting each alias node once besides what it names. */
  const size = (node: unknown, depth: number): number => {
    if (depth > MAX_NESTING * 2) return CAP;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 1;
      const known = memo.get(target);
      if (known !== undefined) return Math.min(1 + known, CAP);
      memo.set(target, CAP); // a cycle expands forever
      const s = size(target, depth + 1);
      memo.set(target, s);
      return Math.min(1 + s, CAP);
    }
    const known = memo.get(node);
    if (known !== undefined && known !== CAP) return known;
    let n = 1;
    if (isMap(node)) {
      for (const p of node.items) n += size(p.key, depth + 1) + size(p.value, depth + 1);
    } else if (isSeq(node)) {
      for (const it of node.items) n += size(it, depth + 1);
    }
    n = Math.min(n, CAP);
    memo.set(node, n);
    return n;
  };
  let decoded = 1; // the document node
  let aliased = 0;
  let excessive = false;
  const check = () => {
    const allowed = decoded <= 400_000 ? 0.99 : decoded >= 4_000_000 ? 0.1 : 0.99 - (0.89 * (decoded - 400_000)) / 3_600_000;
    if (aliased > 100 && decoded > 1000 && aliased / decoded > allowed) excessive = true;
  };
  // The document in go-yaml's decoding order, each alias taken whole from the memo.
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_NESTING * 2) return;
    decoded++;
    if (isAlias(node)) {
      firstAlias ??= node;
      const target = node.resolve(doc);
      if (!target) return;
      const s = size(target, depth + 1);
      decoded += s;
      aliased += s;
      check();
    } else if (isMap(node)) {
      for (const p of node.items) {
        walk(p.key, depth + 1);
        walk(p.value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const it of node.items) walk(it, depth + 1);
    }
  };
  walk(doc.contents, 0);
  check();
  return { size: Math.min(decoded, CAP), excessive, firstAlias };
}

function firstLineEnd(text: string): number {
  const i = text.indexOf('\n');
  return i === -1 ? text.length : i;
}

/**
 * An upper bound of the nesting depth, by indentation and flow brackets, read
 * without parsing: the parser and every walk over the tree recurse, so a
 * hostile document must be stopped before them. Quoted scalars and comments
 * are skipped (a quote opens a scalar only where a value can start).
 */
function maxFlowOrBlockDepth(text: string): number {
  let flow = 0;
  let maxFlow = 0;
  let maxIndent = 0;
  let atLineStart = true;
  let indent = 0;
  /** The last character that was not a space on this line (or at a line start). */
  let prev = 10;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      indent = 0;
      prev = 10;
      continue;
    }
    if (atLineStart) {
      if (c === 32 || c === 45 /* - */) {
        indent++;
        if (c === 45) prev = 45;
        continue;
      }
      atLineStart = false;
      if (indent > maxIndent) maxIndent = indent;
    }
    if (c === 32 || c === 9) continue;
    if (c === 35 /* # */ && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9 || prev === 10)) {
      const nl = text.indexOf('\n', i);
      i = (nl === -1 ? text.length : nl) - 1;
      continue;
    }
    // A quote opens a scalar after ":", "-", "[", "{", "," or at the start of a line.
    if ((c === 34 || c === 39) && (prev === 58 || prev === 45 || prev === 91 || prev === 123 || prev === 44 || prev === 10)) {
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (c === 34 && d === 92) {
          j++;
          continue;
        }
        if (d === c) {
          if (c === 39 && text.charCodeAt(j + 1) === 39) {
            j++;
            continue;
          }
          break;
        }
      }
      i = j;
      prev = c;
      continue;
    }
    if (c === 91 || c === 123) {
      flow++;
      if (flow > maxFlow) maxFlow = flow;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
    prev = c;
  }
  // Two columns of indentation per level is the densest block nesting.
  return Math.max(maxFlow, Math.floor(maxIndent / 2));
}

function yamlErrorCode(code: string): ManifestRuleId {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'yaml-duplicate-key';
    case 'TAB_AS_INDENT':
      return 'yaml-tab-indentation';
    default:
      return 'yaml-syntax';
  }
}

function yamlErrorMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'Duplicate key: Kubernetes rejects a mapping with the same key twice (strict decoding). Remove one of them.';
    case 'TAB_AS_INDENT':
      return 'Tab used for indentation: YAML allows only spaces. Replace the tab with spaces.';
    case 'MISSING_CHAR':
      return `${first}.`;
    case 'BAD_INDENT':
      return `${first}. Check that this line lines up with its siblings.`;
    default:
      return first;
  }
}

;
