/**
 * A real acme-dns (joohoi/acme-dns: the server behind cert-manager's `acmeDNS`
 * DNS-01 provider) for tests, on free loopback ports: its HTTP API
 * (POST /register, POST /update, GET /health) over plain HTTP and its DNS
 * server (UDP + TCP), authoritative for `domain`, with a sqlite database in a
 * temporary directory.
 *
 *   const acmeDns = await startAcmeDns({ domain: 'acme-dns.test' });
 *   t.after(() => acmeDns.stop());
 *   const account = await acmeDns.register(); // { username, password, fulldomain, subdomain, allowfrom }
 *   // _acme-challenge.<name> CNAME account.fulldomain, somewhere a resolver finds it
 *
 * The binary is built once by `npm run setup` (test/world/go-peers/
 * build-acme-dns.sh) into a cache directory keyed by the pinned commit; a test
 * never builds it. The DNS server also serves `domain NS nsname` and
 * `nsname A 127.0.0.1`, so that zone lookups of the account names work.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { digShort, requireBinary, startDaemon, type Daemon } from './process.js';

export interface AcmeDnsOptions {
  /** The domain acme-dns serves the account records under, e.g. acme-dns.test (no trailing dot). */
  domain: string;
  /** Its name server (SOA MNAME and NS), default ns1.<domain>. */
  nsname?: string;
  /** SOA RNAME (@ becomes .), default admin.<domain>. */
  nsadmin?: string;
  /** More static records, zone-file syntax with absolute names, e.g. "www.acme-dns.test. A 127.0.0.1". */
  records?: string[];
  /** Default: free ports. */
  apiPort?: number;
  dnsPort?: number;
  /** acme-dns's log level (default "info"); "debug" logs every query and update. */
  logLevel?: 'error' | 'warning' | 'info' | 'debug';
}

/** What POST /register answers: the credentials cert-manager keeps in its Secret. */
export interface AcmeDnsAccount {
  username: string;
  password: string;
  /** <subdomain>.<domain>: the CNAME target for _acme-challenge.<name>. */
  fulldomain: string;
  subdomain: string;
  allowfrom: string[];
}

export interface AcmeDns {
  /** http://127.0.0.1:PORT (acmeDNS.host in an Issuer) */
  apiUrl: string;
  /** "127.0.0.1:PORT" (UDP and TCP) */
  dnsAddress: string;
  dnsPort: number;
  domain: string;
  nsname: string;
  dir: string;
  daemon: Daemon;
  /** POST /register: a new account (allowfrom: CIDR ranges allowed to update; default any). */
  register(allowfrom?: string[]): Promise<AcmeDnsAccount>;
  /** POST /update as a client would: sets one of the account's two TXT values. Resolves with the HTTP status. */
  update(account: Pick<AcmeDnsAccount, 'username' | 'password' | 'subdomain'>, txt: string): Promise<number>;
  stop(): Promise<void>;
}

const BUILD_SCRIPT = join(__dirname, 'go-peers', 'build-acme-dns.sh');

/** The pinned commit, read from the build script (the one place it is written). */
function pinnedCommit(): string {
  const commit = /^COMMIT=([0-9a-f]{40})$/m.exec(readFileSync(BUILD_SCRIPT, 'utf8'))?.[1];
  if (!commit) throw new Error(`${BUILD_SCRIPT} names no COMMIT=<40 hex digits>`);
  return commit;
}

/** Where build-acme-dns.sh puts the binary. */
export function acmeDnsBinaryPath(): string {
  const cache = process.env.CERTSMITH_PEER_CACHE || join(process.env.HOME || homedir(), '.cache', 'certsmith-peers');
  return join(cache, `acme-dns-${pinnedCommit()}`, 'acme-dns');
}

function requireAcmeDns(): string {
  const bin = acmeDnsBinaryPath();
  if (!existsSync(bin) || !existsSync(join(bin, '..', '.complete'))) {
    throw new Error(`acme-dns is not built (expected ${bin}): run \`npm run setup\`, which builds it once with test/world/go-peers/build-acme-dns.sh`);
  }
  return bin;
}

function request(method: 'GET' | 'POST', url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers }, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within 5 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A TOML basic string. */
function q(s: string): string {
  return JSON.stringify(s);
}

export async function startAcmeDns(options: AcmeDnsOptions): Promise<AcmeDns> {
  const bin = requireAcmeDns();
  requireBinary('dig', 'bind9-dnsutils');
  const domain = options.domain.replace(/\.$/, '').toLowerCase();
  const nsname = (options.nsname ?? `ns1.${domain}`).replace(/\.$/, '').toLowerCase();
  const nsadmin = (options.nsadmin ?? `admin.${domain}`).replace(/\.$/, '');
  const dnsPort = options.dnsPort ?? (await freePort());
  const apiPort = options.apiPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-acme-dns-'));
  try {
    const records = [`${domain}. NS ${nsname}.`, ...(nsname === domain || nsname.endsWith(`.${domain}`) ? [`${nsname}. A 127.0.0.1`] : []), ...(options.records ?? [])];
    const config = [
      '[general]',
      `listen = ${q(`127.0.0.1:${dnsPort}`)}`,
      'protocol = "both"',
      `domain = ${q(domain)}`,
      `nsname = ${q(nsname)}`,
      `nsadmin = ${q(nsadmin)}`,
      `records = [${records.map(q).join(', ')}]`,
      'debug = false',
      '',
      '[database]',
      'engine = "sqlite3"',
      `connection = ${q(join(dir, 'acme-dns.db'))}`,
      '',
      '[api]',
      'ip = "127.0.0.1"',
      'disable_registration = false',
      `port = ${q(String(apiPort))}`,
      'tls = "none"',
      `acme_cache_dir = ${q(join(dir, 'api-certs'))}`,
      'corsorigins = ["*"]',
      'use_header = false',
      'header_name = "X-Forwarded-For"',
      '',
      '[logconfig]',
      `loglevel = ${q(options.logLevel ?? 'info')}`,
      'logtype = "stdout"',
      'logformat = "text"',
      '',
    ].join('\n');
    const configPath = join(dir, 'config.cfg');
    writeFileSync(configPath, config);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const daemon = await startDaemon({
      name: 'acme-dns',
      command: bin,
      args: ['-c', configPath],
      cwd: dir,
      // Its TLS library (certmagic) is set up even with tls = "none": keep anything it might write in the temporary directory.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir },
      fatal: /level=fatal|Could not open database|Configuration file not found|error while trying to read configuration/i,
      ready: async () => (await request('GET', `${apiUrl}/health`)).status === 200 && (digShort('127.0.0.1', dnsPort, domain, 'SOA') ?? '').trim() !== '',
    });
    return {
      apiUrl,
      dnsAddress: `127.0.0.1:${dnsPort}`,
      dnsPort,
      domain,
      nsname,
      dir,
      daemon,
      async register(allowfrom) {
        const r = await request('POST', `${apiUrl}/register`, allowfrom ? JSON.stringify({ allowfrom }) : '{}');
        if (r.status !== 201) throw new Error(`acme-dns POST /register answered ${r.status}: ${r.body}`);
        const a = JSON.parse(r.body) as AcmeDnsAccount;
        return { username: a.username, password: a.password, fulldomain: a.fulldomain, subdomain: a.subdomain, allowfrom: a.allowfrom ?? [] };
      },
      async update(account, txt) {
        const r = await request('POST', `${apiUrl}/update`, JSON.stringify({ subdomain: account.subdomain, txt }), { 'X-Api-User': account.username, 'X-Api-Key': account.password });
        return r.status;
      },
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
