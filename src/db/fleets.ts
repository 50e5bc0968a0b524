/** Fleets: create, find, list, delete, and the per-fleet aggregates the API shows. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { preparedRows, type DbOrTx } from './client.js';
import { fleets, modules, type FleetRow } from './schema/index.js';
import { scopedTenant, tenantWhere } from './tenant-scope.js';

export type { FleetRow };

/** Usable energy of a module in kWh: nameplate Ah × nominal V × SOH (domain.md). */
export const USABLE_ENERGY_KWH_SQL = sql<number>`${modules.nominalCapacityAh} * ${modules.nominalVoltageV} * ${modules.sohPercent} / 100.0 / 1000.0`;

export interface FleetStats {
  moduleCount: number;
  totalEnergyKwh: number;
}

export async function createFleet(db: DbOrTx, input: { name: string; description?: string | null }): Promise<FleetRow> {
  const [row] = await db
    .insert(fleets)
    .values({ name: input.name, description: input.description ?? null })
    .returning();
  return row;
}

const FLEET_COLUMNS = `id, tenant_id as "tenantId", name, description, created_at as "createdAt"`;

/**
 * One fleet by a unique column, as a prepared statement (src/db/client.ts, `preparedRows`): these
 * lookups run on most requests (`fleet(name)`, `fleet(id)`, the CSV routes). The application's
 * tenant filter is a parameter of its own statement, as `tenantWhere` adds it to drizzle's.
 */
async function fleetBy(db: DbOrTx, column: 'id' | 'name', value: string): Promise<FleetRow | undefined> {
  const tenant = tenantWhere(db, fleets.tenantId) ? scopedTenant(db) : undefined;
  const rows =
    tenant === undefined
      ? await preparedRows<FleetRow>(db, `select ${FLEET_COLUMNS} from fleets where ${column} = $1`, [value])
      : await preparedRows<FleetRow>(db, `select ${FLEET_COLUMNS} from fleets where ${column} = $1 and tenant_id = $2`, [value, tenant]);
  return rows[0];
}

export async function getFleet(db: DbOrTx, id: string): Promise<FleetRow | undefined> {
  return fleetBy(db, 'id', id);
}

export async function getFleetByName(db: DbOrTx, name: string): Promise<FleetRow | undefined> {
  return fleetBy(db, 'name', name);
}

export async function getFleetsByIds(db: DbOrTx, ids: readonly string[]): Promise<FleetRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(fleets).where(and(inArray(fleets.id, [...ids]), tenantWhere(db, fleets.tenantId)));
}

/** All fleets, by name. */
export async function listFleets(db: DbOrTx): Promise<FleetRow[]> {
  return db.select().from(fleets).where(tenantWhere(db, fleets.tenantId)).orderBy(asc(fleets.name));
}

/** Deletes a fleet with its modules and their measurements (FK cascade). True if it existed. */
export async function deleteFleet(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(fleets).where(and(eq(fleets.id, id), tenantWhere(db, fleets.tenantId))).returning({ id: fleets.id });
  return rows.length > 0;
}

/** Module count and total usable energy per fleet id (fleets without modules get zeros). */
export async function fleetStats(db: DbOrTx, ids: readonly string[]): Promise<Map<string, FleetStats>> {
  const out = new Map<string, FleetStats>(ids.map((id) => [id, { moduleCount: 0, totalEnergyKwh: 0 }]));
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      fleetId: modules.fleetId,
      moduleCount: sql<number>`count(*)::int`,
      totalEnergyKwh: sql<number>`coalesce(sum(${USABLE_ENERGY_KWH_SQL}), 0)::float8`,
    })
    .from(modules)
    .where(and(inArray(modules.fleetId, [...ids]), tenantWhere(db, modules.tenantId)))
    .groupBy(modules.fleetId);
  for (const r of rows) out.set(r.fleetId, { moduleCount: Number(r.moduleCount), totalEnergyKwh: Number(r.totalEnergyKwh) });
  return out;
}
