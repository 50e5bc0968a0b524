/**
 * Input checks of the twin: bad data fails with an error that names the field and the value,
 * never with NaN deep inside a projection.
 */
import { CHEMISTRIES, type ApplicationSpec, type DailySocProfile, type DutyProfile, type Envelope, type ModuleState } from './types.js';

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
  const profileProblem = socProfileProblems(d)[0];
  if (profileProblem) throw new TwinInputError(`${where}: ${profileProblem.field}: ${profileProblem.message}`);
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

/** A problem with a daily SOC profile: the field path under the application and what is wrong. */
export interface ProfileProblem {
  field: string;
  message: string;
}

/** Entries a daily profile may have. */
export const MAX_DAILY_PROFILE_ENTRIES = 10_000;
/** Slack on the day's 24 h and on the duty window, for rounding in hand-written profiles. */
const HOURS_TOLERANCE = 0.01;
const WINDOW_TOLERANCE_PERCENT = 0.5;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Every problem with `duty.socProfile` (none when it is absent): either `points` (time-ordered,
 * hour 0 to 24, SOC in percent inside the duty's window) or `timeAtSoc` (hours at each SOC, adding
 * up to 24), not both.
 */
export function socProfileProblems(duty: Pick<DutyProfile, 'socMinPercent' | 'socMaxPercent' | 'socProfile'>): ProfileProblem[] {
  const p = duty.socProfile as DailySocProfile | null | undefined | Record<string, unknown>;
  if (p === undefined || p === null) return [];
  const out: ProfileProblem[] = [];
  const at = 'duty.socProfile';
  if (typeof p !== 'object' || Array.isArray(p)) return [{ field: at, message: `expected an object with points or timeAtSoc, got ${JSON.stringify(p)}` }];
  const { points, timeAtSoc, source } = p as Record<string, unknown>;
  if (source !== undefined && source !== null && typeof source !== 'string') out.push({ field: `${at}.source`, message: `expected a string, got ${JSON.stringify(source)}` });
  const hasPoints = points !== undefined && points !== null;
  const hasDwell = timeAtSoc !== undefined && timeAtSoc !== null;
  if (hasPoints === hasDwell) {
    out.push({ field: at, message: hasPoints ? 'give points or timeAtSoc, not both' : 'give points (hour, socPercent over a day) or timeAtSoc (socPercent, hours)' });
    return out;
  }
  const lo = duty.socMinPercent - WINDOW_TOLERANCE_PERCENT;
  const hi = duty.socMaxPercent + WINDOW_TOLERANCE_PERCENT;
  const checkSoc = (field: string, v: unknown): void => {
    if (!isNum(v)) out.push({ field, message: `expected a finite number, got ${JSON.stringify(v)}` });
    else if (v < 0 || v > 100) out.push({ field, message: `SOC is in percent, 0–100, got ${v}` });
    else if (v < lo || v > hi) out.push({ field, message: `SOC ${v} % is outside the duty's window ${duty.socMinPercent}–${duty.socMaxPercent} %` });
  };
  const list = (hasPoints ? points : timeAtSoc) as unknown;
  const name = hasPoints ? 'points' : 'timeAtSoc';
  if (!Array.isArray(list)) return [...out, { field: `${at}.${name}`, message: `expected an array, got ${JSON.stringify(list)}` }];
  if (list.length > MAX_DAILY_PROFILE_ENTRIES) return [...out, { field: `${at}.${name}`, message: `${list.length} entries is more than the ${MAX_DAILY_PROFILE_ENTRIES} accepted` }];
  if (hasPoints) {
    if (list.length < 2) return [...out, { field: `${at}.points`, message: `a day needs at least two points (hour 0 and hour 24), got ${list.length}` }];
    let prev = Number.NaN;
    list.forEach((q: unknown, i: number) => {
      const f = `${at}.points[${i}]`;
      if (typeof q !== 'object' || q === null) return void out.push({ field: f, message: `expected { hour, socPercent }, got ${JSON.stringify(q)}` });
      const { hour, socPercent } = q as Record<string, unknown>;
      if (!isNum(hour)) out.push({ field: `${f}.hour`, message: `expected a finite number, got ${JSON.stringify(hour)}` });
      else {
        if (i > 0 && !(hour > prev)) out.push({ field: `${f}.hour`, message: `hours must increase strictly, got ${hour} after ${prev}` });
        prev = hour;
      }
      checkSoc(`${f}.socPercent`, socPercent);
    });
    const first = (list[0] as Record<string, unknown>)?.hour;
    const last = (list[list.length - 1] as Record<string, unknown>)?.hour;
    if (isNum(first) && Math.abs(first) > HOURS_TOLERANCE) out.push({ field: `${at}.points[0].hour`, message: `the day starts at hour 0, got ${first}` });
    if (isNum(last) && Math.abs(last - 24) > HOURS_TOLERANCE) out.push({ field: `${at}.points[${list.length - 1}].hour`, message: `the day ends at hour 24, got ${last} (one day, repeated)` });
  } else {
    if (list.length === 0) return [...out, { field: `${at}.timeAtSoc`, message: 'expected at least one { socPercent, hours }' }];
    let total = 0;
    list.forEach((q: unknown, i: number) => {
      const f = `${at}.timeAtSoc[${i}]`;
      if (typeof q !== 'object' || q === null) return void out.push({ field: f, message: `expected { socPercent, hours }, got ${JSON.stringify(q)}` });
      const { hours, socPercent } = q as Record<string, unknown>;
      if (!isNum(hours) || hours < 0) out.push({ field: `${f}.hours`, message: `expected a finite number ≥ 0, got ${JSON.stringify(hours)}` });
      else total += hours;
      checkSoc(`${f}.socPercent`, socPercent);
    });
    if (out.length === 0 && Math.abs(total - 24) > HOURS_TOLERANCE) out.push({ field: `${at}.timeAtSoc`, message: `the hours must add up to a day (24), got ${total}` });
  }
  return out;
}
