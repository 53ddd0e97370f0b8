/**
 * Usage and I/O problems: exit status 2, one "certsmith:" message on stderr,
 * never a stack trace, nothing on stdout that a script could take for results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const CERT = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  issuerRef:
    name: ca
`;

function assertUsageError(r: CliResult, message: RegExp): void {
  assert.equal(r.status, 2, `exit status (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  assert.match(r.stderr, /^certsmith: /, r.stderr);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `stack trace on stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.doesNotMatch(r.stdout, /files? checked/, 'no results on stdout');
}

test('lint without a PATH: exit 2 and the usage', (t) => {
  const dir = tempDir(t);
  assertUsageError(runCli(['lint'], { cwd: dir }), /no PATH given[\s\S]*Usage: certsmith lint/);
});

test('lint with an unknown option: exit 2 naming the option', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  assertUsageError(runCli(['lint', '--fix', 'cert.yaml'], { cwd: dir }), /--fix/);
  assertUsageError(runCli(['lint', '-q', 'cert.yaml'], { cwd: dir }), /-q/);
});

test('lint of a file that does not exist: exit 2 naming the file', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  assertUsageError(runCli(['lint', 'cert.yaml', 'missing.yaml'], { cwd: dir }), /missing\.yaml: no such file or directory/);
  assertUsageError(runCli(['lint', 'no-such-dir/'], { cwd: dir }), /no-such-dir/);
});

test('lint --format xml: exit 2 naming the allowed formats', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  assertUsageError(runCli(['lint', '--format', 'xml', 'cert.yaml'], { cwd: dir }), /--format must be text, json, github, sarif or junit, not "xml"/);
  assertUsageError(runCli(['lint', '--format=JSON', 'cert.yaml'], { cwd: dir }), /--format/);
  assertUsageError(runCli(['lint', 'cert.yaml', '--format'], { cwd: dir }), /--format/);
});

test('lint --max-file-size with something that is not a positive number: exit 2', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.yaml'), CERT);
  for (const v of ['0', 'ten', '1.5', '--max-file-size=-1']) {
    const args = v.startsWith('--') ? ['lint', v, 'cert.yaml'] : ['lint', '--max-file-size', v, 'cert.yaml'];
    assertUsageError(runCli(args, { cwd: dir }), /max-file-size/);
  }
});

test('an unknown command: exit 2; no command: the usage and exit 2; help and version: exit 0', (t) => {
  const dir = tempDir(t);
  assertUsageError(runCli(['frobnicate'], { cwd: dir }), /unknown command "frobnicate"/);
  const none = runCli([], { cwd: dir });
  assert.equal(none.status, 2);
  assert.match(none.stdout, /Usage: certsmith <command>/);
  const help = runCli(['lint', '--help'], { cwd: dir });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: certsmith lint \[--format text\|json\|github\|sarif\|junit\]/);
  const version = runCli(['--version'], { cwd: dir });
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^certsmith \d+\.\d+\.\d+\n$/);
});

test('an unreadable file is an I/O problem (exit 2), not a crash', (t) => {
  if (process.platform === 'win32' || process.getuid?.() === 0) {
    t.skip('permissions are not enforced for this user');
    return;
  }
  const dir = tempDir(t);
  const f = join(dir, 'secret.yaml');
  writeFileSync(f, CERT, { mode: 0o000 });
  assertUsageError(runCli(['lint', 'secret.yaml'], { cwd: dir }), /secret\.yaml: permission denied/);
});

test('a directory with no manifests: nothing checked, exit 0', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'empty'));
  const r = runCli(['lint', 'empty'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '0 files checked: 0 errors, 0 warnings.\n');
});

test('a closed pipe (certsmith lint | head -1) is not an error and prints no stack trace', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const many = Array.from({ length: 5000 }, (_, i) => CERT.replace('name: web', `name: Web_${i}`)).join('---\n');
  writeFileSync(join(dir, 'many.yaml'), many);
  const child = spawn(process.execPath, [CLI, 'lint', 'many.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // Read the first chunk, then close our end, like `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.doesNotMatch(stderr, /^\s+at /m, stderr);
  assert.doesNotMatch(stderr, /EPIPE|internal error/, stderr);
  assert.notEqual(code, 2, `exit status ${code}, stderr: ${stderr}`);
});
