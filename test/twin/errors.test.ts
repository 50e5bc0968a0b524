/** Bad input fails with an error naming the field, row or value. */
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/twin/calibration/index.js';
import { calibrateModule } from '../../src/twin/module-calibration.js';
import { simulate } from '../../src/twin/simulate.js';
import { computeTwinMatrixSync } from '../../src/twin/matrix.js';
import { healthScore } from '../../src/twin/health.js';
import type { ModuleState } from '../../src/twin/types.js';
import { APPS, GRID, moduleFixture } from './fixtures.js';

const prior = { chemistry: 'NMC', temperatureC: 25, dod: 1, cRate: 1 } as const;
const ok = [
  { cycle: 10, relativeCapacity: 0.99 },
  { cycle: 20, relativeCapacity: 0.98 },
  { cycle: 30, relativeCapacity: 0.97 },
];

describe('calibration input', () => {
  it('empty history', () => {
    expect(() => calibrate([], prior)).toThrow(/history is empty/);
  });
  it('negative capacity names the row', () => {
    expect(() => calibrate([...ok, { cycle: 40, relativeCapacity: -0.2 }], prior)).toThrow(/row 4: capacity must be positive.*-0.2/);
  });
  it('non-monotone cycle index names the row and both cycles', () => {
    expect(() => calibrate([ok[0]!, ok[2]!, ok[1]!], prior)).toThrow(/row 3: cycle index 20 is not after the previous 30/);
  });
  it('unknown chemistry', () => {
    expect(() => calibrate(ok, { ...prior, chemistry: 'NiCd' as never })).toThrow(/unknown chemistry "NiCd"/);
  });
  it('module measurement with negative capacity', () => {
    expect(() => calibrateModule(moduleFixture(), [{ cycle: 10, capacityAh: -3 }])).toThrow(/capacityAh must be positive, got -3/);
  });
  it('module calibration without measurements', () => {
    expect(() => calibrateModule(moduleFixture(), [])).toThrow(/no measurements/);
  });
});

describe('module and application input', () => {
  const bad = (over: Partial<ModuleState>) => moduleFixture({ serial: 'X-9', ...over });
  it('unknown chemistry names the module', () => {
    expect(() => simulate(bad({ chemistry: 'NiMH' as never }), GRID, GRID.envelopes[0]!)).toThrow(/module X-9: unknown chemistry "NiMH"/);
  });
  it('negative capacity', () => {
    expect(() => simulate(bad({ nominalCapacityAh: -5 }), GRID, GRID.envelopes[0]!)).toThrow(/module X-9: nominalCapacityAh must be in \(0/);
  });
  it('SOH that is not a number', () => {
    expect(() => healthScore(bad({ sohPercent: Number.NaN }))).toThrow(/sohPercent must be a finite number/);
  });
  it('inverted temperature range', () => {
    expect(() => simulate(bad({ temperatureMinC: 40, temperatureMaxC: 20 }), GRID, GRID.envelopes[0]!)).toThrow(/temperatureMaxC \(20\) is below temperatureMinC \(40\)/);
  });
  it('application with a daily temperature swing out of range', () => {
    const app = { ...GRID, duty: { ...GRID.duty, dailyTemperatureSwingC: 40 } };
    expect(() => simulate(moduleFixture(), app, GRID.envelopes[0]!)).toThrow(/application grid: duty.dailyTemperatureSwingC must be in \[0, 25\], got 40/);
  });

  it('application with an empty SOC window', () => {
    const app = { ...GRID, duty: { ...GRID.duty, socMinPercent: 90, socMaxPercent: 10 } };
    expect(() => simulate(moduleFixture(), app, GRID.envelopes[0]!)).toThrow(/application grid: duty.socMaxPercent \(10\) must exceed/);
  });
  it('envelope with a zero DoD factor', () => {
    expect(() => simulate(moduleFixture(), GRID, { ...GRID.envelopes[0]!, dodFactor: 0 })).toThrow(/envelope full-passive: dodFactor must be in \(0, 1\]/);
  });
  it('matrix rejects a bad module by serial before computing', () => {
    expect(() => computeTwinMatrixSync([moduleFixture(), bad({ cycleCount: -1 })], APPS)).toThrow(/module X-9: cycleCount/);
  });
});
