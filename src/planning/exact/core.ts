/**
 * The core problem of a fleet too large for the whole MILP (Balas & Zemel 1980, Oper. Res. 28(5)
 * 1130–1154, for the knapsack problem; Puchinger, Raidl & Pferschy 2010, INFORMS J. Comput. 22(2)
 * 250–265, for the multidimensional one): at the LP's capacity prices λ most modules have one
 * option (or recycling) far ahead of their others, and the LP optimum keeps them there; only the
 * modules near the margin decide how tightly each application's capacity is packed, and that
 * packing is where rounding loses (on 1 000 modules against 145 kWh of capacity, the rounded LP
 * plan was 1.3 % short of the LP bound, the integer optimum 0.16 %).
 *
 * The core: the modules with the smallest margin (best reduced value c_o − λ_a kWh_o, recycling
 * counting as 0, minus the second best), taken in that order until `maxColumns` options are in
 * it. Every other module is fixed at its best response to λ; the core is solved as its own
 * multi-choice multi-knapsack (formulation.ts) with the capacity the fixed modules leave. The
 * fixing is a heuristic, so the core's proven bound is not a bound of the whole problem: the
 * run reports the LP bound, and uses the core's plan (after repair and polish) as an anchor.
 */
import { TOTALS_BASE, Q_ENERGY, type AllocationProblem } from '../allocation-problem.js';
import type { KnapsackModel } from './formulation.js';


export interface CoreProblem {
  /** The core as a problem of its own (its modules only, the fixed modules' kWh in its base). */
  model: KnapsackModel;
  /** Objective coefficients of the core's options. */
  c: Float64Array;
  /** Modules of the core, in the whole problem's numbering. */
  modules: Int32Array;
  /** The whole problem's genes with the core's genes filled in. */
  toGenes(coreGenes: Uint8Array): Uint8Array;
  /** Free-capacity check: false when the fixed modules alone already overfill an application. */
  feasible: boolean;
}

export function coreProblem(p: AllocationProblem, c: Float64Array, lambda: Float64Array, maxColumns: number): CoreProblem {
  const n = p.nModules;
  const best = new Uint8Array(n);
  // Every alternative to a module's best response (another option, or recycling) with its loss
  // at the prices; the core admits alternatives by increasing loss, so a module enters with its
  // best option and only the alternatives that could matter.
  const alternatives: { m: number; o: number; loss: number }[] = [];
  const reduced = new Float64Array(c.length);
  for (let m = 0; m < n; m++) {
    if (p.optStart[m + 1] === p.optStart[m]) continue;
    let r1 = 0;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      reduced[o] = c[o] - lambda[p.optApp[o]] * (p.optKwh[o] / Q_ENERGY);
      if (reduced[o] > r1) {
        r1 = reduced[o];
        best[m] = o - p.optStart[m] + 1;
      }
    }
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) if (o !== p.optStart[m] + best[m] - 1) alternatives.push({ m, o, loss: r1 - reduced[o] });
    if (best[m] > 0) alternatives.push({ m, o: -1, loss: r1 });
  }
  alternatives.sort((x, y) => x.loss - y.loss || x.m - y.m || x.o - y.o);
  const inCore = new Uint8Array(n);
  const column = new Uint8Array(c.length);
  let columns = 0;
  for (const alt of alternatives) {
    const extra = (inCore[alt.m] || best[alt.m] === 0 ? 0 : 1) + (alt.o >= 0 ? 1 : 0);
    if (columns + extra > maxColumns) break;
    if (!inCore[alt.m]) {
      inCore[alt.m] = 1;
      if (best[alt.m] > 0) column[p.optStart[alt.m] + best[alt.m] - 1] = 1;
    }
    if (alt.o >= 0) column[alt.o] = 1;
    columns += extra;
  }
  const modules: number[] = [];
  const optStart: number[] = [0];
  const keep: number[] = [];
  const baseTotals = Float64Array.from(p.baseTotals);
  for (let m = 0; m < n; m++) {
    if (inCore[m]) {
      modules.push(m);
      for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) if (column[o]) keep.push(o);
      optStart.push(keep.length);
    } else if (best[m] > 0) {
      const o = p.optStart[m] + best[m] - 1;
      baseTotals[TOTALS_BASE + p.optApp[o]] += p.optKwh[o];
    }
  }
  let feasible = true;
  for (let a = 0; a < p.nApps; a++) if (baseTotals[TOTALS_BASE + a] > p.capacityKwh[a]) feasible = false;
  const model: KnapsackModel = {
    nModules: modules.length,
    nApps: p.nApps,
    optStart: Int32Array.from(optStart),
    optApp: Int16Array.from(keep, (o) => p.optApp[o]),
    optKwh: Float64Array.from(keep, (o) => p.optKwh[o]),
    capacityKwh: p.capacityKwh,
    baseTotals,
  };
  const coreModules = Int32Array.from(modules);
  return {
    model,
    c: Float64Array.from(keep, (o) => c[o]),
    modules: coreModules,
    feasible,
    toGenes(coreGenes: Uint8Array): Uint8Array {
      const genes = new Uint8Array(n);
      for (let m = 0; m < n; m++) if (!inCore[m]) genes[m] = best[m];
      coreModules.forEach((m, i) => (genes[m] = coreGenes[i] === 0 ? 0 : keep[optStart[i] + coreGenes[i] - 1] - p.optStart[m] + 1));
      return genes;
    },
  };
}
