/**
 * Scaling out on PostgreSQL: an API-only server (RELIFE_RUN_CONCURRENCY=0) queues runs, two
 * `relife worker` processes execute them; every run is executed once and finishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startServerProcess, startWorkerProcess, waitFor, type ServerProcess, type WorkerProcess } from './server-process.js';

const postgres = databaseTargets().find((t) => t.name === 'postgres');

describe.runIf(postgres)('relife worker processes sharing one PostgreSQL', () => {
  let database: Database;
  let server: ServerProcess;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await postgres!.open();
    server = await startServerProcess({ databaseUrl: database.url!, env: { RELIFE_RUN_CONCURRENCY: '0' } });
    const env = { RELIFE_RUN_LEASE_SECONDS: '5', RELIFE_RUN_SWEEP_SECONDS: '1' };
    workers.push(...(await Promise.all([startWorkerProcess(database.url!, ['--concurrency', '1'], env), startWorkerProcess(database.url!, ['--concurrency', '1'], env)])));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await server?.stop();
    await database?.close();
  }, 60_000);

  it('executes each queued run exactly once, on the worker processes', async () => {
    const apps = (await server.gql(`{ applications { id } }`)).data.applications.map((a: { id: string }) => a.id);
    const fleet = await server.gql(
      `mutation { generateSyntheticFleet(input: { name: "scale-out", modules: 10, seed: 3 }) { ... on MutationGenerateSyntheticFleetSuccess { data { id } } } }`,
    );
    const fleetId = fleet.data.generateSyntheticFleet.data.id;
    const ids: string[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const r = await server.gql(
        `mutation($input: StartOptimizationInput!) { startOptimization(input: $input) { ... on MutationStartOptimizationSuccess { data { id } } } }`,
        { input: { fleetId, applicationIds: apps, population: 12, generations: 150, seed } },
      );
      ids.push(r.data.startOptimization.data.id);
    }
    const runs = await waitFor(async () => {
      const r = await server.gql(`query($id: ID!) { node(id: $id) { ... on Fleet { optimizationRuns { id status attempts front { index } } } } }`, { id: fleetId });
      const list = r.data.node.optimizationRuns as { id: string; status: string; attempts: number; front: unknown[] }[];
      return list.every((x) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(x.status)) ? list : undefined;
    }, 'all runs to finish', 150_000, 500);
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.attempts).toBe(1);
      expect(run.front.length).toBeGreaterThan(0);
    }
    // Every run was started by exactly one of the worker processes, none by the API server.
    expect(server.output()).not.toMatch(/: started/);
    const logs = workers.map((w) => w.output());
    for (const id of ids) {
      const uuid = Buffer.from(id, 'base64url').toString().split(':')[1]!;
      const starts = logs.reduce((n, log) => n + (log.match(new RegExp(`run ${uuid}: started`, 'g'))?.length ?? 0), 0);
      expect(starts, `run ${uuid}`).toBe(1);
    }
  }, 200_000);
});
