import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { executeRows, type Database } from '../../src/db/client.js';
import { fleets, modules } from '../../src/db/schema/index.js';
import { databaseTargets, PG_REQUIRED } from '../helpers/databases.js';

describe('database targets', () => {
  it('include PostgreSQL when RELIFE_REQUIRE_PG=1', () => {
    const names = databaseTargets().map((t) => t.name);
    expect(names[0]).toBe('pglite');
    if (PG_REQUIRED) expect(names).toContain('postgres');
  });
});

describe.each(databaseTargets())('openDatabase on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reports its kind and runs the migrations (all tables present)', async () => {
    expect(database.kind).toBe(target.name);
    const rows = await executeRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rows.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['applications', 'fleets', 'measurements', 'modules']));
  });

  it('starts empty (isolated from other test databases)', async () => {
    expect(await database.db.select().from(fleets)).toEqual([]);
  });

  it('enforces the module checks in the database itself', async () => {
    const [fleet] = await database.db.insert(fleets).values({ name: 'checks' }).returning();
    const base = {
      fleetId: fleet.id,
      serial: 'S1',
      chemistry: 'NMC',
      nominalCapacityAh: 60,
      nominalVoltageV: 48,
      sohPercent: 70,
      internalResistanceMilliohm: 50,
      temperatureMinC: 20,
      temperatureMaxC: 30,
      cycleCount: 1000,
    };
    await database.db.insert(modules).values(base);
    await expect(database.db.insert(modules).values(base)).rejects.toThrow();
    await expect(database.db.insert(modules).values({ ...base, serial: 'S2', sohPercent: 101 })).rejects.toThrow();
    await expect(database.db.insert(modules).values({ ...base, serial: 'S3', chemistry: 'XYZ' })).rejects.toThrow();
    const count = await database.db.$count(modules);
    expect(count).toBe(1);
  });
});
