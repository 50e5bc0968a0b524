import { describe, it, expect } from 'vitest';
import { rieszEnergyDirections, farthestPointStart, logRieszEnergy, projectOntoSimplex } from '../../src/solver/riesz-energy-directions.js';
import { resolveReferenceDirections } from '../../src/solver/reference-directions.js';
import { Random } from '../../src/solver/random.js';

function minPairwiseDistance(x: Float64Array, m: number): number {
  const n = x.length / m;
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d = 0;
      for (let k = 0; k < m; k++) d += (x[i * m + k] - x[j * m + k]) ** 2;
      best = Math.min(best, Math.sqrt(d));
    }
  }
  return best;
}

function randomOnSimplex(m: number, n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += out[i * m + k] = -Math.log(1 - rng.next());
    for (let k = 0; k < m; k++) out[i * m + k] /= s;
  }
  return out;
}

describe('Riesz s-energy reference directions (Blank et al. 2021)', () => {
  it('the requested count, every row on the simplex, the same bits for the same seed and different for another', () => {
    for (const [m, n] of [[2, 30], [3, 100], [3, 7], [5, 60]]) {
      const a = rieszEnergyDirections(m, n, 1);
      expect(a.length).toBe(n * m);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let k = 0; k < m; k++) {
          expect(a[i * m + k]).toBeGreaterThanOrEqual(0);
          sum += a[i * m + k];
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      }
      expect(Array.from(rieszEnergyDirections(m, n, 1))).toEqual(Array.from(a));
      expect(Array.from(rieszEnergyDirections(m, n, 2))).not.toEqual(Array.from(a));
    }
    // The cache hands out copies: writing into one does not change the next.
    const c = rieszEnergyDirections(3, 7, 1);
    c[0] = 42;
    expect(rieszEnergyDirections(3, 7, 1)[0]).not.toBe(42);
  });

  it('minimum pairwise distance beats random points on the simplex and the descent lowers the energy of its start', () => {
    for (const [m, n] of [[3, 100], [3, 50], [4, 80], [5, 60]]) {
      const e = rieszEnergyDirections(m, n, 3);
      const dEnergy = minPairwiseDistance(e, m);
      for (const seed of [1, 2, 3]) expect(dEnergy).toBeGreaterThan(3 * minPairwiseDistance(randomOnSimplex(m, n, seed), m));
      const start = farthestPointStart(m, n, new Random(3));
      const work = new Float64Array(n * n);
      expect(logRieszEnergy(e, m, n, 2 * m, null, work)).toBeLessThan(logRieszEnergy(start, m, n, 2 * m, null, work));
    }
    // Two objectives: close to the even spacing √2/(n−1) of the segment.
    expect(minPairwiseDistance(rieszEnergyDirections(2, 30, 1), 2)).toBeGreaterThan(0.8 * (Math.SQRT2 / 29));
  });

  it('the gradient of log E matches central differences', () => {
    const m = 3;
    const n = 6;
    const x = farthestPointStart(m, n, new Random(7));
    const work = new Float64Array(n * n);
    const grad = new Float64Array(n * m);
    logRieszEnergy(x, m, n, 6, grad, work);
    const h = 1e-6;
    for (let k = 0; k < n * m; k++) {
      const up = x.slice();
      const down = x.slice();
      up[k] += h;
      down[k] -= h;
      const numeric = (logRieszEnergy(up, m, n, 6, null, work) - logRieszEnergy(down, m, n, 6, null, work)) / (2 * h);
      expect(grad[k]).toBeCloseTo(numeric, 4);
    }
  });

  it('simplex projection: a point on the simplex stays, others land on their nearest simplex point', () => {
    const sorted = new Float64Array(3);
    const a = Float64Array.of(0.2, 0.3, 0.5);
    projectOntoSimplex(a, 0, 3, sorted);
    expect(Array.from(a).map((v) => +v.toFixed(12))).toEqual([0.2, 0.3, 0.5]);
    const b = Float64Array.of(1, 1, -1);
    projectOntoSimplex(b, 0, 3, sorted);
    expect(Array.from(b).map((v) => +v.toFixed(12))).toEqual([0.5, 0.5, 0]);
    const c = Float64Array.of(0.5, 0.5, 0.5);
    projectOntoSimplex(c, 0, 3, sorted);
    expect(Array.from(c).map((v) => +v.toFixed(12))).toEqual([1 / 3, 1 / 3, 1 / 3].map((v) => +v.toFixed(12)));
  });

  it('as a run option: { method: "energy", count, seed? } and { method: "das-dennis", partitions }, with errors naming the field', () => {
    const e = resolveReferenceDirections({ method: 'energy', count: 40 }, 3, 100);
    expect(e.directions.length).toBe(120);
    expect(Array.from(e.directions)).toEqual(Array.from(rieszEnergyDirections(3, 40, 1)));
    expect(e.description).toMatch(/energy.*40.*seed 1/);
    expect(Array.from(resolveReferenceDirections({ method: 'energy', count: 40, seed: 5 }, 3, 100).directions)).toEqual(Array.from(rieszEnergyDirections(3, 40, 5)));
    expect(resolveReferenceDirections({ method: 'das-dennis', partitions: 4 }, 3, 100).directions.length).toBe(15 * 3);
    expect(() => resolveReferenceDirections({ method: 'energy', count: 0 }, 3, 100)).toThrow(/referenceDirections.count/);
    expect(() => resolveReferenceDirections({ method: 'energy', count: 10, seed: -1 }, 3, 100)).toThrow(/referenceDirections.seed/);
    expect(() => resolveReferenceDirections({ method: 'das-dennis', partitions: 1.5 }, 3, 100)).toThrow(/referenceDirections.partitions/);
    expect(() => resolveReferenceDirections({ method: 'sobol', count: 3 } as never, 3, 100)).toThrow(/method must be one of das-dennis, energy/);
    expect(() => rieszEnergyDirections(3, 5000, 1)).toThrow(/above 2000/);
  });
});
