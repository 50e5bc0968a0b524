/** Modules of a fleet as the twin's ModuleState, pages for the API, bulk inserts, calibration. */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Chemistry, ModuleState } from '../twin/types.js';
import type { DbOrTx } from './client.js';
import { measurements, modules, type MeasurementRow, type ModuleRow, type NewMeasurementRow } from './schema/index.js';
import { tenantWhere } from './tenant-scope.js';

export type { ModuleRow, MeasurementRow };

/** A module as stored: the twin's ModuleState plus its database identity and calibration. */
export interface StoredModule extends ModuleState {
  id: string;
  fleetId: string;
  calibration: Record<string, unknown> | null;
}

export function rowToModule(row: ModuleRow): StoredModule {
  return {
    id: row.id,
    fleetId: row.fleetId,
    serial: row.serial,
    chemistry: row.chemistry as Chemistry,
    nominalCapacityAh: row.nominalCapacityAh,
    nominalVoltageV: row.nominalVoltageV,
    sohPercent: row.sohPercent,
    internalResistanceMilliohm: row.internalResistanceMilliohm,
    temperatureMinC: row.temperatureMinC,
    temperatureMaxC: row.temperatureMaxC,
    cycleCount: row.cycleCount,
    manufacturer: row.manufacturer,
    ageYears: row.ageYears,
    calibration: row.calibration ?? null,
  };
}

/** Usable energy of a module in kWh: nameplate Ah × nominal V × SOH (domain.md). */
export function usableEnergyKwh(m: Pick<ModuleState, 'nominalCapacityAh' | 'nominalVoltageV' | 'sohPercent'>): number {
  return (m.nominalCapacityAh * m.nominalVoltageV * m.sohPercent) / 100 / 1000;
}

/**
 * Serial order is byte order (COLLATE "C") so that it is the same on every PostgreSQL locale, on
 * PGlite, and in JavaScript's default sort; keyset paging compares in the same collation.
 */
const SERIAL_C = sql`${modules.serial} collate "C"`;

/** Every module of a fleet, ordered by serial (the order planning and CSV export use). */
export async function loadFleetModules(db: DbOrTx, fleetId: string): Promise<StoredModule[]> {
  const rows = await db.select().from(modules).where(eq(modules.fleetId, fleetId)).orderBy(asc(SERIAL_C));
  return rows.map(rowToModule);
}

export async function getModule(db: DbOrTx, id: string): Promise<StoredModule | undefined> {
  const [row] = await db.select().from(modules).where(and(eq(modules.id, id), tenantWhere(db, modules.tenantId)));
  return row ? rowToModule(row) : undefined;
}

export async function getModulesByIds(db: DbOrTx, ids: readonly string[]): Promise<StoredModule[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(modules).where(and(inArray(modules.id, [...ids]), tenantWhere(db, modules.tenantId)));
  return rows.map(rowToModule);
}

/** Serials already present in a fleet (for duplicate checks on import). */
export async function fleetSerials(db: DbOrTx, fleetId: string): Promise<Set<string>> {
  const rows = await db.select({ serial: modules.serial }).from(modules).where(eq(modules.fleetId, fleetId));
  return new Set(rows.map((r) => r.serial));
}

export async function countFleetModules(db: DbOrTx, fleetId: string): Promise<number> {
  return db.$count(modules, eq(modules.fleetId, fleetId));
}

/** Inserts modules into a fleet in chunks (PostgreSQL caps a statement at 65535 parameters). */
export async function insertModules(db: DbOrTx, fleetId: string, items: readonly ModuleState[]): Promise<number> {
  const CHUNK = 1000;
  for (let i = 0; i < items.length; i += CHUNK) {
    await db.insert(modules).values(
      items.slice(i, i + CHUNK).map((m) => ({
        fleetId,
        serial: m.serial,
        chemistry: m.chemistry,
        nominalCapacityAh: m.nominalCapacityAh,
        nominalVoltageV: m.nominalVoltageV,
        sohPercent: m.sohPercent,
        internalResistanceMilliohm: m.internalResistanceMilliohm,
        temperatureMinC: m.temperatureMinC,
        temperatureMaxC: m.temperatureMaxC,
        cycleCount: m.cycleCount,
        manufacturer: m.manufacturer ?? null,
        ageYears: m.ageYears ?? null,
      })),
    );
  }
  return items.length;
}

export interface ModuleFilter {
  sohMinPercent?: number | null;
  sohMaxPercent?: number | null;
  chemistry?: Chemistry | null;
}

function filterWhere(fleetId: string, f: ModuleFilter): SQL {
  const parts: SQL[] = [eq(modules.fleetId, fleetId)];
  if (f.sohMinPercent != null) parts.push(gte(modules.sohPercent, f.sohMinPercent));
  if (f.sohMaxPercent != null) parts.push(lte(modules.sohPercent, f.sohMaxPercent));
  if (f.chemistry != null) parts.push(eq(modules.chemistry, f.chemistry));
  return and(...parts)!;
}

/**
 * One page of a fleet's modules, keyset-paginated on serial (unique within a fleet). Bounds are
 * exclusive; `descending` walks backwards from `beforeSerial` (relay `last`), rows still come
 * back in that descending order.
 */
export async function pageFleetModules(
  db: DbOrTx,
  fleetId: string,
  filter: ModuleFilter,
  page: { afterSerial?: string | null; beforeSerial?: string | null; limit: number; descending?: boolean },
): Promise<StoredModule[]> {
  const parts: SQL[] = [filterWhere(fleetId, filter)];
  if (page.afterSerial != null) parts.push(sql`${SERIAL_C} > ${page.afterSerial}`);
  if (page.beforeSerial != null) parts.push(sql`${SERIAL_C} < ${page.beforeSerial}`);
  const rows = await db
    .select()
    .from(modules)
    .where(and(...parts))
    .orderBy(page.descending ? desc(SERIAL_C) : asc(SERIAL_C))
    .limit(page.limit);
  return rows.map(rowToModule);
}

export async function countFilteredModules(db: DbOrTx, fleetId: string, filter: ModuleFilter): Promise<number> {
  return db.$count(modules, filterWhere(fleetId, filter));
}

/** Stores the twin's fitted parameters of one module (null clears them). */
export async function setModuleCalibration(db: DbOrTx, moduleId: string, calibration: Record<string, unknown> | null): Promise<void> {
  await db.update(modules).set({ calibration }).where(eq(modules.id, moduleId));
}

export type MeasurementInput = Omit<NewMeasurementRow, 'id'>;

export async function insertMeasurements(db: DbOrTx, items: readonly MeasurementInput[]): Promise<void> {
  const CHUNK = 2000;
  for (let i = 0; i < items.length; i += CHUNK) await db.insert(measurements).values(items.slice(i, i + CHUNK));
}

/** A module's measurements in order of cycle, then time, then recording. */
export async function loadMeasurements(db: DbOrTx, moduleId: string): Promise<MeasurementRow[]> {
  return db
    .select()
    .from(measurements)
    .where(eq(measurements.moduleId, moduleId))
    .orderBy(asc(measurements.cycle), asc(measurements.timeDays), asc(measurements.recordedAt), asc(measurements.id));
}
