import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TOTALS_BASE,
  buildAllocationProblem,
  capacityViolation,
  decodeGenes,
  evaluateGenes,
  applyGeneDelta,
  objectivesFromTotals,
  repair,
  totalsLength,
} from '../../src/planning/allocation-problem.js';
import { allocationSolverProblem } from '../../src/planning/allocation-solver.js';
import { deploymentCostUsd } from '../../src/planning/cost-model.js';
import { adaptiveGenes, greedyGenes, optionRulYears, staticPlan } from '../../src/planning/baselines.js';
import { evaluatePlan } from '../../src/planning/plan-evaluation.js';
import { Random } from '../../src/solver/random.js';
import { app, closeTo, modulesFor, randomMatrix, referenceObjectives } from './fixtures.js';

const apps = [app('grid', 'GRID', 20, 2), app('solar', 'SOLAR', 15, 2), app('backup', 'BACKUP', 25, 1)];

describe('cost model', () => {
  it('adds capital, O&M, cooling and subtracts delivered value (hand computation)', () => {
    const a = app('g', 'GRID', 10, 1, { repurposingCostUsdPerModule: 60, integrationCostUsdPerKwh: 150, valueUsdPerMwh: 120 });
    // 60 + 150·3 + 0.025·150·3·8 + (10·3 + 3·3·8) − 120·5 = 60 + 450 + 90 + 102 − 600 = 102
    expect(deploymentCostUsd(a, { activeCooling: true }, { usableEnergyKwh: 3, rulYears: 8, lifetimeEnergyMwh: 5 })).toBeCloseTo(102, 9);
    expect(deploymentCostUsd(a, { activeCooling: false }, { usableEnergyKwh: 3, rulYears: 8, lifetimeEnergyMwh: 5 })).toBeCloseTo(0, 9);
  });
});

describe('allocation problem encoding', () => {
  it('offers exactly the twin-feasible pairs of each module, gene 0 being recycling', () => {
    const matrix = randomMatrix(30, apps, 3, 0.5);
    const p = buildAllocationProblem(matrix, apps);
    for (let m = 0; m < 30; m++) {
      const offered = [];
      for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) offered.push(`${p.optApp[o]}/${p.optEnv[o]}`);
      const expected = [];
      for (let a = 0; a < 3; a++) for (let e = 0; e < apps[a].envelopes.length; e++) if (matrix.feasible[(m * 3 + a) * 2 + e]) expected.push(`${a}/${e}`);
      expect(offered).toEqual(expected);
    }
  });

  it('incremental gene changes give the same totals as a full evaluation', () => {
    const matrix = randomMatrix(40, apps, 5);
    const p = buildAllocationProblem(matrix, apps);
    const domain = Array.from({ length: 40 }, (_, m) => p.optStart[m + 1] - p.optStart[m] + 1);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(39), fc.nat(1000)), { minLength: 1, maxLength: 200 }), (changes) => {
        const genes = new Uint8Array(40);
        const inc = new Float64Array(totalsLength(p));
        for (const [m, r] of changes) {
          const g = r % domain[m];
          applyGeneDelta(p, m, genes[m], g, inc, 0);
          genes[m] = g;
        }
        const full = new Float64Array(totalsLength(p));
        evaluateGenes(p, genes, 0, full, 0);
        // Fixed-point totals: incremental and full sums agree exactly.
        expect(Array.from(inc)).toEqual(Array.from(full));
        const plan = decodeGenes(p, genes, 0);
        const ref = referenceObjectives(matrix, apps, plan.applicationIndex, plan.envelopeIndex);
        const obj = new Float64Array(3);
        objectivesFromTotals(full, 0, obj, 0);
        // Internal fixed-point units: 1e-6 kWh·yr, 1e-3 USD per module at most.
        expect(Math.abs(-obj[0] - ref.objectives[0])).toBeLessThan(40 * 1e-6);
        expect(closeTo(obj[1], ref.objectives[1], 1e-6)).toBe(true);
        expect(Math.abs(obj[2] - ref.objectives[2])).toBeLessThan(40 * 1e-3);
        expect(ref.infeasible).toBe(0);
      }),
      { seed: 11, numRuns: 100 },
    );
  });

  it('is built on shared memory, so the worker-thread source passes its arrays without a copy', () => {
    const p = buildAllocationProblem(randomMatrix(40, apps, 7, 0.6), apps);
    const source = allocationSolverProblem(p, { workerKey: 'shared-memory-test' }).source!;
    const sent = (source.payload as { problem: Record<string, unknown> }).problem;
    for (const field of ['capacityKwh', 'optStart', 'optApp', 'optEnv', 'optKwh', 'optStorageYears', 'optKwhFade', 'optCostUsd', 'optRulYears', 'idealBound', 'nadirBound'] as const) {
      expect(p[field].buffer, field).toBeInstanceOf(SharedArrayBuffer);
      expect(sent[field], field).toBe(p[field]);
    }
    // A problem assembled on ordinary buffers still reaches the workers, as a shared copy.
    const plain = { ...p, optKwh: Float64Array.from(p.optKwh) };
    const copied = (allocationSolverProblem(plain, { workerKey: 'shared-memory-test-2' }).source!.payload as { problem: Record<string, Float64Array> }).problem.optKwh!;
    expect(copied).not.toBe(plain.optKwh);
    expect(copied.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(copied)).toEqual(Array.from(p.optKwh));
  });

  it('repair leaves every application within its capacity and only ever removes load', () => {
    const matrix = randomMatrix(60, apps, 7, 0.9);
    const p = buildAllocationProblem(matrix, apps);
    fc.assert(
      fc.property(fc.array(fc.nat(255), { minLength: 60, maxLength: 60 }), fc.nat(), (raw, seed) => {
        const genes = Uint8Array.from(raw.map((r, m) => r % (p.optStart[m + 1] - p.optStart[m] + 1)));
        const totals = new Float64Array(totalsLength(p));
        evaluateGenes(p, genes, 0, totals, 0);
        const before = totals[2];
        repair(p, genes, 0, totals, 0, new Random(seed));
        const check = new Float64Array(totalsLength(p));
        evaluateGenes(p, genes, 0, check, 0);
        expect(capacityViolation(p, check, 0)).toBe(0);
        for (let a = 0; a < 3; a++) expect(check[TOTALS_BASE + a] / 1e6).toBeLessThanOrEqual(apps[a].capacityLimitKwh);
        expect(check[2]).toBeLessThanOrEqual(before + 1e-9);
        expect(Array.from(totals)).toEqual(Array.from(check));
      }),
      { seed: 12, numRuns: 100 },
    );
  });

  it('the solver adapter repairs children in evaluation and its incremental path equals a full evaluation', () => {
    const matrix = randomMatrix(50, apps, 9, 0.9);
    const p = buildAllocationProblem(matrix, apps);
    const sp = allocationSolverProblem(p);
    expect(sp.repair).toBeUndefined();
    const rng = new Random(4);
    const x = new Uint8Array(4 * 50);
    const domain = (sp.variables as { domainSize: Int32Array }).domainSize;
    for (let i = 0; i < 4 * 50; i++) x[i] = rng.nextInt(domain[i % 50]);
    const f = new Float64Array(12);
    const g = new Float64Array(12);
    sp.evaluate({ x, f, g, count: 4 });
    // Random genes overfill these capacities; evaluation repaired rows 0 and 1 in place.
    for (let k = 0; k < 6; k++) expect(g[k]).toBeLessThanOrEqual(1e-9);
    let overfilled = 0;
    for (let c = 0; c < 10; c++) {
      sp.crossover!(x, 0, 1, x, 2, 3, rng);
      sp.mutation!(x, 2, rng);
      const child = x.slice(100, 200);
      const before = child.slice();
      const fi = new Float64Array(6);
      const gi = new Float64Array(6);
      sp.evaluateIncremental!({ x: child, f: fi, g: gi, count: 2, parents: { x: x.slice(0, 100), f: f.slice(0, 6), g: g.slice(0, 6), count: 2 }, parentIndex: Int32Array.of(0, 1) });
      if (before.some((v, k) => v !== child[k])) overfilled++;
      for (let k = 0; k < 6; k++) expect(gi[k]).toBeLessThanOrEqual(1e-9);
      const ff = new Float64Array(6);
      const gf = new Float64Array(6);
      const again = child.slice();
      sp.evaluate({ x: again, f: ff, g: gf, count: 2 });
      expect(again).toEqual(child);
      expect(Array.from(fi)).toEqual(Array.from(ff));
      expect(Array.from(gi)).toEqual(Array.from(gf));
      // Same unrepaired row → same repaired row.
      const twice = before.slice();
      sp.evaluate({ x: twice, f: new Float64Array(6), g: new Float64Array(6), count: 2 });
      expect(twice).toEqual(child);
    }
    expect(overfilled).toBeGreaterThan(0);
  });
});

describe('baselines', () => {
  it('static sends SOH > 70 % to grid and the rest to backup, first envelope, blind to capacity', () => {
    const modules = modulesFor(50, 1);
    const plan = staticPlan(modules, apps);
    modules.forEach((m, i) => {
      expect(plan.applicationIndex[i]).toBe(m.sohPercent > 70 ? 0 : 2);
      expect(plan.envelopeIndex[i]).toBe(0);
    });
  });

  it('adaptive puts each module in its best-RUL feasible option that still fits, within capacity', () => {
    const matrix = randomMatrix(80, apps, 13);
    const p = buildAllocationProblem(matrix, apps);
    const genes = adaptiveGenes(p);
    const plan = decodeGenes(p, genes, 0);
    const ev = evaluatePlan(matrix, apps, p.pairCostUsd, plan, 'adaptive');
    expect(ev.feasible).toBe(true);
    const rul = optionRulYears(p);
    // A module placed in a worse-RUL option than its best must have been blocked by capacity
    // when it was placed; at the end, at least its best application must be near full.
    for (let m = 0; m < 80; m++) {
      if (p.optStart[m + 1] === p.optStart[m]) expect(genes[m]).toBe(0);
      let bestO = -1;
      for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) if (bestO < 0 || rul[o] > rul[bestO]) bestO = o;
      if (bestO >= 0 && genes[m] !== bestO - p.optStart[m] + 1) {
        const a = p.optApp[bestO];
        expect(ev.loadsKwh[a] + p.optKwh[bestO]).toBeGreaterThan(apps[a].capacityLimitKwh);
      }
    }
    expect(greedyGenes(p, rul)).toEqual(genes);
  });

  it('comparison flags twin-infeasible pairs and capacity overflow (intake order) as misallocated', () => {
    const a2 = [app('grid', 'GRID', 5, 1), app('backup', 'BACKUP', 100, 1)];
    const matrix = randomMatrix(4, a2, 1, 1);
    for (let m = 0; m < 4; m++) matrix.usableEnergyKwh[m * 2] = 2; // grid pair of module m
    matrix.feasible[3 * 2 + 1] = 0; // module 3 infeasible in backup
    const plan = { applicationIndex: Int16Array.of(0, 0, 0, 1), envelopeIndex: Int8Array.of(0, 0, 0, 0) };
    const costs = buildAllocationProblem(matrix, a2).pairCostUsd;
    const ev = evaluatePlan(matrix, a2, costs, plan, 'static');
    // grid takes modules 0 and 1 (4 kWh ≤ 5), module 2 overflows; module 3 violates the twin.
    expect(ev.metrics.misallocatedPercent).toBe(50);
    expect(ev.metrics.correctPercent).toBe(50);
    expect(ev.feasible).toBe(false);
    expect(ev.overCapacityApplications).toBe(1);
    expect(ev.infeasibleModules).toBe(1);
  });
});
