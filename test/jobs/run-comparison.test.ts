/**
 * `OptimizationRun.comparison` through the real server (in-process, jobs extension) on each
 * database: null before the run has a front, then static / adaptive / NSGA-II knee, the knee
 * scored as the knee plan of the run's front and the same figures as `front.json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
// The server first: src/server.ts builds its default extensions (jobs included) as it loads.
import { startTestServer, type TestServer } from '../helpers/server.js';
import { encodeGlobalId } from '../../src/schema/builder.js';
import { jobsExtension } from '../../src/server-extensions.js';
import { databaseTargets } from '../helpers/databases.js';
import { seedSmallFleet } from './fixtures.js';
import { waitFor } from './server-process.js';

const COMPARISON = `comparison { population generations seed frontSize hypervolume
  strategies { strategy modules deployed recycled storageYearsKwhYr costUsd energyWeightedFadePctPerYear
    applicationLoads { applicationId deployedKwh capacityLimitKwh modules } } }`;

describe.each(databaseTargets())('OptimizationRun.comparison on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let fleetId: string;
  let applicationIds: string[];

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedSmallFleet(database, 11, 31);
    fleetId = encodeGlobalId('Fleet', seeded.fleet.id);
    applicationIds = seeded.apps.map((a) => encodeGlobalId('Application', a.id));
    server = await startTestServer(database, {
      extensions: [jobsExtension({ concurrency: 1, leaseSeconds: 5, sweepSeconds: 1, log: () => {} })],
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  }, 30_000);

  it('returns the three strategies of a finished run, matching its front and front.json', async () => {
    const started = await server.gql(
      `mutation($input: StartOptimizationInput!) { startOptimization(input: $input) {
        __typename ... on MutationStartOptimizationSuccess { data { id ${COMPARISON} } } ... on Error { message } } }`,
      { input: { fleetId, applicationIds, population: 12, generations: 10, seed: 3 } },
    );
    expect(started.errors).toBeUndefined();
    const payload = started.data.startOptimization;
    expect(payload.__typename, payload.message).toBe('MutationStartOptimizationSuccess');
    // Queued: no front yet, so no comparison.
    expect(payload.data.comparison).toBeNull();
    const id: string = payload.data.id;

    const run = await waitFor(
      async () => {
        const r = await server.gql(
          `query($id: ID!) { optimizationRun(id: $id) { status error kneeIndex hypervolume
            front { knee objectives { storageYearsKwhYr costUsd } } ${COMPARISON} } }`,
          { id },
        );
        expect(r.errors).toBeUndefined();
        const row = r.data.optimizationRun;
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(row.status) ? row : undefined;
      },
      `run ${id} to finish`,
      60_000,
    );
    expect(run.status, run.error ?? '').toBe('SUCCEEDED');
    const c = run.comparison;
    expect(c.strategies.map((s: { strategy: string }) => s.strategy)).toEqual(['static', 'adaptive', 'nsga2-knee']);
    expect([c.population, c.generations, c.seed]).toEqual([12, 10, 3]);
    expect(c.frontSize).toBe(run.front.length);
    expect(c.hypervolume).toBe(run.hypervolume);
    for (const s of c.strategies) {
      expect(s.modules).toBe(11);
      expect(s.deployed + s.recycled).toBe(11);
      for (const load of s.applicationLoads) expect(applicationIds).toContain(load.applicationId);
    }
    const knee = run.front[run.kneeIndex];
    expect(knee.knee).toBe(true);
    expect(c.strategies[2].storageYearsKwhYr).toBeCloseTo(knee.objectives.storageYearsKwhYr, 6);
    expect(c.strategies[2].costUsd).toBeCloseTo(knee.objectives.costUsd, 6);

    const frontJson = await (await server.get(`/runs/${id}/front.json`)).json();
    expect(c.strategies.map((s: { strategy: string; storageYearsKwhYr: number; costUsd: number }) => [s.strategy, s.storageYearsKwhYr, s.costUsd])).toEqual(
      frontJson.comparison.map((s: { strategy: string; storageYearsKwhYr: number; costUsd: number }) => [s.strategy, s.storageYearsKwhYr, s.costUsd]),
    );
  }, 90_000);
});
