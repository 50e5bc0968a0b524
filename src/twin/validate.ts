/**
 * Input checks of the twin: bad data fails with an error that names the field and the value,
 * never with NaN deep inside a projection.
 */
import { CHEMISTRIES, type ApplicationSpec, type Envelope, type ModuleState } from './types.js';

export class TwinInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwinInputError';
  }
}

function finite(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TwinInputError(`${where}: ${field} must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function inRange(where: string, field: string, value: unknown, lo: number, hi: number, openLo = false): number {
  const v = finite(where, field, value);
  if (v > hi || v < lo || (openLo && v === lo)) {
    throw new TwinInputError(`${where}: ${field} must be in ${openLo ? '(' : '['}${lo}, ${hi}], got ${v}`);
  }
  return v;
}

export function validateModule(m: ModuleState): void {
  const where = `module ${m?.serial ?? '?'}`;
  if (!(CHEMISTRIES as readonly string[]).includes(m.chemistry)) {
    throw new TwinInputError(`${where}: unknown chemistry "${String(m.chemistry)}" (expected one of ${CHEMISTRIES.join(', ')})`);
  }
  inRange(where, 'nominalCapacityAh', m.nominalCapacityAh, 0, 1e5, true);
  inRange(where, 'nominalVoltageV', m.nominalVoltageV, 0, 2000, true);
  inRange(where, 'sohPercent', m.sohPercent, 0, 120, true);
  inRange(where, 'internalResistanceMilliohm', m.internalResistanceMilliohm, 0, 1e6, true);
  const tMin = inRange(where, 'temperatureMinC', m.temperatureMinC, -60, 90);
  const tMax = inRange(where, 'temperatureMaxC', m.temperatureMaxC, -60, 90);
  if (tMax < tMin) throw new TwinInputError(`${where}: temperatureMaxC (${tMax}) is below temperatureMinC (${tMin})`);
  inRange(where, 'cycleCount', m.cycleCount, 0, 1e6);
  if (m.ageYears !== null && m.ageYears !== undefined) inRange(where, 'ageYears', m.ageYears, 0, 100);
}

export function validateEnvelope(appId: string, e: Envelope): void {
  const where = `application ${appId} envelope ${e?.name ?? '?'}`;
  const lo = inRange(where, 'socMinPercent', e.socMinPercent, 0, 100);
  const hi = inRange(where, 'socMaxPercent', e.socMaxPercent, 0, 100);
  if (hi <= lo) throw new TwinInputError(`${where}: socMaxPercent (${hi}) must exceed socMinPercent (${lo})`);
  inRange(where, 'dodFactor', e.dodFactor, 0, 1, true);
  if (typeof e.activeCooling !== 'boolean') throw new TwinInputError(`${where}: activeCooling must be true or false`);
}

export function validateApplication(a: ApplicationSpec): void {
  const where = `application ${a?.id ?? '?'}`;
  const d = a.duty;
  if (!d) throw new TwinInputError(`${where}: duty is missing`);
  inRange(where, 'duty.cyclesPerDay', d.cyclesPerDay, 0, 50);
  inRange(where, 'duty.depthOfDischarge', d.depthOfDischarge, 0, 1, true);
  inRange(where, 'duty.cRate', d.cRate, 0, 20, true);
  const lo = inRange(where, 'duty.socMinPercent', d.socMinPercent, 0, 100);
  const hi = inRange(where, 'duty.socMaxPercent', d.socMaxPercent, 0, 100);
  if (hi <= lo) throw new TwinInputError(`${where}: duty.socMaxPercent (${hi}) must exceed duty.socMinPercent (${lo})`);
  inRange(where, 'duty.ambientTemperatureC', d.ambientTemperatureC, -50, 70);
  inRange(where, 'duty.seasonalSwingC', d.seasonalSwingC, 0, 50);
  const r = a.requirements;
  if (!r) throw new TwinInputError(`${where}: requirements are missing`);
  inRange(where, 'requirements.minSohPercent', r.minSohPercent, 0, 100);
  inRange(where, 'requirements.maxResistanceMilliohm', r.maxResistanceMilliohm, 0, 1e9, true);
  if (r.endOfLifeResistanceMilliohm !== undefined) {
    const eol = inRange(where, 'requirements.endOfLifeResistanceMilliohm', r.endOfLifeResistanceMilliohm, 0, 1e9, true);
    if (eol < r.maxResistanceMilliohm) {
      throw new TwinInputError(`${where}: requirements.endOfLifeResistanceMilliohm (${eol}) must not be below maxResistanceMilliohm (${r.maxResistanceMilliohm})`);
    }
  }
  inRange(where, 'requirements.maxCellTemperatureC', r.maxCellTemperatureC, -50, 200);
  inRange(where, 'requirements.minServiceYears', r.minServiceYears, 0, 100);
  inRange(where, 'requirements.endOfLifeSohPercent', r.endOfLifeSohPercent, 0, 100, true);
  if (!Array.isArray(a.envelopes) || a.envelopes.length === 0) throw new TwinInputError(`${where}: needs at least one envelope`);
  for (const e of a.envelopes) validateEnvelope(a.id, e);
}

/** One row of a SOC profile as read from a file or an API input. */
export interface SocProfileRow {
  timeS: unknown;
  soc: unknown;
  temperatureC?: unknown;
}

/** Points a profile may have (a year at one-minute resolution). */
export const MAX_PROFILE_POINTS = 600_000;

/**
 * A repeating SOC/temperature profile (BLAST-Lite's input form): at least two points, time strictly
 * increasing from the first point, SOC in [0, 1] (a percent value is the likely mistake), cell
 * temperature in [−40, 80] °C. `where` names the source; rows are numbered as the user sees them
 * (`firstRow`: the number of the first data row, 2 for a CSV with a header line).
 */
export function validateSocProfile(where: string, rows: readonly SocProfileRow[], firstRow = 1, requireTemperature = true): {
  timeS: Float64Array;
  soc: Float64Array;
  temperatureC: Float64Array;
} {
  if (rows.length < 2) throw new TwinInputError(`${where}: a profile needs at least two points (one period, start and end), got ${rows.length}`);
  if (rows.length > MAX_PROFILE_POINTS) throw new TwinInputError(`${where}: ${rows.length} points is more than the ${MAX_PROFILE_POINTS} accepted; resample the profile`);
  const n = rows.length;
  const timeS = new Float64Array(n);
  const soc = new Float64Array(n);
  const temperatureC = new Float64Array(n);
  let sawPercent = false;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const row = `${where} row ${firstRow + i}`;
    const t = finite(row, 'time_s', r.timeS);
    const s = finite(row, 'soc', r.soc);
    if (s > 1 && s <= 100) sawPercent = true;
    if (s < 0 || s > 1) {
      throw new TwinInputError(`${row}: soc must be a fraction in [0, 1], got ${s}${sawPercent ? ' (percent? divide by 100)' : ''}`);
    }
    if (i > 0 && !(t > timeS[i - 1]!)) {
      throw new TwinInputError(`${row}: time_s must increase strictly, got ${t} after ${timeS[i - 1]} (one period, sorted by time)`);
    }
    timeS[i] = t;
    soc[i] = s;
    if (requireTemperature || (r.temperatureC !== undefined && r.temperatureC !== null && r.temperatureC !== '')) {
      temperatureC[i] = inRange(row, 'temperature_c', r.temperatureC, -40, 80);
    } else {
      temperatureC[i] = Number.NaN;
    }
  }
  const t0 = timeS[0]!;
  for (let i = 0; i < n; i++) timeS[i]! -= t0;
  if (timeS[n - 1]! < 60) throw new TwinInputError(`${where}: the period is ${timeS[n - 1]} s; time_s is in seconds (a period of a day is 86400)`);
  return { timeS, soc, temperatureC };
}
