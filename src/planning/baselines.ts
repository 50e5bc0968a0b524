/**
 * The two reference strategies and the greedy constructions that seed the optimiser.
 *
 * - static (the reference paper §IV-A): SOH > 70 % → grid storage, otherwise residential backup,
 *   first envelope of the application, blind to the twin and to capacity limits;
 * - adaptive: each module to the (application, envelope) its twin gives the longest RUL among the
 *   feasible ones, modules taken in decreasing order of that best RUL and placed greedily under
 *   the capacity limits (next-best option when full, recycling when nothing fits).
 */
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { AllocationPlan } from './allocation-types.js';
import { TOTALS_BASE, type AllocationProblem } from './allocation-problem.js';

/** SOH threshold of the static rule, reference paper §IV-A ("above 70 % SOH … grid storage"). */
export const STATIC_SOH_THRESHOLD_PERCENT = 70;

export function staticPlan(modules: readonly ModuleState[], apps: readonly ApplicationSpec[]): AllocationPlan {
  const grid = apps.findIndex((a) => a.kind === 'GRID');
  const backup = apps.findIndex((a) => a.kind === 'BACKUP');
  const applicationIndex = new Int16Array(modules.length);
  const envelopeIndex = new Int8Array(modules.length);
  modules.forEach((m, i) => {
    const a = m.sohPercent > STATIC_SOH_THRESHOLD_PERCENT ? grid : backup;
    applicationIndex[i] = a;
    envelopeIndex[i] = a >= 0 ? 0 : -1;
  });
  return { applicationIndex, envelopeIndex };
}

/**
 * Greedy fill under capacity by a per-option score (higher is better); options scoring ≤ minScore
 * are never used. Modules go in decreasing order of their best score (ties: module order).
 */
export function greedyGenes(p: AllocationProblem, score: Float64Array, minScore = -Infinity): Uint8Array {
  const n = p.nModules;
  const best = new Float64Array(n).fill(-Infinity);
  for (let m = 0; m < n; m++) {
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) if (score[o] > best[m]) best[m] = score[o];
  }
  const order = new Int32Array(n);
  for (let m = 0; m < n; m++) order[m] = m;
  order.sort((a, b) => best[b] - best[a] || a - b);
  const load = new Float64Array(p.nApps);
  for (let a = 0; a < p.nApps; a++) load[a] = p.baseTotals[TOTALS_BASE + a];
  const genes = new Uint8Array(n);
  const ranked: number[] = [];
  for (let r = 0; r < n; r++) {
    const m = order[r];
    if (!(best[m] > minScore)) continue;
    ranked.length = 0;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) if (score[o] > minScore) ranked.push(o);
    ranked.sort((a, b) => score[b] - score[a] || a - b);
    for (const o of ranked) {
      const a = p.optApp[o];
      if (load[a] + p.optKwh[o] <= p.capacityKwh[a]) {
        load[a] += p.optKwh[o];
        genes[m] = o - p.optStart[m] + 1;
        break;
      }
    }
  }
  return genes;
}

/** Per-option RUL in years (storage-years / kWh). */
export function optionRulYears(p: AllocationProblem): Float64Array {
  return p.optRulYears;
}

export function adaptiveGenes(p: AllocationProblem): Uint8Array {
  return greedyGenes(p, optionRulYears(p));
}

/**
 * Greedy plans along weight vectors w on the simplex: score = w0 · storage-years (normalised)
 * + w1 · (reference fade − fade) (normalised) − w2 · cost (normalised); only positive scores are
 * deployed. They spread the initial population over the trade-off surface.
 */
export function weightedSeeds(p: AllocationProblem, steps = 3): Uint8Array[] {
  const k = p.optKwh.length;
  if (k === 0) return [];
  const fade = new Float64Array(k);
  let maxSy = 0;
  let maxAbsCost = 0;
  for (let o = 0; o < k; o++) {
    fade[o] = p.optKwhFade[o] / p.optKwh[o];
    maxSy = Math.max(maxSy, p.optStorageYears[o]);
    maxAbsCost = Math.max(maxAbsCost, Math.abs(p.optCostUsd[o]));
  }
  const sorted = Float64Array.from(fade).sort();
  const fadeRef = sorted[Math.floor(sorted.length / 2)];
  const fadeSpread = Math.max(sorted[sorted.length - 1] - sorted[0], 1e-9);
  const out: Uint8Array[] = [];
  const score = new Float64Array(k);
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps - i; j++) {
      const w0 = i / steps;
      const w1 = j / steps;
      const w2 = 1 - w0 - w1;
      for (let o = 0; o < k; o++) {
        score[o] =
          (w0 * p.optStorageYears[o]) / Math.max(maxSy, 1e-9) +
          (w1 * (fadeRef - fade[o])) / fadeSpread -
          (w2 * p.optCostUsd[o]) / Math.max(maxAbsCost, 1e-9);
      }
      out.push(greedyGenes(p, score, 0));
    }
  }
  return out;
}
