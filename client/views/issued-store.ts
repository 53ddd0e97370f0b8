/**
 * What was issued locally, per Certificate (namespace/name), kept in the
 * workspace state: where the result is, its validity, cert-manager's renewal
 * time, the issuer, and the ACME server used (so that "Renew" goes to the
 * same CA). The files themselves are under the output directory the
 * language server writes them to (`certsmith.outputDirectory`, default
 * .certsmith/issued/<namespace>/<secretName>, with a .gitignore so that keys
 * are never committed by accident).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface IssuedRecord {
  certificate: string;
  namespace: string;
  secretName: string;
  outDir: string;
  notBefore: string;
  notAfter: string;
  renewalTime: string;
  issuer: string;
  issuedAt: string;
  /** The ACME server actually used (after a staging override), if ACME. */
  acmeServer?: string;
  /** The document the Certificate came from. */
  uri: string;
}

const KEY = 'certsmith.issued';

export class IssuedStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  all(): IssuedRecord[] {
    return Object.values(this.state.get<Record<string, IssuedRecord>>(KEY, {})).filter((r) => existsSync(path.join(r.outDir, 'tls.crt')));
  }

  get(namespace: string, name: string): IssuedRecord | undefined {
    const r = this.state.get<Record<string, IssuedRecord>>(KEY, {})[`${namespace}/${name}`];
    return r && existsSync(path.join(r.outDir, 'tls.crt')) ? r : undefined;
  }

  async put(r: IssuedRecord): Promise<void> {
    await this.state.update(KEY, { ...this.state.get<Record<string, IssuedRecord>>(KEY, {}), [`${r.namespace}/${r.certificate}`]: r });
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
