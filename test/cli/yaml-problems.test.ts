/**
 * YAML problems are diagnostics at the line where the problem is, with the
 * rule ids yaml-syntax, yaml-duplicate-key and yaml-tab-indentation; and YAML
 * is read as YAML 1.1, as Kubernetes reads it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

interface JsonDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function lint(t: { after(fn: () => void): void }, text: string): { status: number | null; diagnostics: JsonDiagnostic[]; stderr: string } {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'manifest.yaml'), text);
  const r = runCli(['lint', '--format', 'json', 'manifest.yaml'], { cwd: dir });
  assert.notEqual(r.status, 2, r.stderr);
  const json = JSON.parse(r.stdout) as { files: { diagnostics: JsonDiagnostic[] }[] };
  return { status: r.status, diagnostics: json.files[0].diagnostics, stderr: r.stderr };
}

/** "line:col code" with 1-based positions, as the text output shows them. */
const brief = (ds: JsonDiagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
const show = (ds: JsonDiagnostic[]) => JSON.stringify(ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.code} ${d.message}`), null, 1);

test('a duplicate key is yaml-duplicate-key at the second occurrence', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  secretName: web-tls-2
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  assert.deepEqual(brief(diagnostics), ['7:3 yaml-duplicate-key'], show(diagnostics));
  assert.equal(diagnostics[0].severity, 'error');
});

test('a duplicate key deeper in the tree (issuerRef.name twice) is found too', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  issuerRef:
    name: ca
    kind: Issuer
    name: other-ca
`;
  const { diagnostics } = lint(t, text);
  assert.ok(brief(diagnostics).includes('10:5 yaml-duplicate-key'), show(diagnostics));
});

test('a tab used for indentation is yaml-tab-indentation at the tab', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
\tsecretName: web-tls
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  const tab = diagnostics.filter((d) => d.code === 'yaml-tab-indentation');
  assert.deepEqual(brief(tab), ['6:1 yaml-tab-indentation'], show(diagnostics));
  assert.match(tab[0].message, /spaces/);
});

test('a key that is less indented than its siblings is yaml-syntax on that line', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  issuerRef:
      name: ca
    kind: Issuer
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(syntax.length >= 1, show(diagnostics));
  assert.equal(syntax[0].range.start.line + 1, 9, show(diagnostics));
  assert.equal(syntax[0].severity, 'error');
});

test('a key that is more indented than its siblings is yaml-syntax covering that line', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
   dnsNames:
  - example.com
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(
    syntax.some((d) => d.range.start.line <= 6 && d.range.end.line >= 6),
    `a yaml-syntax diagnostic should cover line 7:\n${show(diagnostics)}`,
  );
  assert.ok(syntax.every((d) => d.range.start.line >= 5 && d.range.start.line <= 6), show(diagnostics));
});

test('an unterminated double-quoted string is yaml-syntax at the line where the string starts', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  annotations:
    note: "renewed by the platform team
spec:
  secretName: web-tls
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(syntax.length >= 1, show(diagnostics));
  assert.equal(syntax[0].range.start.line + 1, 6, `the opening quote is on line 6:\n${show(diagnostics)}`);
});

test("an unterminated single-quoted string is yaml-syntax at the line where the string starts", (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: 'web
spec:
  secretName: web-tls
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(syntax.length >= 1, show(diagnostics));
  assert.equal(syntax[0].range.start.line + 1, 4, `the opening quote is on line 4:\n${show(diagnostics)}`);
});

test('an unclosed flow sequence is yaml-syntax at the line of the bracket', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  dnsNames: [example.com, www.example.com
  secretName: web-tls
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
  assert.ok(syntax.length >= 1, show(diagnostics));
  assert.ok(
    syntax.some((d) => d.range.start.line + 1 === 6 || d.range.start.line + 1 === 7),
    `the bracket is opened on line 6:\n${show(diagnostics)}`,
  );
});

test('a YAML problem in one document does not hide the diagnostics of the next one', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  secretName: again
  issuerRef:
    name: ca
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ca
spec:
  ca:
    secretNmae: ca-key-pair
`;
  const { diagnostics } = lint(t, text);
  const b = brief(diagnostics);
  assert.ok(b.includes('7:3 yaml-duplicate-key'), show(diagnostics));
  assert.ok(b.includes('17:5 schema-unknown-field'), show(diagnostics));
});

test('YAML 1.1 as Kubernetes reads it: unquoted yes/on/off in a string field are schema-type errors; quoted they are fine', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  commonName: yes
  dnsNames:
    - on
    - "off"
  issuerRef:
    name: ca
`;
  const { status, diagnostics } = lint(t, text);
  assert.equal(status, 1);
  assert.deepEqual(brief(diagnostics), ['7:15 schema-type', '9:7 schema-type'], show(diagnostics));
  assert.match(diagnostics[0].message, /YAML 1\.1/);
  assert.match(diagnostics[0].message, /"yes"/, 'it suggests quoting');

  const quoted = lint(t, text.replace('commonName: yes', 'commonName: "yes"').replace('- on', "- 'on'"));
  assert.deepEqual(brief(quoted.diagnostics), [], show(quoted.diagnostics));
  assert.equal(quoted.status, 0);
});

test('YAML 1.1 booleans are booleans where a boolean is expected (isCA: yes is accepted)', (t) => {
  const text = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ca
spec:
  isCA: yes
  commonName: ca
  secretName: ca
  issuerRef:
    name: selfsigned
`;
  const { status, diagnostics } = lint(t, text);
  assert.deepEqual(brief(diagnostics), [], show(diagnostics));
  assert.equal(status, 0);
});

test('CRLF line endings and a byte order mark do not move positions', (t) => {
  const text = '\ufeffapiVersion: cert-manager.io/v1\r\nkind: Certificate\r\nmetadata:\r\n  name: web\r\nspec:\r\n  secretName: web-tls\r\n  renewbefore: 1h\r\n  issuerRef:\r\n    name: ca\r\n';
  const { diagnostics } = lint(t, text);
  assert.deepEqual(brief(diagnostics), ['7:3 schema-unknown-field'], show(diagnostics));
  assert.deepEqual(diagnostics[0].range.end, { line: 6, character: 13 });
});
