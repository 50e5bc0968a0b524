/**
 * Reasons of plan rows from a hand-built twin matrix (two applications, one envelope each), where
 * the right answer is known by construction for each kind.
 */
import { describe, expect, it } from 'vitest';
import type { PlanningFigures } from '../../src/planning/allocation-types.js';
import { planRows, roundTo, toPlanLine } from '../../src/planning/plan-rows.js';
import type { ApplicationSpec, ModuleState } from '../../src/twin/types.js';
import { VIOLATION_BITS } from '../../src/twin/simulate.js';
import { defaultApplications } from '../../src/demo/default-applications.js';

function apps(capA: number, capB: number): ApplicationSpec[] {
  const [a, b] = defaultApplications();
  return [
    { ...a!, id: 'a', name: 'Alpha', capacityLimitKwh: capA, envelopes: [a!.envelopes[0]!] },
    { ...b!, id: 'b', name: 'Beta', capacityLimitKwh: capB, envelopes: [b!.envelopes[0]!] },
  ];
}

const module = (serial: string, soh: number): ModuleState => ({
  serial,
  chemistry: 'NMC',
  nominalCapacityAh: 50,
  nominalVoltageV: 60,
  sohPercent: soh,
  internalResistanceMilliohm: 40,
  temperatureMinC: 20,
  temperatureMaxC: 35,
  cycleCount: 1000,
  ageYears: 5,
});

/** entries[m][a] = [kWh, RUL, fade, cost] or a violation mask (infeasible). */
function figures(entries: ([number, number, number, number] | number)[][]): PlanningFigures {
  const n = entries.length * 2;
  const f = () => new Float64Array(n);
  const fig: PlanningFigures = {
    matrix: {
      nModules: entries.length,
      nApps: 2,
      nEnvelopes: 1,
      usableEnergyKwh: f(),
      rulYears: f(),
      fadePctPerYear: f(),
      lifetimeEnergyMwh: f(),
      peakTemperatureC: f(),
      roundTripEfficiency: f(),
      feasible: new Uint8Array(n),
      violationMask: new Uint8Array(n),
      endOfLifeReason: new Uint8Array(n),
    },
    pairCostUsd: f(),
  };
  entries.forEach((row, m) =>
    row.forEach((e, a) => {
      const i = m * 2 + a;
      if (typeof e === 'number') {
        fig.matrix.violationMask![i] = e;
        fig.matrix.rulYears[i] = 1.5;
        return;
      }
      const [kwh, rul, fade, cost] = e;
      fig.matrix.feasible[i] = 1;
      fig.matrix.usableEnergyKwh[i] = kwh;
      fig.matrix.rulYears[i] = rul;
      fig.matrix.fadePctPerYear[i] = fade;
      fig.pairCostUsd[i] = cost;
      fig.matrix.peakTemperatureC[i] = 30;
      fig.matrix.roundTripEfficiency[i] = 0.9123456;
    }),
  );
  return fig;
}

describe('plan row reasons', () => {
  const mods = [module('M0', 80), module('M1', 55), module('M2', 75), module('M3', 78)];
  // M0 deployed in Alpha (best), Beta next best. M1 ineligible everywhere. M2 eligible only in
  // Alpha, which M0 fills. M3 eligible in Beta, which has room, but its fade is high and cost > 0.
  const fig = figures([
    [
      [2, 10, 1, -100],
      [2, 8, 1.5, -50],
    ],
    [VIOLATION_BITS.MIN_SOH, VIOLATION_BITS.MIN_SOH | VIOLATION_BITS.MIN_SERVICE_YEARS],
    [[1.5, 9, 1.2, -80], VIOLATION_BITS.MIN_SOH],
    [VIOLATION_BITS.MIN_SOH, [1, 6, 4, 30]],
  ]);
  const plan = { applicationIndex: Int16Array.from([0, -1, -1, -1]), envelopeIndex: Int8Array.from([0, -1, -1, -1]) };
  const rows = planRows(fig, apps(2.5, 10), (m) => mods[m]!, plan);

  it('compares a deployed module with its next best feasible option', () => {
    expect(rows[0]!.reasonKind).toBe('DEPLOYED');
    expect(rows[0]!.reason).toContain('Alpha / standard: 20.0 kWh·yr (2.00 kWh × 10.0 yr)');
    expect(rows[0]!.reason).toContain('next best feasible Beta / deep gives 16.0 kWh·yr');
    expect(rows[0]!.reason).toContain('+4.0 kWh·yr, −0.50 %/yr, −50 USD');
  });
  it('names the failing requirement per application for an ineligible module, fewest first', () => {
    expect(rows[1]!.reasonKind).toBe('INELIGIBLE');
    expect(rows[1]!.reason).toMatch(/^not eligible anywhere: Alpha: SOH 55\.0 % is below the \d+\.\d % Alpha accepts; Beta: SOH 55\.0 % is below/);
    expect(rows[1]!.reason).toContain('remaining life 1.5 y');
  });
  it('says capacity went elsewhere when every eligible application is full', () => {
    expect(rows[2]!.reasonKind).toBe('CAPACITY');
    expect(rows[2]!.reason).toContain('Alpha / standard (13.5 kWh·yr, needs 1.50 kWh) is full at 2.00 of 2.50 kWh');
    expect(rows[2]!.reason).toContain('modules placed there give 10.00 kWh·yr per kWh, this one 9.00');
  });
  it('names what an eligible module with room would worsen', () => {
    expect(rows[3]!.reasonKind).toBe('TRADE_OFF');
    expect(rows[3]!.reason).toContain('eligible for Beta / deep with 10.00 kWh free');
    expect(rows[3]!.reason).toContain("raise the plan's energy-weighted fade from 1.00 to 2.00 %/yr");
    expect(rows[3]!.reason).toContain('add 30 USD of cost');
  });
  it('says when a module with room would improve every objective', () => {
    const better = figures([[VIOLATION_BITS.MIN_SOH, [1, 6, 0.5, -30]], [[1, 5, 1, -10], VIOLATION_BITS.MIN_SOH]]);
    const r = planRows(better, apps(10, 10), (m) => module(`X${m}`, 80), { applicationIndex: Int16Array.from([-1, 0]), envelopeIndex: Int8Array.from([-1, 0]) });
    expect(r[0]!.reasonKind).toBe('TRADE_OFF');
    expect(r[0]!.reason).toContain('no objective would get worse');
  });
  it('rounds figures to their decimals when a row becomes a plan line', () => {
    const line = toPlanLine(rows[0]!, apps(2.5, 10), 'M0', null, { ...mods[0]!, ageYears: 5 });
    expect(line.figures!.roundTripEfficiency).toBe(0.912);
    expect(line.figures!.storageYearsKwhYr).toBe(20);
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(-0.0004, 3)).toBe(0);
    expect(Object.is(roundTo(-0.0004, 3), -0)).toBe(false);
  });
});
