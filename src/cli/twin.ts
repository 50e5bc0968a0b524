/**
 * `relife twin simulate --fleet FLEET.csv [--applications APPS.json] [--workers N] --out TWIN.json`
 *   one entry per module × application × envelope with the twin's summary.
 * `relife twin predict ...` (twin-predict.ts): P10/P50/P90 capacity of a measured history.
 * `relife twin cell --chemistry NMC|LFP|NCA|LMO --profile DAY.csv --years N --out OUT.json`
 *   life of a fresh cell under a repeating profile (columns time_s,soc,temperature_c; one period),
 *   as NREL BLAST-Lite runs it: relative capacity and resistance at least monthly.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { num } from './common.js';
import { parse } from 'csv-parse/sync';

const USAGE = `usage:
  relife twin simulate --fleet FLEET.csv [--applications APPS.json] [--workers N] [--horizon-years Y] --out TWIN.json
  relife twin predict --history CELL.csv --chemistry NMC|LFP --nominal-ah X --temperature-c T --dod D --c-rate C
                      --calibrate-fraction F [--eol-fraction E] [--bootstrap B] [--select line|combined|in-history|fixed]
                      [--second-life-from-cycle N | --retire-fraction R] --out PRED.json
  relife twin cell --chemistry NMC|LFP|NCA|LMO --profile DAY.csv --years N [--no-conserve-throughput] --out OUT.json
                   DAY.csv: time_s,soc,temperature_c, one period of the duty (repeated)`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'simulate') return simulateCommand(rest);
  if (sub === 'predict') return (await import('./twin-predict.js')).predictCommand(rest, USAGE);
  if (sub === 'cell') return cellCommand(rest);
  (sub === '--help' || sub === '-h' ? console.log : console.error)(USAGE);
  return sub === '--help' || sub === '-h' ? 0 : 2;
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
  const { DEFAULT_APPLICATIONS } = await import('../demo/default-applications.js');
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
  let pool: import('../solver/index.js').WorkerPool | undefined;
  if (workers > 0) {
    const { createWorkerPool } = await import('../solver/index.js');
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

async function cellCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      chemistry: { type: 'string' },
      profile: { type: 'string' },
      years: { type: 'string' },
      'no-conserve-throughput': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.profile || !values.out || !values.chemistry) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const { cellModelFor, CELL_MODELS } = await import('../twin/models/index.js');
  const { simulateCellLife } = await import('../twin/cell-life.js');
  const { validateSocProfile, TwinInputError } = await import('../twin/validate.js');
  const chemistry = values.chemistry.toUpperCase();
  if (!(chemistry in CELL_MODELS)) throw new Error(`unknown chemistry "${values.chemistry}" (--chemistry ${Object.keys(CELL_MODELS).join('|')})`);
  const years = num('years', values.years, 0.01, 100);
  const text = await readFile(values.profile, 'utf8');
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new Error(`${values.profile}: not a CSV file (${(e as Error).message})`);
  }
  const header = rows.length > 0 ? Object.keys(rows[0]!) : text.split(/\r?\n/, 1)[0]!.split(',').map((c) => c.trim().toLowerCase());
  for (const col of ['time_s', 'soc', 'temperature_c']) {
    if (!header.includes(col)) throw new Error(`${values.profile}: missing column "${col}" (need time_s,soc,temperature_c; got ${header.join(',') || 'nothing'})`);
  }
  const cell = (v: string | undefined) => (v === undefined || v === '' ? v : Number(v));
  let profile;
  try {
    profile = validateSocProfile(values.profile, rows.map((r) => ({ timeS: cell(r.time_s), soc: cell(r.soc), temperatureC: cell(r.temperature_c) })), 2);
  } catch (e) {
    if (e instanceof TwinInputError) {
      console.error(`relife twin cell: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const model = cellModelFor(chemistry);
  const life = simulateCellLife(model, profile, { years, conserveThroughput: !values['no-conserve-throughput'] });
  await writeFile(values.out, JSON.stringify({ chemistry, ...life }, null, 1));
  for (const w of life.warnings) console.error(`relife twin cell: note: ${w}`);
  console.error(`relife twin cell: ${model.label}, ${years} y, ${life.days.length} points → ${values.out}`);
  return 0;
}
