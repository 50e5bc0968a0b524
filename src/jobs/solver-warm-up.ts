/**
 * The solver warmed before the first run. V8 compiles HiGHS's hot WebAssembly functions with its
 * optimising compiler while they run, on V8's own background threads, which run at the API's
 * priority whatever the run thread's niceness (RELIFE_WORKER_NICE): on the 2-core machine of
 * BENCHMARKS.md a process's first 10 000-module run spent 2.5–3 s of CPU there beside the reads,
 * a later one about 1 s (the rest is the run's own JavaScript being compiled and collected).
 * Compiled code lives in the module the API's thread holds (src/planning/exact/highs-adapter.ts,
 * `compiledHighs`), so a small allocation solved once at start, off the event loop, compiles
 * HiGHS for every run the process executes after it; solved on the run threads the job service
 * keeps (off-loop.ts), it also compiles the JavaScript of the twin, the exact step and the
 * generations in the thread the first run will use.
 */
import { performance } from 'node:perf_hooks';
import type { StoredModule } from '../db/modules.js';
import type { WorkerPool } from '../solver/index.js';
import type { ApplicationSpec } from '../twin/types.js';
import { optimizeOffLoop } from './off-loop.js';

export interface SolverWarmUp {
  /** A small fleet (a few hundred modules: enough to take the same exact-step paths as a large one). */
  modules: StoredModule[];
  apps: ApplicationSpec[];
}

/** Solves the warm-up allocation (exact step and one generation) on one of the run threads; resolves to its seconds. */
export async function warmUpSolver(input: SolverWarmUp, threads: WorkerPool, stop?: AbortSignal): Promise<number> {
  const t0 = performance.now();
  await optimizeOffLoop(input.modules, input.apps, { population: 20, generations: 1, seed: 1, workers: 1 }, { threads, ...(stop ? { stop } : {}) });
  return (performance.now() - t0) / 1000;
}
