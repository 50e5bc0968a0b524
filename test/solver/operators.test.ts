import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Random } from '../../src/solver/random.js';
import { sbx } from '../../src/solver/operators/sbx.js';
import { polynomialMutation } from '../../src/solver/operators/polynomial-mutation.js';
import { uniformCrossover } from '../../src/solver/operators/uniform-crossover.js';
import { randomReset } from '../../src/solver/operators/random-reset.js';
import { sampleUniform } from '../../src/solver/operators/sampling.js';
import { binaryTournament } from '../../src/solver/operators/tournament.js';

const bounds = fc.array(fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 50, noNaN: true })), { minLength: 1, maxLength: 12 });

describe('real operators respect bounds', () => {
  it('SBX children stay within bounds and equal the parents where parents agree', () => {
    fc.assert(
      fc.property(bounds, fc.integer({ min: 1, max: 1e6 }), (b, seed) => {
        const n = b.length;
        const lower = Float64Array.from(b.map(([lo]) => lo));
        const upper = Float64Array.from(b.map(([lo, w]) => lo + w));
        const rng = new Random(seed);
        const x = new Float64Array(4 * n);
        sampleUniform({ kind: 'real', lower, upper }, n, x, 0, 2, rng);
        x[n] = x[0]; // gene 0 equal in both parents
        const op = sbx({ lower, upper, eta: 15, probability: 1 });
        for (let t = 0; t < 20; t++) {
          op(x, 0, 1, x, 2, 3, rng);
          for (let j = 0; j < n; j++) {
            for (const c of [2, 3]) {
              expect(x[c * n + j]).toBeGreaterThanOrEqual(lower[j]);
              expect(x[c * n + j]).toBeLessThanOrEqual(upper[j]);
            }
          }
          expect(x[2 * n]).toBe(x[0]);
          expect(x[3 * n]).toBe(x[0]);
        }
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('SBX keeps the mean of the two parents per variable (unclipped case)', () => {
    const lower = new Float64Array(50).fill(-1e9);
    const upper = new Float64Array(50).fill(1e9);
    const rng = new Random(3);
    const x = new Float64Array(200);
    for (let j = 0; j < 50; j++) {
      x[j] = j;
      x[50 + j] = 2 * j + 1;
    }
    sbx({ lower, upper, probability: 1 })(x, 0, 1, x, 2, 3, rng);
    for (let j = 0; j < 50; j++) expect(x[100 + j] + x[150 + j]).toBeCloseTo(3 * j + 1, 6);
  });

  it('SBX with probability 0 copies the parents', () => {
    const lower = Float64Array.from([0, 0]);
    const upper = Float64Array.from([1, 1]);
    const x = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0]);
    sbx({ lower, upper, probability: 0 })(x, 0, 1, x, 2, 3, new Random(1));
    expect(Array.from(x.subarray(4))).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('polynomial mutation stays within bounds and mutates about p·n variables', () => {
    fc.assert(
      fc.property(bounds, fc.integer({ min: 1, max: 1e6 }), (b, seed) => {
        const n = b.length;
        const lower = Float64Array.from(b.map(([lo]) => lo));
        const upper = Float64Array.from(b.map(([lo, w]) => lo + w));
        const rng = new Random(seed);
        const x = new Float64Array(n);
        sampleUniform({ kind: 'real', lower, upper }, n, x, 0, 1, rng);
        const op = polynomialMutation({ lower, upper, probability: 1 });
        for (let t = 0; t < 20; t++) {
          op(x, 0, rng);
          for (let j = 0; j < n; j++) {
            expect(x[j]).toBeGreaterThanOrEqual(lower[j]);
            expect(x[j]).toBeLessThanOrEqual(upper[j]);
          }
        }
      }),
      { seed: 9, numRuns: 200 },
    );
    const n = 1000;
    const lower = new Float64Array(n);
    const upper = new Float64Array(n).fill(1);
    const x = new Float64Array(n).fill(0.5);
    polynomialMutation({ lower, upper, probability: 0.1 })(x, 0, new Random(4));
    const changed = x.filter((v) => v !== 0.5).length;
    expect(changed).toBeGreaterThan(70);
    expect(changed).toBeLessThan(130);
  });
});

describe('integer operators', () => {
  it('uniform crossover: each child gene comes from one parent at the same position, the pair is conserved', () => {
    const n = 200;
    const x = new Uint8Array(4 * n);
    const rng = new Random(8);
    for (let j = 0; j < n; j++) {
      x[j] = j % 7;
      x[n + j] = 10 + (j % 5);
    }
    uniformCrossover({ nVar: n, probability: 1 })(x, 0, 1, x, 2, 3, rng);
    let fromFirst = 0;
    for (let j = 0; j < n; j++) {
      const a = x[2 * n + j];
      const b = x[3 * n + j];
      expect([a, b].sort((p, q) => p - q)).toEqual([x[j], x[n + j]].sort((p, q) => p - q));
      if (a === x[j]) fromFirst++;
    }
    expect(fromFirst).toBeGreaterThan(70);
    expect(fromFirst).toBeLessThan(130);
  });

  it('random reset keeps every gene in its domain and, with p = 1, changes every gene whose domain has > 1 value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 100 }), fc.integer({ min: 0, max: 1e6 }), (sizes, seed) => {
        const n = sizes.length;
        const domainSize = Int32Array.from(sizes);
        const variables = { kind: 'integer' as const, domainSize, storage: 'uint8' as const };
        const rng = new Random(seed);
        const x = new Uint8Array(n);
        sampleUniform(variables, n, x, 0, 1, rng);
        const before = x.slice();
        randomReset({ variables, nVar: n, probability: 1 })(x, 0, rng);
        for (let j = 0; j < n; j++) {
          expect(x[j]).toBeLessThan(sizes[j]);
          if (sizes[j] > 1) expect(x[j]).not.toBe(before[j]);
          else expect(x[j]).toBe(0);
        }
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('random reset with p = 1/n mutates about one gene per call on a long genome', () => {
    const n = 100000;
    const variables = { kind: 'integer' as const, domainSize: 64, storage: 'uint8' as const };
    const op = randomReset({ variables, nVar: n });
    const rng = new Random(2);
    const x = new Uint8Array(n);
    let changes = 0;
    for (let t = 0; t < 200; t++) {
      const before = x.slice();
      op(x, 0, rng);
      for (let j = 0; j < n; j++) if (x[j] !== before[j]) changes++;
    }
    expect(changes / 200).toBeGreaterThan(0.7);
    expect(changes / 200).toBeLessThan(1.3);
  });
});

describe('binary tournament', () => {
  it('lower rank wins, then larger crowding; the worst individual never wins', () => {
    const n = 10;
    const rank = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const crowding = Float64Array.from([Infinity, 1, 2, 1, 0.5, 0.1, 1, 1, 3, 0.2]);
    const winners = new Int32Array(1000);
    binaryTournament(rank, crowding, n, winners, 1000, new Int32Array(n), new Random(1));
    const counts = new Array<number>(n).fill(0);
    for (const w of winners) counts[w]++;
    expect(counts[9]).toBe(0); // rank 4 with the smaller crowding loses to everyone
    expect(counts[0]).toBe(200); // best individual wins each of its 2 tournaments per 2 permutations
    expect(counts[0]).toBeGreaterThan(counts[1]);
  });
});

describe('Random', () => {
  it('is reproducible, resumable from its state and uniform enough', () => {
    const a = new Random(123);
    const b = new Random(123);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
    const c = Random.fromState(a.state());
    for (let i = 0; i < 100; i++) expect(c.nextUint32()).toBe(a.nextUint32());
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[a.nextInt(10)]++;
    for (const k of counts) expect(Math.abs(k - 10000)).toBeLessThan(500);
    expect(new Random(1).next()).not.toBe(new Random(2).next());
  });
});

describe('sampling', () => {
  it('integer sampling is uniform over the domain, for power-of-two and other domain sizes', () => {
    for (const d of [2, 8, 64, 6, 37]) {
      const n = 20000;
      const x = new Uint8Array(n);
      sampleUniform({ kind: 'integer', domainSize: d, storage: 'uint8' }, n, x, 0, 1, new Random(d));
      const counts = new Array<number>(d).fill(0);
      for (const v of x) counts[v]++;
      const expected = n / d;
      // χ² with d−1 degrees of freedom; 3·(d−1) is far in the tail (p < 1e-4 for these d).
      const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      expect(counts.length).toBe(d);
      expect(Math.max(...x)).toBe(d - 1);
      expect(chi2).toBeLessThan(3 * (d - 1) + 10);
    }
  });

  it('fills only the requested rows', () => {
    const x = new Float64Array(8).fill(-1);
    sampleUniform({ kind: 'real', lower: Float64Array.from([0, 0]), upper: Float64Array.from([1, 1]) }, 2, x, 1, 3, new Random(1));
    expect(Array.from(x.subarray(0, 2))).toEqual([-1, -1]);
    expect(Array.from(x.subarray(6))).toEqual([-1, -1]);
    for (const v of x.subarray(2, 6)) expect(v >= 0 && v < 1).toBe(true);
  });
});
