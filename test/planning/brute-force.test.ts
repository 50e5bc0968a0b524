/**
 * For a fleet small enough to enumerate (12 modules, 3 applications, one envelope each) every
 * plan is scored and the exact Pareto front computed; the optimiser must find every
 * Pareto-optimal objective vector.
 */
import { describe, expect, it } from 'vitest';
import { optimizeAllocation } from '../../src/planning/optimize.js';
import { app, closeTo, modulesFor, randomMatrix, referenceObjectives } from './fixtures.js';

const apps = [app('grid', 'GRID', 9, 1), app('solar', 'SOLAR', 7, 1), app('backup', 'BACKUP', 8, 1)];
const N = 12;

function bruteForceFront(matrix: ReturnType<typeof randomMatrix>): number[][] {
  const options: number[][] = [];
  for (let m = 0; m < N; m++) {
    const o = [-1];
    for (let a = 0; a < 3; a++) if (matrix.feasible[m * 3 + a]) o.push(a);
    options.push(o);
  }
  const digit = new Array(N).fill(0);
  const assign = new Int16Array(N).fill(-1);
  const env = new Int8Array(N);
  const front: number[][] = [];
  for (;;) {
    for (let m = 0; m < N; m++) {
      assign[m] = options[m][digit[m]];
      env[m] = assign[m] >= 0 ? 0 : -1;
    }
    const r = referenceObjectives(matrix, apps, assign, env);
    if (r.loads.every((l, a) => l <= apps[a].capacityLimitKwh)) {
      const f = r.objectives;
      const dominated = front.some((g) => g[0] >= f[0] && g[1] <= f[1] && g[2] <= f[2]);
      if (!dominated) {
        for (let k = front.length - 1; k >= 0; k--) {
          const g = front[k];
          if (f[0] >= g[0] && f[1] <= g[1] && f[2] <= g[2]) front.splice(k, 1);
        }
        front.push(f);
      }
    }
    let m = 0;
    while (m < N && ++digit[m] === options[m].length) digit[m++] = 0;
    if (m === N) break;
  }
  return front;
}

describe('brute-force check on 12 modules × 3 applications', () => {
  for (const seed of [31, 32]) {
    it(`finds every Pareto-optimal objective vector (matrix seed ${seed})`, async () => {
      const matrix = randomMatrix(N, apps, seed, 0.6);
      const truth = bruteForceFront(matrix);
      expect(truth.length).toBeGreaterThan(5);
      const r = await optimizeAllocation(modulesFor(N, seed), apps, { population: 100, generations: 300, seed: 1, matrix });
      const found = r.front.map((s) => s.objectives);
      const missing = truth.filter((t) => !found.some((f) => f.every((v, k) => closeTo(v, t[k], 1e-9))));
      expect(missing).toEqual([]);
      // And nothing the optimiser reports is dominated by a true Pareto point.
      for (const f of found) expect(truth.some((t) => t.every((v, k) => closeTo(v, f[k], 1e-9)))).toBe(true);
    });
  }
});
