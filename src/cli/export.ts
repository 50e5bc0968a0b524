/** `relife export --fleet NAME [--tenant NAME] [--out FILE]`: a fleet's modules in the import CSV format. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { fleet: { type: 'string', short: 'f' }, tenant: { type: 'string' }, out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.fleet) {
    (values.help ? console.log : console.error)('usage: relife export --fleet NAME [--tenant NAME] [--out FILE]   (stdout without --out; tenant default: default)');
    return values.help ? 0 : 2;
  }
  const { openDatabase } = await import('../db/client.js');
  const { getFleetByName } = await import('../db/fleets.js');
  const { loadFleetModules } = await import('../db/modules.js');
  const { formatModulesCsv } = await import('../planning/modules-csv.js');
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
