/**
 * One validation of an application (duty profile, requirements, economics, capacity, envelopes)
 * for every face: GraphQL input, the applications file, and the web app through GraphQL. It takes
 * untyped data (parsed JSON) and reports every problem with its field path and value; the ranges
 * are the twin's own (src/twin/validate.ts), so what passes here the twin accepts.
 */
import { APPLICATION_KINDS, type ApplicationSpec, type DailySocProfile, type DutyProfile, type Economics, type Envelope, type Requirements } from '../twin/types.js';
import { DUTY_RANGES, ENVELOPE_RANGES, OPTIONAL_DUTY_RANGES, rangeProblem, REQUIREMENT_RANGES, socProfileProblems, type Range } from '../twin/validate.js';
import { shownValue, type Problem } from './problem.js';

export { DUTY_RANGES, ENVELOPE_RANGES, OPTIONAL_DUTY_RANGES, REQUIREMENT_RANGES };

/**
 * An application as configured: a fixed capacity (`capacityLimitKwh`) or a share of the energy
 * eligible for it in the fleet being planned (`capacitySharePercent`). With a share,
 * `capacityLimitKwh` is NaN until src/planning/capacity-fit.ts fixes it for a fleet.
 */
export type ConfiguredApplication = ApplicationSpec & { capacitySharePercent?: number | null };

export const ECONOMICS_RANGES = {
  repurposingCostUsdPerModule: { min: 0, max: 1e7, why: 'USD per module; far above any module price, so a misplaced unit is caught' },
  integrationCostUsdPerKwh: { min: 0, max: 1e6, why: 'USD per kWh; new stationary systems cost a few hundred' },
  valueUsdPerMwh: { min: 0, max: 1e7, why: 'USD per MWh delivered; wholesale prices rarely pass a few thousand' },
} as const satisfies Record<keyof Economics, Range>;

export const CAPACITY_RANGES = {
  capacityLimitKwh: { min: 0, max: 1e7, minOpen: true, why: 'kWh of deployed usable energy; 10 GWh is above the largest battery plants (Moss Landing, 3 GWh)' },
  capacitySharePercent: { min: 0, max: 100, minOpen: true, why: 'percent of the usable energy of the fleet eligible for the application' },
} as const satisfies Record<string, Range>;

export const MAX_NAME_LENGTH = 200;

/** Every cycle needs 2 × DoD / C-rate hours of charging and discharging: they must fit in a day. */
export function dutyHoursPerDay(d: Pick<DutyProfile, 'cyclesPerDay' | 'depthOfDischarge' | 'cRate'>): number {
  return (d.cyclesPerDay * 2 * d.depthOfDischarge) / d.cRate;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Collector {
  readonly problems: Problem[] = [];
  constructor(private readonly prefix: string) {}
  at(field: string): string {
    return this.prefix ? `${this.prefix}.${field}` : field;
  }
  push(field: string, value: unknown, message: string): void {
    this.problems.push({ row: null, column: this.at(field), value: value === undefined ? null : shownValue(value), message });
  }
  number(obj: Record<string, unknown>, key: string, path: string, range: Range): number {
    const v = obj[key];
    const p = rangeProblem(v, range);
    if (p) this.push(path, v, p);
    return v as number;
  }
  object(parent: Record<string, unknown>, key: string): Record<string, unknown> | null {
    const v = parent[key];
    if (!isObject(v)) {
      this.push(key, v, `expected an object, got ${JSON.stringify(v) ?? 'nothing'}`);
      return null;
    }
    return v;
  }
}

function ranges<T extends Record<string, Range>>(c: Collector, obj: Record<string, unknown>, group: string, table: T, optional: readonly string[] = []): void {
  for (const [key, range] of Object.entries(table)) {
    if (optional.includes(key) && obj[key] == null) continue;
    c.number(obj, key, `${group}.${key}`, range);
  }
}

export interface ApplicationCheck {
  /** The application when there are no problems (id left to the caller). */
  application: Omit<ConfiguredApplication, 'id'> | null;
  problems: Problem[];
}

/**
 * Checks one application. `prefix` is put before every field path (`applications[2]` in a file,
 * empty for a GraphQL input). Unknown fields are ignored.
 */
export function checkApplication(raw: unknown, prefix = ''): ApplicationCheck {
  const c = new Collector(prefix);
  if (!isObject(raw)) {
    c.problems.push({ row: null, column: prefix || null, value: shownValue(raw), message: 'expected an object' });
    return { application: null, problems: c.problems };
  }
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) c.push('name', raw.name, `must be a text of 1–${MAX_NAME_LENGTH} characters`);
  if (!(APPLICATION_KINDS as readonly unknown[]).includes(raw.kind)) c.push('kind', raw.kind, `expected one of ${APPLICATION_KINDS.join(', ')}`);

  const duty = c.object(raw, 'duty');
  if (duty) {
    ranges(c, duty, 'duty', DUTY_RANGES);
    ranges(c, duty, 'duty', OPTIONAL_DUTY_RANGES, Object.keys(OPTIONAL_DUTY_RANGES));
    const d = duty as unknown as DutyProfile;
    if (d.socMinPercent >= d.socMaxPercent) c.push('duty.socMinPercent', d.socMinPercent, `must be below socMaxPercent (${d.socMaxPercent})`);
    const hours = dutyHoursPerDay(d);
    if (Number.isFinite(hours) && hours > 24) {
      c.push('duty.cyclesPerDay', d.cyclesPerDay, `${d.cyclesPerDay} cycles of DoD ${d.depthOfDischarge} at ${d.cRate}C take ${hours.toFixed(1)} h a day (2 × DoD / C-rate per cycle); at most 24`);
    }
    for (const p of socProfileProblems(d)) c.problems.push({ row: null, column: prefix ? `${prefix}.${p.field}` : p.field, value: null, message: p.message });
  }
  const req = c.object(raw, 'requirements');
  if (req) {
    ranges(c, req, 'requirements', REQUIREMENT_RANGES, ['endOfLifeResistanceMilliohm']);
    const r = req as unknown as Requirements;
    if (r.endOfLifeSohPercent > r.minSohPercent) c.push('requirements.endOfLifeSohPercent', r.endOfLifeSohPercent, `must not exceed minSohPercent (${r.minSohPercent})`);
    if (r.endOfLifeResistanceMilliohm != null && r.endOfLifeResistanceMilliohm < r.maxResistanceMilliohm) {
      c.push('requirements.endOfLifeResistanceMilliohm', r.endOfLifeResistanceMilliohm, `must not be below maxResistanceMilliohm (${r.maxResistanceMilliohm})`);
    }
  }
  const econ = c.object(raw, 'economics');
  if (econ) ranges(c, econ, 'economics', ECONOMICS_RANGES);

  const kwh = raw.capacityLimitKwh;
  const share = raw.capacitySharePercent;
  if (kwh == null && share == null) c.push('capacityLimitKwh', undefined, 'give capacityLimitKwh (kWh) or capacitySharePercent (percent of the fleet’s eligible energy)');
  else if (kwh != null && share != null) c.push('capacitySharePercent', share, 'give capacityLimitKwh or capacitySharePercent, not both');
  else if (kwh != null) c.number(raw, 'capacityLimitKwh', 'capacityLimitKwh', CAPACITY_RANGES.capacityLimitKwh);
  else c.number(raw, 'capacitySharePercent', 'capacitySharePercent', CAPACITY_RANGES.capacitySharePercent);

  const envelopes = raw.envelopes;
  if (!Array.isArray(envelopes) || envelopes.length === 0) c.push('envelopes', envelopes, 'at least one envelope is required');
  else {
    const seen = new Map<string, number>();
    envelopes.forEach((e: unknown, i: number) => {
      const p = `envelopes[${i}]`;
      if (!isObject(e)) return void c.push(p, e, 'expected an object');
      if (typeof e.name !== 'string' || e.name.trim() === '') c.push(`${p}.name`, e.name, 'expected a non-empty text');
      else if (seen.has(e.name)) c.push(`${p}.name`, e.name, `"${e.name}" already names envelopes[${seen.get(e.name)}]`);
      else seen.set(e.name, i);
      if (e.description != null && typeof e.description !== 'string') c.push(`${p}.description`, e.description, 'expected a text');
      ranges(c, e, p, ENVELOPE_RANGES);
      if ((e.socMinPercent as number) >= (e.socMaxPercent as number)) c.push(`${p}.socMinPercent`, e.socMinPercent, `must be below socMaxPercent (${String(e.socMaxPercent)})`);
      if (typeof e.activeCooling !== 'boolean') c.push(`${p}.activeCooling`, e.activeCooling, 'expected true or false');
    });
  }
  if (c.problems.length > 0) return { application: null, problems: c.problems };

  const r = req as unknown as Requirements;
  const { endOfLifeResistanceMilliohm, ...requirements } = r;
  return {
    problems: [],
    application: {
      name,
      kind: raw.kind as ApplicationSpec['kind'],
      duty: withSocProfile(
        pick(duty!, [...Object.keys(DUTY_RANGES), ...Object.keys(OPTIONAL_DUTY_RANGES).filter((k) => duty![k] != null)]) as unknown as DutyProfile,
        (duty as { socProfile?: unknown }).socProfile,
      ),
      requirements: {
        ...(pick(requirements, Object.keys(REQUIREMENT_RANGES).filter((k) => k !== 'endOfLifeResistanceMilliohm')) as unknown as Requirements),
        ...(endOfLifeResistanceMilliohm != null ? { endOfLifeResistanceMilliohm } : {}),
      },
      capacityLimitKwh: kwh != null ? (kwh as number) : Number.NaN,
      capacitySharePercent: share != null ? (share as number) : null,
      economics: pick(econ!, Object.keys(ECONOMICS_RANGES)) as unknown as Economics,
      envelopes: (envelopes as Record<string, unknown>[]).map(
        (e): Envelope => ({
          name: e.name as string,
          description: (e.description as string | undefined) ?? '',
          socMinPercent: e.socMinPercent as number,
          socMaxPercent: e.socMaxPercent as number,
          dodFactor: e.dodFactor as number,
          activeCooling: e.activeCooling as boolean,
        }),
      ),
    },
  };
}

function pick(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}

/** The day's SOC profile as given (GraphQL sends absent fields as null): only its given form is kept. */
function withSocProfile(duty: DutyProfile, raw: unknown): DutyProfile {
  if (!isObject(raw)) return duty;
  const profile: DailySocProfile = {};
  if (Array.isArray(raw.points)) profile.points = raw.points.map((q: { hour: number; socPercent: number }) => ({ hour: q.hour, socPercent: q.socPercent }));
  if (Array.isArray(raw.timeAtSoc)) profile.timeAtSoc = raw.timeAtSoc.map((q: { socPercent: number; hours: number }) => ({ socPercent: q.socPercent, hours: q.hours }));
  if (typeof raw.source === 'string') profile.source = raw.source;
  return { ...duty, socProfile: profile };
}
