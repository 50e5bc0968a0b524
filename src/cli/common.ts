/**
 * What the command-line commands share: reading a fleet CSV and an applications file (with its
 * pins and exclusions) as the API checks them, numeric flags with their bounds, and the terminal progress bar.
 */
import { readFile } from 'node:fs/promises';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { ApplicationsFile } from '../planning/applications-file.js';
import type { ModulePin } from '../planning/allocation-types.js';

/** A number flag within [lo, hi] (required). */
export function num(name: string, value: string | undefined, lo: number, hi: number): number {
  if (value === undefined) throw new Error(`--${name} is required`);
  const x = Number(value);
  if (!Number.isFinite(x) || x < lo || x > hi) throw new Error(`--${name} must be a number in [${lo}, ${hi}], got "${value}"`);
  return x;
}

/** A fleet CSV, checked as `relife import` checks it (docs/inputs.md). */
export async function loadFleetCsv(path: string, options: { allowSuspectUnits?: boolean } = {}): Promise<ModuleState[]> {
  const { parseModulesCsv } = await import('../planning/modules-csv.js');
  const parsed = parseModulesCsv(await readFile(path, 'utf8'), { allowSuspectUnits: options.allowSuspectUnits ?? false });
  if (!parsed.ok) {
    const lines = parsed.problems.slice(0, 20).map((p) => `  ${p.row !== null ? `row ${p.row}` : 'file'}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const more = parsed.problems.length > 20 ? `\n  … and ${parsed.problems.length - 20} more` : '';
    throw new Error(`${path}: invalid module CSV\n${lines.join('\n')}${more}`);
  }
  return parsed.modules;
}

/** What a run of the command line is configured with: applications fitted to the fleet, pins, exclusions. */
export interface RunConfiguration {
  applications: ApplicationSpec[];
  pins: ModulePin[];
  excludedModules: string[];
}

/**
 * The applications file (or the defaults) for this fleet: capacities given as a share become kWh,
 * every warning about capacities that do not fit the fleet goes to stderr, and the file's pins and
 * exclusions are checked against the fleet as GraphQL checks them (module in the fleet, feasible
 * where pinned, pins within capacity), each problem named by its place in the file.
 */
export async function configurationForFleet(modules: readonly ModuleState[], path: string | undefined): Promise<RunConfiguration> {
  const { fitCapacities } = await import('../planning/capacity-fit.js');
  const file = await loadApplicationsFile(path);
  const fit = fitCapacities(modules, file.applications);
  for (const warning of fit.warnings) console.error(`relife: warning: ${warning}`);
  if (file.pins.length > 0 || file.excludedModules.length > 0) {
    const { checkRestrictions } = await import('../planning/restriction-check.js');
    const problems = checkRestrictions(modules, fit.applications, file.pins, file.excludedModules);
    if (problems.length > 0) {
      // The resolver names the lists pins / excluded; the file calls the second excludedModules.
      const lines = problems.map((p) => `${p.field.replace(/^excluded\[/, 'excludedModules[')}: ${p.message}`);
      throw new Error(`${path}: invalid applications file:\n  ${lines.join('\n  ')}`);
    }
  }
  return { applications: fit.applications, pins: file.pins, excludedModules: file.excludedModules };
}

/** The applications file at `path` as written (no fleet yet), or the defaults without pins. */
export async function loadApplicationsFile(path: string | undefined): Promise<ApplicationsFile> {
  const { parseApplicationsFile } = await import('../planning/applications-file.js');
  const { defaultApplications } = await import('../demo/default-applications.js');
  if (!path) return { applications: defaultApplications(), pins: [], excludedModules: [] };
  try {
    return parseApplicationsFile(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function intOption(name: string, value: string | undefined, lo: number, hi: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  const x = Number(value);
  if (!Number.isInteger(x) || x < lo || x > hi) throw new Error(`--${name} must be an integer in ${lo}..${hi}, got "${value}"`);
  return x;
}

/** A one-line progress bar on stderr (only used when stderr is a terminal). */
export function progressBar(total: number): { update(gen: number, text: string): void; done(): void } {
  const width = 30;
  return {
    update(gen, text) {
      const filled = Math.round((Math.min(gen, total) / total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${gen}/${total} ${text}\x1b[K`);
    },
    done() {
      process.stderr.write('\n');
    },
  };
}
