/**
 * `certsmith dns check` through the bundled CLI (dist/cli.js), against a real
 * bind9 and unbound: JSON shape, text output, exit status, waiting, bad input.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI, runCli, type CliResult } from '../support/cli.js';
import { zoneFile } from '../world/bind9.js';
import { startDnsWorld, type DnsWorld } from '../world/dns-world.js';
import { deadUdpServer } from '../world/free-port.js';

let world: DnsWorld;
let servers: string[];

before(async () => {
  world = await startDnsWorld({
    zones: [
      {
        name: 'shop.test',
        content: zoneFile({
          zone: 'shop.test',
          soaMinimum: 1,
          records: ['_acme-challenge IN TXT "apex-token"', '_acme-challenge IN TXT "wildcard-token"', '_acme-challenge.api IN CNAME _acme-challenge.shop.test.'],
        }),
      },
    ],
  });
  servers = [...world.resolvers.map((r) => r.address)];
});

after(async () => {
  await world?.stop();
});

const base = () => ['--recursive-nameservers', servers.join(','), '--authoritative-port', String(world.bind9.port), '--timeout', '1s'];

function assertOneLineError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.status, 2, `status ${r.status}; stdout ${r.stdout}; stderr ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^certsmith: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at |internal error/m);
}

interface JsonReport {
  name: string;
  propagated: boolean;
  zone: string;
  cname: string[];
  nameservers: { server: string; role: string; values: string[]; matched: boolean; ttl: number | null; rcode: string; error: string | null; elapsedMs: number }[];
  elapsedMs: number;
}

test('json: the documented shape; apex + wildcard values; exit 0 when propagated', () => {
  const r = runCli(['dns', 'check', '*.shop.test', '--expect', 'apex-token', '--expect', 'wildcard-token', '--format', 'json', ...base()]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const j = JSON.parse(r.stdout) as JsonReport;
  assert.equal(j.name, '_acme-challenge.shop.test');
  assert.equal(j.propagated, true);
  assert.equal(j.zone, 'shop.test');
  assert.deepEqual(j.cname, []);
  assert.equal(typeof j.elapsedMs, 'number');
  assert.deepEqual(
    j.nameservers.map((n) => [n.server, n.role]),
    [[world.bind9.address, 'authoritative'], [servers[0], 'recursive'], [servers[1], 'recursive']],
  );
  for (const n of j.nameservers) {
    assert.deepEqual(Object.keys(n).filter((k) => ['server', 'role', 'values', 'matched', 'ttl', 'rcode', 'error', 'elapsedMs'].includes(k)).length, 8);
    assert.deepEqual([...n.values].sort(), ['apex-token', 'wildcard-token']);
    assert.equal(n.matched, true);
    assert.equal(n.rcode, 'NOERROR');
    assert.equal(n.error, null);
    assert.equal(typeof n.ttl, 'number');
    assert.equal(typeof n.elapsedMs, 'number');
  }
});

test('text: one line per nameserver with why; a missing value exits 1; a CNAME chain is shown', () => {
  const r = runCli(['dns', 'check', 'api.shop.test', '--expect', 'other-token', ...base()]);
  assert.equal(r.status, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /^_acme-challenge\.api\.shop\.test: NOT propagated/);
  assert.match(r.stdout, /CNAME: _acme-challenge\.api\.shop\.test -> _acme-challenge\.shop\.test/);
  assert.match(r.stdout, new RegExp(`MISSING\\s+authoritative ns1\\.shop\\.test ${world.bind9.address.replace(/\./g, '\\.')}`));
  for (const s of servers) assert.match(r.stdout, new RegExp(`STALE\\s+recursive\\s+${s.replace(/\./g, '\\.')}.*missing "other-token"`));

  const ok = runCli(['dns', 'check', '_acme-challenge.shop.test', ...base()]);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /propagated \(3 of 3 nameservers hold a TXT value/);
});

test('--wait: progress on stderr while waiting, then the result once the record appears', async () => {
  const child = spawn(process.execPath, [CLI, 'dns', 'check', 'late.shop.test', '--expect', 'late-token', '--wait', '20s', ...base()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 100 && !/check 1:/.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(stderr, /check 1: 0 of 3 nameservers hold the expected value; next check in/);
    await world.bind9.nsupdate(['update add _acme-challenge.late.shop.test. 30 TXT "late-token"'], 'shop.test');
    const code = await exited;
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /^_acme-challenge\.late\.shop\.test: propagated/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('--wait gives up at the deadline with exit 1', () => {
  const r = runCli(['dns', 'check', 'never.shop.test', '--expect', 'x', '--wait', '1s', ...base()]);
  assert.equal(r.status, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /NOT propagated/);
  assert.match(r.stderr, /check 1:/);
});

test('an unresponsive recursive server: a TIMEOUT row, the others checked, exit 1', async (t) => {
  const dead = await deadUdpServer();
  t.after(() => dead.close());
  const r = runCli(['dns', 'check', 'shop.test', '--format', 'json', '--recursive-nameservers', `${servers[0]},127.0.0.1:${dead.port}`, '--authoritative-port', String(world.bind9.port), '--timeout', '200ms']);
  assert.equal(r.status, 1, r.stderr + r.stdout);
  const j = JSON.parse(r.stdout) as JsonReport;
  const rows = Object.fromEntries(j.nameservers.map((n) => [n.server, n]));
  assert.equal(rows[`127.0.0.1:${dead.port}`]!.rcode, 'TIMEOUT');
  assert.match(rows[`127.0.0.1:${dead.port}`]!.error ?? '', /no answer/);
  assert.equal(rows[servers[0]!]!.matched, true);
  assert.equal(rows[world.bind9.address]!.matched, true);
});

test('bad input and unreachable servers: one line on stderr, exit 2', async (t) => {
  assertOneLineError(runCli(['dns', 'check', 'not a name', ...base()]), /invalid NAME/);
  assertOneLineError(runCli(['dns', 'check', 'a..b.test', ...base()]), /empty label/);
  assertOneLineError(runCli(['dns', 'check', 'x.test', '--recursive-nameservers', 'resolver.example:53']), /not an IP address/);
  assertOneLineError(runCli(['dns', 'check', 'x.test', '--recursive-nameservers', '127.0.0.1:99999']), /port/);
  assertOneLineError(runCli(['dns', 'check', 'x.test', '--recursive-nameservers', '127.0.0.1:53,,']), /empty nameserver/);
  assertOneLineError(runCli(['dns', 'check', 'x.test', '--recursive-nameservers', 'tls://127.0.0.1']), /only https/);
  assertOneLineError(runCli(['dns', 'check', 'x.test', '--wait', 'soon', ...base()]), /--wait: "soon" is not a duration/);
  assertOneLineError(runCli(['dns', 'check', 'x.test', '--format', 'xml', ...base()]), /--format/);
  const dead = await deadUdpServer();
  t.after(() => dead.close());
  assertOneLineError(
    runCli(['dns', 'check', 'shop.test', '--recursive-nameservers', `127.0.0.1:${dead.port}`, '--timeout', '100ms']),
    /cannot check _acme-challenge\.shop\.test: no recursive nameserver answered/,
  );
  const usage = runCli(['dns', 'check']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /no NAME given/);
});
