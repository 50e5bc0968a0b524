/**
 * Calibration of a measured capacity history, and prediction with a band. Two model forms:
 *
 * `knee` (default; a cell's own future at the duty of its history): relative capacity in cycles
 *   q(N) = q0 − A·(1 − e^(−N/τ)) − b·(e^(a·x) − 1)/a,  x = N / 1000 cycles,
 * three mechanisms of the knee literature (Attia et al. 2022, "Knees in lithium-ion battery
 * aging trajectories", J. Electrochem. Soc. 169 060517): a break-in loss A that saturates with
 * the formation of the SEI in the first tens of cycles (An et al. 2016, Carbon 105, 52–76), a
 * steady loss of lithium inventory linear in cycles at constant duty (rate b), and a
 * self-reinforcing loss whose rate grows as e^(a·x) (loss of active material raising the
 * current density on what remains until lithium plates, Attia §"pathways"), a ≥ 0. The form
 * q = α·e^(β·N) + γ·e^(δ·N) is He et al. 2011's double-exponential capacity model (J. Power
 * Sources 196, 10314) with the growing branch written so a → 0 is the straight line.
 * τ is bounded to [3, τmax] cycles (τmax 50 by default): longer, the saturating term would stand
 * in for the whole history's curvature and flatten the extrapolation. a is not identified by a first life that
 * has not reached its knee, so it carries a Gaussian prior N(0, 1 per 1000 cycles) in the
 * least-squares objective (MAP estimate), with the data residuals scaled by the noise level
 * estimated from successive differences, inflated by √(block length) for serial correlation.
 * The knee form is a curve in cycles at the history's own duty: it does not use the prior's
 * temperature, DoD or C-rate, nor per-check temperatures (the BLAST form does), so it predicts a
 * cell's future under the duty it has seen, not under another application.
 * Both forms weight the checks with exponential forgetting (fading memory, as in Plett 2011,
 * J. Power Sources 196, 2319, for capacity estimation): the latest checks carry the current rate.
 * The knee form's forgetting span and τmax are by default not chosen at all (`select:
 * 'combined'`): the forecast is the equal-weight combination of the knee form at the 12 grid
 * settings and the `line` form (ordinary least squares through every check) — P50 the mean of the
 * members' fitted curves, the band the P10/P90 of their pooled bootstrap samples (a mixture, so it
 * also carries the spread between members); Bates & Granger 1969, Clemen 1989 (README, "Second
 * protocol"). `select: 'in-history'` chooses one setting by rolling-origin validation inside the
 * history (calibration-selection.ts); `select: 'fixed'` uses the given values or 0.5 of the span
 * and 50 cycles.
 *
 * `blast` (per-module calibration feeding the projection; see module-calibration.ts): the
 * BLAST-Lite model of the chemistry with fitted parameters (fitted in a transformed space, box-bounded): capacity offset q0 (the capacity
 * check's normalisation), ln f (ageing factor on every fade rate), p (exponent of the cycling
 * power law; the published 0.778 NMC / 1.128 LFP is the starting point). Optimiser: projected
 * Levenberg–Marquardt (Marquardt 1963; steps clipped to the box), forward-difference Jacobian.
 *
 * Band (both forms): moving-block residual bootstrap (Künsch 1989) — refit on the fitted curve plus resampled
 * residual blocks (blocks keep the serial correlation of real histories), then P10/P50/P90 of
 * bootstrap curve + a resampled residual at each predicted point (a prediction interval, not
 * only a confidence band of the curve).
 */
import { chemistryModel, type FadeModelId } from './chemistry.js';
import { FADE_STATE_SIZE, makeFadeContext, relativeCapacity, stepFade, type FadeFactors } from './fade.js';
import { CHEMISTRIES, type Chemistry } from './types.js';
import { TwinInputError } from './validate.js';
import {
  COMBINATION_MEMBERS,
  FIXED_POINT,
  SELECTION_GRID,
  equalWeights,
  leastSquaresLine,
  selectInHistory,
  type CalibrationSelection,
  type CombinedSelection,
  type GridPoint,
  type SelectionMode,
} from './calibration-selection.js';

export interface CapacityCheck {
  /** Cumulative cycle index at the check (cycles of depth `dod`). */
  cycle: number;
  /** Relative capacity (capacity / nominal), 0–1.5. */
  relativeCapacity: number;
  temperatureC?: number | null;
}

/** `line`: ordinary least squares through every check (the baseline; a member of the combination). */
export type CalibrationForm = 'knee' | 'blast' | 'line';

export interface CalibrationPrior {
  chemistry: Chemistry;
  /** Cell temperature when a check carries none. */
  temperatureC: number;
  dod: number;
  cRate: number;
  /** Cycles per day, to turn cycle index into time for calendar ageing. Default: back-to-back cycling, 24·cRate/(2·dod). */
  cyclesPerDay?: number;
  /** Mean SOC window (0–1); default the top `dod` of the range. */
  socLow?: number;
  socHigh?: number;
  /** Fit the capacity offset q0 (true for lab histories normalised to early cycles; false when capacity is relative to nameplate). */
  fitOffset?: boolean;
  /** Model form (see the header). Default `knee`. */
  form?: CalibrationForm;
  /** Scale the NMC knee (LAM) clock with the fitted ageing factor (BLAST's degradation-scalar convention). Default true. */
  scaleKnee?: boolean;
}

export interface CalibrationResult {
  chemistry: Chemistry;
  fadeModel: FadeModelId;
  factors: FadeFactors;
  capacityOffset: number;
  form: CalibrationForm;
  /**
   * Fitted parameters: `blast` [q0, ln f, p]; `knee` [q0, A, ln τ, b, a] (b, a per 1000 cycles);
   * `line` [intercept, slope per 1000 cycles]; empty for a combination (see `combination`).
   */
  theta: Float64Array;
  /** RMSE of the fit on the calibration points, relative capacity. */
  rmse: number;
  points: number;
  /** Bootstrap parameter sets, `bootstrap × theta.length`, and the residuals they draw noise from. */
  bootstrapTheta: Float64Array;
  residuals: Float64Array;
  blockLength: number;
  prior: Required<Omit<CalibrationPrior, 'fitOffset' | 'scaleKnee' | 'form'>> & { fitOffset: boolean; scaleKnee: boolean; form: CalibrationForm };
  iterations: number;
  /** How the forgetting span and τ bound were chosen, and what they are (or the combination's members and weights). */
  selection: CalibrationSelection;
  /**
   * `select: 'combined'`: the members' own calibrations (same order as `selection.members`) and
   * their weights; `predict` forms P50 and the band from them. For a combination, `theta` and
   * `bootstrapTheta` are empty, `rmse`/`residuals` are those of the weighted-mean fit and
   * `capacityOffset` is its value at cycle 0. Null otherwise.
   */
  combination: { members: CalibrationResult[]; weights: number[] } | null;
  /** Standard deviation of the model-form error per cycle beyond the last check (back-test). */
  extrapolationSdPerCycle: number;
  lastCycle: number;
}

export interface CalibrateOptions {
  /** Bootstrap replicates for the band (0: no band). Default 200. */
  bootstrap?: number;
  seed?: number;
  /** Forgetting time constant as a fraction of the history's cycle span (Infinity: equal weights). Default 0.5. */
  forgettingSpanFraction?: number;
  /** Widen the band beyond the last check by the back-tested extrapolation error. Default true. */
  backtest?: boolean;
  /** Knee form: upper bound of the break-in time constant τ, cycles (≥ 3). Default 50. */
  tauMaxCycles?: number;
  /**
   * Knee form: how the forgetting span and τ bound are chosen. `combined` (default for the knee
   * form unless `forgettingSpanFraction` or `tauMaxCycles` is given): no choice — equal-weight
   * combination of the 12 grid settings and the straight line (README, "Second protocol");
   * `bootstrap` replicates are split evenly over the 13 members (⌈B/13⌉ each).
   * `in-history`: rolling-origin validation inside the history (calibration-selection.ts);
   * `fixed`: the given values or 0.5 and 50. The BLAST and line forms are always `fixed`.
   */
  select?: SelectionMode;
  /** Grid for `in-history` selection. Default SELECTION_GRID. */
  selectionGrid?: readonly GridPoint[];
}

export interface Prediction {
  cycles: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

const BLAST_LOWER = [0.8, Math.log(0.02), 0.35];
const BLAST_UPPER = [1.2, Math.log(200), 1.8];
/** Knee form [q0, A, ln τ, b, a]: τ in cycles, b and a per 1000 cycles (see the header for the τ bounds). */
const KNEE_LOWER = [0.8, 0, Math.log(3), 0, 0];
const KNEE_UPPER = [1.2, 0.2, Math.log(50), 5, 5];
/** Prior on the knee's growth rate a, per 1000 cycles: mean 0 (no knee), standard deviation 1. */
const KNEE_GROWTH_PRIOR_SD = 1;
const KNEE_CYCLE_UNIT = 1000;

interface Bounds {
  lower: readonly number[];
  upper: readonly number[];
}

function boundsOf(form: CalibrationForm, tauMaxCycles = FIXED_POINT.tauMaxCycles): Bounds {
  if (form !== 'knee') return { lower: BLAST_LOWER, upper: BLAST_UPPER };
  const upper = [...KNEE_UPPER];
  upper[2] = Math.log(tauMaxCycles);
  return { lower: KNEE_LOWER, upper };
}

/** Parameter count of a result's form. */
function paramCount(form: CalibrationForm): number {
  return form === 'knee' ? 5 : form === 'line' ? 2 : 3;
}

function checkHistory(history: readonly CapacityCheck[]): void {
  if (!Array.isArray(history) || history.length === 0) throw new TwinInputError('calibration history is empty: need at least one capacity check');
  let prev = -Infinity;
  history.forEach((h, i) => {
    if (typeof h.cycle !== 'number' || !Number.isFinite(h.cycle) || h.cycle < 0) {
      throw new TwinInputError(`calibration history row ${i + 1}: cycle must be a non-negative number, got ${JSON.stringify(h.cycle)}`);
    }
    if (h.cycle <= prev) {
      throw new TwinInputError(`calibration history row ${i + 1}: cycle index ${h.cycle} is not after the previous ${prev} (cycle index must increase)`);
    }
    prev = h.cycle;
    const q = h.relativeCapacity;
    if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0 || q > 1.5) {
      throw new TwinInputError(`calibration history row ${i + 1}: capacity must be positive (relative capacity in (0, 1.5]), got ${JSON.stringify(q)}`);
    }
    if (h.temperatureC != null && (!Number.isFinite(h.temperatureC) || h.temperatureC < -40 || h.temperatureC > 90)) {
      throw new TwinInputError(`calibration history row ${i + 1}: temperature_c out of range, got ${h.temperatureC}`);
    }
  });
}

function resolvePrior(p: CalibrationPrior): CalibrationResult['prior'] {
  if (p.form != null && p.form !== 'knee' && p.form !== 'blast' && p.form !== 'line') {
    throw new TwinInputError(`unknown calibration form "${String(p.form)}" (expected knee, blast or line)`);
  }
  if (!(CHEMISTRIES as readonly string[]).includes(p.chemistry)) {
    throw new TwinInputError(`unknown chemistry "${String(p.chemistry)}" (expected one of ${CHEMISTRIES.join(', ')})`);
  }
  if (!(p.dod > 0 && p.dod <= 1)) throw new TwinInputError(`dod must be in (0, 1], got ${p.dod}`);
  if (!(p.cRate > 0 && p.cRate <= 20)) throw new TwinInputError(`c-rate must be in (0, 20], got ${p.cRate}`);
  if (!(Number.isFinite(p.temperatureC) && p.temperatureC > -40 && p.temperatureC < 90)) {
    throw new TwinInputError(`temperature must be in (−40, 90) °C, got ${p.temperatureC}`);
  }
  const socHigh = p.socHigh ?? 1;
  return {
    chemistry: p.chemistry,
    temperatureC: p.temperatureC,
    dod: p.dod,
    cRate: p.cRate,
    cyclesPerDay: p.cyclesPerDay ?? (24 * p.cRate) / (2 * p.dod),
    socLow: p.socLow ?? socHigh - p.dod,
    socHigh,
    fitOffset: p.fitOffset ?? true,
    scaleKnee: p.scaleKnee ?? true,
    form: p.form ?? 'knee',
  };
}

function factorsOf(theta: ArrayLike<number>, scaleKnee: boolean): FadeFactors {
  const f = Math.exp(theta[1]!);
  return { calendar: f, cycle: f, cycleExponent: theta[2]!, lam: scaleKnee ? f : 1 };
}

const state = new Float64Array(FADE_STATE_SIZE);

/** (e^(a·x) − 1)/a, continuous at a = 0 (the straight line x). */
function growth(a: number, x: number): number {
  const ax = a * x;
  return Math.abs(ax) < 1e-6 ? x * (1 + ax / 2 + (ax * ax) / 6) : Math.expm1(ax) / a;
}

/** Knee-form relative capacity at the given cycle indices (any order). */
function kneeCurve(theta: ArrayLike<number>, cycles: ArrayLike<number>, out: Float64Array): void {
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

/** Line form: intercept + slope · N/1000. */
function lineCurve(theta: ArrayLike<number>, cycles: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < cycles.length; i++) out[i] = theta[0]! + theta[1]! * (cycles[i]! / KNEE_CYCLE_UNIT);
}

/** Ordinary least squares line [intercept, slope per 1000 cycles] (a constant through one check). */
function fitLineTheta(y: ArrayLike<number>, cycles: ArrayLike<number>): Float64Array {
  const { intercept, slope } = leastSquaresLine(cycles, y);
  return new Float64Array([intercept, slope * KNEE_CYCLE_UNIT]);
}

/** Model relative capacity at ascending cycle indices (fresh cell at cycle 0). */
function curve(
  theta: ArrayLike<number>,
  prior: CalibrationResult['prior'],
  cycles: ArrayLike<number>,
  temps: ArrayLike<number> | null,
  out: Float64Array,
): void {
  if (prior.form === 'knee') kneeCurve(theta, cycles, out);
  else if (prior.form === 'line') lineCurve(theta, cycles, out);
  else blastCurve(theta, prior, cycles, temps, out);
}

function blastCurve(
  theta: ArrayLike<number>,
  prior: CalibrationResult['prior'],
  cycles: ArrayLike<number>,
  temps: ArrayLike<number> | null,
  out: Float64Array,
): void {
  const { fadeModel } = chemistryModel(prior.chemistry);
  const ctx = makeFadeContext(
    fadeModel,
    { dod: prior.dod, cRate: prior.cRate, socLow: prior.socLow, socHigh: prior.socHigh, efcPerDay: prior.cyclesPerDay * prior.dod },
    factorsOf(theta, prior.scaleKnee),
  );
  state.fill(0);
  let prev = 0;
  const q0 = theta[0]!;
  for (let i = 0; i < cycles.length; i++) {
    const c = cycles[i]!;
    const d = c - prev;
    if (d > 0) {
      const tK = (temps ? temps[i]! : prior.temperatureC) + 273.15;
      stepFade(state, ctx, d / prior.cyclesPerDay, d * prior.dod, tK);
    }
    prev = c;
    out[i] = q0 - (1 - relativeCapacity(state, ctx));
  }
}

/** Solve the 3×3 (or smaller, with fixed parameters) normal equations by Gaussian elimination. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const m = new Float64Array(a);
  const x = new Float64Array(b);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[piv * n + k]!)) piv = i;
    if (Math.abs(m[piv * n + k]!) < 1e-300) return null;
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[piv * n + j]!;
        m[piv * n + j] = t;
      }
      const t = x[k]!;
      x[k] = x[piv]!;
      x[piv] = t;
    }
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / m[k * n + k]!;
      for (let j = k; j < n; j++) m[i * n + j]! -= f * m[k * n + j]!;
      x[i]! -= f * x[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= m[i * n + j]! * x[j]!;
    x[i] = s / m[i * n + i]!;
  }
  return x;
}

function sse(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
}

/**
 * Residuals of the objective at θ: sw·(y − model) for the checks, then for the knee form one
 * prior row (0 − σ·a/sd): a Gaussian prior N(0, sd²) on a when the checks' residuals have noise σ.
 */
function residualsAt(
  theta: ArrayLike<number>,
  y: Float64Array,
  cycles: Float64Array,
  temps: Float64Array | null,
  prior: CalibrationResult['prior'],
  sw: Float64Array,
  priorScale: number,
  fit: Float64Array,
  out: Float64Array,
): number {
  const n = y.length;
  curve(theta, prior, cycles, temps, fit);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const r = sw[i]! * (y[i]! - fit[i]!);
    out[i] = r;
    c += r * r;
  }
  if (out.length > n) {
    const r = (-priorScale * theta[4]!) / KNEE_GROWTH_PRIOR_SD;
    out[n] = r;
    c += r * r;
  }
  return c;
}

/** Projected Levenberg–Marquardt on the free parameters; returns iterations used. */
function levenbergMarquardt(
  theta: Float64Array,
  free: boolean[],
  y: Float64Array,
  cycles: Float64Array,
  temps: Float64Array | null,
  prior: CalibrationResult['prior'],
  maxIter: number,
  sw: Float64Array,
  priorScale: number,
  { lower, upper }: Bounds,
): number {
  const n = y.length;
  const np = theta.length;
  const m = n + (prior.form === 'knee' ? 1 : 0);
  const fit = new Float64Array(n);
  const res = new Float64Array(m);
  const trialRes = new Float64Array(m);
  const jac = new Float64Array(m * np);
  const idx = free.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
  const k = idx.length;
  let lambda = 1e-3;
  let cost = residualsAt(theta, y, cycles, temps, prior, sw, priorScale, fit, res);
  let it = 0;
  for (; it < maxIter; it++) {
    for (let a = 0; a < k; a++) {
      const j = idx[a]!;
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      const saved = theta[j]!;
      theta[j] = saved + h;
      residualsAt(theta, y, cycles, temps, prior, sw, priorScale, fit, trialRes);
      theta[j] = saved;
      // d(model)/dθ = −d(residual)/dθ.
      for (let i = 0; i < m; i++) jac[i * np + a] = (res[i]! - trialRes[i]!) / h;
    }
    const jtj = new Float64Array(k * k);
    const jtr = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < k; a++) {
        jtr[a]! += jac[i * np + a]! * res[i]!;
        for (let b = 0; b < k; b++) jtj[a * k + b]! += jac[i * np + a]! * jac[i * np + b]!;
      }
    }
    let improved = false;
    for (let attempt = 0; attempt < 12; attempt++) {
      const damped = new Float64Array(jtj);
      for (let a = 0; a < k; a++) damped[a * k + a]! += lambda * (jtj[a * k + a]! + 1e-12);
      const step = solve(damped, jtr, k);
      if (!step) {
        lambda *= 10;
        continue;
      }
      const cand = new Float64Array(theta);
      for (let a = 0; a < k; a++) {
        const j = idx[a]!;
        cand[j] = Math.min(upper[j]!, Math.max(lower[j]!, theta[j]! + step[a]!));
      }
      const c = residualsAt(cand, y, cycles, temps, prior, sw, priorScale, fit, trialRes);
      if (Number.isFinite(c) && c < cost) {
        const rel = (cost - c) / Math.max(cost, 1e-300);
        theta.set(cand);
        res.set(trialRes);
        cost = c;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-10) return it + 1;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return it;
}

/** xorshift32: a small seeded PRNG for the bootstrap (deterministic results). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function unpack(history: readonly CapacityCheck[], prior: CalibrationResult['prior']) {
  const n = history.length;
  const cycles = new Float64Array(n);
  const y = new Float64Array(n);
  const hasT = history.some((h) => h.temperatureC != null);
  const temps = hasT ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    cycles[i] = history[i]!.cycle;
    y[i] = history[i]!.relativeCapacity;
    if (temps) temps[i] = history[i]!.temperatureC ?? prior.temperatureC;
  }
  return { cycles, y, temps };
}

/**
 * Exponential forgetting (as in recursive least squares with a forgetting factor): recent checks
 * carry the current ageing regime; weight e^(−Δcycle/τ) with τ = `fraction` of the observed span.
 * Returned as square roots (they multiply residuals).
 */
function forgettingWeights(cycles: Float64Array, fraction: number): Float64Array {
  const n = cycles.length;
  const tau = fraction * (cycles[n - 1]! - cycles[0]!);
  const sw = new Float64Array(n);
  for (let i = 0; i < n; i++) sw[i] = tau > 0 && Number.isFinite(tau) ? Math.exp(-(cycles[n - 1]! - cycles[i]!) / (2 * tau)) : 1;
  return sw;
}

/** Noise level of a history from successive differences (the trend between neighbours cancels). */
function noiseLevel(y: Float64Array): number {
  if (y.length < 3) return 0.01;
  let s = 0;
  for (let i = 1; i < y.length; i++) s += (y[i]! - y[i - 1]!) ** 2;
  return Math.max(1e-4, Math.sqrt(s / (2 * (y.length - 1))));
}

function costOf(theta: Float64Array, y: Float64Array, cycles: Float64Array, temps: Float64Array | null, prior: CalibrationResult['prior'], sw: Float64Array, priorScale: number): number {
  const n = y.length;
  return residualsAt(theta, y, cycles, temps, prior, sw, priorScale, new Float64Array(n), new Float64Array(n + (prior.form === 'knee' ? 1 : 0)));
}

/** Knee form: multi-start LM over (τ, a), which the other parameters enter almost linearly. */
function fitKnee(y: Float64Array, cycles: Float64Array, prior: CalibrationResult['prior'], sw: Float64Array, priorScale: number, bounds: Bounds): { theta: Float64Array; free: boolean[]; iterations: number } {
  const n = y.length;
  const free = [prior.fitOffset && n >= 4, n >= 5, n >= 6, true, n >= 6];
  const span = Math.max(cycles[n - 1]! - cycles[0]!, 1e-9) / KNEE_CYCLE_UNIT;
  const slope = Math.min(KNEE_UPPER[3]!, Math.max(0, (y[0]! - y[n - 1]!) / span));
  let best: Float64Array | null = null;
  let bestCost = Infinity;
  let iterations = 0;
  for (const tau of [5, 15, 45]) {
    for (const a of [0, 0.5, 1, 2]) {
      if (!free[4] && a > 0) continue;
      const t = new Float64Array([free[0] ? Math.min(1.2, Math.max(0.8, y[0]!)) : 1, free[1] ? 0.02 : 0, Math.min(bounds.upper[2]!, Math.log(tau)), slope, 0]);
      t[4] = a;
      iterations += levenbergMarquardt(t, free, y, cycles, null, prior, 100, sw, priorScale, bounds);
      const c = costOf(t, y, cycles, null, prior, sw, priorScale);
      if (c < bestCost) {
        bestCost = c;
        best = t;
      }
    }
  }
  return { theta: best!, free, iterations };
}

/** BLAST form: grid start over (ln f, p), then LM. */
function fitBlast(y: Float64Array, cycles: Float64Array, temps: Float64Array | null, prior: CalibrationResult['prior'], sw: Float64Array): { theta: Float64Array; free: boolean[]; iterations: number } {
  const n = y.length;
  const { fadeModel } = chemistryModel(prior.chemistry);
  // Fit only what the points can carry: the ageing factor first, then the exponent, then the offset.
  const free = [prior.fitOffset && n >= 4, true, n >= 3];
  const publishedExponent = fadeModel === 'NMC_KOKAM' ? 0.778 : 1.128;
  // Start: offset from the first checks, exponent as published, factor from a 1-D scan.
  const theta = new Float64Array([free[0] ? y[0]! : 1, 0, publishedExponent]);
  for (let j = 0; j < 3; j++) theta[j] = Math.min(BLAST_UPPER[j]!, Math.max(BLAST_LOWER[j]!, theta[j]!));
  const fit = new Float64Array(n);
  // Start from the best point of a coarse grid over (ln f, p): f and p trade off strongly and
  // the knee makes the surface multi-modal, so LM alone can stall in a side valley.
  let best = Infinity;
  let bestLn = 0;
  let bestP = theta[2]!;
  const exponents = free[2] ? [0.5, 0.65, 0.8, 0.95, 1.1, 1.25, 1.4, 1.6] : [theta[2]!];
  for (const pe of exponents) {
    theta[2] = pe;
    for (let ln = BLAST_LOWER[1]!; ln <= BLAST_UPPER[1]!; ln += 0.25) {
      theta[1] = ln;
      curve(theta, prior, cycles, temps, fit);
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
  const iterations = levenbergMarquardt(theta, free, y, cycles, temps, prior, 200, sw, 0, boundsOf('blast'));
  return { theta, free, iterations };
}

/** The forgetting span and τ bound to fit with: given, fixed defaults, chosen inside the history, or the combination's members. */
function chooseSettings(history: readonly CapacityCheck[], priorIn: CalibrationPrior, form: CalibrationForm, opts: CalibrateOptions): CalibrationSelection {
  const given = opts.forgettingSpanFraction != null || opts.tauMaxCycles != null;
  if (opts.select != null && opts.select !== 'fixed' && opts.select !== 'in-history' && opts.select !== 'combined') {
    throw new TwinInputError(`unknown selection "${String(opts.select)}" (expected combined, in-history or fixed)`);
  }
  const mode: SelectionMode = opts.select ?? (form === 'knee' && !given ? 'combined' : 'fixed');
  if (mode !== 'fixed') {
    if (form !== 'knee') throw new TwinInputError(`select: ${mode} applies to the knee form only`);
    if (given) throw new TwinInputError(`select: ${mode} does not take forgettingSpanFraction or tauMaxCycles; pass select: fixed to set them`);
  }
  if (opts.selectionGrid != null && mode !== 'in-history') throw new TwinInputError(`selectionGrid applies to select: in-history only (this is ${mode})`);
  if (mode === 'combined') {
    return { mode, members: COMBINATION_MEMBERS.map((m) => ({ ...m })), weights: equalWeights(COMBINATION_MEMBERS.length), validation: null };
  }
  if (mode === 'in-history') {
    // Each grid point is refitted on the history's early checks (no band: only P50 is scored).
    return selectInHistory(history, (train, point, at) => {
      const cal = calibrate(train, priorIn, { bootstrap: 0, backtest: false, select: 'fixed', ...point });
      return predict(cal, at).p50;
    }, opts.selectionGrid ?? SELECTION_GRID);
  }
  if (form === 'line' && opts.forgettingSpanFraction != null) throw new TwinInputError('the line form is unweighted (ordinary least squares): forgettingSpanFraction does not apply');
  const forgettingSpanFraction = form === 'line' ? Infinity : opts.forgettingSpanFraction ?? FIXED_POINT.forgettingSpanFraction;
  const tauMaxCycles = opts.tauMaxCycles ?? FIXED_POINT.tauMaxCycles;
  if (!(forgettingSpanFraction > 0)) throw new TwinInputError(`forgettingSpanFraction must be positive (Infinity: equal weights), got ${forgettingSpanFraction}`);
  if (!(Number.isFinite(tauMaxCycles) && tauMaxCycles > Math.exp(KNEE_LOWER[2]!))) {
    throw new TwinInputError(`tauMaxCycles must be a finite number of cycles above ${Math.exp(KNEE_LOWER[2]!).toFixed(0)}, got ${tauMaxCycles}`);
  }
  return { mode, forgettingSpanFraction, tauMaxCycles, validation: null };
}

/**
 * Forecast combination (README, "Second protocol"): every member calibrated on the whole history
 * as a single calibration would be, with ⌈B/members⌉ bootstrap replicates each (member k seeded
 * seed + k) so that each contributes the same number of samples to the mixture.
 */
function calibrateCombined(history: readonly CapacityCheck[], priorIn: CalibrationPrior, prior: CalibrationResult['prior'], opts: CalibrateOptions, selection: CombinedSelection): CalibrationResult {
  const nBoot = opts.bootstrap ?? 200;
  const perMember = Math.ceil(nBoot / selection.members.length);
  const seed = opts.seed ?? 12345;
  const members = selection.members.map((m, k) => {
    const common = { bootstrap: perMember, seed: seed + k, backtest: opts.backtest, select: 'fixed' as const };
    return m.kind === 'line'
      ? calibrate(history, { ...priorIn, form: 'line' }, common)
      : calibrate(history, priorIn, { ...common, forgettingSpanFraction: m.forgettingSpanFraction, tauMaxCycles: m.tauMaxCycles });
  });
  const { cycles, y } = unpack(history, prior);
  const n = y.length;
  const fit = combinedCurve(members, selection.weights, cycles);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - fit[i]!;
  const { fadeModel } = chemistryModel(prior.chemistry);
  return {
    chemistry: prior.chemistry,
    fadeModel,
    form: prior.form,
    extrapolationSdPerCycle: 0,
    selection,
    combination: { members, weights: [...selection.weights] },
    lastCycle: cycles[n - 1]!,
    factors: { calendar: 1, cycle: 1, cycleExponent: Number.NaN },
    capacityOffset: combinedCurve(members, selection.weights, new Float64Array([0]))[0]!,
    theta: new Float64Array(0),
    rmse: Math.sqrt(sse(residuals) / n),
    points: n,
    bootstrapTheta: new Float64Array(0),
    residuals,
    blockLength: Math.max(1, Math.round(Math.sqrt(n))),
    prior,
    iterations: members.reduce((s, m) => s + m.iterations, 0),
  };
}

/** Weighted mean of the members' point forecasts (their fitted curves) at ascending cycles. */
function combinedCurve(members: readonly CalibrationResult[], weights: readonly number[], cycles: Float64Array): Float64Array {
  const out = new Float64Array(cycles.length);
  const c = new Float64Array(cycles.length);
  members.forEach((m, k) => {
    curve(m.theta, m.prior, cycles, null, c);
    for (let i = 0; i < c.length; i++) out[i]! += weights[k]! * c[i]!;
  });
  return out;
}

/** Fit the model to a capacity history. */
export function calibrate(history: readonly CapacityCheck[], priorIn: CalibrationPrior, opts: CalibrateOptions = {}): CalibrationResult {
  checkHistory(history);
  const prior = resolvePrior(priorIn);
  const { fadeModel } = chemistryModel(prior.chemistry);
  const selection = chooseSettings(history, priorIn, prior.form, opts);
  if (selection.mode === 'combined') return calibrateCombined(history, priorIn, prior, opts, selection);
  const { cycles, y, temps } = unpack(history, prior);
  const n = y.length;
  const knee = prior.form === 'knee';
  const line = prior.form === 'line';
  const np = paramCount(prior.form);
  const forgetting = selection.forgettingSpanFraction;
  const bounds = boundsOf(prior.form, selection.tauMaxCycles);
  const sw = forgettingWeights(cycles, forgetting);
  const blockLength = Math.max(1, Math.round(Math.sqrt(n)));
  // σ of the checks' noise, inflated for the serial correlation a block bootstrap also assumes.
  const priorScale = knee ? noiseLevel(y) * Math.sqrt(blockLength) : 0;
  const { theta, free, iterations } = knee
    ? fitKnee(y, cycles, prior, sw, priorScale, bounds)
    : line
      ? { theta: fitLineTheta(y, cycles), free: [true, true], iterations: 0 }
      : fitBlast(y, cycles, temps, prior, sw);
  const fit = new Float64Array(n);
  curve(theta, prior, cycles, temps, fit);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - fit[i]!;
  const rmse = Math.sqrt(sse(residuals) / n);

  const nBoot = opts.bootstrap ?? 200;
  const bootstrapTheta = new Float64Array(nBoot * np);
  const rand = rng(opts.seed ?? 12345);
  const yb = new Float64Array(n);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < n; ) {
      const start = Math.floor(rand() * Math.max(1, n - blockLength + 1));
      for (let j = 0; j < blockLength && i < n; j++, i++) yb[i] = fit[i]! + residuals[start + j]!;
    }
    if (line) {
      bootstrapTheta.set(fitLineTheta(yb, cycles), b * np);
      continue;
    }
    const tb = new Float64Array(theta);
    levenbergMarquardt(tb, free, yb, cycles, temps, prior, 40, sw, priorScale, bounds);
    bootstrapTheta.set(tb, b * np);
  }

  // Back-test for model-form error: refit on the first 60 % of the checks, predict the rest, and
  // attribute the error beyond the noise to extrapolation, growing linearly with the distance
  // ahead (rolling-origin evaluation). Bootstrap bands alone assume the model form is right.
  let extrapolationSdPerCycle = 0;
  if (n >= 20 && opts.backtest !== false) {
    const cut = Math.floor(0.6 * n);
    const head = y.subarray(0, cut);
    const headCycles = cycles.subarray(0, cut);
    const headSw = forgettingWeights(headCycles, forgetting);
    const tb = knee
      ? fitKnee(head, headCycles, prior, headSw, priorScale, bounds).theta
      : line
        ? fitLineTheta(head, headCycles)
        : (() => {
          const t = new Float64Array(theta);
          levenbergMarquardt(t, free, head, headCycles, temps ? temps.subarray(0, cut) : null, prior, 100, headSw, 0, bounds);
          return t;
        })();
    const back = new Float64Array(n);
    curve(tb, prior, cycles, temps, back);
    let e2 = 0;
    let h2 = 0;
    for (let i = cut; i < n; i++) {
      e2 += (y[i]! - back[i]!) ** 2;
      h2 += (cycles[i]! - cycles[cut - 1]!) ** 2;
    }
    const excess = e2 - (n - cut) * rmse * rmse;
    extrapolationSdPerCycle = excess > 0 && h2 > 0 ? Math.sqrt(excess / h2) : 0;
  }

  return {
    chemistry: prior.chemistry,
    fadeModel,
    form: prior.form,
    extrapolationSdPerCycle,
    selection,
    combination: null,
    lastCycle: cycles[n - 1]!,
    factors: knee || line ? { calendar: 1, cycle: 1, cycleExponent: Number.NaN } : factorsOf(theta, prior.scaleKnee),
    capacityOffset: theta[0]!,
    theta,
    rmse,
    points: n,
    bootstrapTheta,
    residuals,
    blockLength,
    prior,
    iterations,
  };
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface PredictOptions {
  seed?: number;
  /** Noise draws per bootstrap curve for the prediction interval. Default 5. */
  noiseDraws?: number;
}

/**
 * Bootstrap-plus-noise samples of one (single-form) calibration at `cycles`: `draws` rows per
 * bootstrap curve, each the curve + a resampled residual + the model-form error ahead of the last
 * check. Row-major, `rows × cycles.length`.
 */
function sampleRows(cal: CalibrationResult, cycles: Float64Array, draws: number, rand: () => number): Float64Array {
  const n = cycles.length;
  const np = cal.theta.length;
  const nBoot = cal.bootstrapTheta.length / np;
  const samples = new Float64Array(nBoot * draws * n);
  const c = new Float64Array(n);
  const res = cal.residuals;
  for (let b = 0; b < nBoot; b++) {
    curve(cal.bootstrapTheta.subarray(b * np, b * np + np), cal.prior, cycles, null, c);
    for (let d = 0; d < draws; d++) {
      const row = (b * draws + d) * n;
      for (let i = 0; i < n; i++) {
        let v = c[i]! + res[Math.floor(rand() * res.length)]!;
        const ahead = cycles[i]! - cal.lastCycle;
        if (ahead > 0 && cal.extrapolationSdPerCycle > 0) {
          // Box–Muller normal draw for the model-form error at this distance ahead.
          const u1 = (rand() + 1e-12) / (1 + 1e-12);
          v += cal.extrapolationSdPerCycle * ahead * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
        }
        samples[row + i] = v;
      }
    }
  }
  return samples;
}

/** P10/P50/P90 of relative capacity at ascending cycle indices. */
export function predict(cal: CalibrationResult, cyclesIn: readonly number[], opts: PredictOptions = {}): Prediction {
  const n = cyclesIn.length;
  for (let i = 1; i < n; i++) {
    if (!(cyclesIn[i]! > cyclesIn[i - 1]!)) throw new TwinInputError(`predict: cycle index must increase (position ${i + 1}: ${cyclesIn[i]})`);
  }
  const cycles = Float64Array.from(cyclesIn);
  const draws = opts.noiseDraws ?? 5;
  const seed = opts.seed ?? 777;
  if (cal.combination) return predictCombined(cal.combination, cycles, draws, seed);
  const p50c = new Float64Array(n);
  curve(cal.theta, cal.prior, cycles, null, p50c);
  const nBoot = cal.bootstrapTheta.length / cal.theta.length;
  const result: Prediction = { cycles: [...cyclesIn], p10: [], p50: Array.from(p50c), p90: [] };
  if (nBoot === 0) {
    result.p10 = [...result.p50];
    result.p90 = [...result.p50];
    return result;
  }
  const samples = sampleRows(cal, cycles, draws, rng(seed));
  const rows = nBoot * draws;
  const column = new Float64Array(rows);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rows; r++) column[r] = samples[r * n + i]!;
    column.sort();
    result.p10.push(quantile(column, 0.1));
    result.p50[i] = quantile(column, 0.5);
    result.p90.push(quantile(column, 0.9));
  }
  return result;
}

/**
 * Combination: P50 = weighted mean of the members' point forecasts; P10/P90 = quantiles of the
 * members' pooled samples (member k's noise seeded seed + k). Equal weights and equal replicate
 * counts make the pooled sample the equal-weight mixture. A mean outside [P10, P90] widens the band.
 */
function predictCombined(comb: NonNullable<CalibrationResult['combination']>, cycles: Float64Array, draws: number, seed: number): Prediction {
  const n = cycles.length;
  const { members, weights } = comb;
  const p50 = combinedCurve(members, weights, cycles);
  const result: Prediction = { cycles: Array.from(cycles), p10: [], p50: Array.from(p50), p90: [] };
  const reps = members.map((m) => m.bootstrapTheta.length / m.theta.length);
  if (reps.some((r) => r !== reps[0]) || weights.some((w) => Math.abs(w - weights[0]!) > 1e-12)) {
    throw new TwinInputError('a combination needs equal weights and equal bootstrap replicates per member (its band pools their samples)');
  }
  if (reps[0] === 0) {
    result.p10 = [...result.p50];
    result.p90 = [...result.p50];
    return result;
  }
  const perMember = reps[0]! * draws;
  const pooled = members.map((m, k) => sampleRows(m, cycles, draws, rng(seed + k)));
  const column = new Float64Array(perMember * members.length);
  for (let i = 0; i < n; i++) {
    pooled.forEach((smp, k) => {
      for (let r = 0; r < perMember; r++) column[k * perMember + r] = smp[r * n + i]!;
    });
    column.sort();
    result.p10.push(Math.min(quantile(column, 0.1), p50[i]!));
    result.p90.push(Math.max(quantile(column, 0.9), p50[i]!));
  }
  return result;
}
