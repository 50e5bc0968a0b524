/**
 * `relife twin simulate --fleet FLEET.csv [--applications APPS.json] [--workers N] --out TWIN.json`
 *   one entry per module × application × envelope with the twin's summary.
 * `relife twin predict ...` (twin-predict.ts): P10/P50/P90 capacity of a measured history.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';

const USAGE = `usage:
  relife twin simulate --fleet FLEET.csv [--applications APPS.json] [--workers N] [--horizon-years Y] --out TWIN.json
  relife twin predict --history CELL.csv --chemistry NMC|LFP --nominal-ah X --temperature-c T --dod D --c-rate C
                      --calibrate-fraction F [--eol-fraction E] [--bootstrap B] [--select line|combined|in-history|fixed]
                      [--second-life-from-cycle N | --retire-fraction R] --out PRED.json`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'simulate') return simulateCommand(rest);
  if (sub === 'predict') return (await import('./twin-predict.js')).predictCommand(rest, USAGE);
  (sub === '--help' || sub === '-h' ? console.log : console.error)(USAGE);
  return sub === '--help' || sub === '-h' ? 0 : 2;
}

export function num(name: string, value: string | undefined, lo: number, hi: number): number {
  if (value === undefined) throw new Error(`--${name} is required`);
  const x = Number(value);
  if (!Number.isFinite(x) || x < lo || x > hi) throw new Error(`--${name} must be a number in [${lo}, ${hi}], got "${value}"`);
  return x;
}

async function simulateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fleet: { type: 'string' },
      applications: { type: 'string' },
      workers: { type: 'string' },
      'horizon-years': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.fleet || !values.out) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const { parseModulesCsv } = await import('../planning/modules-csv.js');
  const { DEFAULT_APPLICATIONS } = await import('../twin/default-applications.js');
  const { computeTwinMatrix, matrixViolations } = await import('../planning/twin-matrix.js');
  const { END_REASONS } = await import('../twin/simulate.js');

  const parsed = parseModulesCsv(await readFile(values.fleet, 'utf8'));
  if (!parsed.ok) {
    for (const p of parsed.problems.slice(0, 20)) console.error(`relife twin: ${values.fleet}: ${JSON.stringify(p)}`);
    return 1;
  }
  const modules = parsed.modules;
  type AppIn = import('../twin/types.js').ApplicationSpec;
  let apps: AppIn[];
  if (values.applications) {
    const raw: unknown = JSON.parse(await readFile(values.applications, 'utf8'));
    if (!Array.isArray(raw)) throw new Error(`${values.applications}: expected a JSON array of applications`);
    apps = raw.map((a: Partial<AppIn>, i) => ({ ...a, id: a.id ?? a.name ?? `app-${i + 1}` }) as AppIn);
  } else {
    apps = DEFAULT_APPLICATIONS.map((a) => ({ ...a, id: a.name }) as AppIn);
  }
  const workers = values.workers ? num('workers', values.workers, 0, 64) : 0;
  const horizonYears = values['horizon-years'] ? num('horizon-years', values['horizon-years'], 1, 100) : undefined;
  let pool: import('../solver/pool.js').WorkerPool | undefined;
  if (workers > 0) {
    const { createWorkerPool } = await import('../solver/pool.js');
    pool = createWorkerPool({ threads: workers });
  }
  const t0 = performance.now();
  try {
    const matrix = await computeTwinMatrix(modules, apps, { pool, horizonYears });
    const entries = [];
    for (let m = 0; m < modules.length; m++) {
      for (let a = 0; a < apps.length; a++) {
        const app = apps[a]!;
        for (let e = 0; e < app.envelopes.length; e++) {
          const i = (m * matrix.nApps + a) * matrix.nEnvelopes + e;
          entries.push({
            serial: modules[m]!.serial,
            applicationId: app.id,
            application: app.name,
            envelope: app.envelopes[e]!.name,
            usableEnergyKwh: matrix.usableEnergyKwh[i],
            rulYears: matrix.rulYears[i],
            endOfLifeReason: END_REASONS[matrix.endOfLifeReason[i]!],
            fadePctPerYear: matrix.fadePctPerYear[i],
            lifetimeEnergyMwh: matrix.lifetimeEnergyMwh[i],
            peakTemperatureC: matrix.peakTemperatureC[i],
            roundTripEfficiency: matrix.roundTripEfficiency[i],
            feasible: matrix.feasible[i] === 1,
            violations: matrix.feasible[i] === 1 ? [] : matrixViolations(matrix, modules, apps, i),
          });
        }
      }
    }
    await writeFile(values.out, JSON.stringify({ modules: modules.length, applications: apps.map((a) => a.id), entries }, null, 1));
    const seconds = (performance.now() - t0) / 1000;
    console.error(`relife twin: ${entries.length} projections of ${modules.length} modules in ${seconds.toFixed(2)} s → ${values.out}`);
    return 0;
  } finally {
    await pool?.destroy();
  }
}
