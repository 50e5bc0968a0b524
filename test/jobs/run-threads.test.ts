/**
 * Run threads kept across runs (src/jobs/off-loop.ts): given the job service's pool, successive
 * runs execute on the same thread (which V8 has compiled the run's code for), and the pool is
 * left running; without one, each run gets a thread of its own that ends with it. The threads are
 * told apart by their nice value (pool threads run below the caller, RELIFE_WORKER_NICE; under
 * tsx a pool thread's module-loader thread inherits it).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StoredModule } from '../../src/db/modules.js';
import { defaultApplications } from '../../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';
import { optimizeOffLoop } from '../../src/jobs/off-loop.js';
import { fitCapacities } from '../../src/planning/capacity-fit.js';
import { createWorkerPool } from '../../src/solver/pool.js';
import { readThreadStat } from './thread-stat.task.js';

const NICE = 5;
const nicedThreads = (nice: number): number[] =>
  readdirSync('/proc/self/task').flatMap((t) => {
    try {
      return readThreadStat(`/proc/self/task/${t}/stat`).nice === nice ? [Number(t)] : [];
    } catch {
      return []; // the thread ended while listing
    }
  });

describe.runIf(process.platform === 'linux')('run threads', () => {
  const modules: StoredModule[] = generateSyntheticFleet({ size: 30, seed: 5 }).map((m, i) => ({ ...m, id: `m${i}`, fleetId: 'f', calibration: null }));
  const apps = fitCapacities(modules, defaultApplications()).applications;
  const expected = Math.min(19, readThreadStat(`/proc/self/task/${process.pid}/stat`).nice + NICE);

  /** The niced threads seen while each of two runs reports progress, and the runs' fronts. */
  const twoRuns = async (threads?: ReturnType<typeof createWorkerPool>) => {
    const seen: number[][] = [];
    const fronts: string[] = [];
    for (let k = 0; k < 2; k++) {
      const tids = new Set<number>();
      const outcome = await optimizeOffLoop(modules, apps, { population: 10, generations: 2, seed: 3, workers: 1, exact: false }, {
        ...(threads ? { threads } : {}),
        onProgress: () => nicedThreads(expected).forEach((t) => tids.add(t)),
      });
      seen.push([...tids]);
      fronts.push(JSON.stringify(outcome.front));
    }
    return { seen, fronts };
  };

  it('runs on the kept thread, run after run, with the same results as on threads of their own', async () => {
    const saved = process.env.RELIFE_WORKER_NICE;
    process.env.RELIFE_WORKER_NICE = String(NICE);
    try {
      const pool = createWorkerPool({ threads: 1 });
      let kept: Awaited<ReturnType<typeof twoRuns>>;
      try {
        kept = await twoRuns(pool);
        expect(kept.seen[0]!.length).toBeGreaterThan(0);
        expect(kept.seen[1]).toEqual(kept.seen[0]);
        // Still running after the runs: the service destroys it when it stops.
        expect(nicedThreads(expected)).toEqual(kept.seen[0]);
      } finally {
        await pool.destroy();
      }
      expect(nicedThreads(expected)).toEqual([]);

      const own = await twoRuns();
      expect(own.seen[0]!.length).toBeGreaterThan(0);
      expect(own.seen[1]!.length).toBeGreaterThan(0);
      expect(own.seen[1]!.filter((t) => own.seen[0]!.includes(t))).toEqual([]);
      expect(own.fronts).toEqual(kept.fronts);
    } finally {
      if (saved === undefined) delete process.env.RELIFE_WORKER_NICE;
      else process.env.RELIFE_WORKER_NICE = saved;
    }
  }, 60_000);
});
