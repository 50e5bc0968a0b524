/**
 * Pinned and excluded modules: every plan of the front, the exact points and the baselines hold
 * the pins and leave excluded modules out; bad pins are refused with the module and the reason.
 */
import { describe, expect, it } from 'vitest';
import { optimizeAllocation } from '../../src/planning/optimize.js';
import { RestrictionError } from '../../src/planning/restrictions.js';
import { app, modulesFor, randomMatrix } from './fixtures.js';

const apps = [app('grid', 'GRID', 20, 2), app('solar', 'SOLAR', 15, 1), app('backup', 'BACKUP', 12, 1)];
const N = 80;
const matrix = randomMatrix(N, apps, 41, 0.7);
const modules = modulesFor(N, 41);
const feasibleSlot = (m: number, a: number) => [0, 1].find((e) => e < apps[a].envelopes.length && matrix.feasible[(m * 3 + a) * 2 + e] === 1);

describe('pinned and excluded modules', () => {
  it('hold in every plan of the front and in both baselines', async () => {
    const pinned: { m: number; a: number; e: number }[] = [];
    for (let m = 0; m < N && pinned.length < 3; m++) {
      const e = feasibleSlot(m, 2);
      if (e !== undefined) pinned.push({ m, a: 2, e });
    }
    const excludedIdx = [pinned.at(-1)!.m + 1, pinned.at(-1)!.m + 2];
    const r = await optimizeAllocation(modules, apps, {
      population: 30,
      generations: 20,
      seed: 2,
      matrix,
      pins: pinned.map((p) => ({ module: modules[p.m].serial, application: 'backup', envelope: apps[2].envelopes[p.e].name })),
      excluded: excludedIdx.map((m) => modules[m].serial),
    });
    expect(r.restrictions).toEqual({ pinned: 3, excluded: 2 });
    const plans = [...r.front, r.baselines.static, r.baselines.adaptive];
    for (const s of plans) {
      for (const p of pinned) {
        expect(s.applicationIndex[p.m]).toBe(2);
        expect(s.envelopeIndex[p.m]).toBe(p.e);
      }
      for (const m of excludedIdx) expect(s.applicationIndex[m]).toBe(-1);
    }
    // The bound includes the pinned modules' storage-years: the front cannot beat it.
    expect(r.bounds[0].bestOnFront!).toBeLessThanOrEqual(r.bounds[0].bound! + 1e-6);
  }, 60_000);

  it('refuses a pin to an infeasible option, an unknown module, a pinned-and-excluded module and pins over capacity, naming each', async () => {
    let infeasible = -1;
    for (let m = 0; m < N && infeasible < 0; m++) if (matrix.feasible[(m * 3 + 1) * 2] === 0) infeasible = m;
    const run = (pins: { module: string; application: string; envelope?: string }[], excluded: string[] = []) =>
      optimizeAllocation(modules, apps, { population: 8, generations: 2, seed: 1, matrix, pins, excluded });
    const bad = await run([{ module: modules[infeasible].serial, application: 'solar', envelope: 'standard' }]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RestrictionError);
    expect((bad as Error).message).toContain(`module ${modules[infeasible].serial} cannot be pinned to solar / standard`);
    const unknown = await run([{ module: 'NOPE-1', application: 'grid' }]).catch((e: unknown) => e);
    expect((unknown as Error).message).toContain('module "NOPE-1" is not in the fleet');
    const both = await run([{ module: modules[0].serial, application: 'grid' }], [modules[0].serial]).catch((e: unknown) => e);
    expect((both as Error).message).toMatch(/is both pinned and excluded|cannot be pinned/);
    const all = modules.map((m, i) => ({ m, i })).filter(({ i }) => feasibleSlot(i, 2) !== undefined);
    const over = await run(all.map(({ m }) => ({ module: m.serial, application: 'backup' }))).catch((e: unknown) => e);
    expect((over as Error).message).toMatch(/modules pinned to backup \(.+\) need [\d.]+ kWh, over its capacity limit of 12 kWh/);
  }, 60_000);
});
