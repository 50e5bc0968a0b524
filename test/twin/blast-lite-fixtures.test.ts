/**
 * Every implemented cell model against NREL BLAST-Lite's own trajectories (fixtures/blast-lite-
 * reference.json, written by tools/blast-lite-reference.py): within 1 % relative capacity at every
 * fixture point, on exactly the profiles BLAST-Lite ran.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateCellLife } from '../../src/twin/cell-life.js';
import { CELL_MODELS } from '../../src/twin/models/index.js';
import type { SocProfile } from '../../src/twin/stressors/day-profile.js';

interface Case {
  model: string;
  profile: { name: string };
  days: number[];
  relativeCapacity: number[];
  relativeResistance?: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/blast-lite-reference.json', import.meta.url), 'utf8')) as {
  commit: string;
  licence: string;
  years: number;
  cases: Case[];
  profiles: Record<string, { time_s: number[]; soc: number[]; temperature_c: number[] }>;
};
const models = Object.fromEntries(Object.values(CELL_MODELS).map((m) => [m.id, m]));

function profileOf(name: string): SocProfile {
  const p = fixture.profiles[name]!;
  return { timeS: Float64Array.from(p.time_s), soc: Float64Array.from(p.soc), temperatureC: Float64Array.from(p.temperature_c) };
}

function at(days: number[], ys: number[], d: number): number {
  const j = days.findIndex((x) => x >= d - 1e-9);
  if (j < 0) return Number.NaN;
  if (j === 0 || days[j] === d) return ys[j]!;
  const f = (d - days[j - 1]!) / (days[j]! - days[j - 1]!);
  return ys[j - 1]! + f * (ys[j]! - ys[j - 1]!);
}

describe('BLAST-Lite reference fixtures', () => {
  it('come from the published source, with its commit and licence', () => {
    expect(fixture.commit).toMatch(/^bae8c71/);
    expect(fixture.licence).toMatch(/BSD 3-Clause/);
    expect(new Set(fixture.cases.map((c) => c.model))).toEqual(new Set(Object.keys(models)));
    expect(Object.keys(fixture.profiles).length).toBeGreaterThanOrEqual(20);
  });

  for (const id of Object.keys(models)) {
    it(`${id}: within 1 % relative capacity of BLAST-Lite at every fixture point`, () => {
      const cases = fixture.cases.filter((c) => c.model === id);
      expect(cases.length).toBeGreaterThanOrEqual(20);
      let worst = 0;
      let points = 0;
      for (const c of cases) {
        const life = simulateCellLife(models[id]!, profileOf(c.profile.name), { years: fixture.years });
        for (let i = 0; i < c.days.length; i++) {
          const ref = c.relativeCapacity[i]!;
          const d = c.days[i]!;
          if (!(ref > 0)) {
            // BLAST-Lite runs on below zero; the twin ends the trajectory when the cell is empty.
            expect(life.days[life.days.length - 1]!).toBeLessThanOrEqual(d);
            continue;
          }
          if (d > life.days[life.days.length - 1]! + 1e-9) continue; // past the twin's last day (10 y × 365.25 vs BLAST's first day past 3650)
          const q = at(life.days, life.relativeCapacity, d);
          const err = Math.abs(q - ref) / ref;
          worst = Math.max(worst, err);
          points++;
          expect(err, `${c.profile.name} day ${d}: twin ${q}, BLAST-Lite ${ref}`).toBeLessThanOrEqual(0.01);
          if (c.relativeResistance && models[id]!.resistance === 'fitted') {
            const r = at(life.days, life.relativeResistance, d);
            expect(Math.abs(r - c.relativeResistance[i]!) / c.relativeResistance[i]!).toBeLessThanOrEqual(0.01);
          }
        }
      }
      expect(points).toBeGreaterThan(20 * 100);
      expect(worst).toBeLessThanOrEqual(0.01);
    });
  }

  it('the fixture grid spans what changes the answer: fade differs by more than 1 % across it', () => {
    for (const id of Object.keys(models)) {
      const finals = fixture.cases.filter((c) => c.model === id).map((c) => c.relativeCapacity[c.relativeCapacity.length - 1]!);
      expect(Math.max(...finals) - Math.min(...finals)).toBeGreaterThan(0.05);
    }
  });
});
