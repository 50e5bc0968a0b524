/**
 * Crowding survival pinned bit for bit: SHA-256 of each final population (genomes and
 * objectives, as stored bytes) for the benchmark suite, a constrained and an integer problem.
 * Any change to NSGA-II's sampling, operators, sorting, crowding, selection or survival (or to
 * the order in which they draw from the PRNG) changes these digests.
 */
import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { runNsga2 } from '../../src/solver/nsga2.js';
import { createBenchmarkProblem, type BenchmarkName } from '../../src/solver/problems/index.js';
import { createSrn, createSumProblem, sumPayload } from './fixtures/problems.js';
import type { Genome, Problem } from '../../src/solver/problem.js';

const digest = (...arrays: ArrayBufferView[]): string => {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 24);
};

async function pin<G extends Genome>(problem: Problem<G>, populationSize: number, generations: number, seed: number, algorithm?: 'nsga2'): Promise<string> {
  const r = await runNsga2(problem, { populationSize, generations, seed, ...(algorithm ? { algorithm } : {}) });
  return digest(r.population.x, r.population.f, r.front.x, r.front.f);
}

const PINNED: Record<string, string> = {
  zdt1: '3cebc384d746468af89cbe7c',
  zdt2: '11006eb9576aa59c6a16b6f0',
  zdt3: '53f424ef209ff0e76c5c1e19',
  zdt4: 'bdd122e760c9497b0bd9d75f',
  zdt6: '33074d52a1c5a15821bbf719',
  dtlz1: '5beb3c8d612a2c0c7cdadd3f',
  dtlz2: '46f0ac0bf6d61e78b057280c',
  srn: '500075c884d345833a0756d1',
  sum: 'e3e92e4cf1362a8286df0aad',
};

describe('NSGA-II (crowding) is unchanged', () => {
  for (const name of ['zdt1', 'zdt2', 'zdt3', 'zdt4', 'zdt6', 'dtlz1', 'dtlz2'] as BenchmarkName[]) {
    it(`${name}, 100 × 250, seed 1: same final population bit for bit, by default and with algorithm 'nsga2'`, async () => {
      expect(await pin(createBenchmarkProblem(name), 100, 250, 1)).toBe(PINNED[name]);
      expect(await pin(createBenchmarkProblem(name), 100, 250, 1, 'nsga2')).toBe(PINNED[name]);
    });
  }
  it('SRN (constrained), 60 × 60, seed 3', async () => {
    expect(await pin(createSrn(), 60, 60, 3)).toBe(PINNED.srn);
  });
  it('integer sum problem with a constraint and incremental evaluation, 40 × 50, seed 4', async () => {
    expect(await pin(createSumProblem(sumPayload(200, 6, 11, true)), 40, 50, 4)).toBe(PINNED.sum);
  });
});
