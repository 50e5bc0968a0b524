/**
 * The LP bound of a sum objective for any fleet size, from the Lagrangian dual of the capacity
 * rows (Geoffrion 1974, Math. Prog. Study 2, 82–114). Relaxing Σ_{o∈a} kWh_o x_o ≤ C_a with prices
 * λ_a ≥ 0 leaves one "best option or recycle" choice per module:
 *
 *   L(λ) = Σ_a λ_a C_a + Σ_m max(0, max_{o∈m} (c_o − λ_{a(o)} kWh_o)).
 *
 * The choice rows describe an integral polytope, so min_λ L(λ) equals the LP relaxation's optimum
 * (Geoffrion's integrality property), and every L(λ) is an upper bound on it: a bound taken from an
 * unconverged λ is loose, never wrong. L is convex and piecewise linear in nApps variables (4 here),
 * minimised by Kelley's cutting planes (Kelley 1960, J. SIAM 8, 703–712) with HiGHS solving the
 * small master LP; each cut costs one pass over the options, so 100 k modules take milliseconds per
 * iteration where the full LP (a million columns) takes minutes in WebAssembly. The LP's own
 * solution is not needed: the prices drive the rounding (rounding.ts).
 */
import { Q_ENERGY, type AllocationProblem } from '../allocation-problem.js';
import { freeCapacityKwh } from './formulation.js';
import { CuttingPlaneMaster, loadHighs, type HighsLoader } from './highs-adapter.js';

export interface LagrangianBound {
  /** min over the prices tried of L(λ): a valid upper bound on the LP optimum (the free modules' part). */
  bound: number;
  /** The prices that gave it (per application, value per kWh). */
  lambda: Float64Array;
  /** Kelley's master value: the LP optimum is at least this (so bound − lower is the uncertainty). */
  lower: number;
  converged: boolean;
  iterations: number;
  seconds: number;
  /** Set when the master failed or the time ran out (the bound is then conservative). */
  note: string | null;
}

/** L(λ) and its subgradient (C_a − load_a of the best-response choice). */
export function lagrangianValue(p: AllocationProblem, c: Float64Array, cap: Float64Array, lambda: Float64Array, grad: Float64Array): number {
  let v = 0;
  for (let a = 0; a < p.nApps; a++) {
    v += lambda[a] * cap[a];
    grad[a] = cap[a];
  }
  for (let m = 0; m < p.nModules; m++) {
    let best = 0;
    let arg = -1;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      const r = c[o] - lambda[p.optApp[o]] * (p.optKwh[o] / Q_ENERGY);
      if (r > best) {
        best = r;
        arg = o;
      }
    }
    if (arg >= 0) {
      v += best;
      grad[p.optApp[arg]] -= p.optKwh[arg] / Q_ENERGY;
    }
  }
  return v;
}

export async function lagrangianLpBound(
  p: AllocationProblem,
  c: Float64Array,
  opts: { timeLimitSeconds: number; relativeTolerance?: number; maxIterations?: number; loader?: HighsLoader },
): Promise<LagrangianBound> {
  const t0 = performance.now();
  const A = p.nApps;
  const cap = freeCapacityKwh(p);
  const tol = opts.relativeTolerance ?? 1e-7;
  const maxIter = opts.maxIterations ?? 400;
  // Above λmax_a no option of application a has a positive reduced value: the optimum lies in the box.
  const lambdaMax = new Float64Array(A);
  for (let o = 0; o < c.length; o++) {
    const w = p.optKwh[o] / Q_ENERGY;
    if (c[o] > 0 && w > 0) lambdaMax[p.optApp[o]] = Math.max(lambdaMax[p.optApp[o]], c[o] / w);
  }
  let master: CuttingPlaneMaster | null = null;
  let lambda = new Float64Array(A);
  let best = Infinity;
  let bestLambda = lambda;
  let lower = -Infinity;
  let note: string | null = null;
  let iterations = 0;
  const elapsed = () => (performance.now() - t0) / 1000;
  try {
  for (; iterations < maxIter; iterations++) {
    const grad = new Float64Array(A);
    const value = lagrangianValue(p, c, cap, lambda, grad);
    if (value < best) {
      best = value;
      bestLambda = lambda;
    }
    if (best - lower <= tol * Math.max(1, Math.abs(best))) break;
    if (elapsed() >= opts.timeLimitSeconds) {
      note = `LP bound not converged within the exact-point time budget (conservative by at most ${(best - lower).toPrecision(3)}; a run on a busier machine may differ)`;
      break;
    }
    // Master: min t s.t. t − grad_k·λ ≥ value_k − grad_k·λ_k, 0 ≤ λ ≤ λmax (columns λ_0..λ_{A−1}, t).
    if (!master) {
      try {
        const colCost = new Float64Array(A + 1);
        colCost[A] = 1;
        const colLower = new Float64Array(A + 1);
        colLower[A] = -Infinity;
        const colUpper = new Float64Array(A + 1);
        colUpper.set(lambdaMax);
        colUpper[A] = Infinity;
        master = await CuttingPlaneMaster.create(colCost, colLower, colUpper, opts.loader ?? loadHighs);
      } catch (error) {
        note = `LP bound: HiGHS could not be started (${error instanceof Error ? error.message : String(error)}); the bound is the dual value at the prices tried and may be loose`;
        break;
      }
    }
    let rhs = value;
    for (let a = 0; a < A; a++) rhs -= grad[a] * lambda[a];
    const idx = new Int32Array(A + 1);
    const val = new Float64Array(A + 1);
    for (let a = 0; a <= A; a++) {
      idx[a] = a;
      val[a] = a < A ? -grad[a] : 1;
    }
    let solved: ReturnType<CuttingPlaneMaster['solve']>;
    try {
      master.addRow(rhs, idx, val);
      solved = master.solve(opts.timeLimitSeconds - elapsed());
    } catch (error) {
      solved = { status: 'failed', x: new Float64Array(0), objective: NaN, message: error instanceof Error ? error.message : String(error) };
    }
    if (solved.status !== 'optimal') {
      note = `LP bound: the HiGHS master stopped (${solved.message}); the bound is the best dual value found and may be loose`;
      break;
    }
    const masterResult = solved;
    lower = Math.max(lower, masterResult.objective);
    lambda = Float64Array.from(masterResult.x.subarray(0, A), (v, a) => Math.min(Math.max(v, 0), lambdaMax[a]));
  }
  } finally {
    master?.dispose();
  }
  const converged = best - lower <= tol * Math.max(1, Math.abs(best));
  if (!converged && note === null) note = `LP bound not converged in ${maxIter} iterations (conservative by at most ${(best - lower).toPrecision(3)})`;
  return { bound: best, lambda: bestLambda, lower, converged, iterations, seconds: elapsed(), note };
}
