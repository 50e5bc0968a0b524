/**
 * Starting an optimisation run: the checks that need the fleet (capacities that do not fit it,
 * an identical run already queued or running), the idempotency key, the row, the queue.
 * Used by `startOptimization`; the warnings are stored with the run and shown with it.
 */
import { getApplicationsByIds } from '../db/applications.js';
import { isUniqueViolation, type DbOrTx } from '../db/client.js';
import { loadFleetModules } from '../db/modules.js';
import { activeFleetRuns, getRunByIdempotencyKey, insertRun, runInputsKey, type NewRun, type OptimizationRunRow } from '../jobs/runs.js';
import { fitCapacities, type CapacityFitResult } from '../planning/capacity-fit.js';
import { ConflictError } from './errors.js';

export interface StartRunRequest extends Omit<NewRun, 'warnings'> {
  idempotencyKey?: string | null;
}

export interface StartRunOptions {
  /** Queues the run for a worker (absent: the row is written, a sweep queues it later). */
  enqueue?: (runId: string) => Promise<void>;
  /** How a run is named in a warning (the API's global ID). */
  label?: (runId: string) => string;
}

export interface StartRunOutcome {
  run: OptimizationRunRow;
  /** True when the idempotency key named an earlier run, which is returned instead of a new one. */
  reused: boolean;
  capacity: CapacityFitResult | null;
}

/** The warning of a run that repeats an active one. */
export function duplicateWarning(earlier: OptimizationRunRow, label: string): string {
  const since = (earlier.startedAt ?? earlier.createdAt).toISOString();
  return `an identical run ${label} on this fleet is already ${earlier.status} (${earlier.status === 'RUNNING' ? 'started' : 'queued'} ${since}); this one repeats its work: cancel one, or pass the same idempotencyKey to get the earlier run back`;
}

export async function startRun(db: DbOrTx, request: StartRunRequest, options: StartRunOptions = {}): Promise<StartRunOutcome> {
  const label = options.label ?? ((id: string) => id);
  const key = request.idempotencyKey ?? null;
  const reuse = async (): Promise<StartRunOutcome | null> => {
    if (key === null) return null;
    const earlier = await getRunByIdempotencyKey(db, request.fleetId, key);
    if (!earlier) return null;
    if (runInputsKey(earlier) !== runInputsKey(request)) {
      throw new ConflictError(`idempotencyKey "${key}" was used for run ${label(earlier.id)} with other inputs; use a new key for a different run`);
    }
    return { run: earlier, reused: true, capacity: null };
  };
  const reused = await reuse();
  if (reused) return reused;

  const modules = await loadFleetModules(db, request.fleetId);
  const apps = await getApplicationsByIds(db, request.applicationIds);
  const byId = new Map(apps.map((a) => [a.id, a]));
  const capacity = fitCapacities(
    modules,
    request.applicationIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  );
  const mine = runInputsKey(request);
  const duplicates = (await activeFleetRuns(db, request.fleetId)).filter((r) => runInputsKey(r) === mine);
  const warnings = [...capacity.warnings, ...duplicates.map((r) => duplicateWarning(r, label(r.id)))];

  let run: OptimizationRunRow;
  try {
    run = await insertRun(db, { ...request, idempotencyKey: key, warnings });
  } catch (error) {
    // Two starts with one key at the same time: the unique index lets one through.
    const other = isUniqueViolation(error) ? await reuse() : null;
    if (other) return other;
    throw error;
  }
  await options.enqueue?.(run.id);
  return { run, reused: false, capacity };
}
