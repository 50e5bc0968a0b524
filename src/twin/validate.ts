/**
 * Input checks of the twin: bad data fails with an error that names the field and the value,
 * never with NaN deep inside a projection. The ranges are exported: they are the one set of
 * bounds every face checks against (src/validation names the fields for GraphQL, CSV and files).
 */
import { CHEMISTRIES, type ApplicationSpec, type Envelope, type ModuleState } from './types.js';

export class TwinInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwinInputError';
  }
}

/** A closed range [min, max], or (min, max] when `minOpen`; `why` gives its source. */
export interface Range {
  min: number;
  max: number;
  minOpen?: boolean;
  integer?: boolean;
  why: string;
}

/** Ranges of a retired module's inputs. */
export const MODULE_RANGES = {
  nominalCapacityAh: { min: 0, max: 2000, minOpen: true, why: 'nameplate of a module or pack: large-format cells are at most a few hundred Ah; 2000 Ah allows several in parallel' },
  nominalVoltageV: { min: 0, max: 1000, minOpen: true, why: 'the highest series-production EV packs are 800 V class; 1000 V is the limit of low-voltage DC equipment (IEC 60038)' },
  sohPercent: { min: 0, max: 100, minOpen: true, why: 'state of health = present full capacity / nameplate, percent' },
  internalResistanceMilliohm: { min: 0, max: 100_000, minOpen: true, why: 'DC resistance of the whole module; above 100 Ω a module delivers nothing' },
  temperatureMinC: { min: -60, max: 90, why: 'cell temperature seen in first life; SEI decomposition starts at 90–120 °C (Feng et al. 2018, Energy Storage Materials 10, 246–267)' },
  temperatureMaxC: { min: -60, max: 90, why: 'cell temperature seen in first life; SEI decomposition starts at 90–120 °C (Feng et al. 2018, Energy Storage Materials 10, 246–267)' },
  cycleCount: { min: 0, max: 100_000, integer: true, why: 'equivalent full cycles; LFP cells are rated for at most ~10 000' },
  ageYears: { min: 0, max: 100, why: 'years since manufacture' },
} as const satisfies Record<string, Range>;

/** Ranges of an application's duty profile (yearly average use). */
export const DUTY_RANGES = {
  cyclesPerDay: { min: 0, max: 24, why: 'equivalent full cycles per day; 24 = one per hour, beyond frequency regulation duties' },
  depthOfDischarge: { min: 0, max: 1, minOpen: true, why: 'fraction of present capacity cycled' },
  cRate: { min: 0, max: 10, minOpen: true, why: 'the lumped one-temperature thermal model (Bernardi et al. 1985) does not hold for the gradients of faster use' },
  socMinPercent: { min: 0, max: 100, why: 'state of charge, percent' },
  socMaxPercent: { min: 0, max: 100, why: 'state of charge, percent' },
  ambientTemperatureC: { min: -50, max: 60, why: 'annual mean ambient air; the highest air temperature recorded on Earth is 56.7 °C (WMO World Weather and Climate Extremes Archive)' },
  seasonalSwingC: { min: 0, max: 40, why: '± amplitude of the annual sine; continental climates swing about ±25 °C' },
} as const satisfies Record<string, Range>;

/** Ranges of an application's acceptance and end-of-life requirements. */
export const REQUIREMENT_RANGES = {
  minSohPercent: { min: 0, max: 100, why: 'state of health, percent' },
  maxResistanceMilliohm: { min: 0, max: 1_000_000, minOpen: true, why: 'acceptance screen on module DC resistance' },
  endOfLifeResistanceMilliohm: { min: 0, max: 1_000_000, minOpen: true, why: 'in-service resistance limit, not below the acceptance screen' },
  maxCellTemperatureC: { min: -20, max: 120, why: 'separators melt and thermal runaway starts at 120–130 °C (Feng et al. 2018, Energy Storage Materials 10, 246–267)' },
  minServiceYears: { min: 0, max: 50, why: 'longer than any battery service life; the twin projects 20 years unless told otherwise (simulate.ts), so a longer minimum also needs a longer horizon' },
  endOfLifeSohPercent: { min: 0, max: 100, minOpen: true, why: 'state of health, percent' },
} as const satisfies Record<string, Range>;

/** Ranges of an operating envelope. */
export const ENVELOPE_RANGES = {
  socMinPercent: { min: 0, max: 100, why: 'state of charge, percent' },
  socMaxPercent: { min: 0, max: 100, why: 'state of charge, percent' },
  dodFactor: { min: 0, max: 1, minOpen: true, why: 'scales the duty DoD down, never up' },
} as const satisfies Record<string, Range>;

/** The problem with `value` against `range`, or null when it is inside. */
export function rangeProblem(value: unknown, range: Range): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a finite number, got ${JSON.stringify(value)}`;
  if (value > range.max || value < range.min || (range.minOpen && value === range.min)) {
    return `must be in ${range.minOpen ? '(' : '['}${range.min}, ${range.max}], got ${value}`;
  }
  if (range.integer && !Number.isInteger(value)) return `must be a whole number, got ${value}`;
  return null;
}

function check(where: string, field: string, value: unknown, range: Range): number {
  const problem = rangeProblem(value, range);
  if (problem) throw new TwinInputError(`${where}: ${field} ${problem}`);
  return value as number;
}

export function validateModule(m: ModuleState): void {
  const where = `module ${m?.serial ?? '?'}`;
  if (!(CHEMISTRIES as readonly string[]).includes(m.chemistry)) {
    throw new TwinInputError(`${where}: unknown chemistry "${String(m.chemistry)}" (expected one of ${CHEMISTRIES.join(', ')})`);
  }
  check(where, 'nominalCapacityAh', m.nominalCapacityAh, MODULE_RANGES.nominalCapacityAh);
  check(where, 'nominalVoltageV', m.nominalVoltageV, MODULE_RANGES.nominalVoltageV);
  check(where, 'sohPercent', m.sohPercent, MODULE_RANGES.sohPercent);
  check(where, 'internalResistanceMilliohm', m.internalResistanceMilliohm, MODULE_RANGES.internalResistanceMilliohm);
  const tMin = check(where, 'temperatureMinC', m.temperatureMinC, MODULE_RANGES.temperatureMinC);
  const tMax = check(where, 'temperatureMaxC', m.temperatureMaxC, MODULE_RANGES.temperatureMaxC);
  if (tMax < tMin) throw new TwinInputError(`${where}: temperatureMaxC (${tMax}) is below temperatureMinC (${tMin})`);
  check(where, 'cycleCount', m.cycleCount, { ...MODULE_RANGES.cycleCount, integer: false });
  if (m.ageYears !== null && m.ageYears !== undefined) check(where, 'ageYears', m.ageYears, MODULE_RANGES.ageYears);
}

export function validateEnvelope(appId: string, e: Envelope): void {
  const where = `application ${appId} envelope ${e?.name ?? '?'}`;
  const lo = check(where, 'socMinPercent', e.socMinPercent, ENVELOPE_RANGES.socMinPercent);
  const hi = check(where, 'socMaxPercent', e.socMaxPercent, ENVELOPE_RANGES.socMaxPercent);
  if (hi <= lo) throw new TwinInputError(`${where}: socMaxPercent (${hi}) must exceed socMinPercent (${lo})`);
  check(where, 'dodFactor', e.dodFactor, ENVELOPE_RANGES.dodFactor);
  if (typeof e.activeCooling !== 'boolean') throw new TwinInputError(`${where}: activeCooling must be true or false`);
}

export function validateApplication(a: ApplicationSpec): void {
  const where = `application ${a?.id ?? '?'}`;
  const d = a.duty;
  if (!d) throw new TwinInputError(`${where}: duty is missing`);
  for (const [field, range] of Object.entries(DUTY_RANGES)) check(where, `duty.${field}`, d[field as keyof typeof DUTY_RANGES], range);
  if (d.socMaxPercent <= d.socMinPercent) throw new TwinInputError(`${where}: duty.socMaxPercent (${d.socMaxPercent}) must exceed duty.socMinPercent (${d.socMinPercent})`);
  const r = a.requirements;
  if (!r) throw new TwinInputError(`${where}: requirements are missing`);
  check(where, 'requirements.minSohPercent', r.minSohPercent, REQUIREMENT_RANGES.minSohPercent);
  check(where, 'requirements.maxResistanceMilliohm', r.maxResistanceMilliohm, REQUIREMENT_RANGES.maxResistanceMilliohm);
  if (r.endOfLifeResistanceMilliohm !== undefined) {
    const eol = check(where, 'requirements.endOfLifeResistanceMilliohm', r.endOfLifeResistanceMilliohm, REQUIREMENT_RANGES.endOfLifeResistanceMilliohm);
    if (eol < r.maxResistanceMilliohm) {
      throw new TwinInputError(`${where}: requirements.endOfLifeResistanceMilliohm (${eol}) must not be below maxResistanceMilliohm (${r.maxResistanceMilliohm})`);
    }
  }
  check(where, 'requirements.maxCellTemperatureC', r.maxCellTemperatureC, REQUIREMENT_RANGES.maxCellTemperatureC);
  check(where, 'requirements.minServiceYears', r.minServiceYears, REQUIREMENT_RANGES.minServiceYears);
  check(where, 'requirements.endOfLifeSohPercent', r.endOfLifeSohPercent, REQUIREMENT_RANGES.endOfLifeSohPercent);
  if (!Array.isArray(a.envelopes) || a.envelopes.length === 0) throw new TwinInputError(`${where}: needs at least one envelope`);
  for (const e of a.envelopes) validateEnvelope(a.id, e);
}
