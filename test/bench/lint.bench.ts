/**
 * CI lint benchmark: `certsmith lint` against kubeconform v0.8.0 (the schema
 * validator CI pipelines run) on the same generated GitOps tree, in one run,
 * alternating, with kubeconform given JSON schemas made from the same CRDs
 * (schemas/). Wall time, CPU time (user + system) and peak RSS of each whole
 * command, from /usr/bin/time; medians of the runs.
 *
 *   npm run bench:lint                  (builds first)
 *   npx tsx test/bench/lint.bench.ts [--runs 5] [--files 2000] [--scale 20000] [--scale-runs 3] [--no-docs]
 *
 * Trees: $TMPDIR/certsmith-bench-trees/lint-<N>/ (test/bench/generate-gitops.ts:
 * N files, 5 documents each). kubeconform is built by `npm run setup`
 * (test/world/go-peers/build-kubeconform.sh) into the peer cache.
 *
 * --no-scale skips the second tree; --no-docs leaves docs/benchmarks.md alone.
 *
 * Targets on the first tree: certsmith's wall time ≤ 1.0x kubeconform's, peak
 * RSS ≤ 2x; and time per file at --scale files ≤ 1.1x the time per file at
 * --files (linear). Writes the "CI lint" section of docs/benchmarks.md; exits
 * 1 when a target is missed, 2 when the benchmark cannot run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gitopsTree } from './generate-gitops.js';
import { writeDocsSection } from './docs-section.js';
import { arg, machine, median } from './bench-util.js';

const SECTION_HEADING = '## CI lint (npm run bench:lint)';
const REPO_ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const WORK = path.join(os.tmpdir(), 'certsmith-bench');
const KUBECONFORM_VERSION = 'v0.8.0';
const KUBECONFORM = path.join(process.env.CERTSMITH_PEER_CACHE ?? path.join(os.homedir(), '.cache', 'certsmith-peers'), `kubeconform-${KUBECONFORM_VERSION}`, 'kubeconform');
const DOCS_PER_FILE = 5;

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssKiB: number;
}

interface Variant {
  label: string;
  /** What the row says was run. */
  command: string;
  argv: (dir: string) => string[];
  /** Throws unless the output shows the whole tree was checked and found clean. */
  check: (stdout: string, files: number) => void;
  /** Run once, untimed, before the timed runs (fills a cache). */
  prepare?: (dir: string) => void;
}

/** One run under GNU time: wall time measured here, CPU and peak RSS from time's report. */
function runOnce(argv: string[]): Sample & { stdout: string } {
  const report = path.join(WORK, 'lint-bench-time.txt');
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', report, ...argv], { encoding: 'utf8', cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  if (r.status === null || r.status > 1) throw new Error(`${path.basename(argv[0]!)} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
  const [rssKiB, user, sys] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user! + sys!) * 1000, rssKiB: rssKiB!, stdout: r.stdout };
}

function certsmithCheck(stdout: string, files: number): void {
  const last = stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith(`${files} files checked: 0 errors`)) throw new Error(`certsmith lint did not check ${files} clean files: ${last}`);
}

function kubeconformCheck(stdout: string, files: number): void {
  const m = /Summary: (\d+) resources found in (\d+) files - Valid: (\d+), Invalid: (\d+), Errors: (\d+)/.exec(stdout);
  const docs = files * DOCS_PER_FILE;
  if (!m || Number(m[1]) !== docs || Number(m[2]) !== files || Number(m[3]) !== docs) throw new Error(`kubeconform did not validate ${docs} documents in ${files} files: ${stdout.trim().split('\n').pop()}`);
}

/** kubeconform's schema layout ({{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json) from schemas/index.json: the same CRD schemas Certsmith uses. */
function kubeconformSchemas(): string {
  const dir = path.join(WORK, 'kubeconform-schemas');
  rmSync(dir, { recursive: true, force: true });
  const index = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'index.json'), 'utf8')) as { kinds: { group: string; version: string; kind: string; file: string }[] };
  for (const k of index.kinds) {
    const to = path.join(dir, k.group, `${k.kind.toLowerCase()}_${k.version}.json`);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, 'schemas', k.file), to);
  }
  return dir;
}

function helpMentions(option: string): boolean {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--help'], { encoding: 'utf8' });
  return r.stdout.includes(option);
}

/** Runs every variant `runs` times on one tree, rotating the order each round. */
function measure(variants: Variant[], dir: string, files: number, runs: number): Map<Variant, Sample[]> {
  const out = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
  for (const v of variants) {
    v.prepare?.(dir);
    // Untimed: warms the file cache and checks the output once.
    v.check(runOnce(v.argv(dir)).stdout, files);
  }
  for (let i = 0; i < runs; i++) {
    const order = variants.map((_, j) => variants[(i + j) % variants.length]!);
    for (const v of order) {
      const s = runOnce(v.argv(dir));
      v.check(s.stdout, files);
      out.get(v)!.push({ wallMs: s.wallMs, cpuMs: s.cpuMs, rssKiB: s.rssKiB });
      console.log(`  ${files} files, ${v.label}: ${(s.wallMs / 1000).toFixed(2)} s wall, ${(s.cpuMs / 1000).toFixed(2)} s CPU, ${(s.rssKiB / 1024).toFixed(0)} MiB`);
    }
  }
  return out;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

function summary(samples: Sample[]): { wall: number; cpu: number; rss: number } {
  return { wall: median(samples.map((s) => s.wallMs)), cpu: median(samples.map((s) => s.cpuMs)), rss: median(samples.map((s) => s.rssKiB)) };
}

function row(v: Variant, samples: Sample[]): string {
  const s = summary(samples);
  return `| ${v.command} | ${sec(s.wall)} | ${samples.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')} | ${sec(s.cpu)} | ${mib(s.rss)} |`;
}

async function main(): Promise<number> {
  const runs = arg('--runs', 5);
  const files = arg('--files', 2000);
  const scaleFiles = arg('--scale', 20000);
  const scaleRuns = arg('--scale-runs', 3);
  const noScale = process.argv.includes('--no-scale');
  if (!existsSync('/usr/bin/time')) {
    console.error('bench:lint needs GNU time (/usr/bin/time, Debian package "time") for CPU time and peak RSS.');
    return 2;
  }
  if (!existsSync(KUBECONFORM)) {
    console.error(`bench:lint needs kubeconform ${KUBECONFORM_VERSION} at ${KUBECONFORM}: run npm run setup (or bash test/world/go-peers/build-kubeconform.sh).`);
    return 2;
  }
  if (!existsSync(CLI)) {
    console.error('bench:lint needs dist/cli.js: run npm run build first (npm run bench:lint does).');
    return 2;
  }
  mkdirSync(WORK, { recursive: true });
  const schemaDir = kubeconformSchemas();
  const cacheDir = path.join(WORK, 'lint-cache');
  const hasJobs = helpMentions('--jobs');
  const hasCache = helpMentions('--cache');

  const kubeconform: Variant = {
    label: 'kubeconform',
    command: `kubeconform ${KUBECONFORM_VERSION} (-summary, default -n 4)`,
    argv: (dir) => [KUBECONFORM, '-summary', '-schema-location', path.join(schemaDir, '{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'), dir],
    check: kubeconformCheck,
  };
  const certsmith: Variant = { label: 'certsmith', command: '`certsmith lint`', argv: (dir) => [process.execPath, CLI, 'lint', dir], check: certsmithCheck };
  // Worker threads, as the default uses them from 4 cores up (measured here whatever the cores).
  const twoThreads: Variant = { label: 'certsmith --jobs 2', command: '`certsmith lint --jobs 2` (a worker thread beside the main one)', argv: (dir) => [process.execPath, CLI, 'lint', '--jobs', '2', dir], check: certsmithCheck };
  const cached: Variant = {
    label: 'certsmith --cache',
    command: '`certsmith lint --cache DIR`, cache filled by an earlier run',
    argv: (dir) => [process.execPath, CLI, 'lint', '--cache', cacheDir, dir],
    check: certsmithCheck,
    prepare: (dir) => {
      rmSync(cacheDir, { recursive: true, force: true });
      runOnce([process.execPath, CLI, 'lint', '--cache', cacheDir, dir]);
    },
  };

  const loadBefore = load();
  const small = gitopsTree(files);
  console.log(`${files} files (${(small.bytes / 1024 / 1024).toFixed(1)} MB), ${runs} runs each; load average ${loadBefore}`);
  const mainVariants = [kubeconform, certsmith, ...(hasJobs ? [twoThreads] : [])];
  const results = measure(mainVariants, small.dir, files, runs);
  const cachedResults = hasCache ? measure([cached], small.dir, files, runs) : undefined;

  let scale: { files: number; bytes: number; results: Map<Variant, Sample[]> } | undefined;
  if (!noScale) {
    const big = gitopsTree(scaleFiles);
    console.log(`${scaleFiles} files (${(big.bytes / 1024 / 1024).toFixed(1)} MB), ${scaleRuns} runs each`);
    scale = { files: scaleFiles, bytes: big.bytes, results: measure([kubeconform, certsmith], big.dir, scaleFiles, scaleRuns) };
  }
  const loadAfter = load();

  const kc = summary(results.get(kubeconform)!);
  const cs = summary(results.get(certsmith)!);
  const wallRatio = cs.wall / kc.wall;
  const rssRatio = cs.rss / kc.rss;
  const targets: { what: string; value: string; met: boolean }[] = [
    { what: `wall time ≤ 1.0x kubeconform's (${files} files)`, value: `${wallRatio.toFixed(2)}x`, met: wallRatio <= 1.0 },
    { what: `peak RSS ≤ 2x kubeconform's (${files} files)`, value: `${rssRatio.toFixed(2)}x`, met: rssRatio <= 2.0 },
  ];
  const lines = [
    SECTION_HEADING,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, by \`test/bench/lint.bench.ts\`. Load average (1 / 5 / 15 min) ${loadBefore} at the start, ${loadAfter} at the end (above 2, other processes shared the 2 cores).`,
    '',
    `Input: a generated GitOps tree (test/bench/generate-gitops.ts), clusters/ENV/TEAM/APP/tls.yaml, each file an ACME Issuer, three Certificates and an Ingress in the app's namespace: ${files.toLocaleString('en')} files, ${(files * DOCS_PER_FILE).toLocaleString('en')} documents, ${(small.bytes / 1024 / 1024).toFixed(1)} MB. kubeconform gets JSON schemas copied from schemas/ (the same CRDs) as {{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json and checks the schemas only; certsmith runs every rule (schema with CEL, webhook rules, shim annotations, cross-resource checks). Each command is a new process, measured whole by GNU time (wall time, user + system CPU time, peak RSS); ${runs} runs each after an untimed one, the order rotating every round; medians.`,
    '',
    '| command | wall (median) | runs | CPU (median) | peak RSS (median) |',
    '|---|---|---|---|---|',
    ...mainVariants.map((v) => row(v, results.get(v)!)),
    ...(cachedResults ? [row(cached, cachedResults.get(cached)!)] : []),
    '',
    `certsmith / kubeconform: ${wallRatio.toFixed(2)}x wall time, ${(cs.cpu / kc.cpu).toFixed(2)}x CPU time, ${rssRatio.toFixed(2)}x peak RSS.`,
  ];
  if (scale) {
    const kcBig = summary(scale.results.get(kubeconform)!);
    const csBig = summary(scale.results.get(certsmith)!);
    const perFileSmall = cs.wall / files;
    const perFileBig = csBig.wall / scale.files;
    const growth = perFileBig / perFileSmall;
    targets.push({ what: `linear: time per file at ${scale.files.toLocaleString('en')} files ≤ 1.1x that at ${files.toLocaleString('en')}`, value: `${growth.toFixed(2)}x`, met: growth <= 1.1 });
    lines.push(
      '',
      `Scale: ${scale.files.toLocaleString('en')} files (${(scale.files * DOCS_PER_FILE).toLocaleString('en')} documents, ${(scale.bytes / 1024 / 1024).toFixed(0)} MB), ${scaleRuns} runs each:`,
      '',
      '| command | wall (median) | runs | CPU (median) | peak RSS (median) |',
      '|---|---|---|---|---|',
      row(kubeconform, scale.results.get(kubeconform)!),
      row(certsmith, scale.results.get(certsmith)!),
      '',
      `Per file: certsmith ${(perFileSmall * 1000).toFixed(0)} µs at ${files.toLocaleString('en')} files, ${(perFileBig * 1000).toFixed(0)} µs at ${scale.files.toLocaleString('en')} (${growth.toFixed(2)}x); kubeconform ${((kc.wall / files) * 1000).toFixed(0)} µs and ${((kcBig.wall / scale.files) * 1000).toFixed(0)} µs. certsmith / kubeconform at ${scale.files.toLocaleString('en')} files: ${(csBig.wall / kcBig.wall).toFixed(2)}x wall, ${(csBig.rss / kcBig.rss).toFixed(2)}x peak RSS.`,
    );
  }
  lines.push('', '| target | this run | met |', '|---|---|---|', ...targets.map((t) => `| ${t.what} | ${t.value} | ${t.met ? 'yes' : 'no'} |`), '');
  const section = lines.join('\n');
  console.log(`\n${section}`);
  if (!process.argv.includes('--no-docs')) console.log(`written to ${writeDocsSection(REPO_ROOT, SECTION_HEADING, section)}`);
  return targets.every((t) => t.met) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench:lint failed: ${(e as Error).message}`);
    process.exit(2);
  },
);
