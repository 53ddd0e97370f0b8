/**
 * `certsmith lint` output formats, exit statuses and how paths (files,
 * directories, links) become one run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

interface JsonPosition {
  line: number;
  character: number;
}
interface JsonDiagnostic {
  range: { start: JsonPosition; end: JsonPosition };
  severity: string;
  code: string;
  message: string;
}
interface JsonReport {
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  summary: { errors: number; warnings: number };
}

function parseJson(r: CliResult): JsonReport {
  try {
    return JSON.parse(r.stdout) as JsonReport;
  } catch (e) {
    assert.fail(`stdout is not JSON (${(e as Error).message}):\n${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr}`);
  }
}

function assertNoStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `stderr has a stack trace:\n${stderr}`);
}

const TEXT_LINE = /^(.+):(\d+):(\d+): (error|warning|information|hint): (.+) \[([a-z0-9-]+)\]$/;
const SUMMARY = /^(\d+) files? checked: (\d+) errors?, (\d+) warnings?\.$/;

/** A Certificate with an unknown field on line 7 and an enum error on line 10 (1-based). */
const CERT_WITH_TWO_ERRORS = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  renewbefore: 360h
  dnsNames: [example.com]
  privateKey:
    algorithm: EC
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
`;

const CLUSTER_ISSUER_WITH_NAMESPACE = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
  namespace: default
spec:
  selfSigned: {}
`;

const CLEAN_CERT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: api
  namespace: web
spec:
  secretName: api-tls
  dnsNames:
    - api.example.com
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
`;

const GITHUB_WORKFLOW = `name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm test
`;

test('text format: one "file:line:col: severity: message [code]" line per diagnostic (1-based), then the summary', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  const r = runCli(['lint', 'cert.yaml'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3, r.stdout);
  const parsed = lines.slice(0, 2).map((l) => {
    const m = TEXT_LINE.exec(l);
    assert.ok(m, `not in the documented format: ${l}`);
    return { file: m[1], line: Number(m[2]), col: Number(m[3]), severity: m[4], message: m[5], code: m[6] };
  });
  assert.deepEqual(
    parsed.map((p) => [p.file, p.line, p.col, p.severity, p.code]),
    [
      ['cert.yaml', 7, 3, 'error', 'schema-unknown-field'],
      ['cert.yaml', 10, 16, 'error', 'schema-enum'],
    ],
  );
  assert.match(parsed[1].message, /"EC"/);
  assert.match(parsed[1].message, /RSA.*ECDSA.*Ed25519/);
  assert.equal(lines[2], '1 file checked: 2 errors, 0 warnings.');
});

test('json format: files with 0-based LSP ranges, severity, code, message, and a summary', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  const r = runCli(['lint', '--format', 'json', 'cert.yaml'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  const json = parseJson(r);
  assert.deepEqual(Object.keys(json).sort(), ['files', 'summary']);
  assert.deepEqual(json.summary, { errors: 2, warnings: 0 });
  assert.equal(json.files.length, 1);
  assert.equal(json.files[0].path, 'cert.yaml');
  const [unknown, enumError] = json.files[0].diagnostics;
  assert.equal(json.files[0].diagnostics.length, 2);
  for (const d of json.files[0].diagnostics) {
    assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
    assert.equal(typeof d.message, 'string');
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0, JSON.stringify(d.range));
    }
  }
  // `  renewbefore: 360h` is line 7 (1-based): 0-based line 6, the key spans columns 2..13.
  assert.deepEqual(unknown.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 13 } });
  assert.equal(unknown.code, 'schema-unknown-field');
  assert.equal(unknown.severity, 'error');
  assert.match(unknown.message, /Did you mean "renewBefore"\?/);
  // `    algorithm: EC`: the value EC at 0-based (9, 15)..(9, 17).
  assert.deepEqual(enumError.range, { start: { line: 9, character: 15 }, end: { line: 9, character: 17 } });
  assert.equal(enumError.code, 'schema-enum');
});

test('json and text report the same diagnostics; text positions are the json positions plus one', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  writeFileSync(join(dir, 'issuer.yaml'), CLUSTER_ISSUER_WITH_NAMESPACE);
  const text = runCli(['lint', 'cert.yaml', 'issuer.yaml'], { cwd: dir });
  const json = parseJson(runCli(['lint', '--format', 'json', 'cert.yaml', 'issuer.yaml'], { cwd: dir }));
  const fromText = text.stdout
    .trimEnd()
    .split('\n')
    .slice(0, -1)
    .map((l) => {
      const m = TEXT_LINE.exec(l)!;
      return `${m[1]} ${m[2]}:${m[3]} ${m[4]} ${m[6]} ${m[5]}`;
    });
  const fromJson = json.files.flatMap((f) =>
    f.diagnostics.map((d) => `${f.path} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`),
  );
  assert.deepEqual(fromText, fromJson);
  assert.equal(fromJson.length, 3);
  assert.deepEqual(json.summary, { errors: 2, warnings: 1 });
  assert.match(text.stdout, /^2 files checked: 2 errors, 1 warning\.$/m);
});

test('github format: one workflow command per diagnostic that the Actions runner turns into the same annotation as json', (t) => {
  const dir = tempDir(t);
  // A name with the characters the runner's command syntax reserves (":" and ",").
  const certName = 'prod,eu:cert.yaml';
  writeFileSync(join(dir, certName), CERT_WITH_TWO_ERRORS);
  writeFileSync(join(dir, 'issuer.yaml'), CLUSTER_ISSUER_WITH_NAMESPACE);
  const gh = runCli(['lint', '--format', 'github', certName, 'issuer.yaml'], { cwd: dir });
  assert.equal(gh.status, 1, gh.stderr);
  const json = parseJson(runCli(['lint', '--format', 'json', certName, 'issuer.yaml'], { cwd: dir }));
  const lines = gh.stdout.trimEnd().split('\n');
  assert.match(lines.pop()!, SUMMARY);
  // Decoded as the runner does (actions/runner ActionCommand: unescape %0D %0A %3A %2C %25).
  const unescape = (v: string) => v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', notice: 'information' };
  const fromGithub = lines.map((l) => {
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(l);
    assert.ok(m, `not a workflow command: ${l}`);
    const props = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=', 2) as [string, string]).map(([k, v]) => [k, unescape(v)]));
    assert.match(props.title, /^certsmith [a-z0-9-]+$/);
    return `${props.file} ${props.line}:${props.col}-${props.endLine}:${props.endColumn} ${LEVEL[m[1]]} ${props.title.slice('certsmith '.length)} ${unescape(m[3])}`;
  });
  const fromJson = json.files.flatMap((f) =>
    f.diagnostics.map(
      (d) =>
        `${f.path} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity} ${d.code} ${d.message}`,
    ),
  );
  assert.equal(fromJson.length, 3);
  assert.deepEqual(fromGithub, fromJson);
  assert.ok(fromGithub[0].startsWith(`${certName} 7:3-`), fromGithub[0]);
});

test('exit status 0 and a summary when there are only warnings or nothing at all', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'issuer.yaml'), CLUSTER_ISSUER_WITH_NAMESPACE);
  writeFileSync(join(dir, 'clean.yaml'), CLEAN_CERT);
  const warn = runCli(['lint', 'issuer.yaml'], { cwd: dir });
  assert.equal(warn.status, 0, warn.stdout + warn.stderr);
  assert.match(warn.stdout, /^issuer\.yaml:5:3: warning: .*cluster-scoped.* \[metadata-namespace-ignored\]$/m);
  assert.match(warn.stdout, /^1 file checked: 0 errors, 1 warning\.$/m);

  const clean = runCli(['lint', 'clean.yaml'], { cwd: dir });
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.equal(clean.stdout, '1 file checked: 0 errors, 0 warnings.\n');

  const cleanJson = parseJson(runCli(['lint', '--format=json', 'clean.yaml'], { cwd: dir }));
  assert.deepEqual(cleanJson, { files: [{ path: 'clean.yaml', diagnostics: [] }], summary: { errors: 0, warnings: 0 } });
});

test('absolute paths are reported as given', (t) => {
  const dir = tempDir(t);
  const f = join(dir, 'cert.yaml');
  writeFileSync(f, CERT_WITH_TWO_ERRORS);
  const r = runCli(['lint', f]);
  assert.equal(r.status, 1);
  assert.ok(r.stdout.startsWith(`${f}:7:3: error: `), r.stdout);
});

test('a directory is searched recursively for .yaml and .yml files, all checked in one run', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'base', 'issuers'), { recursive: true });
  mkdirSync(join(dir, 'overlays', 'prod'), { recursive: true });
  writeFileSync(join(dir, 'base', 'issuers', 'clusterissuer.yaml'), CLUSTER_ISSUER_WITH_NAMESPACE);
  writeFileSync(join(dir, 'overlays', 'prod', 'cert.yml'), CERT_WITH_TWO_ERRORS);
  writeFileSync(join(dir, 'overlays', 'prod', 'clean.YAML'), CLEAN_CERT);
  writeFileSync(join(dir, 'overlays', 'prod', 'README.md'), '# not a manifest\n');
  writeFileSync(join(dir, 'overlays', 'prod', 'cert.yaml.bak'), CERT_WITH_TWO_ERRORS);
  const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  const json = parseJson(r);
  const paths = json.files.map((f) => f.path.replace(/\\/g, '/')).sort();
  assert.deepEqual(paths, ['base/issuers/clusterissuer.yaml', 'overlays/prod/cert.yml', 'overlays/prod/clean.YAML']);
  assert.deepEqual(json.summary, { errors: 2, warnings: 1 });

  const text = runCli(['lint', 'base', 'overlays'], { cwd: dir });
  assert.equal(text.status, 1);
  assert.match(text.stdout, /^base\/issuers\/clusterissuer\.yaml:5:3: warning: /m);
  assert.match(text.stdout, /^overlays\/prod\/cert\.yml:7:3: error: /m);
  assert.match(text.stdout, /^3 files checked: 2 errors, 1 warning\.$/m);
});

test('YAML that is not a manifest (a GitHub workflow, Helm values) is skipped in directories but checked when named', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(join(dir, '.github', 'workflows', 'ci.yml'), GITHUB_WORKFLOW);
  writeFileSync(join(dir, 'deploy', 'values.yaml'), 'replicaCount: 2\nimage:\n  repository: nginx\n  tag: "1.27"\ningress:\n  enabled: yes\n');
  writeFileSync(join(dir, 'deploy', 'cert.yaml'), CLEAN_CERT);
  const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const json = parseJson(r);
  assert.deepEqual(
    json.files.map((f) => f.path.replace(/\\/g, '/')),
    ['deploy/cert.yaml'],
  );
  const text = runCli(['lint', '.'], { cwd: dir });
  assert.match(text.stdout, /^1 file checked: 0 errors, 0 warnings\.$/m);

  // Named explicitly, the workflow is checked (and has nothing Certsmith objects to).
  const named = runCli(['lint', '.github/workflows/ci.yml'], { cwd: dir });
  assert.equal(named.status, 0, named.stdout + named.stderr);
  assert.equal(named.stdout, '1 file checked: 0 errors, 0 warnings.\n');
});

test('a file named twice, or reached through a directory and by name, is checked once', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  const r = runCli(['lint', '--format', 'json', 'cert.yaml', '.', './cert.yaml'], { cwd: dir });
  const json = parseJson(r);
  assert.equal(json.files.length, 1, JSON.stringify(json.files.map((f) => f.path)));
  assert.equal(json.summary.errors, 2);
});

test('symbolic link loops in a directory tree do not hang the run', { timeout: 60_000 }, (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'a', 'b'), { recursive: true });
  writeFileSync(join(dir, 'a', 'b', 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  try {
    symlinkSync('..', join(dir, 'a', 'b', 'up'), 'dir');
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'b', 'again'), 'dir');
    symlinkSync('self', join(dir, 'a', 'self'));
    symlinkSync('missing-target.yaml', join(dir, 'a', 'dangling.yaml'));
  } catch (e) {
    t.skip(`cannot create symbolic links here: ${(e as Error).message}`);
    return;
  }
  const r = runCli(['lint', '--format', 'json', 'a'], { cwd: dir, timeoutMs: 30_000 });
  assert.equal(r.status, 1, `status ${r.status}, stderr: ${r.stderr}`);
  assertNoStackTrace(r.stderr);
  const json = parseJson(r);
  // The one real file, once, whatever link leads to it.
  assert.equal(json.files.length, 1, JSON.stringify(json.files.map((f) => f.path)));
  assert.equal(json.summary.errors, 2);
});

test('the realistic manifests in test/fixtures/valid produce no diagnostics at all', () => {
  const dir = join(FIXTURES, 'valid');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.length >= 6, 'the fixtures are there');
  const r = runCli(['lint', '--format', 'json', dir]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const json = parseJson(r);
  assert.equal(json.files.length, files.length, `every fixture is recognised as a manifest: ${json.files.map((f) => f.path).join(', ')}`);
  // Clean: no errors or warnings. Notes of severity information (Let's Encrypt production, a CA
  // Secret that lives only in the cluster) are fine for realistic manifests.
  const all = json.files.flatMap((f) =>
    f.diagnostics.filter((d) => d.severity !== 'information').map((d) => `${relative(dir, f.path)}:${d.range.start.line + 1}: ${d.severity} ${d.code} ${d.message}`),
  );
  assert.deepEqual(all, []);
  assert.deepEqual(json.summary, { errors: 0, warnings: 0 });
});

test('each valid fixture is clean on its own as well (no cross-file effects)', () => {
  const dir = join(FIXTURES, 'valid');
  for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    const r = runCli(['lint', join(dir, f)]);
    assert.equal(r.status, 0, `${f}:\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^1 file checked: 0 errors, 0 warnings\.$/m, f);
    assert.doesNotMatch(r.stdout, /: (error|warning): /, f);
  }
});

test('the repository examples/ are clean, except examples/mistakes/ which shows each mistake (when examples/ exists)', (t) => {
  const examples = join(ROOT, 'examples');
  if (!existsSync(examples) || !statSync(examples).isDirectory()) {
    t.skip('no examples/ folder yet');
    return;
  }
  // Lint a copy, so that the test does not depend on files being added or removed meanwhile.
  const dir = tempDir(t);
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) copy(join(from, e.name), join(to, e.name));
      else if (e.isFile()) copyFileSync(join(from, e.name), join(to, e.name));
    }
  };
  copy(examples, join(dir, 'examples'));
  const r = runCli(['lint', '--format', 'json', 'examples'], { cwd: dir });
  assert.notEqual(r.status, 2, r.stderr);
  const json = parseJson(r);
  const isMistake = (path: string) => /(^|[\\/])mistakes[\\/]/.test(path);
  const clean = json.files.filter((f) => !isMistake(f.path));
  assert.ok(clean.length >= 1, 'there are clean examples');
  const unexpected = clean.flatMap((f) =>
    f.diagnostics.filter((d) => d.severity !== 'information').map((d) => `${f.path}:${d.range.start.line + 1}: ${d.severity} ${d.code} ${d.message}`),
  );
  assert.deepEqual(unexpected, [], 'the clean examples produce no errors or warnings');
  for (const f of json.files.filter((x) => isMistake(x.path))) {
    assert.ok(f.diagnostics.some((d) => d.severity === 'error'), `${f.path} demonstrates at least one error`);
  }
  // Linting only the clean part exits 0.
  const cleanDirs = readdirSync(join(dir, 'examples')).filter((n) => n !== 'mistakes').map((n) => join('examples', n));
  const onlyClean = runCli(['lint', ...cleanDirs], { cwd: dir });
  assert.equal(onlyClean.status, 0, onlyClean.stdout + onlyClean.stderr);
});

test('the mixed-mistakes fixture reports each planted mistake', () => {
  const r = runCli(['lint', '--format', 'json', join(FIXTURES, 'mixed-mistakes.yaml')]);
  assert.equal(r.status, 1, r.stderr);
  const json = parseJson(r);
  const got = json.files[0].diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`);
  for (const expected of [
    '19 metadata-name-invalid', // name: Example_Com
    '23 schema-unknown-field', // renewbefore
    '28 schema-enum', // algorithm: EC
    '29 schema-type', // size: yes (a YAML 1.1 boolean)
    '30 schema-required', // issuerRef without name
    '33 api-version-removed', // cert-manager.io/v1alpha2
  ]) {
    assert.ok(got.includes(expected), `expected ${expected} in ${JSON.stringify(got)}`);
  }
  assert.equal(got.length, 6, JSON.stringify(got));
  // The ClusterIssuer (lines 1-14) and the Ingress (lines 37-) in the same file are correct.
  assert.ok(json.files[0].diagnostics.every((d) => d.range.start.line >= 14 && d.range.start.line < 36), JSON.stringify(got));
});
