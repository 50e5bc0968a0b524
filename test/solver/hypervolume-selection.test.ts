import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { hypervolumeGain, hypervolumeContributions, greedyHypervolumeSubset } from '../../src/solver/indicators/hypervolume-selection.js';
import { hypervolume } from '../../src/solver/indicators/hypervolume.js';
import { archiveReferencePoint, defaultFrontSelection, resolveFrontSelection, ARCHIVE_BUDGET_BYTES } from '../../src/solver/front-selection.js';
import { runNsga2 } from '../../src/solver/nsga2.js';
import { createWorkerPool } from '../../src/solver/pool.js';
import { encodeCheckpoint, decodeCheckpoint, type Nsga2State } from '../../src/solver/checkpoint.js';
import { createBenchmarkProblem } from '../../src/solver/problems/index.js';
import { nonDominatedRanks } from '../../src/solver/sorting/index.js';
import { rieszEnergyDirections } from '../../src/solver/riesz-energy-directions.js';
import { Random } from '../../src/solver/random.js';
import { createSrn, createSumProblem, sumPayload } from './fixtures/problems.js';

const pool = createWorkerPool({ threads: 2 });
afterAll(() => pool.destroy());

/** Hypervolume by inclusion–exclusion over every non-empty subset: Σ (−1)^{|T|+1} vol([max T, r]). Independent of hypervolume.ts. */
function bruteHv(points: number[][], ref: number[]): number {
  const n = points.length;
  let total = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    const corner = ref.map(() => Number.NEGATIVE_INFINITY);
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if (!(mask & (1 << i))) continue;
      bits++;
      points[i].forEach((v, j) => (corner[j] = Math.max(corner[j], v)));
    }
    let vol = 1;
    for (let j = 0; j < ref.length; j++) vol *= Math.max(0, ref[j] - corner[j]);
    total += bits % 2 ? vol : -vol;
  }
  return total;
}

const pointSet = (nObj: number, max: number) =>
  fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 6, noNaN: true })), { minLength: nObj, maxLength: nObj }), { minLength: 1, maxLength: max });

/** The plain greedy, by whole hypervolumes: the lazy version must pick the same points. */
function plainGreedy(points: number[][], ref: number[], k: number): number[] {
  const nObj = ref.length;
  const chosen: number[] = [];
  const hvOf = (rows: number[]) => hypervolume(Float64Array.from(rows.flatMap((r) => points[r])), nObj, ref, rows.length);
  while (chosen.length < Math.min(k, points.length)) {
    const base = hvOf(chosen);
    let best = -1;
    let bestGain = 0;
    for (let i = 0; i < points.length; i++) {
      if (chosen.includes(i)) continue;
      const gain = hvOf([...chosen, i]) - base;
      if (gain > bestGain * (1 + 1e-9) + 1e-12) {
        best = i;
        bestGain = gain;
      }
    }
    if (best < 0) break;
    chosen.push(best);
  }
  return chosen;
}

describe('exact hypervolume contributions (2 and 3 objectives)', () => {
  it('each contribution equals HV(P) − HV(P \\ {p}) by inclusion–exclusion, and each gain HV(S ∪ {x}) − HV(S)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }).chain((m) => fc.tuple(fc.constant(m), pointSet(m, 9))), ([nObj, pts]) => {
        const ref = Array.from({ length: nObj }, (_, j) => 5.5 + j * 0.25); // some points lie outside the box
        const c = hypervolumeContributions(Float64Array.from(pts.flat()), nObj, ref, pts.length);
        const all = bruteHv(pts, ref);
        for (let i = 0; i < pts.length; i++) {
          const expected = all - bruteHv(pts.filter((_, t) => t !== i), ref);
          expect(Math.abs(c[i] - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, all));
        }
        // Gain of the last point given a prefix of the others.
        const x = pts.length - 1;
        const s = Array.from({ length: Math.floor(x / 2) }, (_, t) => t);
        const gain = hypervolumeGain(Float64Array.from(pts.flat()), nObj, ref, x, Int32Array.from(s));
        const expected = bruteHv([...s.map((t) => pts[t]), pts[x]], ref) - bruteHv(s.map((t) => pts[t]), ref);
        expect(Math.abs(gain - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, all));
      }),
      { seed: 17, numRuns: 400 },
    );
  });

  it('a known 3-D case: three unit-spaced points, each contributes its own corner box', () => {
    const f = Float64Array.of(0, 1, 1, 1, 0, 1, 1, 1, 0);
    // Each box [p, 2]³ has volume 2; the part no other point covers is the unit cube where p's zero coordinate is below 1.
    const pts = [[0, 1, 1], [1, 0, 1], [1, 1, 0]];
    expect(hypervolume(f, 3, [2, 2, 2])).toBeCloseTo(bruteHv(pts, [2, 2, 2]), 12);
    expect(Array.from(hypervolumeContributions(f, 3, [2, 2, 2]))).toEqual([1, 1, 1]);
  });

  it('rejects more than 3 objectives, a wrong reference point and NaN', () => {
    expect(() => hypervolumeContributions(new Float64Array(8), 4, [1, 1, 1, 1])).toThrow(/takes 2 or 3 objectives, got 4/);
    expect(() => greedyHypervolumeSubset(new Float64Array(6), 3, [1, 1], 1)).toThrow(/reference point has 2 coordinates, expected 3/);
    expect(() => greedyHypervolumeSubset(Float64Array.of(0, Number.NaN), 2, [1, 1], 1)).toThrow(/point 0 objective 1 is NaN/);
  });
});

describe('greedy hypervolume subset selection', () => {
  it('the lazy greedy picks the same points, in the same order, as the plain greedy; its hypervolume is the sum of its gains', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }).chain((m) => fc.tuple(fc.constant(m), pointSet(m, 25), fc.integer({ min: 1, max: 12 }))), ([nObj, pts, k]) => {
        // Distinct values (a tiny index-dependent shift) so that the greedy has no exact ties to break.
        const p = pts.map((v, i) => v.map((y, j) => y + (i * 7 + j * 3) * 1e-7));
        const ref = Array.from({ length: nObj }, () => 6.5);
        const r = greedyHypervolumeSubset(Float64Array.from(p.flat()), nObj, ref, k, p.length);
        const plain = plainGreedy(p, ref, k);
        expect(Array.from(r.indices).slice(0, plain.length)).toEqual(plain);
        expect(r.indices.length).toBe(Math.min(k, p.length));
        expect(new Set(r.indices).size).toBe(r.indices.length);
        const chosen = Array.from(r.indices).slice(0, plain.length);
        expect(r.hypervolume).toBeCloseTo(hypervolume(Float64Array.from(chosen.flatMap((i) => p[i])), nObj, ref, chosen.length), 9);
      }),
      { seed: 29, numRuns: 200 },
    );
  });

  it('on a fixed DTLZ2 front sample, 100 points by greedy hypervolume beat the 100 points on the energy reference lines, which are among the candidates', () => {
    const dirs = rieszEnergyDirections(3, 100, 1);
    const rng = new Random(3);
    const pts: number[] = [];
    for (let i = 0; i < 100; i++) {
      const d = [dirs[3 * i], dirs[3 * i + 1], dirs[3 * i + 2]];
      const norm = Math.hypot(...d);
      pts.push(...d.map((v) => v / norm));
    }
    for (let i = 0; i < 900; i++) {
      const v = [rng.next(), rng.next(), rng.next()];
      const norm = Math.hypot(...v);
      pts.push(...v.map((y) => y / norm));
    }
    const f = Float64Array.from(pts);
    const ref = [1.1, 1.1, 1.1];
    const onLines = hypervolume(f, 3, ref, 100);
    const r = greedyHypervolumeSubset(f, 3, ref, 100, 1000);
    const chosen = Float64Array.from(Array.from(r.indices).flatMap((i) => Array.from(f.subarray(3 * i, 3 * i + 3))));
    const hv = hypervolume(chosen, 3, ref, 100);
    expect(onLines).toBeCloseTo(0.74772, 4);
    expect(hv).toBeGreaterThan(onLines + 0.003);
    // The lazy greedy evaluates far fewer gains than the plain greedy's ~k·n.
    expect(r.evaluations).toBeLessThan(100 * 1000 / 4);
  });
});

describe("runs with frontSelection 'hypervolume'", () => {
  const isNonDominated = (f: Float64Array, nObj: number, size: number) => nonDominatedRanks(f, nObj, null, size, new Int32Array(size)) === 1;

  it('DTLZ2 (NSGA-III, the default for 3 objectives): the same search, a front of ≤ N feasible non-dominated archive members with a larger hypervolume than the population’s', async () => {
    const opts = { populationSize: 40, generations: 60, seed: 12, algorithm: 'nsga3' as const };
    const byHv = await runNsga2(createBenchmarkProblem('dtlz2'), opts);
    const byPop = await runNsga2(createBenchmarkProblem('dtlz2'), { ...opts, frontSelection: 'population' });
    expect(byHv.frontSelection).toBe('hypervolume');
    expect(byPop.frontSelection).toBe('population');
    expect(Array.from(byHv.population.x)).toEqual(Array.from(byPop.population.x));
    expect(byHv.archiveSize).toBeGreaterThan(40);
    expect(byHv.front.size).toBeLessThanOrEqual(40);
    expect(byHv.front.size).toBe(40);
    expect(isNonDominated(byHv.front.f, 3, byHv.front.size)).toBe(true);
    const ref = [1.1, 1.1, 1.1];
    expect(hypervolume(byHv.front.f, 3, ref, byHv.front.size)).toBeGreaterThan(hypervolume(byPop.front.f, 3, ref, byPop.front.size));
    // At the archive's own reference point too (what the choice maximises).
    const a = byHv.state.archive!;
    const own = archiveReferencePoint(a.f, 3, a.size);
    expect(hypervolume(byHv.front.f, 3, own, byHv.front.size)).toBeGreaterThanOrEqual(hypervolume(byPop.front.f, 3, own, byPop.front.size));
    // Sorted lexicographically; result.hypervolume is the returned front's at the run's reference point.
    for (let i = 1; i < byHv.front.size; i++) expect(byHv.front.f[3 * i] >= byHv.front.f[3 * (i - 1)]).toBe(true);
    expect(byHv.hypervolume).toBeCloseTo(hypervolume(byHv.front.f, 3, byHv.referencePoint, byHv.front.size), 12);
  });

  it('constrained problems: only feasible solutions are returned, with their constraint values; integer genomes keep their type', async () => {
    const srn = await runNsga2(createSrn(), { populationSize: 40, generations: 40, seed: 3, algorithm: 'nsga3' });
    expect(srn.frontSelection).toBe('hypervolume');
    expect(srn.front.size).toBe(40);
    for (let i = 0; i < srn.front.size; i++) {
      expect(srn.front.cv[i]).toBe(0);
      const x1 = srn.front.x[2 * i];
      const x2 = srn.front.x[2 * i + 1];
      expect(srn.front.g[2 * i]).toBe(x1 * x1 + x2 * x2 - 225);
      expect(srn.front.g[2 * i + 1]).toBe(x1 - 3 * x2 + 10);
      expect(srn.front.g[2 * i]).toBeLessThanOrEqual(0);
    }
    expect(isNonDominated(srn.front.f, 2, srn.front.size)).toBe(true);
    const sum = await runNsga2(createSumProblem(sumPayload(300, 12, 5, false)), { populationSize: 30, generations: 40, seed: 4, algorithm: 'nsga3' });
    expect(sum.front.x).toBeInstanceOf(Uint8Array);
    expect(sum.front.size).toBeGreaterThan(0);
    for (let i = 0; i < sum.front.size; i++) expect(sum.front.cv[i]).toBe(0);
  });

  it('nsga2 on request; the same front inline and on a pool; resumed from an encoded checkpoint it equals the uninterrupted run', async () => {
    const zdt = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 30, generations: 30, seed: 2, frontSelection: 'hypervolume', archiveCapacity: 90 });
    expect(zdt.algorithm).toBe('nsga2');
    expect(zdt.archiveSize).toBeLessThanOrEqual(90);
    expect(zdt.front.size).toBeLessThanOrEqual(30);
    const opts = { populationSize: 24, seed: 6, algorithm: 'nsga3' as const, archiveCapacity: 60 };
    const whole = await runNsga2(createBenchmarkProblem('dtlz2'), { ...opts, generations: 30 });
    const pooled = await runNsga2(createBenchmarkProblem('dtlz2'), { ...opts, generations: 30, pool });
    expect(Array.from(pooled.front.f)).toEqual(Array.from(whole.front.f));
    let saved: Uint8Array | null = null;
    await runNsga2(createBenchmarkProblem('dtlz2'), {
      ...opts,
      generations: 13,
      onGeneration: (info) => {
        if (info.generation === 13) saved = encodeCheckpoint(info.snapshot() as Nsga2State);
      },
    });
    const state = decodeCheckpoint(saved!) as Nsga2State<Float64Array>;
    expect(state.frontSelection).toBe('hypervolume');
    expect(state.archive!.size).toBeGreaterThan(24);
    const resumed = await runNsga2(createBenchmarkProblem('dtlz2'), { generations: 30, resumeFrom: state });
    expect(resumed.archiveSize).toBe(whole.archiveSize);
    expect(Array.from(resumed.state.archive!.f)).toEqual(Array.from(whole.state.archive!.f));
    expect(Array.from(resumed.front.f)).toEqual(Array.from(whole.front.f));
    expect(Array.from(resumed.front.x)).toEqual(Array.from(whole.front.x));
  });

  it('defaults and refusals', async () => {
    expect(defaultFrontSelection('nsga3', 3)).toBe('hypervolume');
    expect(defaultFrontSelection('nsga3', 2)).toBe('hypervolume');
    expect(defaultFrontSelection('nsga3', 5)).toBe('population');
    expect(defaultFrontSelection('nsga2', 3)).toBe('population');
    // Default capacity 10 × N, cut to the memory budget for large members, never below N.
    expect(resolveFrontSelection({}, 'nsga3', 3, 100, undefined, 120).archiveCapacity).toBe(1000);
    expect(resolveFrontSelection({}, 'nsga3', 3, 100, undefined, 100_024).archiveCapacity).toBe(Math.floor(ARCHIVE_BUDGET_BYTES / 100_024));
    expect(resolveFrontSelection({}, 'nsga3', 3, 100, undefined, 10_000_000).archiveCapacity).toBe(100);
    expect(resolveFrontSelection({ archiveCapacity: 250 }, 'nsga3', 3, 100, undefined, 10_000_000).archiveCapacity).toBe(250);
    const five = createBenchmarkProblem('dtlz2', { nObj: 5 });
    expect((await runNsga2(five, { populationSize: 20, generations: 2, algorithm: 'nsga3' })).frontSelection).toBe('population');
    await expect(runNsga2(five, { generations: 2, algorithm: 'nsga3', frontSelection: 'hypervolume' })).rejects.toThrow(/needs 2 or 3 objectives .* has 5; use 'population'/);
    const dtlz2 = createBenchmarkProblem('dtlz2');
    await expect(runNsga2(dtlz2, { generations: 2, frontSelection: 'best' as never })).rejects.toThrow(/frontSelection must be one of population, hypervolume, got "best"/);
    await expect(runNsga2(dtlz2, { populationSize: 20, generations: 2, algorithm: 'nsga3', archiveCapacity: 10 })).rejects.toThrow(/archiveCapacity must be an integer ≥ the population size 20, got 10/);
    await expect(runNsga2(dtlz2, { generations: 2, archiveCapacity: 500 })).rejects.toThrow(/only frontSelection 'hypervolume' keeps a run archive/);
    const r = await runNsga2(dtlz2, { populationSize: 10, generations: 2, seed: 1, algorithm: 'nsga3' });
    await expect(runNsga2(dtlz2, { generations: 3, resumeFrom: r.state, frontSelection: 'population' })).rejects.toThrow(/chose its front by hypervolume, the run asks for population/);
  });
});
