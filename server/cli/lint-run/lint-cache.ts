/**
 * `certsmith lint --cache DIR`: the records of files checked before, by the
 * SHA-256 of their bytes, so a CI run checks again only the files that
 * changed (the checks across files always run again: they depend on every
 * file). One JSON file in DIR, valid for one build of Certsmith, its schemas,
 * the cert-manager target and the size limit (anything else starts empty); it
 * holds the files of the last run that used it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FileRecord } from '../../../engine/workspace/file-record.js';
import type { SchemaStore } from '../../../engine/schema/schema-store.js';

const CACHE_FILE = 'certsmith-lint-cache.json';
const FORMAT = 1;

interface CacheFile {
  format: number;
  identity: string;
  records: Record<string, FileRecord>;
}

/** What the records depend on besides the file: this build's code, the schemas and the options that change checks. */
export function cacheIdentity(store: SchemaStore, maxBytes: number): string {
  const h = createHash('sha256');
  // The running bundle holds the whole engine (a worker's bundle is built from the same sources with it).
  h.update(readFileSync(__filename));
  for (const f of [join(store.dir, 'index.json'), join(store.dir, 'releases', 'cert-manager', 'index.json')]) {
    if (existsSync(f)) h.update(readFileSync(f));
  }
  h.update(JSON.stringify({ format: FORMAT, release: store.target.release, version: store.target.version, maxBytes }));
  return h.digest('base64url');
}

export class LintCache {
  private readonly used = new Map<string, FileRecord>();
  private changed = false;

  private constructor(
    private readonly dir: string,
    private readonly identity: string,
    private readonly known: Map<string, FileRecord>,
  ) {}

  /** The cache in `dir` (empty when there is none yet, or it was made for something else). `warn` hears about a cache it cannot read. */
  static open(dir: string, identity: string, warn: (message: string) => void): LintCache {
    const known = new Map<string, FileRecord>();
    const file = join(dir, CACHE_FILE);
    if (existsSync(file)) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
        if (data.format === FORMAT && data.identity === identity) for (const [k, v] of Object.entries(data.records)) known.set(k, v);
      } catch (e) {
        warn(`--cache: ignoring ${file}, which cannot be read (${(e as Error).message.split('\n')[0]})`);
      }
    }
    return new LintCache(dir, identity, known);
  }

  get(hash: string): FileRecord | undefined {
    const r = this.known.get(hash);
    if (r) this.used.set(hash, r);
    return r;
  }

  set(hash: string, record: FileRecord): void {
    this.used.set(hash, record);
    this.changed = true;
  }

  /** Writes the records of this run (atomically), when they differ from what was read. */
  save(warn: (message: string) => void): void {
    if (!this.changed && this.used.size === this.known.size) return;
    const file = join(this.dir, CACHE_FILE);
    const data: CacheFile = { format: FORMAT, identity: this.identity, records: Object.fromEntries(this.used) };
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, file);
    } catch (e) {
      warn(`--cache: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the next run checks every file again`);
    }
  }
}
