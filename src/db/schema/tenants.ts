import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** The tenant every row created before tenants existed belongs to, and the demo's tenant. */
export const DEFAULT_TENANT_ID = '00000000-0000-4000-8000-000000000001';
export const DEFAULT_TENANT_NAME = 'default';

/**
 * The column every tenant-owned table carries. Its SQL default (drizzle/0006_tenants.sql) is the
 * request's tenant (`relife.tenant`), so inserts need not name it; row-level security keys on it.
 * A child row's tenant is its parent's (a trigger fills it, a two-column foreign key holds it).
 */
export const tenantIdColumn = () => uuid('tenant_id').notNull().default(sql`relife_tenant()`);

/**
 * The tenant column of a top-level row (fleets, applications, the audit log): the request's
 * tenant, or the default tenant on the system path (seed, CLI).
 */
export const rootTenantIdColumn = () => uuid('tenant_id').notNull().default(sql`coalesce(relife_tenant(), ${sql.raw(`'${DEFAULT_TENANT_ID}'`)})`);

/** An organisation: its fleets, applications, runs and plans are invisible to every other one. */
export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('tenants_name_format', sql`${t.name} ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'`)],
);

export const API_ROLES = ['viewer', 'planner', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** An API token: only its SHA-256 is stored, with its tenant and role. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    role: text('role').$type<ApiRole>().notNull(),
    label: text('label'),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, to recognise it in `relife token list`. */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ name: 'api_tokens_tenant_id_fkey', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    unique('api_tokens_hash_unique').on(t.tokenHash),
    check('api_tokens_role', sql`${t.role} in ('viewer', 'planner', 'admin')`),
  ],
);

/** Who changed what: one row per mutation field (and per token command), never request bodies. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: rootTenantIdColumn(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** `token:<prefix>` (with its id in target), `loopback` in protected mode, `cli`. */
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    action: text('action').notNull(),
    /** The ids the action named (arguments whose name ends in id/Id/Ids), never other input. */
    target: jsonb('target').$type<Record<string, unknown>>().notNull(),
    /** `ok`, or the error's type name (ValidationError, NotFoundError, FORBIDDEN…). */
    outcome: text('outcome').notNull(),
  },
  (t) => [
    foreignKey({ name: 'audit_log_tenant_id_fkey', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('audit_log_tenant_at_idx').on(t.tenantId, t.at),
  ],
);

export type TenantRow = typeof tenants.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;
