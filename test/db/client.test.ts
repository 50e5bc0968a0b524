import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readdirSync } from 'node:fs';
import postgres from 'postgres';
import { executeRows, MIGRATIONS_FOLDER, openDatabase, type Database } from '../../src/db/client.js';
import { fleets, modules } from '../../src/db/schema/index.js';
import { databaseTargets, PG_REQUIRED, TEST_PG_URL, withDatabase } from '../helpers/databases.js';

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

describe.runIf(databaseTargets().some((t) => t.name === 'postgres'))('openDatabase on one fresh PostgreSQL from several processes', () => {
  it('migrates once when four clients start at the same time', async () => {
    const name = `relife_t_race_${Date.now().toString(36)}`;
    const admin = postgres(TEST_PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    try {
      const url = withDatabase(TEST_PG_URL, name);
      const opened = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ url, maxConnections: 2 })));
      const rows = await executeRows<{ n: number }>(opened[0].db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length;
      expect(rows[0].n).toBe(files);
      for (const d of opened) await d.close();
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
