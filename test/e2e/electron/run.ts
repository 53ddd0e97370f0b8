/**
 * The in-editor suite (suite/index.cjs) in a desktop VS Code downloaded by
 * @vscode/test-electron, for machines that can download VS Code:
 *
 *   npm run build && node --import tsx test/e2e/electron/run.ts
 *
 * It loads the extension from this repository (--extensionDevelopmentPath, so
 * dist/extension.js must be built), opens a temporary workspace holding an
 * invalid Certificate, and runs the suite inside the extension host: commands
 * registered, activation, diagnostics from the language server.
 *
 * Where VS Code cannot be downloaded (no route to its update server, as on the
 * project's machines) it prints "skipped: VS Code cannot be downloaded here
 * (<reason>)" and exits 0; the code-server suite (test/e2e/extension.e2e.test.ts)
 * is the one that runs there. Likewise "skipped: no X display (...)" on a
 * machine without a display and without Xvfb. Exit 1 means the suite ran and failed.
 *
 * CERTSMITH_VSCODE_EXECUTABLE=/path/to/code uses an installed VS Code instead
 * of downloading one; CERTSMITH_VSCODE_VERSION picks the version to download
 * (default 1.100.3, the oldest one package.json's engines.vscode allows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { MISTAKES_YAML } from '../manifests.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SUITE = join(ROOT, 'test', 'e2e', 'electron', 'suite', 'index.cjs');
const CACHE = join(ROOT, 'test', '.cache', 'vscode-test');
const VERSION = process.env.CERTSMITH_VSCODE_VERSION || '1.100.3';
const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;

function skip(reason: string): never {
  console.log(`skipped: ${reason}`);
  process.exit(0);
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** A display for Electron: the current one, or a private Xvfb (stopped at the end). */
async function display(): Promise<{ env: Record<string, string>; stop: () => void }> {
  if (process.env.DISPLAY) return { env: {}, stop: () => {} };
  const xvfb = onPath('Xvfb');
  if (!xvfb) skip('no X display for Electron (DISPLAY is unset and Xvfb is not installed: apt-get install xvfb)');
  const number = 90 + Math.floor(Math.random() * 400);
  const child: ChildProcess = spawn(xvfb, [`:${number}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 1000));
  if (child.exitCode !== null) skip(`Xvfb :${number} did not start`);
  return {
    env: { DISPLAY: `:${number}` },
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // gone
      }
    },
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    console.error('dist/extension.js is missing: run `npm run build` first');
    process.exit(1);
  }
  let executable = process.env.CERTSMITH_VSCODE_EXECUTABLE;
  if (!executable) {
    mkdirSync(CACHE, { recursive: true });
    try {
      executable = await downloadAndUnzipVSCode({ version: VERSION, cachePath: CACHE, timeout: DOWNLOAD_IDLE_TIMEOUT_MS });
    } catch (e) {
      const reason = String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 300);
      skip(`VS Code cannot be downloaded here (${reason})`);
    }
  }

  const work = mkdtempSync(join(tmpdir(), 'certsmith-electron-'));
  const workspace = join(work, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'mistakes.yaml'), MISTAKES_YAML);
  const x = await display();
  try {
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE,
      extensionTestsEnv: { ...x.env },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--disable-gpu', '--no-sandbox', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(work, 'user-data'), '--extensions-dir', join(work, 'extensions')],
    });
    console.log(code === 0 ? 'passed: the in-editor suite passed in VS Code' : `failed: VS Code exited ${code}`);
    process.exitCode = code === 0 ? 0 : 1;
  } catch (e) {
    console.log(`failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    x.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
