/**
 * Runs an optimisation on a worker thread (src/jobs/optimize.task.ts) so that the process's
 * event loop keeps serving HTTP, lease renewals and cancellations while the twin matrix and the
 * generations compute. Messages are handled in order, each awaited before the next. The thread is
 * one of the job service's run threads, kept from run to run so that each run starts on the
 * machine code V8 compiled for the runs before it, or else a thread made for this call.
 */
import { MessageChannel } from 'node:worker_threads';
import { createWorkerPool, moduleUrl, type WorkerPool } from '../solver/index.js';
import { compiledHighs } from '../planning/exact/highs-adapter.js';
import type { StoredModule } from '../db/modules.js';
import type { AllocationProgress } from '../planning/allocation-types.js';
import type { ApplicationSpec } from '../twin/types.js';
import type { OptimizeMessage, OptimizeOutcome, OptimizeTask } from './optimize.task.js';

export interface OffLoopHooks {
  onProgress?: (progress: AllocationProgress) => void | Promise<void>;
  /** A checkpoint as JSON text (a StoredCheckpoint, src/jobs/checkpoint-codec.ts), made on the worker. */
  onCheckpoint?: (generation: number, json: string) => void | Promise<void>;
  /** Aborting asks the worker to stop at the end of its generation (the front so far comes back). */
  stop?: AbortSignal;
  /** Threads kept across runs (the job service's), not destroyed here; default a thread for this call. */
  threads?: WorkerPool;
}

export async function optimizeOffLoop(
  modules: StoredModule[],
  apps: ApplicationSpec[],
  options: OptimizeTask['options'],
  hooks: OffLoopHooks = {},
): Promise<OptimizeOutcome> {
  const pool = hooks.threads ?? createWorkerPool({ threads: 1 });
  const { port1, port2 } = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(8));
  Atomics.store(control, 0, -1);
  const stop = () => {
    Atomics.store(control, 1, 1);
    Atomics.notify(control, 0);
  };
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  port1.on('message', (message: OptimizeMessage) => {
    chain = chain.then(async () => {
      if (failure) return;
      try {
        if (message.kind === 'progress') {
          await hooks.onProgress?.(message.progress);
          Atomics.store(control, 0, message.progress.generation);
          Atomics.notify(control, 0);
        } else await hooks.onCheckpoint?.(message.generation, message.json);
      } catch (error) {
        failure = error;
        stop();
      }
    });
  });
  if (hooks.stop?.aborted) stop();
  hooks.stop?.addEventListener('abort', stop, { once: true });
  try {
    // This thread keeps HiGHS's compiled module (and the code runs optimised in it) for the next run.
    const highsModule = options.exact === false ? undefined : await compiledHighs().catch(() => undefined);
    const task: OptimizeTask = { modules, apps, options, port: port2, control, checkpoints: hooks.onCheckpoint !== undefined, ...(highsModule ? { highsModule } : {}) };
    const outcome = await pool.run<OptimizeOutcome>(
      { module: moduleUrl('./optimize.task.js', import.meta.url), exportName: 'runOptimizeTask', payload: task },
      { transferList: [port2] },
    );
    // Messages posted before the task returned are delivered before this turn ends.
    await new Promise((resolve) => setImmediate(resolve));
    await chain;
    if (failure) throw failure;
    return outcome;
  } finally {
    hooks.stop?.removeEventListener('abort', stop);
    port1.close();
    if (pool !== hooks.threads) await pool.destroy();
  }
}
