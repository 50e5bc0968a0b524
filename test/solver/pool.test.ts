import { describe, it, expect, afterAll } from 'vitest';
import { createWorkerPool, workerExecArgv, type WorkerPool } from '../../src/solver/pool.js';
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

  it('moves (does not copy) buffers listed in transferList', async () => {
    const data = Float64Array.from([1, 2, 3.5]);
    const sum = await pool.run<number>({ module: TASKS, exportName: 'sumTransferred', payload: { data } }, { transferList: [data.buffer] });
    expect(sum).toBe(6.5);
    expect(data.byteLength).toBe(0); // detached: ownership went to the worker
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

describe('problem cache in worker threads', () => {
  it('rebuilds a problem per key and evaluates each payload with its own data', async () => {
    const { runNsga2 } = await import('../../src/solver/nsga2.js');
    const { createSumProblem, sumPayload } = await import('./fixtures/problems.js');
    const pool = createWorkerPool({ threads: 2 });
    try {
      // Six different payloads (more than the cache holds) on the same pool, each checked against an inline run.
      for (let seed = 1; seed <= 6; seed++) {
        const opts = { populationSize: 10, generations: 4, seed };
        const onPool = await runNsga2(createSumProblem({ ...sumPayload(50, 5, seed, false) }), { ...opts, pool });
        const inline = await runNsga2(createSumProblem(sumPayload(50, 5, seed, false)), opts);
        expect(Array.from(onPool.population.f)).toEqual(Array.from(inline.population.f));
      }
    } finally {
      await pool.destroy();
    }
  });
});

describe('worker execArgv', () => {
  it('keeps the module loaders and drops flags workers refuse', () => {
    expect(workerExecArgv(false, ['--expose-gc', '--import', 'tsx', '--max-old-space-size=4096'])).toEqual(['--import', 'tsx']);
    expect(workerExecArgv(false, ['--import=tsx', '--expose-gc', '--conditions', 'development', '-r', './hook.cjs'])).toEqual([
      '--import=tsx',
      '--conditions',
      'development',
      '-r',
      './hook.cjs',
    ]);
    // A .ts worker entry needs tsx: added once, not when a tsx loader is already there.
    expect(workerExecArgv(true, ['--expose-gc'])).toEqual(['--import', 'tsx']);
    expect(workerExecArgv(true, ['--import', 'file:///x/node_modules/tsx/dist/loader.mjs'])).toEqual(['--import', 'file:///x/node_modules/tsx/dist/loader.mjs']);
  });

  it('starts threads in a process run with --expose-gc (as bench/run.ts does)', async () => {
    const saved = process.execArgv;
    process.execArgv = [...saved, '--expose-gc'];
    const pool = createWorkerPool({ threads: 2 });
    try {
      const ids = await Promise.all([0, 1].map(() => pool.run<number>({ module: TASKS, exportName: 'threadId', payload: null })));
      for (const id of ids) expect(id).toBeGreaterThan(0);
    } finally {
      process.execArgv = saved;
      await pool.destroy();
    }
  });
});
