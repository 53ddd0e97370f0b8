/**
 * Oracle 1: cert-manager's own admission validation, run by the Go program in
 * test/world/go-peers/cert-manager-oracle/ (built and cached by `npm run setup`
 * with test/world/go-peers/build-cert-manager-oracle.sh; never built here).
 * One process answers any number of documents: JSON lines in, JSON lines out.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const GO_PEERS = join(__dirname, '..', 'world', 'go-peers');
const BUILD_SCRIPT = join(GO_PEERS, 'build-cert-manager-oracle.sh');
const MODULE_DIR = join(GO_PEERS, 'cert-manager-oracle');

export interface WebhookFieldError {
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

/** The cert-manager version build-cert-manager-oracle.sh builds (the one place it is written). */
export function oracleCertManagerVersion(): string {
  const v = /^CERT_MANAGER_VERSION=(v\S+)$/m.exec(readFileSync(BUILD_SCRIPT, 'utf8'))?.[1];
  if (!v) throw new Error(`${BUILD_SCRIPT} names no CERT_MANAGER_VERSION=`);
  return v;
}

/** The source hash in the cache key: as build-cert-manager-oracle.sh computes it. */
function sourceHash(): string {
  const h = createHash('sha256');
  const goFiles = readdirSync(MODULE_DIR).filter((f) => f.endsWith('.go')).sort();
  for (const f of ['go.mod', 'go.sum', ...goFiles]) h.update(readFileSync(join(MODULE_DIR, f)));
  return h.digest('hex').slice(0, 12);
}

export function webhookOracleDir(): string {
  const cache = process.env.CERTSMITH_PEER_CACHE || join(process.env.HOME || homedir(), '.cache', 'certsmith-peers');
  return join(cache, `cert-manager-oracle-${oracleCertManagerVersion()}-${sourceHash()}`);
}

/** Undefined when the oracle is built for the current source; else why not (a skip reason). */
export function webhookOracleMissing(): string | undefined {
  const dir = webhookOracleDir();
  const stamp = join(dir, '.complete');
  const want = `github.com/cert-manager/cert-manager@${oracleCertManagerVersion()} source:${sourceHash()}`;
  if (existsSync(join(dir, 'certsmith-oracle')) && existsSync(stamp) && readFileSync(stamp, 'utf8').split('\n')[0] === want) return undefined;
  return (
    `the cert-manager validation oracle (${want}) is not built in ${dir}: run \`npm run setup\`, which builds it with ` +
    'test/world/go-peers/build-cert-manager-oracle.sh (its output says why when the Go module proxy refuses a module)'
  );
}

/** Runs the oracle on documents (YAML text each); answers in the same order. */
export function runWebhookOracle(docs: { id: string; text: string }[], timeoutMs = 120_000): Promise<WebhookAnswer[]> {
  const missing = webhookOracleMissing();
  if (missing) return Promise.reject(new Error(missing));
  const bin = join(webhookOracleDir(), 'certsmith-oracle');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the cert-manager oracle gave no complete answer within ${timeoutMs} ms`));
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
