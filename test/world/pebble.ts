/**
 * A real Pebble (Let's Encrypt's test ACME CA) for tests and benchmarks, on
 * free loopback ports:
 *
 *   const ca = await startPebble({ dnsServer: bind9.address });
 *   t.after(() => ca.stop());
 *   // ca.directoryUrl, ca.caBundlePem (trust for its HTTPS listener), await ca.issuingRoots()
 *
 * Its HTTPS listener gets a certificate from a throwaway CA made with openssl;
 * clients trust it the way cert-manager users do, through the Issuer's
 * `spec.acme.caBundle`, never by turning TLS checks off. The validation
 * authority resolves names through `dnsServer` (bind9 in tests) and fetches
 * HTTP-01 tokens from port `httpPort` of the address the name resolves to.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { requireBinary, startDaemon, type Daemon } from './process.js';

export interface PebbleOptions {
  /** host:port of the DNS server its validation authority asks (bind9). */
  dnsServer: string;
  /** Require external account binding, with these key ids → base64url HMAC keys. */
  externalAccountMACKeys?: Record<string, string>;
  /** Percentage of valid nonces rejected as badNonce (Pebble's default is 5). */
  nonceReject?: number;
  /** Percentage of orders reusing valid authorizations (default 0 here, so every order really validates). */
  authzReuse?: number;
  /** Certificate validity in seconds (Pebble's default is 5 years). */
  validityPeriodSeconds?: number;
  /** Port the validation authority fetches HTTP-01 tokens from (default: a free port). */
  httpPort?: number;
  /** More environment variables (PEBBLE_CHAIN_LENGTH, PEBBLE_ALTERNATE_ROOTS, ...). */
  env?: Record<string, string>;
}

export interface Pebble {
  directoryUrl: string;
  /** https://127.0.0.1:PORT (the management interface: roots, intermediates, cert status). */
  managementUrl: string;
  /** HTTP-01 validation port. */
  httpPort: number;
  /** PEM of the CA that signed Pebble's HTTPS listener certificate (what goes into spec.acme.caBundle). */
  caBundlePem: string;
  dir: string;
  daemon: Daemon;
  /** The current issuing root(s), PEM (they change on every start). */
  issuingRoots(): Promise<string>;
  /** Stops Pebble and starts it again on the same ports and listener certificate: it forgets every account and order, as a reset CA does. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const bin = requireBinary('openssl', 'openssl');
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA and a listener certificate for localhost / 127.0.0.1 / ::1. */
function makeListenerCertificate(dir: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'listener-ca.key', '-out', 'listener-ca.pem', '-days', '2', '-subj', '/CN=Certsmith test Pebble listener CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'key.pem', '-out', 'listener.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(join(dir, 'listener.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n');
  openssl(['x509', '-req', '-in', 'listener.csr', '-CA', 'listener-ca.pem', '-CAkey', 'listener-ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'listener.ext'], dir);
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  const pebble = requireBinary('pebble', 'pebble');
  const dir = mkdtempSync(join(tmpdir(), 'certsmith-pebble-'));
  try {
    makeListenerCertificate(dir);
    const caBundlePem = readFileSync(join(dir, 'listener-ca.pem'), 'utf8');
    const port = await freePort();
    const managementPort = await freePort();
    const httpPort = options.httpPort ?? (await freePort());
    const tlsPort = await freePort();
    const config = {
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: join(dir, 'cert.pem'),
        privateKey: join(dir, 'key.pem'),
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: options.externalAccountMACKeys !== undefined,
        externalAccountMACKeys: options.externalAccountMACKeys ?? {},
        ...(options.validityPeriodSeconds ? { certificateValidityPeriod: options.validityPeriodSeconds } : {}),
      },
    };
    writeFileSync(join(dir, 'pebble.json'), JSON.stringify(config, null, 2));
    const directoryUrl = `https://127.0.0.1:${port}/dir`;
    const managementUrl = `https://127.0.0.1:${managementPort}`;
    const start = () => startDaemon({
      name: 'pebble',
      command: pebble,
      args: ['-config', join(dir, 'pebble.json'), '-dnsserver', options.dnsServer],
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PEBBLE_VA_NOSLEEP: '1',
        PEBBLE_WFE_NONCEREJECT: String(options.nonceReject ?? 5),
        PEBBLE_AUTHZREUSE: String(options.authzReuse ?? 0),
        ...options.env,
      },
      ready: async () => (await get(directoryUrl, caBundlePem)).status === 200,
    });
    const world: Pebble = {
      directoryUrl,
      managementUrl,
      httpPort,
      caBundlePem,
      dir,
      daemon: await start(),
      async issuingRoots() {
        const r = await get(`${managementUrl}/roots/0`, caBundlePem);
        if (r.status !== 200) throw new Error(`pebble management /roots/0 answered ${r.status}`);
        return r.body;
      },
      async restart() {
        await world.daemon.stop();
        world.daemon = await start();
      },
      async stop() {
        await world.daemon.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return world;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
