/**
 * A worker thread of `certsmith lint` (bundled as dist/lint-worker.js): loads
 * the engine while the main thread looks for the files; then, told the
 * options, loads the schemas, says it is ready, and checks the batches of
 * files it is sent, answering with their outcomes (small records, see
 * lint-file.ts).
 */
import { parentPort } from 'node:worker_threads';
import { schemaStore, type SchemaStore } from '../../../engine/schema/schema-store.js';
import type { CertManagerTarget } from '../../../engine/schema/cert-manager-target.js';
import { lintFile, type LintJob, type LintOutcome } from './lint-file.js';

export interface WorkerSetup {
  target: CertManagerTarget;
  maxBytes: number;
  /** Say each file's content hash (for --cache). */
  hash: boolean;
}

export type ToWorker = { setup: WorkerSetup } | { batch: number; jobs: LintJob[] };
export type FromWorker = { ready: true } | { batch: number; outcomes: LintOutcome[] };

if (parentPort) {
  const port = parentPort;
  let setup: WorkerSetup | undefined;
  let store: SchemaStore | undefined;
  port.on('message', (m: ToWorker) => {
    if ('setup' in m) {
      setup = m.setup;
      store = schemaStore(setup.target);
      port.postMessage({ ready: true } satisfies FromWorker);
      return;
    }
    const outcomes = m.jobs.map((job) => lintFile(job, store!, setup!.maxBytes, { hash: setup!.hash }));
    port.postMessage({ batch: m.batch, outcomes } satisfies FromWorker);
  });
}
