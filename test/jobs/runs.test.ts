import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/jobs/checkpoint-codec.js';
import {
  claimRun,
  finishRun,
  getRun,
  insertRun,
  loadCheckpoint,
  MAX_ATTEMPTS,
  progressAfter,
  recordProgress,
  releaseExpiredLeases,
  renewLease,
  requestCancel,
  saveCheckpoint,
  saveCheckpointJson,
} from '../../src/jobs/runs.js';
import { canTransition, isTerminal } from '../../src/jobs/state.js';
import { databaseTargets } from '../helpers/databases.js';
import { seedSmallFleet } from './fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run state machine', () => {
  it('allows only the documented transitions', () => {
    expect(canTransition('QUEUED', 'RUNNING')).toBe(true);
    expect(canTransition('RUNNING', 'QUEUED')).toBe(true); // lease lapsed
    expect(canTransition('QUEUED', 'SUCCEEDED')).toBe(false);
    for (const t of ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const) {
      expect(isTerminal(t)).toBe(true);
      expect(canTransition(t, 'RUNNING')).toBe(false);
      expect(canTransition(t, 'QUEUED')).toBe(false);
    }
  });
});

describe('checkpoint codec', () => {
  it('round-trips genes and PRNG state bit for bit', () => {
    const genes = new Uint8Array(6 * 5).map((_, i) => (i * 37) % 251);
    const rngState = new Uint32Array([0xdeadbeef, 1, 2, 0xffffffff]);
    const back = decodeCheckpoint(
      JSON.parse(JSON.stringify(encodeCheckpoint({ generation: 12, evaluations: 78, elapsedSeconds: 1.5, genes, population: 6, nModules: 5, rngState, seed: 9 }))),
    );
    expect(back.genes).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.genes)).toEqual(Array.from(genes));
    expect(Array.from(back.rngState)).toEqual(Array.from(rngState));
    expect([back.generation, back.evaluations, back.population, back.nModules, back.seed]).toEqual([12, 78, 6, 5, 9]);
  });
  it('refuses a checkpoint whose genes do not match population × modules', () => {
    const stored = encodeCheckpoint({ generation: 1, evaluations: 1, elapsedSeconds: 0, genes: new Uint8Array(10), population: 4, nModules: 3, rngState: new Uint32Array(4), seed: 1 });
    expect(() => decodeCheckpoint(stored)).toThrow(/10 genes, expected population 4 × modules 3/);
  });
});

describe.each(databaseTargets())('run rows on $name', (target) => {
  let database: Database;
  let fleetId: string;
  let appIds: string[];
  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedSmallFleet(database);
    fleetId = seeded.fleet.id;
    appIds = seeded.apps.map((a) => a.id);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });
  const newRun = () =>
    insertRun(database.db, { fleetId, applicationIds: appIds, population: 8, generations: 3, seed: 1, workers: 1, timeLimitSeconds: null });

  it('lets exactly one of two racing workers claim a queued run', async () => {
    const run = await newRun();
    const [a, b] = await Promise.all([claimRun(database.db, run.id, 'A', 30), claimRun(database.db, run.id, 'B', 30)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const row = await getRun(database.db, run.id);
    expect(row?.status).toBe('RUNNING');
    expect(row?.attempts).toBe(1);
    expect(['A', 'B']).toContain(row?.leaseOwner);
  });

  it('hands a run whose lease lapsed to another worker, and the old owner can no longer finish it', async () => {
    const run = await newRun();
    expect(await claimRun(database.db, run.id, 'A', 0.2)).toBeDefined();
    expect(await claimRun(database.db, run.id, 'B', 30)).toBeUndefined(); // lease still valid
    await sleep(400);
    const taken = await claimRun(database.db, run.id, 'B', 30);
    expect(taken?.leaseOwner).toBe('B');
    expect(taken?.attempts).toBe(2);
    expect((await renewLease(database.db, run.id, 'A', 30)).held).toBe(false);
    expect(await finishRun(database.db, run.id, 'A', 'SUCCEEDED')).toBe(false);
    expect(await finishRun(database.db, run.id, 'B', 'SUCCEEDED')).toBe(true);
    const done = await getRun(database.db, run.id);
    expect(done?.status).toBe('SUCCEEDED');
    expect(done?.finishedAt).toBeInstanceOf(Date);
    expect(await claimRun(database.db, run.id, 'C', 30)).toBeUndefined();
  });

  it('sweeps lapsed leases: re-queues, cancels when asked, fails after the last attempt', async () => {
    const requeue = await newRun();
    const cancel = await newRun();
    const exhausted = await newRun();
    const alive = await newRun();
    for (const r of [requeue, cancel, alive]) await claimRun(database.db, r.id, 'dead', r.id === alive.id ? 60 : 0.1);
    await requestCancel(database.db, cancel.id);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await claimRun(database.db, exhausted.id, `dead${i}`, 0.1);
      await sleep(200);
    }
    await sleep(200);
    const requeued = await releaseExpiredLeases(database.db);
    expect(requeued).toContain(requeue.id);
    expect(requeued).not.toContain(alive.id);
    expect((await getRun(database.db, requeue.id))?.status).toBe('QUEUED');
    expect((await getRun(database.db, cancel.id))?.status).toBe('CANCELLED');
    expect((await getRun(database.db, alive.id))?.status).toBe('RUNNING');
    const failed = await getRun(database.db, exhausted.id);
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toMatch(/stopped responding 3 times/);
  });

  it('does not let a process presume its own runs dead', async () => {
    const run = await newRun();
    await claimRun(database.db, run.id, 'self', 0.1);
    await sleep(300);
    expect(await releaseExpiredLeases(database.db, 'self')).not.toContain(run.id);
    expect((await getRun(database.db, run.id))?.status).toBe('RUNNING');
    expect(await releaseExpiredLeases(database.db, 'other')).toContain(run.id);
  });

  it('cancels a queued run at once and flags a running one for its worker', async () => {
    const queued = await newRun();
    expect((await requestCancel(database.db, queued.id))?.status).toBe('CANCELLED');
    expect(await claimRun(database.db, queued.id, 'A', 30)).toBeUndefined();
    const running = await newRun();
    await claimRun(database.db, running.id, 'A', 30);
    const flagged = await requestCancel(database.db, running.id);
    expect(flagged?.status).toBe('RUNNING');
    expect(await renewLease(database.db, running.id, 'A', 30)).toEqual({ held: true, cancelRequested: true });
  });

  it('stores progress in generation order and rewrites generations a resumed run repeats', async () => {
    const run = await newRun();
    await recordProgress(database.db, run.id, [
      { generation: 1, evaluations: 16, hypervolume: 0.1, frontSize: 3, elapsedSeconds: 0.1 },
      { generation: 2, evaluations: 24, hypervolume: 0.2, frontSize: 4, elapsedSeconds: 0.2 },
    ]);
    await recordProgress(database.db, run.id, [{ generation: 2, evaluations: 24, hypervolume: 0.25, frontSize: 5, elapsedSeconds: 0.3 }]);
    const rows = await progressAfter(database.db, run.id, 0);
    expect(rows.map((r) => [r.generation, r.hypervolume, r.frontSize])).toEqual([
      [1, 0.1, 3],
      [2, 0.25, 5],
    ]);
    expect((await progressAfter(database.db, run.id, 1)).map((r) => r.generation)).toEqual([2]);
  });

  it('keeps one checkpoint per run, the latest', async () => {
    const run = await newRun();
    const c = (generation: number) =>
      encodeCheckpoint({ generation, evaluations: generation * 8, elapsedSeconds: 0, genes: new Uint8Array(8 * 12).fill(generation), population: 8, nModules: 12, rngState: new Uint32Array(4), seed: 1 });
    await saveCheckpoint(database.db, run.id, 5, c(5));
    await saveCheckpoint(database.db, run.id, 10, c(10));
    const stored = await loadCheckpoint(database.db, run.id);
    expect(stored?.generation).toBe(10);
    expect(decodeCheckpoint(stored!.state).genes[0]).toBe(10);
  });

  it('stores a checkpoint given as JSON text (made on the worker thread) as the jsonb object, not a string', async () => {
    const run = await newRun();
    const state = encodeCheckpoint({ generation: 7, evaluations: 56, elapsedSeconds: 0.5, genes: new Uint8Array(8 * 12).fill(3), population: 8, nModules: 12, rngState: new Uint32Array([1, 2, 3, 4]), seed: 2 });
    await saveCheckpointJson(database.db, run.id, 7, JSON.stringify(state));
    await saveCheckpointJson(database.db, run.id, 9, JSON.stringify({ ...state, generation: 9 }));
    const stored = await loadCheckpoint(database.db, run.id);
    expect(stored?.generation).toBe(9);
    expect(typeof stored!.state).toBe('object');
    expect(stored!.state).toEqual({ ...state, generation: 9 });
    expect(Array.from(decodeCheckpoint(stored!.state).rngState)).toEqual([1, 2, 3, 4]);
  });
});
