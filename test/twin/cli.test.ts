/** `relife twin simulate|predict` end to end through files. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/twin.js';
import { formatModulesCsv } from '../../src/formats/modules-csv.js';
import { fitLine } from '../../src/twin/calibration/evaluate.js';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { moduleFixture } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'relife-twin-'));

describe('relife twin simulate', () => {
  it('writes one entry per module × application × envelope with the summary fields', async () => {
    const fleet = [moduleFixture({ serial: 'A1' }), moduleFixture({ serial: 'A2', chemistry: 'LFP', sohPercent: 66 })];
    writeFileSync(join(dir, 'fleet.csv'), formatModulesCsv(fleet));
    expect(await run(['simulate', '--fleet', join(dir, 'fleet.csv'), '--out', join(dir, 'twin.json')])).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'twin.json'), 'utf8'));
    const envelopes = DEFAULT_APPLICATIONS.reduce((n, a) => n + a.envelopes.length, 0);
    expect(out.entries).toHaveLength(2 * envelopes);
    const e = out.entries.find((x: any) => x.serial === 'A2');
    for (const k of ['rulYears', 'fadePctPerYear', 'lifetimeEnergyMwh', 'peakTemperatureC', 'roundTripEfficiency', 'usableEnergyKwh', 'feasible', 'violations']) {
      expect(e).toHaveProperty(k);
    }
    for (const x of out.entries) expect(x.feasible).toBe(x.violations.length === 0);
  });
});

describe('relife twin predict', () => {
  const rows = readFileSync(new URL('../fixtures/hnei-cells-subset.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const cell0 = rows.filter((r) => r[0] === '0');
  const args = (history: string, out: string) => [
    'predict', '--history', history, '--chemistry', 'NMC', '--nominal-ah', '2.8', '--temperature-c', '25', '--dod', '1', '--c-rate', '1.5',
    '--calibrate-fraction', '0.3', '--bootstrap', '40', '--out', out,
  ];

  it('writes P10/P50/P90 in Ah for every history cycle, ordered P10 ≤ P50 ≤ P90', async () => {
    writeFileSync(join(dir, 'cell.csv'), 'cycle,capacity_ah\n' + cell0.map((r) => `${r[1]},${(Number(r[2]) * 2.8).toFixed(5)}`).join('\n'));
    expect(await run(args(join(dir, 'cell.csv'), join(dir, 'pred.json')))).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'pred.json'), 'utf8'));
    expect(p.cycles.slice(0, cell0.length)).toEqual(cell0.map((r) => Number(r[1])));
    expect(p.p50CapacityAh).toHaveLength(p.cycles.length);
    p.cycles.forEach((_: number, i: number) => {
      expect(p.p10CapacityAh[i]).toBeLessThanOrEqual(p.p50CapacityAh[i] + 1e-12);
      expect(p.p50CapacityAh[i]).toBeLessThanOrEqual(p.p90CapacityAh[i] + 1e-12);
    });
    // Ends at end of life (50 % of 2.8 Ah) or beyond the last check.
    expect(p.p50CapacityAh[p.p50CapacityAh.length - 1]).toBeLessThanOrEqual(1.4 + 0.05);
    // Default: the line through every calibrated check (30 % of the rows: all in the first life), and why.
    expect(p.calibration.form).toBe('line');
    expect(p.calibration.selection).toMatchObject({ mode: 'line', fittedFrom: 'every-check', secondLifeFromCycle: null, rateSdFraction: 0.2 });
    expect(p.calibration.selection.reason).toMatch(/line through every check/);
    expect(p.calibration.parameters).toHaveLength(2);
    const nCal = p.calibration.rows;
    const cal = cell0.slice(0, nCal).map((r) => ({ cycle: Number(r[1]), relativeCapacity: Number((Number(r[2]) * 2.8).toFixed(5)) / 2.8 }));
    const { intercept, slope } = fitLine(cal);
    expect(p.p50CapacityAh[0] / 2.8).toBeCloseTo(intercept + slope * cal[0]!.cycle, 9);
  });

  it('--select combined gives the knee combination: its 13 members and equal weights in the output', async () => {
    expect(await run([...args(join(dir, 'cell.csv'), join(dir, 'pred-comb.json')), '--select', 'combined'])).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'pred-comb.json'), 'utf8'));
    expect(p.calibration.selection.mode).toBe('combined');
    expect(p.calibration.parameters).toBeNull();
    expect(p.calibration.selection.members.map((m: any) => m.kind)).toEqual([...Array(12).fill('knee'), 'line']);
    for (const m of p.calibration.selection.members) expect(m.weight).toBeCloseTo(1 / 13, 12);
    expect(p.calibration.selection.members[12].parameters).toHaveLength(2);
  }, 300_000);

  it('--calibrate-fraction past retirement: the second life starts at the first calibrated check below 80 %, and the rule says which line it kept', async () => {
    const k = cell0.findIndex((r) => Number(r[2]) < 0.8);
    const secondLife = cell0.slice(k).filter((r) => Number(r[2]) >= 0.5);
    const rowsKnown = k + Math.round(0.25 * secondLife.length);
    const fraction = ((rowsKnown + 0.5) / cell0.length).toFixed(4);
    const a = args(join(dir, 'cell.csv'), join(dir, 'pred-recal.json'));
    a[a.indexOf('--calibrate-fraction') + 1] = fraction;
    expect(await run(a)).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'pred-recal.json'), 'utf8'));
    expect(p.calibration.rows).toBe(rowsKnown);
    expect(p.calibration.selection).toMatchObject({ mode: 'line', fittedFrom: 'every-check', secondLifeFromCycle: Number(cell0[k]![1]), secondLifeChecks: rowsKnown - k });
    expect(Math.abs(p.calibration.selection.departureMeanZ)).toBeLessThan(2);
    expect(p.calibration.selection.reason).toMatch(/stay within the first life's forecast band/);
    // The same history with the second life declared at its true start gives the same choice; both flags at once is refused.
    expect(await run([...a, '--second-life-from-cycle', cell0[k]![1]!])).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'pred-recal.json'), 'utf8')).calibration.selection.secondLifeFromCycle).toBe(Number(cell0[k]![1]));
    await expect(run([...a, '--second-life-from-cycle', '400', '--retire-fraction', '0.8'])).rejects.toThrow(/not both/);
    await expect(run([...a, '--select', 'fixed', '--second-life-from-cycle', '400'])).rejects.toThrow(/apply to --select line/);
  });

  it('--select fixed gives the knee form at one setting; anything else is rejected', async () => {
    const a = args(join(dir, 'cell.csv'), join(dir, 'pred-fixed.json'));
    expect(await run([...a, '--select', 'fixed'])).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'pred-fixed.json'), 'utf8'));
    expect(p.calibration.selection).toEqual({ mode: 'fixed', forgettingSpanFraction: 0.5, tauMaxCycles: 50, fallback: false, reason: 'knee form at its fixed settings' });
    expect(p.calibration.parameters).toHaveLength(5);
    await expect(run([...a, '--select', 'best'])).rejects.toThrow(/--select must be line, combined, in-history, fixed; got "best"/);
  });

  it('rejects a history whose cycle index goes backwards, naming the row', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'cycle,capacity_ah\n10,2.8\n20,2.7\n15,2.6\n30,2.5\n');
    await expect(run([...args(join(dir, 'bad.csv'), join(dir, 'x.json')).slice(0, -6), '--calibrate-fraction', '1', '--out', join(dir, 'x.json')])).rejects.toThrow(
      /row 3: cycle index 15 is not after the previous 20/,
    );
  });

  it('rejects an unknown chemistry and a negative capacity', async () => {
    writeFileSync(join(dir, 'neg.csv'), 'cycle,capacity_ah\n10,2.8\n20,-2.7\n30,2.6\n');
    const a = args(join(dir, 'neg.csv'), join(dir, 'y.json'));
    await expect(run(a)).rejects.toThrow(/row 3: negative capacity_ah -2.7/);
    a[4] = 'NiCd';
    await expect(run(a)).rejects.toThrow(/unknown chemistry "NiCd"/);
  });
});
