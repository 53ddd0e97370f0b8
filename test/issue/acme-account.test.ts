/**
 * The ACME account across CA restarts, and self checks that end as soon as
 * they cannot pass, through the bundled CLI against a real Pebble and bind9:
 *
 * - a CA that forgot the account (Pebble restarted: `accountDoesNotExist`):
 *   the stored key is registered again, the progress says so, the new
 *   account URL is kept;
 * - a deactivated account (RFC 8555 §7.3.6): a clear error that names the
 *   state file to remove;
 * - HTTP-01 for a name no resolver knows, and DNS-01 behind resolvers that
 *   never see the authoritative zone (split horizon): the retry lines name
 *   the nameservers and the time left, and the check ends early with why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as acme from 'acme-client';
import { runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from '../world/acme-world.js';
import { startBind9, zoneFile } from '../world/bind9.js';
import { createAcmeTransport } from '../../engine/acme/acme-transport.js';

let world: AcmeWorld;

before(async () => {
  world = await startAcmeWorld();
});
after(async () => {
  await world?.stop();
});

function issue(dir: string, manifests: string, certificate: string, extra: string[] = []): CliResult & { out: string; ms: number } {
  const file = join(dir, `manifests-${certificate}.yaml`);
  writeFileSync(file, manifests);
  const out = join(dir, `out-${certificate}`);
  const t0 = Date.now();
  // Resolvers named in `extra` replace the world's.
  let args = world.issueArgs(join(dir, 'state'));
  if (extra.some((a) => /^--(dns01-)?recursive-nameservers$/.test(a))) args = args.filter((a, i) => a !== '--recursive-nameservers' && args[i - 1] !== '--recursive-nameservers');
  const r = runCli(['issue', '-f', file, '--certificate', certificate, '--out', out, ...args, ...extra], { timeoutMs: 90_000 });
  return { ...r, out, ms: Date.now() - t0 };
}

/** The one account of the state directory: its key file and its record. */
function account(dir: string): { keyPath: string; key: string; url: string } {
  const base = join(dir, 'state', 'acme-accounts');
  const ids = readdirSync(base);
  assert.equal(ids.length, 1, 'one account in the state directory');
  const keyPath = join(base, ids[0]!, 'account.key');
  const record = JSON.parse(readFileSync(join(base, ids[0]!, 'account.json'), 'utf8')) as { accountUrl?: string };
  assert.ok(record.accountUrl, 'the account URL is kept');
  return { keyPath, key: readFileSync(keyPath, 'utf8'), url: record.accountUrl };
}

test('an account the CA no longer knows (Pebble restarted) is registered again with the same key, and the progress says so', async (t) => {
  const dir = tempDir(t);
  const manifests = `${world.issuerYaml()}---\n${certificateYaml({ name: 'again', dnsNames: [`again.${world.zone}`] })}`;
  const first = issue(dir, manifests, 'again');
  assert.equal(first.status, 0, first.stderr);
  const before = account(dir);

  await world.pebble.restart();
  const second = issue(dir, manifests, 'again');
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, new RegExp(`the CA no longer knows the account ${before.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(accountDoesNotExist\\): registering the key from .*account\\.key again`));
  assert.match(second.stderr, /registered again: the account is now https:\/\/127\.0\.0\.1:\d+\/my-account\//);
  const after = account(dir);
  assert.equal(after.key, before.key, 'the same key');
  assert.equal(after.keyPath, before.keyPath);
  assert.notEqual(after.url, before.url, 'the new account URL is kept');
  assert.ok(second.stderr.includes(after.url));

  // Known again: the next issuance uses it without registering anew.
  const third = issue(dir, manifests, 'again');
  assert.equal(third.status, 0, third.stderr);
  assert.doesNotMatch(third.stderr, /no longer knows|registered again/);
  assert.equal(account(dir).url, after.url);
  assert.doesNotMatch(first.stderr + second.stderr + third.stderr, /PRIVATE KEY/);
});

test('a deactivated account is a clear error that names the state file to remove; nothing is written', async (t) => {
  const dir = tempDir(t);
  const manifests = `${world.issuerYaml()}---\n${certificateYaml({ name: 'gone', dnsNames: [`gone.${world.zone}`] })}`;
  const first = issue(dir, manifests, 'gone');
  assert.equal(first.status, 0, first.stderr);
  const { keyPath, key, url } = account(dir);

  // Deactivate it as its owner would (RFC 8555 §7.3.6), with the account's own key.
  const client = new acme.Client({ directoryUrl: world.pebble.directoryUrl, accountKey: key, accountUrl: url });
  (client as unknown as { http: { request: unknown } }).http.request = createAcmeTransport({ caBundlePem: world.pebble.caBundlePem, deadline: Date.now() + 30_000 });
  const deactivated = (await client.updateAccount({ status: 'deactivated' })) as { status?: string };
  assert.equal(deactivated.status, 'deactivated');

  const next = `${manifests}---\n${certificateYaml({ name: 'gone2', dnsNames: [`gone2.${world.zone}`] })}`;
  const r = issue(dir, next, 'gone2');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /refuses the account .* \(unauthorized: .*deactivated.*\); a deactivated account \(RFC 8555 §7\.3\.6\) can never be used again/);
  assert.ok(r.stderr.includes(`remove ${keyPath}`), `names the key file to remove: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!existsSync(r.out), 'nothing is written');
});

test('HTTP-01 for a name no resolver has: retry lines name the resolver and the time left, and the check ends after the negative-caching TTL', async (t) => {
  const dir = tempDir(t);
  // A resolver that knows other.test, where missing.other.test does not exist (negative TTL 2 s).
  const other = await startBind9({ zones: [{ name: 'other.test', content: zoneFile({ zone: 'other.test', soaMinimum: 2 }) }] });
  t.after(() => other.stop());
  const solvers = `      - http01:
          ingress: {}`;
  const manifests = `${world.issuerYaml({ solvers })}---\n${certificateYaml({ name: 'nx', dnsNames: ['missing.other.test'] })}`;
  const r = issue(dir, manifests, 'nx', ['--recursive-nameservers', other.address]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`HTTP-01 self check for missing\\.other\\.test: missing\\.other\\.test has no A/AAAA record at 127\\.0\\.0\\.1:${other.port} \\(NXDOMAIN, cached up to 2 s\\); trying again in \\d+ ms, \\d+(\\.\\d)? s left`));
  assert.match(r.stderr, /the HTTP-01 self check for missing\.other\.test cannot pass: missing\.other\.test does not exist \(NXDOMAIN\) at 127\.0\.0\.1:\d+, for [\d.]+ s now, longer than the zone's negative-caching TTL \(2 s\)/);
  assert.match(r.stderr, /create an A or AAAA record for missing\.other\.test/);
  assert.ok(r.ms < 30_000, `ended early, not at the 60 s time limit (${r.ms} ms)`);
  assert.match(r.stderr, /HTTP-01 responder stopped/);
});

test('HTTP-01 where the resolvers may cache "no such name" past the time limit ends at once', async (t) => {
  const dir = tempDir(t);
  const other = await startBind9({ zones: [{ name: 'other.test', content: zoneFile({ zone: 'other.test', soaMinimum: 3600, ttl: 3600 }) }] });
  t.after(() => other.stop());
  const solvers = `      - http01:
          ingress: {}`;
  const manifests = `${world.issuerYaml({ solvers })}---\n${certificateYaml({ name: 'nx-long', dnsNames: ['missing.other.test'] })}`;
  // The old flag name still works.
  const r = issue(dir, manifests, 'nx-long', ['--dns01-recursive-nameservers', other.address]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot pass in time: missing\.other\.test does not exist \(NXDOMAIN\) at 127\.0\.0\.1:\d+, and they may keep that answer for 1 h \(negative caching\), longer than the [\d.]+ s left/);
  assert.ok(r.ms < 15_000, `ended at once (${r.ms} ms)`);
});

test('DNS-01 behind resolvers that never see the zone (split horizon): the check ends after their negative-caching TTL with that reason', async (t) => {
  const dir = tempDir(t);
  // Another example.test, as an internal resolver would serve it: no _acme-challenge records, ever.
  const internal = await startBind9({ zones: [{ name: world.zone, content: zoneFile({ zone: world.zone, soaMinimum: 2, records: ['@ IN A 127.0.0.1', '* IN A 127.0.0.1'] }) }] });
  t.after(() => internal.stop());
  const manifests = `${world.issuerYaml()}---\n${certificateYaml({ name: 'split', dnsNames: [`split.${world.zone}`] })}`;
  const r = issue(dir, manifests, 'split', ['--recursive-nameservers', internal.address]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`_acme-challenge\\.split\\.example\\.test: 1 of 2 nameservers hold the expected value, not yet at 127\\.0\\.0\\.1:${internal.port} \\(NODATA\\); checking again in [\\d.]+ m?s, [\\d.]+ s left`));
  assert.match(r.stderr, new RegExp(`cannot pass: every authoritative nameserver holds the record, but 127\\.0\\.0\\.1:${internal.port} \\(NODATA\\) still does not see it after [\\d.]+ s, longer than the negative-caching TTL \\(2 s\\)`));
  assert.match(r.stderr, /point --recursive-nameservers at resolvers that see the public zone/);
  assert.ok(r.ms < 30_000, `ended early (${r.ms} ms)`);
  // The record it created is removed again.
  assert.match(r.stderr, /removed TXT _acme-challenge\.split\.example\.test/);
});

test('--recursive-nameservers and its old name report a syntax mistake under the new name', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'm.yaml'), `${world.issuerYaml()}---\n${certificateYaml({ name: 'x', dnsNames: [`x.${world.zone}`] })}`);
  for (const flag of ['--recursive-nameservers', '--dns01-recursive-nameservers']) {
    const r = runCli(['issue', '-f', join(dir, 'm.yaml'), '--certificate', 'x', '--out', join(dir, 'o'), flag, 'not-an-address']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--recursive-nameservers: /);
  }
  const help = runCli(['issue', '--help']);
  assert.match(help.stdout, /--recursive-nameservers LIST\s+HOST:PORT or https:\/\/ resolvers for every self check/);
});
