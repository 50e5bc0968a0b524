/**
 * Runs one claimed optimisation: loads the fleet and applications (as the run's tenant), resumes
 * from the last checkpoint if there is one, streams progress rows, renews the lease, honours
 * cancellation at the end of a generation, and stores the front (or a readable error) with the
 * terminal status. The twin matrix and the generations compute on a worker thread
 * (src/jobs/off-loop.ts): this thread only writes rows, so the API in the same process keeps
 * answering during a run.
 */
import type { Database } from '../db/client.js';
import { getApplicationsByIds } from '../db/applications.js';
import { fitCapacities } from '../planning/capacity-fit.js';
import { loadFleetModules, type StoredModule } from '../db/modules.js';
import { withTenant } from '../db/tenant-scope.js';
import type { AllocationProgress } from '../planning/allocation-types.js';
import type { ApplicationSpec } from '../twin/types.js';
import { decodeCheckpoint } from './checkpoint-codec.js';
import { optimizeOffLoop } from './off-loop.js';
import type { WorkerPool } from '../solver/index.js';
import { saveRunFigures } from './run-figures.js';
import {
  finishRun,
  loadCheckpoint,
  recordProgress,
  renewLease,
  saveCheckpointJson,
  type OptimizationRunRow,
  type ProgressInput,
} from './runs.js';

export interface ExecuteOptions {
  owner: string;
  leaseSeconds: number;
  /** Checkpoint every this many generations… */
  checkpointEvery: number;
  /** …but not more often than this (a checkpoint of a large fleet is megabytes of jsonb). */
  checkpointMinSeconds?: number;
  /** Aborted when the process is shutting down: the run goes back to QUEUED to resume elsewhere. */
  shutdown: AbortSignal;
  /** Receives a function that cancels this run at once (a cancel request served by this process). */
  onCancelHandle?: (cancel: () => void) => void;
  /** Observes each generation's progress as the solver reports it (metrics, tests). */
  onProgress?: (progress: AllocationProgress) => void;
  log?: (line: string) => void;
  /** The job service's run threads (off-loop.ts); default a thread for this run. */
  threads?: WorkerPool;
}

/** Progress rows are written and the cancel flag read at most this often (and every checkpoint). */
const PROGRESS_FLUSH_MS = 100;

type StopReason = 'cancelled' | 'lease-lost' | 'shutdown';

export async function executeRun(database: Database, run: OptimizationRunRow, opts: ExecuteOptions): Promise<void> {
  const db = database.db;
  const log = opts.log ?? (() => {});
  const controller = new AbortController();
  let stopReason: StopReason | null = null;
  const stop = (reason: StopReason) => {
    stopReason ??= reason;
    controller.abort(new Error(reason));
  };
  const onShutdown = () => stop('shutdown');
  opts.onCancelHandle?.(() => stop('cancelled'));
  if (opts.shutdown.aborted) onShutdown();
  opts.shutdown.addEventListener('abort', onShutdown, { once: true });

  let heartbeatBusy = false;
  const heartbeat = async () => {
    if (heartbeatBusy) return;
    heartbeatBusy = true;
    try {
      const lease = await renewLease(db, run.id, opts.owner, opts.leaseSeconds);
      if (!lease.held) stop('lease-lost');
      else if (lease.cancelRequested) stop('cancelled');
    } catch (error) {
      log(`run ${run.id}: lease renewal failed: ${message(error)}`);
    } finally {
      heartbeatBusy = false;
    }
  };
  const timer = setInterval(() => void heartbeat(), Math.max(250, (opts.leaseSeconds * 1000) / 3));

  const minCheckpointMs = (opts.checkpointMinSeconds ?? 0) * 1000;
  let lastCheckpointAt = -Infinity;
  const pending: ProgressInput[] = [];
  let lastFlush = 0;
  const flush = async () => {
    lastFlush = Date.now();
    const batch = pending.splice(0);
    await recordProgress(db, run.id, batch);
    await heartbeat();
  };

  try {
    const { modules, apps } = await loadInputs(database, run);
    const stored = await loadCheckpoint(db, run.id);
    const resumeFrom = stored ? decodeCheckpoint(stored.state) : undefined;
    if (resumeFrom) log(`run ${run.id}: resuming from generation ${resumeFrom.generation}`);
    const result = await optimizeOffLoop(
      modules,
      apps,
      {
        population: run.population,
        generations: run.generations,
        seed: run.seed,
        workers: run.workers,
        algorithm: run.algorithm,
        pins: run.pins,
        excluded: run.excludedModules,
        ...(run.timeLimitSeconds !== null ? { timeLimitSeconds: run.timeLimitSeconds } : {}),
        checkpointEvery: opts.checkpointEvery,
        ...(resumeFrom ? { resumeFrom } : {}),
      },
      {
        stop: controller.signal,
        ...(opts.threads ? { threads: opts.threads } : {}),
        onProgress: async (p: AllocationProgress) => {
          pending.push({ ...p });
          opts.onProgress?.(p);
          if (Date.now() - lastFlush >= PROGRESS_FLUSH_MS) await flush();
        },
        onCheckpoint: async (generation, json) => {
          await flush();
          if (stopReason || Date.now() - lastCheckpointAt < minCheckpointMs) return;
          await saveCheckpointJson(db, run.id, generation, json);
          lastCheckpointAt = Date.now();
        },
      },
    );
    if (stopReason === 'lease-lost') {
      log(`run ${run.id}: lease lost to another worker; dropping this attempt`);
      return;
    }
    await recordProgress(db, run.id, pending.splice(0));
    if (stopReason === 'shutdown') {
      await finishRun(db, run.id, opts.owner, 'QUEUED');
      log(`run ${run.id}: shutting down, handed back to the queue`);
      return;
    }
    const cancelled = stopReason === 'cancelled' || result.cancelled;
    // Plans selected from this front are frozen from these figures (src/jobs/plans.ts); stored
    // in the transaction that records the front, so a front never lacks them.
    const { packModules } = await import('../twin/matrix.js');
    const packed = packModules(modules);
    await db.transaction(async (tx) => {
      await saveRunFigures(tx, run.id, result.figures, packed);
      await finishRun(tx, run.id, opts.owner, cancelled ? 'CANCELLED' : 'SUCCEEDED', {
        front: { ...result.front, partial: cancelled },
        evaluations: result.evaluations,
        elapsedSeconds: result.seconds,
      });
    });
    log(`run ${run.id}: ${cancelled ? 'CANCELLED' : 'SUCCEEDED'}, front of ${result.frontSize}`);
  } catch (error) {
    if (stopReason === 'lease-lost') return;
    if (stopReason === 'shutdown') {
      await finishRun(db, run.id, opts.owner, 'QUEUED').catch(() => {});
      return;
    }
    log(`run ${run.id}: FAILED: ${message(error)}`);
    await finishRun(db, run.id, opts.owner, 'FAILED', { error: message(error) }).catch((e: unknown) => {
      log(`run ${run.id}: could not record the failure: ${message(e)}`);
    });
  } finally {
    clearInterval(timer);
    opts.shutdown.removeEventListener('abort', onShutdown);
  }
}

async function loadInputs(database: Database, run: OptimizationRunRow): Promise<{ modules: StoredModule[]; apps: ApplicationSpec[] }> {
  // Read as the run's tenant: a run can only ever see its own tenant's fleet and applications.
  const { modules, found } = await withTenant(database.db, run.tenantId, async (tx) => ({
    modules: await loadFleetModules(tx, run.fleetId),
    found: await getApplicationsByIds(tx, run.applicationIds),
  }));
  if (modules.length === 0) throw new Error('the fleet has no modules');
  const byId = new Map(found.map((a) => [a.id, a]));
  const missing = run.applicationIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new Error(`application(s) deleted since the run was started: ${missing.join(', ')}`);
  // Capacities given as a share of the eligible energy become kWh for this fleet.
  return { modules, apps: fitCapacities(modules, run.applicationIds.map((id) => byId.get(id)!)).applications };
}

export { toStoredFront } from './stored-front.js';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
