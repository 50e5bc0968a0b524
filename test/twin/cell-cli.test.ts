/** `relife twin cell` end to end through files: output shape, monthly points, and clear errors for bad profiles. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/twin.js';

const dir = mkdtempSync(join(tmpdir(), 'relife-twin-cell-'));

/** A day: C/2 charge 02:24–04:00 (hours as decimals), rest at 95 % until 14:00, C/2 discharge, rest. */
function dayCsv(dod = 0.8, tC = 30): string {
  const rows = ['time_s,soc,temperature_c'];
  for (let k = 0; k <= 96; k++) {
    const h = k / 4;
    const top = 0.95;
    const ramp = dod / 0.5;
    const soc = h <= 7 - ramp ? top - dod : h <= 7 ? top - dod + (h - (7 - ramp)) * 0.5 : h <= 17 ? top : h <= 17 + ramp ? top - (h - 17) * 0.5 : top - dod;
    rows.push(`${k * 900},${soc.toFixed(6)},${tC}`);
  }
  return rows.join('\n') + '\n';
}

let errors: string[];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('relife twin cell', () => {
  for (const chemistry of ['NMC', 'LFP', 'NCA', 'LMO']) {
    it(`${chemistry}: writes model, days and relative capacity and resistance at least monthly, fading`, async () => {
      writeFileSync(join(dir, 'day.csv'), dayCsv());
      const out = join(dir, `${chemistry}.json`);
      expect(await run(['cell', '--chemistry', chemistry, '--profile', join(dir, 'day.csv'), '--years', '10', '--out', out])).toBe(0);
      const o = JSON.parse(readFileSync(out, 'utf8'));
      expect(typeof o.model).toBe('string');
      expect(o.days[0]).toBe(0);
      expect(o.days[o.days.length - 1]).toBeGreaterThanOrEqual(3652.5);
      expect(o.days[o.days.length - 1]).toBeLessThanOrEqual(3653.5);
      for (let i = 1; i < o.days.length; i++) expect(o.days[i] - o.days[i - 1]).toBeLessThanOrEqual(31);
      expect(o.relativeCapacity).toHaveLength(o.days.length);
      expect(o.relativeResistance).toHaveLength(o.days.length);
      for (let i = 1; i < o.days.length; i++) {
        expect(o.relativeCapacity[i]).toBeLessThanOrEqual(o.relativeCapacity[i - 1]);
        expect(o.relativeResistance[i]).toBeGreaterThanOrEqual(o.relativeResistance[i - 1]);
      }
      expect(o.relativeCapacity[o.relativeCapacity.length - 1]).toBeLessThan(0.97);
      expect(o.conserveThroughput).toBe(true);
      if (chemistry === 'LMO') expect(o.capacityBasis).toMatch(/second life/);
      if (chemistry === 'NCA' || chemistry === 'LMO') expect(o.warnings.join(' ')).toMatch(/proxy/);
    });
  }

  it('the profile matters: a deeper day at a higher temperature fades more (NMC)', async () => {
    writeFileSync(join(dir, 'mild.csv'), dayCsv(0.3, 20));
    writeFileSync(join(dir, 'hard.csv'), dayCsv(0.8, 40));
    await run(['cell', '--chemistry', 'NMC', '--profile', join(dir, 'mild.csv'), '--years', '5', '--out', join(dir, 'mild.json')]);
    await run(['cell', '--chemistry', 'NMC', '--profile', join(dir, 'hard.csv'), '--years', '5', '--out', join(dir, 'hard.json')]);
    const q = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')).relativeCapacity.at(-1);
    expect(q('hard.json')).toBeLessThan(q('mild.json') - 0.02);
  });

  it('names the row of a SOC given in percent', async () => {
    writeFileSync(join(dir, 'pct.csv'), 'time_s,soc,temperature_c\n0,15,25\n3600,95,25\n86400,15,25\n');
    expect(await run(['cell', '--chemistry', 'NMC', '--profile', join(dir, 'pct.csv'), '--years', '1', '--out', join(dir, 'x.json')])).toBe(1);
    expect(errors.join('\n')).toMatch(/row 2: soc must be a fraction in \[0, 1\], got 15 \(percent\? divide by 100\)/);
  });

  it('names the row where time goes backwards, and a missing column', async () => {
    writeFileSync(join(dir, 'back.csv'), 'time_s,soc,temperature_c\n0,0.2,25\n7200,0.9,25\n3600,0.2,25\n');
    expect(await run(['cell', '--chemistry', 'LFP', '--profile', join(dir, 'back.csv'), '--years', '1', '--out', join(dir, 'x.json')])).toBe(1);
    expect(errors.join('\n')).toMatch(/row 4: time_s must increase strictly, got 3600 after 7200/);
    writeFileSync(join(dir, 'nocol.csv'), 'time_s,soc\n0,0.2\n86400,0.2\n');
    await expect(run(['cell', '--chemistry', 'LFP', '--profile', join(dir, 'nocol.csv'), '--years', '1', '--out', join(dir, 'x.json')])).rejects.toThrow(
      /missing column "temperature_c"/,
    );
  });

  it('rejects a non-number, an unknown chemistry and a one-point profile', async () => {
    writeFileSync(join(dir, 'nan.csv'), 'time_s,soc,temperature_c\n0,0.2,25\nnoon,0.9,25\n86400,0.2,25\n');
    expect(await run(['cell', '--chemistry', 'NCA', '--profile', join(dir, 'nan.csv'), '--years', '1', '--out', join(dir, 'x.json')])).toBe(1);
    expect(errors.join('\n')).toMatch(/row 3: time_s must be a finite number/);
    await expect(run(['cell', '--chemistry', 'LTO', '--profile', join(dir, 'nan.csv'), '--years', '1', '--out', join(dir, 'x.json')])).rejects.toThrow(/unknown chemistry "LTO"/);
    writeFileSync(join(dir, 'one.csv'), 'time_s,soc,temperature_c\n0,0.2,25\n');
    expect(await run(['cell', '--chemistry', 'NMC', '--profile', join(dir, 'one.csv'), '--years', '1', '--out', join(dir, 'x.json')])).toBe(1);
    expect(errors.join('\n')).toMatch(/at least two points/);
  });
});
