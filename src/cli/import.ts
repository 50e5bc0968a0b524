/** `relife import --fleet NAME [--create] FILE.csv`: adds a module CSV to a fleet, all rows or none. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: relife import --fleet NAME [--create] [--tenant NAME] [--delimiter comma|semicolon|tab] [--allow-suspect-units] [--dry-run] FILE.csv

Checks the whole file first; on any problem nothing is written (not even a fleet --create made)
and every problem is listed with its row and column. See docs/inputs.md for the format and checks.
  --fleet NAME            target fleet, by name
  --create                create the fleet if it does not exist (in the same transaction)
  --tenant NAME           the fleet's tenant (default: default)
  --delimiter D           column separator (default: detected from the header)
  --allow-suspect-units   import SOH ≤ 1.5 % and resistances below the floor for the nameplate
                          as written (refused by default as a likely fraction / ohms)
  --dry-run               check everything, write nothing

DATABASE_URL=postgres://… for PostgreSQL, else PGlite under RELIFE_DATA_DIR (./.relife); a PGlite
directory held by a running server is refused (use its API, or PostgreSQL for both).`;

const DELIMITER_NAMES = { comma: ',', semicolon: ';', tab: '\t' } as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fleet: { type: 'string', short: 'f' },
      create: { type: 'boolean' },
      tenant: { type: 'string' },
      delimiter: { type: 'string' },
      'allow-suspect-units': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.fleet || positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const delimiterName = values.delimiter;
  if (delimiterName !== undefined && !(delimiterName in DELIMITER_NAMES)) {
    console.error(`relife import: --delimiter must be comma, semicolon or tab, got "${delimiterName}"`);
    return 2;
  }
  const { checkFleetName } = await import('../validation/fleet.js');
  const { formatProblem, ValidationError } = await import('../validation/problem.js');
  const { NotFoundError, ConflictError } = await import('../services/errors.js');
  let name: string;
  try {
    name = checkFleetName(values.fleet, '--fleet');
  } catch (error) {
    console.error(`relife import: ${(error as Error).message}`);
    return 2;
  }
  const bytes = await readFile(positionals[0]!);
  const { openDatabase } = await import('../db/client.js');
  const { importModules } = await import('../services/import-modules.js');
  const { withTenant } = await import('../db/tenant-scope.js');
  const { appendAudit, getTenantByName } = await import('../db/tenants.js');
  const { analyzeAfterBulkWrite } = await import('../db/maintenance.js');
  const database = await openDatabase();
  try {
    const tenant = await getTenantByName(database.db, values.tenant ?? 'default');
    if (!tenant) {
      console.error(`relife import: tenant "${values.tenant}" not found (relife token create --tenant NAME creates one)`);
      return 1;
    }
    // The audit row is written in the import's own transaction: both land, or neither.
    const outcome = await withTenant(database.db, tenant.id, async (tx) => {
      const done = await importModules(tx, {
        target: { fleetName: name, create: values.create ?? false },
        csv: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        allowSuspectUnits: values['allow-suspect-units'] ?? false,
        ...(delimiterName ? { delimiter: DELIMITER_NAMES[delimiterName as keyof typeof DELIMITER_NAMES] } : {}),
        dryRun: values['dry-run'] ?? false,
      });
      if (!done.dryRun) {
        await appendAudit(tx, [
          {
            actor: 'cli',
            role: 'admin',
            action: 'importModules',
            target: { fleetId: done.fleet.id, fleet: name, importedCount: done.importedCount, createdFleet: done.createdFleet, file: basename(positionals[0]!) },
            outcome: 'ok',
          },
        ]);
      }
      return done;
    });
    if (!outcome.dryRun) await analyzeAfterBulkWrite(database, 'modules', outcome.importedCount);
    const verb = outcome.dryRun ? 'would import' : 'imported';
    console.log(`${verb} ${outcome.importedCount} modules into ${name}${outcome.createdFleet ? ' (new fleet)' : ''}`);
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      console.error(`relife import: ${positionals[0]} rejected, nothing imported (${error.problems.length} problem(s)):`);
      for (const p of error.problems) console.error(`  ${formatProblem(p)}`);
      return 1;
    }
    if (error instanceof NotFoundError) {
      console.error(`relife import: fleet "${name}" not found (use --create)`);
      return 1;
    }
    if (error instanceof ConflictError) {
      console.error(`relife import: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
