/**
 * A DNS-01 provider: puts one TXT value at a record name and takes exactly
 * that value away again (apex and wildcard share `_acme-challenge.<domain>`,
 * so a provider never deletes values it did not add).
 */
export interface TxtRecord {
  /** The name the value is written at (after cnameStrategy Follow), without the trailing dot. */
  fqdn: string;
  /** The domain the challenge is for (without "*."), e.g. to find an acme-dns account. */
  domain: string;
  value: string;
  ttl: number;
}

export interface Dns01Provider {
  /** e.g. "RFC 2136 update to 127.0.0.1:53 (TSIG key acme-update)"; never a secret. */
  readonly description: string;
  /** Where the record will actually be written, when it is not `fqdn` (acme-dns: the account's fulldomain). */
  target?(record: TxtRecord): string;
  /** The provider cannot delete values (acme-dns): clean-up leaves them, to be replaced by the next issuance. */
  readonly keepsValues?: boolean;
  present(record: TxtRecord, signal?: AbortSignal): Promise<void>;
  cleanUp(record: TxtRecord, signal?: AbortSignal): Promise<void>;
}
