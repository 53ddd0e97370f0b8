/**
 * The ACME account of an issuance: registered with the account key, or found
 * again, as cert-manager's ACME issuer does at each sync (RFC 8555 §7.3).
 *
 * A CA can forget an account: a test CA restarted (Pebble keeps nothing), a
 * staging environment reset. The URL kept from last time then answers
 * `accountDoesNotExist` (§7.3.1), and cert-manager registers the same key
 * again; so does this, says so, and keeps the new URL. A deactivated account
 * (§7.3.6) can never be used again: the error says which key to remove.
 */
import type * as acme from 'acme-client';
import { UserError } from '../core/errors.js';
import type { AccountKey } from './account-store.js';
import type { AcmeProblem } from './acme-transport.js';

export interface AccountOptions {
  server: string;
  email?: string;
  /** The problem document of the server's last error answer, kept by the transport's onProblem. */
  problems: { last?: AcmeProblem };
  progress(message: string): void;
  /** Turns an acme-client error into a message (external account binding, ...). */
  explain(e: unknown, doing: string): Error;
}

/** Registers or finds the account of `key` on `client`; returns its URL. */
export async function ensureAccount(client: acme.Client, key: AccountKey, o: AccountOptions): Promise<string> {
  const data = { termsOfServiceAgreed: true, contact: o.email ? [`mailto:${o.email}`] : undefined };
  const stored = key.accountUrl;
  // Read through a function: TypeScript would keep the `undefined` assigned below as the type.
  const last = (): AcmeProblem | undefined => o.problems.last;
  o.problems.last = undefined;
  try {
    await client.createAccount(data);
  } catch (e) {
    const problem = last();
    if (problem?.type === 'unauthorized') throw deactivated(key, o.server, stored, problem);
    if (!(stored && problem?.type === 'accountDoesNotExist')) throw o.explain(e, 'registering the ACME account');
    o.progress(`the CA no longer knows the account ${stored} (accountDoesNotExist): registering the key from ${key.origin} again`);
    // acme-client goes to newAccount only when it holds no account URL.
    (client as unknown as { api: { accountUrl: string | null } }).api.accountUrl = null;
    o.problems.last = undefined;
    try {
      await client.createAccount(data);
    } catch (again) {
      const p = last();
      if (p?.type === 'unauthorized') throw deactivated(key, o.server, stored, p);
      throw o.explain(again, 'registering the ACME account again');
    }
    o.progress(`registered again: the account is now ${client.getAccountUrl()}`);
  }
  const url = client.getAccountUrl();
  await key.save({ accountUrl: url, email: o.email });
  return url;
}

function deactivated(key: AccountKey, server: string, url: string | undefined, problem: AcmeProblem): UserError {
  return new UserError(
    `the ACME server ${server} refuses the account ${url ? `${url} ` : ''}of the key in ${key.origin} (unauthorized: ${problem.detail || 'no detail'}); a deactivated account (RFC 8555 §7.3.6) can never be used again`,
    key.removeHint,
  );
}
