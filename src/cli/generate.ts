/**
 * `relife generate --modules N --seed S --out FLEET.csv`: a synthetic fleet (the paper's §3A
 * generator, src/twin/synthetic-fleet.ts) written in the module CSV format.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const USAGE = 'usage: relife generate --modules N --seed S --out FLEET.csv';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { modules: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.modules || values.seed === undefined || !values.out) {
    console.error(USAGE);
    return 2;
  }
  const size = Number(values.modules);
  if (!Number.isInteger(size) || size < 1 || size > 10_000_000) throw new Error(`--modules must be an integer in 1..10000000, got "${values.modules}"`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const { generateSyntheticFleet } = await import('../twin/synthetic-fleet.js');
  const { formatModulesCsv } = await import('../formats/modules-csv.js');
  await writeFile(values.out, formatModulesCsv(generateSyntheticFleet({ size, seed })));
  if (process.stderr.isTTY) console.error(`relife generate: ${size} modules (seed ${seed}) → ${values.out}`);
  return 0;
}
