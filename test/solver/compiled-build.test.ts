import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('compiled build (.js)', () => {
  it('loads the worker and task modules from the emitted JavaScript and gives the same front as inline', () => {
    // Inside node_modules/.cache so that the emitted files resolve piscina from the project.
    // A fresh clone's node_modules has no .cache folder yet.
    mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
    const out = mkdtempSync(join(root, 'node_modules/.cache/solver-build-'));
    try {
      const tsc = spawnSync(process.execPath, [
        join(root, 'node_modules/typescript/bin/tsc'),
        '--outDir', out, '--rootDir', join(root, 'src'), '--module', 'nodenext', '--moduleResolution', 'nodenext',
        '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node',
        join(root, 'src/solver/index.ts'), join(root, 'src/solver/worker.ts'), join(root, 'src/solver/evaluate-task.ts'),
      ], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      const script = join(out, 'check.mjs');
      writeFileSync(script, `
        import { runNsga2, createBenchmarkProblem, createWorkerPool } from './solver/index.js';
        const pool = createWorkerPool({ threads: 2 });
        const a = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 24, generations: 10, seed: 3, pool });
        await pool.destroy();
        const b = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 24, generations: 10, seed: 3 });
        console.log(JSON.stringify({ same: a.front.f.every((v, i) => v === b.front.f[i]) && a.front.size === b.front.size, size: a.front.size, url: import.meta.url }));
      `);
      // Plain node: no tsx loader anywhere.
      const run = spawnSync(process.execPath, [script], { encoding: 'utf8', cwd: out, env: { ...process.env, NODE_OPTIONS: '' } });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { same: boolean; size: number };
      expect(result.same).toBe(true);
      expect(result.size).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
