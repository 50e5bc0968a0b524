import { describe, it, expect } from 'vitest';
import { constrainedDominates, dominates, totalViolation } from '../../src/solver/constraints.js';

// Rows: 0 feasible good, 1 feasible worse in both, 2 infeasible (cv 0.5) but better objectives, 3 infeasible cv 2.
const f = Float64Array.from([1, 1, 2, 2, 0, 0, -5, -5]);
const cv = Float64Array.from([0, 0, 0.5, 2]);

describe("Deb's constrained domination", () => {
  it('rule 1: a feasible solution dominates an infeasible one whatever the objectives', () => {
    expect(constrainedDominates(f, cv, 2, 1, 2)).toBe(true);
    expect(constrainedDominates(f, cv, 2, 2, 1)).toBe(false);
    expect(constrainedDominates(f, cv, 2, 1, 3)).toBe(true);
  });
  it('rule 2: between infeasible solutions the smaller total violation wins', () => {
    expect(constrainedDominates(f, cv, 2, 2, 3)).toBe(true);
    expect(constrainedDominates(f, cv, 2, 3, 2)).toBe(false);
    const equal = Float64Array.from([0, 0, 0.5, 0.5]);
    expect(constrainedDominates(f, equal, 2, 2, 3)).toBe(false);
    expect(constrainedDominates(f, equal, 2, 3, 2)).toBe(false);
  });
  it('rule 3: between feasible solutions Pareto dominance decides', () => {
    expect(constrainedDominates(f, cv, 2, 0, 1)).toBe(true);
    expect(constrainedDominates(f, cv, 2, 1, 0)).toBe(false);
    expect(constrainedDominates(f, cv, 2, 0, 0)).toBe(false);
  });
  it('Pareto dominance needs one strictly better objective', () => {
    const g = Float64Array.from([1, 2, 1, 2, 1, 3, 0, 5]);
    expect(dominates(g, 2, 0, 1)).toBe(false);
    expect(dominates(g, 2, 0, 2)).toBe(true);
    expect(dominates(g, 2, 0, 3)).toBe(false);
    expect(dominates(g, 2, 3, 0)).toBe(false);
  });
  it('total violation adds the positive parts only', () => {
    const g = Float64Array.from([-1, 0.5, 2, 0, -3, -4]);
    const out = new Float64Array(3);
    totalViolation(g, 2, 3, out);
    expect(Array.from(out)).toEqual([0.5, 2, 0]);
  });
});
