/**
 * `certsmith issue` with cert-manager's `acmeDNS` DNS-01 provider, through the
 * bundled CLI, against a real acme-dns (joohoi/acme-dns, built once by
 * `npm run setup`) and a real Pebble.
 *
 * The world, all on loopback:
 *
 *   bind9    authoritative for example.test; its zone file has
 *            _acme-challenge.example.test CNAME <subdomain>.acme-dns.test
 *            (the account is registered before bind9 starts)
 *   acme-dns authoritative for acme-dns.test (NS ns1.acme-dns.test, A 127.0.0.1),
 *            TXT values set through its HTTP API
 *   unbound  the one recursive resolver: stub zones example.test → bind9 and
 *            acme-dns.test → acme-dns. Pebble's validation authority
 *            (-dnsserver) and certsmith's self check both resolve through it.
 *
 * Why unbound and not bind9 as the resolver (the RFC 2136 world's choice):
 * acme-dns answers NXDOMAIN for every type but TXT at an account's name (a
 * CNAME or SOA query for <subdomain>.acme-dns.test gets NXDOMAIN with a
 * 3600 s SOA), and BIND caches an NXDOMAIN for the whole name, so after the
 * self check's CNAME and SOA look-ups (cert-manager makes the same ones) a
 * BIND resolver answers NXDOMAIN to the TXT query too, for an hour: Pebble
 * would never see the record (checked with dig: CNAME query, then TXT →
 * NXDOMAIN). Unbound keeps negative answers per query type, so the TXT query
 * still reaches acme-dns. (Production is not this world: a CA resolves with
 * its own resolvers, not the ones the self check asks.)
 *
 * Self check flags: the CNAME target's zone (acme-dns.test) is the one whose
 * authoritative nameservers the self check asks, and its only nameserver is
 * acme-dns itself; NS records carry no port, so `--dns01-authoritative-port`
 * is acme-dns's DNS port (bind9's port, as in the RFC 2136 world, would send
 * the non-recursive query to bind9, which does not serve acme-dns.test).
 * With that, the full cert-manager self check runs (authoritative with the AA
 * flag, and recursive); `--dns01-recursive-nameservers-only` is not needed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { certificateYaml } from '../world/acme-world.js';
import { acmeDnsBinaryPath, startAcmeDns, type AcmeDns, type AcmeDnsAccount } from '../world/acme-dns.js';
import { existsSync as binaryExists } from 'node:fs';

/** acme-dns exists only as a Go module; where the module proxy does not serve it, set-up cannot build it (see build-acme-dns.sh). */
const skip = binaryExists(acmeDnsBinaryPath()) ? false : `acme-dns is not built (${acmeDnsBinaryPath()}): npm run setup could not get it from the Go module proxy`;
import { startBind9, zoneFile, type Bind9 } from '../world/bind9.js';
import { startPebble, type Pebble } from '../world/pebble.js';
import { startUnbound, type Unbound } from '../world/unbound.js';
import { digShort } from '../world/process.js';

const ZONE = 'example.test';
const ACME_DNS_DOMAIN = 'acme-dns.test';

let acmeDns: AcmeDns;
let account: AcmeDnsAccount;
let bind9: Bind9;
let unbound: Unbound;
let pebble: Pebble;
const stops: (() => Promise<void>)[] = [];

before(async () => {
  if (skip) return;
  acmeDns = await startAcmeDns({ domain: ACME_DNS_DOMAIN });
  stops.push(() => acmeDns.stop());
  // One account for the apex and the wildcard: both are validated at _acme-challenge.example.test.
  account = await acmeDns.register();
  bind9 = await startBind9({
    zones: [{ name: ZONE, content: zoneFile({ zone: ZONE, records: ['@ IN A 127.0.0.1', `_acme-challenge IN CNAME ${account.fulldomain}.`] }) }],
  });
  stops.push(() => bind9.stop());
  unbound = await startUnbound({
    stubZones: [
      { name: ZONE, servers: [bind9.address] },
      { name: ACME_DNS_DOMAIN, servers: [acmeDns.dnsAddress] },
    ],
  });
  stops.push(() => unbound.stop());
  pebble = await startPebble({ dnsServer: unbound.address });
  stops.push(() => pebble.stop());
});
after(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

function issuerYaml(o: { password?: string } = {}): string {
  const accounts = {
    [ZONE]: { username: account.username, password: o.password ?? account.password, fulldomain: account.fulldomain, subdomain: account.subdomain, allowfrom: [] },
  };
  return `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: pebble
  namespace: default
spec:
  acme:
    server: ${pebble.directoryUrl}
    email: ops@${ZONE}
    caBundle: ${Buffer.from(pebble.caBundlePem).toString('base64')}
    privateKeySecretRef:
      name: pebble-account
    solvers:
      - dns01:
          acmeDNS:
            host: ${acmeDns.apiUrl}
            accountSecretRef:
              name: acme-dns
              key: acmedns.json
---
apiVersion: v1
kind: Secret
metadata:
  name: acme-dns
  namespace: default
type: Opaque
stringData:
  acmedns.json: '${JSON.stringify(accounts)}'
`;
}

/** The flags for this world (see the comment at the top for the authoritative port). */
function issueArgs(stateDir: string): string[] {
  return ['--state', stateDir, '--dns01-recursive-nameservers', unbound.address, '--dns01-authoritative-port', String(acmeDns.dnsPort), '--timeout', '60s'];
}

function issue(dir: string, manifests: string, certificate: string): CliResult & { out: string } {
  const file = join(dir, `manifests-${certificate}.yaml`);
  writeFileSync(file, manifests);
  const out = join(dir, `out-${certificate}`);
  const r = runCli(['issue', '-f', file, '--certificate', certificate, '--out', out, ...issueArgs(join(dir, 'state'))], { timeoutMs: 90_000 });
  return { ...r, out };
}

function openssl(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', input });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** openssl verify of tls.crt (leaf + intermediates) against Pebble's current root (as in acme-issue.test.ts). */
async function verifyWithOpenssl(dir: string, out: string, hostname?: string): Promise<void> {
  const root = join(dir, 'pebble-root.pem');
  writeFileSync(root, await pebble.issuingRoots());
  const chain = readFileSync(join(out, 'tls.crt'), 'utf8');
  const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  assert.ok(blocks.length >= 2, 'tls.crt holds the leaf and the intermediate');
  writeFileSync(join(dir, 'leaf.pem'), blocks[0]!);
  writeFileSync(join(dir, 'intermediates.pem'), blocks.slice(1).join(''));
  const args = ['verify', '-CAfile', root, '-untrusted', join(dir, 'intermediates.pem')];
  if (hostname) args.push('-verify_hostname', hostname);
  const v = openssl([...args, join(dir, 'leaf.pem')]);
  assert.equal(v.status, 0, v.out);
  assert.match(v.out, /: OK/);
  const keyPub = openssl(['pkey', '-in', join(out, 'tls.key'), '-pubout']);
  const certPub = openssl(['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-pubkey']);
  assert.equal(keyPub.out, certPub.out, 'tls.key is the key of the leaf');
}

/** The TXT values dig sees at `name`, asking 127.0.0.1:port. */
function txtVia(port: number, name: string): string[] {
  return (digShort('127.0.0.1', port, name, 'TXT') ?? 'dig failed').trim().split('\n').filter((l) => l.startsWith('"'));
}

test('the delegation chain resolves: _acme-challenge CNAME → acme-dns TXT, through the resolver Pebble asks', { skip }, async () => {
  // Before any update acme-dns has no value for the account (and answers NXDOMAIN).
  assert.deepEqual(txtVia(acmeDns.dnsPort, account.fulldomain), []);
  const probe = 'p'.repeat(43);
  assert.equal(await acmeDns.update(account, probe), 200);
  assert.deepEqual(txtVia(acmeDns.dnsPort, account.fulldomain), [`"${probe}"`], 'acme-dns serves the value itself');
  const chain = (digShort('127.0.0.1', unbound.port, `_acme-challenge.${ZONE}`, 'TXT') ?? '').trim().split('\n');
  assert.equal(chain[0], `${account.fulldomain}.`, 'the CNAME from bind9 comes first');
  assert.ok(chain.includes(`"${probe}"`), `the TXT value through unbound: ${chain.join(' | ')}`);
  // A wrong password is refused by acme-dns itself (what the failure test relies on).
  assert.equal(await acmeDns.update({ ...account, password: 'x'.repeat(40) }, probe), 401);
});

test('DNS-01 via acmeDNS: apex + wildcard through one acme-dns account; verified with openssl; credentials never printed', { skip }, async (t) => {
  const dir = tempDir(t);
  const manifests = `${issuerYaml()}---\n${certificateYaml({ name: 'site', dnsNames: [ZONE, `*.${ZONE}`] })}`;
  const r = issue(dir, manifests, 'site');
  assert.equal(r.status, 0, r.stderr);
  await verifyWithOpenssl(dir, r.out, `www.${ZONE}`);
  const san = openssl(['x509', '-in', join(dir, 'leaf.pem'), '-noout', '-ext', 'subjectAltName']).out;
  assert.match(san, new RegExp(`DNS:${ZONE.replace('.', '\\.')}\\b`));
  assert.match(san, new RegExp(`DNS:\\*\\.${ZONE.replace('.', '\\.')}`));
  // Progress on stderr says the records went to acme-dns, at the account's name.
  assert.match(r.stderr, /acme-dns/);
  assert.match(r.stderr, new RegExp(`creating TXT ${account.fulldomain.replace(/\./g, '\\.')} for ${ZONE.replace('.', '\\.')} \\(acme-dns at ${acmeDns.apiUrl.replace(/[.]/g, '\\.')}\\)`));
  // Both values are at acme-dns now (it keeps the two newest per account) and visible through the chain.
  assert.equal(txtVia(acmeDns.dnsPort, account.fulldomain).length, 2);
  // The credentials are never printed.
  const printed = r.stdout + r.stderr;
  assert.ok(!printed.includes(account.password), 'the acme-dns password is not printed');
  assert.doesNotMatch(printed, /PRIVATE KEY/);
});

test('a wrong acme-dns password: exit 1, the credentials are named (not printed), nothing written', { skip }, async (t) => {
  const dir = tempDir(t);
  const wrong = `${account.password.slice(0, -4)}XXXX`;
  const r = issue(dir, `${issuerYaml({ password: wrong })}---\n${certificateYaml({ name: 'badpw', dnsNames: [ZONE] })}`, 'badpw');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /acme-dns at http:\/\/127\.0\.0\.1:\d+ refused the credentials for "example\.test" \(401\)/);
  assert.match(r.stderr, /check the username and password in Secret default\/acme-dns/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.ok(!(r.stdout + r.stderr).includes(wrong) && !(r.stdout + r.stderr).includes(account.password), 'no password is printed');
  assert.equal(existsSync(r.out), false, 'nothing written to --out');
});
