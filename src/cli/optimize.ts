/**
 * `relife optimize --fleet FLEET.csv [--applications APPS.json] --population P --generations G
 *   --seed S [--workers W] [--time-limit SECONDS] --out RESULT.json [--emit-problem PROBLEM.json]
 *   [--pin SERIAL=APPLICATION[/ENVELOPE]]… [--exclude SERIAL]… [--exact-seconds S | --no-exact]
 *   [--algorithm nsga2|nsga3]`
 *
 * Twin matrix (on W worker threads), exact anchor points and bounds (HiGHS), NSGA-II over the
 * allocation, RESULT.json as documented in src/planning/result-json.ts. A progress bar on a
 * terminal, and a summary there ending with one line per bounded objective and the front's gap to
 * its bound (RESULT.json `bounds` carries the same figures); silent otherwise (errors aside).
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { ModulePin, ObjectiveBoundReport } from '../planning/allocation-types.js';

export async function loadFleetCsv(path: string): Promise<ModuleState[]> {
  const { parseModulesCsv } = await import('../planning/modules-csv.js');
  const parsed = parseModulesCsv(await readFile(path, 'utf8'));
  if (!parsed.ok) {
    const lines = parsed.problems.slice(0, 20).map((p) => `  ${p.row !== null ? `row ${p.row}` : 'file'}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const more = parsed.problems.length > 20 ? `\n  … and ${parsed.problems.length - 20} more` : '';
    throw new Error(`${path}: invalid module CSV\n${lines.join('\n')}${more}`);
  }
  return parsed.modules;
}

export async function loadApplications(path: string | undefined): Promise<ApplicationSpec[]> {
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

const USAGE = `usage: relife optimize --fleet FLEET.csv [--applications APPS.json] --population P --generations G
                       --seed S [--workers W] [--time-limit SECONDS] --out RESULT.json [--emit-problem PROBLEM.json]
                       [--pin SERIAL=APPLICATION[/ENVELOPE]]... [--exclude SERIAL]...
                       [--exact-seconds S | --no-exact] [--algorithm nsga2|nsga3]`;

/** `SERIAL=APPLICATION[/ENVELOPE]` → a pin (the serial may itself contain '=' only before the last one). */
export function parsePin(text: string): ModulePin {
  const eq = text.lastIndexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new Error(`--pin must look like SERIAL=APPLICATION or SERIAL=APPLICATION/ENVELOPE, got "${text}"`);
  const target = text.slice(eq + 1);
  const slash = target.indexOf('/');
  return slash < 0
    ? { module: text.slice(0, eq), application: target }
    : { module: text.slice(0, eq), application: target.slice(0, slash), envelope: target.slice(slash + 1) };
}

/** "best storage-years 2,148.9 kWh·yr, within 0.56 % of the LP bound 2,160.9" lines. */
export function formatBoundLines(bounds: readonly ObjectiveBoundReport[]): string[] {
  return bounds.map((b) => {
    const what = b.objective === 'storageYears' ? 'storage-years' : 'cost';
    const unit = b.objective === 'storageYears' ? 'kWh·yr' : 'USD';
    const fmt = (v: number) => v.toLocaleString('en', { maximumFractionDigits: 1 });
    if (b.bound === null || b.bestOnFront === null || b.gapPercent === null) return `  best ${what}: no bound (${b.note ?? 'not computed'})`;
    return `  best ${what} ${fmt(b.bestOnFront)} ${unit}, within ${b.gapPercent.toFixed(2)} % of the ${b.method} bound ${fmt(b.bound)}`;
  });
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fleet: { type: 'string' },
      applications: { type: 'string' },
      population: { type: 'string' },
      generations: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      'time-limit': { type: 'string' },
      out: { type: 'string' },
      'emit-problem': { type: 'string' },
      pin: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      'exact-seconds': { type: 'string' },
      'no-exact': { type: 'boolean' },
      algorithm: { type: 'string' },
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
  const population = intOption('population', values.population, 4, 100_000);
  const generations = intOption('generations', values.generations, 1, 1_000_000);
  const seed = intOption('seed', values.seed, -2147483648, 4294967295);
  const workers = intOption('workers', values.workers, 0, 256, 1);
  const timeLimitSeconds = values['time-limit'] !== undefined ? Number(values['time-limit']) : undefined;
  if (timeLimitSeconds !== undefined && !(timeLimitSeconds > 0)) throw new Error(`--time-limit must be a number of seconds > 0, got "${values['time-limit']}"`);
  const algorithm = values.algorithm ?? 'nsga2';
  if (algorithm !== 'nsga2' && algorithm !== 'nsga3') throw new Error(`--algorithm must be nsga2 or nsga3, got "${values.algorithm}"`);
  const pins = (values.pin ?? []).map(parsePin);
  const excluded = values.exclude ?? [];
  const exactSeconds = values['exact-seconds'] !== undefined ? Number(values['exact-seconds']) : undefined;
  if (exactSeconds !== undefined && !(exactSeconds > 0)) throw new Error(`--exact-seconds must be a number of seconds > 0, got "${values['exact-seconds']}"`);
  if (exactSeconds !== undefined && values['no-exact']) throw new Error('--exact-seconds and --no-exact exclude each other');

  const modules = await loadFleetCsv(values.fleet);
  const apps = await loadApplications(values.applications);
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
      algorithm,
      pins,
      excluded,
      exact: values['no-exact'] ? false : exactSeconds !== undefined ? { timeBudgetSeconds: exactSeconds } : {},
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
          (knee ? `\n  knee: ${knee.objectives[0].toFixed(1)} kWh·yr, ${knee.objectives[1].toFixed(3)} %/yr, ${knee.objectives[2].toFixed(0)} USD` : '') +
          (result.bounds.length > 0 ? `\n${formatBoundLines(result.bounds).join('\n')}` : ''),
      );
    }
    return 0;
  } finally {
    await pool?.destroy();
  }
}
