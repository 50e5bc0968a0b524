/**
 * The allocation as a multi-choice multi-knapsack program (the model every exact point solves).
 *
 * Variables: x_o ∈ {0, 1} for every option o = (module m, application a, envelope e) the twin
 * calls feasible (the options of allocation-problem.ts; pinned and excluded modules have none,
 * their figures are constants). Recycling is the slack of the choice row.
 *
 *   maximise   Σ_o c_o x_o                        (c: storage-years, −cost, or a weighted sum)
 *   subject to Σ_{o ∈ m} x_o ≤ 1                  for every module m        (one option or recycle)
 *              Σ_{o ∈ a} kWh_o x_o ≤ C_a − P_a     for every application a   (capacity, P = pinned kWh)
 *              Σ_o r_ko x_o ≤ u_k                  optional side rows (ε-constraints)
 *
 * Storage-years and cost are sums, so they are linear in x. The fade objective is a ratio of sums
 * F(x) = Σ kWh·fade x / Σ kWh x; "fade ≤ φ" is the linear row Σ (kWh·fade − φ·kWh) x ≤ 0, and
 * "minimise F" is solved by Dinkelbach's parametric method (dinkelbach.ts). Figures are the
 * problem's fixed-point integers divided back to kWh, kWh·yr and USD; options' kWh are rounded
 * up there, so a plan within these capacities is within them in exact kWh too (every solution is
 * re-checked in integers and repaired anyway: HiGHS works to a 1e-7 feasibility tolerance).
 */
import { Q_COST, Q_ENERGY, T_COST, T_KWH, T_KWH_FADE, T_STORAGE_YEARS, TOTALS_BASE, type AllocationProblem } from '../allocation-problem.js';
import type { SparseModel } from './highs-adapter.js';

/** The fields of a problem the model and the capacity rows are built from (a whole problem or its core). */
export type KnapsackModel = Pick<AllocationProblem, 'nModules' | 'nApps' | 'optStart' | 'optApp' | 'optKwh' | 'capacityKwh' | 'baseTotals'>;

/** A side row Σ_o coef_o x_o ≤ upper. */
export interface SideRow {
  coef: Float64Array;
  upper: number;
}

/** Per-option storage-years (kWh·yr). */
export function storageYearsPerOption(p: AllocationProblem): Float64Array {
  return Float64Array.from(p.optStorageYears, (v) => v / Q_ENERGY);
}

/** Per-option cost (USD; negative = the deployment earns more than it costs). */
export function costPerOption(p: AllocationProblem): Float64Array {
  return Float64Array.from(p.optCostUsd, (v) => v / Q_COST);
}

export function kwhPerOption(p: AllocationProblem): Float64Array {
  return Float64Array.from(p.optKwh, (v) => v / Q_ENERGY);
}

export function kwhFadePerOption(p: AllocationProblem): Float64Array {
  return Float64Array.from(p.optKwhFade, (v) => v / Q_ENERGY);
}

/** Capacity left to the free modules per application (kWh), after the pinned ones. */
export function freeCapacityKwh(p: KnapsackModel): Float64Array {
  const out = new Float64Array(p.nApps);
  for (let a = 0; a < p.nApps; a++) out[a] = Math.max(0, (p.capacityKwh[a] - p.baseTotals[TOTALS_BASE + a]) / Q_ENERGY);
  return out;
}

/** The constants the pinned modules add to each objective's total. */
export function pinnedConstants(p: AllocationProblem): { storageYears: number; costUsd: number; kwh: number; kwhFade: number } {
  return {
    storageYears: p.baseTotals[T_STORAGE_YEARS] / Q_ENERGY,
    costUsd: p.baseTotals[T_COST] / Q_COST,
    kwh: p.baseTotals[T_KWH] / Q_ENERGY,
    kwhFade: p.baseTotals[T_KWH_FADE] / Q_ENERGY,
  };
}

/** Columns of the full model (one per option); the MILP is used only below a size budget. */
export function modelColumns(p: AllocationProblem): number {
  return p.optKwh.length;
}

/** The program above in CSC form, for HiGHS. Modules without options get no row. */
export function buildSparseModel(p: KnapsackModel, c: Float64Array, side: readonly SideRow[] = [], integer = true): SparseModel {
  const n = p.nModules;
  const nCol = p.optKwh.length;
  const moduleRow = new Int32Array(n).fill(-1);
  let rows = 0;
  for (let m = 0; m < n; m++) if (p.optStart[m + 1] > p.optStart[m]) moduleRow[m] = rows++;
  const capRow0 = rows;
  const sideRow0 = capRow0 + p.nApps;
  const numRows = sideRow0 + side.length;
  const perCol = 2 + side.length;
  const starts = new Int32Array(nCol + 1);
  const indices = new Int32Array(nCol * perCol);
  const values = new Float64Array(nCol * perCol);
  let k = 0;
  for (let m = 0; m < n; m++) {
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      starts[o] = k;
      indices[k] = moduleRow[m];
      values[k++] = 1;
      indices[k] = capRow0 + p.optApp[o];
      values[k++] = p.optKwh[o] / Q_ENERGY;
      for (let s = 0; s < side.length; s++) {
        if (side[s].coef[o] === 0) continue;
        indices[k] = sideRow0 + s;
        values[k++] = side[s].coef[o];
      }
    }
  }
  starts[nCol] = k;
  const rowLower = new Float64Array(numRows).fill(-Infinity);
  const rowUpper = new Float64Array(numRows);
  for (let r = 0; r < capRow0; r++) rowUpper[r] = 1;
  rowUpper.set(freeCapacityKwh(p), capRow0);
  side.forEach((s, i) => (rowUpper[sideRow0 + i] = s.upper));
  return {
    numCols: nCol,
    numRows,
    maximize: true,
    colCost: c,
    colLower: new Float64Array(nCol),
    colUpper: new Float64Array(nCol).fill(1),
    rowLower,
    rowUpper,
    starts,
    indices: indices.subarray(0, k),
    values: values.subarray(0, k),
    integer,
  };
}

/** A 0/1 column vector (from HiGHS) to genes: per module the option with the largest value ≥ 0.5. */
export function columnsToGenes(p: Pick<AllocationProblem, 'nModules' | 'optStart'>, x: Float64Array): Uint8Array {
  const genes = new Uint8Array(p.nModules);
  for (let m = 0; m < p.nModules; m++) {
    let best = 0.5;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      if (x[o] > best) {
        best = x[o];
        genes[m] = o - p.optStart[m] + 1;
      }
    }
  }
  return genes;
}

export function genesToColumns(p: AllocationProblem, genes: Uint8Array): Float64Array {
  const x = new Float64Array(p.optKwh.length);
  for (let m = 0; m < p.nModules; m++) if (genes[m] > 0) x[p.optStart[m] + genes[m] - 1] = 1;
  return x;
}
