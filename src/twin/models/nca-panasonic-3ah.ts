/**
 * NCA/graphite, Panasonic NCR18650B 3.2 Ah cylindrical.
 *
 * Sources: calendar data P. Keil, S. F. Schuster, J. Wilhelm, J. Travi, A. Hauser, R. C. Karl,
 * A. Jossen, J. Electrochem. Soc. 163 (2016) A1872, doi:10.1149/2.0411609jes; cycling data Y.
 * Preger et al., J. Electrochem. Soc. 167 (2020) 120532, doi:10.1149/1945-7111/abae37
 * (batteryarchive.org); model P. Gasper, NREL BLAST-Lite `blast/models/nca_gr_Panasonic3Ah_2018.py`
 * (github.com/NREL/BLAST-Lite, BSD-3). No single study aged these cells both ways.
 *
 * Equations (rates → states → outputs):
 *   calendar   q_t = k_cal·t^p_cal,  k_cal = A·exp(B/T)·exp(C·SOC/T)
 *   cycling    q_N = k_cyc·N^p_cyc,  k_cyc = (A + B·C_rate + C·DoD)·(exp(D/T) + exp(−E/T))
 *   capacity   q = 1 − q_t − q_N
 *   resistance PROXY (kokam-resistance-proxy.ts): the model has none.
 * (D and E are ~1e-11 K: the cycling temperature factor is 2 at every temperature.)
 *
 * Valid range: calendar 25–50 °C, SOC 0–1, up to 300 days; cycling 15–35 °C, DoD 0.8–1 (DoD
 * dependence assumed linear, no data), charge ≤ C/2, discharge ≤ 2C.
 * Limitations: no knee (accelerating fade seen at room temperature and high DoD is not modelled);
 * cycling outside 25–45 °C may be optimistic; calendar extrapolated past 300 days.
 */
import type { IntervalStressors } from '../stressors/day-profile.js';
import { advancePowerStates, POWER_CARRY } from '../states/state-equations.js';
import type { CellModel } from './cell-model.js';
import { arrheniusSocAverage, temperatureOnlyAverage } from './rate-averages.js';
import { KOKAM_RESISTANCE_PROXY, PROXY_EXPONENTS, proxyRates, proxyStepInputs } from './kokam-resistance-proxy.js';


/** BLAST-Lite `_params_life` of the Panasonic NCA model. */
export const NCA_PANASONIC = {
  qcalA: 75.4, // calendar prefactor, 1/day^p
  qcalB: -3.34e3, // Arrhenius, K
  qcalC: 353, // SOC stress, K
  qcalP: 0.512, // calendar time exponent
  qcycA: 1.86e-6, // cycling prefactor, 1/EFC^p
  qcycB: 4.74e-11, // C-rate term
  qcycC: 1.77e-4, // DoD term
  qcycD: 3.34e-11, // temperature terms exp(D/T) + exp(−E/T), K
  qcycE: 2.81e-9,
  qcycP: 0.699, // cycling EFC exponent
} as const;

const P = NCA_PANASONIC;

/** `advancePowerStates` inputs: states 0–3 with their exponents; dx and k of the step being taken. */
const STATE_AT = Int32Array.of(0, 1, 2, 3);
const EXPONENTS = Float64Array.of(P.qcalP, P.qcycP, ...PROXY_EXPONENTS);
const stepDx = new Float64Array(4);
const stepK = new Float64Array(4);

export function ncaKcal(tempK: number, soc: number): number {
  return P.qcalA * Math.exp(P.qcalB / tempK) * Math.exp((P.qcalC * soc) / tempK);
}

export function ncaKcyc(tempK: number, dod: number, cRate: number): number {
  return (P.qcycA + P.qcycB * cRate + P.qcycC * dod) * (Math.exp(P.qcycD / tempK) + Math.exp(-P.qcycE / tempK));
}

export const ncaPanasonic3Ah: CellModel = {
  id: 'nca-panasonic-3ah',
  chemistry: 'NCA',
  label: 'NCA/graphite Panasonic NCR18650B 3.2 Ah (Keil 2016, Preger 2020; BLAST-Lite)',
  sources: [
    'P. Keil et al., J. Electrochem. Soc. 163 (2016) A1872, doi:10.1149/2.0411609jes (calendar data)',
    'Y. Preger et al., J. Electrochem. Soc. 167 (2020) 120532, doi:10.1149/1945-7111/abae37 (cycling data)',
    'NREL BLAST-Lite, blast/models/nca_gr_Panasonic3Ah_2018.py (github.com/NREL/BLAST-Lite, BSD-3)',
  ],
  validRange: { cyclingTemperatureC: [15, 35], calendarTemperatureC: [25, 50], dod: [0.8, 1], soc: [0, 1], maxChargeCRate: 0.5, maxDischargeCRate: 2 },
  limitations: [
    'no knee: accelerating fade at high DoD is not modelled',
    'cycling DoD dependence assumed linear (no data below 80 % DoD)',
    'cycling outside 25–45 °C may be optimistic; calendar data span 300 days',
    KOKAM_RESISTANCE_PROXY,
  ],
  resistance: 'proxy',
  resistanceProxy: KOKAM_RESISTANCE_PROXY,
  startCapacityOfNew: 1,
  stateNames: ['qLoss_t', 'qLoss_EFC', 'rGainProxy_t', 'rGainProxy_EFC'],
  rateNames: ['k_cal', 'k_cyc', 'proxy_q1', 'proxy_q3'],
  rates(s: IntervalStressors, out: Float64Array) {
    // Temperature-only factors kept while the temperature repeats (the same arithmetic as ncaKcal/ncaKcyc).
    out[0] = arrheniusSocAverage(s, P.qcalA, P.qcalB, P.qcalC);
    out[1] = temperatureOnlyAverage(s, (tempK) => ncaKcyc(tempK, s.dod, s.cRate));
    proxyRates(s, out, 2);
  },
  carrySize: 4 * POWER_CARRY,
  updateStates(st, r, s, c) {
    // All four states are power laws: one block step (calendar, cycling, proxy calendar, proxy cycling).
    stepDx[0] = s.deltaTDays;
    stepK[0] = r[0]!;
    stepDx[1] = s.deltaEfc;
    stepK[1] = r[1]!;
    proxyStepInputs(stepDx, stepK, 2, r, 2, s);
    advancePowerStates(st, STATE_AT, stepDx, stepK, EXPONENTS, c);
  },
  outputs(st, out) {
    out[0] = 1 - st[0]! - st[1]!;
    out[1] = 1 + st[2]! + st[3]!;
  },
};
