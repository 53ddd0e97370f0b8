/**
 * `certsmith issue` ACME options against real peers: --dns01-manual (the
 * person creates the TXT records, here with nsupdate, and certsmith waits
 * until bind9 serves them) and spec.acme.preferredChain with a CA offering
 * two chains (Pebble with an alternate root).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import https from 'node:https';
import { CLI, ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { certificateYaml, startAcmeWorld, type AcmeWorld } from '../world/acme-world.js';
import { startPebble } from '../world/pebble.js';
import { digShort } from '../world/process.js';
import { retryAfterMs } from '../../engine/acme/acme-transport.js';

let world: AcmeWorld;
before(async () => {
  world = await startAcmeWorld();
});
after(async () => {
  await world?.stop();
});

test('--dns01-manual: shows the exact TXT records, waits until they are served, then tells which to delete', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'm.yaml');
  // A provider certsmith cannot drive: manual mode is the way through.
  const solvers = `      - dns01:
          route53:
            region: eu-west-1`;
  writeFileSync(file, `${world.issuerYaml({ solvers })}---\n${certificateYaml({ name: 'manual', dnsNames: [`manual.${world.zone}`, `*.manual.${world.zone}`] })}`);
  const out = join(dir, 'out');
  const child = spawn(process.execPath, [CLI, 'issue', '-f', file, '--certificate', 'manual', '--out', out, '--dns01-manual', ...world.issueArgs(join(dir, 'state'))], { cwd: ROOT });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const records: string[] = [];
  const created = new Promise<void>((resolve) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const found = [...stderr.matchAll(/create this TXT record: (\S+) (\d+) IN TXT "([^"]+)"/g)].map((m) => `update add ${m[1]} ${m[2]} TXT "${m[3]}"`);
      if (found.length === 2 && records.length === 0) {
        records.push(...found);
        resolve();
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await created;
  assert.match(records[0]!, new RegExp(`^update add _acme-challenge\\.manual\\.example\\.test\\. 60 TXT "[A-Za-z0-9_-]{43}"$`));
  // It is waiting: nothing is issued until the records are there.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(child.exitCode, null, 'still waiting for the records');
  assert.match(stderr, /waiting until _acme-challenge\.manual\.example\.test TXT is visible/);
  await world.bind9.nsupdate(records);
  const code = await exited;
  clearTimeout(timer);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /the TXT record _acme-challenge\.manual\.example\.test\. TXT "[^"]+" is no longer needed and can be deleted/);
  assert.match(stdout, /DNS-01 via manual/);
  await world.bind9.nsupdate([`update delete _acme-challenge.manual.${world.zone}. TXT`]);
});

function get(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c.toString()));
      res.on('end', () => resolve(b));
    }).on('error', reject);
  });
}

function subjectCn(pem: string): string {
  const r = spawnSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'multiline'], { input: pem, encoding: 'utf8' });
  return /commonName\s*=\s*(.+)/.exec(r.stdout)![1]!.trim();
}

test('preferredChain: the chain up to the named root is chosen among the CA\'s alternates', async (t) => {
  const dir = tempDir(t);
  const pebble = await startPebble({ dnsServer: world.bind9.address, env: { PEBBLE_ALTERNATE_ROOTS: '1' } });
  t.after(() => pebble.stop());
  const alternateRoot = await get(`${pebble.managementUrl}/roots/1`, pebble.caBundlePem);
  const defaultRoot = await get(`${pebble.managementUrl}/roots/0`, pebble.caBundlePem);
  const wanted = subjectCn(alternateRoot);
  assert.notEqual(wanted, subjectCn(defaultRoot));
  const issuer = world
    .issuerYaml({ preferredChain: wanted })
    .replace(world.pebble.directoryUrl, pebble.directoryUrl)
    .replace(Buffer.from(world.pebble.caBundlePem).toString('base64'), Buffer.from(pebble.caBundlePem).toString('base64'));
  const file = join(dir, 'p.yaml');
  writeFileSync(file, `${issuer}---\n${certificateYaml({ name: 'pref', dnsNames: [`pref.${world.zone}`] })}`);
  const out = join(dir, 'out');
  const r = runCli(['issue', '-f', file, '--certificate', 'pref', '--out', out, ...world.issueArgs(join(dir, 'state'))], { timeoutMs: 90_000 });
  assert.equal(r.status, 0, r.stderr);
  const blocks = readFileSync(join(out, 'tls.crt'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)!;
  writeFileSync(join(dir, 'leaf.pem'), blocks[0]!);
  writeFileSync(join(dir, 'inter.pem'), blocks.slice(1).join(''));
  writeFileSync(join(dir, 'alt-root.pem'), alternateRoot);
  writeFileSync(join(dir, 'default-root.pem'), defaultRoot);
  const v = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'alt-root.pem'), '-untrusted', join(dir, 'inter.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const other = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'default-root.pem'), '-untrusted', join(dir, 'inter.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8' });
  assert.notEqual(other.status, 0, 'the default chain was not used');
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(undefined), undefined);
  assert.equal(digShort('127.0.0.1', world.bind9.port, `_acme-challenge.manual.${world.zone}`, 'TXT')?.trim(), '', 'the manual test cleaned up');
});
