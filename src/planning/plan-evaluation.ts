/**
 * The plan scorer: the three objectives, feasibility and the strategy metrics of any plan.
 * Strategy metrics in the spirit of the reference paper's Tables 5 and 6, computed from OUR twin
 * matrix for any plan (baseline or optimised), straight from the matrix rather than the gene
 * encoding so that plans with infeasible assignments (the static baseline) can be scored too.
 *
 * Definitions:
 * - a deployed module is MISALLOCATED when the twin says its (application, envelope) violates a
 *   requirement, or when it does not fit in its application's capacity: modules are admitted to
 *   an application in intake (module) order and those whose kWh no longer fit under the limit
 *   are the overflow;
 * - CORRECT = deployed and not misallocated; recycled modules are neither (reported apart);
 *   percentages are of all modules;
 * - mean lifespan, fade rate and round-trip efficiency are plain means over deployed modules;
 *   storage-years = Σ usable kWh × RUL; cost per cost-model.ts.
 */
import type { ApplicationSpec } from '../twin/types.js';
import type { AllocationPlan, StrategyMetrics, TwinMatrixLike } from './allocation-types.js';
import { EMPTY_PLAN_FADE_PCT_PER_YEAR } from './allocation-problem.js';

export interface PlanEvaluation {
  /** Natural sense: [storage-years kWh·yr, energy-weighted fade %/yr, cost USD]. */
  objectives: [number, number, number];
  loadsKwh: Float64Array;
  infeasibleModules: number;
  overCapacityApplications: number;
  feasible: boolean;
  metrics: StrategyMetrics;
}

export function evaluatePlan(
  matrix: TwinMatrixLike,
  apps: ApplicationSpec[],
  pairCostUsd: Float64Array,
  plan: AllocationPlan,
  strategy: StrategyMetrics['strategy'],
): PlanEvaluation {
  const { nModules, nApps, nEnvelopes } = matrix;
  const loads = new Float64Array(nApps);
  const admitted = new Float64Array(nApps);
  const counts = new Int32Array(nApps);
  let sy = 0;
  let kwhFade = 0;
  let kwh = 0;
  let cost = 0;
  let deployed = 0;
  let misallocated = 0;
  let infeasible = 0;
  let sumRul = 0;
  let sumFade = 0;
  let sumRte = 0;
  for (let m = 0; m < nModules; m++) {
    const a = plan.applicationIndex[m];
    if (a < 0) continue;
    const e = plan.envelopeIndex[m];
    if (a >= nApps || e < 0 || e >= nEnvelopes) throw new Error(`module ${m}: assignment (${a}, ${e}) outside the twin matrix`);
    const i = (m * nApps + a) * nEnvelopes + e;
    const q = matrix.usableEnergyKwh[i];
    deployed++;
    counts[a]++;
    loads[a] += q;
    sy += q * matrix.rulYears[i];
    kwhFade += q * matrix.fadePctPerYear[i];
    kwh += q;
    cost += pairCostUsd[i];
    sumRul += matrix.rulYears[i];
    sumFade += matrix.fadePctPerYear[i];
    sumRte += matrix.roundTripEfficiency[i];
    const twinOk = matrix.feasible[i] === 1 && e < apps[a].envelopes.length;
    if (!twinOk) infeasible++;
    const fits = admitted[a] + q <= apps[a].capacityLimitKwh * (1 + 1e-12) + 1e-9;
    if (fits) admitted[a] += q;
    if (!twinOk || !fits) misallocated++;
  }
  let over = 0;
  for (let a = 0; a < nApps; a++) if (loads[a] > apps[a].capacityLimitKwh * (1 + 1e-12) + 1e-9) over++;
  const fade = kwh > 1e-9 ? kwhFade / kwh : EMPTY_PLAN_FADE_PCT_PER_YEAR;
  const pct = (x: number) => (nModules ? (100 * x) / nModules : 0);
  const mean = (x: number) => (deployed ? x / deployed : 0);
  return {
    objectives: [sy, fade, cost],
    loadsKwh: loads,
    infeasibleModules: infeasible,
    overCapacityApplications: over,
    feasible: infeasible === 0 && over === 0,
    metrics: {
      strategy,
      modules: nModules,
      deployed,
      recycled: nModules - deployed,
      correctPercent: pct(deployed - misallocated),
      misallocatedPercent: pct(misallocated),
      meanLifespanYears: mean(sumRul),
      meanFadePctPerYear: mean(sumFade),
      energyWeightedFadePctPerYear: kwh > 1e-9 ? kwhFade / kwh : 0,
      meanRoundTripEfficiency: mean(sumRte),
      storageYearsKwhYr: sy,
      costUsd: cost,
      deployedEnergyKwh: kwh,
      applicationLoads: apps.map((app, a) => ({
        applicationId: app.id,
        deployedKwh: loads[a],
        capacityLimitKwh: app.capacityLimitKwh,
        modules: counts[a],
      })),
    },
  };
}

export interface StrategyComparison {
  definitions: Record<string, string>;
  strategies: StrategyMetrics[];
}

export const METRIC_DEFINITIONS: Record<string, string> = {
  correctPercent: 'deployed modules meeting every twin requirement and fitting their application capacity, % of all modules',
  misallocatedPercent:
    'deployed modules violating a twin requirement, or overflowing their application capacity (admitted in intake order), % of all modules',
  recycled: 'modules sent to recycling (neither correct nor misallocated)',
  meanLifespanYears: 'mean RUL of deployed modules in their assigned application, years',
  meanFadePctPerYear: 'mean capacity fade rate of deployed modules, %/yr',
  meanRoundTripEfficiency: 'mean round-trip efficiency of deployed modules (0–1)',
  storageYearsKwhYr: 'Σ usable kWh × RUL years over deployed modules',
  costUsd: 'Σ deployment cost − value of energy delivered, USD (recycling = 0), see cost model',
};

/** Objectives and capacity feasibility of one plan, as `evaluatePlan` gives them. */
export interface PlanObjectives {
  /** Natural sense: [storage-years kWh·yr, energy-weighted fade %/yr, cost USD]. */
  objectives: [number, number, number];
  feasible: boolean;
}

/**
 * `evaluatePlan`'s objectives and feasibility for many plans in one pass over the fleet: module
 * by module, every plan's entry is read while the module's row of the twin matrix is in cache
 * (plan by plan, a 100 k-module front of ~450 plans read the ~40 MB matrix ~450 times). Each
 * plan's sums are taken in module order with the same products, so the figures are
 * `evaluatePlan`'s bit for bit.
 */
export function evaluatePlanObjectives(
  matrix: TwinMatrixLike,
  apps: ApplicationSpec[],
  pairCostUsd: Float64Array,
  plans: readonly AllocationPlan[],
): PlanObjectives[] {
  const { nModules, nApps, nEnvelopes } = matrix;
  const k = plans.length;
  const sy = new Float64Array(k);
  const kwhFade = new Float64Array(k);
  const kwh = new Float64Array(k);
  const cost = new Float64Array(k);
  const loads = new Float64Array(k * nApps);
  const infeasible = new Uint8Array(k);
  const envelopes = Int32Array.from(apps, (a) => a.envelopes.length);
  const limit = Float64Array.from(apps, (a) => a.capacityLimitKwh * (1 + 1e-12) + 1e-9);
  const { usableEnergyKwh, rulYears, fadePctPerYear, feasible } = matrix;
  const appIdx = plans.map((p) => p.applicationIndex);
  const envIdx = plans.map((p) => p.envelopeIndex);
  for (let m = 0; m < nModules; m++) {
    for (let j = 0; j < k; j++) {
      const a = appIdx[j][m];
      if (a < 0) continue;
      const e = envIdx[j][m];
      if (a >= nApps || e < 0 || e >= nEnvelopes) throw new Error(`module ${m}: assignment (${a}, ${e}) outside the twin matrix`);
      const i = (m * nApps + a) * nEnvelopes + e;
      const q = usableEnergyKwh[i];
      loads[j * nApps + a] += q;
      sy[j] += q * rulYears[i];
      kwhFade[j] += q * fadePctPerYear[i];
      kwh[j] += q;
      cost[j] += pairCostUsd[i];
      if (!(feasible[i] === 1 && e < envelopes[a])) infeasible[j] = 1;
    }
  }
  const out: PlanObjectives[] = [];
  for (let j = 0; j < k; j++) {
    let over = false;
    for (let a = 0; a < nApps; a++) if (loads[j * nApps + a] > limit[a]) over = true;
    out.push({ objectives: [sy[j], kwh[j] > 1e-9 ? kwhFade[j] / kwh[j] : EMPTY_PLAN_FADE_PCT_PER_YEAR, cost[j]], feasible: infeasible[j] === 0 && !over });
  }
  return out;
}
