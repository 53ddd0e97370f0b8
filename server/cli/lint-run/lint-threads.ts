/**
 * The worker threads of `certsmith lint` (dist/lint-worker.js). They are
 * started before the files are found, so that loading the engine in them
 * overlaps the walk; they keep the process alive only while they have work.
 * The main thread checks files too: all threads take batches from one queue,
 * and a worker that fails hands its batch back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LintJob, LintOutcome } from './lint-file.js';
import type { FromWorker, ToWorker, WorkerSetup } from './lint-worker.js';

/** The worker bundle beside this one (dist/); absent when running from source: then the main thread does everything. */
const WORKER_FILE = join(__dirname, 'lint-worker.js');

export interface ThreadWork {
  check: (i: number) => LintOutcome;
  jobOf: (i: number) => LintJob;
  done: (i: number, outcome: LintOutcome) => void;
  setup: WorkerSetup;
}

export class LintThreads {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `count` worker threads (none when the worker bundle is not there). */
  static start(count: number): LintThreads {
    const workers: Worker[] = [];
    if (count > 0 && existsSync(WORKER_FILE)) {
      for (let i = 0; i < count; i++) {
        const w = new Worker(WORKER_FILE);
        // A failure before the work starts is handled when it starts (the worker is not used).
        w.on('error', () => undefined);
        // Loading, or waiting for work: not a reason to keep the process alive.
        w.unref();
        workers.push(w);
      }
    }
    return new LintThreads(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Stops every worker (those not needed, or all at the end). */
  stop(keep = 0): void {
    for (const w of this.workers.splice(keep)) void w.terminate();
  }

  /**
   * Checks the pending files with the main thread and the workers. The main
   * thread yields between its batches, so the workers are never left
   * waiting for work.
   */
  async run(pending: number[], work: ThreadWork): Promise<void> {
    const batchSize = Math.max(1, Math.min(32, Math.ceil(pending.length / ((this.workers.length + 1) * 8))));
    let next = 0;
    const requeued: number[][] = [];
    const take = (): number[] => requeued.pop() ?? pending.slice(next, (next = Math.min(pending.length, next + batchSize)));
    /** Workers with a batch in hand: the main thread waits for them at the end (not for one still loading). */
    const busy = new Set<Worker>();
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    for (const worker of this.workers) {
      worker.ref();
      const inFlight = new Map<number, number[]>();
      let id = 0;
      const idle = () => {
        busy.delete(worker);
        worker.unref();
        notify();
      };
      const failed = () => {
        // Its unfinished batches go back to the queue.
        for (const b of inFlight.values()) requeued.push(b);
        inFlight.clear();
        worker.removeAllListeners('message');
        idle();
      };
      worker.on('message', (m: FromWorker) => {
        if ('batch' in m) {
          const batch = inFlight.get(m.batch)!;
          inFlight.delete(m.batch);
          batch.forEach((i, k) => work.done(i, m.outcomes[k]!));
        }
        const batch = take();
        if (batch.length === 0) return idle();
        busy.add(worker);
        inFlight.set(++id, batch);
        worker.postMessage({ batch: id, jobs: batch.map(work.jobOf) } satisfies ToWorker);
      });
      worker.on('error', failed);
      worker.on('exit', failed);
      worker.postMessage({ setup: work.setup } satisfies ToWorker);
    }

    for (;;) {
      const batch = take();
      if (batch.length > 0) {
        for (const i of batch) work.done(i, work.check(i));
        // Let the workers' messages in: their next batches are sent from there.
        if (this.workers.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (busy.size > 0) await new Promise<void>((resolve) => (wake = resolve));
      else break;
    }
  }
}
