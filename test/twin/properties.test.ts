/**
 * Monotonicity of the physics (fast-check, seeded): hotter, deeper, faster and higher-SOC
 * storage, and a daily temperature swing, age a module more; a lower starting SOH shortens its life.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/twin/simulate.js';
import { dailyAttenuation, moduleThermal } from '../../src/twin/thermal.js';
import type { ApplicationSpec, Chemistry, Envelope } from '../../src/twin/types.js';
import { GRID, moduleFixture } from './fixtures.js';

const FC = { seed: 20261125, numRuns: 60 };
const chemistry = fc.constantFrom<Chemistry>('NMC', 'LFP');

/** SOH lost over the first `years` (the trajectory runs the full horizon regardless of end of life). */
function lossAfter(chem: Chemistry, app: ApplicationSpec, env: Envelope, years = 4): number {
  const m = moduleFixture({ chemistry: chem, sohPercent: 78, cycleCount: 600, ageYears: 7 });
  const p = simulate(m, app, env, { horizonYears: years });
  const t = p.trajectory.sohPercent;
  return t[0]! - t[t.length - 1]!;
}

function withDuty(over: Partial<ApplicationSpec['duty']>): ApplicationSpec {
  return { ...GRID, duty: { ...GRID.duty, ...over } };
}
const PASSIVE: Envelope = { name: 'p', description: '', socMinPercent: 5, socMaxPercent: 95, dodFactor: 1, activeCooling: false };

describe('monotone physics', () => {
  it('hotter ambient → more fade', () => {
    fc.assert(
      fc.property(chemistry, fc.double({ min: 5, max: 35, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), (chem, t, dt) => {
        const cool = lossAfter(chem, withDuty({ ambientTemperatureC: t }), PASSIVE);
        const hot = lossAfter(chem, withDuty({ ambientTemperatureC: t + dt }), PASSIVE);
        expect(hot).toBeGreaterThan(cool);
      }),
      FC,
    );
  });

  it('a daily temperature swing → more fade and a hotter peak (Arrhenius rates are convex in temperature)', () => {
    fc.assert(
      fc.property(chemistry, fc.double({ min: 5, max: 30, noNaN: true }), fc.double({ min: 2, max: 15, noNaN: true }), (chem, t, swing) => {
        const steady = withDuty({ ambientTemperatureC: t });
        const swinging = withDuty({ ambientTemperatureC: t, dailyTemperatureSwingC: swing });
        expect(lossAfter(chem, swinging, PASSIVE)).toBeGreaterThan(lossAfter(chem, steady, PASSIVE));
        const m = moduleFixture({ chemistry: chem });
        const peak = (a: ApplicationSpec) => simulate(m, a, PASSIVE, { horizonYears: 2 }).summary.peakTemperatureC;
        // The cell follows the air's swing through its thermal time constant (0.95 of it, passive);
        // the faster fade adds a little self-heating on top.
        const reaching = dailyAttenuation(moduleThermal(m.nominalCapacityAh * m.nominalVoltageV, false).timeConstantS) * swing;
        const rise = peak(swinging) - peak(steady);
        expect(rise).toBeGreaterThanOrEqual(reaching - 1e-9);
        expect(rise).toBeLessThan(reaching + 0.25);
      }),
      { ...FC, numRuns: 30 },
    );
  });

  it('deeper cycles → more fade', () => {
    fc.assert(
      fc.property(chemistry, fc.double({ min: 0.1, max: 0.7, noNaN: true }), fc.double({ min: 0.05, max: 0.25, noNaN: true }), (chem, d, dd) => {
        const shallow = lossAfter(chem, withDuty({ depthOfDischarge: d }), PASSIVE);
        const deep = lossAfter(chem, withDuty({ depthOfDischarge: d + dd }), PASSIVE);
        expect(deep).toBeGreaterThan(shallow);
      }),
      FC,
    );
  });

  it('higher C-rate → more fade', () => {
    fc.assert(
      fc.property(chemistry, fc.double({ min: 0.2, max: 1.5, noNaN: true }), fc.double({ min: 0.1, max: 0.5, noNaN: true }), (chem, c, dc) => {
        const slow = lossAfter(chem, withDuty({ cRate: c }), PASSIVE);
        const fast = lossAfter(chem, withDuty({ cRate: c + dc }), PASSIVE);
        expect(fast).toBeGreaterThan(slow);
      }),
      FC,
    );
  });

  it('storage at higher SOC → more fade', () => {
    const storage = (socMax: number): ApplicationSpec => withDuty({ cyclesPerDay: 0.05, depthOfDischarge: 0.1, socMinPercent: 0, socMaxPercent: 100 });
    fc.assert(
      fc.property(chemistry, fc.double({ min: 20, max: 80, noNaN: true }), fc.double({ min: 5, max: 20, noNaN: true }), (chem, s, ds) => {
        const env = (hi: number): Envelope => ({ ...PASSIVE, socMinPercent: 0, socMaxPercent: hi });
        const low = lossAfter(chem, storage(s), env(s));
        const high = lossAfter(chem, storage(s + ds), env(s + ds));
        expect(high).toBeGreaterThan(low);
      }),
      FC,
    );
  });

  it('lower starting SOH → shorter (or equal at the horizon) remaining life', () => {
    fc.assert(
      fc.property(chemistry, fc.double({ min: 58, max: 90, noNaN: true }), fc.double({ min: 1, max: 8, noNaN: true }), (chem, soh, d) => {
        const base = { chemistry: chem, cycleCount: 900, ageYears: 8 } as const;
        const hi = simulate(moduleFixture({ ...base, sohPercent: soh }), GRID, GRID.envelopes[0]!).summary.rulYears;
        const lo = simulate(moduleFixture({ ...base, sohPercent: soh - d }), GRID, GRID.envelopes[0]!).summary.rulYears;
        expect(lo).toBeLessThanOrEqual(hi);
        if (hi < 20) expect(lo).toBeLessThan(hi);
      }),
      FC,
    );
  });

  it('active cooling runs cooler than passive in a hot climate', () => {
    const hot = withDuty({ ambientTemperatureC: 38, seasonalSwingC: 6 });
    const m = moduleFixture();
    const passive = simulate(m, hot, PASSIVE).summary;
    const active = simulate(m, hot, { ...PASSIVE, activeCooling: true }).summary;
    expect(active.peakTemperatureC).toBeLessThan(passive.peakTemperatureC - 5);
    expect(active.fadePctPerYear).toBeLessThan(passive.fadePctPerYear);
  });
});
