/**
 * Reads the lint cases of test/semantics/rule-cases/<rule-id>.yaml (format:
 * rule-cases/README.md). What is wrong in a file is returned as a problem that
 * names the file and line, so that the coverage test reports it like any failure.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ROOT } from '../support/cli.js';

const RULE_CASES_DIR = join(ROOT, 'test', 'semantics', 'rule-cases');

export interface RuleCase {
  kind: 'positive' | 'negative';
  /** Its place in the file's list of that kind (the subtest is named 'positive 0', 'negative 1', ...). */
  index: number;
  /** 'test/semantics/rule-cases/<id>.yaml:<line>', where the case starts. */
  where: string;
  files: Record<string, string>;
  /** Extra `certsmith lint` options (the case then runs on its own). */
  args: string[];
  /** Positive cases: every 'file:line:col' (1-based) where the rule must fire, and nowhere else. */
  at: string[];
  /** Why a positive case cannot run (the rule cannot fire with what is bundled). */
  skip?: string;
}

export interface RuleCaseFile {
  /** The file name without .yaml: not yet known to be a registered rule id. */
  id: string;
  positive: RuleCase[];
  negative: RuleCase[];
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null'];
const base64 = (pem: string) => Buffer.from(pem).toString('base64');

/** Values made fresh for each run, written ${NAME} in a file's text. */
const PLACEHOLDERS: Record<string, () => string> = {
  /** A real CSR (no extensions), base64 as spec.request wants it. */
  CSR: () => base64(openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=web.example.com'])),
  /** A real CSR that asks for a CA certificate (basicConstraints CA:TRUE). */
  CA_CSR: () => base64(openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=Example Intermediate CA', '-addext', 'basicConstraints=critical,CA:TRUE'])),
  /** A real self-signed CA certificate, base64 as caBundle wants it. */
  CA_BUNDLE: () => base64(openssl(['req', '-x509', '-new', ...EC_KEY, '-subj', '/CN=Example Root CA', '-days', '365'])),
};
const made = new Map<string, string>();

const CASE_KEYS = { positive: ['skip', 'args', 'at', 'files'], negative: ['args', 'files'] } as const;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Every <rule-id>.yaml of the folder, in name order, and what is wrong in them (or with other files there). */
export function loadRuleCases(dir = RULE_CASES_DIR): { files: RuleCaseFile[]; problems: string[] } {
  const files: RuleCaseFile[] = [];
  const problems: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = relative(ROOT, join(dir, name));
    if (name === 'README.md') continue;
    if (!name.endsWith('.yaml')) {
      problems.push(`${path}: only <rule-id>.yaml files belong in this folder`);
      continue;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(join(dir, name), 'utf8'), { lineCounter, uniqueKeys: true });
    const lineOf = (node: unknown) => lineCounter.linePos((node as Node | null)?.range?.[0] ?? 0).line;
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push(`${path}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
      continue;
    }
    const file: RuleCaseFile = { id: name.slice(0, -'.yaml'.length), positive: [], negative: [] };
    if (!isMap(doc.contents) || doc.contents.items.some((p) => !['positive', 'negative'].includes(String(p.key)))) {
      problems.push(`${path}:1: expected a mapping with only "positive" and "negative"`);
      continue;
    }
    for (const kind of ['positive', 'negative'] as const) {
      const seq = doc.get(kind);
      if (seq === undefined) continue;
      if (!isSeq(seq)) {
        problems.push(`${path}:${lineOf(seq)}: "${kind}" must be a list of cases`);
        continue;
      }
      seq.items.forEach((node, i) => {
        const c = (isMap(node) ? node.toJS(doc) : undefined) as Record<string, unknown> | undefined;
        const where = `${path}:${lineOf(node)}`;
        const bad = (why: string) => problems.push(`${where} (${kind} ${i}): ${why}`);
        if (!c) return bad('a case must be a mapping');
        const unknown = Object.keys(c).filter((k) => !(CASE_KEYS[kind] as readonly string[]).includes(k));
        if (unknown.length) return bad(`unknown keys ${unknown.join(', ')} (allowed: ${CASE_KEYS[kind].join(', ')})`);
        const skip = c.skip;
        if (skip !== undefined && (typeof skip !== 'string' || skip === '')) return bad('"skip" must be the reason, a string');
        if (skip !== undefined) {
          file[kind].push({ kind, index: i, where, files: {}, args: [], at: [], skip });
          return;
        }
        const args = c.args ?? [];
        if (!isStrings(args)) return bad('"args" must be a list of strings (quote numbers)');
        const at = kind === 'negative' ? [] : typeof c.at === 'string' ? [c.at] : c.at;
        if (!isStrings(at) || (kind === 'positive' && at.length === 0)) return bad('"at" must be file:line:col, or a list of them');
        const texts = c.files as Record<string, unknown> | undefined;
        if (!texts || typeof texts !== 'object' || Array.isArray(texts) || Object.keys(texts).length === 0 || !Object.values(texts).every((t) => typeof t === 'string'))
          return bad('"files" must map file names to their text');
        const out: Record<string, string> = {};
        for (const [fileName, text] of Object.entries(texts as Record<string, string>)) {
          out[fileName] = text.replace(/\$\{([A-Z_]+)\}/g, (whole, key: string) => {
            const make = PLACEHOLDERS[key];
            if (!make) {
              bad(`${fileName}: unknown placeholder ${whole} (known: ${Object.keys(PLACEHOLDERS).join(', ')})`);
              return whole;
            }
            if (!made.has(key)) made.set(key, make());
            return made.get(key)!;
          });
        }
        file[kind].push({ kind, index: i, where, files: out, args, at });
      });
    }
    files.push(file);
  }
  return { files, problems };
}
