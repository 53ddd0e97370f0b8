/**
 * The propagation checker (engine/dns) against a real bind9 (authoritative,
 * changed with nsupdate) and two real unbound resolvers (caching).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPropagation, waitForPropagation, PropagationCheckError, type PropagationReport, type WaitProgress } from '../../engine/dns/propagation.js';
import { parseNameserver, type NameserverAddress } from '../../engine/dns/nameserver-address.js';
import { zoneFile } from '../world/bind9.js';
import { startDnsWorld, type DnsWorld } from '../world/dns-world.js';
import { deadUdpServer } from '../world/free-port.js';

const BIG_VALUES = Array.from({ length: 24 }, (_, i) => `big-${String(i).padStart(2, '0')}-${'x'.repeat(240)}`);

let world: DnsWorld;
let r1: NameserverAddress;
let r2: NameserverAddress;

before(async () => {
  world = await startDnsWorld({
    zones: [
      {
        name: 'example.test',
        content: zoneFile({
          zone: 'example.test',
          soaMinimum: 30,
          records: [
            'www IN A 127.0.0.1',
            '_acme-challenge.www IN CNAME tok.acme.test.',
            '_acme-challenge.nodata IN CAA 0 issue "letsencrypt.org"',
            '_acme-challenge.loop IN CNAME _acme-challenge.loop2.example.test.',
            '_acme-challenge.loop2 IN CNAME _acme-challenge.loop.example.test.',
            '_acme-challenge.stale 300 IN TXT "old-token"',
            ...BIG_VALUES.map((v) => `_acme-challenge.big IN TXT "${v}"`),
          ],
        }),
      },
      { name: 'acme.test', content: zoneFile({ zone: 'acme.test', nameservers: [{ host: 'ns1.example.test.' }], records: ['tok IN TXT "delegated-token"'] }) },
    ],
  });
  r1 = parseNameserver(world.resolvers[0]!.address);
  r2 = parseNameserver(world.resolvers[1]!.address);
});

after(async () => {
  await world?.stop();
});

function check(name: string, expected: string[] = [], extra: Partial<Parameters<typeof checkPropagation>[0]> = {}): Promise<PropagationReport> {
  return checkPropagation({
    name,
    expected,
    recursiveNameservers: [r1, r2],
    recursiveOnly: false,
    authoritativePort: world.bind9.port,
    timeoutMs: 1000,
    ...extra,
  });
}

const byRole = (r: PropagationReport, role: 'authoritative' | 'recursive') => r.nameservers.filter((n) => n.role === role);
const show = (r: PropagationReport) => JSON.stringify(r, null, 1);

test('a record present everywhere: every server listed, matched, with its TTL; authoritative answers carry AA', async () => {
  await world.bind9.nsupdate(['update add _acme-challenge.present.example.test. 120 TXT "present-token"']);
  const r = await check('_acme-challenge.present.example.test', ['present-token']);
  assert.equal(r.propagated, true, show(r));
  assert.equal(r.zone, 'example.test');
  assert.deepEqual(r.cname, []);
  const auth = byRole(r, 'authoritative');
  assert.equal(auth.length, 1);
  assert.equal(auth[0]!.nameserver, 'ns1.example.test');
  assert.equal(auth[0]!.server, world.bind9.address);
  assert.equal(auth[0]!.authoritativeAnswer, true);
  assert.equal(auth[0]!.ttl, 120);
  assert.deepEqual(byRole(r, 'recursive').map((n) => n.server), [world.resolvers[0]!.address, world.resolvers[1]!.address]);
  for (const n of r.nameservers) {
    assert.deepEqual(n.values, ['present-token']);
    assert.equal(n.rcode, 'NOERROR');
    assert.equal(n.error, null);
    assert.ok(n.ttl !== null && n.ttl > 0 && n.ttl <= 120);
  }
});

test('a stale recursive answer: the cache keeps the old value, with the TTL it may keep it for', async () => {
  // r1 learns the old value; then the record changes at the authoritative server.
  const before = await check('_acme-challenge.stale.example.test', [], { recursiveNameservers: [r1] });
  assert.deepEqual(before.nameservers.map((n) => n.values), [['old-token'], ['old-token']]);
  await world.bind9.nsupdate(['update delete _acme-challenge.stale.example.test. TXT', 'update add _acme-challenge.stale.example.test. 300 TXT "new-token"']);

  const r = await check('_acme-challenge.stale.example.test', ['new-token']);
  assert.equal(r.propagated, false, show(r));
  const [auth] = byRole(r, 'authoritative');
  assert.deepEqual(auth!.values, ['new-token']);
  assert.equal(auth!.matched, true);
  const [stale, fresh] = byRole(r, 'recursive');
  assert.equal(stale!.server, world.resolvers[0]!.address);
  assert.deepEqual(stale!.values, ['old-token']);
  assert.equal(stale!.matched, false);
  assert.equal(stale!.error, null);
  assert.ok(stale!.ttl !== null && stale!.ttl > 0 && stale!.ttl <= 300, `ttl ${stale!.ttl}`);
  // r2 never saw the old value.
  assert.deepEqual(fresh!.values, ['new-token']);
  assert.equal(fresh!.matched, true);
});

test('CNAME delegation (acme-dns style): the chain is reported and the target zone\'s nameservers are asked', async () => {
  const r = await check('_acme-challenge.www.example.test', ['delegated-token']);
  assert.equal(r.propagated, true, show(r));
  assert.deepEqual(r.cname, ['tok.acme.test']);
  assert.equal(r.zone, 'acme.test');
  assert.equal(r.name, '_acme-challenge.www.example.test');
  for (const n of r.nameservers) assert.deepEqual(n.values, ['delegated-token']);

  await assert.rejects(check('_acme-challenge.loop.example.test'), (e: unknown) => e instanceof PropagationCheckError && /loops/.test((e as Error).message));
});

test('NXDOMAIN versus NODATA, and a cached NXDOMAIN outliving the record\'s creation', async () => {
  const missing = await check('_acme-challenge.missing.example.test', ['token']);
  assert.equal(missing.propagated, false);
  for (const n of missing.nameservers) {
    assert.equal(n.rcode, 'NXDOMAIN', show(missing));
    assert.deepEqual(n.values, []);
    assert.equal(n.error, null);
  }
  const nodata = await check('_acme-challenge.nodata.example.test', ['token']);
  for (const n of nodata.nameservers) {
    assert.equal(n.rcode, 'NODATA', show(nodata));
    assert.equal(n.error, null);
    assert.ok(n.ttl !== null && n.ttl <= 30, 'negative TTL from the SOA');
  }

  // Created after the resolvers cached "no such name": they keep saying NXDOMAIN for up to the SOA minimum.
  await world.bind9.nsupdate(['update add _acme-challenge.missing.example.test. 60 TXT "token"']);
  const r = await check('_acme-challenge.missing.example.test', ['token']);
  assert.equal(r.propagated, false, show(r));
  assert.equal(byRole(r, 'authoritative')[0]!.matched, true);
  for (const n of byRole(r, 'recursive')) {
    assert.equal(n.rcode, 'NXDOMAIN');
    assert.ok(n.ttl !== null && n.ttl > 0 && n.ttl <= 30, `negative TTL ${n.ttl}`);
  }
});

test('several TXT values on one name (apex + wildcard): all expected values must be there', async () => {
  await world.bind9.nsupdate(['update add _acme-challenge.multi.example.test. 60 TXT "apex-token"']);
  const one = await check('_acme-challenge.multi.example.test', ['apex-token', 'wildcard-token'], { recursiveNameservers: [r2] });
  assert.equal(one.propagated, false);
  const auth = byRole(one, 'authoritative')[0]!;
  assert.deepEqual(auth.values, ['apex-token']);
  assert.equal(auth.matched, false);

  await world.bind9.nsupdate(['update add _acme-challenge.multi.example.test. 60 TXT "wildcard-token"']);
  const both = await check('_acme-challenge.multi.example.test', ['apex-token', 'wildcard-token'], { recursiveNameservers: [r1] });
  assert.equal(both.propagated, true, show(both));
  for (const n of both.nameservers) assert.deepEqual([...n.values].sort(), ['apex-token', 'wildcard-token']);
});

test('a TXT RRset too large for UDP is fetched over TCP', async () => {
  const r = await check('_acme-challenge.big.example.test', [BIG_VALUES[0]!, BIG_VALUES[23]!]);
  assert.equal(r.propagated, true, show(r));
  for (const n of r.nameservers) {
    assert.equal(n.transport, 'tcp', `${n.server} answered over ${n.transport}`);
    assert.equal(n.values.length, BIG_VALUES.length);
    assert.deepEqual([...n.values].sort(), BIG_VALUES);
  }
});

test('an unresponsive server is reported as a timeout while the others are still checked', async (t) => {
  const dead = await deadUdpServer();
  t.after(() => dead.close());
  await world.bind9.nsupdate(['update add _acme-challenge.alive.example.test. 60 TXT "alive-token"']);
  const deadServer = parseNameserver(`127.0.0.1:${dead.port}`);
  const r = await check('_acme-challenge.alive.example.test', ['alive-token'], { recursiveNameservers: [deadServer, r1], timeoutMs: 200, attempts: 2 });
  assert.equal(r.propagated, false);
  const entry = r.nameservers.find((n) => n.server === `127.0.0.1:${dead.port}`)!;
  assert.equal(entry.rcode, 'TIMEOUT', show(r));
  assert.equal(entry.matched, false);
  assert.match(entry.error ?? '', /no answer/);
  assert.ok(dead.received() >= 2, 'the query was retried');
  for (const n of r.nameservers.filter((x) => x !== entry)) assert.equal(n.matched, true, show(r));
});

test('SERVFAIL and REFUSED are told apart (recursive-only mode)', async () => {
  // bind9 is authoritative only: it refuses names outside its zones; unbound can reach no server for them.
  const r = await checkPropagation({
    name: '_acme-challenge.outside.nowhere',
    recursiveNameservers: [parseNameserver(world.bind9.address), r1],
    recursiveOnly: true,
    timeoutMs: 1000,
  });
  assert.equal(r.propagated, false);
  assert.equal(byRole(r, 'authoritative').length, 0);
  assert.deepEqual(r.nameservers.map((n) => n.rcode), ['REFUSED', 'SERVFAIL'], show(r));
  for (const n of r.nameservers) assert.ok(n.error, 'an explanation');
});

test('waiting: polls until a short TTL expires in the caches, with progress, and stops as soon as all agree', async () => {
  await world.bind9.nsupdate(['update add _acme-challenge.short.example.test. 2 TXT "before"']);
  const primed = await check('_acme-challenge.short.example.test', ['before']);
  assert.equal(primed.propagated, true, show(primed));
  await world.bind9.nsupdate(['update delete _acme-challenge.short.example.test. TXT', 'update add _acme-challenge.short.example.test. 2 TXT "after"']);

  const progress: WaitProgress[] = [];
  const r = await waitForPropagation({
    name: '_acme-challenge.short.example.test',
    expected: ['after'],
    recursiveNameservers: [r1, r2],
    recursiveOnly: false,
    authoritativePort: world.bind9.port,
    timeoutMs: 1000,
    deadlineMs: 20_000,
    onProgress: (p) => progress.push(p),
  });
  assert.equal(r.propagated, true, show(r));
  assert.ok(progress.length >= 2, `${progress.length} checks`);
  const first = progress[0]!.report;
  assert.equal(first.propagated, false);
  const stale = byRole(first, 'recursive').filter((n) => !n.matched);
  assert.ok(stale.length >= 1);
  for (const n of stale) {
    assert.deepEqual(n.values, ['before']);
    assert.ok(n.ttl !== null && n.ttl <= 2);
  }
  assert.ok(progress[0]!.nextCheckInMs !== null && progress[0]!.nextCheckInMs <= 2_500, 'the next check follows the TTL');
  assert.equal(progress.at(-1)!.nextCheckInMs, null);
  assert.equal(progress.filter((p) => p.report.propagated).length, 1, 'no check after all agreed');
});

test('waiting gives up at the deadline with the last report, and stops when aborted', async () => {
  const r = await waitForPropagation({
    name: '_acme-challenge.never.example.test',
    expected: ['x'],
    recursiveNameservers: [r1],
    recursiveOnly: false,
    authoritativePort: world.bind9.port,
    deadlineMs: 600,
    initialIntervalMs: 100,
  });
  assert.equal(r.propagated, false);

  const controller = new AbortController();
  const waiting = waitForPropagation({
    name: '_acme-challenge.never.example.test',
    expected: ['x'],
    recursiveNameservers: [r1],
    recursiveOnly: false,
    authoritativePort: world.bind9.port,
    deadlineMs: 60_000,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });
  await assert.rejects(waiting, (e: unknown) => (e as Error).name === 'AbortError');
});
