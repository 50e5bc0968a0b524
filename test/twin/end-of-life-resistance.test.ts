/**
 * The acceptance screen (maxResistanceMilliohm) and the in-service resistance limit are different
 * requirements: a module accepted just under the screen must not be retired the month its
 * resistance crosses it.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/twin/simulate.js';
import { endOfLifeResistanceMilliohm } from '../../src/twin/requirements.js';
import { validateApplication } from '../../src/twin/validate.js';
import type { ApplicationSpec } from '../../src/twin/types.js';
import { GRID, moduleFixture } from './fixtures.js';

function withRequirements(over: Partial<ApplicationSpec['requirements']>): ApplicationSpec {
  return { ...GRID, requirements: { ...GRID.requirements, ...over } };
}

describe('in-service resistance limit', () => {
  const module = moduleFixture({ internalResistanceMilliohm: 11.5 }); // just under GRID's 12 mΩ screen

  it('defaults to twice the acceptance threshold', () => {
    expect(endOfLifeResistanceMilliohm(GRID.requirements)).toBe(24);
    expect(endOfLifeResistanceMilliohm({ ...GRID.requirements, endOfLifeResistanceMilliohm: 15 })).toBe(15);
  });

  it('keeps a module accepted near the screen in service past the screening value', () => {
    const { summary, trajectory } = simulate(module, GRID, GRID.envelopes[0]!);
    expect(summary.feasible || summary.violations.every((v) => v.requirement !== 'MAX_RESISTANCE')).toBe(true);
    const crossedScreenAt = trajectory.resistanceMilliohm.findIndex((r) => r >= 12);
    expect(crossedScreenAt).toBeGreaterThan(0);
    expect(summary.rulYears).toBeGreaterThan(trajectory.timeYears[crossedScreenAt]!);
  });

  it('ends life where the resistance reaches an explicit in-service limit', () => {
    const app = withRequirements({ endOfLifeResistanceMilliohm: 13, endOfLifeSohPercent: 1 });
    const { summary, trajectory } = simulate(module, app, app.envelopes[0]!);
    expect(summary.endOfLifeReason).toBe('RESISTANCE');
    const k = trajectory.resistanceMilliohm.findIndex((r) => r >= 13);
    expect(summary.rulYears).toBeGreaterThan(trajectory.timeYears[k - 1]!);
    expect(summary.rulYears).toBeLessThanOrEqual(trajectory.timeYears[k]!);
  });

  it('rejects an in-service limit below the acceptance threshold, naming the field', () => {
    expect(() => validateApplication(withRequirements({ endOfLifeResistanceMilliohm: 10 }))).toThrow(/requirements\.endOfLifeResistanceMilliohm \(10\)/);
  });
});
