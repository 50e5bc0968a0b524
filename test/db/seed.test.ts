/** The paper §3A generator, the default applications' binding capacities, and the demo seed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadApplications } from '../../src/db/applications.js';
import { getFleetByName } from '../../src/db/fleets.js';
import { loadFleetModules, usableEnergyKwh } from '../../src/db/modules.js';
import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { passesScreening } from '../../src/twin/requirements.js';
import { generateSyntheticFleet, paperFleet, PAPER_TABLE_3 } from '../../src/demo/synthetic-fleet.js';
import type { ModuleState } from '../../src/twin/types.js';
import { databaseTargets } from '../helpers/databases.js';

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('synthetic fleet generator (paper §3A)', () => {
  const fleet = generateSyntheticFleet({ size: 2000, seed: 42 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateSyntheticFleet({ size: 50, seed: 42 })).toEqual(fleet.slice(0, 50));
    expect(generateSyntheticFleet({ size: 50, seed: 43 })).not.toEqual(fleet.slice(0, 50));
  });

  it('keeps SOH within 55–80 % and every field physically valid', () => {
    for (const m of fleet) {
      expect(m.sohPercent).toBeGreaterThanOrEqual(55);
      expect(m.sohPercent).toBeLessThanOrEqual(80);
      expect(m.internalResistanceMilliohm).toBeGreaterThan(0);
      expect(m.temperatureMinC).toBeLessThan(m.temperatureMaxC);
      expect(Number.isInteger(m.cycleCount) && m.cycleCount > 0).toBe(true);
      expect(m.ageYears).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(fleet.map((m) => m.serial)).size).toBe(fleet.length);
  });

  it('correlates resistance and cycle count with capacity loss the way ageing does', () => {
    const loss = fleet.map((m) => 100 - m.sohPercent);
    expect(pearson(loss, fleet.map((m) => m.internalResistanceMilliohm))).toBeGreaterThan(0.6);
    const cool = fleet.filter((m) => m.temperatureMaxC <= 40);
    expect(pearson(cool.map((m) => 100 - m.sohPercent), cool.map((m) => m.cycleCount))).toBeGreaterThan(0.5);
  });

  it('has a hot, fast-ageing sub-population (about the stressed fraction)', () => {
    const hot = fleet.filter((m) => m.temperatureMinC >= 28 && m.temperatureMaxC - m.temperatureMinC >= 12);
    expect(hot.length / fleet.length).toBeGreaterThan(0.15);
    expect(hot.length / fleet.length).toBeLessThan(0.3);
    // Same SOH band, fewer cycles: heat and irregular use age them faster.
    const band = (ms: ModuleState[]) => ms.filter((m) => m.sohPercent >= 60 && m.sohPercent <= 70).map((m) => m.cycleCount).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
    const coolBand = band(fleet.filter((m) => !hot.includes(m)));
    expect(median(band(hot))).toBeLessThan(0.6 * median(coolBand));
    expect(generateSyntheticFleet({ size: 500, seed: 1, stressedFraction: 0 }).every((m) => m.temperatureMinC < 28 + 1e-9)).toBe(true);
  });

  it('rejects invalid options with the offending value', () => {
    expect(() => generateSyntheticFleet({ size: -1, seed: 1 })).toThrow(/size.*-1/);
    expect(() => generateSyntheticFleet({ size: 1, seed: 1, stressedFraction: 2 })).toThrow(/stressedFraction.*2/);
  });
});

describe('paper-120 and the default applications', () => {
  const fleet = paperFleet();

  it('has 120 modules starting with Table 3 rows B1–B5 verbatim', () => {
    expect(fleet).toHaveLength(120);
    expect(fleet.slice(0, 5)).toEqual(PAPER_TABLE_3);
    expect(PAPER_TABLE_3.map((m) => [m.serial, m.sohPercent, m.internalResistanceMilliohm, m.temperatureMinC, m.temperatureMaxC, m.cycleCount])).toEqual([
      ['B1', 78, 45, 25, 35, 1200],
      ['B2', 65, 60, 30, 45, 1500],
      ['B3', 72, 50, 20, 30, 1100],
      ['B4', 58, 70, 35, 50, 1800],
      ['B5', 80, 40, 25, 32, 1000],
    ]);
    expect(new Set(fleet.map((m) => m.serial)).size).toBe(120);
  });

  it('has capacity limits that bind: each below its eligible energy, the sum below the fleet’s eligible energy', () => {
    const anyEligible = fleet.filter((m) => DEFAULT_APPLICATIONS.some((a) => passesScreening(m, a)));
    const anyEnergy = anyEligible.reduce((s, m) => s + usableEnergyKwh(m), 0);
    const totalLimit = DEFAULT_APPLICATIONS.reduce((s, a) => s + a.capacityLimitKwh, 0);
    expect(totalLimit).toBeLessThan(0.7 * anyEnergy);
    for (const a of DEFAULT_APPLICATIONS) {
      const eligible = fleet.filter((m) => passesScreening(m, a)).reduce((s, m) => s + usableEnergyKwh(m), 0);
      expect(a.capacityLimitKwh, a.name).toBeLessThan(0.5 * eligible);
      expect(a.envelopes.length, a.name).toBeGreaterThanOrEqual(2);
    }
  });
});

describe.each(databaseTargets())('demo seed on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('seeds an empty database once; loads modules by serial and applications as ApplicationSpec', async () => {
    expect(await seedDemoIfEmpty(database.db)).toEqual({ fleetSeeded: true, applicationsSeeded: 4 });
    expect(await seedDemoIfEmpty(database.db)).toEqual({ fleetSeeded: false, applicationsSeeded: 0 });
    const fleet = await getFleetByName(database.db, 'paper-120');
    const modules = await loadFleetModules(database.db, fleet!.id);
    expect(modules).toHaveLength(120);
    expect(modules.map((m) => m.serial)).toEqual([...modules.map((m) => m.serial)].sort());
    const strip = ({ id: _i, fleetId: _f, calibration: _c, ...state }: (typeof modules)[number]) => state;
    const expected = [...paperFleet()].sort((a, b) => (a.serial < b.serial ? -1 : 1));
    expect(modules.map(strip)).toEqual(expected);
    const apps = await loadApplications(database.db);
    expect(apps.map(({ id: _id, capacitySharePercent: _share, ...a }) => a).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...DEFAULT_APPLICATIONS].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });
});
