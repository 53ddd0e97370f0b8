/**
 * Which folders and files the workspace index leaves out: vendored and
 * generated trees by default (dependency and VCS folders, Helm subcharts
 * unpacked under charts/NAME/charts), and the editor's `files.exclude`
 * globs, as VS Code reads them: relative to the workspace folder, `**` for
 * any folders, `*` and `?` within a name, `{a,b}` alternatives, `[...]`
 * character classes; `true` excludes, `false` does not, and
 * `{ "when": "$(basename).ts" }` excludes only when that sibling exists.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';

/** Helm puts a chart's dependencies in charts/NAME/charts: vendored copies, not the repository's own manifests. */
const DEFAULT_PATTERNS = ['**/charts/*/charts'];

interface Rule {
  re: RegExp;
  /** Exclude only when this sibling exists ($(basename) replaced). */
  when?: string;
}

/** A glob as a regular expression over a relative path with / separators. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let inGroup = false;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` any folders (none included); a trailing `**` anything below.
        if (glob[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inGroup = true;
      re += '(?:';
    } else if (c === '}' && inGroup) {
      inGroup = false;
      re += ')';
    } else if (c === ',' && inGroup) re += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += /[.+^$()|\\]/.test(c) ? `\\${c}` : c;
    i++;
  }
  return new RegExp(`^${re}$`);
}

/**
 * The exclusion test for one workspace folder: `files.exclude` as the editor
 * sends it (undefined: none) plus the defaults. Paths are absolute.
 */
export function excludeTest(folder: string, filesExclude: unknown): (path: string, isDir: boolean) => boolean {
  const rules: Rule[] = DEFAULT_PATTERNS.map((p) => ({ re: globToRegExp(p) }));
  if (filesExclude && typeof filesExclude === 'object') {
    for (const [pattern, value] of Object.entries(filesExclude as Record<string, unknown>)) {
      const glob = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
      if (!glob) continue;
      if (value === true) rules.push({ re: globToRegExp(glob) });
      else if (value && typeof value === 'object' && typeof (value as { when?: unknown }).when === 'string') rules.push({ re: globToRegExp(glob), when: (value as { when: string }).when });
    }
  }
  return (path: string) => {
    const rel = relative(folder, path).split(sep).join('/');
    if (!rel || rel.startsWith('../')) return false;
    return rules.some((r) => {
      if (!r.re.test(rel)) return false;
      if (r.when === undefined) return true;
      const name = basename(path, extname(path));
      return existsSync(join(dirname(path), r.when.replace(/\$\(basename\)/g, name)));
    });
  };
}
