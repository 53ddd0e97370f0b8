/**
 * npm run fuzz:oracle -- [--all-versions | --cert-manager-version V] [--seed N] [--count M]
 *                        [--no-apiserver] [--no-corpus] [--no-build] [--show K] [--groups FILE]
 *
 * The differential test with any seed and size, for one bundled cert-manager
 * release (default: the newest) or for every one (--all-versions: v1.14 to the
 * newest, then "next"): Certsmith targeting the release against cert-manager's
 * webhook validation built from that release and a real API server's dry run
 * with that release's CRDs. Oracles not built yet are built first with
 * test/world/go-peers/build-cert-manager-oracle.sh (--no-build: skip them
 * instead). "next" has no webhook oracle (the Go module proxy refuses its
 * commit): only the API server half runs for it, and the webhook rules are not
 * judged. Prints the agreement figures per release and every disagreement that
 * is not a deliberate difference (the document, both outputs, how to reproduce
 * it); exits 1 when there is one.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';
import { releaseSchemas, type ReleaseInfo } from '../../engine/schema/release-schemas.js';
import { chooseTarget } from '../../engine/schema/cert-manager-target.js';
import { ApiServerOracle } from './apiserver-oracle.js';
import { describeFailure, formatSummary, groupFindings } from './differential.js';
import { releaseCrds, serveReleaseCrds } from './release-crds.js';
import { differentialDocuments, runDifferential, type RunResult } from './run-differential.js';
import { webhookOracleMissing } from './webhook-oracle.js';

const BUILD_SCRIPT = join(__dirname, '..', 'world', 'go-peers', 'build-cert-manager-oracle.sh');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function chosenReleases(): ReleaseInfo[] {
  const store = releaseSchemas();
  if (flag('all-versions')) return [...store.releases()];
  const asked = arg('cert-manager-version');
  if (!asked) return [store.newest()];
  const target = chooseTarget(asked, 'flag', '--cert-manager-version');
  if (target.note) console.log(target.note);
  return [store.release(target.release)!];
}

/** Builds the webhook oracles not built yet (the build script's output goes to the console). */
function buildOracles(releases: ReleaseInfo[]): void {
  const versions = releases.map((r) => r.version).filter((v) => /^v\d+\.\d+\.\d+$/.test(v) && webhookOracleMissing(v));
  if (!versions.length) return;
  console.log(`building the webhook oracles of cert-manager ${versions.join(', ')} (test/world/go-peers/build-cert-manager-oracle.sh)`);
  const t0 = Date.now();
  const r = spawnSync('bash', [BUILD_SCRIPT, ...versions], { stdio: 'inherit' });
  console.log(`oracle builds: exit ${r.status ?? r.signal}, ${Math.round((Date.now() - t0) / 1000)} s`);
}

function pct(n: number, of: number): string {
  return `${((100 * n) / Math.max(1, of)).toFixed(2)}%`;
}

async function main(): Promise<number> {
  const seed = Number(arg('seed') ?? Date.now() % 1_000_000);
  const count = Number(arg('count') ?? 5000);
  const show = Number(arg('show') ?? 20);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0) throw new Error('--seed and --count take whole numbers');
  const releases = chosenReleases();
  if (!flag('no-build')) buildOracles(releases);
  let kube: KubeApiServer | undefined;
  const runs: RunResult[] = [];
  try {
    if (!flag('no-apiserver')) {
      if (!kubernetesPeersBuilt()) console.log('API server oracle skipped: kube-apiserver is not built (npm run setup)');
      else kube = await startKubeApiServer();
    }
    const docs = differentialDocuments(seed, count, !flag('no-corpus'));
    for (const release of releases) {
      const t0 = Date.now();
      let apiServer: ApiServerOracle | undefined;
      if (kube) {
        const crds = releaseCrds(release);
        if ('missing' in crds) console.log(`${release.id}: API server oracle skipped: ${crds.missing}`);
        else {
          await serveReleaseCrds(kube, crds.crds);
          apiServer = new ApiServerOracle(kube);
        }
      }
      let run: RunResult;
      try {
        run = await runDifferential(docs, { release, apiServer });
      } finally {
        apiServer?.close();
      }
      runs.push(run);
      console.log(`\n=== cert-manager ${release.id} (${release.version})`);
      for (const s of run.skipped) console.log(`skipped: ${s}`);
      const groupsFile = arg('groups');
      if (groupsFile) {
        // Every disagreement, grouped (rule, field, message shape), with one example each: for triage.
        const file = releases.length > 1 ? groupsFile.replace(/(\.\w+)?$/, `-${release.id}$1`) : groupsFile;
        const groups = groupFindings(run.summary.failures, seed, release.id);
        writeFileSync(file, groups.map((g) => `#### ${g.count} × ${g.key}\n${g.example}\n`).join('\n'));
        console.log(`${groups.length} groups of disagreements written to ${file}`);
      }
      for (const f of run.summary.failures.slice(0, show)) console.log(describeFailure(f, seed, release.id));
      if (run.summary.failures.length > show) console.log(`... and ${run.summary.failures.length - show} more documents with differences (--show N)`);
      console.log(`seed ${seed}, ${count} generated documents; ${Date.now() - t0} ms (${Object.entries(run.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')})`);
      console.log(formatSummary(run.summary));
    }
    if (runs.length > 1) {
      console.log('\n| Release | Oracles | Documents | Same verdict | Rules hit | Disagreements |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      for (const r of runs) {
        const s = r.summary;
        const oracles = [r.skipped.some((x) => x.startsWith('cert-manager webhook')) ? '' : 'webhook', r.skipped.some((x) => x.startsWith('API server')) ? '' : 'API server'].filter(Boolean).join(' + ') || 'none';
        console.log(`| ${r.release.id} (${r.release.version.length === 40 ? r.release.version.slice(0, 12) : r.release.version}) | ${oracles} | ${s.documents} | ${pct(s.sameVerdict, s.documents)} | ${s.rulesHit.size} | ${s.failures.length} |`);
      }
    }
    return runs.some((r) => r.summary.failures.length) ? 1 : 0;
  } finally {
    await kube?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exit(2);
  },
);
