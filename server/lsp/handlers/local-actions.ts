/**
 * Issue, Check DNS-01, Inspect and Export as requests (protocol/messages.ts).
 * The work is in the lazily loaded dist/lsp-actions.js; this file turns
 * LSP's cancellation and progress tokens into what it takes, and asks the
 * client for what no file holds (Secret values, the ACME account key kept in
 * its secret storage) when the client said it can answer.
 */
import type { AccountKey, AccountKeyStore } from '../../../engine/acme/account-store.js';
import {
  AccountKeyRequest,
  AccountRegisteredNotification,
  DnsCheckProgress,
  DnsCheckRequest,
  ExportSecretRequest,
  InspectChainRequest,
  IssuePlanRequest,
  IssueRequest,
  ManualRecordsNotification,
  SecretValueRequest,
  type CertificateRef,
  type DnsCheckEntry,
  type DnsCheckParams,
  type DnsCheckResult,
  type ExportSecretParams,
  type InspectParams,
  type InspectResult,
  type IssueParams,
  type IssuePlanResult,
  type IssueResult,
} from '../../../protocol/messages.js';
import { guardedAsync, guardedRequest } from '../guard.js';
import type * as LspActions from '../lsp-actions.js';
import type { ServerState } from '../server-state.js';
import type { WorkspaceIndex } from './workspace-index.js';
import { abortOn, untrusted, withProgress, type ActionCall } from './action-support.js';
import { resolve } from 'node:path';

const DNS_WAIT_DEFAULT_SECONDS = 120;

/** ACME account keys kept by the client (its secret storage), through certsmith/accountKey. */
class ClientAccountStore implements AccountKeyStore {
  constructor(private readonly state: ServerState) {}

  async load(directoryUrl: string, privateKeySecretRef: string, onCreate?: (where: string) => void): Promise<AccountKey> {
    const { connection } = this.state;
    const r = await connection.sendRequest(AccountKeyRequest, { directoryUrl, privateKeySecretRef });
    if (r.created) onCreate?.(r.origin);
    return {
      pem: r.pem,
      origin: r.origin,
      accountUrl: r.accountUrl,
      removeHint: r.removeHint,
      save: ({ accountUrl }) => {
        if (accountUrl) void connection.sendNotification(AccountRegisteredNotification, { directoryUrl, privateKeySecretRef, accountUrl });
      },
    };
  }
}

export class LocalActions {
  private module: typeof LspActions | undefined;

  constructor(
    private readonly state: ServerState,
    private readonly index: WorkspaceIndex,
  ) {}

  private get actions(): typeof LspActions {
    if (!this.module) {
      try {
        // A separate bundle (esbuild.config.mjs): required on first use only.
        this.module = require('./lsp-actions.js') as typeof LspActions;
      } catch (e) {
        throw new Error(`the actions (lsp-actions.js next to the server) cannot be loaded: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
      }
    }
    return this.module;
  }

  private inputs(): LspActions.ActionInputs {
    return { settings: this.state.settings, manifests: this.index.texts(), log: (m) => this.state.log(m) };
  }

  async issuePlan(p: CertificateRef): Promise<IssuePlanResult> {
    const refusal = untrusted(this.state, 'issuing certificates');
    return refusal ? { error: refusal } : this.actions.issuePlan(this.inputs(), p);
  }

  async issue(p: IssueParams, call: ActionCall = {}): Promise<IssueResult> {
    const refusal = untrusted(this.state, 'issuing certificates');
    if (refusal) return { error: refusal };
    const { connection } = this.state;
    const client = this.state.secretStorage;
    return this.actions.issue(this.inputs(), p, {
      signal: call.signal ?? new AbortController().signal,
      progress: call.progress ?? (() => {}),
      manualRecords: (m) => void connection.sendNotification(ManualRecordsNotification, m),
      secretValue: client ? async (namespace, name, key, purpose) => (await connection.sendRequest(SecretValueRequest, { namespace, name, key, purpose })).value : undefined,
      accountStore: client ? new ClientAccountStore(this.state) : undefined,
    });
  }

  async checkDns(p: DnsCheckParams, call: ActionCall = {}, onEntry: (e: DnsCheckEntry) => void = () => {}): Promise<DnsCheckResult> {
    const refusal = untrusted(this.state, 'DNS checks');
    if (refusal) return { entries: [], error: refusal };
    const names = (p.names ?? []).filter((n) => typeof n === 'string' && n);
    if (!names.length) return { entries: [], error: 'no names to check' };
    const waitMs = (p.waitSeconds ?? DNS_WAIT_DEFAULT_SECONDS) * 1000;
    return this.actions.checkDns(this.state.settings, names, p.expected, waitMs, call.signal ?? new AbortController().signal, (entry) => {
      call.progress?.(`${entry.name}: ${entry.status}`);
      onEntry(entry);
    });
  }

  async inspect(p: InspectParams): Promise<InspectResult> {
    if (p.endpoint) {
      const refusal = untrusted(this.state, 'connecting to a TLS server');
      if (refusal) return { title: p.endpoint, error: refusal };
    }
    return this.actions.inspectChain(this.state.settings, p, (uri) => this.state.documents.get(uri)?.getText());
  }

  async exportSecret(p: ExportSecretParams): Promise<{ written?: string; error?: string }> {
    // Only the Secrets of local issuances, under the output directory.
    const base = this.state.settings.outputDirectory;
    if (!resolve(p.outDir).startsWith(`${resolve(base)}/`)) return { error: `${p.outDir} is not under the output directory ${base}` };
    return this.actions.exportSecret(p.outDir, p.target);
  }

  register(): void {
    const { state } = this;
    const { connection } = state;
    connection.onRequest(IssuePlanRequest, guardedAsync(state, 'planning the issuance', (error) => ({ error }), (p) => this.issuePlan(p)));
    connection.onRequest(
      IssueRequest,
      guardedRequest(state, 'issuing', (error) => ({ error }), (p, token, progress) =>
        withProgress(progress, `${p.renew ? 'renewing' : 'issuing'} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`, true, (report) => this.issue(p, { signal: abortOn(token), progress: report })),
      ),
    );
    connection.onRequest(
      DnsCheckRequest,
      guardedRequest(state, 'the DNS-01 check', (error) => ({ entries: [], error }), (p, token, progress) =>
        withProgress(progress, 'checking DNS-01 propagation', true, (report) =>
          this.checkDns(p, { signal: abortOn(token), progress: report }, (entry) => {
            if (p.partialResultToken !== undefined) void connection.sendProgress(DnsCheckProgress, p.partialResultToken, entry);
          }),
        ),
      ),
    );
    connection.onRequest(InspectChainRequest, guardedAsync(state, 'inspecting the chain', (error) => ({ title: 'chain', error }), (p) => this.inspect(p)));
    connection.onRequest(ExportSecretRequest, guardedAsync(state, 'exporting the Secret', (error) => ({ error }), (p) => this.exportSecret(p)));
  }
}
