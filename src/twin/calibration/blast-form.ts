/**
 * BLAST form: the chemistry's BLAST-Lite fade model (fade.ts; NREL BLAST-Lite, Smith et al.) with
 * three fitted parameters θ = [q0, ln f, p]: the capacity offset q0 (the check's normalisation),
 * the ageing factor f on every fade rate (fitted as ln f), and the exponent p of the cycling power
 * law, in the chemistry's own model's form, starting from its published value (0.778 NMC Kokam,
 * 1.128 LFP Sony-Murata, 0.699 NCA Panasonic, 1.08 LMO Nissan Leaf: fade.ts `publishedCycleExponent`).
 *
 * The one form that knows the duty: temperature (per check when given), DoD, C-rate, SOC window
 * and cycles per day enter through the model's stressors, so a module's own fitted factor and
 * exponent carry its rate to another application's duty (calibrateModule → simulate). On a
 * single-duty lab cell it predicts worse than a line (docs/calibration.md); it is not the default
 * forecast of a capacity history.
 * Valid range: the published model's (fade.ts / chemistry.ts) with f ∈ [0.02, 200], p ∈ [0.35, 1.8].
 */
import { chemistryModel } from '../chemistry.js';
import { FADE_STATE_SIZE, makeFadeContext, publishedCycleExponent, relativeCapacity, stepFade, type FadeFactors } from '../fade.js';
import type { Chemistry } from '../types.js';
import { levenbergMarquardt, type Bounds } from './fitter.js';

export const BLAST_PARAMETERS = 3;
export const BLAST_BOUNDS: Bounds = { lower: [0.8, Math.log(0.02), 0.35], upper: [1.2, Math.log(200), 1.8] };

/** The duty and chemistry the BLAST form integrates the fade model under. */
export interface BlastDuty {
  chemistry: Chemistry;
  temperatureC: number;
  dod: number;
  cRate: number;
  cyclesPerDay: number;
  socLow: number;
  socHigh: number;
  /** Scale the NMC knee (LAM) clock with the fitted ageing factor (BLAST's degradation-scalar convention). */
  scaleKnee: boolean;
}

export function blastFactors(theta: ArrayLike<number>, scaleKnee: boolean): FadeFactors {
  const f = Math.exp(theta[1]!);
  return { calendar: f, cycle: f, cycleExponent: theta[2]!, lam: scaleKnee ? f : 1 };
}

const state = new Float64Array(FADE_STATE_SIZE);

/** Model relative capacity at ascending cycle indices (fresh cell at cycle 0). */
export function blastCurve(theta: ArrayLike<number>, duty: BlastDuty, cycles: ArrayLike<number>, temps: ArrayLike<number> | null, out: Float64Array): void {
  const { fadeModel } = chemistryModel(duty.chemistry);
  const ctx = makeFadeContext(
    fadeModel,
    { dod: duty.dod, cRate: duty.cRate, socLow: duty.socLow, socHigh: duty.socHigh, efcPerDay: duty.cyclesPerDay * duty.dod },
    blastFactors(theta, duty.scaleKnee),
  );
  state.fill(0);
  let prev = 0;
  const q0 = theta[0]!;
  for (let i = 0; i < cycles.length; i++) {
    const c = cycles[i]!;
    const d = c - prev;
    if (d > 0) {
      const tK = (temps ? temps[i]! : duty.temperatureC) + 273.15;
      stepFade(state, ctx, d / duty.cyclesPerDay, d * duty.dod, tK);
    }
    prev = c;
    out[i] = q0 - (1 - relativeCapacity(state, ctx));
  }
}

export interface BlastProblem {
  y: Float64Array;
  cycles: Float64Array;
  temps: Float64Array | null;
  sw: Float64Array;
  duty: BlastDuty;
}

function blastResiduals(p: BlastProblem): (theta: Float64Array, out: Float64Array) => number {
  const n = p.y.length;
  const fit = new Float64Array(n);
  return (theta, out) => {
    blastCurve(theta, p.duty, p.cycles, p.temps, fit);
    let c = 0;
    for (let i = 0; i < n; i++) {
      const r = p.sw[i]! * (p.y[i]! - fit[i]!);
      out[i] = r;
      c += r * r;
    }
    return c;
  };
}

/** Refines θ (in place); returns iterations. */
export function refineBlast(theta: Float64Array, free: readonly boolean[], p: BlastProblem, maxIter: number): number {
  return levenbergMarquardt(theta, free, blastResiduals(p), p.y.length, maxIter, BLAST_BOUNDS);
}

/** Grid start over (ln f, p), then LM. */
export function fitBlast(p: BlastProblem, fitOffset: boolean): { theta: Float64Array; free: boolean[]; iterations: number } {
  const { y, cycles, temps, sw, duty } = p;
  const n = y.length;
  const { fadeModel } = chemistryModel(duty.chemistry);
  // Fit only what the points can carry: the ageing factor first, then the exponent, then the offset.
  const free = [fitOffset && n >= 4, true, n >= 3];
  const publishedExponent = publishedCycleExponent(fadeModel);
  const { lower, upper } = BLAST_BOUNDS;
  const theta = new Float64Array([free[0] ? y[0]! : 1, 0, publishedExponent]);
  for (let j = 0; j < 3; j++) theta[j] = Math.min(upper[j]!, Math.max(lower[j]!, theta[j]!));
  const fit = new Float64Array(n);
  // Start from the best point of a coarse grid over (ln f, p): f and p trade off strongly and
  // the knee makes the surface multi-modal, so LM alone can stall in a side valley.
  let best = Infinity;
  let bestLn = 0;
  let bestP = theta[2]!;
  const exponents = free[2] ? [publishedExponent, 0.5, 0.65, 0.8, 0.95, 1.1, 1.25, 1.4, 1.6] : [theta[2]!];
  for (const pe of exponents) {
    theta[2] = pe;
    for (let ln = lower[1]!; ln <= upper[1]!; ln += 0.25) {
      theta[1] = ln;
      blastCurve(theta, duty, cycles, temps, fit);
      let c = 0;
      for (let i = 0; i < n; i++) c += sw[i]! * sw[i]! * (y[i]! - fit[i]!) ** 2;
      if (c < best) {
        best = c;
        bestLn = ln;
        bestP = pe;
      }
    }
  }
  theta[1] = bestLn;
  theta[2] = bestP;
  const iterations = refineBlast(theta, free, p, 200);
  return { theta, free, iterations };
}
