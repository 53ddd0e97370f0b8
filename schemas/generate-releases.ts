/**
 * Generates schemas/releases/: the JSON schemas of every cert-manager minor
 * from v1.14 to the newest release, plus "next" (the commit the bundled schemas
 * come from), in one compact store, cert-manager/ (index.json and one union
 * tree per kind), read by schemas/releases/release-schemas.ts.
 *
 *   npm run schemas:releases               each minor's newest patch on the Go module proxy
 *   npm run schemas:releases -- --offline  the pinned patches below, from the Go module cache only
 *   npm run schemas:releases -- DIR        write into DIR instead of schemas/releases
 *
 * Each release's CRDs are its Go module's deploy/crds/*.yaml, downloaded with
 * `go mod download -json github.com/cert-manager/cert-manager@VERSION` into the
 * Go module cache (nothing is copied into the repository), and converted by
 * schemas/generate.ts's own convertCrdYaml. "next" is schemas/upstream/cert-manager.
 * schemas/releases/SOURCE.md records each version, the module zip's hash
 * (go.sum's h1:) and each CRD file's sha256.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertCrdYaml } from './generate.js';
import {
  canonicalJson,
  ReleaseSchemas,
  STORE_FORMAT,
  VARIANT_KEY,
  type Json,
  type JsonObject,
  type ReleaseInfo,
  type ReleaseStoreIndex,
  type ValueRun,
} from '../engine/schema/release-schemas.js';

const here = dirname(fileURLToPath(import.meta.url));
const MODULE = 'github.com/cert-manager/cert-manager';
const FIRST_MINOR = 14;
const LAST_MINOR = 21;
/**
 * Newest patch of each minor that the module proxy served when this was last run
 * (2026-12). The proxy lists only v1.21.x, but asking for an exact older version
 * works; the generator asks for the patches above these until the proxy does not
 * know one.
 */
const PINNED_PATCH: Record<number, number> = { 14: 7, 15: 5, 16: 5, 17: 4, 18: 6, 19: 5, 20: 3, 21: 2 };
/** Patches asked for above the last one found, so that a refused patch (a hole) does not end the search. */
const PROBE_AHEAD = 2;
const NEXT_DIR = join(here, 'upstream', 'cert-manager');

interface Download {
  version: string;
  sum?: string;
  dir?: string;
  error?: string;
}

/** How go is run: set by main() (online or --offline), in a scratch folder outside any module. */
let goEnv: NodeJS.ProcessEnv = process.env;
let goCwd = tmpdir();
let offline = false;

function download(version: string): Download {
  const r = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], {
    cwd: goCwd,
    env: goEnv,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.error) throw new Error(`cannot run go: ${r.error.message}`);
  let out: { Version?: string; Sum?: string; Dir?: string; Error?: string };
  try {
    out = JSON.parse(r.stdout);
  } catch {
    return { version, error: (r.stderr || r.stdout).trim() || `go mod download exited with ${r.status}` };
  }
  if (out.Error) return { version, error: out.Error.replace(/\s+/g, ' ') };
  return { version, sum: out.Sum, dir: out.Dir };
}

/** The proxy does not know the version at all (as opposed to refusing its zip or go.mod). */
function unknownVersion(d: Download): boolean {
  return /\.info: (403|404|410)\b/.test(d.error ?? '') || /unknown revision|invalid version/.test(d.error ?? '');
}

interface Probe {
  version: string;
  outcome: string;
}

/** The newest downloadable patch of a minor, and what was asked on the way. */
function newestPatch(minor: number): { chosen: Download; probes: Probe[] } {
  const pinned = download(`v1.${minor}.${PINNED_PATCH[minor]}`);
  if (!pinned.sum) {
    const where = offline ? 'the Go module cache does not hold (--offline)' : 'the Go module proxy does not give';
    throw new Error(`${where} ${MODULE}@${pinned.version}: ${pinned.error}`);
  }
  let chosen = pinned;
  const probes: Probe[] = [];
  if (offline) return { chosen, probes };
  let misses = 0;
  for (let patch = PINNED_PATCH[minor] + 1; misses < PROBE_AHEAD && patch < PINNED_PATCH[minor] + 50; patch++) {
    const d = download(`v1.${minor}.${patch}`);
    if (d.sum) {
      chosen = d;
      misses = 0;
      probes.push({ version: d.version, outcome: 'downloaded' });
      continue;
    }
    if (!unknownVersion(d) && !/: \d{3} /.test(d.error!)) {
      // No answer from the proxy at all: a refused patch and an unreachable proxy must not look alike.
      throw new Error(
        `cannot ask the Go module proxy for ${MODULE}@${d.version} (${d.error}); --offline uses the pinned patches in the module cache`,
      );
    }
    misses++;
    probes.push({ version: d.version, outcome: unknownVersion(d) ? 'not served' : `served but not downloadable: ${shortError(d.error!)}` });
  }
  return { chosen, probes };
}

/** "v1.19.6.zip: 403 Forbidden" out of go's message. */
function shortError(e: string): string {
  const m = /(https:\/\/\S+?): (\d{3} [A-Z][a-z]+(?: [A-Z][a-z]+)*)/.exec(e);
  if (!m) return e.slice(0, 160);
  const what = m[1].includes('/sumdb/') ? 'checksum database lookup' : m[1].slice(m[1].lastIndexOf('/') + 1);
  return `${what}: ${m[2]}`;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * v1.14 … v1.18 ship deploy/crds as Helm templates: the template actions sit in
 * YAML comments (`# START crd {{- if … }}`, `# END crd {{- end }}`, `# Generated
 * labels {{- include … }}`) and in quoted label values. The comment lines are
 * removed; whatever template text is left must be in metadata only.
 */
export function stripHelm(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*#.*\{\{.*\}\}/.test(line))
    .join('\n');
}

/** A CRD file as read, with the sha256 of its bytes. */
export interface CrdFile {
  name: string;
  sha256: string;
  text: string;
}

/** The CRD files (*.yaml) of a folder, sorted by name. */
export function readCrds(dir: string): CrdFile[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort();
  if (!names.length) throw new Error(`no CRDs (*.yaml) in ${dir}`);
  return names.map((name) => {
    const raw = readFileSync(join(dir, name));
    return { name, sha256: sha256(raw), text: raw.toString('utf8') };
  });
}

/** "group/version/Kind" → converted schema and index entry (without source and file). */
export type ConvertedKinds = Map<string, { entry: JsonObject; schema: JsonObject }>;

interface ReleaseData {
  info: ReleaseInfo;
  files: CrdFile[];
  probes: Probe[];
  kinds: ConvertedKinds;
}

/** One release's CRD files converted as schemas/generate.ts converts the bundled ones. */
export function convertReleaseCrds(files: CrdFile[], label: string): ConvertedKinds {
  const kinds: ConvertedKinds = new Map();
  for (const f of files) {
    for (const { entry, schema } of convertCrdYaml(stripHelm(f.text), `${label} (${f.name})`, `${label} ${f.name}`)) {
      if (JSON.stringify(schema).includes('{{')) throw new Error(`${label} ${f.name}: Helm template text left in the schema`);
      // Where it came from is the release's (index.json releases[]), not each kind's.
      const { source: _source, ...rest } = entry;
      const key = `${entry.group}/${entry.version}/${entry.kind}`;
      if (kinds.has(key)) throw new Error(`${label}: ${key} is defined twice`);
      kinds.set(key, { entry: rest as unknown as JsonObject, schema });
    }
  }
  return kinds;
}

const crdFileSums = (files: CrdFile[]): Record<string, string> => Object.fromEntries(files.map((f) => [f.name, f.sha256]));

function collect(): ReleaseData[] {
  const out: ReleaseData[] = [];
  for (let minor = FIRST_MINOR; minor <= LAST_MINOR; minor++) {
    const { chosen, probes } = newestPatch(minor);
    const files = readCrds(join(chosen.dir!, 'deploy', 'crds'));
    out.push({
      info: {
        id: `v1.${minor}`,
        version: chosen.version,
        moduleSum: chosen.sum,
        source: `${MODULE}@${chosen.version} deploy/crds`,
        crdFiles: crdFileSums(files),
      },
      files,
      probes,
      kinds: convertReleaseCrds(files, `cert-manager ${chosen.version}`),
    });
    console.log(`v1.${minor}: ${chosen.version} ${chosen.sum} (${files.length} CRD files)`);
  }
  const commit = /`([0-9a-f]{40})`/.exec(readFileSync(join(NEXT_DIR, 'SOURCE.md'), 'utf8'))?.[1];
  if (!commit) throw new Error(`${NEXT_DIR}/SOURCE.md names no commit`);
  const files = readCrds(NEXT_DIR);
  out.push({
    info: { id: 'next', version: commit, source: 'schemas/upstream/cert-manager', crdFiles: crdFileSums(files) },
    files,
    probes: [],
    kinds: convertReleaseCrds(files, 'cert-manager next'),
  });
  console.log(`next: ${commit} (${files.length} CRD files)`);
  return out;
}

/** Values of a node per release (bit), newest release first so that the newest key order wins. */
type Values = [number, Json][];

function isObj(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Encode one node of the union tree: `values` are the releases in which it exists, `scope` those of its parent. */
function encode(values: Values, scope: number): Json {
  const present = values.reduce((m, [bit]) => m | bit, 0);
  const inner = encodePresent(values, present);
  return present === scope ? inner : { [VARIANT_KEY]: [[present, inner]] };
}

function encodePresent(values: Values, scope: number): Json {
  const objects = values.filter(([, v]) => isObj(v));
  const others = values.filter(([, v]) => !isObj(v));
  if (objects.length === values.length) return mergeObjects(objects, scope);
  // Different types, or values that differ: one variant per distinct value (objects merged).
  const groups = new Map<string, Values>();
  for (const [bit, v] of others) {
    const t = canonicalJson(v);
    groups.set(t, [...(groups.get(t) ?? []), [bit, v]]);
  }
  if (groups.size === 1 && !objects.length) return others[0][1];
  const out: [number, Json][] = [];
  if (objects.length) {
    const m = objects.reduce((a, [bit]) => a | bit, 0);
    out.push([m, mergeObjects(objects, m)]);
  }
  for (const g of groups.values()) out.push([g.reduce((a, [bit]) => a | bit, 0), g[0][1]]);
  return { [VARIANT_KEY]: out };
}

function mergeObjects(values: Values, scope: number): JsonObject {
  const out: JsonObject = {};
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const [, v] of values) {
    for (const k of Object.keys(v as JsonObject)) {
      if (k === VARIANT_KEY) throw new Error(`a schema has a key ${VARIANT_KEY}, the store's variant marker`);
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  for (const k of keys) {
    const sub: Values = values.filter(([, v]) => k in (v as JsonObject)).map(([bit, v]) => [bit, (v as JsonObject)[k]]);
    out[k] = encode(sub, scope);
  }
  return out;
}

function buildStore(releases: ReleaseData[]): { index: ReleaseStoreIndex; files: Map<string, Json> } {
  const allMask = (1 << releases.length) - 1;
  const keys = [...new Set(releases.flatMap((r) => [...r.kinds.keys()]))].sort();
  const kinds: ReleaseStoreIndex['kinds'] = {};
  const files = new Map<string, Json>();
  const newestFirst = releases.map((r, i) => ({ r, bit: 1 << i })).reverse();
  for (const key of keys) {
    const have = newestFirst.filter(({ r }) => r.kinds.has(key));
    const file = `${key}.json`;
    files.set(
      file,
      encode(
        have.map(({ r, bit }) => [bit, r.kinds.get(key)!.schema]),
        allMask,
      ),
    );
    kinds[key] = {
      entry: encode(
        have.map(({ r, bit }) => [bit, r.kinds.get(key)!.entry]),
        allMask,
      ),
      file,
      sha256: releases.map((r) => (r.kinds.has(key) ? sha256(canonicalJson(r.kinds.get(key)!.schema)) : null)),
    };
  }
  const index: ReleaseStoreIndex = {
    comment:
      "Generated by `npm run schemas:releases` (schemas/generate-releases.ts) from each release's CRDs; do not edit. Format: schemas/releases/release-schemas.ts.",
    format: STORE_FORMAT,
    releases: releases.map((r) => r.info),
    kinds,
  };
  return { index, files };
}

function sourceMd(releases: ReleaseData[]): string {
  const lines = [
    '# Source',
    '',
    'Generated by `npm run schemas:releases` (schemas/generate-releases.ts); do not edit.',
    '',
    'cert-manager/ (index.json, one file per kind) holds the JSON schemas of the CRDs of each',
    `cert-manager minor from v1.${FIRST_MINOR} to v1.${LAST_MINOR} (the newest patch of each that the Go module proxy serves) and of "next",`,
    'the commit the bundled schemas come from (schemas/upstream/cert-manager, see its SOURCE.md).',
    `Each release's CRDs are \`deploy/crds/*.yaml\` of the Go module \`${MODULE}\`, fetched with`,
    '`go mod download -json` (the zip is verified against the checksum database) and converted by',
    "schemas/generate.ts's convertCrdYaml; v1.14 to v1.18 ship them as Helm templates, whose",
    'template comment lines are removed first. cert-manager is Apache-2.0 licensed',
    '(schemas/upstream/cert-manager/LICENSE).',
    '',
    '| Release | Version | Module zip hash (go.sum h1) |',
    '| --- | --- | --- |',
    ...releases.map((r) => `| ${r.info.id} | ${r.info.version} | ${r.info.moduleSum ?? '(schemas/upstream/cert-manager)'} |`),
    '',
    '## CRD files (sha256)',
    '',
  ];
  for (const r of releases) {
    lines.push(`### ${r.info.id} (${r.info.version})`, '');
    for (const f of r.files) lines.push(`- \`${f.sha256}\` ${f.name}`);
    lines.push('');
  }
  const probed = releases.filter((r) => r.probes.length);
  lines.push('## Newer patches asked for', '');
  if (!probed.length) lines.push(offline ? 'None: generated with --offline from the pinned patches.' : 'None.');
  for (const r of probed) lines.push(`- ${r.info.id}: ${r.probes.map((p) => `${p.version} ${p.outcome}`).join('; ')}`);
  lines.push('');
  return lines.join('\n');
}

/** The store's changes (ReleaseSchemas.changes) of every kind as Markdown tables: the since-table. */
export function changesMarkdown(rs: ReleaseSchemas): string {
  const range = (r: ValueRun): string => (r.from === r.to ? r.from : `${r.from}–${r.to}`);
  const show = (v: Json | undefined): string => (v === undefined ? '(not set)' : `\`${JSON.stringify(v)}\``);
  const lines = [
    '# cert-manager CRD changes by release',
    '',
    'Generated by `npm run schemas:releases` from cert-manager/ (ReleaseSchemas.changes); do not edit.',
    'Every field of each kind whose schema differs between the bundled releases, descriptions aside:',
    '"added"/"removed" for the field, "deprecated" when its description says so, "described default" for a default',
    'its description states ("Default is `X`"; the controller applies it, the CRD has no `default`), else the keyword and its values.',
    `Releases: ${rs
      .releases()
      .map((r) => `${r.id} (${r.version.length === 40 ? r.version.slice(0, 12) : r.version})`)
      .join(', ')}.`,
    '',
  ];
  const keys = [...new Set(rs.releases().flatMap((r) => rs.kindKeys(r.id)))].sort();
  for (const key of keys) {
    const [group, version, kind] = key.split('/');
    const changes = rs.changes(group, version, kind);
    lines.push(`## ${kind} (${group}/${version})`, '');
    if (!changes.length) {
      lines.push('No changes.', '');
      continue;
    }
    lines.push('| Field | Change | Releases |', '| --- | --- | --- |');
    for (const c of changes) {
      let what = c.what;
      let detail: string;
      if (c.what === 'presence' || c.what === 'deprecated') {
        const yes = c.runs.filter((r) => r.value === true);
        const no = c.runs.filter((r) => r.value !== true);
        what = c.what === 'deprecated' ? 'deprecated' : yes[0] === c.runs[0] ? 'removed' : 'added';
        if (c.what === 'presence' && yes.length > 1) what = 'added/removed';
        detail = `${yes.map(range).join(', ')}${no.length ? ` (not in ${no.map(range).join(', ')})` : ''}`;
      } else {
        detail = c.runs.map((r) => `${range(r)}: ${show(r.value)}`).join('; ');
      }
      lines.push(`| \`${c.path}\` | ${what} | ${detail.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function main(): void {
  const started = Date.now();
  const args = process.argv.slice(2);
  offline = args.includes('--offline');
  const outDir = args.find((a) => !a.startsWith('--')) ?? join(here, 'releases');
  goEnv = { ...process.env, GOFLAGS: '-mod=mod', ...(offline ? { GOPROXY: 'off' } : {}) };
  // Outside any module, so that no go.mod of the checkout is consulted or changed.
  goCwd = mkdtempSync(join(tmpdir(), 'certsmith-releases-'));
  try {
    const releases = collect();
    const { index, files } = buildStore(releases);
    // The store must give back every release's schemas exactly (as canonical JSON).
    const check = new ReleaseSchemas(index, (file) => files.get(file)!);
    for (const r of releases) {
      for (const [key, { schema }] of r.kinds) {
        const [group, version, kind] = key.split('/');
        const back = check.schema(r.info.id, group, version, kind);
        if (!back || canonicalJson(back) !== canonicalJson(schema)) throw new Error(`the store does not reproduce ${key} of ${r.info.id}`);
      }
    }
    const storeDir = join(outDir, 'cert-manager');
    rmSync(storeDir, { recursive: true, force: true });
    let bytes = 0;
    for (const [file, union] of [...files, ['index.json', index as unknown as Json] as const]) {
      const text = JSON.stringify(union) + '\n';
      mkdirSync(dirname(join(storeDir, file)), { recursive: true });
      writeFileSync(join(storeDir, file), text);
      bytes += Buffer.byteLength(text);
    }
    writeFileSync(join(outDir, 'SOURCE.md'), sourceMd(releases));
    writeFileSync(join(outDir, 'CHANGES.md'), changesMarkdown(check));
    console.log(`wrote ${storeDir} (${files.size + 1} files, ${bytes} bytes), SOURCE.md and CHANGES.md in ${Date.now() - started} ms`);
  } finally {
    rmSync(goCwd, { recursive: true, force: true });
  }
}

// Run only as a script: the test imports readCrds, convertReleaseCrds and changesMarkdown.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(`schemas:releases: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
