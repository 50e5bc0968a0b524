/** The module CSV format, pure: property-based round trip and the parser's edge cases. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModulesCsv } from '../../src/planning/modules-csv.js';
import { formatModulesCsv } from '../../src/formats/modules-csv.js';
import { CHEMISTRIES, type ModuleState } from '../../src/twin/types.js';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

const text = fc
  .string({ minLength: 1, maxLength: 30, unit: fc.constantFrom('A', 'b', '7', ',', '"', ' ', '-', 'é', '電', ';', "'", '=') })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

const moduleArb: fc.Arbitrary<ModuleState> = fc
  .record({
    serial: text,
    chemistry: fc.constantFrom(...CHEMISTRIES),
    nominalCapacityAh: finite(0.001, 2000),
    nominalVoltageV: finite(0.001, 1000),
    sohPercent: finite(1e-6, 100),
    internalResistanceMilliohm: finite(1e-6, 100_000),
    t1: finite(-60, 90),
    t2: finite(-60, 90),
    cycleCount: fc.integer({ min: 0, max: 100_000 }),
    manufacturer: fc.option(text, { nil: null }),
    ageYears: fc.option(finite(0, 100), { nil: null }),
  })
  .map(({ t1, t2, ...m }) => ({ ...m, temperatureMinC: Math.min(t1, t2), temperatureMaxC: Math.max(t1, t2) }));

describe('module CSV format', () => {
  it('round-trips any valid fleet exactly (quoting, commas, quotes, unicode, every double)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(moduleArb, { selector: (m) => m.serial, minLength: 1, maxLength: 25 }), (fleet) => {
        // Unit suspicion is a separate check (test/validation): here every double must come back.
        const parsed = parseModulesCsv(formatModulesCsv(fleet), { allowSuspectUnits: true });
        expect(parsed).toEqual({ ok: true, delimiter: ',', modules: fleet });
      }),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('numbers rows as a spreadsheet does: header 1, a quoted line break does not shift later rows', () => {
    const csv = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count,manufacturer\n' +
      'A,NMC,50,59.2,70,50,20,30,1000,"two\nlines"\n' +
      'B,NMC,50,59.2,170,50,20,30,1000,\n';
    const r = parseModulesCsv(csv);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { row: 2, column: 'manufacturer', message: expect.stringContaining('control characters') },
      { row: 4, column: 'soh_percent', value: '170', message: expect.stringContaining('170') },
    ]);
  });

  it('accepts exponents and signs but not hex, spaces inside numbers, or trailing junk', () => {
    const base = (soh: string) => `serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count\nA,NMC,50,59.2,${soh},50,-5,30,1000\n`;
    expect(parseModulesCsv(base('7.5e1'))).toMatchObject({ ok: true, modules: [{ sohPercent: 75, temperatureMinC: -5 }] });
    expect(parseModulesCsv(base(' 75 '))).toMatchObject({ ok: true });
    for (const bad of ['0x4b', '7 5', '75%', '+', '.', '1e', 'Infinity']) {
      expect(parseModulesCsv(base(bad)), bad).toMatchObject({ ok: false, problems: [{ row: 2, column: 'soh_percent' }] });
    }
  });

  it('treats existing serials as duplicates and compares them after trimming', () => {
    const csv = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count\n  S1 ,NMC,50,59.2,70,50,20,30,1000\n';
    expect(parseModulesCsv(csv, new Set(['S1']))).toMatchObject({ ok: false, problems: [{ row: 2, column: 'serial' }] });
    expect(parseModulesCsv(csv)).toMatchObject({ ok: true, modules: [{ serial: 'S1' }] });
  });
});
