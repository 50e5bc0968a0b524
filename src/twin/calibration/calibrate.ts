/**
 * `calibrate(history, prior, opts)` fits one form to a measured capacity history;
 * `predict(calibration, cycles)` gives P10/P50/P90 of relative capacity. The forms, one file
 * each: line.ts (default), knee.ts, blast-form.ts; the fitter (fitter.ts), the band
 * (bootstrap.ts), the choices (select.ts). docs/calibration.md says which form is the default and
 * why, with the numbers.
 */
import { chemistryModel, type FadeModelId } from '../chemistry.js';
import type { FadeFactors } from '../fade.js';
import { CHEMISTRIES, type Chemistry } from '../types.js';
import { TwinInputError } from '../validate.js';
import { BLAST_PARAMETERS, blastCurve, blastFactors, fitBlast, refineBlast, type BlastDuty } from './blast-form.js';
import { blockLength as blockLengthOf, columnQuantiles, quantile, resampleBlocks, sampleRows, type SampleSource } from './bootstrap.js';
import { checkHistory, forgettingWeights, noiseLevel, rng, sse, unpack, type CapacityCheck } from './history.js';
import { KNEE_PARAMETERS, KNEE_TAU_MIN_CYCLES, fitKnee, kneeBounds, kneeCurve, refineKnee } from './knee.js';
import { LINE_PARAMETERS, LINE_RATE_SD_FRACTION, fitLineTheta, lineCurve, lineSlopePerCycle } from './line.js';
import {
  COMBINATION_MEMBERS,
  FIXED_POINT,
  SELECTION_GRID,
  SELECTION_MODES,
  chooseLineWindow,
  equalWeights,
  selectInHistory,
  type CalibrationSelection,
  type CombinedSelection,
  type GridPoint,
  type SelectionMode,
} from './select.js';

export type { CapacityCheck } from './history.js';

/** `line` (default): least squares with the recalibration rule; `knee`: the knee form; `blast`: the chemistry's BLAST-Lite model. */
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
  /** Model form. Default `line`, or `knee` when a knee selection (`combined`, `in-history`, `fixed`) is asked for. */
  form?: CalibrationForm;
  /** Scale the NMC knee (LAM) clock with the fitted ageing factor (BLAST's degradation-scalar convention). Default true. */
  scaleKnee?: boolean;
}

type ResolvedPrior = Required<Omit<CalibrationPrior, 'fitOffset' | 'scaleKnee' | 'form'>> & { fitOffset: boolean; scaleKnee: boolean; form: CalibrationForm };

export interface CalibrationResult {
  chemistry: Chemistry;
  fadeModel: FadeModelId;
  factors: FadeFactors;
  capacityOffset: number;
  form: CalibrationForm;
  /**
   * Fitted parameters: `line` [intercept, slope per 1000 cycles]; `knee` [q0, A, ln τ, b, a]
   * (b, a per 1000 cycles); `blast` [q0, ln f, p]; empty for a combination (see `combination`).
   */
  theta: Float64Array;
  /** RMSE of the fit on the checks it was fitted to, relative capacity. */
  rmse: number;
  points: number;
  /** Bootstrap parameter sets, `bootstrap × theta.length`, and the residuals they draw noise from. */
  bootstrapTheta: Float64Array;
  residuals: Float64Array;
  blockLength: number;
  prior: ResolvedPrior;
  iterations: number;
  /** What was chosen and why: the line's checks, the knee's setting, or the combination's members and weights. */
  selection: CalibrationSelection;
  /** Combination only: the members' own calibrations and their weights. Null otherwise. */
  combination: { members: CalibrationResult[]; weights: number[] } | null;
  /** Knee and BLAST forms: standard deviation of the model-form error per cycle beyond the last check (back-test). */
  extrapolationSdPerCycle: number;
  /** Line form: κ, the standard deviation of the rate ahead as a fraction of the fitted rate (0 for the other forms). */
  rateSdFraction: number;
  lastCycle: number;
}

export interface CalibrateOptions {
  /** Bootstrap replicates for the band (0: no band). Default 200. */
  bootstrap?: number;
  seed?: number;
  /** Knee / BLAST: forgetting time constant as a fraction of the history's cycle span (Infinity: equal weights). Default 0.5. */
  forgettingSpanFraction?: number;
  /** Knee / BLAST: widen the band beyond the last check by the back-tested extrapolation error. Default true. */
  backtest?: boolean;
  /** Knee form: upper bound of the break-in time constant τ, cycles (≥ 3). Default 50. */
  tauMaxCycles?: number;
  /**
   * `line` (default): the line form and its recalibration rule. Knee form: `combined`
   * (equal-weight combination of the 12 grid settings and the line; ⌈B/13⌉ bootstrap replicates
   * per member), `in-history` (rolling-origin validation inside the history), `fixed` (the given
   * values or 0.5 and 50). The BLAST form is always `fixed`.
   */
  select?: SelectionMode;
  /** Grid for `in-history` selection. Default SELECTION_GRID. */
  selectionGrid?: readonly GridPoint[];
  /** Line form: cycle at which the second life starts (retirement); enables the recalibration rule. */
  secondLifeFromCycle?: number | null;
  /** Line form: κ (see line.ts). Default LINE_RATE_SD_FRACTION. */
  rateSdFraction?: number;
}

export interface Prediction {
  cycles: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

function paramCount(form: CalibrationForm): number {
  return form === 'knee' ? KNEE_PARAMETERS : form === 'line' ? LINE_PARAMETERS : BLAST_PARAMETERS;
}

function resolvePrior(p: CalibrationPrior, opts: CalibrateOptions): ResolvedPrior {
  if (p.form != null && p.form !== 'knee' && p.form !== 'blast' && p.form !== 'line') {
    throw new TwinInputError(`unknown calibration form "${String(p.form)}" (expected line, knee or blast)`);
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
  // Knee settings asked for without a form mean the knee form (as before the line became the default).
  const kneeAsked = opts.select === 'combined' || opts.select === 'in-history' || opts.select === 'fixed' || opts.forgettingSpanFraction != null || opts.tauMaxCycles != null;
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
    form: p.form ?? (kneeAsked ? 'knee' : 'line'),
  };
}

function dutyOf(prior: ResolvedPrior): BlastDuty {
  const { chemistry, temperatureC, dod, cRate, cyclesPerDay, socLow, socHigh, scaleKnee } = prior;
  return { chemistry, temperatureC, dod, cRate, cyclesPerDay, socLow, socHigh, scaleKnee };
}

/** The form's relative capacity at ascending cycle indices. */
function curve(theta: ArrayLike<number>, prior: ResolvedPrior, cycles: ArrayLike<number>, temps: ArrayLike<number> | null, out: Float64Array): void {
  if (prior.form === 'knee') kneeCurve(theta, cycles, out);
  else if (prior.form === 'line') lineCurve(theta, cycles, out);
  else blastCurve(theta, dutyOf(prior), cycles, temps, out);
}

/** The selection this calibration runs under (checked against the form and the options). */
function chooseSettings(history: readonly CapacityCheck[], priorIn: CalibrationPrior, form: CalibrationForm, opts: CalibrateOptions): CalibrationSelection {
  const given = opts.forgettingSpanFraction != null || opts.tauMaxCycles != null;
  if (opts.select != null && !SELECTION_MODES.includes(opts.select)) {
    throw new TwinInputError(`unknown selection "${String(opts.select)}" (expected ${SELECTION_MODES.join(', ')})`);
  }
  if (form === 'line') {
    if (opts.select != null && opts.select !== 'line' && opts.select !== 'fixed') throw new TwinInputError(`select: ${opts.select} applies to the knee form only`);
    if (opts.forgettingSpanFraction != null) throw new TwinInputError('the line form is unweighted (ordinary least squares): forgettingSpanFraction does not apply');
    if (opts.tauMaxCycles != null) throw new TwinInputError('tauMaxCycles applies to the knee form only');
    if (opts.selectionGrid != null) throw new TwinInputError('selectionGrid applies to select: in-history only');
    const from = opts.secondLifeFromCycle;
    if (from != null && !(Number.isFinite(from) && from >= 0)) throw new TwinInputError(`secondLifeFromCycle must be a cycle index ≥ 0, got ${from}`);
    return chooseLineWindow(history, opts.select === 'fixed' ? null : from, opts.rateSdFraction ?? LINE_RATE_SD_FRACTION);
  }
  if (opts.secondLifeFromCycle != null) throw new TwinInputError(`secondLifeFromCycle applies to the line form only (this is ${form})`);
  if (opts.select === 'line') throw new TwinInputError(`select: line applies to the line form (this is ${form})`);
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
      const cal = calibrate(train, { ...priorIn, form: 'knee' }, { bootstrap: 0, backtest: false, select: 'fixed', ...point });
      return predict(cal, at).p50;
    }, opts.selectionGrid ?? SELECTION_GRID);
  }
  const forgettingSpanFraction = opts.forgettingSpanFraction ?? FIXED_POINT.forgettingSpanFraction;
  const tauMaxCycles = opts.tauMaxCycles ?? FIXED_POINT.tauMaxCycles;
  if (!(forgettingSpanFraction > 0)) throw new TwinInputError(`forgettingSpanFraction must be positive (Infinity: equal weights), got ${forgettingSpanFraction}`);
  if (!(Number.isFinite(tauMaxCycles) && tauMaxCycles > KNEE_TAU_MIN_CYCLES)) {
    throw new TwinInputError(`tauMaxCycles must be a finite number of cycles above ${KNEE_TAU_MIN_CYCLES.toFixed(0)}, got ${tauMaxCycles}`);
  }
  return { mode: 'fixed', forgettingSpanFraction, tauMaxCycles, validation: null };
}

/** Fit the chosen form to a capacity history. */
export function calibrate(history: readonly CapacityCheck[], priorIn: CalibrationPrior, opts: CalibrateOptions = {}): CalibrationResult {
  checkHistory(history);
  const prior = resolvePrior(priorIn, opts);
  const selection = chooseSettings(history, priorIn, prior.form, opts);
  if (selection.mode === 'combined') return calibrateCombined(history, priorIn, prior, opts, selection);
  if (opts.rateSdFraction != null && !(opts.rateSdFraction >= 0 && Number.isFinite(opts.rateSdFraction))) {
    throw new TwinInputError(`rateSdFraction must be a finite number ≥ 0, got ${opts.rateSdFraction}`);
  }
  const fitted = selection.mode === 'line' && selection.fittedFrom === 'second-life' ? history.filter((c) => c.cycle >= selection.secondLifeFromCycle!) : history;
  const { cycles, y, temps } = unpack(fitted, prior.temperatureC);
  const n = y.length;
  const form = prior.form;
  const np = paramCount(form);
  const forgetting = selection.mode === 'line' ? Infinity : (selection as GridPoint).forgettingSpanFraction;
  const bounds = kneeBounds(form === 'knee' ? (selection as GridPoint).tauMaxCycles : FIXED_POINT.tauMaxCycles);
  const sw = forgettingWeights(cycles, forgetting);
  const block = blockLengthOf(n);
  // σ of the checks' noise, inflated for the serial correlation a block bootstrap also assumes.
  const priorScale = form === 'knee' ? noiseLevel(y) * Math.sqrt(block) : 0;
  const duty = dutyOf(prior);
  const kneeProblem = (yy: Float64Array, cc: Float64Array, ww: Float64Array) => ({ y: yy, cycles: cc, sw: ww, priorScale, bounds });
  const { theta, free, iterations } =
    form === 'knee'
      ? fitKnee(kneeProblem(y, cycles, sw), prior.fitOffset)
      : form === 'line'
        ? { theta: fitLineTheta(y, cycles), free: [true, true], iterations: 0 }
        : fitBlast({ y, cycles, temps, sw, duty }, prior.fitOffset);
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
    resampleBlocks(fit, residuals, block, rand, yb);
    if (form === 'line') {
      bootstrapTheta.set(fitLineTheta(yb, cycles), b * np);
      continue;
    }
    const tb = new Float64Array(theta);
    if (form === 'knee') refineKnee(tb, free, kneeProblem(yb, cycles, sw), 40);
    else refineBlast(tb, free, { y: yb, cycles, temps, sw, duty }, 40);
    bootstrapTheta.set(tb, b * np);
  }

  // Knee / BLAST: back-test for model-form error — refit on the first 60 % of the checks, predict
  // the rest, attribute the error beyond the noise to extrapolation growing linearly with the
  // distance ahead. The line form's error ahead is its rate's uncertainty κ instead (line.ts).
  let extrapolationSdPerCycle = 0;
  if (form !== 'line' && n >= 20 && opts.backtest !== false) {
    const cut = Math.floor(0.6 * n);
    const head = y.subarray(0, cut);
    const headCycles = cycles.subarray(0, cut);
    const headSw = forgettingWeights(headCycles, forgetting);
    let tb: Float64Array;
    if (form === 'knee') tb = fitKnee(kneeProblem(head, headCycles, headSw), prior.fitOffset).theta;
    else {
      tb = new Float64Array(theta);
      refineBlast(tb, free, { y: head, cycles: headCycles, temps: temps ? temps.subarray(0, cut) : null, sw: headSw, duty }, 100);
    }
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
    fadeModel: chemistryModel(prior.chemistry).fadeModel,
    form,
    extrapolationSdPerCycle,
    rateSdFraction: form === 'line' ? opts.rateSdFraction ?? LINE_RATE_SD_FRACTION : 0,
    selection,
    combination: null,
    lastCycle: cycles[n - 1]!,
    factors: form === 'blast' ? blastFactors(theta, prior.scaleKnee) : { calendar: 1, cycle: 1, cycleExponent: Number.NaN },
    capacityOffset: theta[0]!,
    theta,
    rmse,
    points: n,
    bootstrapTheta,
    residuals,
    blockLength: block,
    prior,
    iterations,
  };
}

/**
 * Forecast combination: every member calibrated on the whole history as a single calibration
 * would be, with ⌈B/members⌉ bootstrap replicates each (member k seeded seed + k) so that each
 * contributes the same number of samples to the mixture.
 */
function calibrateCombined(history: readonly CapacityCheck[], priorIn: CalibrationPrior, prior: ResolvedPrior, opts: CalibrateOptions, selection: CombinedSelection): CalibrationResult {
  const nBoot = opts.bootstrap ?? 200;
  const perMember = Math.ceil(nBoot / selection.members.length);
  const seed = opts.seed ?? 12345;
  const members = selection.members.map((m, k) => {
    const common = { bootstrap: perMember, seed: seed + k, backtest: opts.backtest };
    return m.kind === 'line'
      ? calibrate(history, { ...priorIn, form: 'line' }, { ...common, select: 'fixed' })
      : calibrate(history, { ...priorIn, form: 'knee' }, { ...common, select: 'fixed', forgettingSpanFraction: m.forgettingSpanFraction, tauMaxCycles: m.tauMaxCycles });
  });
  const { cycles, y } = unpack(history, prior.temperatureC);
  const n = y.length;
  const fit = combinedCurve(members, selection.weights, cycles);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - fit[i]!;
  return {
    chemistry: prior.chemistry,
    fadeModel: chemistryModel(prior.chemistry).fadeModel,
    form: prior.form,
    extrapolationSdPerCycle: 0,
    rateSdFraction: 0,
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
    blockLength: blockLengthOf(n),
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

export interface PredictOptions {
  seed?: number;
  /** Noise draws per bootstrap curve for the prediction interval. Default 5. */
  noiseDraws?: number;
}

function sampleSource(cal: CalibrationResult): SampleSource {
  const ratePerCycle = cal.form === 'line' ? Math.abs(lineSlopePerCycle(cal.theta)) : 0;
  const e = cal.extrapolationSdPerCycle;
  const k = cal.rateSdFraction * ratePerCycle;
  return {
    bootstrapTheta: cal.bootstrapTheta,
    parameters: cal.theta.length,
    residuals: cal.residuals,
    lastCycle: cal.lastCycle,
    aheadSd: (ahead) => Math.hypot(e, k) * ahead,
    curve: (theta, cycles, out) => curve(theta, cal.prior, cycles, null, out),
  };
}

/** P10/P50/P90 of relative capacity at ascending cycle indices (P50: the line itself, the knee's and BLAST's bootstrap median, a combination's weighted mean). */
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
  if (nBoot === 0) return { cycles: [...cyclesIn], p10: Array.from(p50c), p50: Array.from(p50c), p90: Array.from(p50c) };
  const q = columnQuantiles(sampleRows(sampleSource(cal), cycles, draws, rng(seed)), nBoot * draws, n);
  // The line's P50 is the fitted line itself (its samples are symmetric about it); the curved
  // forms' bootstrap median also carries the skew of their refits.
  if (cal.form === 'line') q.p50 = Array.from(p50c);
  return { cycles: [...cyclesIn], ...q };
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
  const pooled = members.map((m, k) => sampleRows(sampleSource(m), cycles, draws, rng(seed + k)));
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
