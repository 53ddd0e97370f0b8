/**
 * The in-editor suite (suite/index.cjs: it runs inside the extension host and
 * uses the vscode API), two ways:
 *
 *  - through the @vscode/test-electron runner (run.ts), in a desktop VS Code
 *    where one can be downloaded; elsewhere (the project's machines) the
 *    runner says why it skipped and exits 0, and this test is skipped with
 *    that reason;
 *  - in code-server's extension host, which takes the same
 *    extensionDevelopmentPath / extensionTestsPath through the workbench URL's
 *    `payload` (what VS Code's own web integration tests use), so the suite
 *    runs here too. It loads the extension from dist/ (npm run build).
 *
 * Alone: node --test --import tsx test/e2e/electron/test-electron.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumMissingReason, launchBrowser } from '../../world/browser.js';
import { codeServerMissingReason, startCodeServer } from '../../world/code-server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
/** A download (about 150 MB) and a VS Code start fit in this on a normal connection. */
const TIMEOUT_MS = 10 * 60_000;

function runRunner(): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; timedOut: boolean }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'run.ts')], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the runner and the VS Code it started
      } catch {
        // gone
      }
    }, TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, output, timedOut });
    });
  });
}

test('@vscode/test-electron: the in-editor suite passes, or the runner says why it cannot run here', { timeout: TIMEOUT_MS + 30_000 }, async (t) => {
  const r = await runRunner();
  assert.ok(!r.timedOut, `the runner did not finish within ${TIMEOUT_MS / 1000} s:\n${r.output}`);
  assert.equal(r.code, 0, `the runner exited ${r.code ?? r.signal}:\n${r.output}`);
  const skipped = /^skipped: (VS Code cannot be downloaded here \(.+\)|no X display .+|Xvfb .+)$/m.exec(r.output);
  if (skipped) {
    t.skip(skipped[1]);
    return;
  }
  assert.match(r.output, /^passed: the in-editor suite passed in VS Code$/m, r.output);
  assert.match(r.output, /ok - an invalid Certificate gets diagnostics from the language server/, r.output);
});

test(
  'the in-editor suite passes in code-server\'s extension host (extensionTestsPath in the URL payload)',
  { skip: chromiumMissingReason() ?? codeServerMissingReason() ?? false, timeout: 180_000 },
  async (t) => {
    assert.ok(existsSync(join(ROOT, 'dist', 'extension.js')), 'dist/extension.js is missing: run `npm run build`');
    const ws = mkdtempSync(join(tmpdir(), 'certsmith-in-editor-'));
    t.after(() => rmSync(ws, { recursive: true, force: true }));
    writeFileSync(
      join(ws, 'mistakes.yaml'),
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\n  namespace: default\nspec:\n  secretName: web-tls\n  duration: 10m\n  renewbefore: 5m\n  issuerRef:\n    name: pebble\n  dnsNames:\n    - web.example.test\n',
    );
    const cs = await startCodeServer({ workspace: ws });
    t.after(() => cs.stop());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const page = await browser.newPage();
    const lines: string[] = [];
    let resolveDone: (line: string) => void;
    const done = new Promise<string>((r) => (resolveDone = r));
    page.on('console', (m) => {
      // The extension host's console output is forwarded to the page's console.
      const text = m.text().replace(/^%c\s*\w+\s*color:\s*\S+\s*/, '');
      lines.push(text);
      if (/in-editor suite: \d+ passed, \d+ failed/.test(text)) resolveDone(text);
    });
    const authority = `127.0.0.1:${cs.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${join(ROOT, 'test', 'e2e', 'electron', 'suite', 'index.cjs')}`],
    ];
    await page.goto(`${cs.folderUrl()}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { timeout: 60_000 });
    let timer: NodeJS.Timeout | undefined;
    const summary = await Promise.race([done, new Promise<string>((r) => (timer = setTimeout(() => r('timed out after 120 s'), 120_000)))]);
    clearTimeout(timer);
    const report = lines.filter((l) => /ok - |not ok - |activated in|^\s{4}/.test(l)).join('\n');
    t.diagnostic(report);
    assert.match(summary, /in-editor suite: 3 passed, 0 failed/, `${summary}\n${report}\n${cs.daemon.output().slice(-3000)}`);
  },
);
