/**
 * Input checks of the twin: bad data fails with an error that names the field and the value,
 * never with NaN deep inside a projection. The ranges are exported: they are the one set of
 * bounds every face checks against (src/validation names the fields for GraphQL, CSV and files).
 */
import { CHEMISTRIES, type ApplicationSpec, type DailySocProfile, type DutyProfile, type Envelope, type ModuleState } from './types.js';

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

/** Ranges of a duty's optional fields (checked when given). */
export const OPTIONAL_DUTY_RANGES = {
  dailyTemperatureSwingC: { min: 0, max: 25, why: '± amplitude of the daily sine of the ambient air; a desert day-night range of 30 °C is ±15 °C' },
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
  for (const [field, range] of Object.entries(OPTIONAL_DUTY_RANGES)) {
    const v = d[field as keyof typeof OPTIONAL_DUTY_RANGES];
    if (v !== undefined && v !== null) check(where, `duty.${field}`, v, range);
  }
  if (d.socMaxPercent <= d.socMinPercent) throw new TwinInputError(`${where}: duty.socMaxPercent (${d.socMaxPercent}) must exceed duty.socMinPercent (${d.socMinPercent})`);
  const profileProblem = socProfileProblems(d)[0];
  if (profileProblem) throw new TwinInputError(`${where}: ${profileProblem.field}: ${profileProblem.message}`);
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
    const t = check(row, 'time_s', r.timeS, { min: -Infinity, max: Infinity, why: 'seconds' });
    const s = check(row, 'soc', r.soc, { min: -Infinity, max: Infinity, why: 'state of charge, fraction' });
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
      temperatureC[i] = check(row, 'temperature_c', r.temperatureC, { min: -40, max: 80, why: 'cell temperature, °C' });
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
