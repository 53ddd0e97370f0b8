/**
 * The engine reads most manifests with a fast block-style parser and falls
 * back to the full YAML parser for anything else (a tab or a CR anywhere in a
 * document sends it to the full parser). Users must get the same diagnostics
 * either way: these tests check the two paths against each other on
 * realistic manifests and on the YAML 1.1 scalars that trip people up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../engine/workspace/workspace.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { ROOT } from '../support/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

function check(text: string): string[] {
  const ws = new Workspace(schemaStore());
  ws.set('file:///test/manifest.yaml', text);
  return ws.diagnostics('file:///test/manifest.yaml').map(
    (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`,
  );
}

/** The same text, with a tab in a trailing comment at the end of each document (forces the full parser). */
function withTabComments(text: string): string {
  return text.replace(/\n(?=---|$)/g, ' #\tcomment\n');
}

function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.ya?ml$/.test(e.name)) out.push(join(dir, e.name));
    }
  };
  walk(FIXTURES);
  return out;
}

test('every fixture gets the same diagnostics from the fast parser and from the full parser', () => {
  const files = fixtureFiles();
  assert.ok(files.length >= 7);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (text.includes('\t') || text.includes('\r')) continue;
    assert.deepEqual(check(withTabComments(text)), check(text), f);
  }
});

test('CRLF line endings give the same diagnostics, at the same positions, as LF', () => {
  for (const f of fixtureFiles()) {
    const text = readFileSync(f, 'utf8');
    if (text.includes('\r')) continue;
    assert.deepEqual(check(text.replace(/\n/g, '\r\n')), check(text), f);
  }
});

const TRICKY_SCALARS = [
  // YAML 1.1 booleans and nulls, as Kubernetes reads them.
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'NO', 'True', 'FALSE', '~', 'null', 'Null', 'NULL',
  // YAML 1.1 numbers: octal, hex, underscores, sexagesimal, floats, specials.
  '0777', '0o17', '0x1F', '1_000', '190:20:30', '1e3', '1.5e3', '+1', '-1', '1.', '.5', '.inf', '-.inf', '.NaN', '00', '09',
  // Timestamps, and strings that look like other things.
  '2024-01-01', '2001-12-14t21:59:43.10-05:00', '12:30', 'nginx:1.27', 'http://example.com:8080/path', '-dash', '=', 'a#b', 'a #comment',
  // Quoted forms.
  '""', "''", '"yes"', "'it''s'", '"0777"', '"~"', '"x: y"', "'#not a comment'",
];

test('YAML 1.1 scalars are typed the same by both parsers (string, integer and boolean fields)', () => {
  for (const v of TRICKY_SCALARS) {
    const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  labels:
    value: ${v}
spec:
  secretName: web-tls
  commonName: ${v}
  dnsNames:
    - ${v}
  revisionHistoryLimit: ${v}
  isCA: ${v}
  issuerRef:
    name: ca
`;
    assert.deepEqual(check(withTabComments(text)), check(text), `value ${v}`);
  }
});

test('YAML 1.1 typing matches Kubernetes for the common surprises', () => {
  const typeOf = (v: string): string => {
    const ds = check(`apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  commonName: ${v}
  issuerRef:
    name: ca
`);
    if (ds.length === 0) return 'string';
    const m = /not (the \w+|no value|a \w+)/.exec(ds.join('\n'));
    return m ? m[1] : ds.join('\n');
  };
  assert.equal(typeOf('yes'), 'the boolean');
  assert.equal(typeOf('off'), 'the boolean');
  assert.equal(typeOf('0777'), 'the number');
  assert.equal(typeOf('1_000'), 'the number');
  assert.equal(typeOf('"yes"'), 'string');
  assert.equal(typeOf('nginx:1.27'), 'string');
  assert.equal(typeOf('web.example.com'), 'string');
  // A YAML 1.1 timestamp reaches the API server as a string in JSON: no error.
  assert.equal(typeOf('2024-01-01'), 'string');
});

test('structural variants of block YAML give the same diagnostics from both parsers', () => {
  const variants = [
    // Sequences indented or not under their key, items as mappings.
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: x\n  listeners:\n  - name: a\n    port: 80\n    protocol: HTTP\n  -   name: a\n      port: 0\n      protocol: HTTP\n`,
    `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: x\n  listeners:\n    - name: Bad\n      port: 80\n      protocol: HTTP\n      hostname:   "UPPER.example.com"   \n`,
    // Comments everywhere, empty values, quoted keys.
    `# head\napiVersion: cert-manager.io/v1 # trailing\nkind: Certificate\nmetadata:\n  # inside\n  name: web\n  "labels":\n    'team': platform\nspec:\n  secretName:\n  dnsNames:\n  issuerRef:\n    name: ca\n    # end\n`,
    // Nested sequences, sequences of sequences.
    `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dnsNames:\n    - - nested.example.com\n    -\n    - ok.example.com\n  issuerRef:\n    name: ca\n`,
    // Keys at odd indentation widths.
    `apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n    name: ca\n    namespace: Bad_NS\nspec:\n    ca:\n         secretName: ca\n         bogus: 1\n`,
    // Several documents, one of them empty or comment-only.
    `apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: a\nspec:\n  selfSigned: {}\n---\n# nothing\n---\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: B\nspec:\n  selfSigned:\n    crlDistributionPoints: x\n`,
  ];
  for (const v of variants) assert.deepEqual(check(withTabComments(v)), check(v), v);
});
