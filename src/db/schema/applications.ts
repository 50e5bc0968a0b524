import { sql } from 'drizzle-orm';
import { check, doublePrecision, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantIdColumn } from './tenants.js';
import type { DutyProfile, Economics, Envelope, Requirements } from '../../twin/types.js';

/**
 * A second-life application. The nested shapes of src/twin/types.ts are stored as jsonb: they
 * are always read and written whole, never filtered on, and the twin owns their evolution.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantIdColumn(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    duty: jsonb('duty').$type<DutyProfile>().notNull(),
    requirements: jsonb('requirements').$type<Requirements>().notNull(),
    economics: jsonb('economics').$type<Economics>().notNull(),
    envelopes: jsonb('envelopes').$type<Envelope[]>().notNull(),
    capacityLimitKwh: doublePrecision('capacity_limit_kwh').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('applications_tenant_name_unique').on(t.tenantId, t.name),
    check('applications_kind', sql`${t.kind} in ('GRID', 'SOLAR', 'BACKUP', 'MICROGRID', 'CUSTOM')`),
    check('applications_capacity_positive', sql`${t.capacityLimitKwh} > 0`),
  ],
);

export type ApplicationRow = typeof applications.$inferSelect;
