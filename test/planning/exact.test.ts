/**
 * The exact step: its LP bound against HiGHS's own LP of the whole model, its MILP against
 * enumeration, its plans within capacity, its bounds never below what the front reaches, and
 * its degradations (HiGHS that does not load, no time left, an infeasible ε) as notes, not failures.
 */
import { describe, expect, it } from 'vitest';
import { buildAllocationProblem } from '../../src/planning/allocation-problem.js';
import { optimizeAllocation } from '../../src/planning/optimize.js';
import { exactPoints, gapPercent } from '../../src/planning/exact/anchors.js';
import { buildSparseModel, costPerOption, storageYearsPerOption } from '../../src/planning/exact/formulation.js';
import type { Highs } from 'highs';
import { loadHighs, solveSparse, type HighsLoader } from '../../src/planning/exact/highs-adapter.js';
import { lagrangianLpBound } from '../../src/planning/exact/lagrangian-lp.js';
import { fitsCapacity } from '../../src/planning/exact/rounding.js';
import { minimiseFade, planFade, planStorage } from '../../src/planning/exact/dinkelbach.js';
import { coreProblem } from '../../src/planning/exact/core.js';
import { app, modulesFor, randomMatrix, referenceObjectives } from './fixtures.js';

const apps = [app('grid', 'GRID', 30, 2), app('solar', 'SOLAR', 25, 2), app('backup', 'BACKUP', 20, 1), app('micro', 'MICROGRID', 15, 2)];
const failingLoader = () => Promise.reject(new Error('wasm unavailable'));

type HighsModel = ReturnType<Highs['createModel']>;
type ModelSource = { numRows: number; integrality?: unknown };

/** HiGHS as loaded, with its `createModel` replaced by `createModel(highs, source)`. */
function highsWith(createModel: (highs: Highs, source: ModelSource) => HighsModel): HighsLoader {
  return async () => {
    const highs = await loadHighs();
    const create = (source: ModelSource) => createModel(highs, source);
    return new Proxy(highs, { get: (target, key) => (key === 'createModel' ? create : Reflect.get(target, key, target)) });
  };
}

/** `model` with the named members replaced; its other methods stay bound to it. */
function overriding(model: HighsModel, members: Record<string, unknown>): HighsModel {
  return new Proxy(model, {
    get: (target, key) => {
      if (typeof key === 'string' && key in members) return members[key];
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('LP bound by the Lagrangian dual', () => {
  it('equals HiGHS’s LP relaxation of the whole model, for storage-years and for cost', async () => {
    const matrix = randomMatrix(300, apps, 5, 0.7);
    const p = buildAllocationProblem(matrix, apps);
    for (const c of [storageYearsPerOption(p), costPerOption(p).map((v) => -v)]) {
      const lp = await solveSparse(buildSparseModel(p, c, [], false), 60);
      expect(lp.status).toBe('optimal');
      const dual = await lagrangianLpBound(p, c, { timeLimitSeconds: 60 });
      expect(dual.converged).toBe(true);
      expect(dual.bound).toBeGreaterThanOrEqual(lp.objective - 1e-6 * Math.abs(lp.objective));
      expect(Math.abs(dual.bound - lp.objective)).toBeLessThan(1e-6 * Math.max(1, Math.abs(lp.objective)));
    }
  }, 120_000);

  it('stays a valid (upper) bound when stopped after one cut', async () => {
    const matrix = randomMatrix(200, apps, 6, 0.7);
    const p = buildAllocationProblem(matrix, apps);
    const c = storageYearsPerOption(p);
    const lp = await solveSparse(buildSparseModel(p, c, [], false), 60);
    const early = await lagrangianLpBound(p, c, { timeLimitSeconds: 60, maxIterations: 1 });
    expect(early.converged).toBe(false);
    expect(early.note).toMatch(/not converged/);
    expect(early.bound).toBeGreaterThanOrEqual(lp.objective);
  }, 60_000);
});

describe('exact anchor points', () => {
  it('on a small model proves the MILP optimum, which no enumerated plan beats', async () => {
    // 8 modules × 1 envelope × 3 applications: 4^8 plans, enumerated.
    const small = [app('grid', 'GRID', 7, 1), app('solar', 'SOLAR', 6, 1), app('backup', 'BACKUP', 5, 1)];
    const matrix = randomMatrix(8, small, 9, 0.8);
    const p = buildAllocationProblem(matrix, small);
    const r = await exactPoints(p, { timeBudgetSeconds: 60 });
    let bestSy = 0;
    let bestCost = 0;
    const assign = new Int16Array(8);
    const env = new Int8Array(8);
    for (let code = 0; code < 4 ** 8; code++) {
      let k = code;
      let ok = true;
      for (let m = 0; m < 8; m++) {
        assign[m] = (k % 4) - 1;
        env[m] = assign[m] >= 0 ? 0 : -1;
        k = Math.floor(k / 4);
        if (assign[m] >= 0 && !matrix.feasible[m * 3 + assign[m]]) ok = false;
      }
      if (!ok) continue;
      const ref = referenceObjectives(matrix, small, assign, env);
      if (ref.loads.some((l, a) => l > small[a].capacityLimitKwh)) continue;
      bestSy = Math.max(bestSy, ref.objectives[0]);
      bestCost = Math.min(bestCost, ref.objectives[2]);
    }
    const [sy, cost] = r.bounds;
    expect(sy.method).toBe('MILP');
    expect(sy.exactValue!).toBeCloseTo(bestSy, 3);
    expect(sy.bound!).toBeGreaterThanOrEqual(bestSy - 1e-3);
    expect(sy.lpBound!).toBeGreaterThanOrEqual(sy.bound! - 1e-6);
    expect(cost.exactValue!).toBeCloseTo(bestCost, 1);
    expect(cost.bound!).toBeLessThanOrEqual(bestCost + 1e-3);
    for (const g of r.anchors) expect(fitsCapacity(p, g)).toBe(true);
  }, 120_000);

  it('plans meet every capacity; the front never beats a bound; progress reports the gap', async () => {
    const matrix = randomMatrix(400, apps, 11, 0.7);
    const gaps: number[] = [];
    const r = await optimizeAllocation(modulesFor(400, 11), apps, {
      population: 40,
      generations: 30,
      seed: 3,
      matrix,
      onGeneration: (g) => void gaps.push(g.bounds![0].gapPercent!),
    });
    expect(r.exact!.anchors).toBeGreaterThanOrEqual(2);
    expect(r.bounds.map((b) => b.objective)).toEqual(['storageYears', 'costUsd']);
    const [sy, cost] = r.bounds;
    expect(sy.bestOnFront!).toBeLessThanOrEqual(sy.bound! + 1e-6);
    expect(cost.bestOnFront!).toBeGreaterThanOrEqual(cost.bound! - 1e-6);
    expect(sy.gapPercent).toBeCloseTo(gapPercent('storageYears', sy.bound, sy.bestOnFront)!, 12);
    // The anchors are in the first population: the storage end starts within a few % of the bound.
    expect(gaps[0]).toBeLessThan(3);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThanOrEqual(gaps[i - 1] + 1e-12);
    for (const s of r.front) {
      const ref = referenceObjectives(matrix, apps, s.applicationIndex, s.envelopeIndex);
      expect(ref.infeasible).toBe(0);
      ref.loads.forEach((l, a) => expect(l).toBeLessThanOrEqual(apps[a].capacityLimitKwh + 1e-9));
    }
  }, 120_000);
});

describe('core MILP above the whole-MILP size', () => {
  it('packs the capacity near the whole MILP’s optimum, where rounding alone falls short; its plans fit', async () => {
    // 400 modules against capacity for a few dozen: the packing decides the gap (≈ 2 700 options).
    const tight = [app('grid', 'GRID', 12, 2), app('solar', 'SOLAR', 10, 2), app('backup', 'BACKUP', 8, 1), app('micro', 'MICROGRID', 6, 2)];
    const matrix = randomMatrix(400, tight, 21, 0.7);
    const p = buildAllocationProblem(matrix, tight);
    const withCore = await exactPoints(p, { timeBudgetSeconds: 120, weightedPoints: 0 });
    const rounded = await exactPoints(p, { timeBudgetSeconds: 120, weightedPoints: 0, coreMaxColumns: 0 });
    const c = storageYearsPerOption(p);
    const whole = await solveSparse(buildSparseModel(p, c), 120, undefined, undefined, 2000);
    expect(whole.x.length).toBeGreaterThan(0);
    const [sy] = withCore.bounds;
    expect(sy.note).toMatch(/core MILP over the \d+ modules nearest the LP margin/);
    expect(withCore.notes[0]).toMatch(/LP bounds, rounded plans and core MILPs only/);
    expect(sy.exactValue!).toBeGreaterThanOrEqual(rounded.bounds[0].exactValue! - 1e-9);
    // Within 0.2 % of the whole MILP's best plan (which itself may stop short of the optimum).
    expect(sy.exactValue!).toBeGreaterThanOrEqual(whole.objective * (1 - 0.002));
    expect(sy.exactValue!).toBeLessThanOrEqual(sy.bound! + 1e-9);
    for (const g of withCore.anchors) expect(fitsCapacity(p, g)).toBe(true);
  }, 240_000);
});

describe('degradation', () => {
  it('HiGHS that does not load: the run succeeds on the evolutionary search; the bound left is the loose but valid dual value, with a note', async () => {
    const matrix = randomMatrix(60, apps, 12, 0.7);
    const r = await optimizeAllocation(modulesFor(60, 12), apps, { population: 20, generations: 10, seed: 1, matrix, exact: { loader: failingLoader } });
    expect(r.front.length).toBeGreaterThan(0);
    const [sy, cost] = r.bounds;
    expect(sy.note).toMatch(/HiGHS could not be started \(wasm unavailable\)/);
    expect(sy.method).toBe('LP');
    expect(sy.bestOnFront!).toBeLessThanOrEqual(sy.bound!);
    expect(cost.bestOnFront!).toBeGreaterThanOrEqual(cost.bound!);
  }, 60_000);

  it('no time for the exact step: bounds still valid (or null), never below the front', async () => {
    const matrix = randomMatrix(200, apps, 13, 0.7);
    const r = await optimizeAllocation(modulesFor(200, 13), apps, { population: 20, generations: 10, seed: 1, matrix, exact: { timeBudgetSeconds: 1e-6 } });
    const [sy, cost] = r.bounds;
    if (sy.bound !== null) expect(sy.bestOnFront!).toBeLessThanOrEqual(sy.bound + 1e-6);
    if (cost.bound !== null) expect(cost.bestOnFront!).toBeGreaterThanOrEqual(cost.bound - 1e-6);
    expect(r.front.length).toBeGreaterThan(0);
    expect([...r.exact!.notes, ...r.bounds.map((b) => b.note ?? '')].join(' ')).toMatch(/time budget/);
  }, 60_000);

  it('HiGHS that loads but fails in every solve: the run succeeds, each failure is a note, the bound stays valid', async () => {
    const matrix = randomMatrix(120, apps, 15, 0.7);
    const broken = () => Promise.resolve({ createModel: () => { throw new Error('out of memory'); }, constants: {} } as never);
    const r = await optimizeAllocation(modulesFor(120, 15), apps, { population: 20, generations: 10, seed: 1, matrix, exact: { loader: broken, milpMaxColumns: 0 } });
    expect(r.front.length).toBeGreaterThan(0);
    const [sy, cost] = r.bounds;
    expect(sy.note).toMatch(/out of memory/);
    expect(sy.note).toMatch(/core MILP .* failed/);
    expect(sy.bestOnFront!).toBeLessThanOrEqual(sy.bound! + 1e-6);
    expect(cost.bestOnFront!).toBeGreaterThanOrEqual(cost.bound! - 1e-6);
  }, 60_000);

  it('a fade point whose Dinkelbach step stops at its time limit: a note, only plans that fit and meet their ε, the bounds untouched', async () => {
    const matrix = randomMatrix(30, apps, 16, 0.7);
    const p = buildAllocationProblem(matrix, apps);
    // HiGHS as it is, except that every model with side rows (the fade models: Dinkelbach's
    // "deploy something" row and the ε-rows; the sum objectives have only choice and capacity
    // rows) reports its time limit, with whatever plan it found.
    const choiceAndCapacityRows = p.nModules + p.nApps;
    const fadeTimesOut = highsWith((highs, source) => {
      const model = highs.createModel(source as never);
      if (source.numRows <= choiceAndCapacityRows) return model;
      return overriding(model, { getModelStatus: () => highs.constants.modelStatus.timeLimit });
    });
    // Two fade points (unconstrained, storage-years ≥ 95 % of the best) after the two ends.
    const opts = { timeBudgetSeconds: 120, weightedPoints: 0, fadeStorageFractions: [0.95] };
    const normal = await exactPoints(p, opts);
    const limited = await exactPoints(p, { ...opts, loader: fadeTimesOut });
    const fadeNotes = limited.notes.filter((n) => /^fade point/.test(n));
    expect(fadeNotes).toHaveLength(2);
    for (const n of fadeNotes) expect(n).toMatch(/Dinkelbach stopped by the exact-point time budget before proving the minimum \(its best plan is kept as a seed\)/);
    expect(normal.notes.some((n) => /Dinkelbach stopped/.test(n))).toBe(false);
    // The sum objectives' bounds and end plans do not depend on the fade step.
    expect(limited.bounds.map((b) => [b.bound, b.method, b.exactValue])).toEqual(normal.bounds.map((b) => [b.bound, b.method, b.exactValue]));
    expect(limited.anchors).toHaveLength(4);
    for (const g of limited.anchors) {
      expect(fitsCapacity(p, g)).toBe(true);
      expect(planStorage(p, g)).toBeLessThanOrEqual(limited.bounds[0].bound! + 1e-6);
    }
    // The ε-point's plan (the last anchor) meets its ε.
    expect(planStorage(p, limited.anchors[3])).toBeGreaterThanOrEqual(0.95 * limited.bounds[0].exactValue! - 1e-6);
    // The run goes on: a front of feasible plans, never past a bound.
    const r = await optimizeAllocation(modulesFor(30, 16), apps, { population: 20, generations: 10, seed: 1, matrix, exact: { ...opts, loader: fadeTimesOut } });
    expect(r.exact!.notes.filter((n) => /Dinkelbach stopped/.test(n))).toHaveLength(2);
    expect(r.front.length).toBeGreaterThan(0);
    for (const s of r.front) {
      const ref = referenceObjectives(matrix, apps, s.applicationIndex, s.envelopeIndex);
      expect(ref.infeasible).toBe(0);
      ref.loads.forEach((l, a) => expect(l).toBeLessThanOrEqual(apps[a].capacityLimitKwh + 1e-9));
    }
    const [sy, cost] = r.bounds;
    expect(sy.bestOnFront!).toBeLessThanOrEqual(sy.bound! + 1e-6);
    expect(cost.bestOnFront!).toBeGreaterThanOrEqual(cost.bound! - 1e-6);
  }, 240_000);

  it('a slow machine: both LP bounds are proven before either end spends time on its plan, so the second end\'s bound is as tight as on a fast one', async () => {
    const matrix = randomMatrix(40, apps, 21, 0.7);
    const p = buildAllocationProblem(matrix, apps);
    const opts = { weightedPoints: 0, fadeStorageFractions: [] as number[] };
    const normal = await exactPoints(p, { ...opts, timeBudgetSeconds: 120 });
    for (const b of normal.bounds) expect(b.note).toMatch(/\(\d+ cutting planes\)/);
    // HiGHS on a machine where each cutting-plane master solve takes 25 ms and every MILP runs
    // to its time limit. The budget is set so that the two LPs need 70 % of it between them
    // (timed here, on this machine as it is now): plan-building end by end (the storage end's
    // MILP, 45 % of the budget, before the cost end's LP) would leave the cost LP at most 55 %
    // less the storage LP, and its bound would stop short.
    const masterMs = 25;
    const spin = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // a slow synchronous solve
      }
    };
    const slow = highsWith((highs, source) => {
      const model = highs.createModel(source as never);
      let limitSeconds = Infinity;
      const options = new Proxy(model.options, {
        get: (target, key) => {
          if (key !== 'set') return Reflect.get(target, key, target) as unknown;
          return (o: { time_limit?: number }) => {
            if (o.time_limit !== undefined) limitSeconds = o.time_limit;
            target.set(o as never);
          };
        },
      });
      const run = () => {
        if (source.numRows === 0) spin(masterMs);
        else if (source.integrality) {
          spin(Math.min(limitSeconds, 60) * 1000);
          model.options.set({ time_limit: 1e-3 } as never);
        }
        model.run();
      };
      return overriding(model, { run, options });
    });
    let lpSeconds = 0;
    for (const c of [storageYearsPerOption(p), costPerOption(p).map((v) => -v)]) {
      const lp = await lagrangianLpBound(p, c, { timeLimitSeconds: 120, loader: slow });
      expect(lp.converged).toBe(true);
      lpSeconds += lp.seconds;
    }
    const budgetSeconds = lpSeconds / 0.7;
    const loaded = await exactPoints(p, { ...opts, timeBudgetSeconds: budgetSeconds, loader: slow });
    for (const [i, b] of loaded.bounds.entries()) {
      expect(b.note).not.toMatch(/not converged/);
      expect(b.note).toMatch(/MILP stopped by the exact-point time budget|MILP skipped: the exact-point time budget was spent/);
      expect(b.lpBound).toBe(normal.bounds[i]!.lpBound);
    }
    for (const g of loaded.anchors) expect(fitsCapacity(p, g)).toBe(true);
  }, 120_000);

  it('a core whose fixed modules already overfill an application: skipped with a note, the rounded plan fits, the LP bound stays valid', async () => {
    const matrix = randomMatrix(120, apps, 17, 0.7);
    const p = buildAllocationProblem(matrix, apps);
    // Prices at 0 (the dual's master does not start): every module fixed at its most valuable
    // option, far more kWh than the applications hold.
    const c = storageYearsPerOption(p);
    expect(coreProblem(p, c, new Float64Array(p.nApps), 300).feasible).toBe(false);
    const noMaster = highsWith((highs, source) => {
      if (source.numRows === 0) throw new Error('master unavailable');
      return highs.createModel(source as never);
    });
    const x = await exactPoints(p, { timeBudgetSeconds: 120, milpMaxColumns: 0, loader: noMaster });
    for (const b of x.bounds) {
      expect(b.note).toMatch(/core MILP over the \d+ modules nearest the LP margin .* skipped: the fixed modules alone overfill an application/);
      expect(b.method).toBe('LP');
    }
    expect(x.anchors.length).toBeGreaterThan(0);
    for (const g of x.anchors) expect(fitsCapacity(p, g)).toBe(true);
    const r = await optimizeAllocation(modulesFor(120, 17), apps, { population: 20, generations: 10, seed: 1, matrix, exact: { loader: noMaster, milpMaxColumns: 0, timeBudgetSeconds: 120 } });
    expect(r.front.length).toBeGreaterThan(0);
    for (const s of r.front) {
      const ref = referenceObjectives(matrix, apps, s.applicationIndex, s.envelopeIndex);
      ref.loads.forEach((l, a) => expect(l).toBeLessThanOrEqual(apps[a].capacityLimitKwh + 1e-9));
    }
    const [sy, cost] = r.bounds;
    expect(sy.note).toMatch(/skipped: the fixed modules alone overfill an application/);
    expect(sy.bestOnFront!).toBeLessThanOrEqual(sy.bound! + 1e-6);
    expect(cost.bestOnFront!).toBeGreaterThanOrEqual(cost.bound! - 1e-6);
  }, 240_000);

  it('an infeasible ε-constraint is reported infeasible, not answered with a plan', async () => {
    const matrix = randomMatrix(30, apps, 14, 0.7);
    const p = buildAllocationProblem(matrix, apps);
    const r = await minimiseFade(p, { timeLimitSeconds: 30, minStorageYears: 1e9 });
    expect(r.status).toBe('infeasible');
    expect(r.genes).toBeNull();
    const free = await minimiseFade(p, { timeLimitSeconds: 30 });
    expect(free.status).toBe('optimal');
    // Dinkelbach's optimum: no single option has a lower fade (deploying only the best module is a plan).
    let best = Infinity;
    for (let o = 0; o < p.optKwh.length; o++) best = Math.min(best, p.optKwhFade[o] / p.optKwh[o]);
    expect(planFade(p, free.genes!)).toBeCloseTo(best, 9);
  }, 60_000);
});
