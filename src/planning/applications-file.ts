/**
 * The applications file of `relife optimize|compare --applications APPS.json`.
 *
 * Format: a JSON array of applications (or `{ "applications": [...] }`), each exactly the
 * ApplicationSpec of src/twin/types.ts:
 *
 *   { "id": "grid",                      optional; default: the name in lower-case-with-dashes
 *     "name": "Grid storage",
 *     "kind": "GRID" | "SOLAR" | "BACKUP" | "MICROGRID" | "CUSTOM",
 *     "duty": { "cyclesPerDay", "depthOfDischarge" (0–1], "cRate", "socMinPercent",
 *               "socMaxPercent", "ambientTemperatureC", "seasonalSwingC",
 *               optional "socProfile": { "points": [{ "hour", "socPercent" }, …] (hour 0 to 24)
 *               or "timeAtSoc": [{ "socPercent", "hours" }, …] (24 h), "source" } },
 *     "requirements": { "minSohPercent", "maxResistanceMilliohm", "maxCellTemperatureC",
 *                       "minServiceYears", "endOfLifeSohPercent",
 *                       "endOfLifeResistanceMilliohm" (optional; default 2 × maxResistanceMilliohm) },
 *     "capacityLimitKwh": 35,               Σ deployed usable kWh the application takes
 *     "economics": { "repurposingCostUsdPerModule", "integrationCostUsdPerKwh", "valueUsdPerMwh" },
 *     "envelopes": [ { "name", "description", "socMinPercent", "socMaxPercent",
 *                      "dodFactor" (0–1], "activeCooling": true|false }, … ] }   at least one
 *
 * Without a file the four defaults of the service are used (ids grid, solar, backup, microgrid).
 * Every problem is reported with its place (`applications[2].duty.cRate`) and value.
 */
import { APPLICATION_KINDS, type ApplicationSpec } from '../twin/types.js';
import { DEFAULT_APPLICATIONS } from '../twin/default-applications.js';
import { validateApplication } from '../twin/validate.js';

export class ApplicationsFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid applications file:\n  ${problems.join('\n  ')}`);
    this.name = 'ApplicationsFileError';
  }
}

/** The service's four default applications with stable ids (lower-case kind). */
export function defaultApplications(): ApplicationSpec[] {
  return DEFAULT_APPLICATIONS.map((a) => ({
    ...a,
    id: a.kind.toLowerCase(),
    envelopes: a.envelopes.map((e) => ({ ...e })),
  }));
}

export function slugify(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const NUMBER_FIELDS = {
  duty: ['cyclesPerDay', 'depthOfDischarge', 'cRate', 'socMinPercent', 'socMaxPercent', 'ambientTemperatureC', 'seasonalSwingC'],
  requirements: ['minSohPercent', 'maxResistanceMilliohm', 'maxCellTemperatureC', 'minServiceYears', 'endOfLifeSohPercent'],
  economics: ['repurposingCostUsdPerModule', 'integrationCostUsdPerKwh', 'valueUsdPerMwh'],
} as const;

export function parseApplicationsJson(text: string): ApplicationSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ApplicationsFileError([`not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return validateApplicationsList(raw);
}

export function validateApplicationsList(raw: unknown): ApplicationSpec[] {
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.applications) ? raw.applications : null;
  if (!list) throw new ApplicationsFileError(['expected a JSON array of applications (or { "applications": [...] })']);
  if (list.length === 0) throw new ApplicationsFileError(['the list of applications is empty']);
  const problems: string[] = [];
  const out: ApplicationSpec[] = [];
  const ids = new Map<string, number>();
  list.forEach((a: unknown, i: number) => {
    const at = `applications[${i}]`;
    if (!isObject(a)) {
      problems.push(`${at}: expected an object, got ${JSON.stringify(a)}`);
      return;
    }
    const before = problems.length;
    if (typeof a.name !== 'string' || a.name.trim() === '') problems.push(`${at}.name: expected a non-empty string, got ${JSON.stringify(a.name)}`);
    const id = a.id === undefined ? (typeof a.name === 'string' ? slugify(a.name) : '') : a.id;
    if (typeof id !== 'string' || id === '') problems.push(`${at}.id: expected a non-empty string, got ${JSON.stringify(a.id)}`);
    else if (ids.has(id)) problems.push(`${at}.id: "${id}" already used by applications[${ids.get(id)}]`);
    else ids.set(id, i);
    if (!(APPLICATION_KINDS as readonly unknown[]).includes(a.kind)) problems.push(`${at}.kind: expected one of ${APPLICATION_KINDS.join(', ')}, got ${JSON.stringify(a.kind)}`);
    for (const [group, fields] of Object.entries(NUMBER_FIELDS)) {
      const obj = a[group];
      if (!isObject(obj)) {
        problems.push(`${at}.${group}: expected an object, got ${JSON.stringify(obj)}`);
        continue;
      }
      for (const f of fields) if (typeof obj[f] !== 'number' || !Number.isFinite(obj[f])) problems.push(`${at}.${group}.${f}: expected a finite number, got ${JSON.stringify(obj[f])}`);
      if (group === 'economics') for (const f of fields) if (typeof obj[f] === 'number' && obj[f] < 0) problems.push(`${at}.economics.${f}: must be ≥ 0, got ${obj[f]}`);
    }
    const cap = a.capacityLimitKwh;
    if (typeof cap !== 'number' || !Number.isFinite(cap) || cap < 0) problems.push(`${at}.capacityLimitKwh: expected a finite number ≥ 0, got ${JSON.stringify(cap)}`);
    if (!Array.isArray(a.envelopes) || a.envelopes.length === 0) problems.push(`${at}.envelopes: expected a non-empty array`);
    else {
      const names = new Set<string>();
      a.envelopes.forEach((e: unknown, j: number) => {
        const ea = `${at}.envelopes[${j}]`;
        if (!isObject(e)) return void problems.push(`${ea}: expected an object`);
        if (typeof e.name !== 'string' || e.name === '') problems.push(`${ea}.name: expected a non-empty string, got ${JSON.stringify(e.name)}`);
        else if (names.has(e.name)) problems.push(`${ea}.name: "${e.name}" appears twice in this application`);
        else names.add(e.name);
        for (const f of ['socMinPercent', 'socMaxPercent', 'dodFactor']) if (typeof e[f] !== 'number' || !Number.isFinite(e[f])) problems.push(`${ea}.${f}: expected a finite number, got ${JSON.stringify(e[f])}`);
        if (typeof e.activeCooling !== 'boolean') problems.push(`${ea}.activeCooling: expected true or false, got ${JSON.stringify(e.activeCooling)}`);
      });
    }
    if (problems.length > before) return;
    const spec = {
      ...(a as unknown as ApplicationSpec),
      id: id as string,
      envelopes: (a.envelopes as ApplicationSpec['envelopes']).map((e) => ({ ...e, description: e.description ?? '' })),
    };
    try {
      validateApplication(spec);
    } catch (error) {
      problems.push(`${at}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    out.push(spec);
  });
  if (problems.length) throw new ApplicationsFileError(problems);
  return out;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
