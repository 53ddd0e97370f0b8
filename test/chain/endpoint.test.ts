/**
 * `certsmith inspect --host`: TLS servers on 127.0.0.1 (node:tls in a child
 * process, on a free port) present chains made with openssl; the CLI must
 * report exactly what was presented, in the server's order, for TLS 1.2
 * (certificates in the clear) and TLS 1.3 (encrypted handshake).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { Pki, opensslFacts } from './pki.js';

const dir = tempDir({ after });
const pki = new Pki(dir);
const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
pki.selfSigned('root', { subj: '/CN=Endpoint Root', ext: CA });
pki.issue('intA', 'root', { subj: '/CN=Endpoint Int A', ext: CA });
pki.issue('intB', 'intA', { subj: '/CN=Endpoint Int B', ext: CA });
pki.issue('leaf', 'intB', { subj: '/CN=www.test', ext: ['basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth', 'subjectAltName=DNS:www.test,IP:127.0.0.1'] });

const SERVER = `
const tls = require('node:tls'); const fs = require('node:fs');
const [cert, key, version] = process.argv.slice(1);
const server = tls.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key), minVersion: version, maxVersion: version }, (s) => s.end('hi'));
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;

const servers: ChildProcess[] = [];
after(() => {
  for (const s of servers) s.kill();
});

/** Starts a TLS server presenting the bundle; resolves with its port. */
function serve(names: string[], version: 'TLSv1.2' | 'TLSv1.3'): Promise<number> {
  const bundle = pki.bundle(`served-${names.join('+')}.pem`, names);
  const child = spawn(process.execPath, ['-e', SERVER, bundle, pki.path('leaf.key'), version], { stdio: ['pipe', 'pipe', 'pipe'] });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the test server did not start')), 10_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`the test server exited (${code})`)));
  });
}

interface JsonReport {
  certificates: { subject: string; sha256Fingerprint: string }[];
  chain: number[];
  trusted: boolean;
  hostnameMatches: boolean | null;
  findings: { severity: string; code: string; message: string; certificate: number | null }[];
}

function inspectHost(port: number, extra: string[] = []): { status: number | null; json: JsonReport } {
  const r = runCli(['inspect', '--format', 'json', '--roots', pki.path('root.pem'), '--timeout', '10', '--host', `127.0.0.1:${port}`, ...extra], { cwd: dir, timeoutMs: 30_000 });
  assert.equal(r.stderr, '');
  return { status: r.status, json: JSON.parse(r.stdout) as JsonReport };
}

const fp = (name: string) => opensslFacts(dir, pki.path(`${name}.pem`)).fingerprint;

describe('live endpoints on 127.0.0.1', () => {
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    test(`${version}: a good chain, exactly as presented, with SNI and hostname`, async () => {
      const port = await serve(['leaf', 'intB', 'intA'], version);
      const r = inspectHost(port, ['--servername', 'www.test']);
      assert.deepEqual(r.json.certificates.slice(0, 3).map((c) => c.sha256Fingerprint), [fp('leaf'), fp('intB'), fp('intA')]);
      assert.equal(r.json.certificates.length, 4, 'the trusted root is added after the presented ones');
      assert.equal(r.json.certificates[3].sha256Fingerprint, fp('root'));
      assert.deepEqual(r.json.chain, [0, 1, 2, 3]);
      assert.equal(r.json.trusted, true);
      assert.equal(r.json.hostnameMatches, true);
      assert.equal(r.status, 0);
    });

    test(`${version}: a misordered chain with the root is reported in the server's order`, async () => {
      const port = await serve(['leaf', 'intA', 'root', 'intB'], version);
      const r = inspectHost(port, ['--hostname', 'other.test']);
      assert.deepEqual(r.json.certificates.map((c) => c.sha256Fingerprint), [fp('leaf'), fp('intA'), fp('root'), fp('intB')]);
      assert.deepEqual(r.json.chain, [0, 3, 1, 2]);
      const codes = r.json.findings.map((f) => f.code);
      assert.ok(codes.includes('chain-wrong-order') && codes.includes('chain-root-included') && codes.includes('hostname-mismatch'), JSON.stringify(r.json.findings));
      assert.equal(r.json.hostnameMatches, false);
      assert.equal(r.status, 1);
    });
  }

  test('the hostname checked by default is the host (here an IP address SAN)', async () => {
    const port = await serve(['leaf', 'intB', 'intA'], 'TLSv1.3');
    const r = inspectHost(port);
    assert.equal(r.json.hostnameMatches, true);
  });

  test('a missing intermediate on the wire', async () => {
    const port = await serve(['leaf', 'intB'], 'TLSv1.3');
    const r = inspectHost(port, ['--servername', 'www.test']);
    assert.equal(r.json.trusted, false);
    assert.ok(r.json.findings.some((f) => f.code === 'chain-missing-intermediate' && f.certificate === 1), JSON.stringify(r.json.findings));
  });

  test('connection refused and a port that does not speak TLS: exit 2, one line', async () => {
    // A port that was free a moment ago.
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = runCli(['inspect', '--host', `127.0.0.1:${free}`], { cwd: dir });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^certsmith: 127\.0\.0\.1:\d+: connection refused/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);

    const plain = createServer((sock) => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const port = (plain.address() as { port: number }).port;
      const r = await runCliAsync(['inspect', '--host', `127.0.0.1:${port}`, '--timeout', '5']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^certsmith: 127\.0\.0\.1:\d+: /);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    } finally {
      plain.close();
    }
  });
});

/** The CLI without blocking this process (which serves the plain TCP port above). */
function runCliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('../../dist/cli.js'), ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
