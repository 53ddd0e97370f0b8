/**
 * npm run fuzz:oracle -- [--seed N] [--count M] [--no-apiserver] [--no-corpus] [--show K] [--groups FILE]
 *
 * The differential test with any seed and size: Certsmith against
 * cert-manager's webhook validation and a real API server's dry run. Prints
 * the agreement figures and every disagreement that is not a deliberate
 * difference (the document, both outputs, how to reproduce it); exits 1 when
 * there is one.
 */
import { installCertManagerCrds, kubernetesPeersBuilt, startKubeApiServer, type KubeApiServer } from '../world/kube-apiserver.js';
import { ApiServerOracle } from './apiserver-oracle.js';
import { writeFileSync } from 'node:fs';
import { describeFailure, formatSummary, groupFindings } from './differential.js';
import { runDifferential } from './run-differential.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

async function main(): Promise<number> {
  const seed = Number(arg('seed') ?? Date.now() % 1_000_000);
  const count = Number(arg('count') ?? 5000);
  const show = Number(arg('show') ?? 20);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0) throw new Error('--seed and --count take whole numbers');
  let kube: KubeApiServer | undefined;
  let oracle: ApiServerOracle | undefined;
  try {
    if (!flag('no-apiserver')) {
      if (!kubernetesPeersBuilt()) console.log('API server oracle skipped: kube-apiserver is not built (npm run setup)');
      else {
        kube = await startKubeApiServer();
        await installCertManagerCrds(kube.adminKubeconfig);
        oracle = new ApiServerOracle(kube);
      }
    }
    const t0 = Date.now();
    const run = await runDifferential({ seed, count, apiServer: oracle, withCorpus: !flag('no-corpus') });
    for (const s of run.skipped) console.log(`skipped: ${s}`);
    const groupsFile = arg('groups');
    if (groupsFile) {
      // Every disagreement, grouped (rule, field, message shape), with one example each: for triage.
      const groups = groupFindings(run.summary.failures, seed);
      writeFileSync(groupsFile, groups.map((g) => `#### ${g.count} × ${g.key}\n${g.example}\n`).join('\n'));
      console.log(`${groups.length} groups of disagreements written to ${groupsFile}`);
    }
    for (const f of run.summary.failures.slice(0, show)) console.log(describeFailure(f, seed));
    if (run.summary.failures.length > show) console.log(`... and ${run.summary.failures.length - show} more documents with differences (--show N)`);
    console.log(`seed ${seed}, ${count} generated documents; ${Date.now() - t0} ms (${Object.entries(run.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')})`);
    console.log(formatSummary(run.summary));
    return run.summary.failures.length ? 1 : 0;
  } finally {
    oracle?.close();
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
