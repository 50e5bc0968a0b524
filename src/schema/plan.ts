/**
 * AllocationPlan: a chosen solution frozen with the twin's predictions; the fleet's active plan
 * is the one selected last, and earlier plans stay readable. Also the Allocation type shared with
 * OptimizationRun.solution.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { getModulesByIds } from '../db/modules.js';
import { activePlan, createPlan, fleetPlans, getPlansByIds, pagePlanAllocations, SolutionIndexError, type AllocationPlanRow, type PlanLine } from '../jobs/plans.js';
import { getRun } from '../jobs/runs.js';
import type { PlanRowFigures } from '../planning/plan-rows.js';
import type { TwinSummary } from '../twin/types.js';
import { ApplicationRef } from './application.js';
import { builder, ConflictError, DEFAULT_PAGE_SIZE, encodeGlobalId, MAX_PAGE_SIZE, NotFoundError, ValidationError } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { FleetRef } from './fleet.js';
import { inIdOrder, parseGlobalId } from './node-ids.js';
import { BatteryModuleRef } from './module.js';
import { addTwinFigureFields } from './twin.js';

type AllocationFigures = Omit<TwinSummary, 'violations'> & { storageYearsKwhYr: number };

/**
 * The twin's figures behind one allocation, as the run scored them and rounded to the precision
 * the exports use. The full projection of a module lives on BatteryModule (src/schema/twin.ts).
 */
export const AllocationTwinRef = builder.objectRef<AllocationFigures>('AllocationTwinSummary').implement({
  fields: (t) => ({
    storageYearsKwhYr: t.exposeFloat('storageYearsKwhYr', { description: 'socWindowEnergyKwh × rulYears, this module’s share of the storage objective' }),
  }),
});
addTwinFigureFields(AllocationTwinRef);

function twinView(f: PlanRowFigures): AllocationFigures {
  return { ...f, usableEnergyKwh: f.socWindowEnergyKwh };
}

export const ReasonKindEnum = builder.enumType('AllocationReasonKind', {
  description: 'Which kind of reason an allocation carries (see docs/plans-and-exports.md)',
  values: {
    DEPLOYED: { description: 'Deployed; the reason compares the choice with the next best feasible option' },
    INELIGIBLE: { description: 'Recycled: no application accepts the module under any envelope' },
    CAPACITY: { description: 'Recycled: eligible, but every application it fits is full in this plan' },
    TRADE_OFF: { description: 'Recycled: eligible with room left, but deploying it would worsen the objectives this solution favours' },
  } as const,
});

/** One line of a plan or of a live solution. */
export const AllocationRef = builder.objectRef<PlanLine>('Allocation').implement({
  description: 'Where one module goes: an application under an envelope, or recycling, and why',
  fields: (t) => ({
    serial: t.exposeString('serial'),
    module: t.loadable({
      type: BatteryModuleRef,
      nullable: true,
      description: 'The module as it is now (null once deleted)',
      load: async (ids: string[], ctx) => {
        const byId = new Map((await getModulesByIds(ctx.db, ids)).map((m) => [m.id, m]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      resolve: (l) => l.moduleId,
    }),
    recycled: t.boolean({ resolve: (l) => l.applicationId === null && l.applicationName === null }),
    application: t.field({ type: ApplicationRef, nullable: true, resolve: (l) => l.applicationId }),
    applicationName: t.string({ nullable: true, resolve: (l) => l.applicationName }),
    envelope: t.string({ nullable: true, description: 'Envelope name', resolve: (l) => l.envelopeName }),
    twin: t.field({ type: AllocationTwinRef, nullable: true, resolve: (l) => (l.figures ? twinView(l.figures) : null) }),
    costUsd: t.float({ nullable: true, description: 'Deployment cost − value of energy delivered, USD; 0 when recycled', resolve: (l) => l.figures?.costUsd ?? (l.applicationName === null ? 0 : null) }),
    reason: t.exposeString('reason', { description: 'Why this application and envelope, or why recycled, from the run’s own figures' }),
    reasonKind: t.field({ type: ReasonKindEnum, nullable: true, description: 'Null on plans frozen before reasons were kept', resolve: (l) => l.reasonKind }),
  }),
});

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
    jsonPath: t.string({ description: 'Path of the JSON export on this server', resolve: (p) => `/plans/${encodeGlobalId('AllocationPlan', p.id)}.json` }),
    xlsxPath: t.string({ description: 'Path of the XLSX export (rows and a summary sheet) on this server', resolve: (p) => `/plans/${encodeGlobalId('AllocationPlan', p.id)}.xlsx` }),
    allocations: t.connection({
      type: AllocationRef,
      description: `Module by module, in serial order; at most ${MAX_PAGE_SIZE} per page`,
      resolve: (p, args, ctx) =>
        resolveOffsetConnection({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, async ({ offset, limit }) =>
          pagePlanAllocations(ctx.db, p.id, offset - 1, limit),
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
