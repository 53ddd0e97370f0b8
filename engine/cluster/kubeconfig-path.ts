/** Kept apart from kubeconfig.ts so that resolving a setting does not load the Kubernetes client. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * A kubeconfig path as a person writes it in a setting or flag: `~` is the
 * home directory, a relative path is relative to `baseDir` (the workspace
 * folder, or the CLI's working directory).
 */
export function expandKubeconfigPath(path: string | undefined, baseDir: string | undefined, home = process.env.HOME || homedir()): string | undefined {
  const p = path?.trim();
  if (!p) return undefined;
  if (p === '~' || p.startsWith('~/')) return join(home, p.slice(1));
  if (!isAbsolute(p) && baseDir) return join(baseDir, p);
  return p;
}
