import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { crowdingDistance } from '../../src/solver/crowding.js';

describe('crowding distance', () => {
  it('matches a hand computation', () => {
    // Front (sorted by f1): (0,4) (1,2) (3,1) (4,0). Ranges 4 and 4.
    // (1,2): (3-0)/4 + (4-1)/4 = 1.5 ; (3,1): (4-1)/4 + (2-0)/4 = 1.25
    const f = Float64Array.from([3, 1, 0, 4, 4, 0, 1, 2]);
    const members = Int32Array.from([0, 1, 2, 3]);
    const out = new Float64Array(4);
    crowdingDistance(f, 2, members, 0, 4, out, new Int32Array(4));
    expect(out[1]).toBe(Infinity);
    expect(out[2]).toBe(Infinity);
    expect(out[3]).toBeCloseTo(1.5, 12);
    expect(out[0]).toBeCloseTo(1.25, 12);
  });

  it('only touches the listed members, from the given offset', () => {
    const f = Float64Array.from([0, 3, 1, 2, 2, 1, 3, 0, 9, 9]);
    const members = Int32Array.from([4, 0, 1, 2, 3]);
    const out = new Float64Array(5).fill(-7);
    crowdingDistance(f, 2, members, 1, 4, out, new Int32Array(4));
    expect(out[4]).toBe(-7);
    expect(Array.from(out.subarray(0, 4))).toEqual([Infinity, 4 / 3, 4 / 3, Infinity]);
  });

  it('is a sum of normalised neighbour gaps: equals brute force on random fronts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1000 }), (n, m, seed) => {
        let s = seed + 1;
        const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
        const f = Float64Array.from({ length: n * m }, () => Math.round(rnd() * 20) / 4);
        const members = Int32Array.from({ length: n }, (_, i) => i);
        const out = new Float64Array(n);
        crowdingDistance(f, m, members, 0, n, out, new Int32Array(n));
        const expected = new Float64Array(n);
        for (let j = 0; j < m; j++) {
          const order = Array.from(members).sort((a, b) => f[a * m + j] - f[b * m + j] || a - b);
          const range = f[order[n - 1] * m + j] - f[order[0] * m + j];
          expected[order[0]] = Infinity;
          expected[order[n - 1]] = Infinity;
          if (range === 0) continue;
          for (let k = 1; k < n - 1; k++) expected[order[k]] += (f[order[k + 1] * m + j] - f[order[k - 1] * m + j]) / range;
        }
        for (let i = 0; i < n; i++) {
          if (expected[i] === Infinity) expect(out[i]).toBe(Infinity);
          else expect(out[i]).toBeCloseTo(expected[i], 10);
        }
      }),
      { seed: 3, numRuns: 100 },
    );
  });

  it('gives every member of a front of two or fewer an infinite distance', () => {
    const out = new Float64Array(2);
    crowdingDistance(Float64Array.from([0, 1, 1, 0]), 2, Int32Array.from([0, 1]), 0, 2, out, new Int32Array(2));
    expect(Array.from(out)).toEqual([Infinity, Infinity]);
  });
});
