/**
 * Runs one claimed optimisation: loads the fleet and applications, resumes from the last
 * checkpoint if there is one, streams progress rows, renews the lease, honours cancellation at the
 * end of a generation, and stores the front (or a readable error) with the terminal status.
 */
import type { Database } from '../db/client.js';
import { getApplicationsByIds } from '../db/applications.js';
import { loadFleetModules, type StoredModule } from '../db/modules.js';
import { OBJECTIVES, type AllocationCheckpoint, type AllocationProgress, type AllocationResult } from '../planning/index.js';
import type { ApplicationSpec } from '../twin/types.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
import { encodeSolutionPlan } from './front-codec.js';
import {
  finishRun,
  loadCheckpoint,
  recordProgress,
  renewLease,
  saveCheckpoint,
  type OptimizationRunRow,
  type ProgressInput,
  type StoredFront,
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
    // Loaded on first use: an API process that never executes a run does not pay for the planner.
    const { optimizeAllocation } = await import('../planning/index.js');
    const result = await optimizeAllocation(modules, apps, {
      population: run.population,
      generations: run.generations,
      seed: run.seed,
      workers: run.workers,
      ...(run.timeLimitSeconds !== null ? { timeLimitSeconds: run.timeLimitSeconds } : {}),
      algorithm: run.algorithm,
      pins: run.pins,
      excluded: run.excludedModules,
      signal: controller.signal,
      checkpointEvery: opts.checkpointEvery,
      ...(resumeFrom ? { resumeFrom } : {}),
      onGeneration: async (p: AllocationProgress) => {
        pending.push({ ...p });
        opts.onProgress?.(p);
        if (Date.now() - lastFlush >= PROGRESS_FLUSH_MS) await flush();
        // The solver runs on this thread: yield to the event loop every generation so that
        // HTTP requests, lease renewals and cancellation are served during a run.
        else await yieldToEventLoop();
      },
      onCheckpoint: async (c: AllocationCheckpoint) => {
        await flush();
        if (stopReason || Date.now() - lastCheckpointAt < minCheckpointMs) return;
        await saveCheckpoint(db, run.id, c.generation, encodeCheckpoint(c));
        lastCheckpointAt = Date.now();
      },
    });
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
    const cancelled = stopReason === 'cancelled' || result.stats.cancelled;
    await finishRun(db, run.id, opts.owner, cancelled ? 'CANCELLED' : 'SUCCEEDED', {
      front: toStoredFront(result, modules, cancelled),
      evaluations: result.stats.evaluations,
      elapsedSeconds: result.stats.seconds,
    });
    log(`run ${run.id}: ${cancelled ? 'CANCELLED' : 'SUCCEEDED'}, front of ${result.front.length}`);
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
  const modules = await loadFleetModules(database.db, run.fleetId);
  if (modules.length === 0) throw new Error('the fleet has no modules');
  const found = await getApplicationsByIds(database.db, run.applicationIds);
  const byId = new Map(found.map((a) => [a.id, a]));
  const missing = run.applicationIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new Error(`application(s) deleted since the run was started: ${missing.join(', ')}`);
  return { modules, apps: run.applicationIds.map((id) => byId.get(id)!) };
}

export function toStoredFront(result: AllocationResult, modules: readonly StoredModule[], partial: boolean): StoredFront {
  const bySerialOrId = new Map<string, StoredModule>();
  for (const m of modules) {
    bySerialOrId.set(m.serial, m);
    bySerialOrId.set(m.id, m);
  }
  return {
    objectiveNames: OBJECTIVES.map((o) => o.name),
    objectiveUnits: OBJECTIVES.map((o) => o.unit),
    moduleIds: result.modules.map((key) => bySerialOrId.get(key)?.id ?? ''),
    moduleSerials: result.modules.map((key) => bySerialOrId.get(key)?.serial ?? key),
    applicationIds: result.applications.map((a) => a.id),
    envelopeNames: result.envelopeNames.map((names) => [...names]),
    solutions: result.front.map((s) => ({
      objectives: [...s.objectives],
      knee: s.knee,
      ...encodeSolutionPlan(s.applicationIndex, s.envelopeIndex),
    })),
    kneeIndex: result.front.length > 0 && result.kneeIndex >= 0 ? result.kneeIndex : null,
    baselines: (['static', 'adaptive'] as const).map((name) => ({
      name,
      objectives: [...result.baselines[name].objectives],
      feasible: result.baselines[name].feasible,
    })),
    hypervolume: result.stats.hypervolume,
    comparison: result.comparison,
    bounds: result.bounds.map((b) => ({ ...b })),
    exactNotes: result.exact?.notes ?? [],
    generations: result.stats.generations,
    partial,
  };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
