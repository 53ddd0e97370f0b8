/**
 * `certsmith lint` for CI: SARIF (checked by Microsoft's SARIF Multitool and
 * against the SARIF 2.1.0 JSON schema), JUnit XML (read by a real XML
 * parser), several outputs in one run, and the GitHub Actions workflow of
 * examples/ci (checked by GitHub's own workflow parser, then run as written).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { RULES } from '../../engine/rules/registry.js';
import { CLI, ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; homepage: string };

// --- SARIF types (the parts the tests read) ------------------------------------
interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion };
    logicalLocations?: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri?: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean; exitCode: number }[];
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: SarifResult[];
  }[];
}

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

/** A ClusterIssuer with a namespace: one warning (cluster-scoped objects have none). */
const CLUSTER_ISSUER_WITH_NAMESPACE = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: selfsigned
  namespace: default
spec:
  selfSigned: {}
`;

function certificate(name: string, extraSpec = ''): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
  namespace: web
spec:
  secretName: ${name}-tls
  renewbefore: 360h
  dnsNames: [${name}.example.com]
  issuerRef:
    name: selfsigned
    kind: ClusterIssuer
${extraSpec}`;
}

/** A temporary git work tree (so that SARIF paths are relative to it, as in a checkout). */
function repoDir(t: TestContext): string {
  const dir = tempDir(t);
  const r = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile()) copyFileSync(join(from, e.name), join(to, e.name));
  }
}

/** examples/ as a user's repository has them: the clean manifests and examples/mistakes. */
function examplesRepo(t: TestContext): string {
  const dir = repoDir(t);
  copyTree(join(ROOT, 'examples'), join(dir, 'examples'));
  return dir;
}

function sarifOf(stdout: string): SarifLog {
  try {
    return JSON.parse(stdout) as SarifLog;
  } catch (e) {
    assert.fail(`not JSON (${(e as Error).message}):\n${stdout.slice(0, 2000)}`);
  }
}

// --- The validators --------------------------------------------------------------

/** The SARIF Multitool's executable (from npm: @microsoft/sarif-multitool and its package for this platform). */
function multitool(): string | undefined {
  try {
    const path = require('@microsoft/sarif-multitool') as string;
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `Sarif.Multitool validate` with the SARIF rules and GitHub's ingestion rules
 * (rule kinds Sarif and Gh). Its exit status is 0 whatever it finds, so its own
 * SARIF output is read: the errors and warnings it reports, as lines.
 * SARIF2006 (are the URIs reachable) is switched off: it would send requests
 * to the documentation sites. Globalization-invariant mode: no ICU needed.
 */
function multitoolFindings(tool: string, file: string, dir: string): string[] {
  const config = join(dir, 'validator-config.xml');
  writeFileSync(
    config,
    '<?xml version="1.0" encoding="utf-8"?>\n<Properties>\n  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">\n    <Property Key="RuleEnabled" Value="Disabled" />\n  </Properties>\n</Properties>\n',
  );
  const out = join(dir, `${file.replace(/[^a-z0-9]+/gi, '-')}.validation.sarif`);
  const r = spawnSync(tool, ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning', '--config', config], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  assert.equal(r.status, 0, `the validator did not run: ${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /Analysis completed successfully/, r.stdout);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string } }[] }[] };
  return (report.runs[0].results ?? [])
    .filter((x) => x.level !== 'note' && x.level !== 'none')
    .map((x) => `${x.level ?? 'warning'} ${x.ruleId}: ${x.message.text ?? x.message.id}`);
}

/** The SARIF 2.1.0 JSON schema that the Multitool package ships (JSON Schema 2020-12), compiled with Ajv. */
function sarifSchemaValidator(tool: string) {
  const schema = JSON.parse(readFileSync(join(dirname(tool), 'sarif-2.1.0.json'), 'utf8')) as { title: string };
  assert.match(schema.title, /SARIF\) Version 2\.1\.0 JSON Schema/);
  // strict: false because the schema uses annotations Ajv's strict mode does not know; formats are checked.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

// --- SARIF ---------------------------------------------------------------------

test('sarif: the examples validate with the SARIF Multitool (SARIF and GitHub rules) and against the SARIF 2.1.0 JSON schema', (t) => {
  const tool = multitool();
  if (!tool) {
    t.skip(`the SARIF Multitool has no npm package for ${process.platform} installed (@microsoft/sarif-multitool-${process.platform})`);
    return;
  }
  const dir = examplesRepo(t);
  const r = runCli(['lint', '--format', 'sarif', 'examples'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, '');
  const log = sarifOf(r.stdout);
  assert.ok(log.runs[0].results.length >= 7, 'the mistakes are in the log');
  const file = join(dir, 'certsmith.sarif');
  writeFileSync(file, r.stdout);

  assert.deepEqual(multitoolFindings(tool, file, dir), [], 'the Multitool finds nothing');

  const validate = sarifSchemaValidator(tool);
  assert.ok(validate(log), `schema errors: ${JSON.stringify(validate.errors, null, 2)}`);

  // Both validators see mistakes when there are some. The Multitool: a rule without help (GitHub
  // requires it) and a line 0. The schema: a level SARIF does not have (which the Multitool, as of
  // 5.7.0, lets through silently: one reason to run both) and the line 0.
  const broken = structuredClone(log) as any;
  delete broken.runs[0].tool.driver.rules[0].help;
  broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  const brokenFile = join(dir, 'broken.sarif');
  writeFileSync(brokenFile, JSON.stringify(broken, null, 2));
  const reported = multitoolFindings(tool, brokenFile, dir);
  assert.ok(reported.some((f) => /^error GH2012:/.test(f)) && reported.some((f) => /^error JSON1008:/.test(f)), reported.join('\n'));
  broken.runs[0].results[1].level = 'fatal';
  assert.equal(validate(broken), false);
  const paths = validate.errors!.map((e) => e.instancePath);
  assert.ok(paths.includes('/runs/0/results/1/level') && paths.includes('/runs/0/results/0/locations/0/physicalLocation/region/startLine'), JSON.stringify(validate.errors));
});

test('sarif: the tool, its rules from the registry, and each result with level, 1-based region, logical location and rule index', (t) => {
  const dir = repoDir(t);
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(join(dir, 'deploy', 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  writeFileSync(join(dir, 'deploy', 'issuer.yaml'), CLUSTER_ISSUER_WITH_NAMESPACE);
  // Run from a subfolder: URIs are still relative to the repository root.
  const r = runCli(['lint', '--format', 'sarif', '.'], { cwd: join(dir, 'deploy') });
  assert.equal(r.status, 1, r.stderr);
  const log = sarifOf(r.stdout);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'Certsmith');
  assert.equal(driver.version, packageJson.version);
  assert.equal(driver.informationUri, packageJson.homepage);
  assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 1 }]);
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);

  // Every rule of the registry, in registry order, with what GitHub shows.
  assert.deepEqual(
    driver.rules.map((x) => x.id),
    RULES.map((x) => x.id),
  );
  const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
  for (const [i, rule] of driver.rules.entries()) {
    const def = RULES[i];
    assert.match(rule.name, /^[A-Z][A-Za-z0-9]*$/, `${rule.id}: a PascalCase name`);
    assert.ok(rule.shortDescription.text.startsWith(def.title), rule.id);
    assert.equal(rule.fullDescription.text, def.description);
    assert.equal(rule.helpUri, def.docs);
    assert.ok(rule.help.text.includes(def.description) && rule.help.markdown.includes(def.docs), rule.id);
    assert.equal(rule.defaultConfiguration.level, LEVEL[def.severity], rule.id);
    for (const text of [rule.shortDescription.text, rule.fullDescription.text]) assert.ok(text.length <= 1024, `${rule.id}: GitHub's limit`);
  }

  const byRule = new Map(run.results.map((x) => [x.ruleId, x]));
  for (const x of run.results) assert.equal(driver.rules[x.ruleIndex].id, x.ruleId);
  const unknown = byRule.get('schema-unknown-field')!;
  assert.equal(unknown.level, 'error');
  const loc = unknown.locations[0];
  assert.deepEqual(loc.physicalLocation.artifactLocation, { uri: 'deploy/cert.yaml', uriBaseId: '%SRCROOT%' });
  // `  renewbefore: 360h` on line 7: the key is columns 3..13, endColumn is the column after it.
  assert.deepEqual(loc.physicalLocation.region, { startLine: 7, startColumn: 3, endLine: 7, endColumn: 14 });
  assert.deepEqual(loc.logicalLocations, [{ name: 'web', fullyQualifiedName: 'Certificate/web', kind: 'resource' }]);
  assert.deepEqual(byRule.get('schema-enum')!.locations[0].physicalLocation.region, { startLine: 10, startColumn: 16, endLine: 10, endColumn: 18 });
  const namespaced = run.results.find((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'deploy/issuer.yaml')!;
  assert.equal(namespaced.level, 'warning');

  // The same positions as the text format.
  const text = runCli(['lint', '.'], { cwd: join(dir, 'deploy') });
  const fromText = text.stdout.trimEnd().split('\n').slice(0, -1).map((l) => /^(.+?):(\d+):(\d+): \w+: .* \[([a-z0-9-]+)\]$/.exec(l)!.slice(1).join(' '));
  const fromSarif = run.results.map((x) => {
    const p = x.locations[0].physicalLocation;
    return `${p.artifactLocation.uri.replace(/^deploy\//, '')} ${p.region.startLine} ${p.region.startColumn} ${x.ruleId}`;
  });
  assert.deepEqual(fromSarif, fromText);
});

test('sarif: columns count UTF-16 code units (run.columnKind), as the engine does', (t) => {
  const dir = repoDir(t);
  // The unknown key comes after an emoji: two UTF-16 code units, one code point.
  const line = '  privateKey: {note: "🔒", algoritm: RSA}';
  writeFileSync(join(dir, 'cert.yaml'), certificate('api').replace('  renewbefore: 360h\n', `${line}\n`));
  const log = sarifOf(runCli(['lint', '--format', 'sarif', 'cert.yaml'], { cwd: dir }).stdout);
  const regions = log.runs[0].results.map((x) => x.locations[0].physicalLocation.region).filter((g) => g.startLine === 8);
  const column = line.indexOf('algoritm') + 1;
  assert.notEqual(column, [...line.slice(0, line.indexOf('algoritm'))].length + 1, 'the line tells UTF-16 from code points');
  assert.ok(
    regions.some((g) => g.startColumn === column && g.endColumn === column + 'algoritm'.length),
    `a region at UTF-16 column ${column}: ${JSON.stringify(regions)}`,
  );
});

test('sarif: partialFingerprints stay when lines are inserted above a finding, and differ between objects', (t) => {
  const dir = repoDir(t);
  const file = join(dir, 'certs.yaml');
  const fingerprints = () => {
    const log = sarifOf(runCli(['lint', '--format', 'sarif', 'certs.yaml'], { cwd: dir }).stdout);
    return log.runs[0].results.map((x) => ({
      key: `${x.ruleId} ${x.locations[0].logicalLocations?.[0]?.fullyQualifiedName}`,
      line: x.locations[0].physicalLocation.region.startLine,
      fingerprint: x.partialFingerprints['certsmithFinding/v1'],
    }));
  };
  // Two Certificates with the same mistake (renewbefore on line 8 of each).
  writeFileSync(file, `${certificate('shop')}---\n${certificate('blog')}`);
  const before = fingerprints();
  const unknown = before.filter((f) => f.key.startsWith('schema-unknown-field'));
  assert.equal(unknown.length, 2, JSON.stringify(before));
  for (const f of before) assert.match(f.fingerprint, /^[0-9a-f]{32}:\d+$/);
  assert.notEqual(unknown[0].fingerprint, unknown[1].fingerprint, 'the same mistake in two objects: two identities');

  // Comments and another object above: every finding moves down and keeps its fingerprint.
  const inserted = `# Certificates of the web team\n# (moved here from another repository)\n${certificate('docs', '  duration: 2160h\n').replace('  renewbefore: 360h\n', '')}---\n`;
  writeFileSync(file, `${inserted}${certificate('shop')}---\n${certificate('blog')}`);
  const after = fingerprints();
  const shift = inserted.split('\n').length - 1;
  for (const b of before) {
    const a = after.find((x) => x.key === b.key);
    assert.ok(a, `${b.key} is still reported: ${JSON.stringify(after)}`);
    assert.equal(a.line, b.line + shift);
    assert.equal(a.fingerprint, b.fingerprint, `${b.key} keeps its fingerprint`);
  }

  // A renamed object is another object: its finding gets a new identity.
  writeFileSync(file, `${certificate('shop2')}---\n${certificate('blog')}`);
  const renamed = fingerprints();
  assert.ok(!renamed.some((x) => x.fingerprint === unknown[0].fingerprint), 'shop renamed to shop2: a new fingerprint');
  assert.ok(renamed.some((x) => x.fingerprint === unknown[1].fingerprint), 'blog unchanged: the same fingerprint');
});

test('sarif: a file outside the repository has an absolute file URI; standard input is named <stdin>', (t) => {
  const repo = repoDir(t);
  const outside = tempDir(t);
  writeFileSync(join(outside, 'cert.yaml'), CERT_WITH_TWO_ERRORS);
  const log = sarifOf(runCli(['lint', '--format', 'sarif', join(outside, 'cert.yaml')], { cwd: repo }).stdout);
  const location = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.equal(location.uriBaseId, undefined);
  assert.match(location.uri, /^file:\/\/\/.*\/cert\.yaml$/);
  const stdin = sarifOf(runCli(['lint', '--format', 'sarif', '-'], { cwd: repo, input: CERT_WITH_TWO_ERRORS }).stdout);
  assert.equal(stdin.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, '%3Cstdin%3E');
});

// --- JUnit ---------------------------------------------------------------------

interface JunitCase {
  '@_name': string;
  '@_classname': string;
  '@_file': string;
  '@_line'?: string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  'system-out'?: string;
}
interface JunitSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  testcase: JunitCase[];
}

test('junit: well-formed XML with one testsuite per file and one testcase per object; errors fail, warnings do not', (t) => {
  const dir = examplesRepo(t);
  writeFileSync(join(dir, 'issuer.yaml'), CLUSTER_ISSUER_WITH_NAMESPACE);
  // Characters XML must escape (and a control character it cannot hold) in a message, and a YAML error.
  writeFileSync(
    join(dir, 'odd.yaml'),
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: "a<b>&c\'d\\"e\\x01"\n  namespace: web\nspec:\n  secretName: odd-tls\n  dnsNames: [odd.example.com]\n  issuerRef:\n    name: selfsigned\n    kind: ClusterIssuer\n',
  );
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: "unterminated\n');
  const r = runCli(['lint', '--format', 'junit', 'examples', 'issuer.yaml', 'odd.yaml', 'broken.yaml'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  const xml = r.stdout;
  assert.equal(XMLValidator.validate(xml), true, `not well-formed XML:\n${xml.slice(0, 3000)}`);
  // XML 1.0 characters only (the control character became U+FFFD).
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);

  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as {
    testsuites: { '@_tests': string; '@_failures': string; testsuite: JunitSuite[] };
  };
  const suites = doc.testsuites.testsuite;
  const json = JSON.parse(runCli(['lint', '--format', 'json', 'examples', 'issuer.yaml', 'odd.yaml', 'broken.yaml'], { cwd: dir }).stdout) as {
    files: { path: string; diagnostics: { severity: string; code: string; message: string }[] }[];
  };
  assert.deepEqual(
    suites.map((s) => s['@_name']),
    json.files.map((f) => f.path),
    'one testsuite per file, in the same order as the other formats',
  );
  const cases = suites.flatMap((s) => s.testcase);
  assert.equal(Number(doc.testsuites['@_tests']), cases.length);
  assert.equal(Number(doc.testsuites['@_failures']), cases.filter((c) => c.failure).length);
  for (const s of suites) {
    assert.equal(Number(s['@_tests']), s.testcase.length, s['@_name']);
    assert.equal(Number(s['@_failures']), s.testcase.filter((c) => c.failure).length, s['@_name']);
    for (const c of s.testcase) assert.equal(c['@_classname'], s['@_name']);
  }

  // examples/mistakes: its three objects fail, each failure listing that object's errors.
  const mistakes = suites.find((s) => s['@_name'] === 'examples/mistakes/common-mistakes.yaml')!;
  assert.deepEqual(
    mistakes.testcase.map((c) => [c['@_name'], !!c.failure]),
    [
      ['ClusterIssuer letsencrypt-old', true],
      ['Certificate web/Shop_Example', true],
      ['Ingress legacy', true],
    ],
  );
  const cert = mistakes.testcase[1];
  assert.equal(cert['@_line'], '13');
  assert.match(cert.failure!['@_message'], /^5 errors; the first: metadata\.name "Shop_Example"/);
  assert.equal(cert.failure!['@_type'], 'metadata-name-invalid');
  for (const code of ['schema-unknown-field', 'schema-type', 'schema-enum', 'schema-required']) assert.match(cert.failure!['#text'], new RegExp(`\\[${code}\\]`));
  // Information does not fail a test; it is in the test's output.
  assert.match(String(mistakes.testcase[0]['system-out']), /\[acme-production-server\]/);

  // A warning only: the test passes and says why in its output.
  const issuer = suites.find((s) => s['@_name'] === 'issuer.yaml')!.testcase;
  assert.equal(issuer.length, 1);
  assert.equal(issuer[0].failure, undefined);
  assert.match(String(issuer[0]['system-out']), /warning: .*\[/);

  // Clean examples: every object is a passed test.
  const clean = suites.find((s) => s['@_name'] === 'examples/selfsigned-ca.yaml')!;
  assert.ok(clean.testcase.length >= 2 && clean.testcase.every((c) => !c.failure && !c['system-out']));

  // The escaped message reads back as the json format's message (the control character replaced).
  const oddMessage = json.files.find((f) => f.path === 'odd.yaml')!.diagnostics.find((d) => d.code === 'metadata-name-invalid')!.message;
  const oddCase = suites.find((s) => s['@_name'] === 'odd.yaml')!.testcase[0];
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  assert.equal(unescape(oddCase.failure!['@_message']), oddMessage.replace(/\u0001/g, '\uFFFD'));
  assert.ok(oddMessage.includes(`a<b>&c'd"e`), oddMessage);

  // A YAML error outside any object: a testcase for its document.
  const broken = suites.find((s) => s['@_name'] === 'broken.yaml')!.testcase;
  assert.deepEqual(
    broken.map((c) => [c['@_name'], !!c.failure]),
    [['document 1', true]],
  );
});

// --- Several outputs ----------------------------------------------------------------

test('several outputs in one run: files in each format, text on standard output, the same exit status', (t) => {
  const dir = examplesRepo(t);
  mkdirSync(join(dir, 'reports'));
  writeFileSync(join(dir, 'reports', 'certsmith.sarif'), 'an older report, replaced whole\n');
  const inodeBefore = statSync(join(dir, 'reports', 'certsmith.sarif')).ino;
  const r = runCli(
    ['lint', '--output', 'sarif=reports/certsmith.sarif', '--output', 'junit=reports/junit.xml', '--output', `json=${join(dir, 'reports', 'lint.json')}`, '--output', 'text', 'examples'],
    { cwd: dir },
  );
  const plain = runCli(['lint', 'examples'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.status, plain.status);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, plain.stdout, 'standard output gets the output without a file');
  for (const [format, name] of [
    ['sarif', 'certsmith.sarif'],
    ['junit', 'junit.xml'],
    ['json', 'lint.json'],
  ]) {
    const alone = runCli(['lint', '--format', format, 'examples'], { cwd: dir });
    assert.equal(readFileSync(join(dir, 'reports', name), 'utf8'), alone.stdout, `${name} holds what --format ${format} prints`);
  }
  // Written to a temporary file and renamed into place: a new file, no leftovers.
  assert.notEqual(statSync(join(dir, 'reports', 'certsmith.sarif')).ino, inodeBefore);
  assert.deepEqual(readdirSync(join(dir, 'reports')).sort(), ['certsmith.sarif', 'junit.xml', 'lint.json']);

  // Only files named: standard output still gets the text report; --format picks another.
  const onlyFile = runCli(['lint', '--output', 'sarif=only.sarif', 'examples'], { cwd: dir });
  assert.equal(onlyFile.stdout, plain.stdout);
  const githubToo = runCli(['lint', '--format', 'github', '--output', 'junit=j.xml', 'examples'], { cwd: dir });
  assert.match(githubToo.stdout, /^::error file=/m);
  assert.equal(githubToo.status, 1);

  // A clean run exits 0 with every output written.
  const clean = runCli(['lint', '--output', 'sarif=clean.sarif', '--output', 'junit=clean.xml', 'examples/selfsigned-ca.yaml'], { cwd: dir });
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.equal(sarifOf(readFileSync(join(dir, 'clean.sarif'), 'utf8')).runs[0].invocations[0].exitCode, 0);
  assert.match(readFileSync(join(dir, 'clean.xml'), 'utf8'), /<testsuites name="certsmith lint" tests="3" failures="0"/);
});

test('--output mistakes are usage errors (exit 2, one line, no stack trace); a file that cannot be written is an I/O error', (t) => {
  const dir = examplesRepo(t);
  const cases: [string[], RegExp][] = [
    [['--output', 'sarif', '--output', 'junit'], /--output sarif and --output junit would both write to standard output/],
    [['--format', 'json', '--output', 'text'], /--format json and --output text would both write to standard output/],
    [['--output', 'sarif=a.sarif', '--output', 'json=./a.sarif'], /name the same file/],
    [['--output', 'xml=a.xml'], /--output xml=a\.xml: the format must be text, json, github, sarif or junit, not "xml"/],
    [['--output', 'sarif='], /the file name after "=" is missing/],
    [['--format', 'xml'], /--format must be text, json, github, sarif or junit, not "xml"/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['lint', ...args, 'examples'], { cwd: dir });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.equal(r.stdout, '', 'nothing is checked or printed');
  }
  const r = runCli(['lint', '--output', 'sarif=no-such-dir/certsmith.sarif', 'examples'], { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^certsmith: cannot write no-such-dir\/certsmith\.sarif: no such file or directory$/m);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
});

// --- The GitHub Actions workflow of examples/ci ---------------------------------------

const WORKFLOW = join(ROOT, 'examples', 'ci', 'github-actions.yaml');

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}

async function workflowErrors(name: string, content: string): Promise<string[]> {
  // An ES module only (no require entry): loaded with import().
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) return errors;
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

test('the GitHub Actions workflow (examples/ci, and the same in docs/ci.md) is valid for GitHub and uploads the SARIF that lint writes', async () => {
  const content = readFileSync(WORKFLOW, 'utf8');
  // GitHub's own parser (@actions/workflow-parser): the workflow schema, expressions, jobs and steps.
  assert.deepEqual(await workflowErrors('github-actions.yaml', content), []);
  // It does find mistakes: an unknown key and a broken expression.
  const broken = content.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    step: []\n').replace('${{ !cancelled() &&', '${{ !cancelled( &&');
  const brokenErrors = await workflowErrors('broken.yaml', broken);
  assert.ok(brokenErrors.some((e) => /Unexpected value 'step'/.test(e)) && brokenErrors.length >= 2, JSON.stringify(brokenErrors));

  const workflow = parseYaml(content) as { permissions: Record<string, string>; jobs: Record<string, { permissions: Record<string, string>; steps: WorkflowStep[] }> };
  const job = Object.values(workflow.jobs)[0];
  assert.equal(job.permissions['security-events'], 'write');
  const lint = job.steps.find((s) => s.run?.includes('certsmith lint'))!;
  const sarifFile = /--output sarif=(\S+)/.exec(lint.run!)?.[1];
  assert.ok(sarifFile, lint.run);
  const upload = job.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
  assert.equal(upload.with!.sarif_file, sarifFile);
  assert.match(upload.if!, /!cancelled\(\)/, 'uploaded also when lint failed');

  // docs/ci.md shows the same workflow.
  const docs = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
  const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.includes(content), 'docs/ci.md has examples/ci/github-actions.yaml as a yaml block, unchanged');
});

test("the workflow's lint step, run as written on the examples, writes SARIF and JUnit and fails on their errors", (t) => {
  const dir = examplesRepo(t);
  const workflow = parseYaml(readFileSync(WORKFLOW, 'utf8')) as { env: Record<string, string>; jobs: Record<string, { steps: WorkflowStep[] }> };
  const lint = Object.values(workflow.jobs)[0].steps.find((s) => s.run?.includes('certsmith lint'))!;
  // `certsmith` is this checkout's build; the manifests are the examples.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'certsmith'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  const r = spawnSync('bash', ['-e', '-c', lint.run!], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...workflow.env, MANIFESTS: 'examples/', PATH: `${bin}:${process.env.PATH}` },
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /examples\/mistakes\/common-mistakes\.yaml:3:13: error: /);
  const log = sarifOf(readFileSync(join(dir, 'certsmith.sarif'), 'utf8'));
  assert.ok(log.runs[0].results.some((x) => x.level === 'error'));
  assert.equal(XMLValidator.validate(readFileSync(join(dir, 'certsmith-junit.xml'), 'utf8')), true);
});
