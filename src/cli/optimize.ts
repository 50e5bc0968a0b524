/**
 * `relife optimize --fleet FLEET.csv [--applications APPS.json] --population P --generations G
 *   --seed S [--workers W] [--time-limit SECONDS] --out RESULT.json [--emit-problem PROBLEM.json]`
 *
 * Twin matrix (on W worker threads), NSGA-II over the allocation, RESULT.json as documented in
 * src/planning/result-json.ts. A progress bar on a terminal; silent otherwise (errors aside).
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { ConfiguredApplication } from '../validation/application.js';

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

/**
 * The applications for this fleet: capacities given as a share become kWh, and every warning
 * about capacities that do not fit the fleet goes to stderr.
 */
export async function applicationsForFleet(modules: readonly ModuleState[], path: string | undefined): Promise<ApplicationSpec[]> {
  const { fitCapacities } = await import('../planning/capacity-fit.js');
  const fit = fitCapacities(modules, await loadApplications(path));
  for (const warning of fit.warnings) console.error(`relife: warning: ${warning}`);
  return fit.applications;
}

export async function loadApplications(path: string | undefined): Promise<ConfiguredApplication[]> {
  const { defaultApplications, parseApplicationsJson } = await import('../planning/applications-file.js');
  if (!path) return defaultApplications();
  try {
    return parseApplicationsJson(await readFile(path, 'utf8'));
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

const USAGE = `usage: relife optimize --fleet FLEET.csv [--applications APPS.json] [--allow-suspect-units] --population P --generations G
                       --seed S [--workers W] [--time-limit SECONDS] --out RESULT.json [--emit-problem PROBLEM.json]`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fleet: { type: 'string' },
      applications: { type: 'string' },
      'allow-suspect-units': { type: 'boolean' },
      population: { type: 'string' },
      generations: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      'time-limit': { type: 'string' },
      out: { type: 'string' },
      'emit-problem': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.fleet || !values.out || !values.population || !values.generations || values.seed === undefined) {
    console.error(USAGE);
    return 2;
  }
  const { RUN_LIMITS: L } = await import('../validation/run-input.js');
  const population = intOption('population', values.population, L.populationMin, L.populationMax);
  const generations = intOption('generations', values.generations, L.generationsMin, L.generationsMax);
  const seed = intOption('seed', values.seed, L.seedMin, L.seedMax);
  const workers = intOption('workers', values.workers, L.workersMin, L.workersMax, 1);
  const timeLimitSeconds = values['time-limit'] !== undefined ? Number(values['time-limit']) : undefined;
  if (timeLimitSeconds !== undefined && !(timeLimitSeconds > 0 && timeLimitSeconds <= L.timeLimitSecondsMax)) throw new Error(`--time-limit must be a number of seconds > 0 and ≤ ${L.timeLimitSecondsMax}, got "${values['time-limit']}"`);

  const modules = await loadFleetCsv(values.fleet, { allowSuspectUnits: values['allow-suspect-units'] ?? false });
  const apps = await applicationsForFleet(modules, values.applications);
  const { optimizeAllocation } = await import('../planning/optimize.js');
  const { computePairCosts } = await import('../planning/allocation-problem.js');
  const { writeResultJson, writeProblemJson } = await import('../planning/result-json.js');
  const { computeTwinMatrix } = await import('../planning/twin-matrix.js');
  const { createWorkerPool } = await import('../solver/pool.js');

  const tty = process.stderr.isTTY === true;
  const pool = workers > 1 ? createWorkerPool({ threads: workers }) : undefined;
  try {
    const t0 = performance.now();
    const matrix = await computeTwinMatrix(modules, apps, { pool });
    const twinMatrixSeconds = (performance.now() - t0) / 1000;
    if (values['emit-problem']) await writeProblemJson(values['emit-problem'], modules, apps, matrix, computePairCosts(matrix, apps));
    const bar = tty ? progressBar(generations) : null;
    const result = await optimizeAllocation(modules, apps, {
      population,
      generations,
      seed,
      matrix,
      ...(timeLimitSeconds !== undefined ? { timeLimitSeconds } : {}),
      onGeneration: bar
        ? (p) => bar.update(p.generation, `HV ${p.hypervolume.toFixed(4)}  front ${p.frontSize}  ${p.elapsedSeconds.toFixed(1)} s`)
        : undefined,
    });
    bar?.done();
    result.stats.twinMatrixSeconds = twinMatrixSeconds;
    result.stats.seconds += twinMatrixSeconds;
    await writeResultJson(values.out, result);
    if (tty) {
      const knee = result.front[result.kneeIndex];
      console.error(
        `relife optimize: ${modules.length} modules × ${apps.length} applications, front of ${result.front.length} plans, HV ${result.stats.hypervolume.toFixed(4)}, ${result.stats.seconds.toFixed(1)} s → ${values.out}` +
          (knee ? `\n  knee: ${knee.objectives[0].toFixed(1)} kWh·yr, ${knee.objectives[1].toFixed(3)} %/yr, ${knee.objectives[2].toFixed(0)} USD` : ''),
      );
    }
    return 0;
  } finally {
    await pool?.destroy();
  }
}
