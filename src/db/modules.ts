/** Modules of a fleet as the twin's ModuleState, pages for the API, bulk inserts, calibration. */
import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Chemistry, ModuleState } from '../twin/types.js';
import { preparedRows, type DbOrTx } from './client.js';
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
 * The columns of a module as a page reads them, by field of StoredModule (the SQL aliases them to
 * these names, so a row needs no mapping).
 */
export const MODULE_PAGE_COLUMNS = {
  id: 'id',
  fleetId: 'fleet_id',
  serial: 'serial',
  chemistry: 'chemistry',
  nominalCapacityAh: 'nominal_capacity_ah',
  nominalVoltageV: 'nominal_voltage_v',
  sohPercent: 'soh_percent',
  internalResistanceMilliohm: 'internal_resistance_mohm',
  temperatureMinC: 'temp_min_c',
  temperatureMaxC: 'temp_max_c',
  cycleCount: 'cycle_count',
  manufacturer: 'manufacturer',
  ageYears: 'age_years',
  calibration: 'calibration',
} as const satisfies Record<keyof StoredModule, string>;

export type ModuleField = keyof typeof MODULE_PAGE_COLUMNS;

/** A module of a page that selected some fields: its fleet, serial and those fields (`id` too if asked). */
export type PagedModule = Pick<StoredModule, 'fleetId' | 'serial'> & Partial<StoredModule>;

export interface ModulePage {
  afterSerial?: string | null;
  beforeSerial?: string | null;
  limit: number;
  descending?: boolean;
}

/** SQL text of a page, by shape (columns, filters present, bounds present, direction). */
const pageSqlCache = new Map<string, string>();
const PAGE_SQL_CACHE_MAX = 256;

function pageSql(fields: readonly ModuleField[], fleetId: string, filter: ModuleFilter, page: ModulePage): { text: string; params: unknown[] } {
  const params: unknown[] = [fleetId];
  const shape: string[] = [fields.join(',')];
  const where: string[] = ['fleet_id = $1'];
  const add = (key: string, condition: (n: number) => string, value: unknown) => {
    params.push(value);
    shape.push(key);
    where.push(condition(params.length));
  };
  if (filter.sohMinPercent != null) add('min', (n) => `soh_percent >= $${n}`, filter.sohMinPercent);
  if (filter.sohMaxPercent != null) add('max', (n) => `soh_percent <= $${n}`, filter.sohMaxPercent);
  if (filter.chemistry != null) add('chem', (n) => `chemistry = $${n}`, filter.chemistry);
  if (page.afterSerial != null) add('after', (n) => `serial collate "C" > $${n}`, page.afterSerial);
  if (page.beforeSerial != null) add('before', (n) => `serial collate "C" < $${n}`, page.beforeSerial);
  params.push(page.limit);
  shape.push(page.descending ? 'desc' : 'asc');
  const key = shape.join('|');
  let text = pageSqlCache.get(key);
  if (text === undefined) {
    const columns = fields.map((f) => `${MODULE_PAGE_COLUMNS[f]} as "${f}"`).join(', ');
    text = `select ${columns} from modules where ${where.join(' and ')} order by serial collate "C" ${page.descending ? 'desc' : 'asc'} limit $${params.length}`;
    if (pageSqlCache.size >= PAGE_SQL_CACHE_MAX) pageSqlCache.clear();
    pageSqlCache.set(key, text);
  }
  return { text, params };
}

const ALL_MODULE_FIELDS = Object.keys(MODULE_PAGE_COLUMNS) as ModuleField[];

/**
 * One page of a fleet's modules, keyset-paginated on serial (unique within a fleet). Bounds are
 * exclusive; `descending` walks backwards from `beforeSerial` (relay `last`), rows still come
 * back in that descending order.
 *
 * With `fields`, only those columns are read, with the serial (the cursor); every row carries the
 * fleet's id without reading it (all have `fleet_id = $1`), and its own `id` only when asked: the
 * API's pages ask for what the query selects. The statement is sent as a prepared (named) statement of the
 * connection on PostgreSQL, so that it is parsed and planned once per connection and answered
 * in one round trip; its text is built once per shape. Scope as every query: the caller's
 * transaction (tenant setting, row-level security); the fleet is the caller's own.
 */
export async function pageFleetModules(db: DbOrTx, fleetId: string, filter: ModuleFilter, page: ModulePage): Promise<StoredModule[]>;
export async function pageFleetModules(db: DbOrTx, fleetId: string, filter: ModuleFilter, page: ModulePage, fields: readonly ModuleField[]): Promise<PagedModule[]>;
export async function pageFleetModules(db: DbOrTx, fleetId: string, filter: ModuleFilter, page: ModulePage, fields?: readonly ModuleField[]): Promise<PagedModule[]> {
  if (!fields) {
    const { text, params } = pageSql(ALL_MODULE_FIELDS, fleetId, filter, page);
    return preparedRows<StoredModule>(db, text, params);
  }
  // The serial is the cursor; the fleet is the one asked for (`fleet_id = $1`), so not read.
  const wanted = ALL_MODULE_FIELDS.filter((f) => f === 'serial' || (f !== 'fleetId' && fields.includes(f)));
  const { text, params } = pageSql(wanted, fleetId, filter, page);
  const rows = await preparedRows<PagedModule>(db, text, params);
  for (const row of rows) row.fleetId = fleetId;
  return rows;
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
