import { describe, it, expect, afterAll } from 'vitest';
import { createWorkerPool, type WorkerPool } from '../../src/solver/pool.js';
import { sharedFloat64 } from '../../src/solver/problem.js';

const TASKS = new URL('./fixtures/tasks.ts', import.meta.url).href;

describe('WorkerPool under vitest (.ts worker and task modules)', () => {
  const pool: WorkerPool = createWorkerPool({ threads: 2 });
  afterAll(() => pool.destroy());

  it('runs a task on SharedArrayBuffer data split across threads', async () => {
    const data = sharedFloat64(1000);
    for (let i = 0; i < data.length; i++) data[i] = i;
    const parts = await Promise.all([
      pool.run<number>({ module: TASKS, exportName: 'sumShared', payload: { data, from: 0, to: 500 } }),
      pool.run<number>({ module: TASKS, exportName: 'sumShared', payload: { data, from: 500, to: 1000 } }),
    ]);
    expect(parts).toEqual([124750, 374750]);
  });

  it('workers write into shared memory visible to the caller (no copy)', async () => {
    const data = sharedFloat64(8);
    data.set([1, 2, 3, 4, 5, 6, 7, 8]);
    await pool.run({ module: TASKS, exportName: 'squareInPlace', payload: { data, from: 2, to: 6 } });
    expect(Array.from(data)).toEqual([1, 2, 9, 16, 25, 36, 7, 8]);
  });

  it('runs in worker threads, not on the main thread', async () => {
    const ids = await Promise.all([0, 1, 2, 3].map(() => pool.run<number>({ module: TASKS, exportName: 'threadId', payload: null })));
    for (const id of ids) expect(id).toBeGreaterThan(0);
  });

  it('reports a clear error for a missing export and for a throwing task', async () => {
    await expect(pool.run({ module: TASKS, exportName: 'nope', payload: null })).rejects.toThrow(/no exported function "nope"/);
    await expect(pool.run({ module: TASKS, exportName: 'fail', payload: { message: 'boom 42' } })).rejects.toThrow(/boom 42/);
  });

  it('threads: 0 runs tasks inline with the same semantics', async () => {
    const inline = createWorkerPool({ threads: 0 });
    const data = sharedFloat64(4);
    data.set([1, 2, 3, 4]);
    expect(await inline.run<number>({ module: TASKS, exportName: 'sumShared', payload: { data, from: 1, to: 4 } })).toBe(9);
    expect(await inline.run<number>({ module: TASKS, exportName: 'threadId', payload: null })).toBe(0);
    await inline.destroy();
    await expect(inline.run({ module: TASKS, exportName: 'threadId', payload: null })).rejects.toThrow(/after destroy/);
  });
});
