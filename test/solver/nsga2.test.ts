import { describe, it, expect, afterAll } from 'vitest';
import { runNsga2 } from '../../src/solver/nsga2.js';
import { createWorkerPool } from '../../src/solver/pool.js';
import { encodeCheckpoint, decodeCheckpoint, type Nsga2State } from '../../src/solver/checkpoint.js';
import { createBenchmarkProblem } from '../../src/solver/problems/index.js';
import { hypervolume, igd } from '../../src/solver/indicators/index.js';
import { nonDominatedRanks } from '../../src/solver/sorting/index.js';
import { createSrn, createSumProblem, sumPayload } from './fixtures/problems.js';
import { createExpensive } from '../../src/solver/problems/expensive.js';

const pool = createWorkerPool({ threads: 2 });
afterAll(() => pool.destroy());

describe('NSGA-II quality (deterministic seeds)', () => {
  it('ZDT1, n=30, 100 × 250, SBX η=15 p=0.9, PM η=20 p=1/n: median HV over 5 seeds ≥ 0.869 (true front 0.8767)', async () => {
    const hvs: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 100, generations: 250, seed, crossoverEta: 15, crossoverProbability: 0.9, mutationEta: 20 });
      expect(r.evaluations).toBe(25000);
      hvs.push(hypervolume(r.front.f, 2, [1.1, 1.1], r.front.size));
    }
    hvs.sort((a, b) => a - b);
    expect(hvs[2]).toBeGreaterThanOrEqual(0.869);
    expect(hvs[4]).toBeLessThanOrEqual(0.8767);
  });

  it('DTLZ2 (3 objectives, ENS-BS sorting): converges onto the unit sphere', async () => {
    const problem = createBenchmarkProblem('dtlz2');
    const r = await runNsga2(problem, { populationSize: 100, generations: 200, seed: 1 });
    const norms: number[] = [];
    for (let i = 0; i < r.front.size; i++) norms.push(Math.hypot(r.front.f[3 * i], r.front.f[3 * i + 1], r.front.f[3 * i + 2]));
    norms.sort((a, b) => a - b);
    // The random start has norms up to ≈ 2.2; NSGA-II keeps a few boundary points slightly off the sphere.
    expect(norms[0]).toBeGreaterThan(0.999);
    expect(norms[Math.floor(norms.length / 2)]).toBeLessThan(1.02);
    expect(igd(r.front.f, problem.paretoFront!(300), 3)).toBeLessThan(0.1);
  });

  it('SRN (constrained): the final front is feasible and non-dominated', async () => {
    const r = await runNsga2(createSrn(), { populationSize: 60, generations: 60, seed: 3 });
    expect(r.front.size).toBeGreaterThan(20);
    for (let i = 0; i < r.front.size; i++) {
      expect(r.front.cv[i]).toBe(0);
      expect(r.front.g[2 * i]).toBeLessThanOrEqual(0);
      expect(r.front.g[2 * i + 1]).toBeLessThanOrEqual(0);
    }
    const rank = new Int32Array(r.front.size);
    expect(nonDominatedRanks(r.front.f, 2, null, r.front.size, rank)).toBe(1);
  });
});

describe('reproducibility', () => {
  it('same seed → same front bit for bit with 0, 1 and 2 workers (real problem)', async () => {
    const run = (workers: number) => runNsga2(createBenchmarkProblem('zdt2'), { populationSize: 40, generations: 30, seed: 9, ...(workers ? { pool: workers === 2 ? pool : undefined, workers: workers === 1 ? 1 : undefined } : {}) });
    const [a, b, c] = [await run(0), await run(1), await run(2)];
    expect(Array.from(b.front.f)).toEqual(Array.from(a.front.f));
    expect(Array.from(c.front.f)).toEqual(Array.from(a.front.f));
    expect(Array.from(c.population.x)).toEqual(Array.from(a.population.x));
    const d = await runNsga2(createBenchmarkProblem('zdt2'), { populationSize: 40, generations: 30, seed: 10 });
    expect(Array.from(d.front.f)).not.toEqual(Array.from(a.front.f));
  });

  it('integer problem: incremental evaluation equals full evaluation, inline and on 2 workers', async () => {
    const full = createSumProblem(sumPayload(300, 12, 5, false));
    const inc = createSumProblem(sumPayload(300, 12, 5, true));
    const opts = { populationSize: 30, generations: 40, seed: 4 };
    const a = await runNsga2(full, opts);
    const b = await runNsga2(inc, opts);
    const c = await runNsga2(createSumProblem(sumPayload(300, 12, 5, true)), { ...opts, pool });
    expect(full.stats.incremental).toBe(0);
    expect(inc.stats.full).toBe(30); // the initial population only
    expect(inc.stats.incremental).toBe(30 * 39);
    expect(Array.from(b.population.f)).toEqual(Array.from(a.population.f));
    expect(Array.from(c.population.f)).toEqual(Array.from(a.population.f));
    expect(Array.from(c.population.x)).toEqual(Array.from(a.population.x));
    // Everything stays in the domain and the front respects the constraint.
    expect(Math.max(...a.population.x)).toBeLessThan(12);
    for (let i = 0; i < a.front.size; i++) expect(a.front.cv[i]).toBe(0);
  });

  it('resuming from an encoded checkpoint continues bit for bit', async () => {
    const problem = createBenchmarkProblem('zdt3');
    const whole = await runNsga2(problem, { populationSize: 50, generations: 40, seed: 2 });
    let saved: Uint8Array | null = null;
    await runNsga2(problem, {
      populationSize: 50,
      generations: 17,
      seed: 2,
      onGeneration: (info) => {
        if (info.generation === 17) saved = encodeCheckpoint(info.snapshot() as Nsga2State);
      },
    });
    expect(saved).not.toBeNull();
    const state = decodeCheckpoint(saved!) as Nsga2State<Float64Array>;
    expect(state.generation).toBe(17);
    const resumed = await runNsga2(problem, { generations: 40, resumeFrom: state });
    expect(resumed.generations).toBe(40);
    expect(resumed.evaluations).toBe(whole.evaluations);
    expect(Array.from(resumed.population.x)).toEqual(Array.from(whole.population.x));
    expect(Array.from(resumed.front.f)).toEqual(Array.from(whole.front.f));
    expect(resumed.state.hypervolumeHistory).toEqual(whole.state.hypervolumeHistory);
  });

  it('checkpoints of integer genomes round-trip', () => {
    const x = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const state: Nsga2State<Uint8Array> = {
      version: 1, problem: 'p', nVar: 3, nObj: 1, nCon: 1, populationSize: 2, generation: 7, evaluations: 14, x,
      f: Float64Array.from([0.5, -1]), g: Float64Array.from([0, 2]), rank: Int32Array.from([0, 1]), crowding: Float64Array.from([Infinity, 3]),
      rng: [1, 2, 3, 4], referencePoint: [1], hypervolumeHistory: [0.1, 0.2],
    };
    const back = decodeCheckpoint(encodeCheckpoint(state));
    expect(back.x).toBeInstanceOf(Uint8Array);
    expect(back).toEqual(state);
    expect(() => decodeCheckpoint(new Uint8Array(16))).toThrow(/bad magic/);
  });
});

describe('control', () => {
  it('reports every generation (async callback awaited) and stops on an abort signal with the current front', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const r = await runNsga2(createBenchmarkProblem('zdt1'), {
      populationSize: 20,
      generations: 1000,
      seed: 1,
      signal: controller.signal,
      onGeneration: async (info) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(info.generation);
        expect(info.evaluations).toBe(20 * info.generation);
        expect(info.frontSize).toBeGreaterThan(0);
        expect(info.hypervolume).toBeGreaterThanOrEqual(0);
        expect(info.population.size).toBe(20);
        expect(info.population.x.length).toBe(20 * 30);
        let firstFront = 0;
        for (const r of info.population.rank) if (r === 0) firstFront++;
        expect(firstFront).toBe(info.frontSize);
        expect(Array.from(info.population.f)).toEqual(Array.from(info.snapshot().f));
        if (info.generation === 5) controller.abort();
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(r.cancelled).toBe(true);
    expect(r.terminationReason).toBe('cancelled');
    expect(r.generations).toBe(5);
    expect(r.front.size).toBeGreaterThan(0);
  });

  it('an abort during a pooled evaluation returns the last completed generation, and its state resumes exactly', async () => {
    const payload = { name: 'zdt1' as const, workPerRow: 30000 };
    const opts = { populationSize: 40, seed: 6, pool };
    const whole = await runNsga2(createExpensive(payload), { ...opts, generations: 8 });
    const controller = new AbortController();
    const cut = await runNsga2(createExpensive(payload), {
      ...opts,
      generations: 8,
      signal: controller.signal,
      onGeneration: (info) => {
        if (info.generation === 3) setTimeout(() => controller.abort(), 5);
      },
    });
    expect(cut.cancelled).toBe(true);
    expect(cut.generations).toBeGreaterThanOrEqual(3);
    expect(cut.generations).toBeLessThan(8);
    expect(cut.evaluations).toBe(40 * cut.generations);
    expect(cut.front.size).toBeGreaterThan(0);
    const resumed = await runNsga2(createExpensive(payload), { pool, generations: 8, resumeFrom: cut.state });
    expect(Array.from(resumed.population.x)).toEqual(Array.from(whole.population.x));
  });

  it('stops on an evaluation budget and on hypervolume stagnation', async () => {
    const byEvals = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 20, maxEvaluations: 205, seed: 1 });
    expect(byEvals.terminationReason).toBe('evaluations');
    expect(byEvals.evaluations).toBe(220);
    const stalled = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 20, generations: 5000, stagnation: { generations: 20, tolerance: 1e-3 }, seed: 1 });
    expect(stalled.terminationReason).toBe('stagnation');
    const h = stalled.state.hypervolumeHistory;
    expect(h[h.length - 1] - h[h.length - 21]).toBeLessThanOrEqual(1e-3 * h[h.length - 21]);
  });

  it('seeds the initial population and rejects bad input with clear errors', async () => {
    const problem = createBenchmarkProblem('zdt1', { nVar: 3 });
    const seeded = await runNsga2(problem, { populationSize: 4, generations: 1, initialPopulation: [[0, 0, 0], [1, 0, 0]] });
    const rows = Array.from({ length: 4 }, (_, i) => Array.from(seeded.population.x.subarray(3 * i, 3 * i + 3)));
    expect(rows).toContainEqual([0, 0, 0]);
    expect(rows).toContainEqual([1, 0, 0]);
    await expect(runNsga2(problem, { populationSize: 4, generations: 1, initialPopulation: [[0, 2, 0]] })).rejects.toThrow(/solution 0 variable 1 = 2 is outside \[0, 1\]/);
    await expect(runNsga2(problem, { populationSize: 1, generations: 1 })).rejects.toThrow(/populationSize must be an integer ≥ 2/);
    await expect(runNsga2(problem, { populationSize: 4 })).rejects.toThrow(/at least one of generations/);
    const nan = { ...problem, evaluate: () => undefined, name: 'nan' };
    await expect(runNsga2({ ...nan, evaluate: ({ f }: { f: Float64Array }) => void f.fill(Number.NaN) }, { populationSize: 4, generations: 2 })).rejects.toThrow(/objective 0 of row 0 evaluated to NaN/);
  });

  it('odd population sizes work', async () => {
    const r = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 7, generations: 10, seed: 1 });
    expect(r.population.size).toBe(7);
    expect(r.evaluations).toBe(70);
  });
});
