/**
 * A real unbound for tests: a caching recursive resolver on a free loopback
 * port whose only upstreams are stub zones (normally pointing at a test
 * bind9), so that "propagation" is real — a record changed at the
 * authoritative server stays stale here until its TTL runs out. The root zone
 * is stubbed to the first upstream too, so unbound never asks the internet:
 * names outside the stub zones get SERVFAIL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { digShort, requireBinary, startDaemon, type Daemon } from './process.js';

interface StubZone {
  /** e.g. example.test */
  name: string;
  /** "127.0.0.1:PORT" (or "127.0.0.1"), each an authoritative server for the zone. */
  servers: string[];
}

export interface UnboundOptions {
  stubZones: StubZone[];
  port?: number;
  /** More lines for the server: clause. */
  serverOptions?: string[];
}

export interface Unbound {
  host: '127.0.0.1';
  port: number;
  /** "127.0.0.1:PORT" */
  address: string;
  dir: string;
  daemon: Daemon;
  stop(): Promise<void>;
}

/** Zones unbound answers locally by default (RFC 6761 etc.); stub zones below them need "nodefault". */
const DEFAULT_LOCAL_ZONES = ['test', 'invalid', 'onion', 'localhost', 'home.arpa', 'local'];

function stubAddr(server: string): string {
  const m = /^(.*):(\d+)$/.exec(server);
  return m ? `${m[1]}@${m[2]}` : server;
}

export async function startUnbound(options: UnboundOptions): Promise<Unbound> {
  const unbound = requireBinary('unbound', 'unbound');
  requireBinary('dig', 'bind9-dnsutils');
  if (options.stubZones.length === 0) throw new Error('startUnbound: at least one stub zone is needed');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-unbound-'));
  try {
    const nodefault = new Set<string>();
    for (const z of options.stubZones) {
      for (const d of DEFAULT_LOCAL_ZONES) if (z.name === d || z.name.endsWith(`.${d}`)) nodefault.add(d);
    }
    const stubs = [...options.stubZones, { name: '.', servers: options.stubZones[0]!.servers }];
    const conf = [
      'server:',
      '  interface: 127.0.0.1',
      `  port: ${port}`,
      '  access-control: 127.0.0.0/8 allow',
      '  do-ip6: no',
      '  do-not-query-localhost: no',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${join(dir, 'unbound.pid')}"`,
      '  use-syslog: no',
      '  logfile: ""',
      '  verbosity: 1',
      '  num-threads: 1',
      '  so-reuseport: no',
      '  module-config: "iterator"',
      '  qname-minimisation: no',
      '  prefetch: no',
      '  serve-expired: no',
      '  cache-min-ttl: 0',
      ...[...nodefault].map((d) => `  local-zone: "${d}." nodefault`),
      ...(options.serverOptions ?? []).map((l) => `  ${l}`),
      ...stubs.flatMap((z) => ['stub-zone:', `  name: "${z.name === '.' ? '.' : `${z.name}.`}"`, ...z.servers.map((s) => `  stub-addr: ${stubAddr(s)}`)]),
      '',
    ].join('\n');
    const confPath = join(dir, 'unbound.conf');
    writeFileSync(confPath, conf);
    const probe = options.stubZones[0]!.name;
    const daemon = await startDaemon({
      name: 'unbound',
      command: unbound,
      args: ['-d', '-c', confPath],
      cwd: dir,
      ready: () => (digShort('127.0.0.1', port, probe, 'SOA') ?? '').trim() !== '',
    });
    return {
      host: '127.0.0.1',
      port,
      address: `127.0.0.1:${port}`,
      dir,
      daemon,
      async stop() {
        await daemon.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
