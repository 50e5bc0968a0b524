/**
 * `relife generate --modules N [--seed S] [--out FLEET.csv]`: a synthetic fleet (the paper's §3A
 * generator, src/twin/synthetic-fleet.ts) in the module CSV format; stdout without --out, like
 * `relife export`.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const MAX_MODULES = 10_000_000;

const USAGE = `usage: relife generate --modules N [--seed S] [--stressed-fraction F] [--out FLEET.csv]

  --modules N             number of modules, 1–${MAX_MODULES}
  --seed S                generator seed (default 1); the same seed gives the same fleet
  --stressed-fraction F   share of thermally stressed fast-ageing modules, 0–1 (default 0.2)
  --out FILE              write here (default: stdout)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      modules: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      'stressed-fraction': { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.modules) {
    console.error(USAGE);
    return 2;
  }
  const size = Number(values.modules);
  if (!Number.isInteger(size) || size < 1 || size > MAX_MODULES) throw new Error(`--modules must be an integer in 1..${MAX_MODULES}, got "${values.modules}"`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const stressedFraction = values['stressed-fraction'] === undefined ? undefined : Number(values['stressed-fraction']);
  if (stressedFraction !== undefined && !(stressedFraction >= 0 && stressedFraction <= 1)) {
    throw new Error(`--stressed-fraction must be a number in 0..1, got "${values['stressed-fraction']}"`);
  }
  const { generateSyntheticFleet } = await import('../demo/synthetic-fleet.js');
  const { formatModulesCsv } = await import('../formats/modules-csv.js');
  const csv = formatModulesCsv(generateSyntheticFleet({ size, seed, ...(stressedFraction !== undefined ? { stressedFraction } : {}) }));
  if (values.out) {
    await writeFile(values.out, csv);
    if (process.stderr.isTTY) console.error(`relife generate: ${size} modules (seed ${seed}) → ${values.out}`);
  } else process.stdout.write(csv);
  return 0;
}
