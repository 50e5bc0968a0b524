/**
 * A module at retirement: replay its first life through the fitted model to learn how fast this
 * particular module ages. The individual ageing factor is (SOH actually lost) / (SOH the model
 * predicts for its cycles, age and temperatures); fade rates are scaled by it from then on, so a
 * module that aged fast keeps ageing fast. The replayed state is where second life starts.
 */
import { chemistryModel, EV_FIRST_LIFE as EV, type FadeModelId } from './chemistry.js';
import { FADE_STATE_SIZE, fadeOutputs, makeFadeContext, stepFade, type FadeFactors } from './fade.js';
import type { ModuleState } from './types.js';
import { validateModule } from './validate.js';

export interface ModulePrior {
  fadeModel: FadeModelId;
  proxyChemistry: boolean;
  /** Individual ageing factor inferred from first life (1 = ages as the fitted cell). */
  ageingFactor: number;
  factors: FadeFactors;
  /** Fade state at retirement (portable across duties: see fade.ts). */
  state: Float64Array;
  /** Model relative capacity and resistance at that state, the anchors of the measured values. */
  modelCapacity: number;
  modelResistance: number;
  firstLifeYears: number;
}

/** Quarterly steps suffice: within a step stressors are constant and the u-space update is exact. */
const FIRST_LIFE_STEPS_PER_YEAR = 4;

function replayFirstLife(m: ModuleState, model: FadeModelId, factors: FadeFactors, years: number, state: Float64Array, out: Float64Array): void {
  state.fill(0);
  const efcPerDay = m.cycleCount / Math.max(years * 365.25, 1);
  const ctx = makeFadeContext(
    model,
    { dod: EV.depthOfDischarge, cRate: EV.cRate, socLow: EV.socMin, socHigh: EV.socMax, efcPerDay },
    factors,
  );
  const steps = Math.max(1, Math.ceil(years * FIRST_LIFE_STEPS_PER_YEAR));
  const dtDays = (years * 365.25) / steps;
  const dEfc = m.cycleCount / steps;
  const mid = 0.5 * (m.temperatureMinC + m.temperatureMaxC);
  const half = 0.5 * (m.temperatureMaxC - m.temperatureMinC);
  for (let i = 0; i < steps; i++) {
    // BMS min/max read as the seasonal extremes of the cell temperature.
    const tC = mid + half * Math.sin((2 * Math.PI * (i + 0.5)) / FIRST_LIFE_STEPS_PER_YEAR);
    stepFade(state, ctx, dtDays, dEfc, tC + 273.15);
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
  const years = m.ageYears && m.ageYears > 0 ? m.ageYears : Math.max(m.cycleCount / EV.efcPerYear, 0.25);
  const state = new Float64Array(FADE_STATE_SIZE);
  const out = new Float64Array(2);
  let factors: FadeFactors;
  let ageingFactor: number;
  if (override) {
    factors = override;
    ageingFactor = override.cycle;
  } else {
    replayFirstLife(m, fadeModel, { calendar: 1, cycle: 1, cycleExponent: Number.NaN }, years, state, out);
    const predictedLoss = 1 - out[0]!;
    const actualLoss = 1 - m.sohPercent / 100;
    const raw = predictedLoss > 1e-6 ? actualLoss / predictedLoss : 1;
    ageingFactor = Math.min(EV.maxAgeingFactor, Math.max(EV.minAgeingFactor, raw));
    // The first-life loss is lithium-inventory loss (the knee has not come yet), so the factor
    // scales the LLI rates; the active-material knee keeps its fitted clock (no evidence either way).
    factors = { calendar: ageingFactor, cycle: ageingFactor, cycleExponent: Number.NaN, lam: 1 };
  }
  replayFirstLife(m, fadeModel, factors, years, state, out);
  return {
    fadeModel,
    proxyChemistry: proxy,
    ageingFactor,
    factors,
    state,
    modelCapacity: out[0]!,
    modelResistance: out[1]!,
    firstLifeYears: years,
  };
}
