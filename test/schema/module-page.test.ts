/**
 * Fleet.modules reads only the columns its selected fields need: whatever the query selects
 * (fragments, inline fragments, the twin's fields that need the whole row), the answers are
 * those of a query selecting every stored field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ALL = 'id serial chemistry nominalCapacityAh nominalVoltageV sohPercent internalResistanceMilliohm temperatureMinC temperatureMaxC cycleCount manufacturer ageYears fullChargeEnergyKwh calibration fleet { id name }';

describe.each(databaseTargets())('Fleet.modules selections on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let full: Record<string, unknown>[];
  const page = (selection: string, fragments = '') =>
    server
      .gql(`query { fleet(name: "sel") { modules(first: 7, after: "M0003") { edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } } } ${fragments}`)
      .then((r) => {
        expect(r.errors).toBeUndefined();
        return r.data.fleet.modules as { edges: { cursor: string; node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      });
  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database);
    const made = await server.gql(`mutation { generateSyntheticFleet(input: { name: "sel", modules: 30, seed: 3 }) { __typename } }`);
    expect(made.data.generateSyntheticFleet.__typename).toBe('MutationGenerateSyntheticFleetSuccess');
    full = (await page(ALL)).edges.map((e) => e.node);
    expect(full).toHaveLength(7);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('answers a few fields, with cursors and page info, as the full selection does', async () => {
    const lean = await page('serial sohPercent internalResistanceMilliohm fullChargeEnergyKwh');
    expect(lean.edges.map((e) => e.node)).toEqual(full.map((m) => ({ serial: m.serial, sohPercent: m.sohPercent, internalResistanceMilliohm: m.internalResistanceMilliohm, fullChargeEnergyKwh: m.fullChargeEnergyKwh })));
    expect(lean.edges.map((e) => e.cursor)).toEqual(full.map((m) => m.serial));
    expect(lean.pageInfo).toEqual({ hasNextPage: true, endCursor: full.at(-1)!.serial });
  });

  it('reads the fields of fragments and inline fragments, and the fleet of each module', async () => {
    const viaFragments = await page('...A ... on BatteryModule { chemistry fleet { name } } __typename', 'fragment A on BatteryModule { cycleCount ...B } fragment B on BatteryModule { ageYears manufacturer calibration }');
    expect(viaFragments.edges.map((e) => e.node)).toEqual(
      full.map((m) => ({ cycleCount: m.cycleCount, ageYears: m.ageYears, manufacturer: m.manufacturer, calibration: m.calibration, chemistry: m.chemistry, fleet: { name: 'sel' }, __typename: 'BatteryModule' })),
    );
    const ids = await page('id');
    expect(ids.edges.map((e) => e.node.id)).toEqual(full.map((m) => m.id));
  });

  it('reads whole rows when a selected field needs them (the twin health score)', async () => {
    const withHealth = await page('serial healthScore');
    const healthOfFull = await page(`${ALL} healthScore`);
    expect(withHealth.edges.map((e) => e.node)).toEqual(healthOfFull.edges.map((e) => ({ serial: e.node.serial, healthScore: e.node.healthScore })));
    for (const e of withHealth.edges) expect(typeof e.node.healthScore).toBe('number');
  });
});
