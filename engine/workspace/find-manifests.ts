/**
 * Finds the YAML files under a folder, as `certsmith lint DIR` and the
 * language server's workspace index do: *.yaml and *.yml, recursively,
 * following symbolic links once (no loops), skipping dependency and VCS folders.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ownCopy } from '../core/own-copy.js';

export const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface FoundFile {
  path: string;
  /** The path as shown to the user: relative to the display root given. */
  display: string;
  /** The file's real path (symbolic links resolved), to notice a file reached twice. */
  real: string;
}

export interface FindOptions {
  /** Stop after this many files (the rest is not looked at). */
  maxFiles?: number;
  maxDepth?: number;
  /** Real paths of folders already walked (shared between several roots). */
  seen?: Set<string>;
  /** Called for a folder that cannot be read; by default it is skipped. */
  onUnreadable?: (display: string, error: unknown) => void;
  /** Leave out a folder or file (its path as found, and whether it is a folder); SKIP_DIRS are always left out. */
  exclude?: (path: string, isDir: boolean) => boolean;
}

export function findYamlFiles(root: string, display: string, options: FindOptions = {}): FoundFile[] {
  const out: FoundFile[] = [];
  const seen = options.seen ?? new Set<string>();
  const maxFiles = options.maxFiles ?? Infinity;
  const maxDepth = options.maxDepth ?? 64;
  const { exclude } = options;
  /** `real`: the folder's real path when known (reached without a symbolic link from a known one). */
  const walk = (dir: string, shown: string, depth: number, knownReal?: string): void => {
    if (depth > maxDepth || out.length >= maxFiles) return;
    let real = knownReal;
    if (real === undefined) {
      try {
        real = realpathSync.native(dir);
      } catch {
        return;
      }
    }
    if (seen.has(real)) return;
    // Kept for the whole walk, one per folder: a flat copy (see below).
    seen.add(ownCopy(real));
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      options.onUnreadable?.(shown, e);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      const p = join(dir, e.name);
      const d = join(shown, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      const link = e.isSymbolicLink();
      if (link) {
        try {
          const st = statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // a dangling link
        }
      }
      if (isDir) {
        if (!SKIP_DIRS.has(e.name) && !exclude?.(p, true)) walk(p, d, depth + 1, link ? undefined : join(real, e.name));
      } else if (isFile && /\.ya?ml$/i.test(e.name) && !exclude?.(p, false)) {
        let fileReal = join(real, e.name);
        if (link) {
          try {
            fileReal = realpathSync.native(p);
          } catch {
            continue;
          }
        }
        // Kept for the whole run (20,000 files in a monorepo): flat copies, not path.join's trees of segments.
        out.push({ path: ownCopy(p), display: ownCopy(d), real: ownCopy(fileReal) });
      }
    }
  };
  walk(root, display, 0);
  return out;
}
