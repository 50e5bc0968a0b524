import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { nonDominatedRanks, sortFastNds } from '../../src/solver/sorting/index.js';
import { constrainedDominates } from '../../src/solver/constraints.js';

/** Reference ranks: peel off the constrained-non-dominated set repeatedly (O(N³), obviously right). */
function bruteRanks(f: Float64Array, cv: Float64Array, nObj: number, n: number): Int32Array {
  const rank = new Int32Array(n).fill(-1);
  let left = n;
  for (let r = 0; left > 0; r++) {
    const current: number[] = [];
    for (let i = 0; i < n; i++) {
      if (rank[i] !== -1) continue;
      let dominated = false;
      for (let k = 0; k < n && !dominated; k++) if (k !== i && rank[k] === -1 && constrainedDominates(f, cv, nObj, k, i)) dominated = true;
      if (!dominated) current.push(i);
    }
    for (const i of current) rank[i] = r;
    left -= current.length;
  }
  return rank;
}

// Few distinct values so that ties in single objectives and exact duplicates are common.
const pointSet = (nObj: number, withViolation: boolean) =>
  fc.integer({ min: 1, max: 60 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      f: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n * nObj, maxLength: n * nObj }),
      cv: withViolation ? fc.array(fc.constantFrom(0, 0, 0, 0.5, 1, 2), { minLength: n, maxLength: n }) : fc.constant(new Array<number>(n).fill(0)),
    }),
  );

describe('nonDominatedRanks agrees with brute-force constrained dominance', () => {
  for (const nObj of [1, 2, 3, 4]) {
    for (const withViolation of [false, true]) {
      it(`${nObj} objective(s)${withViolation ? ', with constraint violations' : ''}, ties and duplicates`, () => {
        fc.assert(
          fc.property(pointSet(nObj, withViolation), ({ n, f, cv }) => {
            const F = Float64Array.from(f);
            const CV = Float64Array.from(cv);
            const rank = new Int32Array(n);
            const fronts = nonDominatedRanks(F, nObj, withViolation ? CV : null, n, rank);
            const expected = bruteRanks(F, CV, nObj, n);
            expect(Array.from(rank)).toEqual(Array.from(expected));
            expect(fronts).toBe(Math.max(...expected) + 1);
          }),
          { seed: 42 + nObj, numRuns: 150 },
        );
      });
    }
  }

  it('continuous random points in 2 and 3 objectives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 300 }), (nObj, values) => {
        const n = Math.floor(values.length / nObj);
        const F = Float64Array.from(values.slice(0, n * nObj));
        const rank = new Int32Array(n);
        nonDominatedRanks(F, nObj, null, n, rank);
        expect(Array.from(rank)).toEqual(Array.from(bruteRanks(F, new Float64Array(n), nObj, n)));
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it("Deb's O(MN²) fast non-dominated sort (the benchmark's baseline) agrees too", () => {
    fc.assert(
      fc.property(pointSet(3, false), ({ n, f }) => {
        const F = Float64Array.from(f);
        const rank = new Int32Array(n);
        sortFastNds(F, 3, n, rank);
        expect(Array.from(rank)).toEqual(Array.from(bruteRanks(F, new Float64Array(n), 3, n)));
      }),
      { seed: 99, numRuns: 100 },
    );
  });

  it('puts exact duplicates in the same front and a dominated point behind them', () => {
    const f = Float64Array.from([1, 1, 1, 1, 2, 2, 0, 3]);
    const rank = new Int32Array(4);
    expect(nonDominatedRanks(f, 2, null, 4, rank)).toBe(2);
    expect(Array.from(rank)).toEqual([0, 0, 1, 0]);
  });
});
