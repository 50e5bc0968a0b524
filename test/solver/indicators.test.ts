import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { hypervolume, igd, igdPlus, gd, spread, kneePoint } from '../../src/solver/indicators/index.js';
import { zdtFront, dtlzFront } from '../../src/solver/problems/index.js';

/** Exact volume for integer points: count the unit cells [c, c+1) dominated by some point. */
function gridHv(points: number[][], ref: number[]): number {
  const m = ref.length;
  let count = 0;
  const cell = new Array<number>(m).fill(0);
  const walk = (j: number): void => {
    if (j === m) {
      if (points.some((p) => p.every((v, k) => v <= cell[k]))) count++;
      return;
    }
    for (let c = 0; c < ref[j]; c++) {
      cell[j] = c;
      walk(j + 1);
    }
  };
  walk(0);
  return count;
}

describe('hypervolume', () => {
  it('2-D hand computation: staircase of three points', () => {
    // (1,3) (2,2) (3,1) w.r.t. (4,4): 3 + 2 + 1 = 6 unit cells... strips: (4-1)*(4-3)=3, (4-2)*(3-2)=2, (4-3)*(2-1)=1
    expect(hypervolume(Float64Array.from([2, 2, 1, 3, 3, 1]), 2, [4, 4])).toBe(6);
  });
  it('3-D hand computation: two overlapping boxes', () => {
    // (0,0,1) box 2×2×1 = 4; (1,1,0) box 1×1×2 = 2; overlap 1×1×1 = 1 → 5
    expect(hypervolume(Float64Array.from([0, 0, 1, 1, 1, 0]), 3, [2, 2, 2])).toBeCloseTo(5, 12);
  });
  it('ignores points outside the reference box and dominated points', () => {
    expect(hypervolume(Float64Array.from([1, 1, 5, 0, 2, 2, 0, 9]), 2, [3, 3])).toBe(4);
  });
  for (const m of [2, 3, 4]) {
    it(`${m}-D equals the grid count on random integer points (duplicates included)`, () => {
      const side = m === 4 ? 4 : 6;
      fc.assert(
        fc.property(fc.array(fc.array(fc.integer({ min: 0, max: side }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: m === 4 ? 8 : 25 }), (pts) => {
          const ref = new Array<number>(m).fill(side);
          expect(hypervolume(Float64Array.from(pts.flat()), m, ref)).toBeCloseTo(gridHv(pts, ref), 9);
        }),
        { seed: 11 + m, numRuns: m === 4 ? 40 : 150 },
      );
    });
  }
  it('true fronts: ZDT1 → 0.8767 at (1.1, 1.1); DTLZ2 → 1.331 − π/6 at (1.1, 1.1, 1.1)', () => {
    expect(hypervolume(zdtFront('zdt1', 10000), 2, [1.1, 1.1])).toBeCloseTo(0.1 + 2 / 3 + 0.11, 3);
    const sphere = dtlzFront('dtlz2', 3, 5000);
    expect(hypervolume(sphere, 3, [1.1, 1.1, 1.1])).toBeGreaterThan(1.331 - Math.PI / 6 - 0.02);
    expect(hypervolume(sphere, 3, [1.1, 1.1, 1.1])).toBeLessThan(1.331 - Math.PI / 6);
  });
});

describe('IGD, IGD+, GD', () => {
  const ref = Float64Array.from([0, 1, 1, 0]);
  it('hand computation', () => {
    const a = Float64Array.from([0, 2]);
    // IGD: distances from (0,1) → 1, from (1,0) → √5; mean = (1 + √5)/2
    expect(igd(a, ref, 2)).toBeCloseTo((1 + Math.sqrt(5)) / 2, 12);
    // IGD+: d+((0,2),(0,1)) = 1; d+((0,2),(1,0)) = √(0 + 4) = 2 → 1.5
    expect(igdPlus(a, ref, 2)).toBeCloseTo(1.5, 12);
    expect(gd(a, ref, 2)).toBeCloseTo(1, 12);
  });
  it('is zero on the reference set itself and IGD+ ≤ IGD', () => {
    const z = zdtFront('zdt1', 200);
    expect(igd(z, z, 2)).toBe(0);
    const shifted = z.map((v) => v + 0.05);
    expect(igdPlus(shifted, z, 2)).toBeLessThanOrEqual(igd(shifted, z, 2) + 1e-15);
    // A point that dominates the reference set has IGD+ = 0 but IGD > 0.
    expect(igdPlus(Float64Array.from([-1, -1]), z, 2)).toBe(0);
    expect(igd(Float64Array.from([-1, -1]), z, 2)).toBeGreaterThan(1);
  });
});

describe('spread Δ', () => {
  it('is 0 for an evenly spaced front reaching the true extremes, larger when clustered', () => {
    const line = Float64Array.from({ length: 22 }, (_, i) => (i % 2 === 0 ? (i / 2) / 10 : 1 - ((i - 1) / 2) / 10));
    expect(spread(line, line, 2)).toBeCloseTo(0, 12);
    const clustered = Float64Array.from([0, 1, 0.05, 0.95, 0.1, 0.9, 1, 0]);
    expect(spread(clustered, line, 2)).toBeGreaterThan(0.5);
  });
  it('Deb 2002 formula on a hand example', () => {
    // Obtained (0.1,0.9) (0.5,0.5) (0.9,0.1); true extremes (0,1) (1,0).
    // d_f = d_l = √0.02; d_1 = d_2 = √0.32 → Δ = 2√0.02 / (2√0.02 + 2√0.32) = 0.2
    const front = Float64Array.from([0.5, 0.5, 0.1, 0.9, 0.9, 0.1]);
    expect(spread(front, Float64Array.from([0, 1, 1, 0]), 2)).toBeCloseTo(0.2, 12);
  });
  it('generalised spread is small on a lattice of the DTLZ2 front', () => {
    const sphere = dtlzFront('dtlz2', 3, 100);
    expect(spread(sphere, sphere, 3)).toBeLessThan(0.3);
  });
});

describe('knee point', () => {
  it('picks the point farthest below the line joining the extremes', () => {
    const front = Float64Array.from([0, 1, 0.2, 0.3, 0.5, 0.15, 1, 0]);
    expect(kneePoint(front, 2)).toBe(1);
  });
});
