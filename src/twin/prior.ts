/**
 * A module at retirement: replay its first life through the fitted model to learn how fast this
 * particular module ages. The first life is evidence about the module's individual ageing factor
 * f (1 = ages as the fitted cell; fade rates are scaled by it from then on, so a module that aged
 * fast keeps ageing fast); the replayed state is where second life starts.
 *
 * Population prior (`AGEING_PRIOR`): ln f ~ Normal(0, σ_pop²), σ_pop = 0.15, the spread of the
 * degradation scalar NREL BLAST-Lite uses for cell-to-cell variation
 * (`simulate_battery_life_distribution`, degradation_scalar_std = 0.15, blast/utils/functions.py).
 * Evidence: the measured first-life loss L = 1 − SOH against the loss the model predicts at f = 1,
 * L₁: ln f_obs = ln(L/L₁) with standard error σ_SOH/L (delta method), σ_SOH = 0.02, the SOH
 * estimation error typical of BMS and grading tests (1–3 %, Berecibar et al., Renew. Sustain. Energy
 * Rev. 56 (2016) 572). Posterior (normal × normal in ln f): weight w = σ_pop²/(σ_pop² + σ_obs²),
 * mean w·ln f_obs, variance w·σ_obs². A module that has lost little (a young or new module) gives
 * little evidence and keeps the population median f = 1 with the population's spread; there is no
 * clamp. Without an age and without cycles the replay says nothing about f: the prior stands and
 * the module starts at the virtual age at which the model has lost what it has lost.
 *
 * P10/P90 of f carry into the projection's band (simulate.ts `sohP10Percent`/`sohP90Percent`).
 */
import { chemistryModel, EV_FIRST_LIFE as EV, type FadeModelId } from './chemistry.js';
import { emptyFadeContext, FADE_STATE_SIZE, fadeOutputs, fillFadeContext, stepFade, type FadeFactors } from './fade.js';
import type { ModuleState } from './types.js';
import { validateModule } from './validate.js';

export interface ModulePrior {
  fadeModel: FadeModelId;
  proxyChemistry: boolean;
  /** Individual ageing factor inferred from first life (1 = ages as the fitted cell): posterior median. */
  ageingFactor: number;
  /** Posterior 10th and 90th percentiles of the factor (equal to it when given by a calibration). */
  ageingFactorP10: number;
  ageingFactorP90: number;
  /** Posterior standard deviation of ln f (0 when given by a calibration). */
  lnAgeingFactorSd: number;
  factors: FadeFactors;
  /** Fade state at retirement (portable across duties: see fade.ts). */
  state: Float64Array;
  /** Model relative capacity and resistance at that state, the anchors of the measured values. */
  modelCapacity: number;
  modelResistance: number;
  firstLifeYears: number;
}

/** Population prior of the individual ageing factor and the SOH error of the evidence (see the header). */
export const AGEING_PRIOR = {
  /** σ of ln f: BLAST-Lite degradation_scalar_std (blast/utils/functions.py). */
  lnSigma: 0.15,
  /** SOH estimation error, fraction of nominal (Berecibar et al. 2016: 1–3 %). */
  sohSigma: 0.02,
} as const;

/** Standard normal 90th percentile. */
const Z90 = 1.2815515655446004;

const UNIT: FadeFactors = { calendar: 1, cycle: 1, cycleExponent: Number.NaN };

/** Posterior of ln f from a measured first-life loss and the model's loss at f = 1 (header). */
export function ageingPosterior(actualLoss: number, predictedLoss: number): { lnMean: number; lnSd: number; weight: number } {
  const sp2 = AGEING_PRIOR.lnSigma ** 2;
  const floor = AGEING_PRIOR.sohSigma;
  if (!(predictedLoss > 1e-9)) return { lnMean: 0, lnSd: AGEING_PRIOR.lnSigma, weight: 0 };
  // A loss below the measurement error is read as half the error (ln 0 is no observation).
  const seen = Math.max(actualLoss, floor / 2);
  const so = floor / Math.max(actualLoss, floor);
  const w = sp2 / (sp2 + so * so);
  return { lnMean: w * Math.log(seen / predictedLoss), lnSd: Math.sqrt(w) * so, weight: w };
}

/** Years of the assumed first-life duty (cycling at EV.efcPerYear) after which the fitted cell has lost `loss`; bisection. */
function virtualAgeYears(m: ModuleState, model: FadeModelId, loss: number, state: Float64Array, out: Float64Array): number {
  if (!(loss > 0)) return 0.25;
  let lo = 0.01;
  let hi = 60;
  const probe = (years: number): number => {
    replayFirstLife({ ...m, cycleCount: EV.efcPerYear * years }, model, UNIT, years, state, out);
    return 1 - out[0]!;
  };
  if (probe(hi) < loss) return hi;
  for (let i = 0; i < 40; i++) {
    const mid = Math.sqrt(lo * hi);
    if (probe(mid) < loss) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** Quarterly steps suffice: within a step stressors are constant and the u-space update is exact. */
const FIRST_LIFE_STEPS_PER_YEAR = 4;

/** sin of the middle of each quarter (the replay's seasonal swing repeats every year). */
const QUARTER_SINE = Float64Array.from({ length: FIRST_LIFE_STEPS_PER_YEAR }, (_, i) => Math.sin((2 * Math.PI * (i + 0.5)) / FIRST_LIFE_STEPS_PER_YEAR));
/** The replay's context, refilled for each replay (every field is overwritten). */
const replayCtx = emptyFadeContext();
const replayDuty = { dod: EV.depthOfDischarge, cRate: EV.cRate, socLow: EV.socMin, socHigh: EV.socMax, efcPerDay: Number.NaN };

function replayFirstLife(m: ModuleState, model: FadeModelId, factors: FadeFactors, years: number, state: Float64Array, out: Float64Array): void {
  state.fill(0);
  replayDuty.efcPerDay = m.cycleCount / Math.max(years * 365.25, 1);
  const ctx = fillFadeContext(replayCtx, model, replayDuty, factors);
  const steps = Math.max(1, Math.ceil(years * FIRST_LIFE_STEPS_PER_YEAR));
  const dtDays = (years * 365.25) / steps;
  const dEfc = m.cycleCount / steps;
  const mid = 0.5 * (m.temperatureMinC + m.temperatureMaxC);
  const half = 0.5 * (m.temperatureMaxC - m.temperatureMinC);
  for (let i = 0, q = 0; i < steps; i++, q = q + 1 === FIRST_LIFE_STEPS_PER_YEAR ? 0 : q + 1) {
    // BMS min/max read as the seasonal extremes of the cell temperature.
    const tC = mid + half * QUARTER_SINE[q]!;
    stepFade(state, ctx, dtDays, dEfc, tC + 273.15);
  }
  fadeOutputs(state, ctx, out);
}

/**
 * The replay at `factors` from the replay at unit factors (its state in `state`): every state grows
 * in proportion to its rate, and each rate is the unit rate times a power of the factors (fade.ts,
 * `rateScale`), so the states scale by those powers. Equal to replaying again up to rounding; writes
 * the scaled state and its outputs.
 */
function scaleReplay(model: FadeModelId, factors: FadeFactors, efcPerDay: number, state: Float64Array, out: Float64Array): void {
  replayDuty.efcPerDay = efcPerDay;
  const ctx = fillFadeContext(replayCtx, model, replayDuty, factors);
  if (ctx.isNmc) {
    // Layout [u_calQ, u_cycQ, w_LAM, u_calR, u_cycR] ← rates [0, 2, 4, 1, 3] (fade.ts stepFadeRates).
    const k = ctx.rateScale;
    state[0]! *= k[0]!;
    state[1]! *= k[2]!;
    state[2]! *= k[4]!;
    state[3]! *= k[1]!;
    state[4]! *= k[3]!;
  } else {
    // [y_calQ (∝ y∞ ∝ f_cal), u_cycQ (∝ f_cyc^(1/p)), break-in EFC, r_cal (∝ f_cal), r_cyc (∝ f_cyc)].
    state[0]! *= factors.calendar;
    state[1]! *= factors.cycle ** (1 / ctx.cycExponent);
    state[3]! *= factors.calendar;
    state[4]! *= factors.cycle;
  }
  fadeOutputs(state, ctx, out);
}

/**
 * First-life replay and individual ageing factor. With `override` (a calibration) the factors
 * are taken as given instead of inferred.
 */
export function modulePrior(m: ModuleState, override?: FadeFactors | null): ModulePrior {
  validateModule(m);
  const { fadeModel, proxy } = chemistryModel(m.chemistry);
  const noHistory = !(m.ageYears && m.ageYears > 0) && !(m.cycleCount > 0);
  let years = m.ageYears && m.ageYears > 0 ? m.ageYears : Math.max(m.cycleCount / EV.efcPerYear, 0.25);
  const state = new Float64Array(FADE_STATE_SIZE);
  const out = new Float64Array(2);
  const actualLoss = 1 - m.sohPercent / 100;
  if (noHistory) years = virtualAgeYears(m, fadeModel, actualLoss, state, out);
  let factors: FadeFactors;
  let ageingFactor: number;
  let lnSd = 0;
  if (override) {
    factors = override;
    ageingFactor = override.cycle;
  } else {
    let lnMean = 0;
    lnSd = AGEING_PRIOR.lnSigma;
    if (!noHistory) {
      replayFirstLife(m, fadeModel, UNIT, years, state, out);
      const post = ageingPosterior(actualLoss, 1 - out[0]!);
      lnMean = post.lnMean;
      lnSd = post.lnSd;
    }
    ageingFactor = Math.exp(lnMean);
    // The first-life loss is lithium-inventory loss (the knee has not come yet), so the factor
    // scales the LLI rates; the active-material knee keeps its fitted clock (no evidence either way).
    factors = { calendar: ageingFactor, cycle: ageingFactor, cycleExponent: Number.NaN, lam: 1 };
  }
  if (override || noHistory) {
    // Without a history the module is replayed at its virtual age on the assumed EV duty.
    replayFirstLife(noHistory ? { ...m, cycleCount: EV.efcPerYear * years } : m, fadeModel, factors, years, state, out);
  } else {
    // `state` holds the replay at unit factors (above): scaled to the posterior factors.
    scaleReplay(fadeModel, factors, m.cycleCount / Math.max(years * 365.25, 1), state, out);
  }
  return {
    fadeModel,
    proxyChemistry: proxy,
    ageingFactor,
    ageingFactorP10: ageingFactor * Math.exp(-Z90 * lnSd),
    ageingFactorP90: ageingFactor * Math.exp(Z90 * lnSd),
    lnAgeingFactorSd: lnSd,
    factors,
    state,
    modelCapacity: out[0]!,
    modelResistance: out[1]!,
    firstLifeYears: years,
  };
}
