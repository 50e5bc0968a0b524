/** Fleet: a batch of retired modules; its queries and mutations. */
import { createContextCache } from '@pothos/core';
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { createFleet, deleteFleet, fleetStats, getFleet, getFleetByName, getFleetsByIds, listFleets, type FleetRow, type FleetStats } from '../db/fleets.js';
import { pageFleetModules, type ModuleFilter } from '../db/modules.js';
import { builder, ConflictError, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, NotFoundError, ValidationError, type RelifeContext } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { inIdOrder, parseGlobalId, tryParseGlobalId } from './loaders.js';
import { BatteryModuleRef, ChemistryEnum } from './module.js';

const statsLoader = createContextCache(
  (ctx: RelifeContext) =>
    new DataLoader<string, FleetStats>(async (ids) => {
      const stats = await fleetStats(ctx.db, ids);
      return ids.map((id) => stats.get(id) ?? { moduleCount: 0, totalEnergyKwh: 0 });
    }),
);

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
      description: 'Sum of the modules’ usable energy (nameplate Ah × V × SOH)',
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
      resolve: (fleet, args, ctx) => {
        const filter: ModuleFilter = { sohMinPercent: args.sohMinPercent, sohMaxPercent: args.sohMaxPercent, chemistry: args.chemistry };
        return resolveCursorConnection(
          { args, toCursor: (m) => m.serial, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
          ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
            pageFleetModules(ctx.db, fleet.id, filter, { afterSerial: after, beforeSerial: before, limit, descending: inverted }),
        );
      },
    }),
  }),
});

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

/** Trimmed, non-empty, ≤ 200 characters; the fleet name is unique. */
export function checkFleetName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new ValidationError(`${field}: must be 1–200 characters`, [{ row: null, column: field, message: 'must be 1–200 characters' }]);
  }
  return trimmed;
}

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
      return createFleet(ctx.db, { name, description: input.description ?? null });
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
