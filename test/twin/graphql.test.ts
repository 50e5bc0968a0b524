/** The twin's GraphQL face through the real server, on PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const TWIN = `query ($m: ID!, $a: ID!, $e: String!) {
  node(id: $m) { ... on BatteryModule { serial sohPercent healthScore health { score soh resistance thermal efficiency trend }
    twin(applicationId: $a, envelope: $e, horizonYears: 10) {
      __typename
      ... on BatteryModuleTwinSuccess { data { envelope ageingFactor calibrated
        summary { rulYears endOfLifeReason fadePctPerYear lifetimeEnergyMwh peakTemperatureC roundTripEfficiency socWindowEnergyKwh feasible violations { requirement reason } }
        trajectory { timeYears sohPercent sohP10Percent sohP90Percent resistanceMilliohm peakTemperatureC } } }
      ... on ValidationError { message problems { column message } }
      ... on NotFoundError { message }
    } } } }`;

const RECORD = `mutation ($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { __typename
  ... on MutationRecordMeasurementSuccess { data { measurementCount calibration { ageingFactor points latestSohPercent rmsePct } module { calibration } } }
  ... on ValidationError { message problems { column message } }
  ... on NotFoundError { message } } }`;

describe.each(databaseTargets())('twin GraphQL on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let moduleId: string;
  let appId: string;
  let envelope: string;
  let soh: number;
  let nominalAh: number;

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database, { seedDemo: true });
    const r = await server.gql(`{ fleets { edges { node { modules(first: 1) { edges { node { id sohPercent nominalCapacityAh } } } } } }
      applications { id name envelopes { name } } }`);
    expect(r.errors).toBeUndefined();
    const mod = r.data.fleets.edges[0].node.modules.edges[0].node;
    moduleId = mod.id;
    soh = mod.sohPercent;
    nominalAh = mod.nominalCapacityAh;
    const app = r.data.applications.find((a: any) => a.name.toLowerCase().includes('backup')) ?? r.data.applications[0];
    appId = app.id;
    envelope = app.envelopes[0].name;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves healthScore and a projection whose trajectory starts at the module state', async () => {
    const r = await server.gql(TWIN, { m: moduleId, a: appId, e: envelope });
    expect(r.errors).toBeUndefined();
    const node = r.data.node;
    expect(node.healthScore).toBeGreaterThan(0);
    expect(node.healthScore).toBeLessThan(100);
    expect(node.health.score).toBeCloseTo(node.healthScore, 9);
    expect(node.twin.__typename).toBe('BatteryModuleTwinSuccess');
    const p = node.twin.data;
    expect(p.envelope).toBe(envelope);
    expect(p.calibrated).toBe(false);
    expect(p.trajectory.timeYears).toHaveLength(121);
    expect(p.trajectory.sohPercent[0]).toBeCloseTo(soh, 9);
    expect(p.trajectory.sohPercent[120]).toBeLessThan(soh);
    // The band of the prior: starts at the measured SOH, P10 ≤ P50 ≤ P90, and opens with time.
    const { sohP10Percent: p10, sohP90Percent: p90, sohPercent: p50 } = p.trajectory;
    expect(p10).toHaveLength(121);
    expect(p90).toHaveLength(121);
    expect(p10[0]).toBeCloseTo(soh, 9);
    expect(p90[0]).toBeCloseTo(soh, 9);
    for (let i = 0; i <= 120; i++) {
      expect(p10[i]).toBeLessThanOrEqual(p50[i] + 1e-9);
      expect(p90[i]).toBeGreaterThanOrEqual(p50[i] - 1e-9);
    }
    expect(p90[120] - p10[120]).toBeGreaterThan(0.1);
    expect(p.summary.rulYears).toBeGreaterThanOrEqual(0);
    expect(p.summary.rulYears).toBeLessThanOrEqual(10);
    expect(p.summary.feasible).toBe(p.summary.violations.length === 0);
  });

  it('rejects an unknown envelope with a ValidationError naming the choices', async () => {
    const r = await server.gql(TWIN, { m: moduleId, a: appId, e: 'no-such-envelope' });
    expect(r.errors).toBeUndefined();
    expect(r.data.node.twin.__typename).toBe('ValidationError');
    expect(r.data.node.twin.problems[0].message).toContain(envelope);
  });

  it('recordMeasurement stores the check, recalibrates, and the twin then starts from it', async () => {
    const first = await server.gql(RECORD, { input: { moduleId, cycle: 200, capacityAh: nominalAh * (soh / 100 - 0.03) } });
    expect(first.errors).toBeUndefined();
    expect(first.data.recordMeasurement.__typename).toBe('MutationRecordMeasurementSuccess');
    expect(first.data.recordMeasurement.data.measurementCount).toBe(1);
    const second = await server.gql(RECORD, { input: { moduleId, cycle: 400, capacityAh: nominalAh * (soh / 100 - 0.06), resistanceMilliohm: 70 } });
    const cal = second.data.recordMeasurement.data.calibration;
    expect(second.data.recordMeasurement.data.measurementCount).toBe(2);
    expect(cal.points).toBe(3);
    expect(cal.latestSohPercent).toBeCloseTo(soh - 6, 6);
    expect(second.data.recordMeasurement.data.module.calibration.version).toBe(1);
    const r = await server.gql(TWIN, { m: moduleId, a: appId, e: envelope });
    const p = r.data.node.twin.data;
    expect(p.calibrated).toBe(true);
    expect(p.trajectory.sohP10Percent).toBeNull(); // the calibration's own band, not the prior's
    expect(p.trajectory.sohPercent[0]).toBeCloseTo(soh - 6, 6);
    expect(p.trajectory.resistanceMilliohm[0]).toBeCloseTo(70, 6);
  });

  it('rejects a negative capacity without storing it', async () => {
    const r = await server.gql(RECORD, { input: { moduleId, cycle: 500, capacityAh: -1 } });
    expect(r.errors).toBeUndefined();
    expect(r.data.recordMeasurement.__typename).toBe('ValidationError');
    expect(r.data.recordMeasurement.message).toMatch(/capacityAh must be positive/);
    const again = await server.gql(RECORD, { input: { moduleId, cycle: 600, capacityAh: nominalAh * (soh / 100 - 0.08) } });
    expect(again.data.recordMeasurement.data.measurementCount).toBe(3);
  });
});
