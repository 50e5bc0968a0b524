/**
 * The fade objective is a ratio of sums, F(x) = (K₀ + Σ kWh·fade_o x_o) / (E₀ + Σ kWh_o x_o)
 * (K₀, E₀: the pinned modules). Dinkelbach's parametric method (Dinkelbach 1967, Management
 * Science 13(7), 492–498): for a trial value q solve the linear MILP
 *
 *   G(q) = max  q·(E₀ + Σ kWh_o x_o) − (K₀ + Σ kWh·fade_o x_o)   over the allocation polytope,
 *
 * and set q ← F(x*) until G(q) ≤ 0 (then q = min F). Each step lowers q; on a finite set of plans it
 * ends in finitely many steps (superlinearly in practice: 3–6 here). An empty plan has no fade
 * (allocation-problem.ts scores it EMPTY_PLAN_FADE_PCT_PER_YEAR), so at least one module is
 * deployed (Σ kWh x ≥ the smallest option's kWh when nothing is pinned); an optional
 * ε-constraint on storage-years (Σ kWh·yr x ≥ ε) traces the fade–storage trade-off.
 */
import { Q_ENERGY, type AllocationProblem } from '../allocation-problem.js';
import { buildSparseModel, columnsToGenes, genesToColumns, kwhFadePerOption, kwhPerOption, pinnedConstants, storageYearsPerOption, type SideRow } from './formulation.js';
import { loadHighs, solveSparse, type HighsLoader } from './highs-adapter.js';
import { fitsCapacity } from './rounding.js';

export interface FadeOptimum {
  status: 'optimal' | 'time-limit' | 'infeasible' | 'failed';
  genes: Uint8Array | null;
  /** The plan's fade, %/yr. */
  fadePctPerYear: number;
  iterations: number;
  message: string;
}

export function planFade(p: AllocationProblem, genes: Uint8Array): number {
  const k0 = pinnedConstants(p);
  let kf = k0.kwhFade * Q_ENERGY;
  let kwh = k0.kwh * Q_ENERGY;
  for (let m = 0; m < p.nModules; m++) {
    if (genes[m] === 0) continue;
    const o = p.optStart[m] + genes[m] - 1;
    kf += p.optKwhFade[o];
    kwh += p.optKwh[o];
  }
  return kwh > 0 ? kf / kwh : NaN;
}

/** min fade subject to capacities (and storage-years ≥ minStorageYears when given), by Dinkelbach. */
export async function minimiseFade(
  p: AllocationProblem,
  opts: { timeLimitSeconds: number; minStorageYears?: number; start?: Uint8Array; loader?: HighsLoader; maxIterations?: number },
): Promise<FadeOptimum> {
  const t0 = performance.now();
  const kwh = kwhPerOption(p);
  const kf = kwhFadePerOption(p);
  const k0 = pinnedConstants(p);
  const side: SideRow[] = [];
  if (!(k0.kwh > 0)) {
    let minKwh = Infinity;
    for (const v of kwh) minKwh = Math.min(minKwh, v);
    if (!Number.isFinite(minKwh)) return { status: 'infeasible', genes: null, fadePctPerYear: NaN, iterations: 0, message: 'no module can be deployed' };
    side.push({ coef: Float64Array.from(kwh, (v) => -v), upper: -minKwh * (1 - 1e-9) });
  }
  if (opts.minStorageYears !== undefined) {
    side.push({ coef: Float64Array.from(storageYearsPerOption(p), (v) => -v), upper: -(opts.minStorageYears - k0.storageYears) });
  }
  const base = buildSparseModel(p, new Float64Array(kwh.length), side, true);
  let incumbent: Uint8Array | null = opts.start && fitsCapacity(p, opts.start) && meetsStorage(p, opts.start, opts.minStorageYears) ? opts.start.slice() : null;
  // Dinkelbach starts from a value no plan beats from above: a feasible plan's fade, or more than
  // any option's fade (then the first step finds a plan).
  let q = incumbent ? planFade(p, incumbent) : NaN;
  if (!Number.isFinite(q)) {
    q = k0.kwh > 0 ? k0.kwhFade / k0.kwh : 0;
    for (let o = 0; o < kwh.length; o++) q = Math.max(q, kf[o] / kwh[o]);
    q += 1;
  }
  const maxIter = opts.maxIterations ?? 12;
  let lastStatus: FadeOptimum['status'] = 'time-limit';
  let iterations = 0;
  for (let it = 1; it <= maxIter; it++) {
    iterations = it;
    const left = opts.timeLimitSeconds - (performance.now() - t0) / 1000;
    const colCost = new Float64Array(kwh.length);
    for (let o = 0; o < kwh.length; o++) colCost[o] = q * kwh[o] - kf[o];
    const r = await solveSparse({ ...base, colCost }, left, opts.loader ?? loadHighs, incumbent ? genesToColumns(p, incumbent) : undefined);
    if (r.status === 'infeasible') return { status: 'infeasible', genes: null, fadePctPerYear: NaN, iterations: it, message: 'the ε-constraint cannot be met under the capacity limits' };
    if (r.x.length === 0) return { status: r.status === 'failed' ? 'failed' : 'time-limit', genes: incumbent, fadePctPerYear: incumbent ? planFade(p, incumbent) : NaN, iterations: it, message: r.message };
    const genes = columnsToGenes(p, r.x);
    const next = planFade(p, genes);
    const feasible = fitsCapacity(p, genes) && meetsStorage(p, genes, opts.minStorageYears);
    if (feasible && (!incumbent || next < planFade(p, incumbent))) incumbent = genes;
    const gValue = r.objective + q * k0.kwh - k0.kwhFade;
    if (r.status !== 'optimal') {
      lastStatus = r.status === 'failed' ? 'failed' : 'time-limit';
      // A node-limited step still improves q when its plan is better; the last one is not proven.
      break;
    }
    if (gValue <= 1e-9 * Math.max(1, q * (k0.kwh + 1)) || !(next < q - 1e-12)) {
      lastStatus = 'optimal';
      break;
    }
    q = next;
    lastStatus = 'time-limit';
  }
  return {
    status: lastStatus,
    genes: incumbent,
    fadePctPerYear: incumbent ? planFade(p, incumbent) : NaN,
    iterations,
    message: lastStatus === 'optimal' ? 'optimal' : 'stopped before Dinkelbach converged',
  };
}

export function planStorage(p: AllocationProblem, genes: Uint8Array): number {
  let s = pinnedConstants(p).storageYears;
  for (let m = 0; m < p.nModules; m++) if (genes[m] > 0) s += p.optStorageYears[p.optStart[m] + genes[m] - 1] / 1e6;
  return s;
}

function meetsStorage(p: AllocationProblem, genes: Uint8Array, minStorageYears: number | undefined): boolean {
  return minStorageYears === undefined || planStorage(p, genes) >= minStorageYears - 1e-6;
}
