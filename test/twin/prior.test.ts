/** The population prior of the individual ageing factor: no clamp, shrinkage by evidence, the band it implies. */
import { describe, expect, it } from 'vitest';
import { AGEING_PRIOR, ageingPosterior, modulePrior } from '../../src/twin/prior.js';
import { simulate } from '../../src/twin/simulate.js';
import { GRID, moduleFixture } from './fixtures.js';

describe('ageing-factor prior', () => {
  it('a new module (nothing lost, age 0) ages as the population median, not five times slower', () => {
    for (const chemistry of ['NMC', 'LFP', 'NCA', 'LMO'] as const) {
      const p = modulePrior(moduleFixture({ chemistry, sohPercent: 100, ageYears: 0, cycleCount: 0 }));
      expect(p.ageingFactor, chemistry).toBeGreaterThan(0.9);
      expect(p.ageingFactor, chemistry).toBeLessThan(1.1);
      expect(p.lnAgeingFactorSd).toBeCloseTo(AGEING_PRIOR.lnSigma, 2);
    }
  });

  it('a young module that has lost little stays near the median; strong evidence moves the factor toward what it shows', () => {
    const young = ageingPosterior(0.005, 0.01);
    expect(Math.exp(young.lnMean)).toBeGreaterThan(0.95);
    const strong = ageingPosterior(0.3, 0.15);
    expect(strong.weight).toBeGreaterThan(0.8);
    expect(Math.exp(strong.lnMean)).toBeGreaterThan(1.6);
    expect(Math.exp(strong.lnMean)).toBeLessThan(2);
    expect(strong.lnSd).toBeLessThan(young.lnSd);
  });

  it('an unknown age and no cycles: the prior stands and the module starts at its virtual age', () => {
    const p = modulePrior(moduleFixture({ sohPercent: 92, ageYears: null, cycleCount: 0 }));
    expect(p.ageingFactor).toBe(1);
    expect(p.modelCapacity).toBeCloseTo(0.92, 3);
    expect(p.firstLifeYears).toBeGreaterThan(1);
  });

  it('the band: P10 ≤ SOH ≤ P90 at every step, opening with time', () => {
    const m = moduleFixture({ sohPercent: 76, ageYears: 2, cycleCount: 150 });
    const t = simulate(m, GRID, GRID.envelopes[0]!, { horizonYears: 10 }).trajectory;
    expect(t.sohP10Percent).not.toBeNull();
    for (let i = 0; i < t.sohPercent.length; i++) {
      expect(t.sohP10Percent![i]!).toBeLessThanOrEqual(t.sohPercent[i]! + 1e-9);
      expect(t.sohP90Percent![i]!).toBeGreaterThanOrEqual(t.sohPercent[i]! - 1e-9);
    }
    expect(t.sohP90Percent![120]! - t.sohP10Percent![120]!).toBeGreaterThan(t.sohP90Percent![12]! - t.sohP10Percent![12]!);
  });

  it('a calibrated projection carries no prior band', () => {
    const m = moduleFixture();
    const t = simulate(m, GRID, GRID.envelopes[0]!, { horizonYears: 5, calibration: { factors: { calendar: 1.2, cycle: 1.2, cycleExponent: Number.NaN } } }).trajectory;
    expect(t.sohP10Percent).toBeNull();
  });
});
