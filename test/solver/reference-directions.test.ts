import { describe, it, expect } from 'vitest';
import {
  binomialCoefficient,
  dasDennis,
  dasDennisCount,
  defaultReferenceDirections,
  defaultDasDennis,
  DEFAULT_ENERGY_MAX_COUNT,
  resolveReferenceDirections,
  twoLayerReferenceDirections,
} from '../../src/solver/reference-directions.js';
import { rieszEnergyDirections } from '../../src/solver/riesz-energy-directions.js';

const rowsOf = (d: Float64Array, m: number) => Array.from({ length: d.length / m }, (_, i) => Array.from(d.subarray(i * m, (i + 1) * m)));

describe('Das–Dennis reference directions', () => {
  it('count C(H+M−1, M−1), every row on the simplex with coordinates k/H, all distinct', () => {
    for (const [m, h] of [[2, 1], [2, 99], [3, 1], [3, 12], [4, 6], [5, 6], [8, 3], [10, 3], [15, 2]]) {
      const d = dasDennis(m, h);
      const expected = binomialCoefficient(h + m - 1, m - 1);
      expect(d.length / m).toBe(expected);
      expect(dasDennisCount(m, h)).toBe(expected);
      const keys = new Set<string>();
      for (const row of rowsOf(d, m)) {
        const sum = row.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
        for (const v of row) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(Math.abs(v * h - Math.round(v * h))).toBeLessThan(1e-9);
        }
        keys.add(row.map((v) => Math.round(v * h)).join(','));
      }
      expect(keys.size).toBe(expected);
    }
    // Deb & Jain 2014, Table I: 91 directions for M = 3, H = 12; 210 for M = 5, H = 6.
    expect(dasDennisCount(3, 12)).toBe(91);
    expect(dasDennisCount(5, 6)).toBe(210);
    // Small cases written out: M = 3, H = 2.
    expect(rowsOf(dasDennis(3, 2), 3)).toEqual([[0, 0, 1], [0, 0.5, 0.5], [0, 1, 0], [0.5, 0, 0.5], [0.5, 0.5, 0], [1, 0, 0]]);
  });

  it('two layers (Deb & Jain 2014, Table I: M = 8, H₁ = 3, H₂ = 2 → 156): the inside layer is shrunk towards the centroid', () => {
    const d = twoLayerReferenceDirections(8, 3, 2);
    expect(d.length / 8).toBe(120 + 36);
    const inner = rowsOf(d, 8).slice(120);
    for (const row of inner) {
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      // τ = 1/2: every coordinate of the inside layer is at least (1 − τ)/M = 1/16 — no boundary point.
      for (const v of row) expect(v).toBeGreaterThanOrEqual(1 / 16 - 1e-15);
    }
    expect(() => twoLayerReferenceDirections(8, 3, 2, 1)).toThrow(/innerScale must be in \(0, 1\)/);
  });

  it('defaults fit the population; explicit directions are checked and normalised onto the simplex', () => {
    expect(defaultDasDennis(3, 100).directions.length / 3).toBe(91);
    expect(defaultDasDennis(2, 100).directions.length / 2).toBe(100);
    expect(defaultDasDennis(4, 100).description).toBe('Das–Dennis H=6');
    expect(defaultDasDennis(5, 100).description).toBe('two layers H₁=3, H₂=2');
    expect(defaultDasDennis(8, 100).directions.length / 8).toBe(36 + 8);
    for (const [m, n] of [[3, 92], [5, 212], [10, 276]]) expect(defaultDasDennis(m, n).directions.length / m).toBeLessThanOrEqual(n);
    // The run default: Das–Dennis for two objectives, N energy directions (seed 1) for three or more
    // up to DEFAULT_ENERGY_MAX_COUNT, Das–Dennis above.
    expect(defaultReferenceDirections(2, 100).description).toBe('Das–Dennis H=99');
    expect(Array.from(defaultReferenceDirections(3, 100).directions)).toEqual(Array.from(rieszEnergyDirections(3, 100, 1)));
    expect(defaultReferenceDirections(5, 40).directions.length / 5).toBe(40);
    expect(defaultReferenceDirections(3, DEFAULT_ENERGY_MAX_COUNT + 1).description).toBe(defaultDasDennis(3, DEFAULT_ENERGY_MAX_COUNT + 1).description);
    expect(resolveReferenceDirections(4, 3, 100).directions.length / 3).toBe(15);
    expect(Array.from(resolveReferenceDirections(Float64Array.of(2, 2, 0, 0, 0, 5), 3, 10).directions)).toEqual([0.5, 0.5, 0, 0, 0, 1]);
    expect(() => resolveReferenceDirections(Float64Array.of(1, 2), 3, 10)).toThrow(/not a whole number of 3-objective directions/);
    expect(() => resolveReferenceDirections(Float64Array.of(1, -1, 0), 3, 10)).toThrow(/direction 0 coordinate 1 is -1/);
    expect(() => resolveReferenceDirections(Float64Array.of(0, 0, 0), 3, 10)).toThrow(/direction 0 is all zeros/);
    expect(() => resolveReferenceDirections(0, 3, 10)).toThrow(/partition count must be an integer ≥ 1, got 0/);
    expect(() => dasDennis(10, 40)).toThrow(/more than 100000/);
  });
});
