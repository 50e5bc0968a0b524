/** Pages of a fleet's modules as the API reads them: all columns, or only the selected ones. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFleet } from '../../src/db/fleets.js';
import { insertModules, loadFleetModules, pageFleetModules, setModuleCalibration, type StoredModule } from '../../src/db/modules.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';
import { databaseTargets } from '../helpers/databases.js';

describe.each(databaseTargets())('module pages on $name', (target) => {
  let database: Database;
  let fleetId: string;
  let all: StoredModule[];
  beforeAll(async () => {
    database = await target.open();
    const fleet = await createFleet(database.db, { name: 'pages' });
    fleetId = fleet.id;
    await insertModules(database.db, fleetId, generateSyntheticFleet({ size: 40, seed: 11 }).map((m, i) => ({ ...m, manufacturer: i % 3 === 0 ? null : m.manufacturer, ageYears: i % 4 === 0 ? null : 7.5 })));
    const first = (await loadFleetModules(database.db, fleetId))[0]!;
    await setModuleCalibration(database.db, first.id, { r0Milliohm: 1.25 });
    all = await loadFleetModules(database.db, fleetId);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads whole rows equal to the stored modules, in serial order, both ways and filtered', async () => {
    expect(await pageFleetModules(database.db, fleetId, {}, { limit: 500 })).toEqual(all);
    const after = all[9]!.serial;
    expect(await pageFleetModules(database.db, fleetId, {}, { afterSerial: after, limit: 5 })).toEqual(all.slice(10, 15));
    const before = all[20]!.serial;
    expect(await pageFleetModules(database.db, fleetId, {}, { beforeSerial: before, limit: 3, descending: true })).toEqual(all.slice(17, 20).reverse());
    const filter = { sohMinPercent: 70, sohMaxPercent: 85, chemistry: all[0]!.chemistry };
    const expected = all.filter((m) => m.sohPercent >= 70 && m.sohPercent <= 85 && m.chemistry === filter.chemistry);
    expect(expected.length).toBeGreaterThan(0);
    expect(await pageFleetModules(database.db, fleetId, filter, { limit: 500 })).toEqual(expected);
  });

  it('reads only the asked fields, with fleet and serial (id when asked), the values unchanged', async () => {
    const rows = await pageFleetModules(database.db, fleetId, {}, { afterSerial: all[4]!.serial, limit: 6 }, ['sohPercent', 'calibration', 'manufacturer']);
    expect(rows).toEqual(
      all.slice(5, 11).map((m) => ({ fleetId: m.fleetId, serial: m.serial, sohPercent: m.sohPercent, calibration: m.calibration, manufacturer: m.manufacturer })),
    );
    const [calibrated] = await pageFleetModules(database.db, fleetId, {}, { limit: 1 }, ['calibration', 'id']);
    expect(calibrated).toEqual({ id: all[0]!.id, fleetId, serial: all[0]!.serial, calibration: { r0Milliohm: 1.25 } });
  });

  it('binds filter values as parameters, never as SQL text', async () => {
    const rows = await pageFleetModules(database.db, fleetId, { chemistry: "NMC' or '1'='1" as never }, { afterSerial: "' or 1=1 --", limit: 10 }, ['sohPercent']);
    expect(rows).toEqual([]);
  });
});
