/**
 * Oracle 1: cert-manager's own admission validation, run by the Go program in
 * test/world/go-peers/cert-manager-oracle/, one binary per cert-manager release
 * (releases/<version>/go.mod pins it; built and cached by `npm run setup` for the
 * oldest and newest release, and by `npm run fuzz:oracle -- --all-versions` for
 * the rest, with test/world/go-peers/build-cert-manager-oracle.sh; never built here).
 * One process answers any number of documents: JSON lines in, JSON lines out.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const GO_PEERS = join(__dirname, '..', 'world', 'go-peers');
const MODULE_DIR = join(GO_PEERS, 'cert-manager-oracle');
const RELEASES_DIR = join(MODULE_DIR, 'releases');
const BUILD = 'bash test/world/go-peers/build-cert-manager-oracle.sh';

interface WebhookFieldError {
  field: string;
  /** field.ErrorType: FieldValueInvalid, FieldValueRequired, ... */
  type: string;
  /** Its words: "Invalid value", "Required value", ... */
  reason: string;
  detail: string;
  badValue?: unknown;
}

export interface WebhookAnswer {
  id: string;
  /** False for kinds cert-manager's webhook does not validate. */
  handled: boolean;
  errors: WebhookFieldError[];
  warnings: string[];
  /** The webhook's decoder refused the object (the admission request fails with this). */
  decodeError?: string;
  panic?: string;
}

const RELEASE_VERSION = /^v\d+\.\d+\.\d+$/;

/** The cert-manager versions that have an oracle module (releases/<version>/go.mod), oldest first. */
export function oracleVersions(): string[] {
  if (!existsSync(RELEASES_DIR)) return [];
  const rank = (v: string) => v.slice(1).split('.').map(Number);
  return readdirSync(RELEASES_DIR)
    .filter((v) => RELEASE_VERSION.test(v) && existsSync(join(RELEASES_DIR, v, 'go.mod')))
    .sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    });
}

/** The source hash in the cache key: as build-cert-manager-oracle.sh computes it (the release's go.mod and go.sum, then the .go files). */
function sourceHash(version: string): string {
  const h = createHash('sha256');
  const goFiles = readdirSync(MODULE_DIR).filter((f) => f.endsWith('.go')).sort();
  for (const f of [join('releases', version, 'go.mod'), join('releases', version, 'go.sum'), ...goFiles]) h.update(readFileSync(join(MODULE_DIR, f)));
  return h.digest('hex').slice(0, 12);
}

function webhookOracleDir(version: string): string {
  const cache = process.env.CERTSMITH_PEER_CACHE || join(process.env.HOME || homedir(), '.cache', 'certsmith-peers');
  return join(cache, `cert-manager-oracle-${version}-${sourceHash(version)}`);
}

/**
 * Undefined when the oracle of this cert-manager version (a release such as
 * "v1.14.7") is built for the current source; else why not (a skip reason).
 */
export function webhookOracleMissing(version: string): string | undefined {
  if (!RELEASE_VERSION.test(version)) {
    // "next" is a commit: the module proxy answers 403 Forbidden ("This module version is not available") for it.
    return `there is no cert-manager webhook oracle for commit ${version} ("next"): the Go module proxy refuses that commit (403 Forbidden, "This module version is not available"), so the webhook's rules are not compared for it`;
  }
  if (!existsSync(join(RELEASES_DIR, version, 'go.mod'))) {
    return `cert-manager ${version} has no oracle module (${join('test/world/go-peers/cert-manager-oracle/releases', version)}): add it with \`${BUILD} --pin ${version}\``;
  }
  const dir = webhookOracleDir(version);
  const stamp = join(dir, '.complete');
  const want = `github.com/cert-manager/cert-manager@${version} source:${sourceHash(version)}`;
  if (existsSync(join(dir, 'certsmith-oracle')) && existsSync(stamp) && readFileSync(stamp, 'utf8').split('\n')[0] === want) return undefined;
  return (
    `the cert-manager validation oracle (${want}) is not built in ${dir}: run \`npm run setup\` (the oldest and newest release) or \`${BUILD} ${version}\`; ` +
    'its output says why when the Go module proxy refuses a module'
  );
}

/** Runs the oracle of a cert-manager version on documents (YAML text each); answers in the same order. */
export function runWebhookOracle(version: string, docs: { id: string; text: string }[], timeoutMs = 120_000): Promise<WebhookAnswer[]> {
  const missing = webhookOracleMissing(version);
  if (missing) return Promise.reject(new Error(missing));
  const bin = join(webhookOracleDir(version), 'certsmith-oracle');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the cert-manager ${version} oracle gave no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the cert-manager oracle exited with ${code}: ${err.slice(0, 2000)}`));
      const answers = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as WebhookAnswer);
      if (answers.length !== docs.length) return reject(new Error(`the cert-manager oracle answered ${answers.length} of ${docs.length} documents: ${err.slice(0, 2000)}`));
      answers.forEach((a, i) => {
        if (a.id !== docs[i]!.id) reject(new Error(`the cert-manager oracle answered ${a.id} for ${docs[i]!.id}`));
      });
      resolve(answers);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(docs.map((d) => JSON.stringify({ id: d.id, yaml: d.text })).join('\n') + '\n');
  });
}
