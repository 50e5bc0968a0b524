/** The data layer other engines build on, on PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { executeRows, type Database } from '../../src/db/client.js';
import { createFleet, deleteFleet, fleetStats } from '../../src/db/fleets.js';
import {
  countFilteredModules,
  getModule,
  insertMeasurements,
  insertModules,
  loadFleetModules,
  loadMeasurements,
  pageFleetModules,
  setModuleCalibration,
  usableEnergyKwh,
} from '../../src/db/modules.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';
import { databaseTargets } from '../helpers/databases.js';

describe.each(databaseTargets())('data layer on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('orders serials bytewise everywhere (upper case before lower, digits as text)', async () => {
    const fleet = await createFleet(database.db, { name: 'order' });
    const base = generateSyntheticFleet({ size: 6, seed: 5 });
    const serials = ['b2', 'B10', 'a', 'B2', 'Z', '_x'];
    await insertModules(database.db, fleet.id, base.map((m, i) => ({ ...m, serial: serials[i] })));
    const loaded = (await loadFleetModules(database.db, fleet.id)).map((m) => m.serial);
    expect(loaded).toEqual(['B10', 'B2', 'Z', '_x', 'a', 'b2']);
    const back = await pageFleetModules(database.db, fleet.id, {}, { beforeSerial: 'a', limit: 2, descending: true });
    expect(back.map((m) => m.serial)).toEqual(['_x', 'Z']);
  });

  it('sums usable energy per fleet and counts filtered modules', async () => {
    const fleet = await createFleet(database.db, { name: 'stats' });
    const modules = generateSyntheticFleet({ size: 300, seed: 8 });
    await insertModules(database.db, fleet.id, modules);
    const stats = (await fleetStats(database.db, [fleet.id, '00000000-0000-0000-0000-000000000000'])).get(fleet.id)!;
    expect(stats.moduleCount).toBe(300);
    expect(stats.totalEnergyKwh).toBeCloseTo(modules.reduce((s, m) => s + usableEnergyKwh(m), 0), 6);
    const expected = modules.filter((m) => m.sohPercent >= 60 && m.sohPercent <= 70).length;
    expect(await countFilteredModules(database.db, fleet.id, { sohMinPercent: 60, sohMaxPercent: 70 })).toBe(expected);
    expect(await countFilteredModules(database.db, fleet.id, { chemistry: 'LFP' })).toBe(0);
  });

  it('stores calibration and measurements, and deleting the fleet removes them', async () => {
    const fleet = await createFleet(database.db, { name: 'history' });
    await insertModules(database.db, fleet.id, generateSyntheticFleet({ size: 2, seed: 1 }));
    const [m] = await loadFleetModules(database.db, fleet.id);
    await setModuleCalibration(database.db, m.id, { model: 'nmc', scale: 1.07, p10: [1, 2] });
    expect((await getModule(database.db, m.id))!.calibration).toEqual({ model: 'nmc', scale: 1.07, p10: [1, 2] });
    await insertMeasurements(database.db, [
      { moduleId: m.id, cycle: 200, capacityAh: 47.5, resistanceMilliohm: 21 },
      { moduleId: m.id, cycle: 100, capacityAh: 48.9 },
      { moduleId: m.id, timeDays: 30, capacityAh: 49.5, temperatureC: 24 },
    ]);
    const history = await loadMeasurements(database.db, m.id);
    expect(history.map((h) => [h.cycle, h.capacityAh])).toEqual([
      [100, 48.9],
      [200, 47.5],
      [null, 49.5],
    ]);
    expect(await deleteFleet(database.db, fleet.id)).toBe(true);
    expect(await deleteFleet(database.db, fleet.id)).toBe(false);
    const left = await executeRows<{ n: number }>(database.db, sql`select count(*)::int as n from measurements`);
    expect(left[0].n).toBe(0);
  });
});
