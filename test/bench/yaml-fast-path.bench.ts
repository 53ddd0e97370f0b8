/**
 * Is the hand-written YAML fast path (engine/manifests/block-subset-parser.ts)
 * still worth its code? Parses realistic input with:
 *
 *   fast path        ParsedDocument per document, fast path on (as shipped)
 *   full parser      ParsedDocument per document, CERTSMITH_YAML_FAST_PATH=off
 *   yaml parseDocument / parseAllDocuments   `yaml` alone, ParsedDocument's options
 *   the same two with the newest `yaml` (--new-yaml DIR, a scratch install)
 *
 * and then times `node dist/cli.js lint` on the GitOps tree with the fast
 * path on and off (run `npm run build` first).
 *
 *   npx tsx test/bench/yaml-fast-path.bench.ts [--runs 7] [--rounds 2] [--files 400] [--lint-only] [--out FILE] [--new-yaml /tmp/yaml-new/node_modules/yaml] [--extra-yaml DIR]
 *
 * Each variant runs in its own node process, bundled by esbuild with `yaml`
 * aliased to its browser ES build as esbuild.config.mjs does, so the code
 * measured is the code shipped. Inputs go to $TMPDIR/certsmith-bench/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { generateCertificates } from './generate-certificates.js';
import { writeGitopsTree } from './generate-gitops.js';
import { arg, machine, median } from './bench-util.js';

const ROOT = path.resolve(path.dirname(process.argv[1] ?? '.'), '..', '..');
const WORK = path.join(os.tmpdir(), 'certsmith-bench');
const BIG_FILE = path.join(WORK, 'certificates.yaml');
const GITOPS_DIR = path.join(WORK, 'gitops');

/** Exactly the options ParsedDocument gives `yaml` (engine/manifests/parsed-document.ts). */
const PARSE_OPTIONS = { version: '1.1', prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, strict: true } as const;

type Mode = 'parsed-document' | 'parse-document' | 'parse-all-documents';
type InputId = 'big' | 'gitops';

interface ChildResult {
  yamlVersion: string;
  mode: Mode;
  fastPath: boolean;
  input: InputId;
  bytes: number;
  docs: number;
  /** Documents the fast parser accepts (counted in an untimed pass). */
  fastAccepted: number;
  runsMs: number[];
  /** CPU time (user + system) of each timed run: less disturbed than wall time by other processes on the cores. */
  cpuMs: number[];
  /** Highest heap use during one parse, above the heap before it. */
  peakHeapBytes: number;
  /** Heap still used after a GC while the parse results are kept (as the language server keeps them). */
  retainedHeapBytes: number;
  maxRssBytes: number;
  fastPathUsable: boolean;
}

// ---------------------------------------------------------------------------
// Inputs

function writeInputs(files: number): void {
  mkdirSync(WORK, { recursive: true });
  writeFileSync(BIG_FILE, generateCertificates().text);
  writeGitopsTree(GITOPS_DIR, files, { namespace: 'per-team' });
}

function readInput(input: InputId): string[] {
  if (input === 'big') return [readFileSync(BIG_FILE, 'utf8')];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(GITOPS_DIR);
  return out;
}

// ---------------------------------------------------------------------------
// Child: one variant in a fresh process

async function child(mode: Mode, input: InputId, runs: number): Promise<void> {
  // Imported here so that the parent does not load `yaml` or the engine.
  const yaml = await import('yaml');
  const { ParsedDocument } = await import('../../engine/manifests/parsed-document.js');
  const { splitDocuments } = await import('../../engine/manifests/segments.js');
  const { parseBlockSubset, FACTORIES_WORK, PREFILTER_VALID } = await import('../../engine/manifests/block-subset-parser.js');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');

  const files = readInput(input);
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f, 'utf8'), 0);
  let docs = 0;
  let fastAccepted = 0;
  for (const f of files) {
    for (const s of splitDocuments(f)) {
      docs++;
      if (parseBlockSubset(s.text)) fastAccepted++;
    }
  }

  const parseAll = (): unknown[] => {
    const kept: unknown[] = [];
    for (const f of files) {
      if (mode === 'parse-all-documents') {
        kept.push(yaml.parseAllDocuments(f, PARSE_OPTIONS));
        continue;
      }
      for (const s of splitDocuments(f)) {
        kept.push(mode === 'parsed-document' ? new ParsedDocument(s.text) : yaml.parseDocument(s.text, PARSE_OPTIONS));
      }
    }
    return kept;
  };

  // Warm-up: let V8 optimise the parser before the timed runs.
  for (let i = 0; i < 3; i++) parseAll();
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const kept = parseAll();
    runsMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
    if (kept.length === 0) throw new Error('nothing parsed');
  }

  // Memory, in an untimed run: heap sampled every 16 documents.
  gc();
  const base = v8.getHeapStatistics().used_heap_size;
  let peak = base;
  const kept: unknown[] = [];
  let n = 0;
  for (const f of files) {
    if (mode === 'parse-all-documents') kept.push(yaml.parseAllDocuments(f, PARSE_OPTIONS));
    else
      for (const s of splitDocuments(f)) {
        kept.push(mode === 'parsed-document' ? new ParsedDocument(s.text) : yaml.parseDocument(s.text, PARSE_OPTIONS));
        if (++n % 16 === 0) peak = Math.max(peak, v8.getHeapStatistics().used_heap_size);
      }
    peak = Math.max(peak, v8.getHeapStatistics().used_heap_size);
  }
  gc();
  const retained = v8.getHeapStatistics().used_heap_size - base;
  if (kept.length === 0) throw new Error('nothing parsed');

  const result: ChildResult = {
    yamlVersion: versionOfLoadedYaml(),
    mode,
    fastPath: process.env.CERTSMITH_YAML_FAST_PATH !== 'off',
    input,
    bytes,
    docs,
    fastAccepted,
    runsMs,
    cpuMs,
    peakHeapBytes: peak - base,
    retainedHeapBytes: retained,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    fastPathUsable: FACTORIES_WORK && PREFILTER_VALID,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** Set by the parent at bundle time (esbuild `define`): the version of the `yaml` copy bundled in. */
declare const __YAML_VERSION__: string;
function versionOfLoadedYaml(): string {
  return typeof __YAML_VERSION__ === 'string' ? __YAML_VERSION__ : 'unbundled';
}

// ---------------------------------------------------------------------------
// Parent

interface YamlCopy {
  label: string;
  dir: string;
  version: string;
  bundle?: string;
}

/** The module esbuild.config.mjs would alias `yaml` to: its browser ES build when it has one. */
function yamlEntry(dir: string): string {
  const browser = path.join(dir, 'browser', 'index.js');
  if (existsSync(browser)) return browser;
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main?: string };
  return path.join(dir, pkg.main ?? 'index.js');
}

async function bundleFor(copy: YamlCopy, outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = path.join(outDir, `yaml-fast-path-${copy.version}.cjs`);
  await build({
    entryPoints: [path.resolve(process.argv[1]!)],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['esbuild'],
    alias: { yaml: yamlEntry(copy.dir) },
    define: { __YAML_VERSION__: JSON.stringify(copy.version) },
  });
  return out;
}

function runChild(bundle: string, mode: Mode, input: InputId, runs: number, fastPath: boolean): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', bundle, '--child', mode, input, String(runs)], {
    encoding: 'utf8',
    env: { ...process.env, CERTSMITH_YAML_FAST_PATH: fastPath ? 'on' : 'off' },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child ${mode} ${input} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

interface LintResult {
  fastPath: boolean;
  runsMs: number[];
  cpuMs: number[];
  maxRssKiB: number[];
  exitCode: number;
  output: string;
}

/** Wall time and peak RSS (GNU time) of `node dist/cli.js lint DIR`. */
function lintOnce(target: string, fastPath: boolean): { ms: number; cpuMs: number; rssKiB: number; exitCode: number; output: string } {
  const useTime = existsSync('/usr/bin/time');
  const args = [process.execPath, path.join(ROOT, 'dist', 'cli.js'), 'lint', '--format', 'json', target];
  const rssFile = path.join(WORK, 'lint-rss.txt');
  const t0 = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CERTSMITH_YAML_FAST_PATH: fastPath ? 'on' : 'off' }, maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', cwd: ROOT, env: { ...process.env, CERTSMITH_YAML_FAST_PATH: fastPath ? 'on' : 'off' }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status === null || r.status > 1) throw new Error(`certsmith lint failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const [rssKiB, user, sys] = useTime ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
  return { ms, cpuMs: (user! + sys!) * 1000, rssKiB: rssKiB!, exitCode: r.status, output: r.stdout };
}

function lintBench(target: string, runs: number): LintResult[] {
  const results: LintResult[] = [true, false].map((fastPath) => ({ fastPath, runsMs: [], cpuMs: [], maxRssKiB: [], exitCode: -1, output: '' }));
  lintOnce(target, true); // warm the file cache
  for (let i = 0; i < runs; i++) {
    // Alternate the order so that drifting machine load hits both alike.
    for (const r of i % 2 === 0 ? results : [...results].reverse()) {
      const one = lintOnce(target, r.fastPath);
      r.runsMs.push(one.ms);
      r.cpuMs.push(one.cpuMs);
      r.maxRssKiB.push(one.rssKiB);
      r.exitCode = one.exitCode;
      r.output = one.output;
    }
  }
  return results;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (b: number) => `${fmt(b / 1024 / 1024)} MiB`;

function flagValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function parent(): Promise<void> {
  const runs = Math.max(5, arg('--runs', 7));
  const files = arg('--files', 400);
  const rounds = arg('--rounds', 2);
  const load0 = os.loadavg();
  writeInputs(files);

  const installedDir = path.join(ROOT, 'node_modules', 'yaml');
  const copies: YamlCopy[] = [{ label: 'installed', dir: installedDir, version: '' }];
  const newDir = flagValue('--new-yaml');
  if (newDir) copies.push({ label: 'newest', dir: path.resolve(newDir), version: '' });
  const extraDir = flagValue('--extra-yaml');
  if (extraDir) copies.push({ label: 'extra', dir: path.resolve(extraDir), version: '' });
  const outDir = path.join(WORK, 'yaml-fast-path-bundles');
  mkdirSync(outDir, { recursive: true });
  for (const c of copies) {
    c.version = (JSON.parse(readFileSync(path.join(c.dir, 'package.json'), 'utf8')) as { version: string }).version;
    c.bundle = await bundleFor(c, outDir);
  }

  type Row = { label: string; bundle: string; mode: Mode; input: InputId; fastPath: boolean; result?: ChildResult };
  const rows: Row[] = [];
  const installed = copies[0]!;
  for (const input of ['big', 'gitops'] as const) {
    const add = (label: string, c: YamlCopy, mode: Mode, fastPath: boolean) => rows.push({ label, bundle: c.bundle!, mode, input, fastPath });
    add(`fast path (ParsedDocument, yaml ${installed.version})`, installed, 'parsed-document', true);
    add(`full parser (ParsedDocument, fast path off, yaml ${installed.version})`, installed, 'parsed-document', false);
    for (const c of copies) {
      const tag = `${c.label} yaml ${c.version}`;
      if (c !== installed) add(`full parser (ParsedDocument, fast path off, ${tag})`, c, 'parsed-document', false);
      add(`yaml.parseDocument per document (${tag})`, c, 'parse-document', false);
      add(`yaml.parseAllDocuments per file (${tag})`, c, 'parse-all-documents', false);
      if (c !== installed) add(`fast path (ParsedDocument, ${tag})`, c, 'parsed-document', true);
    }
  }
  // Rounds over all variants, every other one in reverse order, so that other
  // processes' load on the shared cores falls on every variant alike.
  const lintOnly = process.argv.includes('--lint-only');
  for (let round = 0; round < (lintOnly ? 0 : rounds); round++) {
    for (const r of round % 2 === 0 ? rows : [...rows].reverse()) {
      const res = runChild(r.bundle, r.mode, r.input, runs, r.fastPath);
      if (r.result) {
        r.result.runsMs.push(...res.runsMs);
        r.result.cpuMs.push(...res.cpuMs);
        r.result.peakHeapBytes = Math.max(r.result.peakHeapBytes, res.peakHeapBytes);
        r.result.retainedHeapBytes = Math.max(r.result.retainedHeapBytes, res.retainedHeapBytes);
        r.result.maxRssBytes = Math.max(r.result.maxRssBytes, res.maxRssBytes);
      } else r.result = res;
    }
  }

  const distCli = path.join(ROOT, 'dist', 'cli.js');
  const lint = existsSync(distCli) ? lintBench(GITOPS_DIR, runs) : undefined;
  const lintBig = existsSync(distCli) ? lintBench(BIG_FILE, runs) : undefined;
  const load1 = os.loadavg();

  const out: string[] = [];
  out.push(`Measured ${new Date().toISOString()} on ${machine()}; load average (1/5/15 min) ${load0.map((l) => l.toFixed(2)).join('/')} at the start, ${load1.map((l) => l.toFixed(2)).join('/')} at the end.`);
  out.push(`yaml copies: ${copies.map((c) => `${c.label} ${c.version} (${path.relative(ROOT, yamlEntry(c.dir)) || yamlEntry(c.dir)})`).join('; ')}. ${rounds} round(s) over all variants (alternating order), each variant in a fresh process per round: ${runs} timed runs after 3 warm-up runs; the median of all ${runs * rounds} runs. Peak/retained heap and max RSS: the highest of the rounds.`);
  out.push('');
  for (const input of ['big', 'gitops'] as const) {
    const sel = rows.filter((r) => r.input === input) as (Row & { result: ChildResult })[];
    if (lintOnly) break;
    const first = sel[0]!.result;
    const title = input === 'big' ? `One file of ${first.docs.toLocaleString('en')} Certificates (lsp.bench input)` : `GitOps tree: ${files} files × (Issuer, 3 Certificates, Ingress)`;
    out.push(`### ${title}: ${fmt(first.bytes / 1e6, 2)} MB, ${first.docs.toLocaleString('en')} documents; the fast parser accepts ${first.fastAccepted.toLocaleString('en')} of them`);
    out.push('');
    out.push('| variant | median | runs (ms) | ms per MB | µs per document | vs fast path | CPU median | CPU vs fast path | peak heap | retained heap | max RSS |');
    out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const fastMs = median(first.runsMs);
    const fastCpu = median(first.cpuMs);
    for (const r of sel) {
      const m = median(r.result.runsMs);
      const usable = r.result.fastPath && !r.result.fastPathUsable ? ' (fast path disabled itself: yaml internals changed)' : '';
      out.push(
        `| ${r.label}${usable} | ${fmt(m)} ms | ${r.result.runsMs.map((x) => fmt(x, 0)).join(', ')} | ${fmt(m / (r.result.bytes / 1e6))} | ${fmt((m * 1000) / r.result.docs)} | ${fmt(m / fastMs, 2)}× | ${fmt(median(r.result.cpuMs))} ms | ${fmt(median(r.result.cpuMs) / fastCpu, 2)}× | ${mib(r.result.peakHeapBytes)} | ${mib(r.result.retainedHeapBytes)} | ${mib(r.result.maxRssBytes)} |`,
      );
    }
    out.push('');
  }
  for (const [what, res] of [
    [`\`node dist/cli.js lint --format json\` on the GitOps tree (${files} files)`, lint],
    ['`node dist/cli.js lint --format json` on the 2,000-Certificate file', lintBig],
  ] as const) {
    if (!res) {
      out.push(`${what}: skipped (no dist/cli.js; run npm run build).`);
      continue;
    }
    const [on, off] = res as LintResult[];
    out.push(`### ${what}, wall time including node start-up`);
    out.push('');
    out.push('| fast path | median | runs (ms) | CPU (user+sys) median | CPU runs (ms) | max RSS (median) | exit |');
    out.push('|---|---:|---|---:|---|---:|---:|');
    for (const r of [on!, off!]) {
      out.push(`| ${r.fastPath ? 'on' : 'off'} | ${fmt(median(r.runsMs), 0)} ms | ${r.runsMs.map((x) => fmt(x, 0)).join(', ')} | ${fmt(median(r.cpuMs), 0)} ms | ${r.cpuMs.map((x) => fmt(x, 0)).join(', ')} | ${fmt(median(r.maxRssKiB) / 1024)} MiB | ${r.exitCode} |`);
    }
    out.push('');
    out.push(`Off / on: ${fmt(median(off!.runsMs) / median(on!.runsMs), 2)}× wall time, ${fmt(median(off!.cpuMs) / median(on!.cpuMs), 2)}× CPU time. Same diagnostics either way: ${on!.output === off!.output ? 'yes' : 'NO'}.`);
    out.push('');
  }
  const text = out.join('\n');
  process.stdout.write(text + '\n');
  const outFile = flagValue('--out');
  if (outFile) writeFileSync(outFile, text + '\n');
}

// No top-level await: the child is bundled as CommonJS, as dist/ is.
(process.argv[2] === '--child' ? child(process.argv[3] as Mode, process.argv[4] as InputId, Number(process.argv[5])) : parent()).catch((e: unknown) => {
  process.stderr.write(`yaml-fast-path bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
