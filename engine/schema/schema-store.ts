/**
 * The generated JSON schemas (schemas/), loaded lazily by apiVersion and kind.
 * For a cert-manager target other than "next" (the commit schemas/ comes
 * from), the cert-manager kinds come from that release's schemas
 * (release-schemas.ts); the Kubernetes and Gateway API kinds stay the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JsonSchema } from './json-schema.js';
import { defaultTarget, type CertManagerTarget } from './cert-manager-target.js';
import { releaseSchemas, type ReleaseKindEntry, type ReleaseSchemas } from './release-schemas.js';

/** The API groups whose schemas follow the cert-manager target. */
export const CERT_MANAGER_GROUPS = new Set(['cert-manager.io', 'acme.cert-manager.io']);

export interface SchemaIndexEntry extends ReleaseKindEntry {
  file: string;
}

/** Locate schemas/ next to the running code (source tree or bundle in dist/). */
function findSchemasDir(): string {
  const fromEnv = process.env.CERTSMITH_SCHEMAS_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'index.json'))) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'index.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('Certsmith cannot find its schemas/ folder (index.json); the installation is incomplete.');
}

export class SchemaStore {
  readonly entries: SchemaIndexEntry[];
  private readonly byKey = new Map<string, SchemaIndexEntry>();
  private readonly loaded = new Map<string, JsonSchema>();
  /** Versions served per group. */
  private readonly versions = new Map<string, Set<string>>();
  /** Kinds per apiVersion. */
  private readonly kinds = new Map<string, SchemaIndexEntry[]>();

  /** The cert-manager release whose kinds these are. */
  readonly target: CertManagerTarget;
  private readonly releases?: ReleaseSchemas;

  constructor(readonly dir: string = findSchemasDir(), target?: CertManagerTarget, releases?: ReleaseSchemas) {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { kinds: SchemaIndexEntry[] };
    this.target = target ?? { release: 'next', version: 'next', origin: 'default', from: 'the bundled schemas' };
    if (this.target.release === 'next') this.entries = index.kinds;
    else {
      this.releases = releases ?? releaseSchemas();
      const fromRelease = this.releases.kinds(this.target.release).map((k) => ({ ...k, file: `release:${k.group}/${k.version}/${k.kind}` }));
      this.entries = [...index.kinds.filter((e) => !CERT_MANAGER_GROUPS.has(e.group)), ...fromRelease];
    }
    for (const e of this.entries) {
      this.byKey.set(`${e.apiVersion}|${e.kind}`, e);
      if (!this.versions.has(e.group)) this.versions.set(e.group, new Set());
      this.versions.get(e.group)!.add(e.version);
      if (!this.kinds.has(e.apiVersion)) this.kinds.set(e.apiVersion, []);
      this.kinds.get(e.apiVersion)!.push(e);
    }
  }

  entry(apiVersion: string, kind: string): SchemaIndexEntry | undefined {
    return this.byKey.get(`${apiVersion}|${kind}`);
  }

  schema(apiVersion: string, kind: string): JsonSchema | undefined {
    const e = this.entry(apiVersion, kind);
    if (!e) return undefined;
    let s = this.loaded.get(e.file);
    if (!s) {
      s = e.file.startsWith('release:')
        ? (this.releases!.schema(this.target.release, e.group, e.version, e.kind) as unknown as JsonSchema)
        : (JSON.parse(readFileSync(join(this.dir, e.file), 'utf8')) as JsonSchema);
      this.loaded.set(e.file, s);
    }
    return s;
  }

  hasGroup(group: string): boolean {
    return this.versions.has(group);
  }

  servedVersions(group: string): string[] {
    return [...(this.versions.get(group) ?? [])].sort();
  }

  kindsOf(apiVersion: string): SchemaIndexEntry[] {
    return this.kinds.get(apiVersion) ?? [];
  }

  /** The newest served apiVersion of a kind in a group (v1 over v1beta1). */
  preferredApiVersion(group: string, kind: string): string | undefined {
    const candidates = this.entries.filter((e) => e.group === group && e.kind === kind);
    candidates.sort((a, b) => Number(b.storage) - Number(a.storage));
    return candidates[0]?.apiVersion;
  }
}

const shared = new Map<string, SchemaStore>();

/** The process-wide store of a cert-manager target (schemas are read-only data); default: the newest bundled release. */
export function schemaStore(target: CertManagerTarget = defaultTarget()): SchemaStore {
  const key = `${target.release}|${target.origin}|${target.from}`;
  let s = shared.get(key);
  if (!s) shared.set(key, (s = new SchemaStore(findSchemasDir(), target)));
  return s;
}
