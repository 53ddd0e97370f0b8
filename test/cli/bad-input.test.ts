/**
 * Hostile and accidental input to `certsmith lint`: empty files, comments,
 * binary data, invalid UTF-8, huge files, deep nesting, alias bombs. The CLI
 * must answer with diagnostics (or nothing) and the right exit status, in
 * bounded time and memory, and never print a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

interface JsonDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}
interface JsonReport {
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  summary: { errors: number; warnings: number };
}

function assertNoCrash(r: CliResult): void {
  assert.notEqual(r.status, null, `the CLI did not finish (killed or timed out); stderr: ${r.stderr?.slice(0, 500)}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `stack trace on stderr:\n${r.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(r.stderr, /internal error|RangeError|Maximum call stack/, r.stderr.slice(0, 2000));
}

function lintJson(args: string[], cwd: string, timeoutMs = 60_000): { r: CliResult; json: JsonReport } {
  const r = runCli(['lint', '--format', 'json', ...args], { cwd, timeoutMs });
  assertNoCrash(r);
  let json: JsonReport;
  try {
    json = JSON.parse(r.stdout) as JsonReport;
  } catch {
    assert.fail(`not JSON (status ${r.status}): ${r.stdout.slice(0, 1000)} ${r.stderr.slice(0, 1000)}`);
  }
  return { r, json };
}

const codes = (j: JsonReport) => j.files.flatMap((f) => f.diagnostics.map((d) => d.code));
const show = (j: JsonReport) => JSON.stringify(j.files.flatMap((f) => f.diagnostics.map((d) => `${f.path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message.slice(0, 160)}`)), null, 1);

const CERT_HEAD = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n';
const CERT = `${CERT_HEAD}spec:\n  secretName: web-tls\n  dnsNames: [web.example.com]\n  issuerRef:\n    name: ca\n`;

test('an empty file: no diagnostics, exit 0', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'empty.yaml'), '');
  const { r, json } = lintJson(['empty.yaml'], dir);
  assert.equal(r.status, 0);
  assert.deepEqual(json, { files: [{ path: 'empty.yaml', diagnostics: [] }], summary: { errors: 0, warnings: 0 } });
  const text = runCli(['lint', 'empty.yaml'], { cwd: dir });
  assert.equal(text.stdout, '1 file checked: 0 errors, 0 warnings.\n');
});

test('files of only comments, blank lines, document markers or whitespace: no diagnostics, exit 0', (t) => {
  const dir = tempDir(t);
  const cases: Record<string, string> = {
    'comments.yaml': '# Certificates for the web team live in certs/.\n# Nothing here yet.\n',
    'markers.yaml': '---\n# placeholder\n---\n...\n',
    'blank.yaml': '\n\n   \n\t\n',
    'bom.yaml': '\ufeff# only a byte order mark and a comment\n',
    'crlf.yaml': '# windows\r\n---\r\n',
  };
  for (const [name, text] of Object.entries(cases)) writeFileSync(join(dir, name), text);
  const { r, json } = lintJson(Object.keys(cases), dir);
  assert.equal(r.status, 0, show(json));
  assert.deepEqual(codes(json), [], show(json));
  assert.equal(json.files.length, Object.keys(cases).length);
});

test('binary garbage (random bytes with NUL): file-not-text, exit 1', (t) => {
  const dir = tempDir(t);
  const bytes = randomBytes(64 * 1024);
  bytes[0] = 0x89; // like a PNG header: never valid UTF-8 as a first byte
  bytes[100] = 0;
  writeFileSync(join(dir, 'image.yaml'), bytes);
  const { r, json } = lintJson(['image.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['file-not-text'], show(json));
  assert.deepEqual(json.files[0].diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const text = runCli(['lint', 'image.yaml'], { cwd: dir });
  assert.match(text.stdout, /^image\.yaml:1:1: error: .* \[file-not-text\]$/m);
});

test('valid UTF-8 with NUL bytes in it: file-not-text, exit 1', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'nul.yaml'), `${CERT_HEAD}spec:\n  secretName: "web\u0000tls"\n`);
  const { r, json } = lintJson(['nul.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['file-not-text'], show(json));
  assert.match(json.files[0].diagnostics[0].message, /NUL/);
});

test('invalid UTF-8 (a latin-1 file): file-not-text, exit 1', (t) => {
  const dir = tempDir(t);
  const latin1 = Buffer.from(`${CERT_HEAD}  annotations:\n    owner: "J\xfcrgen M\xfcller"\n`, 'latin1');
  writeFileSync(join(dir, 'latin1.yaml'), latin1);
  const truncated = Buffer.concat([Buffer.from(CERT_HEAD), Buffer.from([0xe2, 0x82])]); // cut inside a 3-byte sequence
  writeFileSync(join(dir, 'truncated.yaml'), truncated);
  const { r, json } = lintJson(['latin1.yaml', 'truncated.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['file-not-text', 'file-not-text'], show(json));
  assert.match(json.files[0].diagnostics[0].message, /UTF-8/);
});

test('binary files found in a directory are skipped; the manifests next to them are checked', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(join(dir, 'deploy', 'blob.yaml'), randomBytes(4096));
  writeFileSync(join(dir, 'deploy', 'cert.yaml'), CERT);
  const { r, json } = lintJson(['deploy'], dir);
  assert.equal(r.status, 0, show(json));
  assert.deepEqual(json.files.map((f) => f.path), ['deploy/cert.yaml']);
});

test('a 50 MB file: one file-too-large error, quickly and in bounded memory', { timeout: 120_000 }, (t) => {
  const dir = tempDir(t);
  const f = join(dir, 'huge.yaml');
  const chunk = Buffer.from(`---\n${CERT}`.repeat(2000));
  const fd = openSync(f, 'w');
  try {
    for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  // A 128 MB heap: reading and parsing 50 MB of YAML would not fit.
  const r = spawnSync(process.execPath, ['--max-old-space-size=128', CLI, 'lint', '--format', 'json', 'huge.yaml'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assertNoCrash({ status: r.status, stdout: r.stdout, stderr: r.stderr });
  assert.equal(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(codes(json), ['file-too-large'], show(json));
  assert.match(json.files[0].diagnostics[0].message, /50\.\d MiB/);
  assert.match(json.files[0].diagnostics[0].message, /--max-file-size/);
});

test('--max-file-size sets the limit; a file under it is checked normally', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  const over = lintJson(['--max-file-size', '100', 'cert.yaml'], dir);
  assert.equal(over.r.status, 1);
  assert.deepEqual(codes(over.json), ['file-too-large']);
  assert.match(over.json.files[0].diagnostics[0].message, /100 bytes/);
  const under = lintJson(['--max-file-size', '100000', 'cert.yaml'], dir);
  assert.equal(under.r.status, 0);
  assert.deepEqual(codes(under.json), []);
});

test('deep nesting: 100,000 "[" is yaml-too-deep, with no crash and no stack trace', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'deep.yaml'), `${CERT_HEAD}spec:\n  dnsNames: ${'['.repeat(100_000)}\n`);
  const { r, json } = lintJson(['deep.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['yaml-too-deep'], show(json));
});

test('deep nesting: 100,000 nested flow mappings "{a: " is yaml-too-deep', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'deep.yaml'), `${CERT_HEAD}spec:\n  secretTemplate: ${'{a: '.repeat(100_000)}x${'}'.repeat(100_000)}\n`);
  const { r, json } = lintJson(['deep.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['yaml-too-deep'], show(json));
});

test('deep nesting: 5,000 levels of block sequences ("- - - ...") is yaml-too-deep', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'deep.yaml'), `${CERT_HEAD}spec:\n  dnsNames:\n  ${'- '.repeat(5000)}x\n`);
  const { r, json } = lintJson(['deep.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['yaml-too-deep'], show(json));
});

/** A mapping nested `levels` deep with `step` spaces of indentation per level. */
function nestedMappings(levels: number, step: number): string {
  const parts = [`${CERT_HEAD}spec:\n`];
  for (let i = 0; i < levels; i++) parts.push(`${' '.repeat((i + 1) * step)}k${i}:\n`);
  parts.push(`${' '.repeat((levels + 1) * step)}leaf: x\n`);
  return parts.join('');
}

test('deep nesting: 5,000 levels of indentation is yaml-too-deep', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'deep.yaml'), nestedMappings(5000, 1)); // 12.5 MB
  const { r, json } = lintJson(['--max-file-size', String(64 * 1024 * 1024), 'deep.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(codes(json), ['yaml-too-deep'], show(json));
});

test('deep nesting: 2,000 levels of one-space indentation (over the 1,000 limit) is yaml-too-deep', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'deep.yaml'), nestedMappings(2000, 1));
  const { r, json } = lintJson(['deep.yaml'], dir);
  assert.equal(r.status, 1);
  assert.ok(codes(json).includes('yaml-too-deep'), show(json));
  assert.ok(json.files[0].diagnostics.every((d) => !/call stack/i.test(d.message)), `an internal error leaks as a diagnostic:\n${show(json)}`);
});

test('brackets inside quoted strings are not nesting: a valid document with "[[[..." in a string and 200-level JSON in a string is not refused', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  const text = `${CERT_HEAD}  annotations:\n    deep: "${'['.repeat(2000)}"\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  secretTemplate:\n    annotations:\n      json: '${'{"a":'.repeat(200)}1${'}'.repeat(200)}'\n  dnsNames: [example.com]\n`;
  writeFileSync(join(dir, 'ok.yaml'), text);
  const { r, json } = lintJson(['ok.yaml'], dir);
  assert.deepEqual(codes(json), [], `brackets inside quoted strings are not nesting:\n${show(json)}`);
  assert.equal(r.status, 0);
});

/** The classic "billion laughs": `levels` levels of `width` aliases each. */
function billionLaughs(levels: number, width: number): string {
  const lines = ['apiVersion: cert-manager.io/v1', 'kind: Certificate', 'metadata:', '  name: lol', 'spec:', '  secretName: lol', '  issuerRef:', '    name: ca'];
  lines.push(`a0: &a0 [${Array(width).fill('"lol"').join(', ')}]`);
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

test('an alias bomb (billion laughs, 10 levels of 10 aliases) is reported as yaml-alias-limit and returns', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'bomb.yaml'), billionLaughs(10, 10));
  const { r, json } = lintJson(['bomb.yaml'], dir, 30_000);
  assert.equal(r.status, 1);
  assert.ok(codes(json).includes('yaml-alias-limit'), `the bomb is not reported:\n${show(json)}`);
});

test('an alias bomb inside a field of the schema (9 levels of 9 aliases in spec) is yaml-alias-limit and returns', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  const lines = [CERT_HEAD + 'spec:', '  secretName: lol', '  issuerRef:', '    name: ca', '  secretTemplate:', '    annotations:'];
  lines.push(`      a0: &a0 [${Array(9).fill('lol').join(', ')}]`);
  for (let i = 1; i < 9; i++) lines.push(`      a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('  dnsNames: *a8');
  writeFileSync(join(dir, 'bomb.yaml'), lines.join('\n') + '\n');
  const { r, json } = lintJson(['bomb.yaml'], dir, 30_000);
  assert.equal(r.status, 1);
  assert.ok(codes(json).includes('yaml-alias-limit'), `the bomb is not reported:\n${show(json)}`);
});

test('a moderate, legitimate use of aliases is not mistaken for a bomb', (t) => {
  const dir = tempDir(t);
  const docs = Array.from(
    { length: 20 },
    (_, i) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c${i}\n  labels: &labels${i}\n    app: web\n    team: platform\nspec:\n  secretName: c${i}-tls\n  secretTemplate:\n    labels: *labels${i}\n  dnsNames: &names${i} [a.example.com, b.example.com]\n  issuerRef:\n    name: ca\n`,
  );
  writeFileSync(join(dir, 'aliases.yaml'), docs.join('---\n'));
  const { r, json } = lintJson(['aliases.yaml'], dir);
  assert.deepEqual(codes(json), [], show(json));
  assert.equal(r.status, 0);
});

test('a very long line (1 MB annotation value) is checked without trouble', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'long.yaml'), `${CERT_HEAD}  annotations:\n    blob: "${'x'.repeat(1024 * 1024)}"\nspec:\n  secretName: web-tls\n  issuerRef:\n    name: ca\n  renewbefore: 1h\n`);
  const { r, json } = lintJson(['long.yaml'], dir);
  assert.equal(r.status, 1);
  // Annotations over 256 KiB, and the typo, each at its line.
  assert.deepEqual(
    json.files[0].diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`),
    ['5 metadata-annotation-invalid', '11 schema-unknown-field'],
    show(json),
  );
});

test('a file of 5,000 documents is checked in one run', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  // Each Certificate with a Secret of its own (shared ones would be secret-name-conflict).
  const docs = Array.from({ length: 5000 }, (_, i) => CERT.replace('name: web', `name: web-${i}`).replace('secretName: web-tls', `secretName: web-${i}-tls`));
  docs[4321] = docs[4321].replace('secretName: web-4321-tls', 'secretName: [web-tls]');
  writeFileSync(join(dir, 'many.yaml'), docs.join('---\n'));
  const { r, json } = lintJson(['many.yaml'], dir);
  assert.equal(r.status, 1);
  assert.deepEqual(json.files[0].diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`), [`${4321 * 10 + 6} schema-type`]);
});
