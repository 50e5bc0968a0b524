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
  // Every alternative to a module's best response (another option, or recycling, o = −1) with
  // its loss at the prices; the core admits alternatives by increasing loss (ties: module, then
  // option), so a module enters with its best option and only the alternatives that could matter.
  const reduced = new Float64Array(c.length);
  const altM = new Int32Array(c.length + n);
  const altO = new Int32Array(c.length + n);
  const altLoss = new Float64Array(c.length + n);
  let count = 0;
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
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      if (o === p.optStart[m] + best[m] - 1) continue;
      altM[count] = m;
      altO[count] = o;
      altLoss[count++] = r1 - reduced[o];
    }
    if (best[m] > 0) {
      altM[count] = m;
      altO[count] = -1;
      altLoss[count++] = r1;
    }
  }
  const before = (i: number, j: number) => altLoss[i] - altLoss[j] || altM[i] - altM[j] || altO[i] - altO[j];
  const inCore = new Uint8Array(n);
  const column = new Uint8Array(c.length);
  /** Admits alternatives in `order` until the core is full; false when `order` ran out first. */
  const admit = (order: Int32Array): boolean => {
    inCore.fill(0);
    column.fill(0);
    let columns = 0;
    for (const i of order) {
      const m = altM[i];
      const o = altO[i];
      const extra = (inCore[m] || best[m] === 0 ? 0 : 1) + (o >= 0 ? 1 : 0);
      if (columns + extra > maxColumns) return true;
      if (!inCore[m]) {
        inCore[m] = 1;
        if (best[m] > 0) column[p.optStart[m] + best[m] - 1] = 1;
      }
      if (o >= 0) column[o] = 1;
      columns += extra;
    }
    return false;
  };
  // Only the first alternatives in that order can be admitted: each admitted one adds a column,
  // or is the recycling alternative of a module already in the core (one per module, at most
  // maxColumns modules), so at most 2·maxColumns + 1 are read. Those are selected with a bounded
  // heap instead of sorting every alternative (half a million at 100 k modules); should the
  // selection run out before the core is full, every alternative is sorted as before.
  const wanted = 2 * maxColumns + 2;
  if (count <= wanted || !admit(smallest(count, wanted, before))) {
    admit(Int32Array.from({ length: count }, (_, i) => i).sort(before));
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

/** The `k` smallest of 0 … count−1 under `before`, sorted (a max-heap of k candidates). */
function smallest(count: number, k: number, before: (i: number, j: number) => number): Int32Array {
  const heap = new Int32Array(k);
  let size = 0;
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      if (l >= size) return;
      const r = l + 1;
      const big = r < size && before(heap[r], heap[l]) > 0 ? r : l;
      if (before(heap[big], heap[at]) <= 0) return;
      const t = heap[at];
      heap[at] = heap[big];
      heap[big] = t;
      at = big;
    }
  };
  for (let i = 0; i < count; i++) {
    if (size < k) {
      let at = size++;
      heap[at] = i;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if (before(heap[at], heap[up]) <= 0) break;
        const t = heap[at];
        heap[at] = heap[up];
        heap[up] = t;
        at = up;
      }
    } else if (before(i, heap[0]) < 0) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.subarray(0, size).sort(before);
}
