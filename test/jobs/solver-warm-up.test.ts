/**
 * The solver warm-up a run-executing process solves at start (src/jobs/solver-warm-up.ts): it
 * takes the exact step's large-fleet paths, it ends (and is awaited by stop), a failing one is
 * logged without taking the service down, and RELIFE_SOLVER_WARM_UP is read strictly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { SOLVER_WARM_UP_MODULES, solverWarmUp, solverWarmUpFromEnv } from '../../src/demo/solver-warm-up.js';
import { startJobService } from '../../src/jobs/service.js';
import { optimizeAllocation } from '../../src/planning/optimize.js';
import { databaseTargets } from '../helpers/databases.js';

describe('solver warm-up allocation', () => {
  it('takes the paths of a large run: capacities bind, and the exact step goes through the core MILP', async () => {
    const { modules, apps } = solverWarmUp();
    expect(modules).toHaveLength(SOLVER_WARM_UP_MODULES);
    const result = await optimizeAllocation(modules, apps, { population: 20, generations: 1, seed: 1, workers: 1 });
    expect(result.exact?.notes.join(' ')).toMatch(/exceed the MILP size budget/);
    const storage = result.bounds.find((b) => b.objective === 'storageYears')!;
    expect(storage.note).toMatch(/core MILP/);
    // Binding: the capacity rows carry the Lagrangian prices (cutting planes were needed).
    expect(storage.note).toMatch(/\(\d+ cutting planes\)/);
  }, 60_000);

  it('is on unless RELIFE_SOLVER_WARM_UP is 0, and refuses anything else by name', () => {
    expect(solverWarmUpFromEnv({}).warmUp?.modules).toHaveLength(SOLVER_WARM_UP_MODULES);
    expect(solverWarmUpFromEnv({ RELIFE_SOLVER_WARM_UP: '1' }).warmUp).toBeDefined();
    expect(solverWarmUpFromEnv({ RELIFE_SOLVER_WARM_UP: '0' })).toEqual({});
    expect(() => solverWarmUpFromEnv({ RELIFE_SOLVER_WARM_UP: 'yes' })).toThrow(/RELIFE_SOLVER_WARM_UP must be 0 or 1, got "yes"/);
  });
});

describe.each(databaseTargets())('job service warm-up on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  }, 30_000);

  it('solves the warm-up at start and says so', async () => {
    const lines: string[] = [];
    const service = await startJobService(database, { concurrency: 1, warmUp: solverWarmUp(), log: (l) => lines.push(l) });
    try {
      await service.warmedUp;
      expect(lines.some((l) => /^solver warmed up in \d+\.\d s \(300 modules\)$/.test(l))).toBe(true);
    } finally {
      await service.stop();
    }
  }, 120_000);

  it('logs a failing warm-up and keeps the service', async () => {
    const lines: string[] = [];
    const { modules } = solverWarmUp();
    const service = await startJobService(database, { concurrency: 1, warmUp: { modules, apps: [] }, log: (l) => lines.push(l) });
    try {
      await service.warmedUp;
      expect(lines.find((l) => l.startsWith('solver warm-up failed (runs are unaffected): '))).toBeDefined();
      await service.sweep();
    } finally {
      await service.stop();
    }
  }, 60_000);

  it('does not warm up a process that executes no runs', async () => {
    const lines: string[] = [];
    const service = await startJobService(database, { concurrency: 0, warmUp: solverWarmUp(), log: (l) => lines.push(l) });
    await service.warmedUp;
    await service.stop();
    expect(lines.filter((l) => l.includes('warm'))).toEqual([]);
  }, 60_000);
});
