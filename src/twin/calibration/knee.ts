/**
 * Knee form: a cell's own future at the duty of its history, in cycles,
 *   q(N) = q0 − A·(1 − e^(−N/τ)) − b·(e^(a·x) − 1)/a,  x = N / 1000 cycles,
 * three mechanisms of the knee literature (Attia et al. 2022, "Knees in lithium-ion battery aging
 * trajectories", J. Electrochem. Soc. 169 060517): a break-in loss A that saturates with the
 * formation of the SEI in the first tens of cycles (An et al. 2016, Carbon 105, 52–76), a steady
 * loss of lithium inventory linear in cycles at constant duty (rate b), and a self-reinforcing loss
 * whose rate grows as e^(a·x) (loss of active material raising the current density on what remains
 * until lithium plates), a ≥ 0. It is He et al. 2011's double-exponential capacity model (J. Power
 * Sources 196, 10314) with the growing branch written so that a → 0 is the straight line.
 *
 * Parameters θ = [q0, A, ln τ, b, a] (b, a per 1000 cycles). τ ∈ [3, τmax] cycles (τmax 50 by
 * default): longer, the saturating term would stand in for the whole history's curvature and
 * flatten the extrapolation. A first life that has not reached its knee does not identify a, so
 * a carries a Gaussian prior N(0, 1 per 1000 cycles) in the objective (MAP estimate), with the
 * data residuals scaled by the noise level from successive differences, inflated by √(block
 * length) for serial correlation.
 *
 * Valid range: a history at one duty (it does not use temperature, DoD or C-rate), forecasts at
 * that duty. Limitations: on the HNEI cells its settings (forgetting span, τmax) rank opposite
 * under in-history validation to their second-life error, and no single setting transfers
 * between cells (docs/calibration.md).
 */
import { levenbergMarquardt, type Bounds } from './fitter.js';

/** Cycle unit of b and a. */
export const KNEE_CYCLE_UNIT = 1000;
export const KNEE_PARAMETERS = 5;
/** [q0, A, ln τ, b, a] bounds; the upper τ bound is replaced by the setting's τmax. */
const KNEE_LOWER = [0.8, 0, Math.log(3), 0, 0];
const KNEE_UPPER = [1.2, 0.2, Math.log(50), 5, 5];
/** Lowest admissible τmax (the lower bound of τ), cycles. */
export const KNEE_TAU_MIN_CYCLES = Math.exp(KNEE_LOWER[2]!);
/** Prior on the knee's growth rate a, per 1000 cycles: mean 0 (no knee), standard deviation 1. */
const KNEE_GROWTH_PRIOR_SD = 1;

export function kneeBounds(tauMaxCycles: number): Bounds {
  const upper = [...KNEE_UPPER];
  upper[2] = Math.log(tauMaxCycles);
  return { lower: KNEE_LOWER, upper };
}

/** (e^(a·x) − 1)/a, continuous at a = 0 (the straight line x). */
function growth(a: number, x: number): number {
  const ax = a * x;
  return Math.abs(ax) < 1e-6 ? x * (1 + ax / 2 + (ax * ax) / 6) : Math.expm1(ax) / a;
}

/** Knee-form relative capacity at the given cycle indices (any order). */
export function kneeCurve(theta: ArrayLike<number>, cycles: ArrayLike<number>, out: Float64Array): void {
  const q0 = theta[0]!;
  const amp = theta[1]!;
  const tau = Math.exp(theta[2]!);
  const b = theta[3]!;
  const a = theta[4]!;
  for (let i = 0; i < cycles.length; i++) {
    const c = cycles[i]!;
    out[i] = q0 - amp * -Math.expm1(-c / tau) - b * growth(a, c / KNEE_CYCLE_UNIT);
  }
}

export interface KneeProblem {
  y: Float64Array;
  cycles: Float64Array;
  /** Square-root forgetting weights of the checks. */
  sw: Float64Array;
  /** Noise scale of the prior row (σ·√block); 0 leaves a unpenalised. */
  priorScale: number;
  bounds: Bounds;
}

/** Residuals sw·(y − model), then the prior row (0 − σ·a/sd). */
function kneeResiduals(p: KneeProblem): (theta: Float64Array, out: Float64Array) => number {
  const n = p.y.length;
  const fit = new Float64Array(n);
  return (theta, out) => {
    kneeCurve(theta, p.cycles, fit);
    let c = 0;
    for (let i = 0; i < n; i++) {
      const r = p.sw[i]! * (p.y[i]! - fit[i]!);
      out[i] = r;
      c += r * r;
    }
    const r = (-p.priorScale * theta[4]!) / KNEE_GROWTH_PRIOR_SD;
    out[n] = r;
    return c + r * r;
  };
}

/** Refines θ (in place) from its current value; returns iterations. */
export function refineKnee(theta: Float64Array, free: readonly boolean[], p: KneeProblem, maxIter: number): number {
  return levenbergMarquardt(theta, free, kneeResiduals(p), p.y.length + 1, maxIter, p.bounds);
}

/** Multi-start LM over (τ, a), which the other parameters enter almost linearly. */
export function fitKnee(p: KneeProblem, fitOffset: boolean): { theta: Float64Array; free: boolean[]; iterations: number } {
  const { y, cycles, bounds } = p;
  const n = y.length;
  const free = [fitOffset && n >= 4, n >= 5, n >= 6, true, n >= 6];
  const span = Math.max(cycles[n - 1]! - cycles[0]!, 1e-9) / KNEE_CYCLE_UNIT;
  const slope = Math.min(KNEE_UPPER[3]!, Math.max(0, (y[0]! - y[n - 1]!) / span));
  const residuals = kneeResiduals(p);
  const scratch = new Float64Array(n + 1);
  let best: Float64Array | null = null;
  let bestCost = Infinity;
  let iterations = 0;
  for (const tau of [5, 15, 45]) {
    for (const a of [0, 0.5, 1, 2]) {
      if (!free[4] && a > 0) continue;
      const t = new Float64Array([free[0] ? Math.min(1.2, Math.max(0.8, y[0]!)) : 1, free[1] ? 0.02 : 0, Math.min(bounds.upper[2]!, Math.log(tau)), slope, 0]);
      t[4] = a;
      iterations += levenbergMarquardt(t, free, residuals, n + 1, 100, bounds);
      const c = residuals(t, scratch);
      if (c < bestCost) {
        bestCost = c;
        best = t;
      }
    }
  }
  return { theta: best!, free, iterations };
}
