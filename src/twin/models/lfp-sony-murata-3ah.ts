/**
 * LFP/graphite, Sony-Murata US26650FTC1 3 Ah cylindrical.
 *
 * Sources: calendar data M. Naumann, M. Schimpe, P. Keil, H. C. Hesse, A. Jossen, J. Energy
 * Storage 17 (2018) 153–169, doi:10.1016/j.est.2018.01.019; cycling data M. Naumann, F. B. Spingler,
 * A. Jossen, J. Power Sources 451 (2020) 227666, doi:10.1016/j.jpowsour.2019.227666; model
 * identification P. Gasper, A. Schiek, K. Smith, Y. Shimonishi, S. Yoshida, J. Electrochem. Soc.
 * 169 (2022) 080518, doi:10.1149/1945-7111/ac86a8; parameters as published in NREL BLAST-Lite
 * `blast/models/lfp_gr_SonyMurata3Ah_2018.py` (github.com/NREL/BLAST-Lite, BSD-3).
 *
 * Equations (rates → states → outputs):
 *   calendar LLI  q_t = 2·q1·(½ − 1/(1 + exp((q2·t)^q3))), q1(T, Ua), q3(T, Ua) (fitted forms below)
 *   cycling LLI   q_N = (q5·N)^q6,  q5 = |b0 + b1·DoD + b2·exp(DoD²·C³)|
 *   break-in      sigmoid in N, only above 3 EFC/day (q7(SOC, DoD), q8, q9)
 *   capacity      q = 1 − q_t − q_N − q_breakIn
 *   resistance    r = 1 + k_ref·exp(−Ea/R·(1/T − 1/298.15))·(C·(SOC − ½)³ + D)·t_s
 *                     + (A·C_rate + B)·(C·(DoD − ½)³ + D)·N/100   (Naumann's fits)
 *
 * Valid range: cycling 20–40 °C (calendar 0–60 °C), DoD 0.8–1 for the cycling fit (tests at 25
 * and 45 °C; DoD 0.2–1 in Naumann 2020 at 1C), charge ≤ 1C, discharge ≤ 2C.
 * Limitations: cycling fade has no temperature term (heat acts through calendar ageing only); the
 * cycling DoD term b0 + b1·DoD turns negative below DoD ≈ 0.26 and BLAST-Lite's |·| makes shallower
 * cycling age faster there; the break-in term is fitted to high-rate cycling only.
 */
import type { IntervalStressors } from '../stressors/day-profile.js';
import { timeAverage } from '../stressors/day-profile.js';
import { powerBStateIncrement, sigmoidStateIncrement } from '../states/state-equations.js';
import type { CellModel } from './cell-model.js';

// The state step in a module-local binding: the per-day loop calls it, and an imported binding may cost a read through the module record.
const powerBStep = powerBStateIncrement;
const sigmoidStep = sigmoidStateIncrement;

/** BLAST-Lite `_params_life` of the Sony-Murata LFP model. */
export const LFP_SONY_MURATA = {
  q2: 0.000130510034211874, // calendar sigmoid rate, 1/day
  q1_b0: 0.98968715129359, // calendar sigmoid extent y∞ = b0·exp(b1·√Ua/T²)·exp(b2·√Ua/T)
  q1_b1: -2881067.56019324,
  q1_b2: 8742.06309157261,
  q3_b0: 0.000332850281062177, // calendar sigmoid exponent p(T, Ua)
  q3_b1: 734553185711.369,
  q3_b2: -2.8216157562078e-6,
  q3_b3: -3284991315.45121,
  q3_b4: 0.0012722759365729,
  q5_b0: -6.81260579372875e-6, // cycling rate q5 = |b0 + b1·DoD + b2·exp(DoD²·C³)|, 1/EFC
  q5_b1: 2.59615973160844e-5,
  q5_b2: 2.11559710307295e-6,
  q6: 1.12847759334355, // cycling exponent, loss = (q5·EFC)^q6
  minFitDod: 0.8, // lowest DoD of the cycling tests (BLAST-Lite experimental_range)
  q7_b0: 0.582258029148225, // break-in extent (only above 3 EFC/day)
  q7_socSkew: 0.0583128906965484,
  q7_socWidth: 0.208738181522897,
  q7_dodSkew: -3.80744333129564,
  q7_dodWidth: 1.1612626042821,
  q7_dodGrowth: 25.4130804598602,
  q8: 0.00303553871631028, // break-in sigmoid rate, 1/EFC
  q9: 1.43752162947637, // break-in sigmoid exponent
  breakInMinEfcPerDay: 3,
  kRefRCal: 3.4194e-10, // calendar resistance growth at 25 °C, 1/s (Naumann 2018)
  eaRCalJPerMol: 71827,
  cRCal: -3.3903, // SOC dependence C·(SOC − 0.5)³ + D
  dRCal: 1.5604,
  aRCyc: -0.002, // C-rate dependence A·C + B, per 100 EFC
  bRCyc: 0.0021,
  cRCyc: 6.8477, // DoD dependence C·(DoD − 0.5)³ + D
  dRCyc: 0.91882,
  tRefK: 298.15,
  /** Gas constant as written in the BLAST-Lite resistance term, J/(mol·K). */
  gasConstant: 8.3144,
} as const;

const L = LFP_SONY_MURATA;

/** Calendar extent y∞ at one point. */
export function lfpQ1(tempK: number, ua: number): number {
  const r = Math.sqrt(ua);
  return Math.abs(L.q1_b0 * Math.exp((L.q1_b1 / (tempK * tempK)) * r) * Math.exp((L.q1_b2 / tempK) * r));
}

/** Calendar exponent at one point. */
export function lfpQ3(tempK: number, ua: number): number {
  const t2 = tempK * tempK;
  const u3 = Math.cbrt(ua);
  const u4 = Math.sqrt(Math.sqrt(ua));
  return Math.abs(
    L.q3_b0 *
      Math.exp((L.q3_b1 / (t2 * t2)) * u3) *
      Math.exp(L.q3_b2 * t2 * tempK * u4) *
      Math.exp((L.q3_b3 / (t2 * tempK)) * u3) *
      Math.exp(L.q3_b4 * t2 * u4),
  );
}

/** Standard normal cdf via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** BLAST-Lite `_skewnormpdf`. */
export function skewNormalShape(x: number, skew: number, width: number): number {
  const xp = (x - 0.5) / width;
  return ((2 * Math.exp(-0.5 * xp * xp)) / Math.sqrt(2 * Math.PI)) * normalCdf(skew * xp);
}

export function lfpQ5(dod: number, cRate: number): number {
  return Math.abs(L.q5_b0 + L.q5_b1 * dod + L.q5_b2 * Math.exp(dod * dod * cRate ** 3));
}

export const lfpSonyMurata3Ah: CellModel = {
  id: 'lfp-sony-murata-3ah',
  chemistry: 'LFP',
  label: 'LFP/graphite Sony-Murata US26650FTC1 3 Ah (Naumann 2018/2020, Gasper 2022)',
  sources: [
    'M. Naumann et al., J. Energy Storage 17 (2018) 153, doi:10.1016/j.est.2018.01.019 (calendar data)',
    'M. Naumann et al., J. Power Sources 451 (2020) 227666, doi:10.1016/j.jpowsour.2019.227666 (cycling data)',
    'P. Gasper et al., J. Electrochem. Soc. 169 (2022) 080518, doi:10.1149/1945-7111/ac86a8 (model)',
    'NREL BLAST-Lite, blast/models/lfp_gr_SonyMurata3Ah_2018.py (github.com/NREL/BLAST-Lite, BSD-3)',
  ],
  validRange: { cyclingTemperatureC: [20, 40], calendarTemperatureC: [0, 60], dod: [0.8, 1], soc: [0, 1], maxChargeCRate: 1, maxDischargeCRate: 2 },
  limitations: [
    'cycling fade has no temperature term: heat acts through calendar ageing only',
    'the cycling DoD term turns negative below DoD ≈ 0.26; BLAST-Lite takes its magnitude',
    'break-in loss fitted to high-rate cycling, evaluated only above 3 EFC/day',
  ],
  resistance: 'fitted',
  startCapacityOfNew: 1,
  stateNames: ['qLoss_LLI_t', 'qLoss_LLI_EFC', 'qLoss_BreakIn_EFC', 'rGain_LLI_t', 'rGain_LLI_EFC'],
  rateNames: ['q1', 'q3', 'q5', 'q7', 'r_kcal', 'r_kcyc'],
  rates(s: IntervalStressors, out: Float64Array) {
    out[0] = timeAverage(s, (i) => lfpQ1(s.tempK[i]!, s.ua[i]!));
    out[1] = timeAverage(s, (i) => lfpQ3(s.tempK[i]!, s.ua[i]!));
    out[2] = lfpQ5(s.dod, s.cRate);
    const dodShape = skewNormalShape(s.dod, L.q7_dodSkew, L.q7_dodWidth) * 2 * (0.5 - 1 / (1 + Math.exp(L.q7_dodGrowth * s.dod)));
    out[3] = timeAverage(s, (i) => Math.abs(L.q7_b0 * skewNormalShape(s.soc[i]!, L.q7_socSkew, L.q7_socWidth) * dodShape));
    const kTemp = timeAverage(s, (i) => L.kRefRCal * Math.exp((-L.eaRCalJPerMol / L.gasConstant) * (1 / s.tempK[i]! - 1 / L.tRefK)));
    const kSoc = timeAverage(s, (i) => L.cRCal * (s.soc[i]! - 0.5) ** 3 + L.dRCal);
    out[4] = kTemp * kSoc;
    out[5] = (L.aRCyc * s.cRate + L.bRCyc) * (L.cRCyc * (s.dod - 0.5) ** 3 + L.dRCyc);
  },
  carrySize: 0,
  updateStates(st, r, s) {
    st[0]! += sigmoidStep(st[0]!, s.deltaTDays, r[0]!, L.q2, r[1]!);
    st[1]! += powerBStep(st[1]!, s.deltaEfc, r[2]!, L.q6);
    if (s.deltaEfc / s.deltaTDays > L.breakInMinEfcPerDay) st[2]! += sigmoidStep(st[2]!, s.deltaEfc, r[3]!, L.q8, L.q9);
    st[3]! += r[4]! * s.deltaTDays * 86400;
    st[4]! += (r[5]! * s.deltaEfc) / 100;
  },
  outputs(st, out) {
    out[0] = 1 - st[0]! - st[1]! - st[2]!;
    out[1] = 1 + st[3]! + st[4]!;
  },
};
