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
 *     "capacityLimitKwh": 35,               Σ deployed usable kWh the application takes, or
 *     "capacitySharePercent": 25,           that share of the fleet's energy eligible for it
 *     "economics": { "repurposingCostUsdPerModule", "integrationCostUsdPerKwh", "valueUsdPerMwh" },
 *     "envelopes": [ { "name", "description", "socMinPercent", "socMaxPercent",
 *                      "dodFactor" (0–1], "activeCooling": true|false }, … ] }   at least one
 *
 * Without a file the four defaults of the service are used (ids grid, solar, backup, microgrid).
 * Every problem is reported with its place (`applications[2].duty.cRate`) and value; the checks
 * are those of GraphQL (src/validation/application.ts).
 */
import { checkApplication, type ConfiguredApplication } from '../validation/application.js';
import { formatProblem, shownValue, type Problem } from '../validation/problem.js';

export type { ConfiguredApplication };

export class ApplicationsFileError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`invalid applications file:\n  ${problems.map(formatProblem).join('\n  ')}`);
    this.name = 'ApplicationsFileError';
  }
}

export function slugify(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const fileProblem = (message: string, value?: unknown): Problem => ({ row: null, column: null, value: value === undefined ? null : shownValue(value), message });

export function parseApplicationsJson(text: string): ConfiguredApplication[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ApplicationsFileError([fileProblem(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`)]);
  }
  return validateApplicationsList(raw);
}

export function validateApplicationsList(raw: unknown): ConfiguredApplication[] {
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.applications) ? raw.applications : null;
  if (!list) throw new ApplicationsFileError([fileProblem('expected a JSON array of applications (or { "applications": [...] })')]);
  if (list.length === 0) throw new ApplicationsFileError([fileProblem('the list of applications is empty')]);
  const problems: Problem[] = [];
  const out: ConfiguredApplication[] = [];
  const ids = new Map<string, number>();
  list.forEach((a: unknown, i: number) => {
    const at = `applications[${i}]`;
    const checked = checkApplication(a, at);
    problems.push(...checked.problems);
    if (!isObject(a)) return;
    const id = a.id === undefined ? (typeof a.name === 'string' ? slugify(a.name) : '') : a.id;
    if (typeof id !== 'string' || id === '') problems.push({ row: null, column: `${at}.id`, value: shownValue(a.id), message: 'expected a non-empty text' });
    else if (ids.has(id)) problems.push({ row: null, column: `${at}.id`, value: id, message: `"${id}" already used by applications[${ids.get(id)}]` });
    else ids.set(id, i);
    if (checked.application && typeof id === 'string' && id !== '') out.push({ ...checked.application, id });
  });
  if (problems.length) throw new ApplicationsFileError(problems);
  return out;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
