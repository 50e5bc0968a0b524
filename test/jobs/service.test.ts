/**
 * The job service in-process on each database: failures carry a readable error, and a graceful
 * stop hands a running run back to the queue, where the next service resumes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { deleteApplication } from '../../src/db/applications.js';
import { createFleet } from '../../src/db/fleets.js';
import { getRun, insertRun, progressAfter, requestCancel, type OptimizationRunRow } from '../../src/jobs/runs.js';
import { startJobService, type JobService } from '../../src/jobs/service.js';
import { databaseTargets } from '../helpers/databases.js';
import { seedSmallFleet } from './fixtures.js';
import { waitFor } from './server-process.js';

const quiet = () => {};

describe.each(databaseTargets())('job service on $name', (target) => {
  let database: Database;
  let fleetId: string;
  let appIds: string[];
  let service: JobService | undefined;

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedSmallFleet(database, 10, 13);
    fleetId = seeded.fleet.id;
    appIds = seeded.apps.map((a) => a.id);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await database?.close();
  }, 30_000);

  const settled = (id: string, statuses: OptimizationRunRow['status'][]) =>
    waitFor(async () => {
      const r = await getRun(database.db, id);
      return r && statuses.includes(r.status) ? r : undefined;
    }, `run ${id} to reach ${statuses.join('/')}`, 60_000);

  it('fails runs with a readable error when their inputs vanished', async () => {
    const spare = await seedSmallFleet(database, 4, 99, 'spare');
    const gone = await insertRun(database.db, { fleetId, applicationIds: [appIds[0]!, spare.apps[1]!.id], population: 8, generations: 3, seed: 1, workers: 1, timeLimitSeconds: null });
    expect(await deleteApplication(database.db, spare.apps[1]!.id)).toBe(true);
    const empty = await createFleet(database.db, { name: 'empty' });
    const noModules = await insertRun(database.db, { fleetId: empty.id, applicationIds: appIds, population: 8, generations: 3, seed: 1, workers: 1, timeLimitSeconds: null });
    service = await startJobService(database, { concurrency: 1, leaseSeconds: 5, sweepSeconds: 1, log: quiet });
    const a = await settled(gone.id, ['FAILED', 'SUCCEEDED']);
    expect(a.status).toBe('FAILED');
    expect(a.error).toMatch(/application\(s\) deleted since the run was started: [0-9a-f-]{36}/);
    const b = await settled(noModules.id, ['FAILED', 'SUCCEEDED']);
    expect(b.status).toBe('FAILED');
    expect(b.error).toBe('the fleet has no modules');
    await service.stop();
    service = undefined;
  }, 90_000);

  it('hands a running run back to the queue on stop, and the next service resumes and finishes it', async () => {
    const generations = 300;
    const run = await insertRun(database.db, { fleetId, applicationIds: appIds, population: 16, generations, seed: 2, workers: 1, timeLimitSeconds: null });
    service = await startJobService(database, { concurrency: 1, leaseSeconds: 5, sweepSeconds: 1, checkpointEvery: 3, checkpointMinSeconds: 0, log: quiet });
    await waitFor(async () => ((await progressAfter(database.db, run.id, 6)).length > 0 ? true : undefined), 'progress past a checkpoint');
    await service.stop();
    service = undefined;
    const handedBack = await getRun(database.db, run.id);
    expect(handedBack?.status).toBe('QUEUED');
    expect(handedBack?.leaseOwner).toBeNull();
    service = await startJobService(database, { concurrency: 1, leaseSeconds: 5, sweepSeconds: 1, checkpointEvery: 3, checkpointMinSeconds: 0, log: quiet });
    const done = await settled(run.id, ['SUCCEEDED', 'FAILED', 'CANCELLED']);
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    expect(done.attempts).toBe(2);
    expect(done.front?.solutions.length).toBeGreaterThan(0);
    expect(done.front?.generations).toBe(generations);
  }, 120_000);

  it('stops a cancelled run at the end of the generation in which the cancel arrived', async () => {
    const run = await insertRun(database.db, { fleetId, applicationIds: appIds, population: 16, generations: 100_000, seed: 5, workers: 1, timeLimitSeconds: null });
    let cancelledAt = -1;
    let lastSeen = -1;
    const svc: JobService = await startJobService(database, {
      concurrency: 1,
      leaseSeconds: 5,
      sweepSeconds: 1,
      log: quiet,
      onProgress: (runId, p) => {
        lastSeen = Math.max(lastSeen, p.generation);
        if (runId === run.id && p.generation === 20 && cancelledAt < 0) {
          cancelledAt = p.generation;
          void requestCancel(database.db, run.id);
          svc.cancelLocal(run.id);
        }
      },
    });
    service = svc;
    const done = await settled(run.id, ['CANCELLED', 'SUCCEEDED', 'FAILED']);
    expect(done.status).toBe('CANCELLED');
    expect(cancelledAt).toBe(20);
    expect(lastSeen).toBeLessThanOrEqual(cancelledAt + 1);
    expect(done.front?.partial).toBe(true);
    expect(done.front?.solutions.length).toBeGreaterThan(0);
    expect(done.front?.generations).toBeLessThanOrEqual(cancelledAt + 1);
    await svc.stop();
    service = undefined;
  }, 60_000);
});
