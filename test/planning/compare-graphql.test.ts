/** `compareStrategies` through the real server, on PGlite and PostgreSQL (seeded demo data). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const QUERY = `query($fleet: ID!, $apps: [ID!]!, $pop: Int, $gen: Int) {
  compareStrategies(fleetId: $fleet, applicationIds: $apps, population: $pop, generations: $gen) {
    __typename
    ... on QueryCompareStrategiesSuccess { data { frontSize hypervolume strategies {
      strategy modules deployed recycled correctPercent misallocatedPercent meanLifespanYears meanFadePctPerYear
      meanRoundTripEfficiency storageYearsKwhYr costUsd applicationLoads { applicationId deployedKwh capacityLimitKwh modules } } } }
    ... on ValidationError { message problems { column message } }
    ... on NotFoundError { message typename }
  }
}`;

describe.each(databaseTargets())('compareStrategies on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let fleetId: string;
  let appIds: string[];

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database, { seedDemo: true });
    const r = await server.gql(`{ fleets { edges { node { id name } } } applications { id kind } }`);
    fleetId = r.data.fleets.edges.find((e: any) => e.node.name === 'paper-120').node.id;
    appIds = r.data.applications.map((a: any) => a.id);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('returns static, adaptive and knee rows that add up and respect capacities (except static)', async () => {
    const r = await server.gql(QUERY, { fleet: fleetId, apps: appIds, pop: 40, gen: 40 });
    expect(r.errors).toBeUndefined();
    const c = r.data.compareStrategies;
    expect(c.__typename).toBe('QueryCompareStrategiesSuccess');
    const rows = c.data.strategies;
    expect(rows.map((s: any) => s.strategy)).toEqual(['static', 'adaptive', 'nsga2-knee']);
    for (const s of rows) {
      expect(s.modules).toBe(120);
      expect(s.deployed + s.recycled).toBe(120);
      // correct + misallocated = deployed share
      expect(s.correctPercent + s.misallocatedPercent).toBeCloseTo((100 * s.deployed) / 120, 9);
      expect(s.applicationLoads.map((l: any) => l.applicationId).sort()).toEqual([...appIds].sort());
    }
    for (const s of rows.slice(1)) {
      expect(s.misallocatedPercent).toBe(0);
      for (const l of s.applicationLoads) expect(l.deployedKwh).toBeLessThanOrEqual(l.capacityLimitKwh + 1e-9);
    }
    // The static rule deploys every module (SOH > 70 → grid, else backup).
    expect(rows[0].recycled).toBe(0);
  });

  it('answers typed errors for bad input', async () => {
    const empty = await server.gql(QUERY, { fleet: fleetId, apps: [] });
    expect(empty.data.compareStrategies.__typename).toBe('ValidationError');
    expect(empty.data.compareStrategies.problems[0].column).toBe('applicationIds');
    const pop = await server.gql(QUERY, { fleet: fleetId, apps: appIds, pop: 2 });
    expect(pop.data.compareStrategies.problems[0].column).toBe('population');
    const wrong = await server.gql(QUERY, { fleet: appIds[0], apps: appIds });
    expect(wrong.data.compareStrategies.__typename).toBe('ValidationError');
    expect(wrong.data.compareStrategies.problems[0].column).toBe('fleetId');
  });
});
