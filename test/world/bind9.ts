/**
 * A real bind9 (named) for tests: authoritative only (recursion off), on a
 * free loopback port, with the zones the caller passes in, and optionally a
 * TSIG key that may update them (RFC 2136) — for nsupdate here, and for the
 * ACME issuance code's rfc2136 solver later.
 *
 *   const dns = await startBind9({ zones: [{ name: 'example.test', content: zoneFile({ zone: 'example.test', records: [...] }) }], tsig: true });
 *   t.after(() => dns.stop());
 *   await dns.nsupdate(['update add _acme-challenge.example.test. 60 TXT "v"'], 'example.test');
 *
 * The key is written only into files in the server's temporary directory
 * (named.conf include and nsupdate's -k file); it is never put on a command line or logged.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { digShort, requireBinary, startDaemon, type Daemon } from './process.js';

interface TsigKey {
  name: string;
  /** e.g. hmac-sha256 */
  algorithm: string;
  /** base64 */
  secret: string;
}

export interface Bind9Zone {
  /** e.g. example.test (no trailing dot) */
  name: string;
  /** The zone file text (see zoneFile()). */
  content: string;
  /** Allow updates signed with the TSIG key (default: true when the server has a key). */
  dynamic?: boolean;
}

export interface Bind9Options {
  zones: Bind9Zone[];
  /** Create a TSIG key (true: "acme-update", hmac-sha256) allowed to update the dynamic zones. */
  tsig?: boolean | { name?: string; algorithm?: string };
  /** Default: a free port. */
  port?: number;
}

export interface Bind9 {
  host: '127.0.0.1';
  port: number;
  /** "127.0.0.1:PORT" */
  address: string;
  tsig: TsigKey | null;
  dir: string;
  daemon: Daemon;
  /** Runs nsupdate with the TSIG key: the given update lines, then send. Rejects with nsupdate's error output. */
  nsupdate(lines: string[], zone?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ZoneFileOptions {
  zone: string;
  /** Default TTL ($TTL), default 60. */
  ttl?: number;
  /** SOA MINIMUM = negative-caching TTL, default 2 (short, for tests). */
  soaMinimum?: number;
  /** NS records: host names (relative to the zone or absolute with a dot) with their IPv4 addresses (A records added when inside the zone). */
  nameservers?: { host: string; address?: string }[];
  /** Further records, one per line, in zone-file syntax. */
  records?: string[];
  serial?: number;
}

/** A small zone file: $TTL, SOA, NS (+ glue A records), then the caller's records. */
export function zoneFile(o: ZoneFileOptions): string {
  const nameservers = o.nameservers ?? [{ host: 'ns1', address: '127.0.0.1' }];
  const first = nameservers[0]!.host;
  const lines = [
    `$ORIGIN ${o.zone}.`,
    `$TTL ${o.ttl ?? 60}`,
    `@ IN SOA ${first} hostmaster ( ${o.serial ?? 1} 3600 600 86400 ${o.soaMinimum ?? 2} )`,
    ...nameservers.map((n) => `@ IN NS ${n.host}`),
    ...nameservers.filter((n) => n.address && !n.host.endsWith('.')).map((n) => `${n.host} IN A ${n.address}`),
    ...(o.records ?? []),
    '',
  ];
  return lines.join('\n');
}

function makeKey(name: string, algorithm: string): TsigKey {
  const keygen = requireBinary('tsig-keygen', 'bind9 (or bind9-utils)');
  const r = spawnSync(keygen, ['-a', algorithm, name], { encoding: 'utf8', timeout: 10_000 });
  const secret = /secret\s+"([^"]+)"/.exec(r.stdout ?? '')?.[1];
  if (r.status !== 0 || !secret) throw new Error(`tsig-keygen failed: ${r.stderr}`);
  return { name, algorithm, secret };
}

function keyClause(key: TsigKey): string {
  return `key "${key.name}" {\n  algorithm ${key.algorithm};\n  secret "${key.secret}";\n};\n`;
}

export async function startBind9(options: Bind9Options): Promise<Bind9> {
  const named = requireBinary('named', 'bind9');
  requireBinary('dig', 'bind9-dnsutils');
  if (options.zones.length === 0) throw new Error('startBind9: at least one zone is needed');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-bind9-'));
  try {
    let tsig: TsigKey | null = null;
    if (options.tsig) {
      const spec = typeof options.tsig === 'object' ? options.tsig : {};
      tsig = makeKey(spec.name ?? 'acme-update', spec.algorithm ?? 'hmac-sha256');
      writeFileSync(join(dir, 'tsig.key'), keyClause(tsig), { mode: 0o600 });
    }
    const zones = options.zones.map((z) => {
      const file = join(dir, `${z.name}.zone`);
      writeFileSync(file, z.content);
      const dynamic = z.dynamic ?? tsig !== null;
      if (dynamic && !tsig) throw new Error(`startBind9: zone ${z.name} is dynamic but no TSIG key was asked for`);
      return `zone "${z.name}" {\n  type primary;\n  file "${file}";\n  allow-update { ${dynamic ? `key "${tsig!.name}";` : 'none;'} };\n};\n`;
    });
    const conf = [
      'options {',
      `  directory "${dir}";`,
      `  pid-file "${join(dir, 'named.pid')}";`,
      `  session-keyfile "${join(dir, 'session.key')}";`,
      `  managed-keys-directory "${dir}";`,
      `  listen-on port ${port} { 127.0.0.1; };`,
      '  listen-on-v6 { none; };',
      '  recursion no;',
      '  allow-transfer { none; };',
      '  notify no;',
      '  dnssec-validation no;',
      '};',
      'controls { };',
      tsig ? `include "${join(dir, 'tsig.key')}";` : '',
      ...zones,
    ].join('\n');
    const confPath = join(dir, 'named.conf');
    writeFileSync(confPath, conf);
    const args = ['-g', '-c', confPath, '-n', '1'];
    if (process.getuid?.() === 0) args.push('-u', 'root');
    const firstZone = options.zones[0]!.name;
    const daemon = await startDaemon({
      name: 'named',
      command: named,
      args,
      cwd: dir,
      fatal: /not loaded due to errors|loading configuration: failure|exiting \(due to fatal error\)/,
      ready: () => (digShort('127.0.0.1', port, firstZone, 'SOA') ?? '').trim() !== '',
    });
    const bind9: Bind9 = {
      host: '127.0.0.1',
      port,
      address: `127.0.0.1:${port}`,
      tsig,
      dir,
      daemon,
      nsupdate: (lines, zone) => runNsupdate(dir, port, tsig, lines, zone ?? firstZone),
      async stop() {
        await daemon.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return bind9;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function runNsupdate(dir: string, port: number, tsig: TsigKey | null, lines: string[], zone: string): Promise<void> {
  const nsupdate = requireBinary('nsupdate', 'bind9-dnsutils');
  if (!tsig) return Promise.reject(new Error('nsupdate: this bind9 has no TSIG key (start it with tsig: true)'));
  const keyFile = join(dir, 'nsupdate.key');
  writeFileSync(keyFile, keyClause(tsig), { mode: 0o600 });
  const script = [`server 127.0.0.1 ${port}`, `zone ${zone}`, ...lines, 'send', ''].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(nsupdate, ['-k', keyFile, '-t', '5'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`nsupdate failed (${code}): ${out.trim()}`));
    });
    child.stdin.end(script);
  });
}
