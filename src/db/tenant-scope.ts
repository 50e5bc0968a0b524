/**
 * Tenant scoping: every request's queries run in a transaction as the role `relife_app` with the
 * transaction-local setting `relife.tenant`, so the row-level security policies of
 * drizzle/0006_tenants.sql hide and refuse every other tenant's rows. The application's own
 * filters (`tenantWhere`) are the first wall; the policies are the second.
 *
 * The policies bind only a role that neither owns the tables nor is a superuser: PGlite's
 * session and a default PostgreSQL install are the superuser `postgres`, which bypasses them, hence
 * the role switch inside the transaction.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx, Tx } from './client.js';

export { DEFAULT_TENANT_ID, DEFAULT_TENANT_NAME } from './schema/tenants.js';

/** The role requests run as (created by drizzle/0006_tenants.sql). */
export const APP_ROLE = 'relife_app';

const scopes = new WeakMap<object, string>();

/**
 * Runs `fn` in a transaction that sees and writes only `tenantId`'s rows. Nested calls on a
 * scoped transaction become savepoints of it (same tenant only).
 */
export async function withTenant<T>(db: DbOrTx, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const current = scopes.get(db);
  if (current !== undefined && current !== tenantId) throw new Error('withTenant: a transaction scoped to one tenant cannot switch to another');
  return (db as Db).transaction(async (tx) => {
    if (current === undefined) {
      await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config('relife.tenant', ${tenantId}, true)`);
    }
    scopes.set(tx, tenantId);
    return fn(tx);
  });
}

/** The tenant a handle is scoped to, or undefined for the service's own (unscoped) handle. */
export function scopedTenant(db: DbOrTx): string | undefined {
  return scopes.get(db);
}

let applicationFilter = true;

/**
 * `tenant_id = <scope>` for a query on a scoped handle (undefined on the unscoped one). Switched
 * off only by the isolation tests, to show that row-level security alone keeps tenants apart.
 */
export function tenantWhere(db: DbOrTx, column: AnyPgColumn): SQL | undefined {
  const tenant = scopes.get(db);
  return tenant !== undefined && applicationFilter ? eq(column, tenant) : undefined;
}

/** Test hook: turn the application-side tenant filter off (true) or back on (false). */
export function setApplicationTenantFilterDisabled(disabled: boolean): void {
  applicationFilter = !disabled;
}
