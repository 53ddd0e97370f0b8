import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

test('lint reports a typo in a field name with a suggestion, 1-based position and rule id', (t) => {
  const dir = tempDir(t);
  const f = join(dir, 'cert.yaml');
  writeFileSync(
    f,
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  renewbefore: 360h\n  dnsNames: [example.com]\n  issuerRef:\n    name: le\n',
  );
  const r = runCli(['lint', f], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /cert\.yaml:7:3: error: .*renewbefore.*Did you mean "renewBefore"\? \[schema-unknown-field\]/);
});

const CHART_TEMPLATE =
  'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: {{ include "web.fullname" . }}\nspec:\n  secretName: {{ .Values.tls.secretName }}\n  issuerRef:\n    name: le\n';
const PLAIN_CERT =
  'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  dnsNames: [example.com]\n  issuerRef:\n    name: le\n';

test('a Helm template named on the command line gets one information note, not a flood of YAML errors', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'certificate.yaml'), CHART_TEMPLATE);
  const r = runCli(['lint', '--format', 'json', 'certificate.yaml'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { files: { path: string; diagnostics: { code: string; severity: string }[] }[] };
  const diags = json.files.flatMap((f) => f.diagnostics);
  assert.deepEqual(diags.map((d) => [d.code, d.severity]), [['file-template', 'information']]);
});

test('Helm templates found in a directory are skipped; the manifests next to them are checked', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'certificate.yaml'), CHART_TEMPLATE);
  writeFileSync(join(dir, 'rendered.yaml'), PLAIN_CERT.replace('secretName', 'secretname'));
  const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
  assert.equal(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout) as { files: { path: string; diagnostics: { code: string }[] }[] };
  assert.deepEqual(json.files.map((f) => f.path), ['rendered.yaml']);
  assert.ok(json.files[0].diagnostics.some((d) => d.code === 'schema-unknown-field'), r.stdout);
});

test('lint - reads the manifest from standard input (helm template | certsmith lint -)', () => {
  const r = runCli(['lint', '-'], { input: PLAIN_CERT.replace('renewBefore', 'x').replace('dnsNames', 'dnsnames') });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^<stdin>:7:3: error: .*dnsnames.*\[schema-unknown-field\]$/m);
  const ok = runCli(['lint', '-'], { input: PLAIN_CERT });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
});

test('lint - with empty standard input is not an error', () => {
  const r = runCli(['lint', '-'], { input: '' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
