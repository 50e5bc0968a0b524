/**
 * OptimizationRun: starting a fleet optimisation as a background run, following its progress
 * (query and SSE subscription), cancelling it, and reading its front and solutions.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import type { DbOrTx } from '../db/client.js';
import { getApplicationsByIds } from '../db/applications.js';
import { getFleet } from '../db/fleets.js';
import { countFleetModules, loadFleetModules } from '../db/modules.js';
import type { StoredObjectiveBound, StoredPin } from '../db/schema/runs.js';
import type { RunProgressRow, StoredFront, StoredSolution } from '../db/schema/runs.js';
import type { StrategyMetrics } from '../planning/allocation-types.js';
import { RUN_STATUSES } from '../db/schema/runs.js';
import { decodeSolutionPlan } from '../jobs/front-codec.js';
import { checkSolutionIndex, solutionLines, SolutionIndexError } from '../jobs/plans.js';
import { countProgress, getRun, getRunStatus, getRunsByIds, listFleetRuns, progressAfter, progressRows, requestCancel, type OptimizationRunRow } from '../jobs/runs.js';
import { startRun } from '../services/start-run.js';
import { RUN_LIMITS, runInputProblems } from '../validation/run-input.js';
import { isTerminal } from '../jobs/state.js';
import { ApplicationRef } from './application.js';
import { ComparisonRef } from './comparison.js';
import { builder, ConflictError, DEFAULT_PAGE_SIZE, encodeGlobalId, MAX_PAGE_SIZE, NotFoundError, ValidationError, type Problem, type RelifeContext } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { FleetRef } from './fleet.js';
import { inIdOrder, parseGlobalId, tryParseGlobalId } from './node-ids.js';
import { AllocationRef } from './plan.js';

/** Input bounds ("absurd sizes" are refused before anything is queued): src/validation/run-input.ts. */
export { RUN_LIMITS };

export const OptimizationStatusEnum = builder.enumType('OptimizationStatus', {
  description: 'QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED (a RUNNING run whose worker died goes back to QUEUED)',
  values: RUN_STATUSES,
});

export interface SolutionView {
  run: OptimizationRunRow;
  front: StoredFront;
  index: number;
  solution: StoredSolution;
}

export const ObjectivesRef = builder.objectRef<number[]>('Objectives').implement({
  description: 'The three objectives of a plan, in natural sense and units',
  fields: (t) => ({
    storageYearsKwhYr: t.float({ description: 'Σ usable kWh × RUL years of deployed modules (maximised)', resolve: (o) => o[0]! }),
    fadePctPerYear: t.float({ description: 'Usable-energy-weighted mean fade of deployed modules, %/yr (minimised)', resolve: (o) => o[1]! }),
    costUsd: t.float({ description: 'Lifetime cost relative to recycling everything, USD (minimised)', resolve: (o) => o[2]! }),
  }),
});

export const OptimizationAlgorithmEnum = builder.enumType('OptimizationAlgorithm', {
  description: 'Survival of the evolutionary search: NSGA2 (rank and crowding distance) or NSGA3 (reference points, Deb & Jain 2014)',
  values: { NSGA2: { value: 'nsga2' }, NSGA3: { value: 'nsga3' } } as const,
});

const BoundMethodEnum = builder.enumType('BoundMethod', {
  description: 'What proved a bound: the LP relaxation, or HiGHS’s MILP branch-and-bound (tighter)',
  values: ['MILP', 'LP'] as const,
});

type ProgressBoundRow = NonNullable<RunProgressRow['bounds']>[number];

const ProgressBoundRef = builder.objectRef<ProgressBoundRow>('ProgressBound').implement({
  description: 'The archive’s best value of a sum objective against its bound, after one generation',
  fields: (t) => ({
    objective: t.exposeString('objective', { description: 'storageYears (kWh·yr, maximised) or costUsd (USD, minimised)' }),
    bound: t.float({ nullable: true, resolve: (b) => b.bound }),
    bestOnFront: t.float({ nullable: true, resolve: (b) => b.bestOnFront }),
    gapPercent: t.float({ nullable: true, resolve: (b) => b.gapPercent }),
  }),
});

const ObjectiveBoundRef = builder.objectRef<StoredObjectiveBound>('ObjectiveBound').implement({
  description: 'How close the front comes to the best achievable value of one sum objective',
  fields: (t) => ({
    objective: t.exposeString('objective', { description: 'storageYears (kWh·yr, maximised) or costUsd (USD, minimised)' }),
    bound: t.float({ nullable: true, description: 'Proven bound (upper for storage-years, lower for cost); null when none could be proven', resolve: (b) => b.bound }),
    bestOnFront: t.float({ nullable: true, description: 'The front’s best value of this objective', resolve: (b) => b.bestOnFront }),
    gapPercent: t.float({ nullable: true, description: 'Shortfall of the best plan against the bound, % of the bound (0 = at the bound)', resolve: (b) => b.gapPercent }),
    method: t.field({ type: BoundMethodEnum, nullable: true, resolve: (b) => b.method }),
    lpBound: t.float({ nullable: true, description: 'The LP relaxation’s value', resolve: (b) => b.lpBound }),
    lpGapPercent: t.float({ nullable: true, description: 'Shortfall against the LP relaxation, %', resolve: (b) => b.lpGapPercent }),
    note: t.string({ nullable: true, description: 'What was solved and what was not (budget, HiGHS failure, infeasible ε)', resolve: (b) => b.note }),
  }),
});

const ModulePinRef = builder.objectRef<StoredPin>('ModulePin').implement({
  fields: (t) => ({
    module: t.exposeString('module', { description: 'Serial of the pinned module' }),
    applicationId: t.field({ type: 'ID', resolve: (p) => encodeGlobalId('Application', p.application) }),
    envelope: t.string({ nullable: true, resolve: (p) => p.envelope ?? null }),
  }),
});

/** A stored progress row: recorded while its run was RUNNING (only a running worker writes them). */
const recordedProgress = (p: Omit<RunProgressRow, 'tenantId'>) => ({ ...p, status: 'RUNNING' as const });

const ProgressRef = builder.objectRef<Omit<RunProgressRow, 'tenantId'> & { status: OptimizationRunRow['status'] }>('OptimizationProgress').implement({
  description: 'What a run reported after one generation',
  fields: (t) => ({
    generation: t.exposeInt('generation'),
    evaluations: t.exposeInt('evaluations'),
    hypervolume: t.exposeFloat('hypervolume', { description: 'Hypervolume of the feasible front in the normalised objective box (0–1)' }),
    frontSize: t.exposeInt('frontSize'),
    elapsedSeconds: t.exposeFloat('elapsedSeconds'),
    bounds: t.field({ type: [ProgressBoundRef], description: 'Best storage-years and cost so far against their bounds', resolve: (p) => p.bounds ?? [] }),
    status: t.field({
      type: OptimizationStatusEnum,
      description: 'Status of the run when this generation was recorded (RUNNING); only the closing event of a subscription carries the final status',
      resolve: (p) => p.status,
    }),
  }),
});

const BaselineRef = builder.objectRef<StoredFront['baselines'][number]>('BaselinePoint').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    feasible: t.exposeBoolean('feasible'),
    objectives: t.field({ type: ObjectivesRef, resolve: (b) => b.objectives }),
  }),
});

export const SolutionRef = builder.objectRef<SolutionView>('Solution').implement({
  description: 'One solution of a run’s front',
  fields: (t) => ({
    index: t.exposeInt('index'),
    knee: t.boolean({ resolve: (s) => s.solution.knee }),
    objectives: t.field({ type: ObjectivesRef, resolve: (s) => s.solution.objectives }),
    deployedModules: t.int({
      resolve: (s) => decodeSolutionPlan(s.solution, s.front.moduleSerials.length).applicationIndex.reduce((n, a) => n + (a >= 0 ? 1 : 0), 0),
    }),
    allocations: t.connection({
      type: AllocationRef,
      description: `Module by module, in serial order, with the twin's figures and a reason; at most ${MAX_PAGE_SIZE} per page`,
      resolve: (s, args, ctx) =>
        resolveOffsetConnection({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, ({ offset, limit }) =>
          solutionLines(ctx.db, s.run, s.index, offset, limit),
        ),
    }),
  }),
});

export const OptimizationRunRef = builder.loadableNode('OptimizationRun', {
  description: 'A fleet optimisation executed by a background worker',
  id: { resolve: (r: OptimizationRunRow) => r.id },
  load: async (ids: string[], ctx) => inIdOrder(ids, await getRunsByIds(ctx.db, ids), 'OptimizationRun'),
  fields: (t) => ({
    status: t.field({ type: OptimizationStatusEnum, resolve: (r) => r.status }),
    error: t.exposeString('error', { nullable: true, description: 'Why the run failed' }),
    cancelRequested: t.exposeBoolean('cancelRequested'),
    fleet: t.field({ type: FleetRef, resolve: (r) => r.fleetId }),
    applications: t.field({
      type: [ApplicationRef],
      resolve: async (r, _a, ctx) => {
        const found = new Map((await getApplicationsByIds(ctx.db, r.applicationIds)).map((a) => [a.id, a]));
        return r.applicationIds.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
      },
    }),
    population: t.exposeInt('population'),
    generations: t.exposeInt('generations'),
    seed: t.exposeInt('seed'),
    workers: t.exposeInt('workers'),
    timeLimitSeconds: t.exposeFloat('timeLimitSeconds', { nullable: true }),
    algorithm: t.field({ type: OptimizationAlgorithmEnum, resolve: (r) => r.algorithm }),
    pins: t.field({ type: [ModulePinRef], description: 'Modules the input held to an application', resolve: (r) => r.pins }),
    excludedModules: t.stringList({ description: 'Serials of the modules the input kept out of the allocation', resolve: (r) => r.excludedModules }),
    bounds: t.field({
      type: [ObjectiveBoundRef],
      description: 'Per sum objective: the LP/MILP bound and the front’s gap to it; empty until the run has a front',
      resolve: (r) => r.front?.bounds ?? [],
    }),
    exactNotes: t.stringList({ description: 'Notes of the exact step (points skipped, degradations)', resolve: (r) => r.front?.exactNotes ?? [] }),
    attempts: t.exposeInt('attempts', { description: 'Times a worker took this run (more than 1 after a crash)' }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.finishedAt }),
    evaluations: t.exposeInt('evaluations', { nullable: true }),
    elapsedSeconds: t.exposeFloat('elapsedSeconds', { nullable: true }),
    warnings: t.exposeStringList('warnings', {
      description: 'What to know before trusting the run: capacities that leave most eligible energy undeployed (with the numbers), an identical run already active',
    }),
    progress: t.field({
      type: [ProgressRef],
      args: {
        afterGeneration: t.arg.int({ required: false, defaultValue: -1, description: 'Only generations after this one (page with the last generation seen)' }),
        first: t.arg.int({ required: false, description: `At most this many rows (default and maximum ${RUN_LIMITS.generationsMax}: every generation of a run)` }),
      },
      description: 'Stored progress, oldest first: every recorded generation unless `first` is given',
      resolve: async (r, args, ctx) => {
        const first = args.first ?? RUN_LIMITS.generationsMax;
        if (!(first >= 1 && first <= RUN_LIMITS.generationsMax)) throw createGraphQLError(`first must be 1–${RUN_LIMITS.generationsMax}, got ${first}`, { extensions: { code: 'BAD_USER_INPUT' } });
        return (await progressRows(ctx.db, r.id, args.afterGeneration ?? -1, first)).map(recordedProgress);
      },
    }),
    progressCount: t.int({ description: 'Generations recorded so far', resolve: (r, _a, ctx) => countProgress(ctx.db, r.id) }),
    partial: t.boolean({ nullable: true, description: 'True when the front is that of a cancelled run', resolve: (r) => r.front?.partial ?? null }),
    hypervolume: t.float({ nullable: true, resolve: (r) => r.front?.hypervolume ?? null }),
    kneeIndex: t.int({ nullable: true, resolve: (r) => r.front?.kneeIndex ?? null }),
    baselines: t.field({ type: [BaselineRef], resolve: (r) => r.front?.baselines ?? [] }),
    comparison: t.field({
      type: ComparisonRef,
      nullable: true,
      description: 'Static vs adaptive vs the knee of this run’s front, scored by the twin; null until the run has a front',
      resolve: (r) =>
        r.front?.comparison
          ? {
              strategies: r.front.comparison as StrategyMetrics[],
              population: r.population,
              generations: r.front.generations,
              seed: r.seed,
              frontSize: r.front.solutions.length,
              hypervolume: r.front.hypervolume,
            }
          : null,
    }),
    front: t.field({
      type: [SolutionRef],
      description: 'The final (or, when cancelled, partial) front; empty while the run is in progress',
      resolve: (r) => (r.front ? r.front.solutions.map((solution, index) => ({ run: r, front: r.front!, index, solution })) : []),
    }),
    solution: t.field({
      type: SolutionRef,
      args: { index: t.arg.int({ required: true }) },
      resolve: (r, { index }) => {
        try {
          checkSolutionIndex(r.front, index);
        } catch (error) {
          // Shown to the client (not masked): the index is the caller's mistake.
          if (error instanceof SolutionIndexError) throw createGraphQLError(error.message, { extensions: { code: 'BAD_SOLUTION_INDEX' } });
          throw error;
        }
        return { run: r, front: r.front!, index, solution: r.front!.solutions[index]! };
      },
    }),
  }),
});

builder.objectField(FleetRef, 'optimizationRuns', (t) =>
  t.field({
    type: [OptimizationRunRef],
    description: 'Runs of this fleet, newest first',
    resolve: (f, _a, ctx) => listFleetRuns(ctx.db, f.id),
  }),
);

const ModulePinInput = builder.inputType('ModulePinInput', {
  fields: (t) => ({
    module: t.string({ required: true, description: 'Serial or BatteryModule ID of a module of the fleet' }),
    applicationId: t.id({ required: true, description: 'One of the run’s applicationIds' }),
    envelope: t.string({ required: false, description: 'Envelope name; omitted: the feasible envelope with the most storage-years' }),
  }),
});

const StartOptimizationInput = builder.inputType('StartOptimizationInput', {
  fields: (t) => ({
    algorithm: t.field({ type: OptimizationAlgorithmEnum, required: false, defaultValue: 'nsga2' }),
    pins: t.field({ type: [ModulePinInput], required: false, description: 'Modules held to an application (and envelope)' }),
    excludedModules: t.stringList({ required: false, description: 'Serials or BatteryModule IDs of modules kept out (reserved, held for tests)' }),
    fleetId: t.id({ required: true }),
    applicationIds: t.idList({ required: true }),
    population: t.int({ required: true }),
    generations: t.int({ required: true }),
    seed: t.int({ required: false, defaultValue: 1 }),
    workers: t.int({ required: false, defaultValue: 1 }),
    timeLimitSeconds: t.float({ required: false }),
    idempotencyKey: t.string({
      required: false,
      description: 'A key of your choice: starting again with the same key on the same fleet returns the first run instead of a new one',
    }),
  }),
});

interface StartInput {
  fleetId: string | number;
  applicationIds: (string | number)[];
  population: number;
  generations: number;
  seed?: number | null;
  workers?: number | null;
  timeLimitSeconds?: number | null;
  idempotencyKey?: string | null;
  algorithm?: 'nsga2' | 'nsga3' | null;
  pins?: { module: string; applicationId: string | number; envelope?: string | null }[] | null;
  excludedModules?: string[] | null;
}

function rangeProblem(field: string, value: number, min: number, max: number): Problem | null {
  if (!Number.isFinite(value) || value < min || value > max) {
    return { row: null, column: field, message: `must be between ${min} and ${max}, got ${value}` };
  }
  return null;
}

/** Every problem with the input, found before anything is written or queued. */
async function validateStart(ctx: RelifeContext, input: StartInput) {
  const problems: Problem[] = [];
  const push = (p: Problem | null) => p && problems.push(p);
  const fleetId = parseGlobalId(String(input.fleetId), 'Fleet', 'fleetId');
  const fleet = await getFleet(ctx.db, fleetId);
  if (!fleet) throw new NotFoundError('Fleet', String(input.fleetId));
  if (input.applicationIds.length === 0) push({ row: null, column: 'applicationIds', message: 'at least one application is needed' });
  const applicationIds = input.applicationIds.map((id, i) => parseGlobalId(String(id), 'Application', `applicationIds[${i}]`));
  const dup = applicationIds.find((id, i) => applicationIds.indexOf(id) !== i);
  if (dup) push({ row: null, column: 'applicationIds', message: `application ${input.applicationIds[applicationIds.indexOf(dup)]} is listed twice` });
  const found = new Set((await getApplicationsByIds(ctx.db, applicationIds)).map((a) => a.id));
  const missingIndex = applicationIds.findIndex((id) => !found.has(id));
  if (missingIndex >= 0) throw new NotFoundError('Application', String(input.applicationIds[missingIndex]));
  const seed = input.seed ?? 1;
  const workers = input.workers ?? 1;
  const moduleCount = await countFleetModules(ctx.db, fleetId);
  if (moduleCount === 0) push({ row: null, column: 'fleetId', message: 'the fleet has no modules to allocate' });
  problems.push(...runInputProblems({ population: input.population, generations: input.generations, seed, workers, timeLimitSeconds: input.timeLimitSeconds, moduleCount }));
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.trim() === '' || key.length > RUN_LIMITS.idempotencyKeyMaxLength)) {
    push({ row: null, column: 'idempotencyKey', value: key, message: `must be 1–${RUN_LIMITS.idempotencyKeyMaxLength} characters, not blank` });
  }
  const restrictions = problems.length === 0 ? await validateRestrictions(ctx, fleetId, applicationIds, input, problems) : { pins: [], excludedModules: [] };
  if (problems.length > 0) throw new ValidationError(`invalid optimisation input: ${problems.map((p) => `${p.column} ${p.message}`).join('; ')}`, problems);
  return {
    algorithm: input.algorithm ?? 'nsga2',
    ...restrictions,
    fleetId,
    applicationIds,
    population: input.population,
    generations: input.generations,
    seed,
    workers,
    timeLimitSeconds: input.timeLimitSeconds ?? null,
    idempotencyKey: key,
  };
}

/**
 * Pins and exclusions resolved to serials and checked against the twin of the pinned modules
 * (feasible there, within capacity together): src/planning/restrictions.ts words the errors.
 */
async function validateRestrictions(ctx: RelifeContext, fleetId: string, applicationIds: string[], input: StartInput, problems: Problem[]) {
  const pinsIn = input.pins ?? [];
  const excludedIn = input.excludedModules ?? [];
  if (pinsIn.length === 0 && excludedIn.length === 0) return { pins: [] as StoredPin[], excludedModules: [] as string[] };
  const modules = await loadFleetModules(ctx.db, fleetId);
  const bySerialOrId = new Map<string, (typeof modules)[number]>();
  for (const m of modules) {
    bySerialOrId.set(m.serial, m);
    bySerialOrId.set(m.id, m);
  }
  const serialOf = (key: string) => bySerialOrId.get(tryParseGlobalId(key, 'BatteryModule') ?? key)?.serial ?? key;
  const pins: StoredPin[] = pinsIn.map((p, i) => ({
    module: serialOf(p.module),
    application: parseGlobalId(String(p.applicationId), 'Application', `pins[${i}].applicationId`),
    ...(p.envelope != null ? { envelope: p.envelope } : {}),
  }));
  const excludedModules = excludedIn.map(serialOf);
  const apps = await getApplicationsByIds(ctx.db, applicationIds);
  const { checkRestrictions } = await import('../planning/restriction-check.js');
  for (const p of checkRestrictions(modules, applicationIds.map((id) => apps.find((a) => a.id === id)!), pins, excludedModules)) problems.push({ row: null, column: p.field, message: p.message });
  return { pins, excludedModules };
}

builder.queryFields((t) => ({
  optimizationRun: t.field({
    type: OptimizationRunRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = tryParseGlobalId(String(args.id), 'OptimizationRun');
      return id ? ((await getRun(ctx.db, id)) ?? null) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  startOptimization: t.field({
    type: OptimizationRunRef,
    description: 'Queues a fleet optimisation; a worker runs it off the request path. Read `warnings` of the answer: capacity that does not fit the fleet, an identical run already active',
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: StartOptimizationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const jobs = ctx.services.jobs;
      const started = await startRun(ctx.db, await validateStart(ctx, input), {
        // Sent once the run row has committed, so that a worker can claim it.
        ...(jobs ? { enqueue: async (id: string) => ctx.afterCommit(async () => jobs.enqueue(id)) } : {}),
        label: (id) => encodeGlobalId('OptimizationRun', id),
      });
      return started.run;
    },
  }),
  cancelOptimization: t.field({
    type: OptimizationRunRef,
    description: 'A queued run is cancelled at once; a running one stops at the end of its current generation, keeping its front so far',
    errors: { types: MUTATION_ERRORS },
    args: { runId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseGlobalId(String(args.runId), 'OptimizationRun', 'runId');
      const run = await requestCancel(ctx.db, id);
      if (!run) throw new NotFoundError('OptimizationRun', String(args.runId));
      if (run.status === 'SUCCEEDED' || run.status === 'FAILED') throw new ConflictError(`run already finished (${run.status}); nothing to cancel`);
      if (run.status === 'RUNNING') ctx.services.jobs?.cancelLocal(run.id);
      return run;
    },
  }),
}));

/** How often a subscription looks for new progress rows (they may come from another process). */
const PROGRESS_POLL_MS = 200;

async function* progressEvents(withDb: RelifeContext['withDb'], runId: string, afterGeneration: number, signal?: AbortSignal) {
  let last = afterGeneration;
  let lastRow: Omit<RunProgressRow, 'tenantId'> | undefined;
  for (;;) {
    // One short tenant-scoped transaction per poll: a subscription must not hold one open.
    const { run, rows } = await withDb(async (db: DbOrTx) => ({ run: await getRunStatus(db, runId), rows: await progressAfter(db, runId, last) }));
    if (!run) return;
    for (const row of rows) {
      last = row.generation;
      lastRow = row;
      yield recordedProgress(row);
    }
    if (rows.length === 0 && isTerminal(run.status)) {
      // One closing event carrying the final status (and the last figures, if any).
      yield {
        runId,
        generation: lastRow?.generation ?? last,
        evaluations: lastRow?.evaluations ?? run.evaluations ?? 0,
        hypervolume: lastRow?.hypervolume ?? run.hypervolume ?? 0,
        frontSize: lastRow?.frontSize ?? run.frontSize ?? 0,
        elapsedSeconds: lastRow?.elapsedSeconds ?? run.elapsedSeconds ?? 0,
        bounds: lastRow?.bounds ?? null,
        recordedAt: run.finishedAt ?? new Date(),
        status: run.status,
      };
      return;
    }
    if (rows.length === 0) {
      if (signal?.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
    }
  }
}

builder.subscriptionType({});
builder.subscriptionFields((t) => ({
  optimizationProgress: t.field({
    type: ProgressRef,
    description:
      'Progress of a run, one event per generation (stored ones first), ending with an event whose status is terminal. Served over server-sent events.',
    args: {
      runId: t.arg.id({ required: true }),
      afterGeneration: t.arg.int({ required: false, defaultValue: -1, description: 'Skip stored events up to this generation' }),
    },
    subscribe: async (_root, args, ctx) => {
      const id = tryParseGlobalId(String(args.runId), 'OptimizationRun');
      if (!id || !(await ctx.withDb((db) => getRun(db, id)))) {
        throw createGraphQLError(`OptimizationRun ${args.runId} not found`, { extensions: { code: 'NOT_FOUND' } });
      }
      return progressEvents(ctx.withDb, id, args.afterGeneration ?? -1, ctx.request?.signal);
    },
    resolve: (event) => event,
  }),
}));

