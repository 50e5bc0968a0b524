/**
 * Resistance growth for models fitted without it (NCA Panasonic, LMO Nissan Leaf): a PROXY, not a
 * fit to those cells. The Kokam NMC111/graphite model's resistance equations (Smith et al., Proc.
 * ACC 2017, doi:10.23919/ACC.2017.7963578; BLAST-Lite nmc111_gr_Kokam75Ah_2017.py)
 *   r = 1 + r1·q1·t^r2 + r3·q3·N^r4
 * evaluated at the same stressors (temperature, anode potential, DoD, throughput): the growth a
 * layered-oxide/graphite cell shows under that duty. Graphite-side SEI growth drives most of it,
 * which the four chemistries share; the cathode contribution of NCA and LMO (spinel Mn
 * dissolution) is not represented. Every output of a proxied model says so.
 */
import type { IntervalStressors } from '../stressors/day-profile.js';
import { kokamLliRates, NMC_KOKAM as N } from './nmc-kokam-75ah.js';

export const KOKAM_RESISTANCE_PROXY =
  'resistance growth is a proxy: the Kokam NMC111/graphite model (Smith et al. 2017) at the same stressors, no cell-specific fit';

const kokam = new Float64Array(2);
// Module-local copies: read once per day per state, and an imported binding may cost a getter.
const R1 = N.r1;
const R2 = N.r2;
const R3 = N.r3;
const R4 = N.r4;

/** Kokam [q1, q3] of the interval into out[o], out[o + 1]. */
export function proxyRates(s: IntervalStressors, out: Float64Array, o: number): void {
  kokamLliRates(s, kokam);
  out[o] = kokam[0]!;
  out[o + 1] = kokam[1]!;
}

/** Exponents of the proxy's two power-law states (calendar, cycling), for `advancePowerStates`. */
export const PROXY_EXPONENTS = [R2, R4] as const;

/** The proxy resistance states' step inputs at i, i + 1 of an `advancePowerStates` block: calendar, then cycling, from the rates at r[ro]. */
export function proxyStepInputs(dx: Float64Array, k: Float64Array, i: number, r: Float64Array, ro: number, s: IntervalStressors): void {
  dx[i] = s.deltaTDays;
  k[i] = R1 * r[ro]!;
  dx[i + 1] = s.deltaEfc;
  k[i + 1] = R3 * r[ro + 1]!;
}
