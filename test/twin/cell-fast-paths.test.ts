/**
 * The `twin cell` daily loop's fast paths against the plain arithmetic they stand in for:
 * the carried power-law step (states/state-equations.ts `advancePowerStates`) against one
 * `powerStateIncrement` per state and day, and the NMC outputs' LAM shortcut against the full
 * sigmoid.
 */
import { describe, expect, it } from 'vitest';
import { nmcKokam75Ah, NMC_KOKAM } from '../../src/twin/models/nmc-kokam-75ah.js';
import { advancePowerStates, POWER_CARRY, powerStateIncrement } from '../../src/twin/states/state-equations.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('carried power-law step', () => {
  it('stays within 1e-10 of the exact explicit step over 25 years of days, for every exponent of the models', () => {
    const exponents = Float64Array.of(0.357, 0.464, 0.512, 0.699, 0.712, 0.778, 1.08, 1.25);
    const n = exponents.length;
    const at = Int32Array.from({ length: n }, (_, i) => i);
    const carried = new Float64Array(n);
    const exact = new Float64Array(n);
    const carry = new Float64Array(n * POWER_CARRY);
    const dx = new Float64Array(n);
    const k = new Float64Array(n);
    const rnd = lcg(7);
    let worst = 0;
    for (let day = 0; day < 9131; day++) {
      for (let i = 0; i < n; i++) {
        // Rates that drift slowly, with a jump now and then (a new rate node or interval), and
        // days without throughput for the cycling-like states.
        k[i] = 1e-4 * (1 + 0.3 * Math.sin(day / 400 + i)) * (day % 997 === 0 ? 1.5 : 1);
        dx[i] = i % 2 === 1 && rnd() < 0.1 ? 0 : 0.5 + rnd();
        exact[i]! += powerStateIncrement(exact[i]!, dx[i]!, k[i]!, exponents[i]!);
      }
      advancePowerStates(carried, at, dx, k, exponents, carry);
      for (let i = 0; i < n; i++) {
        if (exact[i] === 0) expect(carried[i]).toBe(0);
        else worst = Math.max(worst, Math.abs(carried[i]! - exact[i]!) / exact[i]!);
      }
    }
    expect(worst).toBeLessThan(1e-10);
    expect(worst).toBeGreaterThan(0); // the series is used
  });

  it('takes the exact step, bit for bit, from zero and on the first days', () => {
    const at = Int32Array.of(0);
    const p = Float64Array.of(0.512);
    const st = new Float64Array(1);
    const c = new Float64Array(POWER_CARRY);
    let ref = 0;
    for (let day = 0; day < 20; day++) {
      const dx = Float64Array.of(1);
      const k = Float64Array.of(2e-3);
      ref += powerStateIncrement(ref, 1, 2e-3, 0.512);
      advancePowerStates(st, at, dx, k, p, c);
      // Day-to-day ratios above 2^-6 for the first weeks: every step exact.
      expect(Object.is(st[0], ref)).toBe(true);
    }
  });
});

describe('NMC outputs', () => {
  it('equal the full LAM sigmoid expression bit for bit, the shortcut taken or not', () => {
    const N = NMC_KOKAM;
    const rnd = lcg(11);
    const st = new Float64Array(5);
    const out = new Float64Array(2);
    for (let trial = 0; trial < 20000; trial++) {
      st[0] = 0.3 * rnd();
      st[1] = 0.3 * rnd();
      st[2] = trial % 3 === 0 ? 0 : 1.2 * rnd() ** 2; // LAM clock: zero, small, past the knee
      st[3] = 0.5 * rnd();
      st[4] = 0.5 * rnd();
      nmcKokam75Ah.outputs(st, out);
      const w = st[2]!;
      const lam = w > 0 ? 2 * (0.5 - 1 / (1 + Math.exp(w ** N.pLam))) : 0;
      const qLam = N.lamMargin - lam;
      expect(Object.is(out[0], Math.min(1 - st[0]! - st[1]!, qLam))).toBe(true);
      expect(Object.is(out[1], Math.max(1 + st[3]! + st[4]!, N.r5 + N.r6 / qLam))).toBe(true);
    }
  });
});
