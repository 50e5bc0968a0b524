import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ParetoArchive, paretoDominates, crowdingDistances } from '../../src/solver/archive.js';
import { crowdingDistance } from '../../src/solver/crowding.js';
import { runNsga2 } from '../../src/solver/nsga2.js';
import { createBenchmarkProblem } from '../../src/solver/problems/index.js';

/** A batch of offers: small integer objectives so that ties, duplicates and dominance are frequent. */
const offers = (nObj: number) =>
  fc.array(fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: nObj, maxLength: nObj }), { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 12 });

const key = (v: ArrayLike<number>) => Array.from(v).join(',');

function members(a: ParetoArchive): { f: number[][]; x: number[] } {
  const c = a.extract();
  return { f: Array.from({ length: c.size }, (_, i) => Array.from(c.f.subarray(i * a.nObj, (i + 1) * a.nObj))), x: Array.from(c.x) };
}

/** Offers one batch whose first offer has running index `start` (the genome), through add for a batch of one and addRows otherwise. */
function offerBatch(a: ParetoArchive, batch: number[][], start: number): void {
  if (batch.length === 1) a.add(batch[0], [start]);
  else a.addRows({ size: batch.length, f: Float64Array.from(batch.flat()), x: Float64Array.from(batch.map((_, i) => start + i)) });
}

function feed(a: ParetoArchive, batches: number[][][]): number[][] {
  const all: number[][] = [];
  for (const batch of batches) {
    offerBatch(a, batch, all.length);
    all.push(...batch);
  }
  return all;
}

describe('ParetoArchive', () => {
  it('unbounded: members are mutually non-dominated and distinct, every non-dominated offer is kept, genomes travel with their objectives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((m) => fc.tuple(fc.constant(m), offers(m))), ([nObj, batches]) => {
        const a = new ParetoArchive({ nObj, nVar: 1 });
        const all = feed(a, batches);
        const { f, x } = members(a);
        for (let i = 0; i < f.length; i++) {
          expect(f[i]).toEqual(all[x[i]]);
          for (let j = 0; j < f.length; j++) if (i !== j) expect(paretoDominates(f[j], f[i])).toBe(false);
        }
        expect(new Set(f.map(key)).size).toBe(f.length);
        const have = new Set(f.map(key));
        for (const p of all) {
          const dominated = all.some((q) => paretoDominates(q, p));
          expect(have.has(key(p))).toBe(!dominated);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('bounded: never over capacity, still non-dominated, equal to the unbounded archive while that stays within capacity, and keeps each objective’s best', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }).chain((m) => fc.tuple(fc.constant(m), offers(m), fc.integer({ min: 2 * m, max: 14 }))), ([nObj, batches, capacity]) => {
        const bounded = new ParetoArchive({ nObj, nVar: 1, capacity });
        const unbounded = new ParetoArchive({ nObj, nVar: 1 });
        let within = true;
        const all: number[][] = [];
        for (const batch of batches) {
          offerBatch(unbounded, batch, all.length);
          offerBatch(bounded, batch, all.length);
          all.push(...batch);
          expect(bounded.size).toBeLessThanOrEqual(capacity);
          within &&= unbounded.size <= capacity;
          if (within) expect(members(bounded)).toEqual(members(unbounded));
        }
        const { f } = members(bounded);
        for (let i = 0; i < f.length; i++) for (let j = 0; j < f.length; j++) if (i !== j) expect(paretoDominates(f[j], f[i])).toBe(false);
        // Extremes have infinite crowding and capacity ≥ 2M leaves a finite one to drop: each objective's minimum survives.
        for (let m = 0; m < nObj; m++) expect(Math.min(...f.map((v) => v[m]))).toBe(Math.min(...all.map((v) => v[m])));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('deterministic; an extracted archive re-added rebuilds it exactly; merge offers the other archive in its order', () => {
    fc.assert(
      fc.property(offers(3), offers(3), (b1, b2) => {
        const a = new ParetoArchive({ nObj: 3, nVar: 1, capacity: 8 });
        const b = new ParetoArchive({ nObj: 3, nVar: 1, capacity: 8 });
        feed(a, b1);
        feed(b, b1);
        expect(members(a)).toEqual(members(b));
        const restored = new ParetoArchive({ nObj: 3, nVar: 1, capacity: 8 });
        restored.addRows(a.extract());
        expect(members(restored)).toEqual(members(a));
        const other = new ParetoArchive({ nObj: 3, nVar: 1 });
        feed(other, b2);
        const viaRows = new ParetoArchive({ nObj: 3, nVar: 1, capacity: 8 });
        viaRows.addRows(a.extract());
        viaRows.addRows(other.extract());
        a.merge(other);
        expect(members(a)).toEqual(members(viaRows));
      }),
      { seed: 5, numRuns: 150 },
    );
  });

  it('truncation equals removing one member at a time by crowding distance recomputed from scratch (ties: the later entrant), with real-valued and tied objectives', () => {
    // Reference: the rule as stated, on the unbounded archive's members in entry order.
    const naive = (f: number[][], nObj: number, capacity: number): number[][] => {
      const alive = f.map(() => 1);
      let live = f.length;
      while (live > capacity) {
        const d = crowdingDistances(Float64Array.from(f.flat()), nObj, f.length, Uint8Array.from(alive));
        let worst = -1;
        for (let r = 0; r < f.length; r++) if (alive[r] && (worst < 0 || d[r] < d[worst] || (d[r] === d[worst] && r > worst))) worst = r;
        alive[worst] = 0;
        live--;
      }
      return f.filter((_, r) => alive[r]);
    };
    // Points on the plane Σ f = 12 are mutually non-dominated, so the archive holds many and truncation has work to do.
    const point = (nObj: number) =>
      fc
        .array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 6, noNaN: true })), { minLength: nObj - 1, maxLength: nObj - 1 })
        .map((v) => [...v, 12 - v.reduce((a, b) => a + b, 0)]);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((m) => fc.tuple(fc.constant(m), fc.array(point(m), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 30 }))),
        ([nObj, pts, capacity]) => {
          const unbounded = new ParetoArchive({ nObj });
          unbounded.addRows({ size: pts.length, f: Float64Array.from(pts.flat()) });
          const bounded = new ParetoArchive({ nObj, capacity });
          bounded.addRows({ size: pts.length, f: Float64Array.from(pts.flat()) });
          expect(members(bounded).f).toEqual(naive(members(unbounded).f, nObj, capacity));
        },
      ),
      { seed: 21, numRuns: 400 },
    );
  });

  it('keeps constraint values with their members (add, addRows, extract, merge) and asks for them', () => {
    const a = new ParetoArchive({ nObj: 2, nVar: 1, nCon: 2 });
    a.addRows({ size: 3, f: Float64Array.of(1, 2, 2, 1, 3, 3), x: Float64Array.of(10, 20, 30), g: Float64Array.of(-1, -2, -3, -4, -5, -6) });
    a.add([0.5, 3], [40], [-7, -8]);
    const c = a.extract();
    expect(Array.from(c.x)).toEqual([10, 20, 40]);
    expect(Array.from(c.g)).toEqual([-1, -2, -3, -4, -7, -8]);
    const b = new ParetoArchive({ nObj: 2, nVar: 1, nCon: 2 });
    b.merge(a);
    expect(Array.from(b.extract().g)).toEqual(Array.from(c.g));
    expect(() => a.add([0, 0], [1])).toThrow(/keeps 2 constraint values per member/);
    expect(() => a.addRows({ size: 1, f: Float64Array.of(0, 0), x: Float64Array.of(1) })).toThrow(/give g with 1 rows/);
    expect(() => b.merge(new ParetoArchive({ nObj: 2, nVar: 1 }))).toThrow(/objectives\/genes\/constraints/);
  });

  it('crowding truncation drops the most crowded member: of five points on a line the one closest to its neighbours', () => {
    const a = new ParetoArchive({ nObj: 2, capacity: 4 });
    for (const p of [[0, 10], [1, 9], [5, 5], [5.5, 4.5], [10, 0]]) a.add(p);
    // Crowding of the interior points: (1,9) → (5−0)/10·2 = 1.0, (5,5) → 0.9, (5.5,4.5) → 1.0; (5,5) leaves.
    expect(members(a).f).toEqual([[0, 10], [1, 9], [5.5, 4.5], [10, 0]]);
  });

  it('skips infeasible rows, keeps integer genomes, feeds from a run population, and rejects bad input', async () => {
    const a = new ParetoArchive({ nObj: 2, nVar: 3, genome: Uint8Array });
    expect(a.addRows({ size: 3, f: Float64Array.of(1, 2, 0, 0, 2, 1), x: Uint8Array.of(1, 1, 1, 2, 2, 2, 3, 3, 3), cv: Float64Array.of(0, 0.5, 0) })).toBe(2);
    const c = a.extract();
    expect(c.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(c.x)).toEqual([1, 1, 1, 3, 3, 3]);
    expect(Array.from(a.genome(1))).toEqual([3, 3, 3]);
    expect(Array.from(a.objectives(0))).toEqual([1, 2]);
    expect(a.add([1, 2], [9, 9, 9])).toBe(false); // equal objectives: the incumbent stays
    expect(a.add([0.5, 0.5], [4, 4, 4])).toBe(true);
    expect(a.size).toBe(1);
    expect(a.hypervolume([3, 3])).toBeCloseTo(6.25, 12);

    const r = await runNsga2(createBenchmarkProblem('zdt1'), { populationSize: 30, generations: 20, seed: 1 });
    const z = new ParetoArchive({ nObj: 2, nVar: 30 });
    expect(z.addRows(r.population)).toBe(r.front.size);
    const unranked = new ParetoArchive({ nObj: 2, nVar: 30 });
    unranked.addRows({ ...r.population, rank: null });
    expect(members(unranked)).toEqual(members(z));
    expect(Array.from(z.extract().f).sort()).toEqual(Array.from(r.front.f).sort());

    expect(() => new ParetoArchive({ nObj: 0 })).toThrow(/nObj must be an integer ≥ 1, got 0/);
    expect(() => new ParetoArchive({ nObj: 2, capacity: 0 })).toThrow(/capacity must be an integer ≥ 1 or Infinity, got 0/);
    expect(() => a.add([1])).toThrow(/1 objectives given, expected 2/);
    expect(() => a.add([1, 1])).toThrow(/keeps genomes of 3 genes/);
    expect(() => a.add([Number.NaN, 1], [0, 0, 0])).toThrow(/objective 0 is NaN/);
    expect(() => a.genome(5)).toThrow(/member 5 does not exist \(size 1\)/);
    expect(() => paretoDominates([1, 2], [1])).toThrow(/vectors of 2 and 1 objectives/);
  });

  it('crowdingDistances equals the solver’s crowding distance of one front', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 80 }), (nObj, values) => {
        const count = Math.floor(values.length / nObj);
        const f = Float64Array.from(values.slice(0, count * nObj));
        const expected = new Float64Array(count);
        crowdingDistance(f, nObj, Int32Array.from({ length: count }, (_, i) => i), 0, count, expected, new Int32Array(count));
        expect(Array.from(crowdingDistances(f, nObj, count))).toEqual(Array.from(expected));
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});
