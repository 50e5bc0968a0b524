/**
 * LMO/graphite, Nissan Leaf (AESC) 66 Ah modules in SECOND LIFE: the one published model fitted on
 * retired EV modules. Half-modules (2p cells) that start at ≈ 70 % of their new capacity (46 Ah).
 *
 * Sources: calendar data E. Braco, I. San Martín, A. Berrueta, P. Sanchis, A. Ursúa, Proc. IEEE
 * EEEIC/I&CPS Europe 2022, doi:10.1109/EEEIC/ICPSEUROPE54979.2022.9854784; cycling data E. Braco et
 * al., J. Energy Storage 32 (2020) 101695, doi:10.1016/j.est.2020.101695; model P. Gasper, NREL
 * BLAST-Lite `blast/models/lmo_gr_NissanLeaf66Ah_2ndLife_2020.py` (github.com/NREL/BLAST-Lite, BSD-3).
 *
 * Equations (rates → states → outputs), relative to the capacity at the start of second life:
 *   calendar   q_t = k_cal·t^p_cal,  k_cal = A·exp(B/T)·exp(C·SOC/T)
 *   cycling    q_N = k_cyc·N^p_cyc   (throughput only)
 *   capacity   q = 1 − q_t − q_N;  of new: 0.7·q
 *   resistance PROXY (kokam-resistance-proxy.ts): the model has none.
 *
 * Valid range: calendar at widely varied SOC and temperature; cycling at one condition only
 * (25 °C, DoD 1, 1C/1C); BLAST-Lite gives 20–30 °C, DoD 0.8–1, ≤ 1C.
 * Limitations: cycling fade depends on throughput only (no temperature, DoD or C-rate term);
 * valid for cycling near 25 °C, 100 % DoD, 1C only.
 */
import type { IntervalStressors } from '../stressors/day-profile.js';
import { advancePowerStates, POWER_CARRY } from '../states/state-equations.js';
import type { CellModel } from './cell-model.js';
import { arrheniusSocAverage } from './rate-averages.js';
import { KOKAM_RESISTANCE_PROXY, PROXY_EXPONENTS, proxyRates, proxyStepInputs } from './kokam-resistance-proxy.js';


/** BLAST-Lite `_params_life` of the Nissan Leaf second-life model. */
export const LMO_NISSAN_LEAF = {
  qcalA: 3.25e8, // calendar prefactor, 1/day^p
  qcalB: -7.58e3, // Arrhenius, K
  qcalC: 162, // SOC stress, K
  qcalP: 0.464, // calendar time exponent
  qcycA: 7.58e-5, // cycling prefactor, 1/EFC^p
  qcycP: 1.08, // cycling EFC exponent
  /** Capacity at the start of second life as a fraction of new (46 of 66 Ah ≈ 0.7, BLAST-Lite `qNew = 0.7·q`). */
  secondLifeStartOfNew: 0.7,
} as const;

const P = LMO_NISSAN_LEAF;

/** `advancePowerStates` inputs: states 0–3 with their exponents; dx and k of the step being taken. */
const STATE_AT = Int32Array.of(0, 1, 2, 3);
const EXPONENTS = Float64Array.of(P.qcalP, P.qcycP, ...PROXY_EXPONENTS);
const stepDx = new Float64Array(4);
const stepK = new Float64Array(4);

export function lmoKcal(tempK: number, soc: number): number {
  return P.qcalA * Math.exp(P.qcalB / tempK) * Math.exp((P.qcalC * soc) / tempK);
}

export const lmoNissanLeaf2ndLife: CellModel = {
  id: 'lmo-nissan-leaf-2nd-life',
  chemistry: 'LMO',
  label: 'LMO/graphite Nissan Leaf 66 Ah second-life modules (Braco 2020/2022; BLAST-Lite)',
  sources: [
    'E. Braco et al., J. Energy Storage 32 (2020) 101695, doi:10.1016/j.est.2020.101695 (cycling data)',
    'E. Braco et al., IEEE EEEIC/I&CPS Europe 2022, doi:10.1109/EEEIC/ICPSEUROPE54979.2022.9854784 (calendar data)',
    'NREL BLAST-Lite, blast/models/lmo_gr_NissanLeaf66Ah_2ndLife_2020.py (github.com/NREL/BLAST-Lite, BSD-3)',
  ],
  validRange: { cyclingTemperatureC: [20, 30], calendarTemperatureC: [0, 60], dod: [0.8, 1], soc: [0, 1], maxChargeCRate: 1, maxDischargeCRate: 1 },
  limitations: [
    'cycling fade depends on charge throughput only (one test condition: 25 °C, 100 % DoD, 1C/1C)',
    'relative to the capacity at the start of second life (≈ 70 % of new)',
    KOKAM_RESISTANCE_PROXY,
  ],
  resistance: 'proxy',
  resistanceProxy: KOKAM_RESISTANCE_PROXY,
  startCapacityOfNew: P.secondLifeStartOfNew,
  stateNames: ['qLoss_t', 'qLoss_EFC', 'rGainProxy_t', 'rGainProxy_EFC'],
  rateNames: ['k_cal', 'proxy_q1', 'proxy_q3'],
  rates(s: IntervalStressors, out: Float64Array) {
    // The Arrhenius factor kept while the temperature repeats (the same arithmetic as lmoKcal).
    out[0] = arrheniusSocAverage(s, P.qcalA, P.qcalB, P.qcalC);
    proxyRates(s, out, 1);
  },
  carrySize: 4 * POWER_CARRY,
  updateStates(st, r, s, c) {
    // All four states are power laws: one block step (calendar, cycling, proxy calendar, proxy cycling).
    stepDx[0] = s.deltaTDays;
    stepK[0] = r[0]!;
    stepDx[1] = s.deltaEfc;
    stepK[1] = P.qcycA;
    proxyStepInputs(stepDx, stepK, 2, r, 1, s);
    advancePowerStates(st, STATE_AT, stepDx, stepK, EXPONENTS, c);
  },
  outputs(st, out) {
    out[0] = 1 - st[0]! - st[1]!;
    out[1] = 1 + st[2]! + st[3]!;
  },
};
