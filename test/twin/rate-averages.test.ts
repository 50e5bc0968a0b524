/**
 * The cell models' rates keep a point's temperature-only factors while the temperature repeats
 * (src/twin/models/rate-averages.ts and the NMC model's q1); the rate equations themselves are the
 * per-point functions of each model file. On days with a repeating and a swinging temperature,
 * the models' averages equal the trapezoid average of those equations, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { emptyStressors, extractStressors, timeAverage, type SocProfile } from '../../src/twin/stressors/day-profile.js';
import { LMO_NISSAN_LEAF, lmoKcal, lmoNissanLeaf2ndLife } from '../../src/twin/models/lmo-nissan-leaf-2nd-life.js';
import { NCA_PANASONIC, ncaKcal, ncaKcyc, ncaPanasonic3Ah } from '../../src/twin/models/nca-panasonic-3ah.js';
import { kokamQ1, kokamQ3, kokamRates } from '../../src/twin/models/nmc-kokam-75ah.js';
import { arrheniusSocAverage } from '../../src/twin/models/rate-averages.js';

/** A day of 10-minute points: charge, rest at the top, discharge; temperature held in steps or swinging. */
function day(temperatureC: (hour: number) => number): SocProfile {
  const n = 145;
  const p: SocProfile = { timeS: new Float64Array(n), soc: new Float64Array(n), temperatureC: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const h = i / 6;
    p.timeS[i] = i * 600;
    p.soc[i] = h <= 5 ? 0.2 : h <= 7 ? 0.2 + (h - 5) * 0.35 : h <= 17 ? 0.9 : h <= 19 ? 0.9 - (h - 17) * 0.35 : 0.2;
    p.temperatureC[i] = temperatureC(h);
  }
  return p;
}

const days: [string, SocProfile][] = [
  ['in 4-hour steps of temperature', day((h) => 20 + 5 * Math.floor(h / 4))],
  ['under a ±8 °C daily swing', day((h) => 25 + 8 * Math.sin((2 * Math.PI * (h - 9)) / 24))],
];

describe.each(days)('rate averages on a day %s', (_label, profile) => {
  const s = extractStressors(profile, 0, profile.timeS.length - 1, 0.9, true, emptyStressors(profile.timeS.length));

  it('NCA: calendar and cycling rates equal the averages of ncaKcal and ncaKcyc', () => {
    const out = new Float64Array(ncaPanasonic3Ah.rateNames.length);
    ncaPanasonic3Ah.rates(s, out);
    expect(out[0]).toBe(timeAverage(s, (i) => ncaKcal(s.tempK[i]!, s.soc[i]!)));
    expect(out[1]).toBe(timeAverage(s, (i) => ncaKcyc(s.tempK[i]!, s.dod, s.cRate)));
    expect(arrheniusSocAverage(s, NCA_PANASONIC.qcalA, NCA_PANASONIC.qcalB, NCA_PANASONIC.qcalC)).toBe(out[0]);
  });

  it('LMO: the calendar rate equals the average of lmoKcal', () => {
    const out = new Float64Array(lmoNissanLeaf2ndLife.rateNames.length);
    lmoNissanLeaf2ndLife.rates(s, out);
    expect(out[0]).toBe(timeAverage(s, (i) => lmoKcal(s.tempK[i]!, s.soc[i]!)));
    expect(arrheniusSocAverage(s, LMO_NISSAN_LEAF.qcalA, LMO_NISSAN_LEAF.qcalB, LMO_NISSAN_LEAF.qcalC)).toBe(out[0]);
  });

  it('NMC: q1 and q3 equal the averages of kokamQ1 and kokamQ3', () => {
    const out = new Float64Array(3);
    kokamRates(s, out);
    expect(out[0]).toBe(timeAverage(s, (i) => kokamQ1(s.tempK[i]!, s.ua[i]!)));
    expect(out[1]).toBe(timeAverage(s, (i) => kokamQ3(s.tempK[i]!, s.dod)));
  });
});
