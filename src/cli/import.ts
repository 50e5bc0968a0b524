/** `relife import --fleet NAME FILE.csv`: adds a module CSV to a fleet, all rows or none. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';

const USAGE = `usage: relife import --fleet NAME [--create] [--tenant NAME] FILE.csv

Validates the whole file first; on any problem nothing is written and every problem is listed.
  --fleet NAME   target fleet (by name)
  --create       create the fleet if it does not exist
  --tenant NAME  the fleet's tenant (default: default)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { fleet: { type: 'string', short: 'f' }, create: { type: 'boolean' }, tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.fleet || positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const csv = await readFile(positionals[0], 'utf8');
  const { openDatabase } = await import('../db/client.js');
  const { createFleet, getFleetByName } = await import('../db/fleets.js');
  const { fleetSerials, insertModules } = await import('../db/modules.js');
  const { fleets } = await import('../db/schema/index.js');
  const { parseModulesCsv } = await import('../planning/modules-csv.js');
  const { withTenant } = await import('../db/tenant-scope.js');
  const { getTenantByName } = await import('../db/tenants.js');
  const { analyzeAfterBulkWrite } = await import('../db/maintenance.js');
  const database = await openDatabase();
  try {
    const name = values.fleet;
    const tenant = await getTenantByName(database.db, values.tenant ?? 'default');
    if (!tenant) {
      console.error(`relife import: tenant "${values.tenant}" not found (relife token create --tenant NAME creates one)`);
      return 1;
    }
    const outcome = await withTenant(database.db, tenant.id, async (tx) => {
      let fleet = await getFleetByName(tx, name);
      if (!fleet && values.create) fleet = await createFleet(tx, { name });
      if (!fleet) return { error: `fleet "${name}" not found (use --create)` } as const;
      await tx.select({ id: fleets.id }).from(fleets).where(eq(fleets.id, fleet.id)).for('update');
      const parsed = parseModulesCsv(csv, await fleetSerials(tx, fleet.id));
      if (!parsed.ok) {
        // Throwing rolls back a fleet created by --create as well.
        throw Object.assign(new Error('invalid CSV'), { problems: parsed.problems });
      }
      return { count: await insertModules(tx, fleet.id, parsed.modules) } as const;
    });
    if ('error' in outcome) {
      console.error(`relife import: ${outcome.error}`);
      return 1;
    }
    await analyzeAfterBulkWrite(database, 'modules', outcome.count);
    console.log(`imported ${outcome.count} modules into ${name}`);
    return 0;
  } catch (error) {
    const problems = (error as { problems?: { row: number | null; column: string | null; message: string }[] }).problems;
    if (!problems) throw error;
    console.error(`relife import: ${positionals[0]} rejected, nothing imported (${problems.length} problem(s)):`);
    for (const p of problems) console.error(`  ${p.row != null ? `row ${p.row}` : 'file'}${p.column ? `, column ${p.column}` : ''}: ${p.message}`);
    return 1;
  } finally {
    await database.close();
  }
}
