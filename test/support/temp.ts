/** Temporary folders under test/.tmp, removed when the test ends. */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ROOT } from './cli.js';

export function tempDir(t: TestContext | { after(fn: () => void): void }): string {
  const base = join(ROOT, 'test', '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'case-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
