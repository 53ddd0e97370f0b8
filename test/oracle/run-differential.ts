/**
 * One differential run for one cert-manager release: the documents (the
 * project's manifests plus generated ones) through Certsmith targeting that
 * release, the webhook oracle built from that release, and the API server
 * serving that release's CRDs.
 */
import { chooseTarget } from '../../engine/schema/cert-manager-target.js';
import type { ReleaseInfo } from '../../engine/schema/release-schemas.js';
import { schemaStore } from '../../engine/schema/schema-store.js';
import { corpus } from './corpus.js';
import { generateMany } from './generator.js';
import { runWebhookOracle, webhookOracleMissing, type WebhookAnswer } from './webhook-oracle.js';
import type { ApiServerAnswer, ApiServerOracle } from './apiserver-oracle.js';
import { certsmithCheck, compare, summarize, type DocumentResult, type InputDocument, type Summary } from './differential.js';

/** The project's manifests (unless `withCorpus` is false) and `count` generated ones (seed `seed`). */
export function differentialDocuments(seed: number, count: number, withCorpus = true): InputDocument[] {
  return [...(withCorpus ? corpus() : []), ...generateMany(seed, count)];
}

export interface RunOptions {
  /** The release compared: Certsmith targets it and its webhook oracle runs. */
  release: ReleaseInfo;
  /** An API server that serves this release's CRDs (release-crds.ts). */
  apiServer?: ApiServerOracle;
  /** Skip oracle 1 even when it is built. */
  noWebhook?: boolean;
}

export interface RunResult {
  release: ReleaseInfo;
  results: DocumentResult[];
  summary: Summary;
  /** Why an oracle was not asked. */
  skipped: string[];
  timings: Record<string, number>;
}

export async function runDifferential(docs: InputDocument[], o: RunOptions): Promise<RunResult> {
  const skipped: string[] = [];
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now();
    try {
      return await f();
    } finally {
      timings[name] = Date.now() - t0;
    }
  };

  const store = schemaStore(chooseTarget(o.release.id, 'flag', 'the differential test'));
  if (store.target.release !== o.release.id) throw new Error(`Certsmith targets cert-manager ${store.target.release}, not ${o.release.id}`);
  const certsmith = await time('certsmith', () => docs.map((d) => certsmithCheck(d.text, store)));

  let webhook: WebhookAnswer[] | undefined;
  const missing = o.noWebhook ? 'not asked' : webhookOracleMissing(o.release.version);
  if (missing) skipped.push(`cert-manager webhook oracle: ${missing}`);
  else webhook = await time('webhook', () => runWebhookOracle(o.release.version, docs));

  let apiserver: ApiServerAnswer[] | undefined;
  if (o.apiServer) apiserver = await time('apiserver', () => o.apiServer!.checkAll(docs));
  else skipped.push('API server oracle: not started');

  const results = docs.map((d, i) => compare(d, certsmith[i]!, webhook?.[i], apiserver?.[i]));
  return { release: o.release, results, summary: summarize(results), skipped, timings };
}
