import { bigint, doublePrecision, foreignKey, index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { modules } from './fleets.js';
import { tenantIdColumn } from './tenants.js';

/**
 * A capacity (and optionally resistance / temperature) check-up of one module, the history the
 * twin calibrates on. Either `cycle` (equivalent full cycles) or `timeDays` locates it.
 */
export const measurements = pgTable(
  'measurements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantIdColumn(),
    moduleId: uuid('module_id').notNull(),
    cycle: doublePrecision('cycle'),
    timeDays: doublePrecision('time_days'),
    capacityAh: doublePrecision('capacity_ah').notNull(),
    resistanceMilliohm: doublePrecision('resistance_mohm'),
    temperatureC: doublePrecision('temperature_c'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'measurements_tenant_module_fk', columns: [t.tenantId, t.moduleId], foreignColumns: [modules.tenantId, modules.id] }).onDelete('cascade'),
    index('measurements_module_idx').on(t.moduleId, t.cycle),
  ],
);

export type MeasurementRow = typeof measurements.$inferSelect;
export type NewMeasurementRow = typeof measurements.$inferInsert;
