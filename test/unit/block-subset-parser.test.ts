/**
 * Pins the YAML fast path (engine/manifests/block-subset-parser.ts) to what it
 * depends on. It rebuilds `yaml`'s trees by hand, so it is only right for the
 * `yaml` release it was compared with: these tests check that release is the
 * one installed, that `yaml`'s internals it leans on are unchanged, and that
 * for a corpus of inputs (the examples, the fixtures, edge cases, generated
 * documents and mutations of them) ParsedDocument gives exactly the same tree,
 * source ranges, values and problems with the fast path on as with `yaml`'s
 * parser alone, and the checks exactly the same diagnostics and objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, isPair, visit } from 'yaml';
import { parseBlockSubset, FACTORIES_WORK, PREFILTER_VALID, VALIDATED_YAML_VERSION } from '../../engine/manifests/block-subset-parser.js';
import { isMergeKey, ParsedDocument, setYamlFastPath } from '../../engine/manifests/parsed-document.js';
import { splitDocuments } from '../../engine/manifests/segments.js';
import { checkDocument } from '../../engine/rules/check-document.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { generateCertificates } from '../bench/generate-certificates.js';
import { ROOT } from '../support/cli.js';

/** Runs fn with the fast path on, then off (ParsedDocument's own full-parser path, with its options). */
function bothPaths<T>(fn: () => T): { fast: T; full: T } {
  const was = setYamlFastPath(true);
  try {
    const fast = fn();
    setYamlFastPath(false);
    return { fast, full: fn() };
  } finally {
    setYamlFastPath(was);
  }
}

function describeTree(node: unknown, out: string[], path: string): void {
  if (isMap(node)) {
    out.push(`${path} map ${JSON.stringify(node.range)}`);
    node.items.forEach((p, i) => {
      assert.ok(isPair(p));
      describeTree(p.key, out, `${path}.k${i}`);
      describeTree(p.value, out, `${path}.v${i}`);
    });
  } else if (isSeq(node)) {
    out.push(`${path} seq ${JSON.stringify(node.range)}`);
    node.items.forEach((it, i) => describeTree(it, out, `${path}[${i}]`));
  } else if (isScalar(node)) {
    const v = node.value instanceof Date ? `Date(${node.value.toISOString()})` : `${typeof node.value}:${JSON.stringify(node.value)}`;
    out.push(`${path} scalar ${v} type=${node.type} format=${node.format ?? ''} source=${JSON.stringify(node.source)} ${JSON.stringify(node.range)}`);
  } else {
    out.push(`${path} other ${String(node)}`);
  }
}

function hasMergeKey(doc: ParsedDocument): boolean {
  let found = false;
  if (doc.yaml) visit(doc.yaml, { Pair: (_k, p) => void (found ||= isMergeKey(p.key)) });
  return found;
}

/**
 * Parses text with the fast path on and off and checks both give the same
 * document; returns true when the fast parser accepted the text (otherwise
 * both went through `yaml` and there is nothing to compare).
 */
function compare(text: string, label: string): boolean {
  if (!parseBlockSubset(text)) return false;
  const { fast, full } = bothPaths(() => new ParsedDocument(text));
  assert.ok(fast.yaml && full.yaml, `${label}: no document`);
  assert.deepEqual(full.yaml.errors.map((e) => e.code), [], `${label}: the fast parser accepted a document yaml rejects:\n${text}`);
  assert.deepEqual(full.yaml.warnings.map((e) => e.code), [], `${label}: yaml warns about a document the fast parser accepted:\n${text}`);
  assert.deepEqual(fast.problems, full.problems, `${label}: problems differ`);
  const a: string[] = [];
  const b: string[] = [];
  describeTree(fast.root, a, '$');
  describeTree(full.root, b, '$');
  assert.deepEqual(a, b, `${label}: trees differ for:\n${text}`);
  assert.deepEqual(fast.yaml.range, full.yaml.range, `${label}: document ranges differ`);
  assert.equal(Boolean(fast.yaml.directives?.docStart), Boolean(full.yaml.directives?.docStart), `${label}: "---" seen differently`);
  assert.deepEqual(fast.yaml.toJS({ maxAliasCount: 100, mapAsMap: true }), full.yaml.toJS({ maxAliasCount: 100, mapAsMap: true }), `${label}: values differ`);
  // The fast path reports no merge keys; yaml must find none either.
  assert.equal(fast.hasMergeKeys, false);
  assert.equal(hasMergeKey(full), false, `${label}: the fast parser accepted a merge key`);
  return true;
}

const store = schemaStore();

/** What a user sees of a document: diagnostics and the objects found, with the fast path on and off. */
function compareChecks(text: string, label: string): void {
  const { fast, full } = bothPaths(() => checkDocument(text, store, false));
  assert.deepEqual(fast.diagnostics, full.diagnostics, `${label}: diagnostics differ`);
  assert.deepEqual(fast.objects, full.objects, `${label}: objects differ`);
  assert.equal(fast.hasSyntaxProblems, full.hasSyntaxProblems, `${label}: syntax verdict differs`);
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Every document of examples/ and test/fixtures/, and of a small LSP-benchmark file. */
function corpus(): { text: string; label: string }[] {
  const out: { text: string; label: string }[] = [];
  for (const dir of ['test/fixtures', 'examples']) {
    for (const f of yamlFiles(join(ROOT, dir))) {
      for (const seg of splitDocuments(readFileSync(f, 'utf8'))) out.push({ text: seg.text, label: `${f}:${seg.line + 1}` });
    }
  }
  const bench = generateCertificates({ docs: 12, enumErrorDoc: 10, toggleDoc: 4, completionDoc: 11 });
  for (const seg of splitDocuments(bench.text)) out.push({ text: seg.text, label: `generated certificates:${seg.line + 1}` });
  return out;
}

const deep = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';

/** Inputs at the edges of the subset: the first group the fast parser takes, the second it must leave to yaml. */
const EDGE_ACCEPTED = [
  'apiVersion: v1\nkind: ConfigMap\n',
  '---\napiVersion: v1\n',
  '--- # start\na: 1\n',
  '# header\n---\na: 1\n',
  'a: 1',
  'a: 1\n\n\n',
  // Longer than any document before it, so the line tables grow in the middle of it (they once lost the lines read so far).
  `apiVersion: v1\nkind: ConfigMap\ndata:\n${Array.from({ length: 5_000 }, (_, i) => `  k${i}: v\n`).join('')}`,
  'a:\n  b:\n    c: d\n',
  'a:\n- x\n- y\n',
  'a:\n  - x\n  - y\n',
  'a:\n  - b: 1\n    c: 2\n  - d: 3\n',
  'a: # comment\n  b: 1\n',
  'a:   \nb: 1\n',
  'a:\nb: 2\n',
  'a: # only a comment\nb: 2\n',
  "'quoted key': 1\n\"dq key\": 2\n",
  "a: 'it''s'\n",
  'a: "x" # c\n',
  'a: b#c\nd: e #f\n',
  'a: http://x:80/y\n',
  'a: <<x\nb: x<<y\n',
  'on: yes\noff: no\nkey: y\nother: N\n',
  'a: 2024-01-02\nb: 2024-01-02T03:04:05Z\n',
  'a: 0x1F\nb: 0777\nc: 1_000\nd: 1:20\ne: .inf\n',
  'a: ñandú 日本 🎉\n',
  'a:\n  - x\n# a comment at column 0\nb: 1\n',
  '- a\n- b\n',
  '- a: 1\n  b: 2\n- c\n',
  'a:\n    b: 1\n',
  'key with spaces: value with spaces\n',
  'a: "*.example.com"\n',
  'dnsNames:\n  - "*.example.com"\n  - example.com\n',
  deep(150),
];
const EDGE_REFUSED = [
  '',
  '# only a comment\n',
  '---\n',
  'a: 1\na: 2\n',
  'on: 1\ny: 2\n', // both keys are the boolean true: a duplicate
  'a:\n\tb: 1\n',
  'a: 1\r\nb: 2\r\n',
  'a: [1, 2]\n',
  'a: {b: 1}\n',
  'selfSigned: {}\n',
  'a: |\n  text\n',
  'a: >-\n  folded\n',
  'a: &x 1\nb: *x\n',
  'a: *.example.com\n',
  'a: !!str 1\n',
  'a: b: c\n',
  'a: "unclosed\n',
  'a: "esc\\n"\n',
  'a: plain\n  continued\n',
  '%YAML 1.1\n---\na: 1\n',
  'a:\n  b: 1\n c: 2\n',
  '? complex\n: value\n',
  'base: &b\n  x: 1\nm:\n  <<: *b\n',
  'a:1\n',
  '- - a\n',
  '-\n  a: 1\n',
  'a:\n  b: 1\n    # a deeper comment\nc: 2\n',
  'a:\n  b: 1\n  # a comment at the child indentation\nc: 2\n',
  'a:\n  - x\n  # a comment at the sequence indentation\nb: 1\n',
  deep(210),
];

test('the installed yaml is the release the fast path was validated against', () => {
  const installed = (createRequire(join(ROOT, 'package.json'))('yaml/package.json') as { version: string }).version;
  assert.equal(
    installed,
    VALIDATED_YAML_VERSION,
    `yaml ${installed} is installed, but the YAML fast path (engine/manifests/block-subset-parser.ts) was validated against yaml ${VALIDATED_YAML_VERSION}. ` +
      'Re-run the comparison: `npm run bench:yaml` (keep the fast path only while it is still at least 1.5x faster, parsing and `certsmith lint` of the GitOps tree) ' +
      `and this test file; when both are good, set VALIDATED_YAML_VERSION to '${installed}'.`,
  );
});

test('the fast path is in effect (yaml identity and tag tests are what it was built for)', () => {
  assert.equal(FACTORIES_WORK, true, 'yaml no longer identifies nodes by Symbol.for("yaml.node.type") on the prototype');
  assert.equal(PREFILTER_VALID, true, "yaml's YAML 1.1 tag tests changed");
  assert.ok(parseBlockSubset('a: 1\n'), 'the fast parser refuses the simplest document');
});

test('every document of the examples, the fixtures and a benchmark file: same tree, ranges and problems on both paths', () => {
  let accepted = 0;
  const docs = corpus();
  for (const { text, label } of docs) if (compare(text, label)) accepted++;
  assert.ok(docs.length > 20, `only ${docs.length} documents found`);
  // The corpus is mostly block style: most of it must really go through the fast path.
  assert.ok(accepted > docs.length / 2, `the fast parser accepted only ${accepted} of ${docs.length} documents`);
});

test('every document of the examples, the fixtures and a benchmark file: same diagnostics and objects on both paths', () => {
  for (const { text, label } of corpus()) compareChecks(text, label);
});

test('edge cases: the fast parser takes the first group exactly as yaml reads it, and leaves the second to yaml', () => {
  for (const [i, text] of EDGE_ACCEPTED.entries()) {
    assert.ok(compare(text, `accepted edge case #${i}`), `edge case #${i} should be taken by the fast parser:\n${text}`);
    compareChecks(text, `accepted edge case #${i}`);
  }
  for (const [i, text] of EDGE_REFUSED.entries()) {
    assert.equal(parseBlockSubset(text), undefined, `edge case #${i} should be left to yaml:\n${JSON.stringify(text)}`);
    compareChecks(text, `refused edge case #${i}`);
  }
});

const SCALARS = [
  'plain', 'yes', 'Yes', 'YES', 'y', 'Y', 'n', 'N', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'false',
  'null', 'Null', 'NULL', '~', '0', '1', '-1', '+1', '007', '0777', '08', '0x1F', '0xfg', '0b101', '0b102', '1_000', '1e3', '1.5', '.5', '5.',
  '1.5e-3', '-.inf', '.inf', '.NaN', '.nan', '190:20:30', '1:60', '2024-01-02', '2024-01-02T03:04:05Z', '2024-1-2 3:04:05.5 +01:00',
  '2024-01-02x', 'RSA', 'ECDSA', 'server auth', 'example.com', '*.example.com', 'a:b', 'http://x:80/y', 'a#b', 'a,b', 'x]', 'x}', 'a@b',
  '-a', '+a', '.a', '<a', '<<x', 'oN', 'tRUE', 'nULL', 'ñandú', '日本', 'emoji 🎉', "it's", '"', 'a "quoted" word', '2160h', '360h', '1h30m',
  '10.0.0.1', '::1', '2001:db8::1', 'cert-manager.io/v1', 'v1', '1.10', '1.0', '-0', '+0', '0o17', '1__2', '_1',
];

test('scalars of every kind resolve exactly as yaml resolves them', () => {
  for (const s of SCALARS) {
    for (const text of [`key: ${s}\n`, `- ${s}\n`, `${s}: x\n`, `key: '${s.replace(/'/g, "''")}'\n`, `key: "${s.replace(/"/g, '')}"\n`, `k:\n  - ${s} # c\n  - x\n`]) {
      compare(text, JSON.stringify(s));
    }
  }
});

/** A small seeded generator of block-style documents, and of mutations of them. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function generate(r: () => number, depth: number, indent: number, lines: string[], seqStyle: boolean): void {
  const keys = 1 + Math.floor(r() * 4);
  const pad = ' '.repeat(indent);
  for (let k = 0; k < keys; k++) {
    const suffix = r() < 0.5 ? String(k) : '';
    const key = ['name', 'spec', 'kind', 'dnsNames', 'a', 'on', 'yes', '1', `'q k${suffix}'`, `"dq${suffix}"`, 'x-y.z/w'][Math.floor(r() * 11)] + (r() < 0.5 ? suffix : '');
    const roll = r();
    if (depth > 0 && roll < 0.3) {
      lines.push(`${pad}${key}:${r() < 0.2 ? ' # note' : ''}`);
      generate(r, depth - 1, indent + 2, lines, seqStyle);
    } else if (depth > 0 && roll < 0.5) {
      lines.push(`${pad}${key}:`);
      const inner = seqStyle && r() < 0.5 ? indent : indent + 2;
      const n = 1 + Math.floor(r() * 3);
      for (let i = 0; i < n; i++) {
        if (r() < 0.4) {
          lines.push(`${' '.repeat(inner)}- ${SCALARS[Math.floor(r() * SCALARS.length)]}`.replace(/ #.*/, ''));
        } else {
          lines.push(`${' '.repeat(inner)}- item${i}: ${SCALARS[Math.floor(r() * SCALARS.length)]}`.replace(/ #.*/, ''));
          if (r() < 0.5) lines.push(`${' '.repeat(inner + 2)}other: v${i}`);
        }
        if (r() < 0.15) lines.push('');
        if (r() < 0.1) lines.push(`${' '.repeat(r() < 0.5 ? inner : Math.floor(r() * 6))}# a comment`);
      }
    } else {
      const v = SCALARS[Math.floor(r() * SCALARS.length)];
      const quoted = r() < 0.2 ? `'${v.replace(/'/g, "''")}'` : v;
      lines.push(`${pad}${key}: ${quoted}${r() < 0.2 ? '   # trailing' : r() < 0.1 ? '   ' : ''}`);
    }
  }
}

function mutate(r: () => number, text: string): string {
  const ops = [
    (t: string) => t.replace(/\n {2}/, '\n   '), // bad indentation
    (t: string) => t.replace(/: /, ':'),
    (t: string) => t.replace(/\n/, '\n\t'),
    (t: string) => t.replace(/- /, '-'),
    (t: string) => t + 'trailing',
    (t: string) => t.replace(/'/, ''),
    (t: string) => t.replace(/\n(\s*)(\S)/, '\n$1 $2'),
    (t: string) => t.replace(/name/, 'spec'), // possible duplicate key
    (t: string) => t.replace(/: (\S)/, ': [$1'),
    (t: string) => t.replace(/: (\S)/, ': &a $1'),
    (t: string) => t.replace(/: (\S)/, ': |\n  $1'),
    (t: string) => t.replace(/\n/, '\n  continued plain line\n'),
    (t: string) => '---\n' + t,
    (t: string) => '# header\n---   # start\n' + t + '\n',
    (t: string) => t.replace(/\n$/, ''),
    (t: string) => t.replace(/ (\S+)\n/, ' $1: nested\n'),
  ];
  const n = 1 + Math.floor(r() * 3);
  let out = text;
  for (let i = 0; i < n; i++) out = ops[Math.floor(r() * ops.length)](out);
  return out;
}

test('5,000 generated documents and mutations: fast parse equals yaml parse whenever it is taken', () => {
  const r = rng(20261123);
  let accepted = 0;
  let bailed = 0;
  for (let i = 0; i < 2500; i++) {
    const lines: string[] = [];
    generate(r, 3, 0, lines, r() < 0.5);
    const text = lines.join('\n') + '\n';
    if (compare(text, `generated #${i}`)) accepted++;
    else bailed++;
    const m = mutate(r, text);
    if (compare(m, `mutated #${i}`)) accepted++;
    else bailed++;
  }
  // Both paths must really be exercised.
  assert.ok(accepted > 1200, `fast path taken only ${accepted} times`);
  assert.ok(bailed > 300, `full parser used only ${bailed} times`);
});
