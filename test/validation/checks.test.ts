/** The validation layer, pure: unit suspicion, column suggestions, delimiters, applications, capacity fit. */
import { describe, expect, it } from 'vitest';
import { defaultApplications } from '../../src/demo/default-applications.js';
import { parseApplicationsJson } from '../../src/planning/applications-file.js';
import { fitCapacities } from '../../src/planning/capacity-fit.js';
import { detectDelimiter, nearestColumn, parseModulesCsv } from '../../src/planning/modules-csv.js';
import { generateSyntheticFleet, PAPER_MODULE_SPEC } from '../../src/demo/synthetic-fleet.js';
import { checkApplication, dutyHoursPerDay } from '../../src/validation/application.js';
import { resistanceFloorMilliohm, suspectUnits } from '../../src/validation/module.js';

const HEADER = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count';

describe('suspect units', () => {
  it('reads SOH ≤ 1.5 % as a fraction and names the percent it stands for', () => {
    const m = { chemistry: 'NMC' as const, nominalCapacityAh: 50, nominalVoltageV: 59.2, internalResistanceMilliohm: 40 };
    expect(suspectUnits({ ...m, sohPercent: 0.716 })).toEqual([expect.objectContaining({ field: 'sohPercent', message: expect.stringContaining('71.6 %') })]);
    expect(suspectUnits({ ...m, sohPercent: 1.5 })).toHaveLength(1);
    expect(suspectUnits({ ...m, sohPercent: 1.6 })).toEqual([]);
    expect(suspectUnits({ ...m, sohPercent: 55 })).toEqual([]);
  });

  it('puts the resistance floor between real modules and the same modules written in ohms', () => {
    // 59.2 V of 3.7 V NMC cells → 16 in series; 16 × 5 mΩ·Ah / 50 Ah = 1.6 mΩ.
    expect(resistanceFloorMilliohm(PAPER_MODULE_SPEC)).toBeCloseTo(1.6, 12);
    const fleet = generateSyntheticFleet({ size: 2000, seed: 3 });
    for (const m of fleet) {
      expect(suspectUnits(m), m.serial).toEqual([]);
      expect(suspectUnits({ ...m, internalResistanceMilliohm: m.internalResistanceMilliohm / 1000 }).map((s) => s.field), m.serial).toEqual(['internalResistanceMilliohm']);
    }
    // A Nissan Leaf module (2s2p, 7.4 V, 66 Ah, ≈ 1.9 mΩ fresh) is above its floor; in ohms it is below.
    const leaf = { chemistry: 'NMC' as const, nominalCapacityAh: 66, nominalVoltageV: 7.4, sohPercent: 70 };
    expect(suspectUnits({ ...leaf, internalResistanceMilliohm: 1.9 })).toEqual([]);
    expect(suspectUnits({ ...leaf, internalResistanceMilliohm: 0.0019 })[0]!.message).toMatch(/ohms instead of milliohms\? 0\.0019 Ω = 1\.9 mΩ/);
  });

  it('refuses suspect rows in a CSV unless allowed, and then imports them as written', () => {
    const csv = `${HEADER}\nA,NMC,50,59.2,0.716,40,20,30,1000\nB,NMC,50,59.2,71.6,0.030,20,30,1000\nC,NMC,50,59.2,71.6,30,20,30,1000\n`;
    const refused = parseModulesCsv(csv);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.problems).toEqual([
      { row: 2, column: 'soh_percent', value: '0.716', message: expect.stringMatching(/looks like a fraction: 0\.716 is 71\.6 %/) },
      { row: 3, column: 'internal_resistance_mohm', value: '0.030', message: expect.stringMatching(/below the 1\.6 mΩ.*ohms instead of milliohms\? 0\.03 Ω = 30 mΩ/) },
    ]);
    const allowed = parseModulesCsv(csv, { allowSuspectUnits: true });
    expect(allowed).toMatchObject({ ok: true, modules: [{ sohPercent: 0.716 }, { internalResistanceMilliohm: 0.03 }, { serial: 'C' }] });
  });
});

describe('CSV header and delimiter', () => {
  it('detects comma, semicolon and tab from the header', () => {
    for (const d of [',', ';', '\t'] as const) {
      const csv = `${HEADER.replaceAll(',', d)}\n${'X1,NMC,50,59.2,72,48,22,33,1300'.replaceAll(',', d)}\n`;
      expect(detectDelimiter(csv)).toBe(d);
      expect(parseModulesCsv(csv)).toMatchObject({ ok: true, delimiter: d, modules: [{ serial: 'X1', sohPercent: 72 }] });
    }
  });

  it('names the delimiter when the header does not split, and a decimal comma when it sees one', () => {
    const semicolon = `${HEADER.replaceAll(',', ';')}\nX1;NMC;50;59,2;72;48;22;33;1300\n`;
    const forced = parseModulesCsv(semicolon, { delimiter: ',' });
    expect(forced).toMatchObject({ ok: false, problems: [{ row: 1, message: expect.stringMatching(/one column when split by comma.*semicolon \(;\)/) }] });
    const detected = parseModulesCsv(semicolon);
    expect(detected).toMatchObject({ ok: false, delimiter: ';', problems: [{ row: 2, column: 'nominal_voltage_v', message: expect.stringContaining('decimal comma? write 59.2') }] });
    const pipe = parseModulesCsv(`${HEADER.replaceAll(',', '|')}\nX1|NMC\n`);
    expect(pipe).toMatchObject({ ok: false, problems: [{ row: 1, message: expect.stringContaining('separate the columns by comma, semicolon or tab') }] });
  });

  it('suggests the nearest expected column for an unknown one', () => {
    expect(nearestColumn('soh')).toBe('soh_percent');
    expect(nearestColumn('SOH %')).toBe('soh_percent');
    expect(nearestColumn('cycles')).toBe('cycle_count');
    expect(nearestColumn('internal_resistance_ohm')).toBe('internal_resistance_mohm');
    expect(nearestColumn('nominal_capacity')).toBe('nominal_capacity_ah');
    expect(nearestColumn('colour')).toBeNull();
    const r = parseModulesCsv(`${HEADER.replace('cycle_count', 'cycles').replace('soh_percent', 'soh')}\nX1,NMC,50,59.2,72,48,22,33,1300\n`);
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.problems).toContainEqual(expect.objectContaining({ row: 1, column: 'cycles', message: 'unknown column "cycles": did you mean cycle_count?' }));
    expect(r.problems).toContainEqual(expect.objectContaining({ row: 1, column: 'soh_percent', message: 'missing column soh_percent (is "soh" meant to be soh_percent?)' }));
  });
});

describe('one application validation', () => {
  it('accepts the four defaults and checks that a duty fits in a day', () => {
    for (const a of defaultApplications()) expect(checkApplication(a).problems, a.name).toEqual([]);
    const grid = structuredClone(defaultApplications()[0]!);
    grid.duty = { ...grid.duty, cyclesPerDay: 20, depthOfDischarge: 1, cRate: 1 };
    expect(dutyHoursPerDay(grid.duty)).toBe(40);
    expect(checkApplication(grid).problems).toEqual([expect.objectContaining({ column: 'duty.cyclesPerDay', value: '20', message: expect.stringContaining('40.0 h a day') })]);
  });

  it('has one set of bounds: the file and GraphQL refuse the same cRate and cycles per day', () => {
    const hot = structuredClone(defaultApplications()[0]!) as any;
    hot.duty.cRate = 15;
    hot.duty.cyclesPerDay = 30;
    const direct = checkApplication(hot).problems.map((p) => p.column);
    expect(direct).toEqual(expect.arrayContaining(['duty.cRate', 'duty.cyclesPerDay']));
    expect(() => parseApplicationsJson(JSON.stringify([hot]))).toThrow(/applications\[0\]\.duty\.cRate: must be in \(0, 10\], got 15/);
  });

  it('takes a daily temperature swing when given, refuses one out of range by name, and keeps it', () => {
    const app = structuredClone(defaultApplications()[1]!) as any;
    expect(checkApplication(app).application!.duty.dailyTemperatureSwingC).toBeUndefined();
    app.duty.dailyTemperatureSwingC = 7;
    expect(checkApplication(app).application!.duty).toMatchObject({ dailyTemperatureSwingC: 7, socProfile: app.duty.socProfile });
    app.duty.dailyTemperatureSwingC = -3;
    expect(checkApplication(app).problems).toEqual([expect.objectContaining({ column: 'duty.dailyTemperatureSwingC', value: '-3' })]);
    expect(() => parseApplicationsJson(JSON.stringify([app]))).toThrow(/applications\[0\]\.duty\.dailyTemperatureSwingC: must be in \[0, 25\], got -3/);
  });

  it('takes a capacity in kWh or as a share, not both and not neither', () => {
    const base = structuredClone(defaultApplications()[0]!) as any;
    delete base.capacityLimitKwh;
    expect(checkApplication(base).problems[0]).toMatchObject({ column: 'capacityLimitKwh', message: expect.stringContaining('capacitySharePercent') });
    expect(checkApplication({ ...base, capacitySharePercent: 25 })).toMatchObject({ problems: [], application: { capacitySharePercent: 25 } });
    expect(checkApplication({ ...base, capacitySharePercent: 25, capacityLimitKwh: 10 }).problems[0]!.message).toMatch(/not both/);
    expect(checkApplication({ ...base, capacitySharePercent: 120 }).problems[0]).toMatchObject({ column: 'capacitySharePercent', value: '120' });
  });
});

describe('capacity that fits the fleet', () => {
  it('warns on a 20 000-module fleet with the default applications, with the numbers', () => {
    const fleet = generateSyntheticFleet({ size: 20_000, seed: 1 });
    const fit = fitCapacities(fleet, defaultApplications());
    expect(fit.totalCapacityKwh).toBe(145);
    expect(fit.fleetEligibleEnergyKwh).toBeGreaterThan(20_000);
    const warning = fit.warnings.find((w) => w.startsWith('capacity leaves most eligible energy undeployed'));
    expect(warning).toBeDefined();
    expect(warning).toContain('145.0 kWh');
    expect(warning).toContain(`${fit.fleetEligibleEnergyKwh.toFixed(1)} kWh`);
    expect(warning).toContain(`(${((100 * 145) / fit.fleetEligibleEnergyKwh).toFixed(1)} %)`);
  });

  it('does not warn on the 120-module demo the defaults were sized for', () => {
    const fit = fitCapacities(generateSyntheticFleet({ size: 120, seed: 120 }), defaultApplications());
    expect(fit.warnings.filter((w) => w.startsWith('capacity leaves'))).toEqual([]);
  });

  it('turns shares into kWh of the energy eligible for each application', () => {
    const fleet = generateSyntheticFleet({ size: 500, seed: 2 });
    const apps = defaultApplications().map((a) => ({ ...a, capacityLimitKwh: Number.NaN, capacitySharePercent: 80 }));
    const fit = fitCapacities(fleet, apps);
    for (const [i, f] of fit.fits.entries()) {
      expect(f.capacityKwh).toBeCloseTo(0.8 * f.eligibleEnergyKwh, 9);
      expect(fit.applications[i]!.capacityLimitKwh).toBe(f.capacityKwh);
      expect('capacitySharePercent' in fit.applications[i]!).toBe(false);
    }
    expect(fit.warnings.filter((w) => w.startsWith('capacity leaves'))).toEqual([]);
  });
});
