/**
 * Secrets the extension keeps for the user, in VS Code's SecretStorage (the
 * OS keychain on desktop), for the language server, which asks for them
 * (certsmith/accountKey, certsmith/secretValue): ACME account keys per (server, privateKeySecretRef),
 * and the values of Secrets an issuer needs that are not in the workspace
 * (TSIG keys, EAB HMAC keys, acme-dns credentials). A missing value is asked
 * for once (password input) and remembered. Nothing here is ever logged or
 * written to the workspace; "Export Secret Manifest" is the only way out.
 */
import * as vscode from 'vscode';
import { checkAccountKey, generateAccountKeyPem, type AccountKey, type AccountKeyStore } from '../engine/acme/account-store.js';
import type { Log } from './log.js';

const ACCOUNT_PREFIX = 'certsmith.acme-account:';
/** Account URLs are not secret: kept in global state beside the key's index entry. */
const ACCOUNT_URL_PREFIX = 'certsmith.acme-account-url:';
const SECRET_PREFIX = 'certsmith.secret:';
const INDEX_KEY = 'certsmith.secret-index';

export class SecretStore implements AccountKeyStore {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {}

  private async remember(key: string, label: string): Promise<void> {
    const index = this.state.get<Record<string, string>>(INDEX_KEY, {});
    if (index[key] !== label) await this.state.update(INDEX_KEY, { ...index, [key]: label });
  }

  /** Labels of everything stored (never the values), for "Forget a Stored Secret". */
  stored(): { key: string; label: string }[] {
    return Object.entries(this.state.get<Record<string, string>>(INDEX_KEY, {})).map(([key, label]) => ({ key, label }));
  }

  async forget(key: string): Promise<void> {
    await this.storage.delete(key);
    if (key.startsWith(ACCOUNT_PREFIX)) await this.state.update(ACCOUNT_URL_PREFIX + key.slice(ACCOUNT_PREFIX.length), undefined);
    const index = { ...this.state.get<Record<string, string>>(INDEX_KEY, {}) };
    delete index[key];
    await this.state.update(INDEX_KEY, index);
  }

  async load(directoryUrl: string, privateKeySecretRef: string, onCreate?: (where: string) => void): Promise<AccountKey> {
    const key = `${ACCOUNT_PREFIX}${directoryUrl}|${privateKeySecretRef}`;
    let pem = await this.storage.get(key);
    if (!pem) {
      pem = generateAccountKeyPem();
      await this.storage.store(key, pem);
      await this.remember(key, `ACME account key for ${privateKeySecretRef} at ${directoryUrl}`); // the label removeHint names
      onCreate?.('VS Code secret storage');
    }
    checkAccountKey(pem, 'VS Code secret storage');
    const urlKey = `${ACCOUNT_URL_PREFIX}${directoryUrl}|${privateKeySecretRef}`;
    const label = `ACME account key for ${privateKeySecretRef} at ${directoryUrl}`;
    return {
      pem,
      origin: `VS Code secret storage (${privateKeySecretRef})`,
      accountUrl: this.state.get<string>(urlKey),
      removeHint: `run "Certsmith: Forget a Stored Secret…" and choose "${label}", so that a new account key is made`,
      save: ({ accountUrl }) => this.saveAccountUrl(directoryUrl, privateKeySecretRef, accountUrl),
    };
  }

  /** Keeps the account URL registered with the stored key (not secret: global state). */
  async saveAccountUrl(directoryUrl: string, privateKeySecretRef: string, accountUrl: string | undefined): Promise<void> {
    const urlKey = `${ACCOUNT_URL_PREFIX}${directoryUrl}|${privateKeySecretRef}`;
    if (accountUrl && accountUrl !== this.state.get<string>(urlKey)) await this.state.update(urlKey, accountUrl);
  }

  /** The stored value of Secret namespace/name key, or undefined. */
  async secretValue(namespace: string, name: string, key: string): Promise<string | undefined> {
    const v = await this.storage.get(`${SECRET_PREFIX}${namespace}/${name}/${key}`);
    if (v) this.log.addSecret(v);
    return v;
  }

  /** Asks for a Secret's value (password box) and stores it; undefined when the person cancels. */
  async askSecretValue(namespace: string, name: string, key: string, purpose: string): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: `Certsmith: ${purpose}`,
      prompt: `Value of key "${key}" of Secret ${namespace}/${name} (not in the workspace). It is kept in VS Code's secret storage, never in the workspace.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'A value is needed' : undefined),
    });
    if (value === undefined) return undefined;
    const k = `${SECRET_PREFIX}${namespace}/${name}/${key}`;
    await this.storage.store(k, value.trim());
    await this.remember(k, `Secret ${namespace}/${name} key ${key} (${purpose})`);
    this.log.addSecret(value.trim());
    return value.trim();
  }
}
