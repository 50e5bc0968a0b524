/**
 * The job service of one process: the pg-boss queue, up to `concurrency` runs executing at once,
 * and the recovery sweep that gives runs of dead workers (lapsed leases) back to the queue.
 * Every service process (API server or `relife worker`) runs one; against one PostgreSQL they
 * share the work, the run row's lease making sure each run has one owner at a time.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/client.js';
import type { AllocationProgress } from '../planning/allocation-types.js';
import { createWorkerPool, readWorkerNice, type WorkerPool } from '../solver/index.js';
import { executeRun } from './executor.js';
import { openRunQueue, type RunQueue } from './queue.js';
import { claimRun, queuedRunIds, releaseExpiredLeases } from './runs.js';
import { warmUpSolver, type SolverWarmUp } from './solver-warm-up.js';

export interface JobServiceOptions {
  /** Runs executed at once by this process; 0 = enqueue only (an API process that does not work). */
  concurrency?: number;
  /** A worker that has not renewed its lease for this long is presumed dead. */
  leaseSeconds?: number;
  /** How often lapsed leases are looked for. */
  sweepSeconds?: number;
  checkpointEvery?: number;
  /** Minimum time between two checkpoints of a run (default 2 s). */
  checkpointMinSeconds?: number;
  pollingIntervalSeconds?: number;
  log?: (line: string) => void;
  /** Observes every generation of every run this process executes. */
  onProgress?: (runId: string, progress: AllocationProgress) => void;
  /**
   * Solved once at start when this process executes runs, so that its first run does not compile
   * the solver beside the reads (solver-warm-up.ts). `relife serve` and `relife worker` pass one
   * unless RELIFE_SOLVER_WARM_UP=0.
   */
  warmUp?: SolverWarmUp;
}

export interface JobService {
  readonly owner: string;
  enqueue(runId: string): Promise<void>;
  /**
   * Stops a run at the end of its current generation if this process executes it (the cancel
   * flag on the row, which every worker polls, is what reaches runs in other processes).
   */
  cancelLocal(runId: string): boolean;
  /** Re-queues runs of dead workers now (also runs on a timer). */
  sweep(): Promise<void>;
  /** Settles when the solver warm-up (if any) has ended, whether it succeeded or not. */
  readonly warmedUp: Promise<void>;
  /** Stops taking jobs; runs in progress stop at their next generation and go back to QUEUED. */
  stop(): Promise<void>;
}

declare module '../schema/builder.js' {
  interface RelifeServices {
    jobs: JobService;
  }
}

/** Options from the environment (documented in README "Optimisation runs"). */
export function jobOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): JobServiceOptions {
  const num = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
    return v;
  };
  return {
    concurrency: Math.floor(num('RELIFE_RUN_CONCURRENCY', 1, 0)),
    leaseSeconds: num('RELIFE_RUN_LEASE_SECONDS', 30, 1),
    sweepSeconds: num('RELIFE_RUN_SWEEP_SECONDS', 10, 0.5),
    checkpointEvery: Math.floor(num('RELIFE_RUN_CHECKPOINT_EVERY', 5, 1)),
    checkpointMinSeconds: num('RELIFE_RUN_CHECKPOINT_MIN_SECONDS', 2, 0),
  };
}

export async function startJobService(database: Database, options: JobServiceOptions = {}): Promise<JobService> {
  const concurrency = options.concurrency ?? 1;
  // A mistyped RELIFE_WORKER_NICE stops the service here rather than failing every run.
  readWorkerNice();
  const leaseSeconds = options.leaseSeconds ?? 30;
  const sweepSeconds = options.sweepSeconds ?? Math.max(1, leaseSeconds / 3);
  const checkpointEvery = options.checkpointEvery ?? 5;
  const checkpointMinSeconds = options.checkpointMinSeconds ?? 2;
  const log = options.log ?? ((line: string) => console.log(`[relife jobs] ${line}`));
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const queue: RunQueue = await openRunQueue(database);
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const cancelHandles = new Map<string, () => void>();
  // One thread per concurrent run, kept for the life of the service (off-loop.ts).
  const runThreads: WorkerPool | null = concurrency > 0 ? createWorkerPool({ threads: concurrency }) : null;

  const sweep = async () => {
    const requeued = await releaseExpiredLeases(database.db, owner);
    for (const id of requeued) {
      log(`run ${id}: its worker stopped renewing the lease; queued again`);
      await queue.enqueue(id);
    }
  };

  if (concurrency > 0) {
    try {
      await queue.work(
        concurrency,
        async ({ runId }) => {
          if (shutdown.signal.aborted) return;
          const run = await claimRun(database.db, runId, owner, leaseSeconds);
          if (!run) return; // taken by another worker, cancelled, or finished: the job was a duplicate
          log(`run ${runId}: started (attempt ${run.attempts}) by ${owner}`);
          const p = executeRun(database, run, {
            owner,
            leaseSeconds,
            checkpointEvery,
            checkpointMinSeconds,
            shutdown: shutdown.signal,
            log,
            onCancelHandle: (cancel) => cancelHandles.set(runId, cancel),
            threads: runThreads!,
            ...(options.onProgress ? { onProgress: (p: AllocationProgress) => options.onProgress!(runId, p) } : {}),
          });
          inFlight.add(p);
          try {
            await p;
          } finally {
            inFlight.delete(p);
            cancelHandles.delete(runId);
          }
        },
        options.pollingIntervalSeconds,
      );
      // Runs queued while no worker was up, or whose pg-boss job was lost, get a job again;
      // duplicates are harmless because claiming is guarded by the run row.
      await sweep();
      for (const id of await queuedRunIds(database.db)) await queue.enqueue(id);
    } catch (error) {
      await runThreads?.destroy();
      throw error;
    }
  }

  let sweeping = false;
  const timer =
    concurrency > 0
      ? setInterval(() => {
          if (sweeping) return;
          sweeping = true;
          sweep()
            .catch((error: unknown) => log(`recovery sweep failed: ${error instanceof Error ? error.message : String(error)}`))
            .finally(() => {
              sweeping = false;
            });
        }, sweepSeconds * 1000)
      : undefined;

  const warming: Promise<void> =
    runThreads && options.warmUp
      ? warmUpSolver(options.warmUp, runThreads, shutdown.signal).then(
          (seconds) => log(`solver warmed up in ${seconds.toFixed(1)} s (${options.warmUp!.modules.length} modules)`),
          (error: unknown) => log(`solver warm-up failed (runs are unaffected): ${error instanceof Error ? error.message : String(error)}`),
        )
      : Promise.resolve();

  let stopped: Promise<void> | undefined;
  return {
    owner,
    enqueue: (runId) => queue.enqueue(runId),
    cancelLocal(runId) {
      const cancel = cancelHandles.get(runId);
      cancel?.();
      return cancel !== undefined;
    },
    sweep,
    warmedUp: warming,
    stop() {
      stopped ??= (async () => {
        if (timer) clearInterval(timer);
        shutdown.abort();
        await Promise.allSettled([...inFlight, warming]);
        await queue.stop();
        await runThreads?.destroy();
      })();
      return stopped;
    },
  };
}
