/**
 * NMC111/graphite, Kokam 75 Ah pouch (SLPB 75 Ah).
 *
 * Source: K. Smith, A. Saxon, M. Keyser, B. Lundstrom, Z. Cao, A. Roc, "Life prediction model for
 * grid-connected Li-ion battery energy storage system", Proc. American Control Conference 2017,
 * pp. 4062–4068, doi:10.23919/ACC.2017.7963578; parameters as published in NREL BLAST-Lite
 * `blast/models/nmc111_gr_Kokam75Ah_2017.py` (github.com/NREL/BLAST-Lite, BSD-3).
 *
 * Equations (rates → states → outputs):
 *   calendar LLI  q_t = q1·t^q2,  q1 = q1_0·exp(q1_1/T_N)·exp(q1_2·(Ua/0.123 V)/T_N), T_N = T/308.15 K
 *   cycling LLI   q_N = q3·N^q4,  q3 = q3_0·exp(q3_1/T_N)·exp(q3_2·exp(DoD²))
 *   LAM (knee)    q_LAM = 2·(½ − 1/(1 + exp((N/q5)^pLAM))),  q5 = q5_0 + q5_1·(T − 55 °C)·DoD·(SOC̄/0.6)
 *   capacity      q = min(1 − q_t − q_N, 1.01 − q_LAM)
 *   resistance    r = max(1 + r1·q1·t^r2 + r3·q3·N^r4,  r5 + r6/(1.01 − q_LAM))
 * rates are time-averaged over the profile (trapezoid rule, as BLAST-Lite).
 *
 * Valid range (test matrix): cycling 0–45 °C (calendar 0–55 °C), DoD 0.8–1, SOC 0–1, charge and
 * discharge ≤ 1C.
 * Limitations: no C-rate dependence (all cycling at 1C); DoD sensitivity from two DoDs only; low-
 * temperature cycling inferred; the LAM knee is extrapolated beyond the tested throughput.
 */
import type { IntervalStressors } from '../stressors/day-profile.js';
import { timeAverage } from '../stressors/day-profile.js';
import { advancePowerStates, POWER_CARRY } from '../states/state-equations.js';
import type { CellModel } from './cell-model.js';
import { temperatureOnlyAverage } from './rate-averages.js';


/** BLAST-Lite `_params_life` of the Kokam model. */
export const NMC_KOKAM = {
  q1_0: 2.66e7, // calendar LLI prefactor, 1/day^q2
  q1_1: -17.8, // Arrhenius term, on T/(308.15 K)
  q1_2: -5.21, // Tafel term on anode potential Ua/0.123 V
  q2: 0.357, // calendar time exponent
  q3_0: 3.8e3, // cycling LLI prefactor, 1/EFC^q4
  q3_1: -18.4, // Arrhenius term on T/(308.15 K)
  q3_2: 1.04, // DoD stress, exp(q3_2·exp(DoD²))
  q4: 0.778, // cycling EFC exponent
  q5_0: 1e4, // LAM sigmoid half-point, EFC
  q5_1: 153, // LAM half-point sensitivity to (T − 55 °C)·DoD·(SOC/0.6)
  pLam: 10, // LAM sigmoid steepness
  r1: 0.057, // calendar resistance growth relative to q1
  r2: 1.25, // calendar resistance time exponent
  r3: 4.87, // cycling resistance growth relative to q3
  r4: 0.712, // cycling resistance EFC exponent
  r5: -0.08, // LAM resistance: r = r5 + r6/q_LAM
  r6: 1.09,
  /** Normalisations used by the fit: T/(273.15 + 35) and Ua/0.123 V. */
  tRefK: 308.15,
  uaRefV: 0.123,
  /** Initial active-material margin q_LAM(0) = 1.01. */
  lamMargin: 1.01,
} as const;

const N = NMC_KOKAM;
/** `advancePowerStates` inputs: the power-law states and their exponents; dx and k of the step being taken. */
const STATE_AT = Int32Array.of(0, 1, 3, 4);
const EXPONENTS = Float64Array.of(N.q2, N.q4, N.r2, N.r4);
const stepDx = new Float64Array(4);
const stepK = new Float64Array(4);
/** The sigmoid's exponent is 10: w^10 by multiplication bounds it (`outputs`). */
const lamTen = N.pLam === 10;

/** Kokam calendar rate q1 at one point (T in K, Ua in V). */
export function kokamQ1(tempK: number, ua: number): number {
  const invTn = N.tRefK / tempK;
  return N.q1_0 * Math.exp(N.q1_1 * invTn) * Math.exp(N.q1_2 * (ua / N.uaRefV) * invTn);
}

/** Kokam cycling rate q3 at one point. */
export function kokamQ3(tempK: number, dod: number): number {
  return N.q3_0 * Math.exp(N.q3_1 * (N.tRefK / tempK)) * Math.exp(N.q3_2 * Math.exp(dod * dod));
}

/**
 * Kokam calendar and cycling rates of an interval: [q1, q3, q5]. The factors that depend on a
 * point's temperature only (q1's Arrhenius factor, all of q3 at the interval's DoD) are kept from
 * the point before while the temperature is the same: the same arithmetic as `kokamQ1`/`kokamQ3`
 * on the same numbers, without the exponentials repeated at every point of an isothermal day.
 */
export function kokamRates(s: IntervalStressors, out: Float64Array): void {
  kokamLliRates(s, out);
  out[2] = timeAverage(s, (i) => N.q5_0 + N.q5_1 * (s.tempK[i]! - 273.15 - 55) * s.dod * (s.socMeanOfPoints / 0.6));
}

/** `kokamRates` without the LAM rate: [q1, q3] (the resistance proxy of other models needs these only). */
export function kokamLliRates(s: IntervalStressors, out: Float64Array): void {
  let t1 = Number.NaN;
  let invTn = 0;
  let arrhenius = 0;
  out[0] = timeAverage(s, (i) => {
    const tempK = s.tempK[i]!;
    if (tempK !== t1) {
      t1 = tempK;
      invTn = N.tRefK / tempK;
      arrhenius = N.q1_0 * Math.exp(N.q1_1 * invTn);
    }
    return arrhenius * Math.exp(N.q1_2 * (s.ua[i]! / N.uaRefV) * invTn);
  });
  out[1] = temperatureOnlyAverage(s, (tempK) => kokamQ3(tempK, s.dod));
}

export const nmcKokam75Ah: CellModel = {
  id: 'nmc-kokam-75ah',
  chemistry: 'NMC',
  label: 'NMC111/graphite Kokam 75 Ah (Smith et al. 2017)',
  sources: [
    'K. Smith et al., Life prediction model for grid-connected Li-ion battery energy storage system, Proc. ACC 2017, 4062–4068, doi:10.23919/ACC.2017.7963578',
    'NREL BLAST-Lite, blast/models/nmc111_gr_Kokam75Ah_2017.py (github.com/NREL/BLAST-Lite, BSD-3)',
  ],
  validRange: { cyclingTemperatureC: [0, 45], calendarTemperatureC: [0, 55], dod: [0.8, 1], soc: [0, 1], maxChargeCRate: 1, maxDischargeCRate: 1 },
  limitations: [
    'no C-rate dependence (all cycling at 1C)',
    'DoD sensitivity from 80 % and 100 % DoD only; shallower cycling is extrapolated',
    'cycling sensitivity at low temperature inferred, not measured',
    'the LAM knee is extrapolated beyond the tested throughput',
  ],
  resistance: 'fitted',
  startCapacityOfNew: 1,
  stateNames: ['qLoss_LLI_t', 'qLoss_LLI_EFC', 'lamClock', 'rGain_LLI_t', 'rGain_LLI_EFC'],
  rateNames: ['q1', 'q3', 'q5'],
  rates: kokamRates,
  carrySize: 4 * POWER_CARRY,
  updateStates(st, r, s, c) {
    // The four power laws in one block step: LLI calendar and cycling, resistance calendar and cycling.
    stepDx[0] = s.deltaTDays;
    stepK[0] = r[0]!;
    stepDx[1] = s.deltaEfc;
    stepK[1] = r[1]!;
    stepDx[2] = s.deltaTDays;
    stepK[2] = N.r1 * r[0]!;
    stepDx[3] = s.deltaEfc;
    stepK[3] = N.r3 * r[1]!;
    advancePowerStates(st, STATE_AT, stepDx, stepK, EXPONENTS, c);
    // LAM: the sigmoid is advanced exactly in its clock w = Σ ΔN/q5 (BLAST-Lite's explicit step
    // from zero underflows to 0 at daily throughput and the knee would never start).
    st[2]! += s.deltaEfc / r[2]!;
  },
  outputs(st, out) {
    const w = st[2]!;
    const qLli = 1 - st[0]! - st[1]!;
    const rLli = 1 + st[3]! + st[4]!;
    // lam = tanh(z/2) ≤ z/2 (z = w^pLam ≥ 0); its computed value is within 1e-15 of that, so
    // lamHigh bounds it from above and margin − lamHigh bounds q_LAM from below (rounding is
    // monotone). When LLI is below that bound and its resistance above the LAM resistance the
    // bound implies, the LAM cannot change either output, which are then qLli and rLli exactly,
    // without the pow and exp of the sigmoid (the knee starts far later than most days).
    if (w >= 0 && w < 1 && lamTen) {
      const w2 = w * w;
      const w4 = w2 * w2;
      const lamHigh = 0.5 * (w4 * w4 * w2) * 1.000001 + 1e-12;
      const qLamLow = N.lamMargin - lamHigh;
      if (qLli < qLamLow && rLli > N.r5 + N.r6 / qLamLow) {
        out[0] = qLli;
        out[1] = rLli;
        return;
      }
    }
    const lam = w > 0 ? 2 * (0.5 - 1 / (1 + Math.exp(w ** N.pLam))) : 0;
    const qLam = N.lamMargin - lam;
    out[0] = Math.min(qLli, qLam);
    out[1] = Math.max(rLli, N.r5 + N.r6 / qLam);
  },
};
