/**
 * Issuance benchmark: the same 2-name DNS-01 certificate (apex + wildcard)
 * issued by `certsmith issue` and by lego (Debian package, rfc2136 provider,
 * --dns.disable-cp) against the same Pebble and bind9, in one run, all on
 * 127.0.0.1. Wall time of the whole command, from start to exit, including
 * account registration, order, DNS updates, validation, finalization and
 * download. certsmith's time includes its own self check (authoritative and
 * recursive), which lego skips with --dns.disable-cp.
 *
 *   npm run bench:issue            (builds first)
 *   npx tsx test/bench/issue.bench.ts [--rounds N] [--skip-lego]
 *
 * Target: certsmith under 3 s. Writes the "ACME issuance" section of
 * docs/benchmarks.md; exits 1 when the target is missed.
 */
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { certificateYaml, startAcmeWorld } from '../world/acme-world.js';
import { requireBinary } from '../world/process.js';
import { writeDocsSection } from './docs-section.js';
import { arg, machine, median } from './bench-util.js';

const SECTION_HEADING = '## ACME issuance (npm run bench:issue)';
const TARGET_MS = 3000;
const REPO_ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** The installed Debian package's version, e.g. 4.9.1-1. */
function debianVersion(pkg: string): string | undefined {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && r.stdout ? `${pkg} ${r.stdout} (Debian)` : undefined;
}

function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout + r.stderr).trim().split('\n')[0] ?? '?';
}

async function main(): Promise<number> {
  const rounds = arg('--rounds', 3);
  const skipLego = process.argv.includes('--skip-lego');
  const world = await startAcmeWorld({ zone: 'bench.test' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certsmith-bench-issue-'));
  try {
    const names = [world.zone, `*.${world.zone}`];
    const manifests = path.join(dir, 'manifests.yaml');
    writeFileSync(manifests, `${world.issuerYaml()}---\n${certificateYaml({ name: 'bench', dnsNames: names })}`);

    const certsmith: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const r = spawnSync(process.execPath, [CLI, 'issue', '-f', manifests, '--certificate', 'bench', '--out', path.join(dir, `out-${i}`), ...world.issueArgs(path.join(dir, 'state'))], { encoding: 'utf8', timeout: 120_000 });
      const ms = performance.now() - started;
      if (r.status !== 0) throw new Error(`certsmith issue failed (${r.status}):\n${r.stderr}`);
      certsmith.push(ms);
      console.log(`certsmith round ${i + 1}: ${(ms / 1000).toFixed(2)} s`);
    }

    let lego: { ms: number; version: string } | { skipped: string } = { skipped: 'not run (--skip-lego)' };
    if (!skipLego) {
      try {
        const bin = requireBinary('lego', 'lego');
        const caFile = path.join(dir, 'pebble-listener-ca.pem');
        writeFileSync(caFile, world.pebble.caBundlePem);
        const env = {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          LEGO_CA_CERTIFICATES: caFile,
          RFC2136_NAMESERVER: world.bind9.address,
          RFC2136_TSIG_KEY: world.bind9.tsig!.name,
          RFC2136_TSIG_SECRET: world.bind9.tsig!.secret,
          RFC2136_TSIG_ALGORITHM: 'hmac-sha256.',
        };
        const started = performance.now();
        const r = spawnSync(
          bin,
          ['--server', world.pebble.directoryUrl, '--email', `ops@${world.zone}`, '--accept-tos', '--dns', 'rfc2136', '--dns.disable-cp', ...names.flatMap((n) => ['--domains', n]), '--path', path.join(dir, 'lego'), 'run'],
          { encoding: 'utf8', env, timeout: 300_000 },
        );
        const ms = performance.now() - started;
        if (r.status !== 0) throw new Error(`lego failed (${r.status}): ${(r.stdout + r.stderr).slice(-2000)}`);
        lego = { ms, version: debianVersion('lego') ?? version(bin, ['--version']) };
        console.log(`lego: ${(ms / 1000).toFixed(2)} s`);
      } catch (e) {
        lego = { skipped: (e as Error).message.split('\n')[0]! };
        console.log(`lego: ${lego.skipped}`);
      }
    }

    const med = median(certsmith);
    const met = med < TARGET_MS;
    const legoRow = 'ms' in lego ? `| ${lego.version}, rfc2136, --dns.disable-cp | ${(lego.ms / 1000).toFixed(2)} s | 1 |` : `| lego | ${lego.skipped} | 0 |`;
    const section = [
      SECTION_HEADING,
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
      '',
      `One certificate for ${names.join(' + ')} (DNS-01, RFC 2136 with TSIG to bind9), issued from scratch by each client against the same Pebble (${debianVersion('pebble') ?? 'pebble'}) and bind9 in one run; wall time of the whole command. certsmith's first run registers its ACME account (a new RSA key); the later runs reuse it, as a user's renewals do; lego registers once. certsmith also runs cert-manager's self check (the TXT values at the authoritative server) before asking the CA; lego's check is turned off with --dns.disable-cp.`,
      '',
      '| client | wall time (median) | runs |',
      '|---|---|---|',
      `| certsmith issue | ${(med / 1000).toFixed(2)} s (runs: ${certsmith.map((m) => (m / 1000).toFixed(2)).join(', ')}) | ${certsmith.length} |`,
      legoRow,
      '',
      `Target: certsmith under ${TARGET_MS / 1000} s: ${met ? 'met' : 'NOT met'}.${'ms' in lego ? ` certsmith took ${((med / lego.ms) * 100).toFixed(1)}% of lego's time: it presents and validates both names at once and checks propagation by polling instead of a fixed wait.` : ''}`,
      '',
    ].join('\n');
    const file = writeDocsSection(REPO_ROOT, SECTION_HEADING, section);
    console.log(`\n${section}\nwritten to ${file}`);
    return met ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await world.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench:issue failed: ${(e as Error).message}`);
    process.exit(2);
  },
);
