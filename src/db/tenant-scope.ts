/**
 * Tenant scoping: every request's queries run as the role `relife_app` with the setting
 * `relife.tenant`, so the row-level security policies of drizzle/0006_tenants.sql hide and refuse
 * every other tenant's rows: in a transaction that sets both (`withTenant`), or, for GraphQL
 * queries on PostgreSQL, on a session of the tenant's own pool whose startup message set both
 * (`TenantSessions`, `readAsTenant`). The application's own filters (`tenantWhere`) are the first
 * wall; the policies are the second.
 *
 * The policies bind only a role that neither owns the tables nor is a superuser: PGlite's
 * session and a default PostgreSQL install are the superuser `postgres`, which bypasses them, hence
 * the role switch.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database, Db, DbOrTx, Tx } from './client.js';

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

/**
 * A read handle of one tenant (`TenantSessions.acquire`): every statement sent through it runs on
 * a session of that tenant. Give it back with `release()` once the operation is answered.
 */
export interface TenantReader {
  readonly db: Db;
  release(): void;
}

/** A pool of sessions opened for one tenant (src/db/client.ts, `openTenantPool`). */
export interface TenantPool {
  db: Db;
  end(): Promise<void>;
}

interface TenantPoolEntry {
  pool: TenantPool;
  inUse: number;
  lastUsed: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Read-only operations on PostgreSQL without a transaction of their own: each of a few tenants
 * gets a pool of sessions that are scoped from their start. The connection's startup message
 * carries `role=relife_app`, `relife.tenant=<id>` and `default_transaction_read_only=on` (see
 * `openTenantPool`), so PostgreSQL itself applies them before the session answers anything, and
 * applies them again to every new session the driver opens after a lost connection; `RESET`,
 * `RESET ALL` and `DISCARD ALL` return to them; a session whose role cannot be set is refused at
 * connection time and runs nothing. A pool is never shared between tenants: nothing has to be
 * re-scoped, so there is no moment in which a session carries a wrong or no scope.
 *
 * At most `maxTenants` pools exist; a tenant without one while all are taken (and used within
 * `idleMs`) gets undefined, and its operation runs in a scoped transaction (`withTenant`) on the
 * service's pool, as mutations always do.
 */
export class TenantSessions {
  private readonly pools = new Map<string, TenantPoolEntry>();
  private closed = false;

  constructor(
    private readonly open: (tenantId: string) => TenantPool,
    readonly maxTenants: number,
    private readonly idleMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A read handle scoped to `tenantId`, or undefined when the operation should use `withTenant`. */
  acquire(tenantId: string): TenantReader | undefined {
    if (this.closed || this.maxTenants <= 0 || !UUID.test(tenantId)) return undefined;
    let entry = this.pools.get(tenantId);
    if (entry) {
      // Most recently used last: the map's order is the eviction order.
      this.pools.delete(tenantId);
      this.pools.set(tenantId, entry);
    } else {
      if (this.pools.size >= this.maxTenants && !this.evictIdle()) return undefined;
      const pool = this.open(tenantId);
      scopes.set(pool.db, tenantId);
      entry = { pool, inUse: 0, lastUsed: 0 };
      this.pools.set(tenantId, entry);
    }
    const held = entry;
    held.inUse++;
    let released = false;
    return {
      db: held.pool.db,
      release: () => {
        if (released) return;
        released = true;
        held.inUse--;
        held.lastUsed = this.now();
      },
    };
  }

  /** Ends the least recently used pool that nobody holds and nobody used within `idleMs`. */
  private evictIdle(): boolean {
    const now = this.now();
    for (const [tenantId, entry] of this.pools) {
      if (entry.inUse === 0 && now - entry.lastUsed >= this.idleMs) {
        this.pools.delete(tenantId);
        entry.pool.end().catch(() => {});
        return true;
      }
    }
    return false;
  }

  /** The tenants holding a pool now, least recently used first (tests, diagnostics). */
  tenants(): string[] {
    return [...this.pools.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(entries.map((e) => e.pool.end()));
  }
}

/**
 * Runs the read-only `fn` with a handle scoped to `tenantId`: on a tenant session without a
 * transaction where the database has them (PostgreSQL), else in a scoped transaction
 * (`withTenant`). A write through a tenant session is refused by PostgreSQL (read-only session).
 */
export async function readAsTenant<T>(database: Database, tenantId: string, fn: (db: DbOrTx) => Promise<T>): Promise<T> {
  const reader = database.tenantSessions?.acquire(tenantId);
  if (!reader) return withTenant(database.db, tenantId, fn);
  try {
    return await fn(reader.db);
  } finally {
    reader.release();
  }
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
