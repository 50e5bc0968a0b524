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
 *               optional "dailyTemperatureSwingC" (± °C of a daily sine, 0–25; default 0),
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
 * The object form may also hold the run's pinned and excluded modules, as `startOptimization`
 * takes them (and as `--pin` / `--exclude` give them on the command line):
 *
 *   { "applications": [...],
 *     "pins": [ { "module": "SERIAL", "application": "grid", "envelope": "standard" }, … ],
 *                                       envelope optional: the feasible one with the most storage-years
 *     "excludedModules": [ "SERIAL", … ] }      kept out of the allocation (reserved, held for tests)
 *
 * Here a pin names one of the file's applications (by id or name) and one of its envelopes; that
 * the module is in the fleet, is feasible where it is pinned and that the pins fit the capacity is
 * checked once the fleet is known (src/planning/restriction-check.ts, the check GraphQL runs).
 *
 * Without a file the four defaults of the service are used (ids grid, solar, backup, microgrid).
 * Every problem is reported with its place (`applications[2].duty.cRate`, `pins[1].envelope`) and
 * value; the checks are those of GraphQL (src/validation/application.ts).
 */
import { checkApplication, type ConfiguredApplication } from '../validation/application.js';
import { formatProblem, shownValue, type Problem } from '../validation/problem.js';
import type { ModulePin } from './allocation-types.js';
import { nearestColumn } from './modules-csv.js';

export type { ConfiguredApplication };

/** What an applications file configures: the applications, and the pins and exclusions of the run. */
export interface ApplicationsFile {
  applications: ConfiguredApplication[];
  pins: ModulePin[];
  excludedModules: string[];
}

const FILE_KEYS = ['applications', 'pins', 'excludedModules'] as const;
const PIN_KEYS = ['module', 'application', 'envelope'] as const;

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

/** The applications of a file (its pins and exclusions: parseApplicationsFile). */
export function parseApplicationsJson(text: string): ConfiguredApplication[] {
  return parseApplicationsFile(text).applications;
}

/** An applications file: every problem found (applications, pins, exclusions) in one error. */
export function parseApplicationsFile(text: string): ApplicationsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ApplicationsFileError([fileProblem(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`)]);
  }
  return validateApplicationsFile(raw);
}

export function validateApplicationsFile(raw: unknown): ApplicationsFile {
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.applications) ? raw.applications : null;
  if (!list) throw new ApplicationsFileError([fileProblem('expected a JSON array of applications (or { "applications": [...] })')]);
  if (list.length === 0) throw new ApplicationsFileError([fileProblem('the list of applications is empty')]);
  const problems: Problem[] = [];
  if (isObject(raw)) problems.push(...unknownKeys(raw, FILE_KEYS, ''));
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
  const restrictions = isObject(raw) ? checkRestrictionLists(raw, out, problems) : { pins: [], excludedModules: [] };
  if (problems.length) throw new ApplicationsFileError(problems);
  return { applications: out, ...restrictions };
}

/** Fields of an object that are not among `known`, each with the name it most likely means. */
function unknownKeys(obj: Record<string, unknown>, known: readonly string[], at: string): Problem[] {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) => {
      const near = nearestColumn(k, known);
      return {
        row: null,
        column: at ? `${at}.${k}` : k,
        value: null,
        message: `unknown field "${k}"${near ? `: did you mean ${near}?` : ` (expected ${known.join(', ')})`}`,
      };
    });
}

/**
 * The file's pins and exclusions, checked against its own applications: each pin an object
 * naming a module, one of the applications (id or name) and, when given, one of its envelopes;
 * no module listed twice or both pinned and excluded.
 */
function checkRestrictionLists(raw: Record<string, unknown>, apps: readonly ConfiguredApplication[], problems: Problem[]): Omit<ApplicationsFile, 'applications'> {
  const pins: ModulePin[] = [];
  const excludedModules: string[] = [];
  const firstPlace = new Map<string, string>();
  const claim = (module: string, place: string, field: string) => {
    const earlier = firstPlace.get(module);
    if (earlier !== undefined) {
      problems.push({ row: null, column: field, value: module, message: `module ${module} is already listed at ${earlier}` });
      return false;
    }
    firstPlace.set(module, place);
    return true;
  };
  if (raw.pins !== undefined) {
    if (!Array.isArray(raw.pins)) problems.push({ row: null, column: 'pins', value: shownValue(raw.pins), message: 'expected an array of { "module", "application", "envelope"? }' });
    else
      raw.pins.forEach((pin: unknown, i: number) => {
        const at = `pins[${i}]`;
        if (!isObject(pin)) return void problems.push({ row: null, column: at, value: shownValue(pin), message: 'expected an object { "module", "application", "envelope"? }' });
        const before = problems.length;
        problems.push(...unknownKeys(pin, PIN_KEYS, at));
        const { module, application, envelope } = pin;
        if (typeof module !== 'string' || module.trim() === '') problems.push({ row: null, column: `${at}.module`, value: module === undefined ? null : shownValue(module), message: 'expected the serial of a module of the fleet' });
        const app = typeof application === 'string' ? apps.find((a) => a.id === application || a.name === application) : undefined;
        if (!app) {
          problems.push({
            row: null,
            column: `${at}.application`,
            value: application === undefined ? null : shownValue(application),
            message: `expected the id of one of this file's applications (${apps.map((a) => a.id).join(', ')})`,
          });
        } else if (envelope !== undefined && (typeof envelope !== 'string' || !app.envelopes.some((e) => e.name === envelope))) {
          problems.push({ row: null, column: `${at}.envelope`, value: shownValue(envelope), message: `${app.id} has no such envelope (it has ${app.envelopes.map((e) => e.name).join(', ')})` });
        }
        const claimed = typeof module === 'string' && module.trim() !== '' && claim(module, at, `${at}.module`);
        if (problems.length > before || !claimed || !app) return;
        pins.push({ module: module as string, application: app.id, ...(envelope !== undefined ? { envelope: envelope as string } : {}) });
      });
  }
  if (raw.excludedModules !== undefined) {
    if (!Array.isArray(raw.excludedModules)) problems.push({ row: null, column: 'excludedModules', value: shownValue(raw.excludedModules), message: 'expected an array of module serials' });
    else
      raw.excludedModules.forEach((module: unknown, i: number) => {
        const at = `excludedModules[${i}]`;
        if (typeof module !== 'string' || module.trim() === '') return void problems.push({ row: null, column: at, value: shownValue(module), message: 'expected the serial of a module of the fleet' });
        if (claim(module, at, at)) excludedModules.push(module);
      });
  }
  return { pins, excludedModules };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
