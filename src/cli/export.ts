/** `relife export --fleet NAME [--out FILE]`: a fleet's modules in the import CSV format. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const USAGE = `usage: relife export --fleet NAME [--out FILE.csv]

  --fleet NAME   the fleet, by name (as in relife import)
  --out FILE     write here (default: stdout); relife import reads it back unchanged`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { fleet: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.fleet) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const { openDatabase } = await import('../db/client.js');
  const { getFleetByName } = await import('../db/fleets.js');
  const { loadFleetModules } = await import('../db/modules.js');
  const { formatModulesCsv } = await import('../formats/modules-csv.js');
  const database = await openDatabase();
  try {
    const fleet = await getFleetByName(database.db, values.fleet);
    if (!fleet) {
      console.error(`relife export: fleet "${values.fleet}" not found`);
      return 1;
    }
    const csv = formatModulesCsv(await loadFleetModules(database.db, fleet.id));
    if (values.out) await writeFile(values.out, csv);
    else process.stdout.write(csv);
    return 0;
  } finally {
    await database.close();
  }
}
