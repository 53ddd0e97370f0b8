/**
 * The files a command that reads manifests is given: files as named,
 * directories searched recursively for *.yaml and *.yml (each real path once),
 * `-` for standard input. What cannot be read is a UsageError naming it.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { findYamlFiles } from '../../engine/workspace/find-manifests.js';
import { ioReason, UsageError } from './command-io.js';

export interface InputFile {
  /** As shown to the user. */
  display: string;
  path: string;
  /** Named on the command line (always checked) or found in a directory (checked when relevant). */
  explicit: boolean;
}

export function collectInputFiles(paths: string[], cwd: string): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const walkedDirs = new Set<string>();
  // The walk knows each found file's real path already; only named files are resolved here.
  const add = (path: string, display: string, explicit: boolean, knownReal?: string) => {
    let real = knownReal;
    if (real === undefined) {
      try {
        real = realpathSync(path);
      } catch {
        real = path;
      }
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ path, display, explicit });
  };
  for (const p of paths) {
    if (p === '-') {
      if (!seen.has('-')) out.push({ path: '-', display: '<stdin>', explicit: true });
      seen.add('-');
      continue;
    }
    const abs = isAbsolute(p) ? p : join(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${ioReason(e)}`);
    }
    if (st.isDirectory()) {
      const found = findYamlFiles(abs, p, {
        seen: walkedDirs,
        onUnreadable: (display, e) => {
          throw new UsageError(`cannot read directory ${display}: ${ioReason(e)}`);
        },
      });
      for (const f of found) add(f.path, f.display, false, f.real);
    } else add(abs, p, true);
  }
  return out;
}
