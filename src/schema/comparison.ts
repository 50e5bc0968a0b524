/**
 * `compareStrategies(fleetId, applicationIds)`: the reference paper's Tables 5 and 6 from our twin
 * for a stored fleet — static vs adaptive vs the NSGA-II knee (src/planning/plan-evaluation.ts for the
 * definitions). Runs a short optimisation in the request, so the fleet size is capped; larger
 * fleets go through `startOptimization` (a background run).
 */
import { getApplicationsByIds } from '../db/applications.js';
import { fitCapacities } from '../planning/capacity-fit.js';
import { getFleet } from '../db/fleets.js';
import { loadFleetModules } from '../db/modules.js';
import type { StrategyMetrics } from '../planning/allocation-types.js';
import { METRIC_DEFINITIONS } from '../planning/plan-evaluation.js';
import { optimizeOffLoop } from '../jobs/off-loop.js';
import { builder, encodeGlobalId, NotFoundError, ValidationError } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { parseGlobalId } from './node-ids.js';

/** Largest fleet compared synchronously in a request. */
export const COMPARE_MAX_MODULES = 20_000;

/** The comparison object, shared by `compareStrategies` and `OptimizationRun.comparison`. */
export interface ComparisonView {
  strategies: StrategyMetrics[];
  population: number;
  generations: number;
  seed: number;
  frontSize: number;
  hypervolume: number;
}

type Load = StrategyMetrics['applicationLoads'][number];

const LoadRef = builder.objectRef<Load>('ApplicationLoad').implement({
  fields: (t) => ({
    applicationId: t.id({ resolve: (l) => encodeGlobalId('Application', l.applicationId) }),
    deployedKwh: t.exposeFloat('deployedKwh'),
    capacityLimitKwh: t.exposeFloat('capacityLimitKwh'),
    modules: t.exposeInt('modules'),
  }),
});

const MetricsRef = builder.objectRef<StrategyMetrics>('StrategyMetrics').implement({
  description: 'One strategy’s allocation of the fleet, scored by our twin (Tables 5 & 6 of the reference paper)',
  fields: (t) => ({
    strategy: t.exposeString('strategy', { description: 'static, adaptive or nsga2-knee' }),
    modules: t.exposeInt('modules'),
    deployed: t.exposeInt('deployed'),
    recycled: t.exposeInt('recycled'),
    correctPercent: t.exposeFloat('correctPercent', { description: METRIC_DEFINITIONS.correctPercent }),
    misallocatedPercent: t.exposeFloat('misallocatedPercent', { description: METRIC_DEFINITIONS.misallocatedPercent }),
    meanLifespanYears: t.exposeFloat('meanLifespanYears', { description: METRIC_DEFINITIONS.meanLifespanYears }),
    meanFadePctPerYear: t.exposeFloat('meanFadePctPerYear', { description: METRIC_DEFINITIONS.meanFadePctPerYear }),
    energyWeightedFadePctPerYear: t.exposeFloat('energyWeightedFadePctPerYear', { description: 'the degradation objective: Σ kWh·fade / Σ kWh' }),
    meanRoundTripEfficiency: t.exposeFloat('meanRoundTripEfficiency', { description: METRIC_DEFINITIONS.meanRoundTripEfficiency }),
    storageYearsKwhYr: t.exposeFloat('storageYearsKwhYr', { description: METRIC_DEFINITIONS.storageYearsKwhYr }),
    costUsd: t.exposeFloat('costUsd', { description: METRIC_DEFINITIONS.costUsd }),
    deployedEnergyKwh: t.exposeFloat('deployedEnergyKwh'),
    applicationLoads: t.field({ type: [LoadRef], resolve: (m) => m.applicationLoads }),
  }),
});

export const ComparisonRef = builder.objectRef<ComparisonView>('StrategyComparison').implement({
  fields: (t) => ({
    strategies: t.field({ type: [MetricsRef], resolve: (c) => c.strategies }),
    population: t.exposeInt('population'),
    generations: t.exposeInt('generations'),
    seed: t.exposeInt('seed'),
    frontSize: t.exposeInt('frontSize', { description: 'Plans on the NSGA-II Pareto front the knee was taken from' }),
    hypervolume: t.exposeFloat('hypervolume', { description: 'Of that front, in the normalised objective box (0–1)' }),
  }),
});

function bad(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ row: null, column: field, message }]);
}

builder.queryFields((t) => ({
  compareStrategies: t.field({
    type: ComparisonRef,
    description: 'Static (SOH > 70 % → grid, else backup) vs adaptive (best twin RUL, greedy under capacity) vs the NSGA-II knee, for a fleet and applications',
    errors: { types: MUTATION_ERRORS },
    args: {
      fleetId: t.arg.id({ required: true }),
      applicationIds: t.arg.idList({ required: true }),
      population: t.arg.int({ required: false, description: 'Default 100 (4–500)' }),
      generations: t.arg.int({ required: false, description: 'Default 200 (1–2000)' }),
      seed: t.arg.int({ required: false, description: 'Default 1' }),
    },
    resolve: async (_root, args, ctx) => {
      const fleetId = parseGlobalId(String(args.fleetId), 'Fleet', 'fleetId');
      if (args.applicationIds.length === 0) throw bad('applicationIds', 'give at least one application');
      const appIds = args.applicationIds.map((id, i) => parseGlobalId(String(id), 'Application', `applicationIds[${i}]`));
      if (new Set(appIds).size !== appIds.length) throw bad('applicationIds', 'an application is listed twice');
      const population = args.population ?? 100;
      const generations = args.generations ?? 200;
      const seed = args.seed ?? 1;
      if (!(population >= 4 && population <= 500)) throw bad('population', `must be in 4–500, got ${population}`);
      if (!(generations >= 1 && generations <= 2000)) throw bad('generations', `must be in 1–2000, got ${generations}`);
      // Read in one short transaction, then compute on a worker thread outside it.
      const { fleet, found, modules } = await ctx.withDb(async (db) => {
        const fleet = await getFleet(db, fleetId);
        if (!fleet) return { fleet, found: [], modules: [] };
        return { fleet, found: await getApplicationsByIds(db, appIds), modules: await loadFleetModules(db, fleetId) };
      });
      if (!fleet) throw new NotFoundError('Fleet', String(args.fleetId));
      const byId = new Map(found.map((a) => [a.id, a]));
      appIds.forEach((id, i) => {
        if (!byId.has(id)) throw new NotFoundError('Application', String(args.applicationIds[i]));
      });
      if (modules.length === 0) throw bad('fleetId', 'the fleet has no modules');
      if (modules.length > COMPARE_MAX_MODULES) {
        throw bad('fleetId', `the fleet has ${modules.length} modules; compare at most ${COMPARE_MAX_MODULES} in a request, use startOptimization for larger fleets`);
      }
      const result = await optimizeOffLoop(
        modules,
        fitCapacities(modules, appIds.map((id) => byId.get(id)!)).applications,
        { population, generations, seed },
      );
      return { strategies: result.comparison, population, generations, seed, frontSize: result.frontSize, hypervolume: result.hypervolume };
    },
  }),
}));
