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
    scopes.set(tx, tenantId);
    if (current !== undefined) return fn(tx);
    const client = postgresClient(tx);
    if (!client) {
      await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config('relife.tenant', ${tenantId}, true)`);
      return fn(tx);
    }
    // On PostgreSQL the scope is sent without waiting for its answer (one round trip less per
    // request). It still runs before any query of `fn`: the driver hands queries to the
    // transaction's connection in the order their `handle()` was called, one microtask after the
    // call, and this one is called before `fn` starts; PostgreSQL runs a connection's queries in
    // order. Should it fail, the transaction is aborted, every later query in it fails, and this
    // error is the one thrown.
    const scoped = client.unsafe(SCOPE_SQL, [APP_ROLE, tenantId], { prepare: true }).execute() as unknown as Promise<unknown>;
    scoped.then(undefined, () => {});
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      await scoped;
      throw error;
    }
    await scoped;
    return result;
  });
}

const SCOPE_SQL = `select set_config('role', $1, true), set_config('relife.tenant', $2, true)`;

interface PostgresJsQuery {
  execute(): unknown;
}

/** The postgres-js client of a drizzle transaction on PostgreSQL (undefined on PGlite). */
function postgresClient(tx: Tx): { unsafe(query: string, args: unknown[], options: { prepare: boolean }): PostgresJsQuery } | undefined {
  const client = (tx as unknown as { session?: { client?: { unsafe?: unknown; savepoint?: unknown } } }).session?.client;
  return client && typeof client.unsafe === 'function' && typeof client.savepoint === 'function' ? (client as never) : undefined;
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
