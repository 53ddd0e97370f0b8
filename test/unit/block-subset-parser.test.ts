/**
 * Differential test: whatever the fast block-subset parser accepts must be
 * exactly what the `yaml` package produces (node kinds, values, scalar types
 * and formats, source ranges), and `yaml` must find no error in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isMap, isScalar, isSeq, isPair, type Node } from 'yaml';
import { parseBlockSubset, FACTORIES_WORK, PREFILTER_VALID } from '../../engine/manifests/block-subset-parser.js';
import { splitDocuments } from '../../engine/manifests/segments.js';
import { ROOT } from '../support/cli.js';

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

/** Compare the fast parse with yaml's; returns true when the fast parser accepted the text. */
function compare(text: string, label: string): boolean {
  const fast = parseBlockSubset(text);
  if (!fast) return false;
  const full = parseDocument(text, { version: '1.1', prettyErrors: false, uniqueKeys: true, strict: true });
  assert.deepEqual(full.errors.map((e) => e.code), [], `${label}: the fast parser accepted a document yaml rejects:\n${text}`);
  assert.deepEqual(full.warnings.map((e) => e.code), [], `${label}: yaml warns about a document the fast parser accepted:\n${text}`);
  const a: string[] = [];
  const b: string[] = [];
  describeTree(fast.contents, a, '$');
  describeTree(full.contents, b, '$');
  assert.deepEqual(a, b, `${label}: trees differ for:\n${text}`);
  assert.deepEqual(fast.toJS({ maxAliasCount: 100, mapAsMap: true }), full.toJS({ maxAliasCount: 100, mapAsMap: true }), `${label}: values differ`);
  return true;
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

test('the fast path is in effect (yaml identity and tag tests are what it was built for)', () => {
  assert.equal(FACTORIES_WORK, true);
  assert.equal(PREFILTER_VALID, true);
});

test('every document of the project fixtures and examples: fast parse equals yaml parse', () => {
  let accepted = 0;
  let total = 0;
  for (const dir of ['test/fixtures', 'examples']) {
    let files: string[] = [];
    try {
      files = yamlFiles(join(ROOT, dir));
    } catch {
      continue;
    }
    for (const f of files) {
      for (const seg of splitDocuments(readFileSync(f, 'utf8'))) {
        total++;
        if (compare(seg.text, `${f}:${seg.line + 1}`)) accepted++;
      }
    }
  }
  assert.ok(total > 0);
  assert.ok(accepted > 0, 'the fast parser accepted none of the fixtures');
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
