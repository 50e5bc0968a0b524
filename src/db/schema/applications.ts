import { sql } from 'drizzle-orm';
import { check, doublePrecision, foreignKey, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { rootTenantIdColumn, tenants } from './tenants.js';
import type { DutyProfile, Economics, Envelope, Requirements } from '../../twin/types.js';

/**
 * A second-life application. The nested shapes of src/twin/types.ts are stored as jsonb: they
 * are always read and written whole, never filtered on, and the twin owns their evolution.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: rootTenantIdColumn(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    duty: jsonb('duty').$type<DutyProfile>().notNull(),
    requirements: jsonb('requirements').$type<Requirements>().notNull(),
    economics: jsonb('economics').$type<Economics>().notNull(),
    envelopes: jsonb('envelopes').$type<Envelope[]>().notNull(),
    /** Fixed capacity, kWh of deployed usable energy; null when given as a share. */
    capacityLimitKwh: doublePrecision('capacity_limit_kwh'),
    /** Capacity as a percent of the fleet's usable energy eligible for the application. */
    capacitySharePercent: doublePrecision('capacity_share_percent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'applications_tenant_id_fkey', columns: [t.tenantId], foreignColumns: [tenants.id] }),
    unique('applications_tenant_name_unique').on(t.tenantId, t.name),
    check('applications_kind', sql`${t.kind} in ('GRID', 'SOLAR', 'BACKUP', 'MICROGRID', 'CUSTOM')`),
    check(
      'applications_capacity_one',
      sql`(${t.capacityLimitKwh} > 0 and ${t.capacitySharePercent} is null) or (${t.capacityLimitKwh} is null and ${t.capacitySharePercent} > 0 and ${t.capacitySharePercent} <= 100)`,
    ),
  ],
);

export type ApplicationRow = typeof applications.$inferSelect;
