import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { runNsga2 } from '../../src/solver/nsga2.js';
import { createBenchmarkProblem, BENCHMARK_NAMES } from '../../src/solver/problems/index.js';
import { nonDominatedRanks } from '../../src/solver/sorting/index.js';
import { createSrn, createSumProblem, sumPayload } from './fixtures/problems.js';

describe('NSGA-II and NSGA-III invariants on random settings', () => {
  it('stored ranks equal a fresh constrained sort of the survivors, variables stay in bounds, the front is its first rank (population output) or at most N non-dominated archive members (hypervolume output)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BENCHMARK_NAMES, 'srn', 'sum'),
        fc.integer({ min: 2, max: 31 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom('nsga2' as const, 'nsga3' as const),
        async (name, pop, gens, seed, algorithm) => {
          const problem =
            name === 'srn' ? createSrn() : name === 'sum' ? createSumProblem(sumPayload(40, 6, seed, seed % 2 === 0)) : createBenchmarkProblem(name as (typeof BENCHMARK_NAMES)[number]);
          const r = await runNsga2(problem as never, { populationSize: pop, generations: gens, seed, algorithm });
          const p = r.population;
          const { nVar, nObj } = problem;
          expect(r.evaluations).toBe(pop * gens);
          const fresh = new Int32Array(pop);
          nonDominatedRanks(p.f, nObj, problem.nCon > 0 ? p.cv : null, pop, fresh);
          expect(Array.from(p.rank)).toEqual(Array.from(fresh));
          const v = problem.variables;
          for (let i = 0; i < pop * nVar; i++) {
            const j = i % nVar;
            if (v.kind === 'real') {
              expect(p.x[i]).toBeGreaterThanOrEqual(v.lower[j]);
              expect(p.x[i]).toBeLessThanOrEqual(v.upper[j]);
            } else {
              expect(p.x[i]).toBeLessThan(typeof v.domainSize === 'number' ? v.domainSize : v.domainSize[j]);
            }
          }
          const firstRank = Array.from(p.rank).filter((k) => k === 0).length;
          if (r.frontSelection === 'population') expect(r.front.size).toBe(firstRank);
          else {
            // Chosen from the run archive: at most N feasible, mutually non-dominated solutions.
            expect(r.front.size).toBeGreaterThan(0);
            expect(r.front.size).toBeLessThanOrEqual(pop);
            if (r.front.cv.every((c) => c === 0)) {
              expect(nonDominatedRanks(r.front.f, nObj, null, r.front.size, new Int32Array(r.front.size))).toBe(1);
            } else expect(r.front.size).toBe(firstRank); // nothing feasible yet: the population's front
          }
          for (let i = 0; i < pop; i++) expect(p.crowding[i]).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 2024, numRuns: 80 },
    );
  });
});
