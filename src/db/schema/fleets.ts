import { sql } from 'drizzle-orm';
import { check, doublePrecision, foreignKey, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { rootTenantIdColumn, tenantIdColumn, tenants } from './tenants.js';

/** A batch of retired modules that arrived together and is planned together. */
export const fleets = pgTable(
  'fleets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: rootTenantIdColumn(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'fleets_tenant_id_fkey', columns: [t.tenantId], foreignColumns: [tenants.id] }),
    unique('fleets_tenant_name_unique').on(t.tenantId, t.name),
    unique('fleets_tenant_id_unique').on(t.tenantId, t.id),
  ],
);

/**
 * One retired module: the CSV columns one to one, plus the twin's per-module fitted parameters
 * (`calibration`, written by the twin/planning layer, opaque here).
 */
export const modules = pgTable(
  'modules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantIdColumn(),
    fleetId: uuid('fleet_id').notNull(),
    serial: text('serial').notNull(),
    chemistry: text('chemistry').notNull(),
    nominalCapacityAh: doublePrecision('nominal_capacity_ah').notNull(),
    nominalVoltageV: doublePrecision('nominal_voltage_v').notNull(),
    sohPercent: doublePrecision('soh_percent').notNull(),
    internalResistanceMilliohm: doublePrecision('internal_resistance_mohm').notNull(),
    temperatureMinC: doublePrecision('temp_min_c').notNull(),
    temperatureMaxC: doublePrecision('temp_max_c').notNull(),
    cycleCount: integer('cycle_count').notNull(),
    manufacturer: text('manufacturer'),
    ageYears: doublePrecision('age_years'),
    calibration: jsonb('calibration').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A module belongs to a fleet of its own tenant.
    foreignKey({ name: 'modules_tenant_fleet_fk', columns: [t.tenantId, t.fleetId], foreignColumns: [fleets.tenantId, fleets.id] }).onDelete('cascade'),
    unique('modules_tenant_id_unique').on(t.tenantId, t.id),
    unique('modules_fleet_serial_unique').on(t.fleetId, t.serial),
    // Serial order is byte order (src/db/modules.ts); this index serves its keyset pages.
    index('modules_fleet_serial_c_idx').on(t.fleetId, sql`${t.serial} collate "C"`),
    index('modules_fleet_soh_idx').on(t.fleetId, t.sohPercent),
    check('modules_soh_range', sql`${t.sohPercent} >= 0 and ${t.sohPercent} <= 100`),
    check('modules_resistance_nonneg', sql`${t.internalResistanceMilliohm} >= 0`),
    check('modules_temp_order', sql`${t.temperatureMinC} <= ${t.temperatureMaxC}`),
    check('modules_chemistry', sql`${t.chemistry} in ('NMC', 'LFP', 'NCA', 'LMO')`),
  ],
);

export type FleetRow = typeof fleets.$inferSelect;
export type ModuleRow = typeof modules.$inferSelect;
export type NewModuleRow = typeof modules.$inferInsert;
