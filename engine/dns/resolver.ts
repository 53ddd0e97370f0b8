/**
 * Lookups through the configured recursive nameservers (and only those): the
 * zone walk, NS and address lookups and the CNAME chain go through here.
 *
 * A question goes to every resolver at once; the first usable answer
 * (NOERROR or NXDOMAIN) wins and the other queries are cancelled, so one
 * dead resolver in the list costs nothing while another one answers. When no
 * resolver gives a usable answer, the answer of the first one that answered
 * at all is returned (SERVFAIL, REFUSED, ...); when none answered, the
 * queries' errors are thrown together as one DnsQueryError.
 *
 * A Resolver remembers its answers (per instance), so one check asks each
 * question once.
 */
import { formatNameserver, type NameserverAddress } from './nameserver-address.js';
import { DnsQueryError, queryDns, type DnsResponse, type RecordType } from './dns-client.js';

export interface ResolverOptions {
  nameservers: NameserverAddress[];
  timeoutMs?: number;
  attempts?: number;
  signal?: AbortSignal;
}

export class Resolver {
  private readonly cache = new Map<string, Promise<DnsResponse>>();

  constructor(readonly options: ResolverOptions) {
    if (options.nameservers.length === 0) throw new Error('no recursive nameservers configured');
  }

  /** A recursive lookup (RD set) through the configured resolvers. */
  lookup(name: string, type: RecordType): Promise<DnsResponse> {
    const key = `${type} ${name.toLowerCase()}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.race(name, type);
      this.cache.set(key, pending);
    }
    return pending;
  }

  private race(name: string, type: RecordType): Promise<DnsResponse> {
    const { nameservers, timeoutMs, attempts, signal } = this.options;
    const cancel = new AbortController();
    const onOuterAbort = () => cancel.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    const combined = cancel.signal;
    return new Promise<DnsResponse>((resolve, reject) => {
      const outcomes: (DnsResponse | DnsQueryError | undefined)[] = nameservers.map(() => undefined);
      let settled = false;
      let remaining = nameservers.length;
      const done = () => {
        settled = true;
        signal?.removeEventListener('abort', onOuterAbort);
        cancel.abort();
      };
      nameservers.forEach((ns, i) => {
        queryDns(ns, name, type, { recursionDesired: true, timeoutMs, attempts, signal: combined }).then(
          (response) => {
            outcomes[i] = response;
            if (!settled && (response.rcode === 'NOERROR' || response.rcode === 'NXDOMAIN')) {
              done();
              resolve(response);
            }
          },
          (error: unknown) => {
            outcomes[i] =
              error instanceof DnsQueryError ? error : new DnsQueryError('unreachable', String((error as Error)?.message ?? error), formatNameserver(ns), 0);
          },
        ).finally(() => {
          remaining--;
          if (remaining > 0 || settled) return;
          done();
          if (signal?.aborted) {
            reject(new DnsQueryError('aborted', 'the check was cancelled', '', 0));
            return;
          }
          const answered = outcomes.find((o): o is DnsResponse => o !== undefined && !(o instanceof DnsQueryError));
          if (answered) return resolve(answered);
          const errors = outcomes.filter((o): o is DnsQueryError => o instanceof DnsQueryError);
          const kind = errors.every((e) => e.kind === 'timeout') ? 'timeout' : 'unreachable';
          reject(
            new DnsQueryError(
              kind,
              `no recursive nameserver answered ${type} ${name}: ${errors.map((e) => e.message).join('; ')}`,
              errors.map((e) => e.server).join(','),
              Math.max(0, ...errors.map((e) => e.elapsedMs)),
            ),
          );
        });
      });
    });
  }
}
