/**
 * A small DNS world for tests and benchmarks: one bind9 (authoritative for
 * the given zones, TSIG-updatable) and N unbound resolvers (caching, stub
 * zones pointing at that bind9). Everything on free 127.0.0.1 ports.
 *
 * NS records carry no port, so the checker is told the bind9 port as
 * `authoritativePort`; the zones' nameserver host names resolve to 127.0.0.1.
 */
import { startBind9, type Bind9, type Bind9Zone } from './bind9.js';
import { startUnbound, type Unbound } from './unbound.js';

export interface DnsWorld {
  bind9: Bind9;
  resolvers: Unbound[];
  stop(): Promise<void>;
}

export async function startDnsWorld(options: { zones: Bind9Zone[]; resolvers?: number; unboundOptions?: string[] }): Promise<DnsWorld> {
  const bind9 = await startBind9({ zones: options.zones, tsig: true });
  const resolvers: Unbound[] = [];
  const stop = async () => {
    await Promise.allSettled(resolvers.map((r) => r.stop()));
    await bind9.stop();
  };
  try {
    for (let i = 0; i < (options.resolvers ?? 2); i++) {
      resolvers.push(
        await startUnbound({
          stubZones: options.zones.map((z) => ({ name: z.name, servers: [bind9.address] })),
          serverOptions: options.unboundOptions,
        }),
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { bind9, resolvers, stop };
}
