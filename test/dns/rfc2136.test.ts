/**
 * The RFC 2136 DNS UPDATE client with TSIG (engine/dns/rfc2136.ts, tsig.ts)
 * against a real bind9. Every effect is checked with dig (never with our own
 * code), and the interop with BIND's own client (nsupdate) both ways.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import {
  addTxtRecord,
  removeTxtRecord,
  updateTxtRecord,
  encodeTxtUpdate,
  exchangeDnsMessage,
  findZoneOnNameserver,
  txtStrings,
  Rfc2136Error,
  type TxtUpdate,
} from '../../engine/dns/rfc2136.js';
import { parseTsigAlgorithm, PreparedTsigKey, signMessage, verifyResponse, findTsigRecord, certManagerAlgorithmName, type TsigKey } from '../../engine/dns/tsig.js';
import { challengeRecordName } from '../../engine/dns/dns-name.js';
import { startBind9, zoneFile, type Bind9 } from '../world/bind9.js';
import { digShort } from '../world/process.js';
import { deadUdpServer, freePort } from '../world/free-port.js';

let dns: Bind9;
let key: TsigKey;

before(async () => {
  dns = await startBind9({
    zones: [
      { name: 'example.test', content: zoneFile({ zone: 'example.test' }) },
      { name: 'static.test', content: zoneFile({ zone: 'static.test' }), dynamic: false },
    ],
    tsig: true, // "acme-update", hmac-sha256
  });
  key = { name: dns.tsig!.name, algorithm: dns.tsig!.algorithm, secret: dns.tsig!.secret };
});

after(async () => {
  await dns?.stop();
});

/** The TXT RRset at `name` as dig sees it: one entry per record, each the list of its character-strings; sorted. */
function digTxt(server: Bind9, name: string): string[][] {
  const out = digShort(server.host, server.port, name, 'TXT');
  assert.notEqual(out, null, `dig failed for ${name}`);
  return out!
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!))
    .sort((a, b) => a.join('').localeCompare(b.join('')));
}

/** The values (strings joined) at `name`, sorted. */
function digValues(server: Bind9, name: string): string[] {
  return digTxt(server, name).map((strings) => strings.join(''));
}

function update(name: string, value: string, extra: Partial<TxtUpdate> = {}): TxtUpdate {
  return { nameserver: dns.address, zone: 'example.test', name, value, tsig: key, timeoutMs: 1000, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<Rfc2136Error> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof Rfc2136Error, `expected an Rfc2136Error, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the update to fail');
}

function assertNoSecret(error: Error, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!error.message.includes(secret), `the message contains the secret: ${error.message}`);
    assert.ok(!inspect(error).includes(secret), 'inspect(error) contains the secret');
  }
}

const otherSecret = () => randomBytes(32).toString('base64');

test('add one value: dig sees it with TTL 60 (cert-manager\'s), the answer is signed and verified', async () => {
  const name = '_acme-challenge.one.example.test';
  const result = await addTxtRecord(update(name, 'token-one'));
  assert.deepEqual(digValues(dns, name), ['token-one']);
  assert.equal(result.verified, true);
  assert.equal(result.transport, 'udp');
  assert.equal(result.server, dns.address);
  const answer = digShort(dns.host, dns.port, name, 'TXT', ['+noshort', '+noall', '+answer']) ?? '';
  assert.match(answer, /^_acme-challenge\.one\.example\.test\.\s+60\s+IN\s+TXT\s+"token-one"/m);
  // Adding the same value again changes nothing (no duplicate).
  await addTxtRecord(update(name, 'token-one'));
  assert.deepEqual(digValues(dns, name), ['token-one']);
});

test('apex and wildcard share _acme-challenge: adding the second value keeps the first; removing one leaves the other', async () => {
  const apex = challengeRecordName('wild.example.test');
  const wildcard = challengeRecordName('*.wild.example.test');
  assert.equal(apex, wildcard);
  await addTxtRecord(update(apex, 'apex-token'));
  await addTxtRecord(update(wildcard, 'wildcard-token', { ttl: 120 }));
  assert.deepEqual(digValues(dns, apex), ['apex-token', 'wildcard-token']);

  await removeTxtRecord(update(apex, 'apex-token'));
  assert.deepEqual(digValues(dns, apex), ['wildcard-token']);
  // Removing a value that is not there is no error and touches nothing else.
  await removeTxtRecord(update(apex, 'apex-token'));
  assert.deepEqual(digValues(dns, apex), ['wildcard-token']);
  await updateTxtRecord('remove', update(wildcard, 'wildcard-token'));
  assert.deepEqual(digValues(dns, apex), []);
});

for (const algorithm of ['hmac-md5', 'hmac-sha1', 'hmac-sha256', 'hmac-sha512'] as const) {
  test(`TSIG ${algorithm}: bind9 with that key accepts the update, and its signed answer verifies`, async (t) => {
    const server = await startBind9({ zones: [{ name: 'alg.test', content: zoneFile({ zone: 'alg.test' }) }], tsig: { name: `key-${algorithm}`, algorithm } });
    t.after(() => server.stop());
    // The Issuer spelling (HMACSHA256); for MD5 leave it out: cert-manager's default is HMACMD5.
    const k: TsigKey = { name: server.tsig!.name, secret: server.tsig!.secret, algorithm: algorithm === 'hmac-md5' ? undefined : certManagerAlgorithmName(algorithm) };
    const name = '_acme-challenge.alg.test';
    const base = { nameserver: server.address, zone: 'alg.test', name, tsig: k, timeoutMs: 1000 };
    const added = await addTxtRecord({ ...base, value: `token-${algorithm}` });
    assert.equal(added.verified, true);
    assert.deepEqual(digValues(server, name), [`token-${algorithm}`]);
    await removeTxtRecord({ ...base, value: `token-${algorithm}` });
    assert.deepEqual(digValues(server, name), []);
    // The same key in BIND's spelling works too.
    await addTxtRecord({ ...base, tsig: { ...k, algorithm }, value: 'bind-spelling' });
    assert.deepEqual(digValues(server, name), ['bind-spelling']);
  });
}

test('the answer\'s TSIG is verified: a real captured answer verifies, and any altered byte, another key or a missing TSIG is rejected', async () => {
  const name = '_acme-challenge.captured.example.test';
  const message = encodeTxtUpdate('add', { id: 0x4242, zone: 'example.test', name, value: 'captured', ttl: 60 });
  const signed = signMessage(message, key);
  const { response } = await exchangeDnsMessage(dns.address, signed.message, { timeoutMs: 1000 });
  assert.deepEqual(digValues(dns, name), ['captured']);
  assert.equal(response.readUInt16BE(0), 0x4242);
  assert.equal(response.readUInt16BE(2) & 0xf, 0, 'NOERROR');

  const good = verifyResponse(response, key, signed.mac);
  assert.equal(good.ok, true, good.detail);
  assert.equal(good.tsig?.keyName, 'acme-update');
  assert.equal(good.tsig?.algorithmName, 'hmac-sha256');
  assert.equal(good.tsig?.mac.length, 32);

  const tsig = findTsigRecord(response)!;
  const macStart = response.length - 6 - tsig.mac.length; // MAC, then original ID, error, other len (0)
  assert.deepEqual(response.subarray(macStart, macStart + tsig.mac.length), tsig.mac);
  // Flip one byte: in the header flags (e.g. the RCODE), in the echoed zone name, in the MAC, in the time signed.
  for (const [what, offset] of [
    ['flags', 3],
    ['zone section', 14],
    ['MAC', macStart + 5],
    ['time signed', macStart - 6],
  ] as const) {
    const tampered = Buffer.from(response);
    tampered[offset]! ^= 0x01;
    const v = verifyResponse(tampered, key, signed.mac);
    assert.equal(v.ok, false, what);
    assert.equal(v.problem, 'bad-mac', `${what}: ${v.detail}`);
  }
  // The MAC binds the answer to our request: another request MAC does not verify.
  assert.equal(verifyResponse(response, key, Buffer.alloc(32, 1)).problem, 'bad-mac');
  // Another secret for the same key name.
  assert.equal(verifyResponse(response, { ...key, secret: otherSecret() }, signed.mac).problem, 'bad-mac');
  // Another key name or algorithm.
  assert.equal(verifyResponse(response, { ...key, name: 'other-key' }, signed.mac).problem, 'wrong-key');
  assert.equal(verifyResponse(response, { ...key, algorithm: 'hmac-sha512' }, signed.mac).problem, 'wrong-key');
  // The TSIG record removed (ARCOUNT − 1): an unsigned answer.
  const unsigned = Buffer.from(response.subarray(0, tsig.offset));
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  assert.equal(verifyResponse(unsigned, key, signed.mac).problem, 'unsigned');
  // A truncated answer.
  assert.equal(verifyResponse(response.subarray(0, response.length - 3), key, signed.mac).problem, 'malformed');
  // An old answer (replayed an hour later).
  assert.equal(verifyResponse(response, key, signed.mac, { now: () => Date.now() + 3600_000 }).problem, 'bad-time');
});

test('wrong secret: BADSIG, the message names the key and contains neither secret; nothing is added', async () => {
  const name = '_acme-challenge.badsig.example.test';
  const wrong = otherSecret();
  const e = await rejection(addTxtRecord(update(name, 'nope', { tsig: { ...key, secret: wrong } })));
  assert.equal(e.kind, 'tsig');
  assert.equal(e.tsigError, 'BADSIG');
  assert.equal(e.rcode, 'NOTAUTH');
  assert.match(e.message, /the nameserver 127\.0\.0\.1:\d+ does not accept TSIG key "acme-update" \(hmac-sha256\): BADSIG/);
  assertNoSecret(e, wrong, key.secret);
  assert.deepEqual(digValues(dns, name), []);
});

test('unknown key name, or the right name with another algorithm: BADKEY', async () => {
  const name = '_acme-challenge.badkey.example.test';
  const unknown = await rejection(addTxtRecord(update(name, 'nope', { tsig: { name: 'no-such-key', algorithm: 'HMACSHA256', secret: key.secret } })));
  assert.equal(unknown.kind, 'tsig');
  assert.equal(unknown.tsigError, 'BADKEY');
  assert.match(unknown.message, /does not accept TSIG key "no-such-key" \(hmac-sha256\): BADKEY .*check tsigKeyName and tsigAlgorithm/);
  assertNoSecret(unknown, key.secret);

  const algorithm = await rejection(addTxtRecord(update(name, 'nope', { tsig: { ...key, algorithm: 'HMACMD5' } })));
  assert.equal(algorithm.tsigError, 'BADKEY');
  assert.match(algorithm.message, /TSIG key "acme-update" \(hmac-md5\): BADKEY/);
  assert.deepEqual(digValues(dns, name), []);
});

test('a clock an hour off: BADTIME, with the difference', async () => {
  const e = await rejection(addTxtRecord(update('_acme-challenge.badtime.example.test', 'nope', { now: () => Date.now() - 3600_000 })));
  assert.equal(e.kind, 'tsig');
  assert.equal(e.tsigError, 'BADTIME');
  assert.match(e.message, /BADTIME .*the clocks differ by 3\d{3} s, more than the fudge of 300 s/);
});

test('a zone without allow-update for the key: REFUSED, naming the key and the zone; an unsigned update: REFUSED too', async () => {
  const e = await rejection(addTxtRecord(update('_acme-challenge.static.test', 'nope', { zone: 'static.test' })));
  assert.equal(e.kind, 'refused');
  assert.equal(e.rcode, 'REFUSED');
  assert.match(e.message, /refused the update: is allow-update \(or update-policy\) set for key "acme-update" on zone "static\.test"\?/);
  assert.deepEqual(digValues(dns, '_acme-challenge.static.test'), []);

  const unsigned = await rejection(addTxtRecord(update('_acme-challenge.unsigned.example.test', 'nope', { tsig: null })));
  assert.equal(unsigned.kind, 'refused');
  assert.match(unsigned.message, /not signed \(no TSIG key\)/);
  assert.deepEqual(digValues(dns, '_acme-challenge.unsigned.example.test'), []);
});

test('a record outside the zone: NOTZONE; a zone the server does not serve: NOTAUTH', async () => {
  const notzone = await rejection(addTxtRecord(update('_acme-challenge.elsewhere.test', 'nope')));
  assert.equal(notzone.kind, 'notzone');
  assert.match(notzone.message, /NOTZONE: _acme-challenge\.elsewhere\.test is not in zone "example\.test"/);

  const notauth = await rejection(addTxtRecord(update('_acme-challenge.unserved.test', 'nope', { zone: 'unserved.test' })));
  assert.equal(notauth.kind, 'notauth');
  assert.match(notauth.message, /not authoritative for zone "unserved\.test"/);
});

test('nothing listening on the port: a clear "unreachable" error at once (UDP and TCP)', async () => {
  const port = await freePort();
  for (const protocol of ['udp', 'tcp'] as const) {
    const started = Date.now();
    const e = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { nameserver: `127.0.0.1:${port}`, protocol, timeoutMs: 5000 })));
    const elapsed = Date.now() - started;
    assert.equal(e.kind, 'unreachable', e.message);
    assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
    // At once: well before the 5 s time limit would have ended it.
    assert.ok(elapsed < 4000, `${protocol}: took ${elapsed} ms`);
  }
});

test('a server that never answers: timeout after the attempts (then TCP); an AbortSignal cancels', async (t) => {
  const dead = await deadUdpServer();
  t.after(() => dead.close());
  const started = Date.now();
  const e = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { nameserver: `127.0.0.1:${dead.port}`, timeoutMs: 200, attempts: 2 })));
  const elapsed = Date.now() - started;
  assert.equal(e.kind, 'timeout');
  assert.match(e.message, /no answer from 127\.0\.0\.1:\d+ over UDP \(2 × 200 ms\); TCP: connection refused/);
  assert.equal(dead.received(), 2);
  // Two attempts of 200 ms each, then one TCP try: at least 400 ms, and it ends (not at the test's time limit).
  assert.ok(elapsed >= 390 && elapsed < 10_000, `took ${elapsed} ms`);

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const aborted = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { nameserver: `127.0.0.1:${dead.port}`, timeoutMs: 5000, signal: controller.signal })));
  assert.equal(aborted.kind, 'aborted');

  const before = dead.received();
  const already = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { nameserver: `127.0.0.1:${dead.port}`, signal: AbortSignal.abort() })));
  assert.equal(already.kind, 'aborted');
  assert.equal(dead.received(), before, 'nothing sent');
});

test('a value over 255 bytes is split into 255-byte strings; over 512 bytes of request the update goes over TCP; protocol TCP', async () => {
  assert.deepEqual(txtStrings('').map((b) => b.length), [0]);
  assert.deepEqual(txtStrings('a'.repeat(255)).map((b) => b.length), [255]);
  assert.deepEqual(txtStrings('a'.repeat(256)).map((b) => b.length), [255, 1]);

  const name = '_acme-challenge.long.example.test';
  const long = 'L'.repeat(300);
  const r1 = await addTxtRecord(update(name, long));
  assert.equal(r1.transport, 'udp');
  assert.deepEqual(digTxt(dns, name), [['L'.repeat(255), 'L'.repeat(45)]]);
  await removeTxtRecord(update(name, long));
  assert.deepEqual(digTxt(dns, name), []);

  const huge = 'H'.repeat(1000);
  const r2 = await addTxtRecord(update(name, huge));
  assert.equal(r2.transport, 'tcp');
  assert.deepEqual(digTxt(dns, name), [['H'.repeat(255), 'H'.repeat(255), 'H'.repeat(255), 'H'.repeat(235)]]);
  const r3 = await removeTxtRecord(update(name, huge, { protocol: 'TCP' }));
  assert.equal(r3.transport, 'tcp');
  assert.equal(r3.verified, true);
  assert.deepEqual(digTxt(dns, name), []);
});

test('interop with nsupdate: what nsupdate adds, the client removes, and the other way round (long values too)', async () => {
  const name = '_acme-challenge.interop.example.test';
  await dns.nsupdate([`update add ${name}. 60 TXT "by-nsupdate"`, `update add ${name}. 60 TXT "stays"`]);
  assert.deepEqual(digValues(dns, name), ['by-nsupdate', 'stays']);
  await removeTxtRecord(update(name, 'by-nsupdate'));
  assert.deepEqual(digValues(dns, name), ['stays']);

  await addTxtRecord(update(name, 'by-client'));
  assert.deepEqual(digValues(dns, name), ['by-client', 'stays']);
  await dns.nsupdate([`update delete ${name}. TXT "by-client"`]);
  assert.deepEqual(digValues(dns, name), ['stays']);

  // nsupdate takes at most 255 bytes per quoted string: the split value, written as two strings, is the same record.
  const long = 'n'.repeat(300);
  await addTxtRecord(update(name, long));
  await dns.nsupdate([`update delete ${name}. TXT "${'n'.repeat(255)}" "${'n'.repeat(45)}"`]);
  assert.deepEqual(digValues(dns, name), ['stays']);
  await dns.nsupdate([`update add ${name}. 60 TXT "${'m'.repeat(255)}" "${'m'.repeat(45)}"`]);
  assert.deepEqual(digValues(dns, name).sort(), ['m'.repeat(300), 'stays']);
  await removeTxtRecord(update(name, 'm'.repeat(300)));
  assert.deepEqual(digValues(dns, name), ['stays']);
});

test('the zone can be found on the nameserver itself', async () => {
  assert.equal(await findZoneOnNameserver(dns.address, '_acme-challenge.deep.sub.example.test', { timeoutMs: 1000 }), 'example.test');
  assert.equal(await findZoneOnNameserver(dns.address, 'static.test', { timeoutMs: 1000 }), 'static.test');
});

test('configuration errors are caught before anything is sent, and never show the secret', async () => {
  assert.equal(parseTsigAlgorithm(undefined), 'hmac-md5');
  assert.equal(parseTsigAlgorithm(''), 'hmac-md5');
  for (const [input, expected] of [
    ['HMACMD5', 'hmac-md5'],
    ['hmacmd5', 'hmac-md5'],
    ['hmac-md5', 'hmac-md5'],
    ['HMAC-MD5.SIG-ALG.REG.INT.', 'hmac-md5'],
    ['HMACSHA1', 'hmac-sha1'],
    ['hmac-sha1', 'hmac-sha1'],
    ['HMACSHA256', 'hmac-sha256'],
    ['hmac-sha256', 'hmac-sha256'],
    ['HMACSHA512', 'hmac-sha512'],
    ['HMAC-SHA512', 'hmac-sha512'],
  ] as const) {
    assert.equal(parseTsigAlgorithm(input), expected, input);
  }

  const badAlgorithm = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { tsig: { ...key, algorithm: 'HMACSHA224' } })));
  assert.equal(badAlgorithm.kind, 'config');
  assert.match(badAlgorithm.message, /"HMACSHA224" is not supported: use HMACMD5 \(default\), HMACSHA1, HMACSHA256 or HMACSHA512/);

  const notBase64 = 'not*base64!secret';
  const badSecret = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { tsig: { ...key, secret: notBase64 } })));
  assert.equal(badSecret.kind, 'config');
  assert.match(badSecret.message, /the secret of TSIG key "acme-update" is not valid base64/);
  assertNoSecret(badSecret, notBase64);

  for (const nameserver of ['ns1.example.test:53', 'https://dns.example/dns-query']) {
    const e = await rejection(addTxtRecord(update('_acme-challenge.example.test', 'x', { nameserver })));
    assert.equal(e.kind, 'config', nameserver);
  }
  const badName = await rejection(addTxtRecord(update('bad name.example.test', 'x')));
  assert.equal(badName.kind, 'config');

  // A prepared key shows its name and algorithm, never its secret.
  const prepared = PreparedTsigKey.from(key);
  assert.ok(!inspect(prepared).includes(key.secret));
  assert.ok(!inspect(prepared, { showHidden: true }).includes(Buffer.from(key.secret, 'base64').toString('hex').slice(0, 8)));
  assert.deepEqual(JSON.parse(JSON.stringify(prepared)), { name: 'acme-update', algorithm: 'hmac-sha256' });
});
