/**
 * ACME account keys, one per (ACME server, privateKeySecretRef), as
 * cert-manager keeps one account per Issuer in that Secret. When the Secret
 * itself is among the given resources (its tls.key), that key is the account,
 * exactly as in the cluster. Otherwise the key lives in the state directory
 * (default: the user's config directory), created on first use and reused:
 *
 *   <state>/acme-accounts/<hash of server + secret ref>/account.key   (0600)
 *   <state>/acme-accounts/<hash ...>/account.json  (server, secret ref, email, account URL)
 *
 * cert-manager generates RSA 2048 account keys (PKCS#1 PEM); so does this.
 * The key is never logged or printed.
 */
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

interface AccountRecord {
  directoryUrl: string;
  privateKeySecretRef: string;
  email?: string;
  accountUrl?: string;
  createdAt: string;
}

/** Where ACME account keys live: a directory for the CLI, VS Code's SecretStorage for the extension. */
export interface AccountKeyStore {
  /** The key for (ACME server, privateKeySecretRef), created (RSA 2048, as cert-manager) on first use. */
  load(directoryUrl: string, privateKeySecretRef: string, onCreate?: (where: string) => void): Promise<AccountKey>;
}

/** A new account key as cert-manager makes one: RSA 2048, PKCS#1 PEM. */
export function generateAccountKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** Account keys under a state directory (see accountKeyFromState). */
export class FileAccountStore implements AccountKeyStore {
  constructor(readonly stateDir: string) {}

  async load(directoryUrl: string, privateKeySecretRef: string, onCreate?: (where: string) => void): Promise<AccountKey> {
    return accountKeyFromState(this.stateDir, directoryUrl, privateKeySecretRef, onCreate);
  }
}

export interface AccountKey {
  pem: string;
  /** Where it came from, for messages: "Secret cert-manager/le-account" or the state path. */
  origin: string;
  /** The account URL registered last time with this key at this server, when it was kept. */
  accountUrl?: string;
  /** What to remove so that a new key (and account) is made, for the message about a deactivated account. */
  removeHint: string;
  /** Keeps the account URL and email after registration (where the store can keep them). */
  save(update: { accountUrl?: string; email?: string }): void | Promise<void>;
}

/** $XDG_CONFIG_HOME/certsmith, or ~/.config/certsmith. */
export function defaultStateDir(): string {
  const base = process.env.XDG_CONFIG_HOME && process.env.XDG_CONFIG_HOME.startsWith('/') ? process.env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'certsmith');
}

function writePrivate(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Checks that a PEM key can serve as an ACME account key (RSA or ECDSA P-256/384/521). */
export function checkAccountKey(pem: string, origin: string): void {
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    throw new UserError(`the ACME account key in ${origin} is not a readable PEM private key`);
  }
  if (type !== 'rsa' && type !== 'ec') throw new UserError(`the ACME account key in ${origin} is ${type}; ACME accounts use RSA or ECDSA keys`);
}

export function accountKeyFromSecret(pem: string, secret: string): AccountKey {
  checkAccountKey(pem, `Secret ${secret}`);
  return { pem, origin: `Secret ${secret}`, removeHint: `put a new RSA or ECDSA key in Secret ${secret} (key tls.key), or remove that Secret from the files so that a key is made`, save: () => {} };
}

function accountKeyFromState(stateDir: string, directoryUrl: string, privateKeySecretRef: string, onCreate?: (where: string) => void): AccountKey {
  const id = createHash('sha256').update(`${directoryUrl}\n${privateKeySecretRef}`).digest('hex').slice(0, 20);
  const dir = join(stateDir, 'acme-accounts', id);
  const keyPath = join(dir, 'account.key');
  const recordPath = join(dir, 'account.json');
  let pem: string;
  let record: AccountRecord;
  try {
    if (existsSync(keyPath)) {
      pem = readFileSync(keyPath, 'utf8');
      record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as AccountRecord) : { directoryUrl, privateKeySecretRef, createdAt: new Date().toISOString() };
    } else {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      pem = generateAccountKeyPem();
      writePrivate(keyPath, pem);
      record = { directoryUrl, privateKeySecretRef, createdAt: new Date().toISOString() };
      writeFileSync(recordPath, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
      onCreate?.(dir);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot use the ACME account state in ${dir}: ${(e as Error).message}`, 'choose another --state directory');
  }
  checkAccountKey(pem, keyPath);
  return {
    pem,
    origin: keyPath,
    accountUrl: record.directoryUrl === directoryUrl ? record.accountUrl : undefined,
    removeHint: `remove ${keyPath} (and ${recordPath} beside it) so that a new account key is made and registered`,
    save(update) {
      const next = { ...record, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) };
      record = next;
      try {
        writeFileSync(recordPath, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
      } catch {
        // The account works without the record; the next run registers again (the server returns the same account).
      }
    },
  };
}
