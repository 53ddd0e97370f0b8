/**
 * The entry point of the single-file executable (`npm run release`, see
 * scripts/single-executable.mjs).
 *
 * Node 20's single executable applications run one CommonJS script whose
 * require() loads only Node's built-in modules. So the bundle built from this
 * file holds the bundles the CLI otherwise loads from dist/ on first use
 * (esbuild.config.mjs --sea), and the schemas travel inside the executable as
 * its assets. They appear as a read-only schemas/ folder at a path that exists
 * nowhere on disk, served through the calls the schema stores make
 * (existsSync, readFileSync); every other path goes to the disk.
 * CERTSMITH_SCHEMAS_DIR, when set, still wins.
 */
import fs from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { getAsset } from 'node:sea';

/** The asset holding the list of embedded schema files (paths relative to schemas/, with "/"). */
const SCHEMA_LIST_ASSET = 'schemas.list.json';
const ROOT = join(sep, 'certsmith-embedded', 'schemas');

const files = new Set(JSON.parse(getAsset(SCHEMA_LIST_ASSET, 'utf8')) as string[]);
const folders = new Set<string>(['']);
for (const f of files) {
  const parts = f.split('/');
  for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
}

/** The asset key of a path under ROOT ('' for ROOT itself); undefined for any other path. */
function embeddedKey(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  const rel = relative(ROOT, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

const disk = { existsSync: fs.existsSync, readFileSync: fs.readFileSync as (path: unknown, options: unknown) => string | Buffer };

function existsSync(path: fs.PathLike): boolean {
  const key = embeddedKey(path);
  return key === undefined ? disk.existsSync(path) : files.has(key) || folders.has(key);
}

function readFileSync(path: fs.PathOrFileDescriptor, options?: { encoding?: BufferEncoding | null } | BufferEncoding | null): string | Buffer {
  const key = embeddedKey(path);
  if (key === undefined) return disk.readFileSync(path, options);
  if (!files.has(key)) {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${String(path)}'`), { code: 'ENOENT', syscall: 'open', path });
  }
  const encoding = typeof options === 'string' ? options : options?.encoding;
  return encoding ? getAsset(key, encoding) : Buffer.from(getAsset(key));
}

// Every bundled module calls fs through this one module object, so these take effect everywhere.
Object.assign(fs, { existsSync, readFileSync });
process.env.CERTSMITH_SCHEMAS_DIR ||= ROOT;

require('./main.js');
