/**
 * `relife optimize --fleet FLEET.csv [--applications APPS.json] --population P --generations G
 *   --seed S [--workers W] [--time-limit SECONDS] [--out RESULT.json] [--emit-problem PROBLEM.json]
 *   [--plan-csv PLAN.csv] [--plan-json PLAN.json] [--plan-xlsx PLAN.xlsx]
 *   [--pick knee|max-storage|min-cost|min-fade|INDEX]
 *   [--pin SERIAL=APPLICATION[/ENVELOPE]]… [--exclude SERIAL]… [--exact-seconds S | --no-exact]
 *   [--algorithm nsga2|nsga3]`
 *
 * Twin matrix (on W worker threads), exact anchor points and bounds (HiGHS), NSGA-II over the
 * allocation, RESULT.json as documented in
 * src/formats/result-json.ts, the picked solution as a plan (src/formats/plan-*.ts). A progress
 * bar on a terminal (stderr); the end-of-run summary on stdout, ending with one line per bounded
 * objective and the front's gap to its bound (RESULT.json `bounds` carries the same figures).
 */
import { parseArgs } from 'node:util';
import { configurationForFleet, intOption, loadFleetCsv, progressBar } from './common.js';
import { writeFile } from 'node:fs/promises';
import type { PlanSheet } from '../formats/plan-table.js';
import type { AllocationResult } from '../planning/allocation-types.js';
import type { ModuleState } from '../twin/types.js';
import type { ModulePin } from '../planning/allocation-types.js';

/** Solution `index` of a CLI run as a plan sheet: rows and reasons from the run's own figures. */
async function cliPlanSheet(result: AllocationResult, modules: readonly ModuleState[], index: number): Promise<PlanSheet> {
  const { planRows, toPlanLine } = await import('../planning/plan-rows.js');
  const { planObjectives } = await import('../formats/plan-table.js');
  const { OBJECTIVES } = await import('../planning/allocation-types.js');
  const s = result.front[index]!;
  const apps = result.applications;
  const rows = planRows(result.figures, apps, (m) => modules[m]!, s);
  return {
    title: `Plan: solution ${index}${s.knee ? ' (knee)' : ''} of ${result.front.length}, ${modules.length} modules`,
    planId: null,
    runId: null,
    solutionIndex: index,
    knee: s.knee,
    objectives: planObjectives(
      OBJECTIVES.map((o) => o.name),
      s.objectives,
    ),
    figuresSource: 'the twin figures the run scored',
    createdAt: new Date().toISOString(),
    applications: apps.map((a) => ({ id: a.id, name: a.name, capacityLimitKwh: a.capacityLimitKwh })),
    lines: rows.map((r) => {
      const m = modules[r.position]!;
      return toPlanLine(r, apps, m.serial, null, { ...m, ageYears: m.ageYears ?? null });
    }),
  };
}


const USAGE = `usage: relife optimize --fleet FLEET.csv [--applications APPS.json] [--allow-suspect-units] --population P --generations G
                       --seed S [--workers W] [--time-limit SECONDS] [--out RESULT.json] [--emit-problem PROBLEM.json]
                       [--plan-csv PLAN.csv] [--plan-json PLAN.json] [--plan-xlsx PLAN.xlsx]
                       [--pick knee|max-storage|min-cost|min-fade|INDEX]   (default knee; give --out or a --plan-*)
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
      'plan-csv': { type: 'string' },
      'plan-json': { type: 'string' },
      'plan-xlsx': { type: 'string' },
      pick: { type: 'string' },
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
  const planOutputs = values['plan-csv'] || values['plan-json'] || values['plan-xlsx'];
  if (!values.fleet || !(values.out || planOutputs) || !values.population || !values.generations || values.seed === undefined) {
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
  const { parsePick, pickSolution } = await import('../planning/pick.js');
  const pick = parsePick(values.pick ?? 'knee');
  const algorithm = values.algorithm ?? 'nsga2';
  if (algorithm !== 'nsga2' && algorithm !== 'nsga3') throw new Error(`--algorithm must be nsga2 or nsga3, got "${values.algorithm}"`);
  const flagPins = (values.pin ?? []).map(parsePin);
  const exactSeconds = values['exact-seconds'] !== undefined ? Number(values['exact-seconds']) : undefined;
  if (exactSeconds !== undefined && !(exactSeconds > 0)) throw new Error(`--exact-seconds must be a number of seconds > 0, got "${values['exact-seconds']}"`);
  if (exactSeconds !== undefined && values['no-exact']) throw new Error('--exact-seconds and --no-exact exclude each other');

  const modules = await loadFleetCsv(values.fleet, { allowSuspectUnits: values['allow-suspect-units'] ?? false });
  const configuration = await configurationForFleet(modules, values.applications);
  const apps = configuration.applications;
  // The file's pins and exclusions first, then the flags'.
  const pins = [...configuration.pins, ...flagPins];
  const excluded = [...configuration.excludedModules, ...(values.exclude ?? [])];
  const { optimizeAllocation } = await import('../planning/optimize.js');
  const { computePairCosts } = await import('../planning/allocation-problem.js');
  const { writeResultJson, writeProblemJson } = await import('../formats/result-json.js');
  const { computeTwinMatrix } = await import('../planning/twin-matrix.js');
  const { createWorkerPool } = await import('../solver/index.js');

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
    const written: string[] = [];
    if (values.out) {
      await writeResultJson(values.out, result);
      written.push(`${values.out} (every solution of the front)`);
    }
    if (result.front.length === 0) {
      if (planOutputs) throw new Error('the run found no plan (empty front): no plan written');
      process.stdout.write(`relife optimize: ${modules.length} modules, empty front\n`);
      return 0;
    }
    const index = pickSolution(result.front, result.kneeIndex, pick);
    const sheet = await cliPlanSheet(result, modules, index);
    if (values['plan-csv']) {
      const { formatPlanCsv } = await import('../formats/plan-csv.js');
      await writeFile(values['plan-csv'], formatPlanCsv(sheet));
      written.push(`${values['plan-csv']} (plan, CSV)`);
    }
    if (values['plan-json']) {
      const { formatPlanJson } = await import('../formats/plan-json.js');
      await writeFile(values['plan-json'], formatPlanJson(sheet));
      written.push(`${values['plan-json']} (plan, JSON)`);
    }
    if (values['plan-xlsx']) {
      const { formatPlanXlsx } = await import('../formats/plan-xlsx.js');
      await writeFile(values['plan-xlsx'], await formatPlanXlsx(sheet));
      written.push(`${values['plan-xlsx']} (plan, XLSX)`);
    }
    const { formatRunSummary } = await import('../formats/run-summary.js');
    process.stdout.write(
      formatRunSummary({
        modules: modules.length,
        applications: apps.length,
        frontSize: result.front.length,
        hypervolume: result.stats.hypervolume,
        seconds: result.stats.seconds,
        pick: String(values.pick ?? 'knee'),
        sheet,
        bounds: result.bounds,
        written,
      }),
    );
    return 0;
  } finally {
    await pool?.destroy();
  }
}
