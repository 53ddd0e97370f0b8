/**
 * The real-world corpus: the list (SOURCES.tsv), where set-up put the files
 * (test/world/go-peers/fetch-corpus.sh), and one lint of all of it with the
 * real CLI, one source module at a time so that the checks across files see
 * one project at a time, as a user linting that repository would.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLI, ROOT } from '../support/cli.js';

const SOURCES_PATH = join(ROOT, 'test', 'corpus', 'SOURCES.tsv');

export interface CorpusSource {
  module: string;
  version: string;
  /** The file's path inside the module zip. */
  path: string;
  licence: string;
  sha256: string;
  repository: string;
}

export interface CorpusFinding {
  /** module@version */
  source: string;
  path: string;
  /** 1-based */
  line: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  rule: string;
  message: string;
}

export interface CorpusLint {
  findings: CorpusFinding[];
  /** Files the CLI reported on, per module@version. */
  filesChecked: Map<string, number>;
  documents: number;
  bytes: number;
  lintMs: number;
}

export function readSources(): CorpusSource[] {
  const rows = readFileSync(SOURCES_PATH, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  return rows.slice(1).map((l) => {
    const [module, version, path, licence, sha256, repository] = l.split('\t');
    return { module, version, path, licence, sha256, repository };
  });
}

export const sourceOf = (s: CorpusSource) => `${s.module}@${s.version}`;

/** The cached corpus of this SOURCES.tsv, or why there is none (what the test says when it skips). */
export function locateCorpus(): { dir: string; stamp: string } | { missing: string } {
  const root = process.env.CERTSMITH_PEER_CACHE || join(homedir(), '.cache', 'certsmith-peers');
  // The same key as fetch-corpus.sh: the first 12 hex digits of the list's SHA-256.
  const hash = createHash('sha256').update(readFileSync(SOURCES_PATH)).digest('hex').slice(0, 12);
  const dir = join(root, `corpus-${hash}`);
  if (existsSync(join(dir, '.complete'))) return { dir, stamp: readFileSync(join(dir, '.complete'), 'utf8').trim() };
  const refused = join(root, `corpus-${hash}.refused`);
  if (existsSync(refused)) return { missing: `the Go module proxy refused modules of the corpus: ${readFileSync(refused, 'utf8').trim().split('\n').join('; ')}` };
  return { missing: `the corpus of test/corpus/SOURCES.tsv is not in ${root} (run npm run setup, or bash test/world/go-peers/fetch-corpus.sh)` };
}

interface CliJson {
  files: { path: string; diagnostics: { range: { start: { line: number } }; severity: CorpusFinding['severity']; code: string; message: string }[] }[];
}

function lintOne(dir: string): Promise<CliJson> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'lint', '--format', 'json', '--jobs', '1', '.'], { cwd: dir, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      // Exit 1 means errors were found: the report is still complete.
      if (err && err.code !== 1) return reject(new Error(`certsmith lint in ${dir} failed (${err.code ?? err.signal}): ${stderr}`));
      try {
        resolve(JSON.parse(stdout) as CliJson);
      } catch {
        reject(new Error(`certsmith lint in ${dir} printed no JSON report: ${stderr}`));
      }
    });
  });
}

/** Lints every module of the corpus (two at a time: this machine has two cores). */
export async function lintCorpus(dir: string, sources: CorpusSource[]): Promise<CorpusLint> {
  const modules = [...new Set(sources.map(sourceOf))];
  const findings: CorpusFinding[] = [];
  const filesChecked = new Map<string, number>();
  const started = performance.now();
  const queue = [...modules];
  const worker = async () => {
    for (let source = queue.shift(); source; source = queue.shift()) {
      const report = await lintOne(join(dir, source));
      filesChecked.set(source, report.files.length);
      for (const f of report.files) {
        for (const d of f.diagnostics) findings.push({ source, path: f.path, line: d.range.start.line + 1, severity: d.severity, rule: d.code, message: d.message });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  const lintMs = performance.now() - started;
  let documents = 0;
  let bytes = 0;
  for (const s of sources) {
    const file = join(dir, sourceOf(s), s.path);
    bytes += statSync(file).size;
    documents += parseAllDocuments(readFileSync(file, 'utf8')).filter((d) => d.contents !== null).length;
  }
  const order = (f: CorpusFinding) => `${f.rule}\u0000${f.source}\u0000${f.path}\u0000${String(f.line).padStart(8, '0')}`;
  findings.sort((a, b) => order(a).localeCompare(order(b)));
  return { findings, filesChecked, documents, bytes, lintMs };
}
