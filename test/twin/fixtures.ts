/**
 * Test fixtures: modules and applications with the typical duties of the domain notes
 * (docs/domain.md, "The four default applications"). Kept here so twin tests do not depend on
 * the default catalogue's exact numbers.
 */
import type { ApplicationSpec, Envelope, ModuleState } from '../../src/twin/types.js';

export function moduleFixture(over: Partial<ModuleState> = {}): ModuleState {
  return {
    serial: 'M-1',
    chemistry: 'NMC',
    nominalCapacityAh: 66,
    nominalVoltageV: 7.6,
    sohPercent: 72,
    internalResistanceMilliohm: 3.5,
    temperatureMinC: 10,
    temperatureMaxC: 35,
    cycleCount: 800,
    ageYears: 8,
    ...over,
  };
}

const coolingPair = (lo: number, hi: number, narrowLo: number, narrowHi: number): Envelope[] => [
  { name: 'full-passive', description: 'full window, passive cooling', socMinPercent: lo, socMaxPercent: hi, dodFactor: 1, activeCooling: false },
  { name: 'narrow-active', description: 'narrow window, active cooling', socMinPercent: narrowLo, socMaxPercent: narrowHi, dodFactor: 0.8, activeCooling: true },
];

function app(id: string, kind: ApplicationSpec['kind'], duty: ApplicationSpec['duty'], envelopes: Envelope[]): ApplicationSpec {
  return {
    id,
    name: id,
    kind,
    duty,
    requirements: { minSohPercent: 55, maxResistanceMilliohm: 12, maxCellTemperatureC: 55, minServiceYears: 3, endOfLifeSohPercent: 50 },
    capacityLimitKwh: 1000,
    economics: { repurposingCostUsdPerModule: 50, integrationCostUsdPerKwh: 40, valueUsdPerMwh: 80 },
    envelopes,
  };
}

export const GRID = app('grid', 'GRID', { cyclesPerDay: 1.5, depthOfDischarge: 0.6, cRate: 0.75, socMinPercent: 10, socMaxPercent: 90, ambientTemperatureC: 25, seasonalSwingC: 3 }, coolingPair(10, 90, 20, 80));
export const SOLAR = app('solar', 'SOLAR', { cyclesPerDay: 1, depthOfDischarge: 0.8, cRate: 0.4, socMinPercent: 10, socMaxPercent: 95, ambientTemperatureC: 30, seasonalSwingC: 7 }, coolingPair(10, 95, 20, 85));
export const BACKUP = app('backup', 'BACKUP', { cyclesPerDay: 0.1, depthOfDischarge: 0.8, cRate: 0.5, socMinPercent: 10, socMaxPercent: 100, ambientTemperatureC: 22, seasonalSwingC: 5 }, coolingPair(10, 100, 10, 90));
export const MICROGRID = app('microgrid', 'MICROGRID', { cyclesPerDay: 1.25, depthOfDischarge: 0.8, cRate: 0.5, socMinPercent: 10, socMaxPercent: 95, ambientTemperatureC: 35, seasonalSwingC: 8 }, coolingPair(10, 95, 20, 85));
export const APPS = [GRID, SOLAR, BACKUP, MICROGRID];
