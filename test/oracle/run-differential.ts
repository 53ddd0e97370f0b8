/**
 * One differential run: the project's manifests plus `count` generated ones
 * (seed `seed`), through Certsmith and whichever oracles are available.
 */
import { schemaStore } from '../../engine/schema/schema-store.js';
import { corpus } from './corpus.js';
import { generateMany } from './generator.js';
import { runWebhookOracle, webhookOracleMissing, type WebhookAnswer } from './webhook-oracle.js';
import type { ApiServerAnswer, ApiServerOracle } from './apiserver-oracle.js';
import { certsmithCheck, compare, summarize, type DocumentResult, type InputDocument, type Summary } from './differential.js';

export interface RunOptions {
  seed: number;
  count: number;
  /** Include the project's own manifests (default true). */
  withCorpus?: boolean;
  apiServer?: ApiServerOracle;
  /** Skip oracle 1 even when it is built. */
  noWebhook?: boolean;
}

export interface RunResult {
  results: DocumentResult[];
  summary: Summary;
  /** Why an oracle was not asked. */
  skipped: string[];
  timings: Record<string, number>;
}

export async function runDifferential(o: RunOptions): Promise<RunResult> {
  const docs: InputDocument[] = [...(o.withCorpus === false ? [] : corpus()), ...generateMany(o.seed, o.count)];
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

  const store = schemaStore();
  const certsmith = await time('certsmith', () => docs.map((d) => certsmithCheck(d.text, store)));

  let webhook: WebhookAnswer[] | undefined;
  const missing = o.noWebhook ? 'not asked' : webhookOracleMissing();
  if (missing) skipped.push(`cert-manager webhook oracle: ${missing}`);
  else webhook = await time('webhook', () => runWebhookOracle(docs));

  let apiserver: ApiServerAnswer[] | undefined;
  if (o.apiServer) apiserver = await time('apiserver', () => o.apiServer!.checkAll(docs));
  else skipped.push('API server oracle: not started');

  const results = docs.map((d, i) => compare(d, certsmith[i]!, webhook?.[i], apiserver?.[i]));
  return { results, summary: summarize(results), skipped, timings };
}
