import { describe, it, expect } from 'vitest';
import { createBenchmarkProblem, BENCHMARK_NAMES, zdtFront, dtlzFront, simplexLattice } from '../../src/solver/problems/index.js';
import { nonDominatedRanks } from '../../src/solver/sorting/index.js';
import { validateProblem } from '../../src/solver/problem.js';

function evaluate(name: (typeof BENCHMARK_NAMES)[number], x: number[]): number[] {
  const p = createBenchmarkProblem(name);
  const f = new Float64Array(p.nObj);
  void p.evaluate({ x: Float64Array.from(x), f, g: new Float64Array(0), count: 1 });
  return Array.from(f);
}

describe('benchmark problems', () => {
  it('declare valid variables and the standard sizes', () => {
    const sizes = BENCHMARK_NAMES.map((n) => {
      const p = createBenchmarkProblem(n);
      validateProblem(p);
      return [n, p.nVar, p.nObj];
    });
    expect(sizes).toEqual([['zdt1', 30, 2], ['zdt2', 30, 2], ['zdt3', 30, 2], ['zdt4', 10, 2], ['zdt6', 10, 2], ['dtlz1', 7, 3], ['dtlz2', 12, 3]]);
  });

  it('Pareto-optimal decision vectors map onto the published true fronts', () => {
    // ZDT: x2..n = 0 (ZDT4 too, its g has its minimum 1 at 0); f2 = 1 − √f1, 1 − f1², …
    const z = (x1: number, n: number) => [x1, ...new Array<number>(n - 1).fill(0)];
    expect(evaluate('zdt1', z(0.25, 30))[1]).toBeCloseTo(0.5, 12);
    expect(evaluate('zdt2', z(0.5, 30))[1]).toBeCloseTo(0.75, 12);
    expect(evaluate('zdt3', z(0.1, 30))[1]).toBeCloseTo(1 - Math.sqrt(0.1) - 0.1 * Math.sin(Math.PI), 12);
    expect(evaluate('zdt4', z(0.64, 10))[1]).toBeCloseTo(0.2, 12);
    const f6 = evaluate('zdt6', z(0.3, 10));
    expect(f6[1]).toBeCloseTo(1 - f6[0] * f6[0], 12);
    // DTLZ: distance variables 0.5 → g = 0; DTLZ1 Σf = 0.5, DTLZ2 Σf² = 1.
    const d1 = evaluate('dtlz1', [0.3, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(d1[0] + d1[1] + d1[2]).toBeCloseTo(0.5, 12);
    const d2 = evaluate('dtlz2', [0.3, 0.8, ...new Array<number>(10).fill(0.5)]);
    expect(d2[0] ** 2 + d2[1] ** 2 + d2[2] ** 2).toBeCloseTo(1, 12);
    // Away from the optimal distance variables the point is dominated-looking: larger g.
    const off = evaluate('dtlz2', [0.3, 0.8, ...new Array<number>(10).fill(0.9)]);
    expect(Math.hypot(...off)).toBeGreaterThan(1.5);
  });

  it('true front samples are mutually non-dominated (ZDT3 pieces included)', () => {
    for (const [front, m] of [[zdtFront('zdt1', 100), 2], [zdtFront('zdt3', 400), 2], [zdtFront('zdt6', 100), 2], [dtlzFront('dtlz1', 3, 100), 3], [dtlzFront('dtlz2', 3, 100), 3]] as const) {
      const n = front.length / m;
      const rank = new Int32Array(n);
      expect(nonDominatedRanks(front, m, null, n, rank)).toBe(1);
    }
  });

  it('the Das–Dennis lattice has C(H+M−1, M−1) points summing to 1', () => {
    const w = simplexLattice(3, 91); // H = 12 → 91 points
    expect(w.length / 3).toBe(91);
    for (let i = 0; i < 91; i++) expect(w[3 * i] + w[3 * i + 1] + w[3 * i + 2]).toBeCloseTo(1, 12);
  });

  it('rejects unknown names and bad sizes with clear errors', () => {
    expect(() => createBenchmarkProblem('zdt5' as never)).toThrow(/unknown benchmark problem "zdt5"/);
    expect(() => createBenchmarkProblem('zdt1', { nVar: 1 })).toThrow(/nVar must be an integer ≥ 2/);
    expect(() => createBenchmarkProblem('dtlz2', { nObj: 3, nVar: 2 })).toThrow(/nVar must be an integer ≥ nObj=3/);
  });
});
