/**
 * The run rows: creation, the lease-guarded claim, progress, checkpoints, cancellation and the
 * terminal transitions. Every state change is one guarded UPDATE (status in the allowed sources),
 * so two processes racing for a run cannot both win, on PGlite or PostgreSQL alike.
 */
import { isUuid } from '../ids.js';
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  optimizationRuns,
  runCheckpoints,
  runProgress,
  type OptimizationRunRow,
  type RunProgressRow,
  type StoredFront,
  type StoredPin,
} from '../db/schema/runs.js';
import type { RunStatus } from './state.js';

export type { OptimizationRunRow, RunProgressRow, StoredFront };

/** After this many lost leases (worker killed while running it) the run fails instead of looping. */
export const MAX_ATTEMPTS = 3;

export interface NewRun {
  fleetId: string;
  applicationIds: string[];
  population: number;
  generations: number;
  seed: number;
  workers: number;
  timeLimitSeconds: number | null;
  /** Shown with the run (capacity that does not fit the fleet, an identical run already active). */
  warnings?: string[];
  idempotencyKey?: string | null;
  algorithm?: 'nsga2' | 'nsga3';
  pins?: StoredPin[];
  excludedModules?: string[];
}

export async function insertRun(db: DbOrTx, run: NewRun): Promise<OptimizationRunRow> {
  const [row] = await db.insert(optimizationRuns).values({ ...run, warnings: run.warnings ?? [], status: 'QUEUED' }).returning();
  return row!;
}

/** The run started on this fleet with this idempotency key, if any. */
export async function getRunByIdempotencyKey(db: DbOrTx, fleetId: string, key: string): Promise<OptimizationRunRow | undefined> {
  const [row] = await db
    .select()
    .from(optimizationRuns)
    .where(and(eq(optimizationRuns.fleetId, fleetId), eq(optimizationRuns.idempotencyKey, key)));
  return row;
}

/** QUEUED or RUNNING runs of a fleet, oldest first. */
export async function activeFleetRuns(db: DbOrTx, fleetId: string): Promise<OptimizationRunRow[]> {
  return db
    .select()
    .from(optimizationRuns)
    .where(and(eq(optimizationRuns.fleetId, fleetId), inArray(optimizationRuns.status, ['QUEUED', 'RUNNING'])))
    .orderBy(asc(optimizationRuns.createdAt));
}

/**
 * The inputs that make two runs compute the same thing (a run input added later belongs here
 * too). Application order matters: it is the order of the plan's application indices.
 */
export function runInputsKey(run: Pick<NewRun, 'fleetId' | 'applicationIds' | 'population' | 'generations' | 'seed' | 'timeLimitSeconds'>): string {
  return JSON.stringify([run.fleetId, run.applicationIds, run.population, run.generations, run.seed, run.timeLimitSeconds ?? null]);
}

export async function getRun(db: DbOrTx, id: string): Promise<OptimizationRunRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(optimizationRuns).where(eq(optimizationRuns.id, id));
  return row;
}

/** Status and figures of a run without its (possibly large) front, for polling. */
export async function getRunStatus(db: DbOrTx, id: string) {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({
      status: optimizationRuns.status,
      evaluations: optimizationRuns.evaluations,
      elapsedSeconds: optimizationRuns.elapsedSeconds,
      finishedAt: optimizationRuns.finishedAt,
      hypervolume: sql<number | null>`(${optimizationRuns.front} ->> 'hypervolume')::float8`,
      frontSize: sql<number | null>`jsonb_array_length(${optimizationRuns.front} -> 'solutions')`,
    })
    .from(optimizationRuns)
    .where(eq(optimizationRuns.id, id));
  return row;
}

export async function getRunsByIds(db: DbOrTx, ids: readonly string[]): Promise<OptimizationRunRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return db.select().from(optimizationRuns).where(inArray(optimizationRuns.id, valid));
}

export async function listFleetRuns(db: DbOrTx, fleetId: string): Promise<OptimizationRunRow[]> {
  return db.select().from(optimizationRuns).where(eq(optimizationRuns.fleetId, fleetId)).orderBy(desc(optimizationRuns.createdAt));
}


const leaseUntil = (leaseSeconds: number) => sql`now() + make_interval(secs => ${leaseSeconds})`;

/**
 * Takes a run for `owner`: a QUEUED run, or a RUNNING one whose lease lapsed (its worker died).
 * Returns the run when this owner now holds it, undefined when someone else does or it is done.
 */
export async function claimRun(db: DbOrTx, runId: string, owner: string, leaseSeconds: number): Promise<OptimizationRunRow | undefined> {
  const [row] = await db
    .update(optimizationRuns)
    .set({
      status: 'RUNNING',
      leaseOwner: owner,
      leaseExpiresAt: leaseUntil(leaseSeconds),
      attempts: sql`${optimizationRuns.attempts} + 1`,
      startedAt: sql`coalesce(${optimizationRuns.startedAt}, now())`,
    })
    .where(
      and(
        eq(optimizationRuns.id, runId),
        eq(optimizationRuns.cancelRequested, false),
        lt(optimizationRuns.attempts, MAX_ATTEMPTS),
        or(
          eq(optimizationRuns.status, 'QUEUED'),
          and(eq(optimizationRuns.status, 'RUNNING'), lt(optimizationRuns.leaseExpiresAt, sql`now()`)),
        ),
      ),
    )
    .returning();
  return row;
}

/** Extends the lease; false when this owner lost the run (lease taken over or run finished). */
export async function renewLease(db: DbOrTx, runId: string, owner: string, leaseSeconds: number): Promise<{ held: boolean; cancelRequested: boolean }> {
  const [row] = await db
    .update(optimizationRuns)
    .set({ leaseExpiresAt: leaseUntil(leaseSeconds) })
    .where(and(eq(optimizationRuns.id, runId), eq(optimizationRuns.status, 'RUNNING'), eq(optimizationRuns.leaseOwner, owner)))
    .returning({ cancelRequested: optimizationRuns.cancelRequested });
  return row ? { held: true, cancelRequested: row.cancelRequested } : { held: false, cancelRequested: false };
}

/** Moves a run this owner holds to a terminal state (or back to QUEUED when it gives it up). */
export async function finishRun(
  db: DbOrTx,
  runId: string,
  owner: string,
  to: Exclude<RunStatus, 'RUNNING'>,
  result: { front?: StoredFront | null; error?: string | null; evaluations?: number; elapsedSeconds?: number } = {},
): Promise<boolean> {
  const terminal = to !== 'QUEUED';
  const rows = await db
    .update(optimizationRuns)
    .set({
      status: to,
      leaseOwner: null,
      leaseExpiresAt: null,
      ...(result.front !== undefined ? { front: result.front } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.evaluations !== undefined ? { evaluations: result.evaluations } : {}),
      ...(result.elapsedSeconds !== undefined ? { elapsedSeconds: result.elapsedSeconds } : {}),
      ...(terminal ? { finishedAt: sql`now()` } : {}),
    })
    .where(and(eq(optimizationRuns.id, runId), eq(optimizationRuns.status, 'RUNNING'), eq(optimizationRuns.leaseOwner, owner)))
    .returning({ id: optimizationRuns.id });
  return rows.length === 1;
}

/**
 * Asks a run to stop. A QUEUED run is cancelled at once (nothing to keep); a RUNNING one is
 * flagged and its worker stops at the end of the current generation, keeping the partial front.
 * Returns the run as it is after the request, undefined when it does not exist.
 */
export async function requestCancel(db: DbOrTx, runId: string): Promise<OptimizationRunRow | undefined> {
  const [queued] = await db
    .update(optimizationRuns)
    .set({ status: 'CANCELLED', cancelRequested: true, finishedAt: sql`now()` })
    .where(and(eq(optimizationRuns.id, runId), eq(optimizationRuns.status, 'QUEUED')))
    .returning();
  if (queued) return queued;
  const [running] = await db
    .update(optimizationRuns)
    .set({ cancelRequested: true })
    .where(and(eq(optimizationRuns.id, runId), eq(optimizationRuns.status, 'RUNNING')))
    .returning();
  return running ?? getRun(db, runId);
}

/**
 * Recovery sweep: RUNNING runs whose lease lapsed go back to QUEUED (to be sent again), or to
 * FAILED once they have used up their attempts (a run that kills its worker every time), or to
 * CANCELLED when a cancel was requested before the worker died. Returns the re-queued run ids.
 */
export async function releaseExpiredLeases(db: DbOrTx, aliveOwner?: string): Promise<string[]> {
  // A process never presumes itself dead: its own runs may have missed a renewal while the
  // event loop was busy (a long twin matrix), and it knows they are still executing.
  const expired = and(
    eq(optimizationRuns.status, 'RUNNING'),
    lt(optimizationRuns.leaseExpiresAt, sql`now()`),
    aliveOwner === undefined ? undefined : or(isNull(optimizationRuns.leaseOwner), ne(optimizationRuns.leaseOwner, aliveOwner)),
  );
  await db
    .update(optimizationRuns)
    .set({ status: 'CANCELLED', leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()` })
    .where(and(expired, eq(optimizationRuns.cancelRequested, true)));
  await db
    .update(optimizationRuns)
    .set({
      status: 'FAILED',
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: sql`now()`,
      error: sql`'the worker running this run stopped responding ' || ${optimizationRuns.attempts} || ' times (killed or out of memory); giving up'`,
    })
    .where(and(expired, sql`${optimizationRuns.attempts} >= ${MAX_ATTEMPTS}`));
  const requeued = await db
    .update(optimizationRuns)
    .set({ status: 'QUEUED', leaseOwner: null, leaseExpiresAt: null })
    .where(and(expired, eq(optimizationRuns.cancelRequested, false), lt(optimizationRuns.attempts, MAX_ATTEMPTS)))
    .returning({ id: optimizationRuns.id });
  return requeued.map((r) => r.id);
}

export async function queuedRunIds(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ id: optimizationRuns.id })
    .from(optimizationRuns)
    .where(eq(optimizationRuns.status, 'QUEUED'))
    .orderBy(asc(optimizationRuns.createdAt));
  return rows.map((r) => r.id);
}

export interface ProgressInput {
  generation: number;
  evaluations: number;
  hypervolume: number;
  frontSize: number;
  elapsedSeconds: number;
  bounds?: { objective: string; bound: number | null; bestOnFront: number | null; gapPercent: number | null }[];
}

/** Stores progress rows; a resumed run rewrites the generations it repeats. */
export async function recordProgress(db: DbOrTx, runId: string, items: readonly ProgressInput[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insert(runProgress)
    .values(items.map((p) => ({ runId, ...p, bounds: p.bounds ?? null, hypervolume: Number.isFinite(p.hypervolume) ? p.hypervolume : 0 })))
    .onConflictDoUpdate({
      target: [runProgress.runId, runProgress.generation],
      set: {
        evaluations: sql`excluded.evaluations`,
        hypervolume: sql`excluded.hypervolume`,
        frontSize: sql`excluded.front_size`,
        elapsedSeconds: sql`excluded.elapsed_seconds`,
        bounds: sql`excluded.bounds`,
        recordedAt: sql`now()`,
      },
    });
}

/** Rows read per query when progress is read in pages. */
export const PROGRESS_PAGE_ROWS = 500;

/** Progress rows after a generation, oldest first, at most `limit` of them in one query. */
export async function progressAfter(db: DbOrTx, runId: string, afterGeneration: number, limit = PROGRESS_PAGE_ROWS): Promise<RunProgressRow[]> {
  return db
    .select()
    .from(runProgress)
    .where(and(eq(runProgress.runId, runId), gt(runProgress.generation, afterGeneration)))
    .orderBy(asc(runProgress.generation))
    .limit(limit);
}

/** Up to `limit` progress rows after a generation, read in keyset pages (so any number of rows). */
export async function progressRows(db: DbOrTx, runId: string, afterGeneration: number, limit: number): Promise<RunProgressRow[]> {
  const out: RunProgressRow[] = [];
  let after = afterGeneration;
  while (out.length < limit) {
    const want = Math.min(PROGRESS_PAGE_ROWS, limit - out.length);
    const page = await progressAfter(db, runId, after, want);
    out.push(...page);
    if (page.length < want) break;
    after = page[page.length - 1]!.generation;
  }
  return out;
}

export async function countProgress(db: DbOrTx, runId: string): Promise<number> {
  return db.$count(runProgress, eq(runProgress.runId, runId));
}

export async function saveCheckpoint(db: DbOrTx, runId: string, generation: number, state: unknown): Promise<void> {
  await saveCheckpointJson(db, runId, generation, JSON.stringify(state));
}

/**
 * Stores a checkpoint given as JSON text, serialised where it was made (a run's worker thread):
 * a large fleet's checkpoint is megabytes, and JSON.stringify on this thread would hold the loop.
 */
export async function saveCheckpointJson(db: DbOrTx, runId: string, generation: number, json: string): Promise<void> {
  // Cast through text: a parameter typed jsonb would be serialised (quoted) once more by the driver.
  const state = sql`cast(cast(${json} as text) as jsonb)`;
  await db
    .insert(runCheckpoints)
    .values({ runId, generation, state })
    .onConflictDoUpdate({ target: runCheckpoints.runId, set: { generation, state, savedAt: sql`now()` } });
}

export async function loadCheckpoint(db: DbOrTx, runId: string): Promise<{ generation: number; state: unknown } | undefined> {
  const [row] = await db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId));
  return row ? { generation: row.generation, state: row.state } : undefined;
}

