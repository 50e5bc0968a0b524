/** Fleet: a batch of retired modules; its queries and mutations. */
import { createContextCache } from '@pothos/core';
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { isUniqueViolation } from '../db/client.js';
import { analyzeAfterBulkWrite } from '../db/maintenance.js';
import { csvRowsOver, CsvRowLimitError, readCsvLimited, readLimits } from '../http/limits.js';
import { createFleet, deleteFleet, fleetStats, getFleet, getFleetByName, getFleetsByIds, listFleets, type FleetRow, type FleetStats } from '../db/fleets.js';
import { countFilteredModules, insertModules, pageFleetModules, type ModuleFilter, type StoredModule } from '../db/modules.js';
import { MAX_CSV_BYTES, type Delimiter } from '../planning/modules-csv.js';
import { importModules, type ImportTarget } from '../services/import-modules.js';
import { checkFleetName } from '../validation/fleet.js';
import { generateSyntheticFleet } from '../demo/synthetic-fleet.js';
import { builder, ConflictError, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, NotFoundError, ValidationError, type RelifeContext } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { inIdOrder, parseGlobalId, tryParseGlobalId } from './node-ids.js';
import { BatteryModuleRef, ChemistryEnum, moduleFieldsSelected } from './module.js';

const statsLoader = createContextCache(
  (ctx: RelifeContext) =>
    new DataLoader<string, FleetStats>(async (ids) => {
      const stats = await fleetStats(ctx.db, ids);
      return ids.map((id) => stats.get(id) ?? { moduleCount: 0, totalEnergyKwh: 0 });
    }),
);

const COUNT_SCOPE = Symbol('moduleCountScope');

export const FleetRef = builder.loadableNode('Fleet', {
  description: 'A batch of retired modules planned together',
  id: { resolve: (f: FleetRow) => f.id },
  load: async (ids: string[], ctx) => inIdOrder(ids, await getFleetsByIds(ctx.db, ids), 'Fleet'),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (f) => f.createdAt }),
    moduleCount: t.int({ resolve: async (f, _a, ctx) => (await statsLoader(ctx).load(f.id)).moduleCount }),
    totalEnergyKwh: t.float({
      description: 'Sum of the modules’ full-charge energy (nameplate Ah × V × SOH), kWh',
      resolve: async (f, _a, ctx) => (await statsLoader(ctx).load(f.id)).totalEnergyKwh,
    }),
    modules: t.connection({
      type: BatteryModuleRef,
      description: `Modules by serial; at most ${MAX_PAGE_SIZE} per page`,
      args: {
        sohMinPercent: t.arg.float({ required: false }),
        sohMaxPercent: t.arg.float({ required: false }),
        chemistry: t.arg({ type: ChemistryEnum, required: false }),
      },
      resolve: async (fleet, args, ctx, info) => {
        const filter: ModuleFilter = { sohMinPercent: args.sohMinPercent, sohMaxPercent: args.sohMaxPercent, chemistry: args.chemistry };
        // Only the columns the selected fields read (the whole row when one needs it, e.g. health).
        const fields = moduleFieldsSelected(info);
        const connection = await resolveCursorConnection(
          { args, toCursor: (m: StoredModule) => m.serial, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
          async ({ before, after, limit, inverted }: ResolveCursorConnectionArgs): Promise<StoredModule[]> => {
            const page = { afterSerial: after, beforeSerial: before, limit, descending: inverted };
            // A lean row carries every field the selected resolvers read (FIELD_NEEDS), no more.
            return fields ? ((await pageFleetModules(ctx.db, fleet.id, filter, page, fields)) as StoredModule[]) : pageFleetModules(ctx.db, fleet.id, filter, page);
          },
        );
        // Counted only when totalCount is asked for.
        return Object.assign(connection, { [COUNT_SCOPE]: { fleetId: fleet.id, filter } });
      },
    }, {
      fields: (c) => ({
        totalCount: c.int({
          description: 'Modules matching the filters (all pages)',
          resolve: (connection, _args, ctx) => {
            const scope = (connection as unknown as { [COUNT_SCOPE]: { fleetId: string; filter: ModuleFilter } })[COUNT_SCOPE];
            return countFilteredModules(ctx.db, scope.fleetId, scope.filter);
          },
        }),
      }),
    }),
  }),
});

builder.objectField(BatteryModuleRef, 'fleet', (t) =>
  t.field({
    type: FleetRef,
    description: 'The fleet this module belongs to',
    resolve: (m) => m.fleetId,
  }),
);

builder.queryFields((t) => ({
  fleets: t.connection({
    type: FleetRef,
    description: 'All fleets by name',
    resolve: async (_root, args, ctx) =>
      resolveCursorConnection(
        { args, toCursor: (f) => f.name, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
        async ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) => {
          // Fleets are few (one per delivery): page in memory over the name-ordered list.
          let rows = await listFleets(ctx.db);
          if (after != null) rows = rows.filter((f) => f.name > after);
          if (before != null) rows = rows.filter((f) => f.name < before);
          if (inverted) rows.reverse();
          return rows.slice(0, limit);
        },
      ),
  }),
  fleet: t.field({
    type: FleetRef,
    nullable: true,
    args: { id: t.arg.id({ required: false }), name: t.arg.string({ required: false }) },
    description: 'A fleet by global ID or by name',
    resolve: async (_root, args, ctx) => {
      if (args.id != null) {
        const id = tryParseGlobalId(String(args.id), 'Fleet');
        return id ? ((await getFleet(ctx.db, id)) ?? null) : null;
      }
      if (args.name != null) return (await getFleetByName(ctx.db, args.name)) ?? null;
      return null;
    },
  }),
}));

const CreateFleetInput = builder.inputType('CreateFleetInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
  }),
});

export { checkFleetName };

export async function assertFleetNameFree(ctx: RelifeContext, name: string): Promise<void> {
  if (await getFleetByName(ctx.db, name)) throw new ConflictError(`a fleet named "${name}" already exists`);
}

builder.mutationFields((t) => ({
  createFleet: t.field({
    type: FleetRef,
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateFleetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const name = checkFleetName(input.name);
      await assertFleetNameFree(ctx, name);
      // A savepoint: losing a race with a concurrent create of the same name must not abort the
      // request's transaction, so the ConflictError reaches the client.
      return ctx.db.transaction((tx) => createFleet(tx, { name, description: input.description ?? null })).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new ConflictError(`a fleet named "${name}" already exists`) : error;
      });
    },
  }),
  deleteFleet: t.field({
    type: 'ID',
    description: 'Deletes a fleet with its modules; returns the deleted global ID',
    errors: { types: MUTATION_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Fleet', 'id');
      if (!(await deleteFleet(ctx.db, id))) throw new NotFoundError('Fleet', String(args.id));
      return String(args.id);
    },
  }),
}));

const CsvDelimiterEnum = builder.enumType('CsvDelimiter', {
  description: 'The separator of a CSV (detected from the header when not given)',
  values: { COMMA: { value: ',' }, SEMICOLON: { value: ';' }, TAB: { value: '\t' } } as const,
});

const ImportModulesInput = builder.inputType('ImportModulesInput', {
  fields: (t) => ({
    fleetId: t.id({ required: false, description: 'The fleet to add the modules to; give fleetId or newFleet' }),
    newFleet: t.field({
      type: CreateFleetInput,
      required: false,
      description: 'Create this fleet and import into it in one transaction: a rejected file leaves no fleet behind (the name must be free)',
    }),
    csv: t.string({ required: false, description: 'The module CSV as text (see docs/inputs.md); give csv or file' }),
    file: t.field({ type: 'File', required: false, description: `The module CSV as an uploaded file (multipart request), UTF-8, at most ${MAX_CSV_BYTES} bytes` }),
    delimiter: t.field({ type: CsvDelimiterEnum, required: false, description: 'Default: detected from the header' }),
    allowSuspectUnits: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Import values that look like the wrong unit (SOH ≤ 1.5 %, resistance below the floor for the nameplate) as written',
    }),
    dryRun: t.boolean({ required: false, defaultValue: false, description: 'Check the whole file and answer as if imported, writing nothing' }),
  }),
});

const ImportModulesPayload = builder
  .objectRef<{ fleet: FleetRow; importedCount: number; delimiter: Delimiter; dryRun: boolean; createdFleet: boolean }>('ImportModulesPayload')
  .implement({
    fields: (t) => ({
      fleet: t.field({ type: FleetRef, resolve: (p) => p.fleet }),
      createdFleet: t.exposeBoolean('createdFleet', { description: 'True when the import created the fleet (newFleet)' }),
      importedCount: t.exposeInt('importedCount', { description: 'Modules imported (on a dry run: that would be)' }),
      delimiter: t.field({ type: CsvDelimiterEnum, resolve: (p) => p.delimiter }),
      dryRun: t.exposeBoolean('dryRun'),
    }),
  });

/** The server's synchronous import limit (its `limits`), or the environment's outside a server. */
const syncMaxRows = (ctx: RelifeContext): number => ctx.importSyncMaxRows ?? readLimits().importSyncMaxRows;

/**
 * The CSV of an import input: exactly one of `csv` and `file`, refused before any parsing when it
 * has more rows than one request imports (an upload is counted as it is read, and read no further).
 */
async function csvOfInput(input: { csv?: string | null; file?: File | null }, limit: number): Promise<string | Uint8Array> {
  if ((input.csv == null) === (input.file == null)) {
    const message = 'give the CSV either as csv (text) or as file (upload), not both or neither';
    throw new ValidationError(message, [{ row: null, column: input.csv == null ? 'csv' : 'file', message }]);
  }
  if (input.csv != null) {
    if (csvRowsOver(input.csv, limit) !== null) throw syncRowLimitError(limit, 'csv');
    return input.csv;
  }
  const file = input.file!;
  if (file.size > MAX_CSV_BYTES) {
    const message = `file larger than ${MAX_CSV_BYTES} bytes`;
    throw new ValidationError(message, [{ row: null, column: 'file', value: file.name, message }]);
  }
  try {
    return await readCsvLimited(file.stream(), limit);
  } catch (error) {
    throw error instanceof CsvRowLimitError ? syncRowLimitError(limit, 'file') : error;
  }
}

/** The fleet of an import input: exactly one of `fleetId` (an existing fleet) and `newFleet`. */
function importTarget(input: { fleetId?: string | number | null; newFleet?: { name: string; description?: string | null } | null }): ImportTarget {
  if ((input.fleetId == null) === (input.newFleet == null)) {
    const message = 'give the fleet either as fleetId (an existing fleet) or as newFleet (created with the import), not both or neither';
    throw new ValidationError(message, [{ row: null, column: input.fleetId == null ? 'fleetId' : 'newFleet', message }]);
  }
  if (input.newFleet != null) return { newFleet: { name: checkFleetName(input.newFleet.name, 'newFleet.name'), description: input.newFleet.description ?? null } };
  return { fleetId: parseGlobalId(String(input.fleetId), 'Fleet', 'fleetId'), label: String(input.fleetId) };
}

const GenerateSyntheticFleetInput = builder.inputType('GenerateSyntheticFleetInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    modules: t.int({ required: true, description: `Number of modules, 1–${MAX_SYNTHETIC_MODULES}` }),
    seed: t.int({ required: true }),
    stressedFraction: t.float({ required: false, description: 'Share of thermally stressed fast-ageing modules (default 0.2)' }),
  }),
});

/**
 * A CSV with more rows than one request may import: a larger import would hold the database
 * (PGlite's only connection) for many seconds, so it goes through the command line.
 */
function syncRowLimitError(limit: number, column: 'csv' | 'file'): ValidationError {
  const message = `the CSV has more than ${limit} rows, the most one request imports (RELIFE_IMPORT_SYNC_MAX_ROWS); split it, or import it with "relife import --fleet NAME FILE.csv" on the server`;
  return new ValidationError(message, [{ row: null, column, message }]);
}

/** Bounds the work one request can ask for (a generated fleet is written in one transaction). */
export const MAX_SYNTHETIC_MODULES = 100_000;

builder.mutationFields((t) => ({
  importModules: t.field({
    type: ImportModulesPayload,
    description: 'Adds the modules of a CSV to a fleet, or creates a fleet with them (newFleet): all rows or none, every bad row reported',
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: ImportModulesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const target = importTarget(input);
      const csv = await csvOfInput(input, syncMaxRows(ctx));
      const outcome = await importModules(ctx.db, {
        target,
        csv,
        allowSuspectUnits: input.allowSuspectUnits ?? false,
        ...(input.delimiter ? { delimiter: input.delimiter } : {}),
        dryRun: input.dryRun ?? false,
      });
      if (!outcome.dryRun) ctx.afterCommit(() => analyzeAfterBulkWrite(ctx.database, 'modules', outcome.importedCount));
      return outcome;
    },
  }),
  generateSyntheticFleet: t.field({
    type: FleetRef,
    description: 'Creates a fleet of synthetic retired modules (the reference paper §3A generator)',
    errors: { types: MUTATION_ERRORS },
    args: { input: t.arg({ type: GenerateSyntheticFleetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const name = checkFleetName(input.name);
      const problems = [];
      if (!(input.modules >= 1 && input.modules <= MAX_SYNTHETIC_MODULES)) {
        problems.push({ row: null, column: 'modules', message: `must be 1–${MAX_SYNTHETIC_MODULES}, got ${input.modules}` });
      }
      const stressed = input.stressedFraction ?? undefined;
      if (stressed !== undefined && !(stressed >= 0 && stressed <= 1)) {
        problems.push({ row: null, column: 'stressedFraction', message: `must be in [0, 1], got ${stressed}` });
      }
      const syncMax = syncMaxRows(ctx);
      if (input.modules > syncMax && input.modules <= MAX_SYNTHETIC_MODULES) {
        problems.push({ row: null, column: 'modules', message: `at most ${syncMax} modules in a request (RELIFE_IMPORT_SYNC_MAX_ROWS); for more, write the CSV with "relife generate" and load it with "relife import"` });
      }
      if (problems.length > 0) throw new ValidationError(`generateSyntheticFleet: ${problems.length} problem(s)`, problems);
      ctx.afterCommit(() => analyzeAfterBulkWrite(ctx.database, 'modules', input.modules));
      const items = generateSyntheticFleet({ size: input.modules, seed: input.seed, stressedFraction: stressed });
      return ctx.db
        .transaction(async (tx) => {
        if (await getFleetByName(tx, name)) throw new ConflictError(`a fleet named "${name}" already exists`);
        const fleet = await createFleet(tx, {
          name,
          description: `Synthetic: ${input.modules} modules, seed ${input.seed}${stressed !== undefined ? `, stressed fraction ${stressed}` : ''}`,
        });
        await insertModules(tx, fleet.id, items);
        return fleet;
      })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? new ConflictError(`a fleet named "${name}" already exists`) : error;
        });
    },
  }),
}));
