/**
 * The kernel's shortcuts against the direct computation they stand for: the LFP calendar update's
 * slope (`lfpCalendarStep` against `lfpCalendarAfter` + `lfpCalendarSlope`) and the profile
 * samples' cache (`socSamplesFor` against the transform it caches). Random inputs, seeded.
 */
import { describe, expect, it } from 'vitest';
import { LFP_SONY_MURATA as L } from '../../src/twin/chemistry.js';
import { lfpCalendarAfter, lfpCalendarSlope, lfpCalendarStep } from '../../src/twin/fade.js';
import { socSamplesFor } from '../../src/twin/stressors/soc-profile.js';
import type { DailySocProfile } from '../../src/twin/types.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('lfpCalendarStep', () => {
  it('gives lfpCalendarAfter bit for bit and its slope within the stated bounds, fresh cells and saturated ones included', () => {
    const rnd = lcg(20261202);
    const out = new Float64Array(2);
    let worstSmall = 0; // ε ≤ 1/16 or ε > 1/8 (exact power): rounding only
    let worstSeries = 0; // 1/16 < ε ≤ 1/8: the series' truncation
    let seen = 0;
    for (let n = 0; n < 20000; n++) {
      const yInf = 0.02 + 0.3 * rnd();
      const p = 0.3 + 1.2 * rnd();
      const dt = 91.3125 * (0.5 + rnd());
      const y0 = n % 97 === 0 ? 0 : n % 89 === 0 ? yInf * (1 + rnd()) : yInf * rnd() ** 2;
      lfpCalendarStep(y0, yInf, p, dt, out, 0);
      const y1 = lfpCalendarAfter(y0, yInf, p, dt);
      expect(Object.is(out[0], y1)).toBe(true);
      const ref = lfpCalendarSlope(y1, yInf, p);
      if (ref === 0) {
        expect(out[1]).toBe(0);
        continue;
      }
      const rel = Math.abs(out[1]! / ref - 1);
      const z0 = y0 > 0 && y0 < yInf ? Math.log((yInf + y0) / (yInf - y0)) : 0;
      const e = z0 > 0 ? L.q2 * dt * Math.exp(-Math.log(z0) / p) : 0;
      if (e > 1 / 16 && e <= 1 / 8) worstSeries = Math.max(worstSeries, rel);
      else worstSmall = Math.max(worstSmall, rel);
      seen++;
    }
    expect(seen).toBeGreaterThan(19000);
    expect(worstSmall).toBeLessThan(2e-12);
    expect(worstSeries).toBeLessThan(5e-10);
    // Positive and zero where the sigmoid is flat.
    lfpCalendarStep(0.05, 0.1, 0.6, 91, out, 0);
    expect(out[1]).toBeGreaterThan(0);
    lfpCalendarStep(0.2, 0.1, 0.6, 91, out, 0);
    expect([out[0], out[1]]).toEqual([0.2, 0]);
  });
});

describe('socSamplesFor cache', () => {
  const profile: DailySocProfile = {
    points: [{ hour: 0, socPercent: 20 }, { hour: 4, socPercent: 80 }, { hour: 13, socPercent: 80 }, { hour: 21, socPercent: 20 }, { hour: 24, socPercent: 20 }],
  };
  it('returns the transform of the base samples for every (top, swing, floor), the same object for the same numbers', () => {
    const base = socSamplesFor(profile, 0.8, 1, 0);
    const rnd = lcg(7);
    const seen: { args: [number, number, number]; s: ReturnType<typeof socSamplesFor> }[] = [];
    for (let n = 0; n < 40; n++) {
      const top = 0.5 + 0.5 * rnd();
      const scale = rnd();
      const floor = 0.3 * rnd();
      const s = socSamplesFor(profile, top, scale, floor);
      for (let i = 0; i < s.soc.length; i++) {
        const v = top - (0.8 - base.soc[i]!) * scale;
        expect(s.soc[i]).toBe(v < floor ? floor : v > top ? top : v);
      }
      const a = top - (0.8 - 0.2) * scale;
      expect(s.anchor).toBe(a < floor ? floor : a > top ? top : a);
      seen.push({ args: [top, scale, floor], s });
    }
    for (const { args, s } of seen) expect(socSamplesFor(profile, ...args)).toBe(s);
    expect(new Set(seen.map((x) => x.s.key)).size).toBe(seen.length);
    // -0 and 0 are one transform (their text was one key); NaN is cached like any number.
    expect(socSamplesFor(profile, 0.8, 1, -0)).toBe(base);
    const nan = socSamplesFor(profile, 0.8, Number.NaN, 0);
    expect(socSamplesFor(profile, 0.8, Number.NaN, 0)).toBe(nan);
  });
});
