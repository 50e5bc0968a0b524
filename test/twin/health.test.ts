/** Health score: bounded, documented formula, ordered by each ingredient. */
import { describe, expect, it } from 'vitest';
import { healthBreakdown, healthScore, HEALTH_WEIGHTS } from '../../src/twin/health.js';
import { moduleFixture } from './fixtures.js';

describe('health score', () => {
  it('is the weighted sum of its parts, within 0–100', () => {
    const h = healthBreakdown(moduleFixture());
    const w = HEALTH_WEIGHTS;
    expect(h.score).toBeCloseTo(100 * (w.soh * h.soh + w.resistance * h.resistance + w.thermal * h.thermal + w.efficiency * h.efficiency + w.trend * h.trend), 12);
    expect(h.score).toBeGreaterThan(0);
    expect(h.score).toBeLessThan(100);
    expect(h.soh).toBeCloseTo((72 - 50) / 50, 12);
  });
  it('falls with lower SOH, higher resistance, hotter first life and faster first-life fade', () => {
    const base = healthScore(moduleFixture());
    expect(healthScore(moduleFixture({ sohPercent: 60 }))).toBeLessThan(base);
    expect(healthScore(moduleFixture({ internalResistanceMilliohm: 9 }))).toBeLessThan(base);
    expect(healthScore(moduleFixture({ temperatureMaxC: 48 }))).toBeLessThan(base);
    expect(healthScore(moduleFixture({ ageYears: 3 }))).toBeLessThan(base);
  });
  it('a fresh, cool, low-resistance module scores above 90', () => {
    expect(healthScore(moduleFixture({ sohPercent: 98, internalResistanceMilliohm: 0.8, temperatureMaxC: 30, ageYears: 2, cycleCount: 200 }))).toBeGreaterThan(90);
  });
});
