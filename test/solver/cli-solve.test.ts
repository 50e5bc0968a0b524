import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/solve.js';
import { hypervolume } from '../../src/solver/indicators/index.js';

describe('relife solve', () => {
  it('writes the front as { problem, objectives, variables, evaluations, seconds, hypervolume }, identical with 2 workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relife-solve-'));
    try {
      const a = join(dir, 'a.json');
      const b = join(dir, 'b.json');
      expect(await run(['--problem', 'zdt1', '--population', '40', '--generations', '30', '--seed', '1', '--quiet', '--out', a])).toBe(0);
      expect(await run(['--problem', 'zdt1', '--population', '40', '--generations', '30', '--seed', '1', '--workers', '2', '--quiet', '--out', b])).toBe(0);
      const ja = JSON.parse(readFileSync(a, 'utf8'));
      const jb = JSON.parse(readFileSync(b, 'utf8'));
      expect(Object.keys(ja).sort()).toEqual(['evaluations', 'hypervolume', 'objectives', 'problem', 'seconds', 'variables']);
      expect(ja.problem).toBe('zdt1');
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

  it('rejects bad options with a message naming the option and value', async () => {
    await expect(run(['--problem', 'zdt7'])).rejects.toThrow(/--problem must be one of .* got "zdt7"/);
    await expect(run(['--problem', 'zdt1', '--population', '1'])).rejects.toThrow(/--population must be an integer ≥ 2, got "1"/);
    await expect(run(['--problem', 'zdt1', '--reference', '1,x'])).rejects.toThrow(/--reference must be 2 comma-separated numbers/);
    expect(await run([])).toBe(2);
  });
});
