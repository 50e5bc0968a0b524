/**
 * Time averages of rates over an interval's points (stressors/day-profile.ts, `timeAverage`) for
 * the rate forms several fitted models share, with the factors that depend on a point's
 * temperature only kept from the point before while the temperature repeats (a profile at one
 * temperature computes them once). Each is the same arithmetic, in the same order, as evaluating
 * the whole expression at every point, so the results are equal bit for bit.
 */
import { timeAverage, type IntervalStressors } from '../stressors/day-profile.js';

/** Time average of a · exp(b / T) · exp(c · SOC / T), the calendar form of BLAST-Lite's NCA and LMO models. */
export function arrheniusSocAverage(s: IntervalStressors, a: number, b: number, c: number): number {
  let lastTempK = Number.NaN;
  let arrhenius = 0;
  return timeAverage(s, (i) => {
    const tempK = s.tempK[i]!;
    if (tempK !== lastTempK) {
      lastTempK = tempK;
      arrhenius = a * Math.exp(b / tempK);
    }
    return arrhenius * Math.exp((c * s.soc[i]!) / tempK);
  });
}

/** Time average of a rate that depends on a point's temperature only (the interval's scalars aside). */
export function temperatureOnlyAverage(s: IntervalStressors, rateAt: (tempK: number) => number): number {
  let lastTempK = Number.NaN;
  let rate = 0;
  return timeAverage(s, (i) => {
    const tempK = s.tempK[i]!;
    if (tempK !== lastTempK) {
      lastTempK = tempK;
      rate = rateAt(tempK);
    }
    return rate;
  });
}
