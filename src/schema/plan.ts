/**
 * AllocationPlan: a chosen solution frozen with the twin's predictions; the fleet's active plan
 * is the one selected last, and earlier plans stay readable. Also the Allocation type shared with
 * OptimizationRun.solution.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { getApplication } from '../db/applications.js';
import { getModule } from '../db/modules.js';
import { activePlan, createPlan, fleetPlans, getPlansByIds, pagePlanAllocations, SolutionIndexError, type Allocation, type AllocationPlanRow, type PlanAllocationRow } from '../jobs/plans.js';
import { getRun } from '../jobs/runs.js';
import type { TwinSummary } from '../twin/types.js';
import { ApplicationRef } from './application.js';
import { builder, ConflictError, DEFAULT_PAGE_SIZE, encodeGlobalId, MAX_PAGE_SIZE, NotFoundError, ValidationError } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { FleetRef } from './fleet.js';
import { inIdOrder, parseGlobalId } from './loaders.js';
import { BatteryModuleRef } from './module.js';
import { addTwinFigureFields } from './twin.js';

/**
 * The twin's prediction behind one allocation (as computed for a live solution, or as frozen in a
 * plan). The full projection of a module lives on BatteryModule (src/schema/twin.ts).
 */
export const AllocationTwinRef = builder.objectRef<Omit<TwinSummary, 'violations'>>('AllocationTwinSummary').implement({ fields: () => ({}) });
addTwinFigureFields(AllocationTwinRef);

/** One line of a plan or solution, from either a live solution or a stored plan row. */
type AllocationSource = { kind: 'live'; a: Allocation } | { kind: 'stored'; r: PlanAllocationRow };

export const AllocationRef = builder.objectRef<AllocationSource>('Allocation').implement({
  description: 'Where one module goes: an application under an envelope, or recycling',
  fields: (t) => ({
    serial: t.string({ resolve: (s) => (s.kind === 'live' ? s.a.serial : s.r.serial) }),
    module: t.field({
      type: BatteryModuleRef,
      nullable: true,
      resolve: async (s, _a, ctx) => {
        const id = s.kind === 'live' ? s.a.moduleId : s.r.moduleId;
        return id ? ((await getModule(ctx.db, id)) ?? null) : null;
      },
    }),
    recycled: t.boolean({ resolve: (s) => (s.kind === 'live' ? s.a.application === null : s.r.applicationName === null) }),
    application: t.field({
      type: ApplicationRef,
      nullable: true,
      resolve: async (s, _a, ctx) => {
        if (s.kind === 'live') return s.a.application;
        return s.r.applicationId ? ((await getApplication(ctx.db, s.r.applicationId)) ?? null) : null;
      },
    }),
    applicationName: t.string({ nullable: true, resolve: (s) => (s.kind === 'live' ? (s.a.application?.name ?? null) : s.r.applicationName) }),
    envelope: t.string({ nullable: true, description: 'Envelope name', resolve: (s) => (s.kind === 'live' ? s.a.envelopeName : s.r.envelopeName) }),
    twin: t.field({
      type: AllocationTwinRef,
      nullable: true,
      resolve: (s) => {
        if (s.kind === 'live') return s.a.twin;
        const r = s.r;
        if (r.rulYears === null) return null;
        return {
          usableEnergyKwh: r.usableEnergyKwh!,
          rulYears: r.rulYears,
          endOfLifeReason: r.endOfLifeReason as TwinSummary['endOfLifeReason'],
          fadePctPerYear: r.fadePctPerYear!,
          lifetimeEnergyMwh: r.lifetimeEnergyMwh!,
          peakTemperatureC: r.peakTemperatureC!,
          roundTripEfficiency: r.roundTripEfficiency!,
          feasible: r.feasible!,
        };
      },
    }),
    costUsd: t.float({ nullable: true, resolve: (s) => (s.kind === 'live' ? s.a.costUsd : s.r.costUsd) }),
  }),
});

export function liveAllocation(a: Allocation): AllocationSource {
  return { kind: 'live', a };
}

export const AllocationPlanRef = builder.loadableNode('AllocationPlan', {
  description: 'An immutable plan: one solution of a run, frozen with the twin’s predictions when it was selected',
  id: { resolve: (p: AllocationPlanRow) => p.id },
  load: async (ids: string[], ctx) => inIdOrder(ids, await getPlansByIds(ctx.db, ids), 'AllocationPlan'),
  fields: (t) => ({
    fleet: t.field({ type: FleetRef, resolve: (p) => p.fleetId }),
    runId: t.id({ description: 'Global ID of the OptimizationRun', resolve: (p) => encodeGlobalId('OptimizationRun', p.runId) }),
    solutionIndex: t.exposeInt('solutionIndex'),
    knee: t.exposeBoolean('isKnee'),
    storageYearsKwhYr: t.float({ resolve: (p) => p.objectives[0]! }),
    fadePctPerYear: t.float({ resolve: (p) => p.objectives[1]! }),
    costUsd: t.float({ resolve: (p) => p.objectives[2]! }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
    csvPath: t.string({ description: 'Path of the CSV export on this server', resolve: (p) => `/plans/${encodeGlobalId('AllocationPlan', p.id)}.csv` }),
    allocations: t.connection({
      type: AllocationRef,
      description: `Module by module, in serial order; at most ${MAX_PAGE_SIZE} per page`,
      resolve: (p, args, ctx) =>
        resolveOffsetConnection({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, async ({ offset, limit }) =>
          (await pagePlanAllocations(ctx.db, p.id, offset - 1, limit)).map((r): AllocationSource => ({ kind: 'stored', r })),
        ),
    }),
  }),
});

builder.objectFields(FleetRef, (t) => ({
  activePlan: t.field({
    type: AllocationPlanRef,
    nullable: true,
    description: 'The plan selected last for this fleet',
    resolve: async (f, _a, ctx) => (await activePlan(ctx.db, f.id)) ?? null,
  }),
  plans: t.field({
    type: [AllocationPlanRef],
    description: 'Every plan selected for this fleet, newest first',
    resolve: (f, _a, ctx) => fleetPlans(ctx.db, f.id),
  }),
}));

builder.mutationFields((t) => ({
  selectSolution: t.field({
    type: AllocationPlanRef,
    description: 'Freezes solution `index` of a finished run as an AllocationPlan; it becomes the fleet’s activePlan',
    errors: { types: MUTATION_ERRORS },
    args: { runId: t.arg.id({ required: true }), index: t.arg.int({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseGlobalId(String(args.runId), 'OptimizationRun', 'runId');
      const run = await getRun(ctx.db, id);
      if (!run) throw new NotFoundError('OptimizationRun', String(args.runId));
      if (!run.front) throw new ConflictError(`run is ${run.status}: it has no front to select from yet`);
      try {
        return await createPlan(ctx.db, run, args.index);
      } catch (error) {
        if (error instanceof SolutionIndexError) {
          throw new ValidationError(error.message, [{ row: null, column: 'index', message: error.message }]);
        }
        throw error;
      }
    },
  }),
}));
