/** `relife export --fleet NAME [--tenant NAME] [--out FILE]`: a fleet's modules in the import CSV format. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const USAGE = `usage: relife export --fleet NAME [--tenant NAME] [--out FILE.csv]

  --fleet NAME   the fleet, by name (as in relife import)
  --tenant NAME  the fleet's tenant (default: default)
  --out FILE     write here (default: stdout); relife import reads it back unchanged`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { fleet: { type: 'string', short: 'f' }, tenant: { type: 'string' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.fleet) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const { openDatabase } = await import('../db/client.js');
  const { getFleetByName } = await import('../db/fleets.js');
  const { loadFleetModules } = await import('../db/modules.js');
  const { formatModulesCsv } = await import('../formats/modules-csv.js');
  const { withTenant } = await import('../db/tenant-scope.js');
  const { getTenantByName } = await import('../db/tenants.js');
  const database = await openDatabase();
  try {
    const tenant = await getTenantByName(database.db, values.tenant ?? 'default');
    const fleetName = values.fleet;
    const modules = tenant
      ? await withTenant(database.db, tenant.id, async (tx) => {
          const fleet = await getFleetByName(tx, fleetName);
          return fleet ? loadFleetModules(tx, fleet.id) : undefined;
        })
      : undefined;
    if (!modules) {
      console.error(`relife export: fleet "${values.fleet}" not found${tenant ? '' : ` (no tenant "${values.tenant}")`}`);
      return 1;
    }
    const csv = formatModulesCsv(modules);
    if (values.out) await writeFile(values.out, csv);
    else process.stdout.write(csv);
    return 0;
  } finally {
    await database.close();
  }
}
