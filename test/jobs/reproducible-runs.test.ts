/**
 * Runs of one 120-module fleet with one seed store the same front whatever happened to them: run
 * straight through, on 2 workers, or stopped mid-run and resumed from its stored checkpoint by the
 * next service (the checkpoint must carry the planning archive for that, see checkpoint-codec.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { getRun, insertRun, type OptimizationRunRow } from '../../src/jobs/runs.js';
import { startJobService, type JobService, type JobServiceOptions } from '../../src/jobs/service.js';
import { databaseTargets } from '../helpers/databases.js';
import { seedSmallFleet } from './fixtures.js';
import { waitFor } from './server-process.js';

describe.each(databaseTargets())('reproducible runs on $name', (target) => {
  let database: Database;
  let fleetId: string;
  let applicationIds: string[];
  let service: JobService | undefined;

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedSmallFleet(database, 120, 7);
    fleetId = seeded.fleet.id;
    applicationIds = seeded.apps.map((a) => a.id);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await database?.close();
  }, 30_000);

  const base: JobServiceOptions = { concurrency: 1, leaseSeconds: 5, sweepSeconds: 1, checkpointEvery: 5, checkpointMinSeconds: 0, log: () => {} };
  const newRun = (workers: number) =>
    insertRun(database.db, { fleetId, applicationIds, population: 40, generations: 400, seed: 11, workers, timeLimitSeconds: null });
  const finished = (id: string) =>
    waitFor(async () => {
      const r = await getRun(database.db, id);
      return r && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status) ? r : undefined;
    }, `run ${id} to finish`, 90_000);
  const frontOf = (r: OptimizationRunRow) => JSON.stringify([r.front?.solutions, r.front?.kneeIndex, r.front?.hypervolume, r.front?.comparison]);

  it('stores the same front straight through, on 2 workers, and after a stop and resume', async () => {
    service = await startJobService(database, base);
    const straight = await newRun(1);
    await service.enqueue(straight.id);
    const a = await finished(straight.id);
    const twoWorkers = await newRun(2);
    await service.enqueue(twoWorkers.id);
    const b = await finished(twoWorkers.id);
    await service.stop();
    service = undefined;
    expect(a.status, a.error ?? '').toBe('SUCCEEDED');
    expect(a.front!.solutions.length).toBeGreaterThan(10);
    expect(frontOf(b)).toBe(frontOf(a));

    // Stopped from its own progress callback at generation 100: handed back, resumed from the
    // checkpoint of generation 95 by the next service.
    const interrupted = await newRun(1);
    let stopping: Promise<void> | undefined;
    const first: JobService = await startJobService(database, {
      ...base,
      onProgress: (runId, p) => {
        if (runId === interrupted.id && p.generation === 100 && !stopping) stopping = first.stop();
      },
    });
    service = first;
    await first.enqueue(interrupted.id);
    await waitFor(async () => (stopping ? true : undefined), 'the stop at generation 100', 60_000);
    await stopping;
    expect((await getRun(database.db, interrupted.id))?.status).toBe('QUEUED');
    service = await startJobService(database, base);
    const c = await finished(interrupted.id);
    expect(c.status, c.error ?? '').toBe('SUCCEEDED');
    expect(c.attempts).toBe(2);
    expect(frontOf(c)).toBe(frontOf(a));
  }, 180_000);
});
