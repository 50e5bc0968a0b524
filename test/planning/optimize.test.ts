import { describe, expect, it } from 'vitest';
import { optimizeAllocation, dominatesNatural } from '../../src/planning/optimize.js';
import type { AllocationCheckpoint, AllocationResult } from '../../src/planning/allocation-types.js';
import { app, closeTo, modulesFor, randomMatrix, referenceObjectives } from './fixtures.js';

const apps = [app('grid', 'GRID', 40, 2), app('solar', 'SOLAR', 30, 2), app('backup', 'BACKUP', 35, 1)];
const N = 150;
const modules = modulesFor(N, 21);
const matrix = randomMatrix(N, apps, 22, 0.6);
// The exact step's wall-clock budget is a safety net; where it binds (a loaded machine) the plan
// depends on the load, so these runs give it room and stay reproducible by seed.
const opts = { population: 40, generations: 60, seed: 5, matrix, exact: { timeBudgetSeconds: 600 } };

function checkFront(r: AllocationResult): void {
  expect(r.front.length).toBeGreaterThan(0);
  for (const s of r.front) {
    const ref = referenceObjectives(matrix, apps, s.applicationIndex, s.envelopeIndex);
    expect(ref.infeasible).toBe(0);
    ref.loads.forEach((l, a) => expect(l).toBeLessThanOrEqual(apps[a].capacityLimitKwh + 1e-9));
    for (let m = 0; m < N; m++) {
      const a = s.applicationIndex[m];
      if (a < 0) expect(s.envelopeIndex[m]).toBe(-1);
      else expect(s.envelopeIndex[m]).toBeLessThan(apps[a].envelopes.length);
    }
    for (let k = 0; k < 3; k++) expect(closeTo(s.objectives[k], ref.objectives[k])).toBe(true);
  }
}

describe('optimizeAllocation on a 150-module hand-built matrix', () => {
  it('returns a front of feasible plans whose objectives match an independent recomputation', async () => {
    const r = await optimizeAllocation(modules, apps, opts);
    checkFront(r);
    // No front member dominates another.
    for (const a of r.front) for (const b of r.front) expect(dominatesNatural(a.objectives, b.objectives)).toBe(false);
  });

  it('marks exactly one knee, a member of the front', async () => {
    const r = await optimizeAllocation(modules, apps, opts);
    expect(r.front.filter((s) => s.knee)).toHaveLength(1);
    expect(r.front[r.kneeIndex].knee).toBe(true);
  });

  it('reaches at least the storage-years of every feasible baseline', async () => {
    const r = await optimizeAllocation(modules, apps, opts);
    const best = Math.max(...r.front.map((s) => s.objectives[0]));
    expect(r.baselines.adaptive.feasible).toBe(true);
    for (const b of [r.baselines.static, r.baselines.adaptive]) if (b.feasible) expect(best).toBeGreaterThanOrEqual(b.objectives[0] - 1e-9);
  });

  it('never puts the recycle-everything plan on the front', async () => {
    const r = await optimizeAllocation(modules, apps, opts);
    for (const s of r.front) expect(s.applicationIndex.some((a) => a >= 0)).toBe(true);
  });

  it('is reproducible by seed, and another seed explores differently', async () => {
    const a = await optimizeAllocation(modules, apps, opts);
    const b = await optimizeAllocation(modules, apps, opts);
    const c = await optimizeAllocation(modules, apps, { ...opts, seed: 6 });
    const key = (r: AllocationResult) => JSON.stringify(r.front.map((s) => [s.objectives, Array.from(s.applicationIndex), Array.from(s.envelopeIndex)]));
    expect(key(a)).toBe(key(b));
    expect(key(c)).not.toBe(key(a));
  });

  it('resumes from a checkpoint to the same front as the uninterrupted run', async () => {
    const full = await optimizeAllocation(modules, apps, opts);
    const checkpoints: AllocationCheckpoint[] = [];
    await optimizeAllocation(modules, apps, { ...opts, generations: 30, checkpointEvery: 10, onCheckpoint: (c) => void checkpoints.push(c) });
    expect(checkpoints.map((c) => c.generation)).toEqual([10, 20, 30]);
    const resumed = await optimizeAllocation(modules, apps, { ...opts, resumeFrom: checkpoints[1] });
    expect(resumed.front.map((s) => s.objectives)).toEqual(full.front.map((s) => s.objectives));
    await expect(optimizeAllocation(modules, apps, { ...opts, seed: 9, resumeFrom: checkpoints[1] })).rejects.toThrow(/seed/);
  });

  it('stops at the end of a generation when aborted and reports progress per generation', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const r = await optimizeAllocation(modules, apps, {
      ...opts,
      signal: controller.signal,
      onGeneration: (p) => {
        seen.push(p.generation);
        expect(p.hypervolume).toBeGreaterThanOrEqual(0);
        expect(p.hypervolume).toBeLessThanOrEqual(1);
        if (p.generation === 5) controller.abort();
      },
    });
    expect(r.stats.cancelled).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    checkFront(r);
  });

  it('rejects bad options with the field named', async () => {
    await expect(optimizeAllocation(modules, apps, { ...opts, population: 2 })).rejects.toThrow(/population/);
    await expect(optimizeAllocation(modules, apps, { ...opts, generations: 0 })).rejects.toThrow(/generations/);
    await expect(optimizeAllocation(modules, [], opts)).rejects.toThrow(/application/);
    await expect(optimizeAllocation(modules.slice(1), apps, opts)).rejects.toThrow(/modules/);
  });
});

describe('optimizeAllocation on worker threads', () => {
  it('gives the same front bit for bit with 2 workers as inline', async () => {
    const { createWorkerPool } = await import('../../src/solver/pool.js');
    const pool = createWorkerPool({ threads: 2 });
    try {
      const inline = await optimizeAllocation(modules, apps, opts);
      const threaded = await optimizeAllocation(modules, apps, { ...opts, pool, parallelEvaluationMinModules: 1 });
      expect(threaded.front.map((s) => [s.objectives, Array.from(s.applicationIndex)])).toEqual(inline.front.map((s) => [s.objectives, Array.from(s.applicationIndex)]));
      expect(threaded.stats.evaluations).toBe(inline.stats.evaluations);
    } finally {
      await pool.destroy();
    }
  });
});
