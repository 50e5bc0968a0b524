/**
 * Calibration of the fade model to a measured capacity history, and prediction with a band.
 *
 * Parameters (fitted in a transformed space, box-bounded): capacity offset q0 (the capacity
 * check's normalisation), ln f (ageing factor on every fade rate), p (exponent of the cycling
 * power law; the published 0.778 NMC / 1.128 LFP is the starting point). Optimiser: projected
 * Levenberg–Marquardt (Marquardt 1963; steps clipped to the box), forward-difference Jacobian.
 * Band: moving-block residual bootstrap (Künsch 1989) — refit on the fitted curve plus resampled
 * residual blocks (blocks keep the serial correlation of real histories), then P10/P50/P90 of
 * bootstrap curve + a resampled residual at each predicted point (a prediction interval, not
 * only a confidence band of the curve).
 */
import { chemistryModel, type FadeModelId } from './chemistry.js';
import { FADE_STATE_SIZE, makeFadeContext, relativeCapacity, stepFade, type FadeFactors } from './fade.js';
import { CHEMISTRIES, type Chemistry } from './types.js';
import { TwinInputError } from './validate.js';

export interface CapacityCheck {
  /** Cumulative cycle index at the check (cycles of depth `dod`). */
  cycle: number;
  /** Relative capacity (capacity / nominal), 0–1.5. */
  relativeCapacity: number;
  temperatureC?: number | null;
}

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
  /** Scale the NMC knee (LAM) clock with the fitted ageing factor (BLAST's degradation-scalar convention). Default true. */
  scaleKnee?: boolean;
}

export interface CalibrationResult {
  chemistry: Chemistry;
  fadeModel: FadeModelId;
  factors: FadeFactors;
  capacityOffset: number;
  /** Fitted parameters [q0, ln f, p] and their bounds. */
  theta: Float64Array;
  /** RMSE of the fit on the calibration points, relative capacity. */
  rmse: number;
  points: number;
  /** Bootstrap parameter sets, `bootstrap × 3`, and the residuals they draw noise from. */
  bootstrapTheta: Float64Array;
  residuals: Float64Array;
  blockLength: number;
  prior: Required<Omit<CalibrationPrior, 'fitOffset' | 'scaleKnee'>> & { fitOffset: boolean; scaleKnee: boolean };
  iterations: number;
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
}

export interface Prediction {
  cycles: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

const LOWER = [0.8, Math.log(0.02), 0.35];
const UPPER = [1.2, Math.log(200), 1.8];
const NP = 3;

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
  };
}

function factorsOf(theta: ArrayLike<number>, scaleKnee: boolean): FadeFactors {
  const f = Math.exp(theta[1]!);
  return { calendar: f, cycle: f, cycleExponent: theta[2]!, lam: scaleKnee ? f : 1 };
}

const state = new Float64Array(FADE_STATE_SIZE);

/** Model relative capacity at ascending cycle indices (fresh cell at cycle 0). */
function curve(
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
): number {
  const n = y.length;
  const fit = new Float64Array(n);
  const trial = new Float64Array(n);
  const res = new Float64Array(n);
  const jac = new Float64Array(n * NP);
  const idx = free.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
  const k = idx.length;
  let lambda = 1e-3;
  curve(theta, prior, cycles, temps, fit);
  for (let i = 0; i < n; i++) res[i] = sw[i]! * (y[i]! - fit[i]!);
  let cost = sse(res);
  let it = 0;
  for (; it < maxIter; it++) {
    for (let a = 0; a < k; a++) {
      const j = idx[a]!;
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      const saved = theta[j]!;
      theta[j] = saved + h;
      curve(theta, prior, cycles, temps, trial);
      theta[j] = saved;
      for (let i = 0; i < n; i++) jac[i * NP + a] = (sw[i]! * (trial[i]! - fit[i]!)) / h;
    }
    const jtj = new Float64Array(k * k);
    const jtr = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < k; a++) {
        jtr[a]! += jac[i * NP + a]! * res[i]!;
        for (let b = 0; b < k; b++) jtj[a * k + b]! += jac[i * NP + a]! * jac[i * NP + b]!;
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
        cand[j] = Math.min(UPPER[j]!, Math.max(LOWER[j]!, theta[j]! + step[a]!));
      }
      curve(cand, prior, cycles, temps, trial);
      let c = 0;
      for (let i = 0; i < n; i++) {
        const r = sw[i]! * (y[i]! - trial[i]!);
        c += r * r;
      }
      if (Number.isFinite(c) && c < cost) {
        const rel = (cost - c) / Math.max(cost, 1e-300);
        theta.set(cand);
        fit.set(trial);
        for (let i = 0; i < n; i++) res[i] = sw[i]! * (y[i]! - fit[i]!);
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

/** Fit the model to a capacity history. */
export function calibrate(history: readonly CapacityCheck[], priorIn: CalibrationPrior, opts: CalibrateOptions = {}): CalibrationResult {
  checkHistory(history);
  const prior = resolvePrior(priorIn);
  const { fadeModel } = chemistryModel(prior.chemistry);
  const { cycles, y, temps } = unpack(history, prior);
  const n = y.length;
  // Fit only what the points can carry: the ageing factor first, then the exponent, then the offset.
  const free = [prior.fitOffset && n >= 4, true, n >= 3];
  const publishedExponent = fadeModel === 'NMC_KOKAM' ? 0.778 : 1.128;

  // Start: offset from the first checks, exponent as published, factor from a 1-D scan.
  const theta = new Float64Array([free[0] ? y[0]! : 1, 0, publishedExponent]);
  for (let j = 0; j < NP; j++) theta[j] = Math.min(UPPER[j]!, Math.max(LOWER[j]!, theta[j]!));
  const forgetting = opts.forgettingSpanFraction ?? 0.5;
  const sw = forgettingWeights(cycles, forgetting);
  const fit = new Float64Array(n);
  // Start from the best point of a coarse grid over (ln f, p): f and p trade off strongly and
  // the knee makes the surface multi-modal, so LM alone can stall in a side valley.
  let best = Infinity;
  let bestLn = 0;
  let bestP = theta[2]!;
  const exponents = free[2] ? [0.5, 0.65, 0.8, 0.95, 1.1, 1.25, 1.4, 1.6] : [theta[2]!];
  for (const pe of exponents) {
    theta[2] = pe;
    for (let ln = LOWER[1]!; ln <= UPPER[1]!; ln += 0.25) {
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
  const iterations = levenbergMarquardt(theta, free, y, cycles, temps, prior, 200, sw);
  curve(theta, prior, cycles, temps, fit);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - fit[i]!;
  const rmse = Math.sqrt(sse(residuals) / n);

  const nBoot = opts.bootstrap ?? 200;
  const blockLength = Math.max(1, Math.round(Math.sqrt(n)));
  const bootstrapTheta = new Float64Array(nBoot * NP);
  const rand = rng(opts.seed ?? 12345);
  const yb = new Float64Array(n);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < n; ) {
      const start = Math.floor(rand() * Math.max(1, n - blockLength + 1));
      for (let j = 0; j < blockLength && i < n; j++, i++) yb[i] = fit[i]! + residuals[start + j]!;
    }
    const tb = new Float64Array(theta);
    levenbergMarquardt(tb, free, yb, cycles, temps, prior, 40, sw);
    bootstrapTheta.set(tb, b * NP);
  }

  // Back-test for model-form error: refit on the first 60 % of the checks, predict the rest, and
  // attribute the error beyond the noise to extrapolation, growing linearly with the distance
  // ahead (rolling-origin evaluation). Bootstrap bands alone assume the model form is right.
  let extrapolationSdPerCycle = 0;
  if (n >= 20 && opts.backtest !== false) {
    const cut = Math.floor(0.6 * n);
    const tb = new Float64Array(theta);
    levenbergMarquardt(tb, free, y.subarray(0, cut), cycles.subarray(0, cut), temps ? temps.subarray(0, cut) : null, prior, 100, forgettingWeights(cycles.subarray(0, cut), forgetting));
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
    extrapolationSdPerCycle,
    lastCycle: cycles[n - 1]!,
    factors: factorsOf(theta, prior.scaleKnee),
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

/** P10/P50/P90 of relative capacity at ascending cycle indices. */
export function predict(cal: CalibrationResult, cyclesIn: readonly number[], opts: PredictOptions = {}): Prediction {
  const n = cyclesIn.length;
  for (let i = 1; i < n; i++) {
    if (!(cyclesIn[i]! > cyclesIn[i - 1]!)) throw new TwinInputError(`predict: cycle index must increase (position ${i + 1}: ${cyclesIn[i]})`);
  }
  const cycles = Float64Array.from(cyclesIn);
  const p50c = new Float64Array(n);
  curve(cal.theta, cal.prior, cycles, null, p50c);
  const nBoot = cal.bootstrapTheta.length / NP;
  const result: Prediction = { cycles: [...cyclesIn], p10: [], p50: Array.from(p50c), p90: [] };
  if (nBoot === 0) {
    result.p10 = [...result.p50];
    result.p90 = [...result.p50];
    return result;
  }
  const draws = opts.noiseDraws ?? 5;
  const samples = new Float64Array(nBoot * draws * n);
  const c = new Float64Array(n);
  const rand = rng(opts.seed ?? 777);
  const res = cal.residuals;
  for (let b = 0; b < nBoot; b++) {
    curve(cal.bootstrapTheta.subarray(b * NP, b * NP + NP), cal.prior, cycles, null, c);
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
  const column = new Float64Array(nBoot * draws);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < nBoot * draws; r++) column[r] = samples[r * n + i]!;
    column.sort();
    result.p10.push(quantile(column, 0.1));
    result.p50[i] = quantile(column, 0.5);
    result.p90.push(quantile(column, 0.9));
  }
  return result;
}
