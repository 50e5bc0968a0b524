import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/solve.js';
import { hypervolume } from '../../src/solver/indicators/index.js';

describe('relife solve', () => {
  it('writes the front as { problem, algorithm, objectives, variables, evaluations, seconds, hypervolume }, identical with 2 workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relife-solve-'));
    try {
      const a = join(dir, 'a.json');
      const b = join(dir, 'b.json');
      expect(await run(['--problem', 'zdt1', '--population', '40', '--generations', '30', '--seed', '1', '--quiet', '--out', a])).toBe(0);
      expect(await run(['--problem', 'zdt1', '--population', '40', '--generations', '30', '--seed', '1', '--workers', '2', '--quiet', '--out', b])).toBe(0);
      const ja = JSON.parse(readFileSync(a, 'utf8'));
      const jb = JSON.parse(readFileSync(b, 'utf8'));
      expect(Object.keys(ja).sort()).toEqual(['algorithm', 'evaluations', 'frontSelection', 'hypervolume', 'objectives', 'problem', 'seconds', 'variables']);
      expect(ja.frontSelection).toBe('population');
      expect(ja.problem).toBe('zdt1');
      expect(ja.algorithm).toBe('nsga2');
      expect(ja.evaluations).toBe(1200);
      expect(ja.objectives.length).toBe(ja.variables.length);
      expect(ja.variables[0].length).toBe(30);
      expect(ja.hypervolume).toBeCloseTo(hypervolume(Float64Array.from(ja.objectives.flat()), 2, [1.1, 1.1]), 12);
      expect(jb.objectives).toEqual(ja.objectives);
      expect(jb.variables).toEqual(ja.variables);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--algorithm nsga3 runs reference-point survival: the front equals the library call, --partitions sets the directions', async () => {
    const { runNsga2 } = await import('../../src/solver/nsga2.js');
    const { createBenchmarkProblem } = await import('../../src/solver/problems/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'relife-solve-'));
    try {
      const out = join(dir, 'front.json');
      expect(await run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--partitions', '6', '--population', '28', '--generations', '20', '--seed', '3', '--quiet', '--out', out])).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8'));
      expect(json.algorithm).toBe('nsga3');
      expect(json.frontSelection).toBe('hypervolume');
      const lib = await runNsga2(createBenchmarkProblem('dtlz2'), { algorithm: 'nsga3', referenceDirections: 6, populationSize: 28, generations: 20, seed: 3 });
      expect(lib.referenceDirections!.length / 3).toBe(28);
      expect(json.objectives).toEqual(Array.from({ length: lib.front.size }, (_, i) => Array.from(lib.front.f.subarray(3 * i, 3 * i + 3))));
      const nsga2 = await runNsga2(createBenchmarkProblem('dtlz2'), { populationSize: 28, generations: 20, seed: 3 });
      expect(json.objectives).not.toEqual(Array.from({ length: nsga2.front.size }, (_, i) => Array.from(nsga2.front.f.subarray(3 * i, 3 * i + 3))));
      const frontOf = (r: Awaited<ReturnType<typeof runNsga2>>) => Array.from({ length: r.front.size }, (_, i) => Array.from(r.front.f.subarray(3 * i, 3 * i + 3)));
      // --front population and --archive N reach the library's frontSelection / archiveCapacity.
      expect(await run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--partitions', '6', '--population', '28', '--generations', '20', '--seed', '3', '--front', 'population', '--quiet', '--out', out])).toBe(0);
      const pop = await runNsga2(createBenchmarkProblem('dtlz2'), { algorithm: 'nsga3', referenceDirections: 6, populationSize: 28, generations: 20, seed: 3, frontSelection: 'population' });
      expect(JSON.parse(readFileSync(out, 'utf8')).objectives).toEqual(frontOf(pop));
      expect(JSON.parse(readFileSync(out, 'utf8')).frontSelection).toBe('population');
      expect(await run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--partitions', '6', '--population', '28', '--generations', '20', '--seed', '3', '--archive', '40', '--quiet', '--out', out])).toBe(0);
      const small = await runNsga2(createBenchmarkProblem('dtlz2'), { algorithm: 'nsga3', referenceDirections: 6, populationSize: 28, generations: 20, seed: 3, archiveCapacity: 40 });
      expect(JSON.parse(readFileSync(out, 'utf8')).objectives).toEqual(frontOf(small));
      // --directions energy --count N equals the library's { method: 'energy', count: N }; without --count, N = population.
      expect(await run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--directions', 'energy', '--count', '20', '--direction-seed', '4', '--population', '28', '--generations', '20', '--seed', '3', '--quiet', '--out', out])).toBe(0);
      const energy = await runNsga2(createBenchmarkProblem('dtlz2'), { algorithm: 'nsga3', referenceDirections: { method: 'energy', count: 20, seed: 4 }, populationSize: 28, generations: 20, seed: 3 });
      expect(energy.referenceDirections!.length / 3).toBe(20);
      expect(JSON.parse(readFileSync(out, 'utf8')).objectives).toEqual(frontOf(energy));
      expect(await run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--directions', 'energy', '--population', '28', '--generations', '20', '--seed', '3', '--quiet', '--out', out])).toBe(0);
      const byDefault = await runNsga2(createBenchmarkProblem('dtlz2'), { algorithm: 'nsga3', populationSize: 28, generations: 20, seed: 3 });
      expect(byDefault.referenceDirections!.length / 3).toBe(28);
      expect(JSON.parse(readFileSync(out, 'utf8')).objectives).toEqual(frontOf(byDefault));
      // --directions das-dennis without --partitions: the lattice the population holds (H = 6 → 28).
      expect(await run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--directions', 'das-dennis', '--population', '28', '--generations', '20', '--seed', '3', '--quiet', '--out', out])).toBe(0);
      const lattice = await runNsga2(createBenchmarkProblem('dtlz2'), { algorithm: 'nsga3', referenceDirections: 6, populationSize: 28, generations: 20, seed: 3 });
      expect(JSON.parse(readFileSync(out, 'utf8')).objectives).toEqual(frontOf(lattice));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with a message naming the option and value', async () => {
    await expect(run(['--problem', 'zdt7'])).rejects.toThrow(/--problem must be one of .* got "zdt7"/);
    await expect(run(['--problem', 'zdt1', '--population', '1'])).rejects.toThrow(/--population must be an integer ≥ 2, got "1"/);
    await expect(run(['--problem', 'zdt1', '--reference', '1,x'])).rejects.toThrow(/--reference must be 2 comma-separated numbers/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga4'])).rejects.toThrow(/--algorithm must be one of nsga2, nsga3, got "nsga4"/);
    await expect(run(['--problem', 'dtlz2', '--front', 'best'])).rejects.toThrow(/--front must be one of population, hypervolume, got "best"/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--archive', 'x'])).rejects.toThrow(/--archive must be an integer ≥ 1, got "x"/);
    await expect(run(['--problem', 'dtlz2', '--partitions', '12'])).rejects.toThrow(/--partitions, --count and --direction-seed set NSGA-III's reference directions; add --algorithm nsga3/);
    await expect(run(['--problem', 'dtlz2', '--directions', 'energy'])).rejects.toThrow(/add --algorithm nsga3 \(got --algorithm nsga2\)/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--directions', 'sobol'])).rejects.toThrow(/--directions must be das-dennis or energy, got "sobol"/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--directions', 'energy', '--partitions', '12'])).rejects.toThrow(/--partitions is for --directions das-dennis/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--directions', 'das-dennis', '--count', '50'])).rejects.toThrow(/--count and --direction-seed are for --directions energy/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--count', '0'])).rejects.toThrow(/--count must be an integer ≥ 1, got "0"/);
    await expect(run(['--problem', 'dtlz2', '--algorithm', 'nsga3', '--partitions', '0'])).rejects.toThrow(/--partitions must be an integer ≥ 1, got "0"/);
    expect(await run([])).toBe(2);
  });
});
