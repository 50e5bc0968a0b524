/**
 * Worker threads run below the API's priority: on Linux each pool thread lowers its own nice
 * value (read back from /proc), the calling thread and the main thread keep theirs, and the
 * threads of an optimisation run (the run's own thread and its evaluation pool) all carry the
 * configured value.
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { optimizeOffLoop } from '../../src/jobs/off-loop.js';
import type { StoredModule } from '../../src/db/modules.js';
import { defaultApplications } from '../../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';
import { fitCapacities } from '../../src/planning/capacity-fit.js';
import { createWorkerPool, DEFAULT_WORKER_NICE, poolThreadNice, readWorkerNice } from '../../src/solver/pool.js';
import { readThreadStat, type ThreadStat } from './thread-stat.task.js';

const TASK = new URL('./thread-stat.task.ts', import.meta.url).href;
const linux = process.platform === 'linux';
const mainNice = () => readThreadStat(`/proc/self/task/${process.pid}/stat`).nice;
const allThreads = (): ThreadStat[] =>
  readdirSync('/proc/self/task').flatMap((t) => {
    try {
      return [readThreadStat(`/proc/self/task/${t}/stat`)];
    } catch {
      return []; // the thread ended while listing
    }
  });

describe('RELIFE_WORKER_NICE', () => {
  it('defaults to 10, accepts 0–19 and refuses anything else naming the setting', () => {
    expect(readWorkerNice({})).toBe(DEFAULT_WORKER_NICE);
    expect(DEFAULT_WORKER_NICE).toBe(10);
    expect(readWorkerNice({ RELIFE_WORKER_NICE: '0' })).toBe(0);
    expect(readWorkerNice({ RELIFE_WORKER_NICE: '19' })).toBe(19);
    for (const bad of ['20', '-1', '2.5', 'low']) expect(() => readWorkerNice({ RELIFE_WORKER_NICE: bad })).toThrow(/RELIFE_WORKER_NICE must be a whole number 0–19/);
  });

  it('sets nothing when off or where setpriority would reach the whole process', () => {
    expect(poolThreadNice(0, 'linux')).toBeUndefined();
    expect(poolThreadNice(10, 'darwin')).toBeUndefined();
    expect(poolThreadNice(10, 'win32')).toBeUndefined();
    if (linux) expect(poolThreadNice(19, 'linux')).toBe(19);
  });
});

describe.runIf(linux)('pool threads on Linux (nice read from /proc)', () => {
  const saved = process.env.RELIFE_WORKER_NICE;
  afterEach(() => {
    if (saved === undefined) delete process.env.RELIFE_WORKER_NICE;
    else process.env.RELIFE_WORKER_NICE = saved;
  });

  it('each pool thread runs at the configured nice; the calling and main threads keep theirs', async () => {
    const base = mainNice();
    const caller = readThreadStat().nice;
    const pool = createWorkerPool({ threads: 2, nice: 7 });
    try {
      const seen = await Promise.all([0, 1, 2, 3].map(() => pool.run<ThreadStat>({ module: TASK, exportName: 'threadStat', payload: { ms: 50 } })));
      expect(new Set(seen.map((s) => s.tid)).size).toBe(2);
      for (const s of seen) expect(s.nice).toBe(Math.min(19, base + 7));
      expect(readThreadStat().nice).toBe(caller);
      expect(mainNice()).toBe(base);
    } finally {
      await pool.destroy();
    }
  });

  it('nice 0 leaves pool threads at the priority of the thread that made them', async () => {
    const pool = createWorkerPool({ threads: 1, nice: 0 });
    try {
      const s = await pool.run<ThreadStat>({ module: TASK, exportName: 'threadStat', payload: { ms: 0 } });
      expect(s.nice).toBe(readThreadStat().nice);
    } finally {
      await pool.destroy();
    }
  });

  it("a run's own thread and its evaluation threads all run at RELIFE_WORKER_NICE, the caller's thread does not", async () => {
    process.env.RELIFE_WORKER_NICE = '6';
    const base = mainNice();
    const expected = Math.min(19, base + 6);
    const caller = readThreadStat();
    const modules: StoredModule[] = generateSyntheticFleet({ size: 40, seed: 3 }).map((m, i) => ({ ...m, id: `m${i}`, fleetId: 'f', calibration: null }));
    const apps = fitCapacities(modules, defaultApplications()).applications;
    const before = new Set(allThreads().filter((t) => t.nice === expected).map((t) => t.tid));
    const niced: number[] = [];
    let callerNice = NaN;
    const outcome = await optimizeOffLoop(modules, apps, { population: 12, generations: 3, seed: 1, workers: 2 }, {
      onProgress: () => {
        niced.push(allThreads().filter((t) => t.nice === expected && !before.has(t.tid)).length);
        callerNice = readThreadStat().nice;
      },
    });
    expect(outcome.evaluations).toBeGreaterThan(0);
    // The run's thread plus its two evaluation threads, seen at every generation.
    expect(niced.length).toBeGreaterThan(0);
    for (const n of niced) expect(n).toBeGreaterThanOrEqual(3);
    expect(callerNice).toBe(caller.nice);
    expect(mainNice()).toBe(base);
  });
});
