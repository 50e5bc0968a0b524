/**
 * Cell-level fade kernel: stressors → rates → states → outputs, allocation-free.
 *
 * BLAST-Lite integrates each power-law state y = k·x^p with the state equation
 * dy/dx = k·p·(y/k)^((p−1)/p) so that a changing rate k (temperature, SOC) keeps y continuous.
 * Substituting u = y^(1/p) turns that equation into du/dx = k^(1/p): u accumulates linearly and
 * y = u^p. We store u, which makes every step exact for piecewise-constant stressors and costs
 * one exp per rate instead of a pow per state. The sigmoid states (NMC LAM, LFP break-in) obey
 * the same idea with w = k·x (dw/dx = k); the LFP calendar sigmoid, whose extent and exponent
 * both move with temperature, is advanced by BLAST's virtual-time inversion.
 *
 * NMC (Kokam), NCA (Panasonic) and LMO (Nissan Leaf second life) share one kernel: calendar and
 * cycling power laws in u-space, the Kokam LAM sigmoid (rate 0 for NCA and LMO, which have no
 * knee) and Kokam resistance (fitted for NMC, the flagged proxy for NCA and LMO); `isNmc` means
 * "runs on this power-law kernel". LFP has its own.
 *
 * Individual ageing factors multiply the rate coefficients (y = f·k·x^p at fixed stress), so a
 * module that lost twice what the model predicts keeps losing twice as fast under any duty.
 */
import { anodePotentialV, LFP_SONY_MURATA as L, LMO_NISSAN_LEAF as M, NCA_PANASONIC as P, NMC_KOKAM as N, GAS_CONSTANT, type FadeModelId } from './chemistry.js';

/** Number of slots of a fade state vector (see the layouts below). */
export const FADE_STATE_SIZE = 5;
// NMC: [u_calQ, u_cycQ, w_LAM, u_calR, u_cycR]; LFP: [y_calQ, u_cycQ, efc_breakIn, r_cal, r_cyc].

/** Stressors that stay constant over a projection (the duty, not the weather). */
export interface CellDuty {
  /** Depth of discharge of each cycle, 0–1. */
  dod: number;
  cRate: number;
  /** SOC window the cell spends its time in (0–1); without a profile, calendar stress is averaged uniformly over it. */
  socLow: number;
  socHigh: number;
  efcPerDay: number;
  /**
   * Time at SOC over the day (stressors/soc-profile.ts): SOC samples and the fraction of time each
   * stands for (summing to 1). Calendar stress is the time average over them, as BLAST-Lite
   * averages its rates over the profile. `socKey` identifies the profile for the caches.
   */
  socSamples?: Float64Array;
  socWeights?: Float64Array;
  socKey?: number;
  /** Hour of the day (0–24) of each sample, when the profile is time-ordered (a daily temperature swing is averaged jointly with them). */
  socHours?: Float64Array | null;
  /**
   * Energy-throughput conservation (BLAST-Lite's default, `is_conserve_energy_throughput`): as the
   * cell fades to q of its capacity at deployment, the same energy is drawn, so the day's SOC
   * swing is stretched by 1/q around `socAnchor` (the profile's first point) and clipped to the
   * window [socFloor, socCeil] the battery management holds. DoD and the time at SOC grow with
   * the fade; the throughput stays until the clip bites. Off unless set (the first-life replay
   * and the fitted forms of the calibration run without it).
   */
  conserveThroughput?: boolean;
  socAnchor?: number;
  socFloor?: number;
  socCeil?: number;
  /**
   * Temperature at which the stretch's effect on the temperature-coupled rates (calendar: anode
   * potential or SOC over T; NMC knee) is evaluated, K: the duty's air temperature. The cycling
   * multipliers are separable in T and exact.
   */
  referenceTempK?: number;
}

/** Per-module scaling of the fitted model (individual ageing, calibration). */
export interface FadeFactors {
  calendar: number;
  cycle: number;
  /** Exponent of the cycling power law; NaN keeps the published value. */
  cycleExponent: number;
  /** Scale of the NMC active-material (knee) clock; default: the cycle factor (BLAST's degradation scalar scales every state). */
  lam?: number;
}

export const UNIT_FACTORS: FadeFactors = { calendar: 1, cycle: 1, cycleExponent: Number.NaN };

/** Everything the inner loop needs, resolved once per projection. Plain numbers only. */
export interface FadeContext {
  model: FadeModelId;
  /** Runs on the power-law kernel (NMC, NCA, LMO); false for LFP. */
  isNmc: boolean;
  /** NCA or LMO: calendar and cycling from their own fits, resistance from the Kokam proxy. */
  isPlain: boolean;
  /** Calendar capacity exponent of the power-law kernel (Kokam q2, NCA/LMO qcal_p). */
  pCalQ: number;
  /** NCA/LMO: ln k_cal = plLnCalA + plCalTCoef/T; ln k_cyc (temperature-free) = plLnCyc. */
  plLnCalA: number;
  plCalTCoef: number;
  plLnCyc: number;
  /** Cycled DoD at deployment, from which energy-throughput conservation grows it. */
  dod0: number;
  dod: number;
  socMean: number;
  efcPerDay: number;
  cycExponent: number;
  calFactor: number;
  cycFactor: number;
  lamFactor: number;
  // NMC
  nmcQ1TCoef: number; // coefficient of 1/TN in ln q1 (Arrhenius + Tafel at effective Ua)
  nmcLamSlope: number; // q5 = q5_0 + slope·(T_C − 55)
  // LFP
  lfpSqrtUa: number;
  lfpUaThird: number;
  lfpUaQuarter: number;
  lfpCycRate: number; // f_cyc^(1/p)·q5, per EFC, in u-space
  lfpBreakInExtent: number; // 0 below 3 EFC/day
  lfpRCycPerEfc: number; // f_cyc·k_Crate·k_DoD / 100
  lfpRCalSocFactor: number; // f_cal·k_SOC·k_ref·86400 (per day at 25 °C)
  /** `fadeRates` = rateScale[j] × `fadeRatesUnit` (the module's factors split from the duty's temperature dependence). */
  rateScale: Float64Array;
  /** What `fadeRatesUnit` depends on besides temperature (equal keys → equal unit rates). */
  unitRateKey: Float64Array;
  /** Throughput-conservation multipliers by fade since deployment (`stretchMultipliers`), null when off. */
  stretch: StretchTable | null;
}

/** Trapezoid-free SOC average of exp(a·g(Ua(SOC))) over [lo, hi] by 5-point Simpson. */
function socAverage(lo: number, hi: number, f: (soc: number) => number): number {
  if (hi - lo < 1e-9) return f(lo);
  const h = (hi - lo) / 4;
  return (f(lo) + 4 * f(lo + h) + 2 * f(lo + 2 * h) + 4 * f(lo + 3 * h) + f(hi)) / 12;
}

/** Time average of f(SOC) over the duty: its time-at-SOC samples, else uniform over the window. */
function dutyAverage(duty: CellDuty, f: (soc: number) => number): number {
  const xs = duty.socSamples;
  const ws = duty.socWeights;
  if (!xs || !ws) return socAverage(duty.socLow, duty.socHigh, f);
  let acc = 0;
  for (let i = 0; i < xs.length; i++) acc += ws[i]! * f(xs[i]!);
  return acc;
}

/** Reference temperature of the NCA and LMO SOC averages (the middle of their calendar tests). */
const PLAIN_SOC_REF_K = 308.15;

/**
 * The stress variable whose rate equals the time-averaged rate over the duty's SOC profile (BLAST
 * averages rates over the profile): the anode potential for Kokam and LFP, the SOC for NCA and LMO
 * (their calendar rate is exp(C·SOC/T)). Evaluated at a reference temperature; the weight of T in
 * the average is second order.
 */
function effectiveStress(model: FadeModelId, duty: CellDuty): number {
  if (model === 'NMC_KOKAM') {
    const a = N.q1_2 / N.uaRefV; // TN = 1 at the reference temperature
    const mean = dutyAverage(duty, (s) => Math.exp(a * anodePotentialV(s)));
    return Math.log(mean) / a;
  }
  if (model === 'LFP_SONY_MURATA') {
    const g = L.q1_b1 / (L.tRefK * L.tRefK) + L.q1_b2 / L.tRefK;
    const mean = dutyAverage(duty, (s) => Math.exp(g * Math.sqrt(anodePotentialV(s))));
    const root = Math.log(mean) / g;
    return root * root;
  }
  const c = (model === 'NCA_PANASONIC' ? P.qcalC : M.qcalC) / PLAIN_SOC_REF_K;
  return Math.log(dutyAverage(duty, (s) => Math.exp(c * s))) / c;
}

const MODEL_CODE: Record<FadeModelId, number> = { NMC_KOKAM: 0, LFP_SONY_MURATA: 1, NCA_PANASONIC: 2, LMO_NISSAN_LEAF: 3 };

/** Standard normal cdf via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function skewNormalShape(x: number, skew: number, width: number): number {
  const xp = (x - 0.5) / width;
  return (2 * Math.exp(-0.5 * xp * xp)) / Math.sqrt(2 * Math.PI) * normalCdf(skew * xp);
}

/**
 * An effective stress costs ~30 (window) to a few hundred (profile) transcendental calls; a fleet
 * reuses a handful of duties. Key: stress kind, window, profile key. Slot 0 of a value is the
 * stress, slot 1 the time-weighted mean SOC, slot 2 the time average of (SOC − ½)³.
 */
const UA_CACHE_SIZE = 32;
const UA_KEY = 4;
const uaCacheKey = new Float64Array(UA_CACHE_SIZE * UA_KEY).fill(Number.NaN);
const uaCacheValue = new Float64Array(UA_CACHE_SIZE * 3);
let uaCacheNext = 0;
let uaCacheLast = 0;

/** Stress kind `k` (0 Kokam Ua, 1 LFP Ua, 2 NCA SOC, 3 LMO SOC) of the duty, cached; writes [stress, mean SOC, mean (SOC − ½)³]. */
function cachedStress(k: number, model: FadeModelId, duty: CellDuty, out: Float64Array): void {
  const lo = duty.socLow;
  const hi = duty.socHigh;
  const key = duty.socSamples ? (duty.socKey ?? Number.NaN) : -1;
  if (!Number.isNaN(key)) {
    // The last hit first: the matrix projects many modules in a row under one duty.
    for (let n = -1; n < UA_CACHE_SIZE; n++) {
      const i = n < 0 ? uaCacheLast : n;
      const o = i * UA_KEY;
      if (uaCacheKey[o] === k && uaCacheKey[o + 1] === lo && uaCacheKey[o + 2] === hi && uaCacheKey[o + 3] === key) {
        uaCacheLast = i;
        out[0] = uaCacheValue[i * 3]!;
        out[1] = uaCacheValue[i * 3 + 1]!;
        out[2] = uaCacheValue[i * 3 + 2]!;
        return;
      }
    }
  }
  out[0] = effectiveStress(model, duty);
  out[1] = dutyAverage(duty, (s) => s);
  out[2] = dutyAverage(duty, (s) => (s - 0.5) ** 3);
  if (Number.isNaN(key)) return;
  const i = uaCacheNext;
  uaCacheNext = (uaCacheNext + 1) % UA_CACHE_SIZE;
  uaCacheKey[i * UA_KEY] = k;
  uaCacheKey[i * UA_KEY + 1] = lo;
  uaCacheKey[i * UA_KEY + 2] = hi;
  uaCacheKey[i * UA_KEY + 3] = key;
  uaCacheValue.set(out.subarray(0, 3), i * 3);
}
const stressScratch = new Float64Array(3);

export function makeFadeContext(model: FadeModelId, duty: CellDuty, factors: FadeFactors = UNIT_FACTORS): FadeContext {
  return fillFadeContext(emptyFadeContext(), model, duty, factors);
}

/**
 * A context to fill with `fillFadeContext` (a projection reuses one instead of allocating). Its
 * number fields start as NaN, a double: V8 gives a field the representation of its first value,
 * and a field born an integer (0) that later receives a fraction changes the object's hidden class,
 * which throws every optimised function that reads the context back to the interpreter.
 */
export function emptyFadeContext(): FadeContext {
  return {
    model: 'NMC_KOKAM',
    isNmc: true,
    isPlain: false,
    pCalQ: Number.NaN,
    plLnCalA: Number.NaN,
    plCalTCoef: Number.NaN,
    plLnCyc: Number.NaN,
    dod0: Number.NaN,
    dod: Number.NaN,
    socMean: Number.NaN,
    efcPerDay: Number.NaN,
    cycExponent: Number.NaN,
    calFactor: Number.NaN,
    cycFactor: Number.NaN,
    lamFactor: Number.NaN,
    nmcQ1TCoef: Number.NaN,
    nmcLamSlope: Number.NaN,
    lfpSqrtUa: Number.NaN,
    lfpUaThird: Number.NaN,
    lfpUaQuarter: Number.NaN,
    lfpCycRate: Number.NaN,
    lfpBreakInExtent: Number.NaN,
    lfpRCycPerEfc: Number.NaN,
    lfpRCalSocFactor: Number.NaN,
    rateScale: new Float64Array(RATE_COUNT),
    unitRateKey: new Float64Array(UNIT_RATE_KEY_SIZE),
    stretch: null,
  };
}

/** NCA k_cyc at DoD and C-rate; its temperature factor exp(D/T) + exp(−E/T) is 2 to 1e-11 at any T (BLAST-Lite nca_gr_Panasonic3Ah_2018). */
function ncaKcycAt(dod: number, cRate: number): number {
  return (P.qcycA + P.qcycB * cRate + P.qcycC * dod) * (Math.exp(P.qcycD / 298.15) + Math.exp(-P.qcycE / 298.15));
}

/** |q5| of the LFP cycling fit at `dod` and `cRate` (BLAST-Lite LFP, b0 + b1·DoD + b2·exp(DoD²·C³)). */
function lfpQ5At(dod: number, cRate: number): number {
  return Math.abs(L.q5_b0 + L.q5_b1 * dod + L.q5_b2 * Math.exp(dod * dod * cRate ** 3));
}

/**
 * Energy-throughput conservation, tabulated: multipliers of the rates at deployment by the fade
 * since deployment, at nodes STRETCH_NODE_Q apart (1 % of the capacity at deployment), linear in
 * between (the multipliers are smooth in the stretch 1/q until the clip, ≈ 1e-5 of a rate between
 * nodes, as in cell-life.ts). Slots: NMC, NCA, LMO [calendar capacity u-rate, calendar resistance
 * u-rate, cycling capacity u-rate, cycling resistance u-rate, knee clock, throughput]; LFP [calendar
 * extent y∞, calendar exponent, calendar resistance, cycling u-rate, cycling resistance,
 * throughput]. Each node's stretched day gives DoD, time at SOC and throughput as BLAST-Lite's
 * `_extract_stressors` gives them from its stretched profile; the rates follow from the same fitted
 * equations as at deployment.
 */
export const STRETCH_NODE_Q = 0.01;
export const STRETCH_LAST_NODE = 98;
/** 1 / STRETCH_NODE_Q, multiplied (the kernel and `stretchMultipliers` index the nodes the same way). */
export const STRETCH_NODES_PER_UNIT = 100;
export const STRETCH_SLOTS = 6;
/**
 * Doubles per node in `StretchTable.values`: its STRETCH_SLOTS multipliers, then their differences
 * to the next node's (the segment's slopes: one interpolation reads one node's 12 doubles).
 */
export const STRETCH_STRIDE = 2 * STRETCH_SLOTS;
/** Samples of a duty without a daily profile: its cycled window, uniformly. */
const WINDOW_SAMPLES = 16;
const STRETCH_KEY = 12;
const STRETCH_CACHE = 32;

export interface StretchTable {
  key: Float64Array;
  code: number;
  cycExponent: number;
  samples: Float64Array;
  weights: Float64Array;
  anchor: number;
  /** Extremes of the cycled swing at deployment (a standby duty waits at the top of its swing). */
  cycLo: number;
  cycHi: number;
  floor: number;
  ceil: number;
  cRate: number;
  efcPerDay: number;
  tRefK: number;
  /** Per node (STRETCH_STRIDE apart), STRETCH_SLOTS multipliers then the differences to the next node's; NaN until needed. */
  values: Float64Array;
  /** Raw stressors of node 0: [DoD, Kokam Ua, model stress, mean SOC, mean (SOC − ½)³]. */
  base: Float64Array;
  scratch: Float64Array;
}

const stretchCache: StretchTable[] = [];
let stretchNext = 0;
const stretchKey = new Float64Array(STRETCH_KEY);

let stretchLast: StretchTable | null = null;

function sameStretchKey(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < STRETCH_KEY; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)))) return false;
  return true;
}

function stretchTableFor(code: number, duty: CellDuty, cycExponent: number): StretchTable {
  const k = stretchKey;
  const keyed = duty.socSamples ? duty.socKey !== undefined && !Number.isNaN(duty.socKey) : true;
  k[0] = code;
  k[1] = cycExponent;
  k[2] = duty.dod;
  k[3] = duty.cRate;
  k[4] = duty.efcPerDay;
  k[5] = duty.socLow;
  k[6] = duty.socHigh;
  k[7] = duty.socSamples ? (duty.socKey ?? Number.NaN) : -1;
  k[8] = duty.socAnchor ?? Number.NaN;
  k[9] = duty.socFloor ?? 0;
  k[10] = duty.socCeil ?? 1;
  k[11] = duty.referenceTempK ?? 298.15;
  if (keyed) {
    // The last table first: the matrix projects many modules in a row under one duty.
    if (stretchLast && sameStretchKey(stretchLast.key, k)) return stretchLast;
    for (const t of stretchCache) {
      if (sameStretchKey(t.key, k)) {
        stretchLast = t;
        return t;
      }
    }
  }
  let samples: Float64Array;
  let weights: Float64Array;
  if (duty.socSamples && duty.socWeights) {
    samples = duty.socSamples;
    weights = duty.socWeights;
  } else {
    samples = new Float64Array(WINDOW_SAMPLES);
    weights = new Float64Array(WINDOW_SAMPLES).fill(1 / WINDOW_SAMPLES);
    for (let i = 0; i < WINDOW_SAMPLES; i++) samples[i] = duty.socLow + ((i + 0.5) / WINDOW_SAMPLES) * (duty.socHigh - duty.socLow);
  }
  const t: StretchTable = {
    key: Float64Array.from(k),
    code,
    cycExponent,
    samples,
    weights,
    anchor: duty.socAnchor ?? duty.socLow,
    cycLo: Number.NaN,
    cycHi: Number.NaN,
    floor: k[9]!,
    ceil: k[10]!,
    cRate: duty.cRate,
    efcPerDay: duty.efcPerDay,
    tRefK: k[11]!,
    values: new Float64Array((STRETCH_LAST_NODE + 2) * STRETCH_STRIDE).fill(Number.NaN),
    base: new Float64Array(5),
    scratch: new Float64Array(samples.length),
  };
  // The swing's extremes (a profile's samples are midpoints and may miss a peak without a rest).
  let lo = duty.socLow;
  const hi = duty.socHigh;
  if (hi - lo < duty.dod - 1e-9) lo = hi - duty.dod;
  t.cycLo = lo;
  t.cycHi = hi;
  stretchRaw(t, 0, t.base);
  if (keyed) {
    stretchCache[stretchNext] = t;
    stretchNext = (stretchNext + 1) % STRETCH_CACHE;
    stretchLast = t;
  }
  return t;
}

const MODEL_NAMES: readonly FadeModelId[] = ['NMC_KOKAM', 'LFP_SONY_MURATA', 'NCA_PANASONIC', 'LMO_NISSAN_LEAF'];
const rawScratch = new Float64Array(5);

/** Stressors of the day stretched by 1/(1 − j·STRETCH_NODE_Q): [DoD, Kokam Ua, model stress, mean SOC, mean (SOC − ½)³]. */
function stretchRaw(t: StretchTable, j: number, out: Float64Array): void {
  const g = 1 / (1 - j * STRETCH_NODE_Q);
  const s = t.scratch;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    let v = t.anchor + (t.samples[i]! - t.anchor) * g;
    v = v < t.floor ? t.floor : v > t.ceil ? t.ceil : v;
    s[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const d: CellDuty = { dod: hi - lo, cRate: t.cRate, socLow: lo, socHigh: hi, efcPerDay: t.efcPerDay, socSamples: s, socWeights: t.weights };
  const clip = (v: number) => (v < t.floor ? t.floor : v > t.ceil ? t.ceil : v);
  out[0] = clip(t.anchor + (t.cycHi - t.anchor) * g) - clip(t.anchor + (t.cycLo - t.anchor) * g);
  out[1] = effectiveStress(t.code === 1 ? 'LFP_SONY_MURATA' : 'NMC_KOKAM', d);
  out[2] = t.code >= 2 ? effectiveStress(MODEL_NAMES[t.code]!, d) : out[1]!;
  out[3] = dutyAverage(d, (x) => x);
  out[4] = dutyAverage(d, (x) => (x - 0.5) ** 3);
}

function lfpQ3At(tempK: number, ua: number): number {
  const t2 = tempK * tempK;
  const u3 = Math.cbrt(ua);
  const u4 = Math.sqrt(Math.sqrt(ua));
  return Math.exp((L.q3_b1 * u3) / (t2 * t2) + L.q3_b2 * t2 * tempK * u4 + (L.q3_b3 * u3) / (t2 * tempK) + L.q3_b4 * t2 * u4);
}

function lfpCycQ5(dod: number, cRate: number): number {
  return dod >= L.minFitDod ? lfpQ5At(dod, cRate) : (lfpQ5At(L.minFitDod, cRate) * dod) / L.minFitDod;
}

function ratio(a: number, b: number): number {
  return a > 0 && b > 0 ? a / b : 1;
}

/** Fill node j of a stretch table (on first need). */
export function fillStretchNode(t: StretchTable, j: number): void {
  const raw = rawScratch;
  stretchRaw(t, j, raw);
  const b = t.base;
  const o = j * STRETCH_STRIDE;
  const v = t.values;
  const g = 1 / (1 - j * STRETCH_NODE_Q);
  const T = t.tRefK;
  const p = t.cycExponent;
  const dod0 = b[0]!;
  const dod = raw[0]!;
  v[o + 5] = ratio(dod, dod0 * g);
  if (t.code === 1) {
    const g1 = L.q1_b1 / (T * T) + L.q1_b2 / T;
    v[o] = Math.exp((Math.sqrt(raw[1]!) - Math.sqrt(b[1]!)) * g1);
    v[o + 1] = lfpQ3At(T, raw[1]!) / lfpQ3At(T, b[1]!);
    v[o + 2] = ratio(L.cRCal * raw[4]! + L.dRCal, L.cRCal * b[4]! + L.dRCal);
    const c = Math.min(t.cRate, t.efcPerDay / 12);
    v[o + 3] = ratio(lfpCycQ5(dod, c), lfpCycQ5(dod0, c));
    v[o + 4] = ratio(L.cRCyc * (dod - 0.5) ** 3 + L.dRCyc, L.cRCyc * (dod0 - 0.5) ** 3 + L.dRCyc);
    return;
  }
  // Kokam calendar term exp(q1_2·(Ua/0.123)/T_N) and cycling term exp(q3_2·exp(DoD²)): capacity
  // (NMC) and the resistance proxy (NCA, LMO) share them.
  const aUa = ((N.q1_2 / N.uaRefV) * N.tRefK) / T;
  const dUa = raw[1]! - b[1]!;
  const dQ3 = N.q3_2 * (Math.exp(dod * dod) - Math.exp(dod0 * dod0));
  v[o + 1] = Math.exp((aUa * dUa) / N.r2);
  v[o + 3] = Math.exp(dQ3 / N.r4);
  if (t.code === 0) {
    v[o] = Math.exp((aUa * dUa) / N.q2);
    v[o + 2] = Math.exp(dQ3 / p);
    const slope = N.q5_1 * (T - 273.15 - 55);
    v[o + 4] = ratio(N.q5_0 + slope * dod0 * (b[3]! / 0.6), N.q5_0 + slope * dod * (raw[3]! / 0.6));
    return;
  }
  const C = t.code === 2 ? P.qcalC : M.qcalC;
  const pCal = t.code === 2 ? P.qcalP : M.qcalP;
  v[o] = Math.exp((C * (raw[2]! - b[2]!)) / T / pCal);
  const c = Math.min(t.cRate, t.efcPerDay / 12);
  v[o + 2] = t.code === 2 ? ratio(P.qcycA + P.qcycB * c + P.qcycC * dod, P.qcycA + P.qcycB * c + P.qcycC * dod0) ** (1 / p) : 1;
  v[o + 4] = 1;
}

/** Fill the segment from node j to j + 1 (both nodes on first need, then the differences). */
export function fillStretchSegment(t: StretchTable, j: number): void {
  const v = t.values;
  const a = j * STRETCH_STRIDE;
  const b = a + STRETCH_STRIDE;
  if (v[a] !== v[a]) fillStretchNode(t, j);
  if (v[b] !== v[b]) fillStretchNode(t, j + 1);
  for (let i = 0; i < STRETCH_SLOTS; i++) v[a + STRETCH_SLOTS + i] = v[b + i]! - v[a + i]!;
}

/**
 * Multipliers of the deployment rates when the capacity is `capacityOfDeployment` (relative
 * capacity now / at deployment) of what it was at deployment, into `out[0…5]` (layout above).
 */
export function stretchMultipliers(t: StretchTable, capacityOfDeployment: number, out: Float64Array): void {
  let x = (1 - capacityOfDeployment) * STRETCH_NODES_PER_UNIT;
  if (!(x > 0)) x = 0;
  if (x > STRETCH_LAST_NODE) x = STRETCH_LAST_NODE;
  const j = Math.min(x | 0, STRETCH_LAST_NODE - 1);
  const f = x - j;
  const v = t.values;
  const a = j * STRETCH_STRIDE;
  if (v[a + STRETCH_SLOTS] !== v[a + STRETCH_SLOTS]) fillStretchSegment(t, j);
  for (let i = 0; i < STRETCH_SLOTS; i++) out[i] = v[a + i]! + f * v[a + STRETCH_SLOTS + i]!;
}

/**
 * Published exponent of each model's cycling power law (BLAST-Lite `_params_life`): Kokam q4 (loss
 * = q3·EFC^p), Sony-Murata q6 (loss = (q5·EFC)^p), Panasonic qcyc_p and Nissan Leaf qcyc_p (loss =
 * k·EFC^p). The kernel integrates each in its own form; a calibration starts from it.
 */
export function publishedCycleExponent(model: FadeModelId): number {
  const code = MODEL_CODE[model];
  if (code === undefined) throw new Error(`unknown fade model "${String(model)}"`);
  return code === 0 ? N.q4 : code === 1 ? L.q6 : code === 2 ? P.qcycP : M.qcycP;
}

/** `makeFadeContext` into an existing context (every field is overwritten). */
export function fillFadeContext(ctx: FadeContext, model: FadeModelId, duty: CellDuty, factors: FadeFactors = UNIT_FACTORS): FadeContext {
  const code = MODEL_CODE[model];
  if (code === undefined) throw new Error(`unknown fade model "${String(model)}"`);
  const isNmc = code !== 1;
  const isPlain = code >= 2;
  // Kokam anode potential: the NMC calendar rate and the NCA/LMO resistance proxy.
  cachedStress(isNmc ? 0 : 1, isNmc ? 'NMC_KOKAM' : 'LFP_SONY_MURATA', duty, stressScratch);
  const ua = stressScratch[0]!;
  const socMean = stressScratch[1]!;
  const socCubed = stressScratch[2]!;
  const publishedCyc = publishedCycleExponent(model);
  const cycExponent = Number.isFinite(factors.cycleExponent) ? factors.cycleExponent : publishedCyc;
  const lnQ3Unit = Math.log(N.q3_0) + N.q3_2 * Math.exp(duty.dod * duty.dod);
  ctx.model = model;
  ctx.isNmc = isNmc;
  ctx.isPlain = isPlain;
  ctx.pCalQ = code === 2 ? P.qcalP : code === 3 ? M.qcalP : N.q2;
  ctx.plLnCalA = Number.NaN;
  ctx.plCalTCoef = Number.NaN;
  ctx.plLnCyc = Number.NaN;
  if (isPlain) {
    cachedStress(code, model, duty, stressScratch);
    const socEff = stressScratch[0]!;
    const A = code === 2 ? P.qcalA : M.qcalA;
    const B = code === 2 ? P.qcalB : M.qcalB;
    const C = code === 2 ? P.qcalC : M.qcalC;
    ctx.plLnCalA = Math.log(A);
    ctx.plCalTCoef = B + C * socEff;
    ctx.plLnCyc = code === 2 ? Math.log(ncaKcycAt(duty.dod, Math.min(duty.cRate, duty.efcPerDay / 12))) : Math.log(M.qcycA);
  }
  ctx.dod0 = duty.dod;
  ctx.dod = duty.dod;
  ctx.socMean = socMean;
  ctx.efcPerDay = duty.efcPerDay;
  ctx.cycExponent = cycExponent;
  ctx.calFactor = factors.calendar;
  ctx.cycFactor = factors.cycle;
  ctx.lamFactor = isPlain ? 0 : factors.lam ?? factors.cycle;
  ctx.nmcQ1TCoef = N.q1_1 + (N.q1_2 * ua) / N.uaRefV;
  ctx.nmcLamSlope = N.q5_1 * duty.dod * (socMean / 0.6);
  ctx.lfpSqrtUa = Math.sqrt(ua);
  ctx.lfpUaThird = Math.cbrt(ua);
  ctx.lfpUaQuarter = Math.sqrt(Math.sqrt(ua));
  ctx.lfpCycRate = 0;
  ctx.lfpBreakInExtent = 0;
  ctx.lfpRCycPerEfc = 0;
  ctx.lfpRCalSocFactor = 0;
  if (!isNmc) {
    // The fit's DoD term (b0 + b1·DoD, tested 0.8–1) turns negative below DoD ≈ 0.2, where BLAST's
    // |·| would make shallower cycling age faster. Below the tested range we scale the edge
    // value in proportion to DoD instead (per-cycle damage ∝ DoD², monotone and continuous).
    // BLAST-Lite's C-rate stressor is the day's mean |dSOC/dt|, rests included (`_extract_stressors`):
    // 2·EFC/day over 24 h, the cycle's C-rate only for continuous cycling.
    const cRateStressor = Math.min(duty.cRate, duty.efcPerDay / 12);
    const q5 = duty.dod >= L.minFitDod ? lfpQ5At(duty.dod, cRateStressor) : (lfpQ5At(L.minFitDod, cRateStressor) * duty.dod) / L.minFitDod;
    ctx.lfpCycRate = factors.cycle ** (1 / cycExponent) * q5;
    if (duty.efcPerDay > L.breakInMinEfcPerDay) {
      const growth = 2 * (0.5 - 1 / (1 + Math.exp(L.q7_dodGrowth * duty.dod)));
      ctx.lfpBreakInExtent =
        factors.cycle *
        Math.abs(L.q7_b0 * skewNormalShape(socMean, L.q7_socSkew, L.q7_socWidth) * skewNormalShape(duty.dod, L.q7_dodSkew, L.q7_dodWidth) * growth);
    }
    // Outside the fitted C-rate range (≤2C) A·C + B turns negative; resistance cannot shrink with use.
    const kCrate = Math.max(0, L.aRCyc * cRateStressor + L.bRCyc);
    const kDod = L.cRCyc * (duty.dod - 0.5) ** 3 + L.dRCyc;
    ctx.lfpRCycPerEfc = (factors.cycle * Math.max(0, kCrate * kDod)) / 100;
    const kSoc = L.cRCal * socCubed + L.dRCal;
    ctx.lfpRCalSocFactor = factors.calendar * Math.max(0, kSoc) * L.kRefRCal * 86400;
  }
  ctx.stretch = duty.conserveThroughput && duty.dod > 0 ? stretchTableFor(code, duty, cycExponent) : null;
  const scale = ctx.rateScale;
  const key = ctx.unitRateKey;
  if (isNmc) {
    // exp((ln q + ln f)/p) = exp(ln q/p)·exp(ln f/p): the factor's share of each u-rate. The
    // last module's shares are kept: a module is projected under every duty in a row.
    const share = lastShare;
    if (!(share[0] === factors.calendar && share[1] === factors.cycle && share[2] === ctx.pCalQ && share[3] === cycExponent)) {
      const lnCal = Math.log(factors.calendar);
      const lnCyc = Math.log(factors.cycle);
      share[4] = Math.exp(lnCal / ctx.pCalQ);
      share[5] = Math.exp(lnCal / N.r2);
      share[6] = Math.exp(lnCyc / cycExponent);
      share[7] = Math.exp(lnCyc / N.r4);
      share[0] = factors.calendar;
      share[1] = factors.cycle;
      share[2] = ctx.pCalQ;
      share[3] = cycExponent;
    }
    scale[0] = share[4]!;
    scale[1] = share[5]!;
    scale[2] = share[6]!;
    scale[3] = share[7]!;
    scale[4] = ctx.lamFactor;
    key[0] = code;
    key[1] = ctx.nmcQ1TCoef;
    key[2] = lnQ3Unit;
    key[3] = cycExponent;
    key[4] = ctx.nmcLamSlope;
    key[5] = isPlain ? ctx.plCalTCoef : 0;
    key[6] = isPlain ? ctx.plLnCyc : 0;
  } else {
    scale[0] = ctx.calFactor * L.q1_b0;
    scale[1] = 1;
    scale[2] = ctx.lfpRCalSocFactor;
    key[0] = 1;
    key[1] = ctx.lfpSqrtUa;
    key[2] = ctx.lfpUaThird;
    key[3] = ctx.lfpUaQuarter;
    key[4] = 0;
    key[5] = 0;
    key[6] = 0;
  }
  return ctx;
}

/** The factors' shares of the power-law u-rates last computed: [calendar, cycle, pCalQ, cycling exponent, shares 0–3]. */
const lastShare = new Float64Array(8).fill(Number.NaN);

/** Length of `FadeContext.unitRateKey`. */
export const UNIT_RATE_KEY_SIZE = 7;

/** Number of temperature-dependent rates `fadeRates` writes (see its layout). */
export const RATE_COUNT = 5;
const LN_R1 = Math.log(N.r1);
const LN_R3 = Math.log(N.r3);
const LN_Q1_0 = Math.log(N.q1_0);

/**
 * The temperature-dependent rates of one step, written at `r[o…o+4]`.
 * NMC: [u-rate cal. capacity /day, u-rate cal. resistance /day, u-rate cyc. capacity /EFC,
 * u-rate cyc. resistance /EFC, LAM clock /EFC]. LFP: [calendar y∞, calendar exponent p,
 * calendar resistance growth /day, 0, 0]. Kept separate from the state update so the
 * projection can tabulate them by month and self-heating (see simulate.ts).
 */
export function fadeRates(c: FadeContext, tempK: number, r: Float64Array, o: number): void {
  fadeRatesUnit(c, tempK, r, o);
  const scale = c.rateScale;
  for (let j = 0; j < RATE_COUNT; j++) r[o + j] *= scale[j];
}

/**
 * `fadeRates` without the module's factors (unit calendar and cycle factors, same duty), so a
 * table of them serves every module under one duty; `fadeRates` multiplies by `c.rateScale`.
 */
export function fadeRatesUnit(c: FadeContext, tempK: number, r: Float64Array, o: number): void {
  if (c.isNmc) {
    const invTn = N.tRefK / tempK;
    const lnQ1 = LN_Q1_0 + c.nmcQ1TCoef * invTn;
    const lnQ3 = c.unitRateKey[2]! + N.q3_1 * invTn;
    r[o] = Math.exp(lnQ1 / N.q2);
    r[o + 1] = Math.exp((LN_R1 + lnQ1) / N.r2);
    r[o + 2] = Math.exp(lnQ3 / c.cycExponent);
    r[o + 3] = Math.exp((LN_R3 + lnQ3) / N.r4);
    const q5 = N.q5_0 + c.nmcLamSlope * (tempK - 273.15 - 55);
    r[o + 4] = q5 > 0 && !c.isPlain ? 1 / q5 : 0;
    if (c.isPlain) {
      // NCA/LMO capacity from their own fits; resistance (slots 1, 3) stays the Kokam proxy.
      r[o] = Math.exp((c.plLnCalA + c.plCalTCoef / tempK) / c.pCalQ);
      r[o + 2] = Math.exp(c.plLnCyc / c.cycExponent);
    }
    return;
  }
  const t2 = tempK * tempK;
  r[o] = Math.exp(c.lfpSqrtUa * (L.q1_b1 / t2 + L.q1_b2 / tempK));
  r[o + 1] =
    L.q3_b0 *
    Math.exp(
      (L.q3_b1 * c.lfpUaThird) / (t2 * t2) +
        L.q3_b2 * t2 * tempK * c.lfpUaQuarter +
        (L.q3_b3 * c.lfpUaThird) / (t2 * tempK) +
        L.q3_b4 * t2 * c.lfpUaQuarter,
    );
  r[o + 2] = Math.exp((-L.eaRCalJPerMol / GAS_CONSTANT) * (1 / tempK - 1 / L.tRefK));
  r[o + 3] = 0;
  r[o + 4] = 0;
}

/** Rates an LFP step reads (the last two slots of its `fadeRates` layout are unused). */
export const LFP_RATES_USED = 3;

/** Advance the fade state by `dtDays` and `dEfc` with rates from `fadeRates`. */
export function stepFadeRates(s: Float64Array, c: FadeContext, dtDays: number, dEfc: number, r: Float64Array, o: number, lfpCycScale = 1, lfpRCycScale = 1): void {
  if (c.isNmc) {
    s[0]! += r[o]! * dtDays;
    s[3]! += r[o + 1]! * dtDays;
    if (dEfc > 0) {
      s[1]! += r[o + 2]! * dEfc;
      s[4]! += r[o + 3]! * dEfc;
      s[2]! += r[o + 4]! * dEfc;
    }
    return;
  }
  advanceLfpCalendar(s, r[o]!, r[o + 1]!, dtDays);
  s[1]! += c.lfpCycRate * lfpCycScale * dEfc;
  if (c.lfpBreakInExtent > 0) s[2]! += dEfc;
  s[3]! += r[o + 2]! * dtDays;
  s[4]! += c.lfpRCycPerEfc * lfpRCycScale * dEfc;
}

/**
 * LFP calendar sigmoid y = y∞·tanh((q2·t)^p / 2); y∞ and p move with T while y stays continuous:
 * find the virtual age t0 that gives y at the new y∞ and p, then advance it by dt.
 */
function advanceLfpCalendar(s: Float64Array, yInf: number, p: number, dtDays: number): void {
  s[0] = lfpCalendarAfter(s[0]!, yInf, p, dtDays);
}

/**
 * The LFP calendar loss `y0` advanced by `dtDays` at extent y∞ and exponent p (see
 * `advanceLfpCalendar`): y1 = y∞·tanh(z1/2) with z0 = 2·atanh(y0/y∞) and z1 = (q2·(t0 + dt))^p =
 * z0·(1 + ε)^p, ε = dt/t0 = q2·dt·z0^(−1/p). Since tanh(z0/2) = y0/y∞ by construction, the
 * addition theorem tanh(a + b) = (tanh a + tanh b)/(1 + tanh a·tanh b) gives y1 from y0/y∞ and
 * tanh((z1 − z0)/2), a small argument, by series: three transcendental calls instead of four.
 */
export function lfpCalendarAfter(y0: number, yInf: number, p: number, dtDays: number): number {
  if (!(y0 < yInf)) return y0;
  const q2dt = L.q2 * dtDays;
  if (!(y0 > 0)) return yInf * Math.tanh(0.5 * Math.exp(p * Math.log(q2dt)));
  const z0 = Math.log((yInf + y0) / (yInf - y0));
  // z0^(−1/p) and y0/y∞ by multiplications with reciprocals (`lfpCalendarStep` computes the same).
  const e = q2dt * Math.exp(Math.log(z0) * (-1 / p));
  const tb = smallTanh(0.5 * z0 * onePlusPowMinusOne(e, p));
  const t0 = y0 * (1 / yInf);
  const y1 = (yInf * (t0 + tb)) / (1 + t0 * tb);
  return y1 > y0 ? y1 : y0;
}

/**
 * Slope dy/dt (per day) of the LFP calendar sigmoid y = y∞·tanh(z/2), z = (q2·t)^p, at loss y:
 * y∞/2·(1 − (y/y∞)²)·p·q2·z^(1 − 1/p) with z = ln((y∞ + y)/(y∞ − y)). The projection reads the
 * calendar loss between its quarterly updates along this tangent (the sigmoid is concave: the
 * tangent at the end of a batch is closer than the batch's mean slope).
 */
export function lfpCalendarSlope(y: number, yInf: number, p: number): number {
  if (!(y > 0) || !(y < yInf)) return 0;
  const r = y / yInf;
  const z = Math.log((yInf + y) / (yInf - y));
  return 0.5 * yInf * (1 - r * r) * p * L.q2 * Math.exp((1 - 1 / p) * Math.log(z));
}

/**
 * `lfpCalendarAfter(y0, y∞, p, dt)` and the slope `lfpCalendarSlope` at its result, in one:
 * writes [y1, dy/dt at y1] at out[o], out[o + 1]. y1 is `lfpCalendarAfter`'s, bit for bit. The
 * slope reuses the step's own numbers instead of recovering z1 from y1 (a log) and raising it to
 * 1 − 1/p (a log and an exp): z1 = z0·(1 + g) with g the step's (1 + ε)^p − 1, and
 * z1^(−1/p) = z0^(−1/p)/(1 + ε) with z0^(−1/p) = ε/(q2·dt), so z1^(1−1/p) = z0·(1 + g)·ε/(q2·dt·(1 + ε)).
 * It differs from `lfpCalendarSlope(y1, y∞, p)` by rounding (≈ 1e-15 relative) and, while the
 * step's series stands in for (1 + ε)^p (ε ≤ 1/8, a virtual age under two years), by its
 * truncation divided by p (below 1e-13 for ε ≤ 1/16, 3e-10 at ε = 1/8); test/twin/kernel-fast-paths.test.ts.
 */
export function lfpCalendarStep(y0: number, yInf: number, p: number, dtDays: number, out: Float64Array, o: number): void {
  if (!(y0 < yInf)) {
    out[o] = y0;
    out[o + 1] = 0;
    return;
  }
  const q2 = L.q2 + 0;
  const q2dt = q2 * dtDays;
  // One division for y0/y∞ and y1/y∞ (the divider, not the multiplier, limits this function).
  const invYInf = 1 / yInf;
  let y1: number;
  let zPow: number; // z^(1 − 1/p) at y1
  if (!(y0 > 0)) {
    const z1 = Math.exp(p * Math.log(q2dt));
    y1 = yInf * Math.tanh(0.5 * z1);
    zPow = z1 / q2dt; // z1^(−1/p) = 1/(q2·dt)
  } else {
    const z0 = Math.log((yInf + y0) / (yInf - y0));
    const e = q2dt * Math.exp(Math.log(z0) * (-1 / p));
    const g = onePlusPowMinusOne(e, p);
    const tb = smallTanh(0.5 * z0 * g);
    const t0 = y0 * invYInf;
    const y = (yInf * (t0 + tb)) / (1 + t0 * tb);
    if (y > y0) {
      y1 = y;
      zPow = (z0 * (1 + g) * e) / (q2dt * (1 + e));
    } else {
      y1 = y0;
      zPow = (z0 * e) / q2dt;
    }
  }
  out[o] = y1;
  if (!(y1 > 0) || !(y1 < yInf)) {
    out[o + 1] = 0;
    return;
  }
  const r = y1 * invYInf;
  out[o + 1] = 0.5 * yInf * (1 - r * r) * p * q2 * zPow;
}

/**
 * (1 + ε)^p − 1 for ε ≥ 0: the binomial series to ε⁸ while ε ≤ 1/8, where the first omitted term
 * is |C(p, 9)|·ε⁹ ≤ 1.1e-10 for 0 < p < 2 (|C(p, 9)| < 0.014 there), else expm1(p·ln(1 + ε)). The
 * quarterly LFP calendar update has ε = 91 days / virtual age, below 1/8 from a virtual age of
 * two years.
 */
function onePlusPowMinusOne(e: number, p: number): number {
  if (!(e <= 0.125)) return Math.expm1(p * Math.log1p(e));
  // Multiplied by the reciprocals, not divided: a division costs several multiplications, and
  // the LFP kernel runs this at every quarterly calendar update.
  const b2 = p * (p - 1) * 0.5;
  const b3 = b2 * (p - 2) * (1 / 3);
  const b4 = b3 * (p - 3) * 0.25;
  const b5 = b4 * (p - 4) * 0.2;
  const b6 = b5 * (p - 5) * (1 / 6);
  const b7 = b6 * (p - 6) * (1 / 7);
  const b8 = b7 * (p - 7) * 0.125;
  return e * (p + e * (b2 + e * (b3 + e * (b4 + e * (b5 + e * (b6 + e * (b7 + e * b8)))))));
}

/** tanh x by its Taylor series to x⁹ for |x| ≤ 0.1 (first omitted term 1382·x¹¹/155925 < 1e-12·|x|), else Math.tanh. */
function smallTanh(x: number): number {
  if (!(Math.abs(x) <= 0.1)) return Math.tanh(x);
  const x2 = x * x;
  return x * (1 + x2 * (-1 / 3 + x2 * (2 / 15 + x2 * (-17 / 315 + x2 * (62 / 2835)))));
}

/**
 * The LFP calendar sigmoid is the costly part of a step (its inversion needs three transcendental
 * calls). The projection kernel (simulate.ts) updates it once per LFP_CALENDAR_BATCH_DAYS with y∞
 * and p averaged over the batch — BLAST-Lite itself time-averages every rate over each update
 * interval — and reads it in between by extrapolating the last increment. Everything else still
 * advances every step.
 */
export const LFP_CALENDAR_BATCH_DAYS = 91;

const stepRates = new Float64Array(RATE_COUNT);

const stepStretch = new Float64Array(STRETCH_SLOTS);

/**
 * Advance the fade state by `dtDays` and `dEfc` at cell temperature `tempK`. With a duty that
 * conserves throughput, `capacityOfDeployment` (relative capacity now / at deployment, from the
 * state before the step) sets the stretch of the day (`stretchMultipliers`).
 */
export function stepFade(s: Float64Array, c: FadeContext, dtDays: number, dEfc: number, tempK: number, capacityOfDeployment = 1): void {
  fadeRates(c, tempK, stepRates, 0);
  const t = c.stretch;
  if (!t) {
    stepFadeRates(s, c, dtDays, dEfc, stepRates, 0);
    return;
  }
  const m = stepStretch;
  stretchMultipliers(t, capacityOfDeployment, m);
  if (c.isNmc) {
    for (let j = 0; j < 5; j++) stepRates[j]! *= m[j]!;
    stepFadeRates(s, c, dtDays, dEfc * m[5]!, stepRates, 0);
    return;
  }
  for (let j = 0; j < 3; j++) stepRates[j]! *= m[j]!;
  stepFadeRates(s, c, dtDays, dEfc * m[5]!, stepRates, 0, m[3]!, m[4]!);
}

/** Past the knee the cell is dead; keep the LAM resistance finite (21× new) so trajectories stay plottable. */
export const LAM_FLOOR = 0.05;

/** w^p of the NMC LAM sigmoid (0 for w ≤ 0). */
export function nmcLamArgument(w: number): number {
  if (w <= 0) return 0;
  const w2 = w * w;
  const w4 = w2 * w2;
  return N.pLam === 10 ? w4 * w4 * w2 : Math.exp(N.pLam * Math.log(w));
}

/** NMC LAM sigmoid 2·(½ − 1/(1 + exp(w^p))) = tanh(w^p / 2). */
function nmcLamLoss(w: number): number {
  if (w <= 0) return 0;
  const z = nmcLamArgument(w);
  // tanh(x) = x − x³/3 + … : below 1e-4 the cubic term is < 4e-13.
  return z < 2e-4 ? 0.5 * z : Math.tanh(0.5 * z);
}

function powU(u: number, p: number): number {
  return u > 0 ? Math.exp(p * Math.log(u)) : 0;
}

/** Relative capacity (1 = fresh) of a fade state. */
export function relativeCapacity(s: Float64Array, c: FadeContext): number {
  if (c.isNmc) {
    const qLli = 1 - powU(s[0]!, c.pCalQ) - powU(s[1]!, c.cycExponent);
    const qLam = N.lamMargin - nmcLamLoss(s[2]!);
    return qLli < qLam ? qLli : qLam;
  }
  const breakIn = c.lfpBreakInExtent > 0 ? c.lfpBreakInExtent * Math.tanh(0.5 * Math.pow(L.q8 * s[2]!, L.q9)) : 0;
  return 1 - s[0]! - powU(s[1]!, c.cycExponent) - breakIn;
}

/** Relative resistance (1 = fresh) of a fade state. */
export function relativeResistance(s: Float64Array, c: FadeContext): number {
  if (c.isNmc) {
    const rLli = 1 + powU(s[3]!, N.r2) + powU(s[4]!, N.r4);
    const qLam = N.lamMargin - nmcLamLoss(s[2]!);
    const rLam = N.r5 + N.r6 / (qLam > LAM_FLOOR ? qLam : LAM_FLOOR);
    return rLli > rLam ? rLli : rLam;
  }
  return 1 + s[3]! + s[4]!;
}

/** Capacity and resistance of both at once (one LAM evaluation for NMC). */
export function fadeOutputs(s: Float64Array, c: FadeContext, out: Float64Array): void {
  if (c.isNmc) {
    const lam = nmcLamLoss(s[2]!);
    const qLli = 1 - powU(s[0]!, c.pCalQ) - powU(s[1]!, c.cycExponent);
    const qLam = N.lamMargin - lam;
    const q = qLli < qLam ? qLli : qLam;
    out[0] = q > 0 ? q : 0;
    const rLli = 1 + powU(s[3]!, N.r2) + powU(s[4]!, N.r4);
    const rLam = N.r5 + N.r6 / (qLam > LAM_FLOOR ? qLam : LAM_FLOOR);
    out[1] = rLli > rLam ? rLli : rLam;
    return;
  }
  const q = relativeCapacity(s, c);
  out[0] = q > 0 ? q : 0;
  out[1] = 1 + s[3]! + s[4]!;
}

/**
 * Power-law states y = u^p advanced by small steps are read by the binomial series
 * y_prev·(1 + ε)^p ≈ y_prev·(1 + ε·(b1 + ε·(b2 + ε·(b3 + ε·(b4 + ε·b5))))), ε = (u − u_prev)/u_prev,
 * instead of a pow per state per step: fifth order, error ≤ |C(p, 6)|·ε⁶ < 1e-9 (|C(p, 6)| < 0.02
 * for the exponents of the models) at the ε ≤ SERIES_MAX_STEP it is used for. The projection takes
 * the exact value (`powExact`) every SERIES_EXACT_EVERY steps and whenever the series is out of
 * range (`seriesInRange`), so errors cannot accumulate; it keeps 1/u_prev so that the step-to-step
 * chain has products, not divisions. b1–b5 are `binomialSeries(p)`. (Until 2026-12-02: third
 * order, ε ≤ 0.03, exact every 12 steps, up to 3e-6 relative off the exact powers in a projection's
 * RUL; now within 6e-8, with 40 % fewer exact powers.)
 */
export const SERIES_MAX_STEP = 0.0625;
/** An exact power at least every this many steps (`SERIES_MAX_STEP`). */
export const SERIES_EXACT_EVERY = 24;

/** Whether the series may step from u_prev to u with relative step ε (both positive, 0 ≤ ε ≤ SERIES_MAX_STEP). */
export function seriesInRange(uPrev: number, u: number, e: number): boolean {
  return uPrev > 0 && u > 0 && e >= 0 && e <= SERIES_MAX_STEP;
}

/** u^p, 0 for u ≤ 0. */
export function powExact(u: number, p: number): number {
  return u > 0 ? Math.exp(p * Math.log(u)) : 0;
}

/** Coefficients of (1 + ε)^p ≈ 1 + ε·(b1 + ε·(b2 + … + ε·b5)): b1 = p, b2 = p(p−1)/2, b3 = p(p−1)(p−2)/6, b4 = b3·(p−3)/4, b5 = b4·(p−4)/5. */
export function binomialSeries(p: number, out: Float64Array, o: number): void {
  out[o] = p;
  out[o + 1] = (p * (p - 1)) / 2;
  const b3 = (p * (p - 1) * (p - 2)) / 6;
  out[o + 2] = b3;
  const b4 = (b3 * (p - 3)) / 4;
  out[o + 3] = b4;
  out[o + 4] = (b4 * (p - 4)) / 5;
}

/** Doubles `binomialSeries` writes. */
export const BINOMIAL_SERIES_TERMS = 5;
