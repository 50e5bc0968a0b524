/**
 * `relife compare --fleet FLEET.csv [--applications APPS.json] [--population P] [--generations G]
 *   [--seed S] [--workers W] [--format table|json]`
 *
 * The reference paper's Tables 5 and 6 from our twin: static vs adaptive vs the NSGA-II knee
 * (definitions in src/planning/plan-evaluation.ts, printed with --format json).
 */
import { parseArgs } from 'node:util';
import { configurationForFleet, intOption, loadFleetCsv } from './common.js';

const USAGE = `usage: relife compare --fleet FLEET.csv [--applications APPS.json] [--allow-suspect-units] [--population 100] [--generations 200]
                      [--seed 1] [--workers W] [--format table|json]`;

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
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.fleet) {
    console.error(USAGE);
    return 2;
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new Error(`--format must be table or json, got "${format}"`);
  const { RUN_LIMITS: L } = await import('../validation/run-input.js');
  const population = intOption('population', values.population, L.populationMin, L.populationMax, 100);
  const generations = intOption('generations', values.generations, L.generationsMin, L.generationsMax, 200);
  const seed = intOption('seed', values.seed, L.seedMin, L.seedMax, 1);
  const workers = intOption('workers', values.workers, L.workersMin, L.workersMax, 1);
  const modules = await loadFleetCsv(values.fleet, { allowSuspectUnits: values['allow-suspect-units'] ?? false });
  const { applications: apps, pins, excludedModules: excluded } = await configurationForFleet(modules, values.applications);
  const { optimizeAllocation } = await import('../planning/optimize.js');
  const { METRIC_DEFINITIONS } = await import('../planning/plan-evaluation.js');
  const { formatComparisonTable } = await import('../formats/comparison-table.js');
  const result = await optimizeAllocation(modules, apps, { population, generations, seed, workers, pins, excluded });
  const comparison = { definitions: METRIC_DEFINITIONS, strategies: result.comparison };
  if (format === 'json') {
    console.log(
      JSON.stringify(
        {
          fleet: { modules: modules.length },
          applications: apps.map((a) => ({ id: a.id, capacityLimitKwh: a.capacityLimitKwh })),
          optimizer: { population, generations, seed, frontSize: result.front.length, hypervolume: result.stats.hypervolume },
          ...comparison,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(`${modules.length} modules, applications ${apps.map((a) => `${a.id} (${a.capacityLimitKwh} kWh)`).join(', ')}`);
    console.log(formatComparisonTable(comparison));
    console.log(`\nNSGA-II: population ${population}, ${generations} generations, seed ${seed}; front of ${result.front.length} plans.`);
    console.log('correct / misallocated / recycled are shares of all modules; means are over deployed modules (--format json for definitions).');
  }
  return 0;
}
