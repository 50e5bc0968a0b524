import { describe, it, expect, afterAll } from 'vitest';
import { runNsga2, type Nsga2Options } from '../../src/solver/nsga2.js';
import { createWorkerPool } from '../../src/solver/pool.js';
import { encodeCheckpoint, decodeCheckpoint, type Nsga2State } from '../../src/solver/checkpoint.js';
import { createBenchmarkProblem } from '../../src/solver/problems/index.js';
import { hypervolume, igd } from '../../src/solver/indicators/index.js';
import { nonDominatedRanks } from '../../src/solver/sorting/index.js';
import { dasDennis, twoLayerReferenceDirections } from '../../src/solver/reference-directions.js';
import { Random } from '../../src/solver/random.js';
import { rieszEnergyDirections } from '../../src/solver/riesz-energy-directions.js';
import {
  associate,
  extremePoints,
  hyperplaneIntercepts,
  nadirPoint,
  nicheSelection,
  unitDirections,
} from '../../src/solver/survival/reference-points.js';
import { createSrn, createSumProblem, sumPayload } from './fixtures/problems.js';
import type { Genome, Problem } from '../../src/solver/problem.js';

const pool = createWorkerPool({ threads: 2 });
afterAll(() => pool.destroy());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('normalisation, association and niching (Deb & Jain 2014, §IV-C–E)', () => {
  it('hyperplane through the extreme points gives the intercepts; a degenerate plane falls back to the worst of the front', () => {
    const ideal = [1, 1, 1];
    const out = new Float64Array(3);
    expect(hyperplaneIntercepts([3, 1, 1, 1, 4, 1, 1, 1, 5], ideal, 3, out)).toBe(true);
    expect(Array.from(out).map((v) => +v.toFixed(12))).toEqual([2, 3, 4]);
    // Extreme points off the axes: the plane through (2,0,0), (0,2,0), (0.5,0.5,2) is x/2 + y/2 + z/4 = 1.
    expect(hyperplaneIntercepts([2, 0, 0, 0, 2, 0, 0.5, 0.5, 2], [0, 0, 0], 3, out)).toBe(true);
    expect(Array.from(out).map((v) => +v.toFixed(12))).toEqual([2, 2, 4]);
    // A plane parallel to an axis (through (2,0,0), (0,2,0), (1,1,1)) has no intercept on it.
    expect(hyperplaneIntercepts([2, 0, 0, 0, 2, 0, 1, 1, 1], [0, 0, 0], 3, out)).toBe(false);
    // Two identical extreme points: singular.
    expect(hyperplaneIntercepts([3, 1, 1, 3, 1, 1, 1, 1, 5], ideal, 3, out)).toBe(false);
    // A negative intercept (the plane leans the wrong way): degenerate too.
    expect(hyperplaneIntercepts([1, 0, 0, 0, 1, 0, 2, 2, 1], [0, 0, 0], 3, out)).toBe(false);
    const nadir = new Float64Array(3);
    const memory = { ideal, worst: [10, 10, 10], extremePoints: [3, 1, 1, 3, 1, 1, 1, 1, 5] };
    expect(nadirPoint(memory, 3, [4, 6, 7], [9, 9, 9], nadir)).toBe(false);
    expect(Array.from(nadir)).toEqual([4, 6, 7]);
    // Intercepts beyond the worst point seen are clipped to it; a zero range takes the population's worst.
    const clipped = { ideal: [0, 0, 0], worst: [1.5, 10, 10], extremePoints: [2, 0, 0, 0, 3, 0, 0, 0, 4] };
    expect(nadirPoint(clipped, 3, [1, 1, 1], [9, 9, 9], nadir)).toBe(true);
    expect(Array.from(nadir)).toEqual([1.5, 3, 4]);
    expect(nadirPoint({ ideal: [0, 0, 0], worst: [0, 1, 1], extremePoints: [0, 0, 0, 0, 1, 0, 0, 0, 1] }, 3, [0, 1, 1], [2, 1, 1], nadir)).toBe(false);
    expect(Array.from(nadir)).toEqual([2, 1, 1]);
  });

  it('extreme points minimise the ASF per axis; an earlier extreme point is kept unless beaten', () => {
    const f = Float64Array.from([1, 0.1, 0.1, 0.1, 1, 0.1, 0.5, 0.5, 0.5, 0.1, 0.1, 1, 0.9, 0, 0.2]);
    const rows = Int32Array.from([0, 1, 2, 3, 4]);
    const out = new Float64Array(9);
    extremePoints(f, 3, rows, 5, [0, 0, 0], null, out);
    // Axis 0: ASF(1, .1, .1) = max(1, 1e5, 1e5) = 1e5 beats ASF(0.9, 0, 0.2) = 2e5.
    expect(Array.from(out)).toEqual([1, 0.1, 0.1, 0.1, 1, 0.1, 0.1, 0.1, 1]);
    const previous = [2, 0, 0, 0, 2, 0, 0, 0, 2];
    extremePoints(f, 3, rows, 5, [0, 0, 0], previous, out);
    expect(Array.from(out)).toEqual(previous);
  });

  it('association: a point on a reference line has distance 0 to it; distances are perpendicular', () => {
    const dirs = dasDennis(3, 2);
    const units = unitDirections(dirs, 3);
    const f = Float64Array.from([2, 2, 0, 1, 1, 1, 0, 0, 3, 1, 0, 0]);
    const niche = new Int32Array(4);
    const dist = new Float64Array(4);
    // ideal 0, nadir 2: normalised points (1,1,0), (.5,.5,.5), (0,0,1.5), (.5,0,0)
    associate(f, 3, Int32Array.from([0, 1, 2, 3]), 4, [0, 0, 0], [2, 2, 2], units, niche, dist);
    expect(niche[0]).toBe(4); // (0.5, 0.5, 0)
    expect(dist[0]).toBeCloseTo(0, 12);
    expect(niche[2]).toBe(0); // (0, 0, 1)
    expect(niche[3]).toBe(5); // (1, 0, 0)
    // (.5,.5,.5) is equidistant from the three edge midpoints: the lowest index, (0, .5, .5), wins.
    expect(niche[1]).toBe(1);
    const u = [0, Math.SQRT1_2, Math.SQRT1_2];
    const dot = 0.5 * u[1] + 0.5 * u[2];
    expect(dist[1]).toBeCloseTo(Math.hypot(0.5, 0.5 - dot * u[1], 0.5 - dot * u[2]), 12);
  });

  it('niching fills empty niches first with their nearest candidate, then the least crowded, and picks exactly as many as asked', () => {
    // 6 candidates: niches 0,0,0,1,2,2; niche 1 already holds 2 members, niche 0 and 2 none, niche 3 no candidate.
    const niche = Int32Array.from([0, 0, 0, 1, 2, 2]);
    const distance = Float64Array.from([0.3, 0.1, 0.2, 0, 0.5, 0.4]);
    for (let seed = 1; seed <= 20; seed++) {
      const count = Int32Array.from([0, 2, 0, 0]);
      const chosen = new Uint8Array(6);
      nicheSelection(6, niche, distance, count, 2, new Random(seed), chosen);
      expect(Array.from(chosen)).toEqual([0, 1, 0, 0, 0, 1]);
      expect(Array.from(count)).toEqual([1, 2, 1, 0]);
      const third = new Uint8Array(6);
      const c3 = Int32Array.from([0, 2, 0, 0]);
      nicheSelection(6, niche, distance, c3, 4, new Random(seed), third);
      // After one each in niches 0 and 2 (counts 1, 2, 1), the next two go to niches 0 and 2 again (count 1 < 2).
      expect(third[1] + third[5]).toBe(2);
      expect(third[0] + third[2]).toBe(1);
      expect(third[4]).toBe(1);
      expect(third[3]).toBe(0);
    }
    expect(() => nicheSelection(2, Int32Array.of(0, 0), Float64Array.of(0, 0), new Int32Array(1), 3, new Random(1), new Uint8Array(2))).toThrow(/asked for 3 of 2/);
  });
});

describe('NSGA-III on DTLZ', () => {
  it('DTLZ2 (12 variables, 3 objectives), 100 × 250, seeds 1–3: NSGA-III beats NSGA-II; its default 100 energy directions beat the 91 Das–Dennis ones, each near the ceiling of its own reference lines; the default hypervolume output passes that ceiling', async () => {
    // The populations' own fronts ('population' output) measure the survival; the default output
    // of nsga3 (by hypervolume from the run archive) is measured beside them on the same runs.
    const runs = {
      nsga2: { algorithm: 'nsga2' },
      energy: { algorithm: 'nsga3' },
      dasDennis: { algorithm: 'nsga3', referenceDirections: 12, frontSelection: 'population' },
    } as const;
    type Label = keyof typeof runs;
    const hv: Record<Label, number[]> = { nsga2: [], energy: [], dasDennis: [] };
    const selected: number[] = [];
    const ig: Record<Label, number[]> = { nsga2: [], energy: [], dasDennis: [] };
    const truth = createBenchmarkProblem('dtlz2').paretoFront!(1000);
    for (const label of Object.keys(runs) as Label[]) {
      for (const seed of [1, 2, 3]) {
        const problem = createBenchmarkProblem('dtlz2');
        expect(problem.nVar).toBe(12);
        const r = await runNsga2(problem, { populationSize: 100, generations: 250, seed, ...runs[label] });
        expect(r.algorithm).toBe(runs[label].algorithm);
        // The final population's first front (what 'population' output returns; same search either way).
        const rows = Array.from({ length: 100 }, (_, i) => i).filter((i) => r.population.rank[i] === 0);
        const f = Float64Array.from(rows.flatMap((i) => Array.from(r.population.f.subarray(3 * i, 3 * i + 3))));
        hv[label].push(hypervolume(f, 3, [1.1, 1.1, 1.1], rows.length));
        ig[label].push(igd(f, truth, 3));
        if (label === 'energy') {
          expect(r.frontSelection).toBe('hypervolume');
          expect(r.front.size).toBe(100);
          selected.push(hypervolume(r.front.f, 3, [1.1, 1.1, 1.1], r.front.size));
        }
      }
    }
    // Where the reference lines meet the true front (the unit sphere): the set NSGA-III converges to.
    const ceiling = (dirs: Float64Array) => {
      const n = dirs.length / 3;
      const onFront = dirs.slice();
      for (let i = 0; i < n; i++) {
        const s = Math.hypot(dirs[3 * i], dirs[3 * i + 1], dirs[3 * i + 2]);
        for (let j = 0; j < 3; j++) onFront[3 * i + j] /= s;
      }
      return hypervolume(onFront, 3, [1.1, 1.1, 1.1], n);
    };
    const dasDennisCeiling = ceiling(dasDennis(3, 12));
    const energyCeiling = ceiling(rieszEnergyDirections(3, 100, 1));
    expect(dasDennisCeiling).toBeCloseTo(0.7449, 4);
    expect(energyCeiling).toBeGreaterThan(dasDennisCeiling);
    // Measured: energy 0.7456–0.7466, Das–Dennis 0.7436–0.7451 (seeds 1–5 in docs/solver.md). Neither
    // reaches 0.75: the energy lines themselves meet the front at 0.7477.
    expect(energyCeiling).toBeLessThan(0.75);
    for (const label of ['energy', 'dasDennis'] as const) {
      expect(median(hv[label])).toBeGreaterThan(median(hv.nsga2));
      expect(Math.min(...hv[label])).toBeGreaterThan(Math.max(...hv.nsga2));
      expect(Math.max(...ig[label])).toBeLessThan(Math.min(...ig.nsga2));
    }
    expect(median(hv.dasDennis)).toBeGreaterThanOrEqual(0.99 * dasDennisCeiling);
    expect(median(hv.energy)).toBeGreaterThanOrEqual(0.99 * energyCeiling);
    expect(median(hv.energy)).toBeGreaterThan(median(hv.dasDennis));
    expect(median(ig.energy)).toBeLessThan(median(ig.dasDennis));
    // Hypervolume output: above the population's front on every seed, and its median above the
    // most that 100 points on the 100 energy lines can reach.
    for (let i = 0; i < 3; i++) expect(selected[i]).toBeGreaterThan(hv.energy[i]);
    expect(median(selected)).toBeGreaterThan(energyCeiling);
  }, 300_000);

  it('DTLZ1 (7 variables), 100 × 400, seed 1: converges onto the simplex Σf = 0.5 and covers it', async () => {
    const problem = createBenchmarkProblem('dtlz1');
    const r = await runNsga2(problem, { populationSize: 100, generations: 400, seed: 1, algorithm: 'nsga3' });
    const sums = Array.from({ length: r.front.size }, (_, i) => r.front.f[3 * i] + r.front.f[3 * i + 1] + r.front.f[3 * i + 2]);
    expect(r.front.size).toBeGreaterThanOrEqual(91);
    expect(Math.min(...sums)).toBeGreaterThanOrEqual(0.5 - 1e-9); // nothing beyond the true front
    expect(median(sums)).toBeLessThan(0.51);
    // Nearly every reference line has a member: IGD to a dense sample of the front is small.
    expect(igd(r.front.f, problem.paretoFront!(1000), 3)).toBeLessThan(0.03);
  });
});

async function resumeEqualsWhole<G extends Genome>(make: () => Problem<G>, options: Nsga2Options<G>, total: number, cut: number): Promise<void> {
  const whole = await runNsga2(make(), { ...options, generations: total });
  let saved: Uint8Array | null = null;
  await runNsga2(make(), {
    ...options,
    generations: cut,
    onGeneration: (info) => {
      if (info.generation === cut) saved = encodeCheckpoint(info.snapshot() as Nsga2State);
    },
  });
  const state = decodeCheckpoint(saved!) as Nsga2State<G>;
  expect(state.algorithm).toBe('nsga3');
  expect(state.referencePointMemory).not.toBeNull();
  const resumed = await runNsga2(make(), { generations: total, resumeFrom: state, pool: options.pool });
  expect(resumed.algorithm).toBe('nsga3');
  expect(Array.from(resumed.population.x)).toEqual(Array.from(whole.population.x));
  expect(Array.from(resumed.population.f)).toEqual(Array.from(whole.population.f));
  expect(Array.from(resumed.front.f)).toEqual(Array.from(whole.front.f));
  expect(resumed.state.referencePointMemory).toEqual(whole.state.referencePointMemory);
  expect(resumed.state.hypervolumeHistory).toEqual(whole.state.hypervolumeHistory);
}

describe('NSGA-III with constraints, workers, checkpoints, termination and integer genomes', () => {
  it('SRN (constrained): the final front is feasible and non-dominated', async () => {
    const r = await runNsga2(createSrn(), { populationSize: 60, generations: 60, seed: 3, algorithm: 'nsga3' });
    expect(r.front.size).toBeGreaterThan(20);
    for (let i = 0; i < r.front.size; i++) expect(r.front.cv[i]).toBe(0);
    const rank = new Int32Array(r.front.size);
    expect(nonDominatedRanks(r.front.f, 2, null, r.front.size, rank)).toBe(1);
  });

  it('constrained integer problem with incremental evaluation: same population inline and on 2 workers, the constraint holds on the front', async () => {
    const opts = { populationSize: 30, generations: 40, seed: 4, algorithm: 'nsga3' as const };
    const a = await runNsga2(createSumProblem(sumPayload(300, 12, 5, false)), opts);
    const b = await runNsga2(createSumProblem(sumPayload(300, 12, 5, true)), { ...opts, pool });
    expect(Array.from(b.population.x)).toEqual(Array.from(a.population.x));
    expect(Array.from(b.population.f)).toEqual(Array.from(a.population.f));
    expect(a.front.size).toBeGreaterThan(0);
    for (let i = 0; i < a.front.size; i++) expect(a.front.cv[i]).toBe(0);
    expect(Math.max(...a.population.x)).toBeLessThan(12);
  });

  it('real problem: same front with 0, 1 and 2 workers', async () => {
    const run = (extra: Partial<Nsga2Options<Float64Array>>) => runNsga2(createBenchmarkProblem('dtlz2'), { populationSize: 40, generations: 30, seed: 9, algorithm: 'nsga3', ...extra });
    const [a, b, c] = [await run({}), await run({ workers: 1 }), await run({ pool })];
    expect(Array.from(b.front.f)).toEqual(Array.from(a.front.f));
    expect(Array.from(c.front.f)).toEqual(Array.from(a.front.f));
    expect(Array.from(c.population.x)).toEqual(Array.from(a.population.x));
  });

  it('a run resumed from an encoded checkpoint equals the uninterrupted run (real, on a pool; integer, inline)', async () => {
    await resumeEqualsWhole(() => createBenchmarkProblem('dtlz2'), { populationSize: 40, seed: 2, algorithm: 'nsga3', pool }, 40, 17);
    await resumeEqualsWhole(() => createSumProblem(sumPayload(60, 6, 3, true)), { populationSize: 24, seed: 5, algorithm: 'nsga3' }, 30, 11);
  });

  it('five objectives (default: 60 energy directions; two layers H₁ = 3, H₂ = 2 on request): resumes bit for bit through an encoded checkpoint', async () => {
    const make = () => createBenchmarkProblem('dtlz2', { nObj: 5 });
    const r = await runNsga2(make(), { populationSize: 60, generations: 2, seed: 8, algorithm: 'nsga3' });
    expect(r.referenceDirections!.length / 5).toBe(60);
    expect(Number.isNaN(r.state.hypervolumeHistory[0])).toBe(true);
    await resumeEqualsWhole(make, { populationSize: 60, seed: 8, algorithm: 'nsga3' }, 25, 9);
    const twoLayers = twoLayerReferenceDirections(5, 3, 2);
    expect(twoLayers.length / 5).toBe(35 + 15);
    await resumeEqualsWhole(make, { populationSize: 60, seed: 8, algorithm: 'nsga3', referenceDirections: twoLayers }, 25, 9);
  });

  it('stops on an evaluation budget and on hypervolume stagnation; explicit directions are used', async () => {
    const byEvals = await runNsga2(createBenchmarkProblem('dtlz2'), { populationSize: 20, maxEvaluations: 205, seed: 1, algorithm: 'nsga3', referenceDirections: 4 });
    expect(byEvals.terminationReason).toBe('evaluations');
    expect(byEvals.evaluations).toBe(220);
    expect(byEvals.referenceDirections!.length / 3).toBe(15);
    const stalled = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 20, generations: 5000, stagnation: { generations: 20, tolerance: 1e-3 }, seed: 1, algorithm: 'nsga3' });
    expect(stalled.terminationReason).toBe('stagnation');
    const dirs = Float64Array.of(1, 0, 0.5, 0.5, 0, 1);
    const given = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 6, generations: 3, seed: 1, algorithm: 'nsga3', referenceDirections: dirs });
    expect(Array.from(given.referenceDirections!)).toEqual(Array.from(dirs));
  });

  it('rejects an unknown algorithm, directions for nsga2, and a checkpoint of another algorithm or other directions', async () => {
    const problem = createBenchmarkProblem('dtlz2');
    await expect(runNsga2(problem, { generations: 2, algorithm: 'moead' as never })).rejects.toThrow(/algorithm must be one of nsga2, nsga3, got "moead"/);
    await expect(runNsga2(problem, { generations: 2, referenceDirections: 5 })).rejects.toThrow(/only algorithm 'nsga3' uses reference directions/);
    await expect(runNsga2(problem, { generations: 2, algorithm: 'nsga3', referenceDirections: Float64Array.of(1, 1) })).rejects.toThrow(/not a whole number of 3-objective/);
    const r = await runNsga2(problem, { populationSize: 10, generations: 2, seed: 1, algorithm: 'nsga3', referenceDirections: 3 });
    await expect(runNsga2(problem, { generations: 3, resumeFrom: r.state, algorithm: 'nsga2' })).rejects.toThrow(/written by nsga3, the run asks for nsga2/);
    await expect(runNsga2(problem, { generations: 3, resumeFrom: r.state, referenceDirections: 4 })).rejects.toThrow(/checkpoint's 10 reference directions differ from the 15/);
    const broken = { ...r.state, referencePointMemory: { ideal: [0, 0], worst: [1, 1, 1], extremePoints: [] } };
    await expect(runNsga2(problem, { generations: 3, resumeFrom: broken })).rejects.toThrow(/reference-point memory must hold 3 finite ideal/);
  });
});
