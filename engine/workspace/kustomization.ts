/**
 * What kustomize will do to the files of a workspace, as far as the checks
 * need it: which files are patches (partial objects, merged into a base
 * before anything reaches a cluster) and which files kustomize puts into a
 * namespace. Read from every kustomization.yaml in the workspace; remote
 * resources and inline patches are not files here and are left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parse } from 'yaml';
import { asRecord } from '../core/values.js';

export interface Kustomization {
  namespace?: string;
  /** Files and folders it builds from (resources and components), as written. */
  resources: string[];
  /** Files it applies as strategic-merge patches (patches[].path, patchesStrategicMerge), as written. */
  patches: string[];
}

const NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(uri: string): boolean {
  // A client may send anything as a URI.
  return typeof uri === 'string' && NAMES.has(posix.basename(uri));
}

/** The kustomization a file's text holds, or undefined when it is not one (or not YAML). */
export function readKustomization(text: string): Kustomization | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const k = asRecord(doc);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
  // A patch written inline (a string with a line break) is not a file.
  const isPath = (s: string) => !s.includes('\n') && !/^\s*(apiVersion|kind)\s*:/.test(s);
  const patches = [
    ...(Array.isArray(k.patches) ? k.patches.map((p) => asRecord(p)?.path).filter((p): p is string => typeof p === 'string') : []),
    ...strings(k.patchesStrategicMerge).filter(isPath),
  ];
  const out: Kustomization = { resources: [...strings(k.resources), ...strings(k.components)].filter((r) => !/^[a-z]+:\/\//i.test(r) && !r.startsWith('git@')), patches };
  if (typeof k.namespace === 'string' && k.namespace !== '') out.namespace = k.namespace;
  return out;
}

export interface KustomizeRoles {
  /** Files kustomize applies as patches, with the kustomization that names each. */
  patches: Map<string, string>;
  /** Files whose objects kustomize puts into a namespace: every namespace some kustomization gives them. */
  namespaces: Map<string, string[]>;
}

/**
 * The kustomizations in the folders of the given files and in the folders
 * above them, up to a repository's root (a folder with .git) or the file
 * system's: where the kustomizations that patch those files or give them a
 * namespace usually are, when only some files of a tree are checked (a
 * pre-commit hook names the changed files). Plain paths in, plain paths out.
 */
export function kustomizationsAround(paths: Iterable<string>): { uri: string; text: string }[] {
  const out: { uri: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path), depth = 0; !seen.has(dir) && depth < 64; dir = dirname(dir), depth++) {
      seen.add(dir);
      for (const name of NAMES) {
        const file = join(dir, name);
        try {
          out.push({ uri: file, text: readFileSync(file, 'utf8') });
        } catch {
          // None of that name here.
        }
      }
      if (dirname(dir) === dir || existsSync(join(dir, '.git'))) break;
    }
  }
  return out;
}

/** A path relative to the file `from` (a file:// URI or a plain path), in the same form. */
function resolveFrom(from: string, relative: string): string {
  if (from.startsWith('file://')) return new URL(relative, from).href.replace(/\/$/, '');
  if (posix.isAbsolute(relative)) return posix.normalize(relative);
  return posix.normalize(posix.join(posix.dirname(from), relative)).replace(/\/$/, '');
}

/**
 * The roles kustomize gives the files of a workspace. `files` are every file
 * of it (the kustomizations among them are recognised by name).
 */
export function kustomizeRoles(files: Iterable<{ uri: string; text: string }>): KustomizeRoles {
  const kustomizations = new Map<string, { uri: string; k: Kustomization }>();
  for (const f of files) {
    if (!isKustomizationFile(f.uri)) continue;
    const k = readKustomization(f.text);
    if (k) kustomizations.set(posix.dirname(f.uri.replace(/\/$/, '')), { uri: f.uri, k });
  }
  const patches = new Map<string, string>();
  const namespaces = new Map<string, string[]>();
  const give = (uri: string, ns: string) => {
    const list = namespaces.get(uri) ?? [];
    if (!list.includes(ns)) list.push(ns);
    namespaces.set(uri, list);
  };
  /** Gives `ns` to everything a kustomization builds from, through folders with kustomizations of their own (once each). */
  const walk = (entry: { uri: string; k: Kustomization }, ns: string, seen: Set<string>) => {
    if (seen.has(entry.uri)) return;
    seen.add(entry.uri);
    for (const r of [...entry.k.resources, ...entry.k.patches]) {
      const target = resolveFrom(entry.uri, r);
      const folder = kustomizations.get(target);
      if (folder) walk(folder, ns, seen);
      else give(target, ns);
    }
  };
  for (const entry of kustomizations.values()) {
    for (const p of entry.k.patches) patches.set(resolveFrom(entry.uri, p), entry.uri);
    if (entry.k.namespace) walk(entry, entry.k.namespace, new Set());
  }
  return { patches, namespaces };
}

/** A file's place as kustomizeRoles keys it: a plain path normalized ("./a/../b.yaml" → "b.yaml"), a file:// URI as given. */
function keyOf(uri: string): string {
  return uri.startsWith('file://') ? uri : posix.normalize(uri);
}

/** Questions about one workspace's kustomize roles, for files named as the workspace names them. */
export class KustomizeView {
  private readonly roles: KustomizeRoles;

  constructor(kustomizations: Iterable<{ uri: string; text: string }>) {
    this.roles = kustomizeRoles(kustomizations);
  }

  /** The kustomization that applies the file as a patch, if any. */
  patchedBy(uri: string): string | undefined {
    return this.roles.patches.get(keyOf(uri));
  }

  /** The namespaces kustomizations put the file's objects into (undefined: none). */
  namespaces(uri: string): readonly string[] | undefined {
    return this.roles.namespaces.get(keyOf(uri));
  }

  get empty(): boolean {
    return this.roles.patches.size === 0 && this.roles.namespaces.size === 0;
  }
}
