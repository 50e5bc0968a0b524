/**
 * Opens the Relife database: embedded PGlite (in memory or persisted under a data directory) or a
 * real PostgreSQL through the `postgres` driver. Both run the same drizzle/ SQL migrations and are
 * handed out as one drizzle type, so nothing above this file knows which one it talks to.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql as drizzleSql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';
import { APP_ROLE, TenantSessions, type TenantPool } from './tenant-scope.js';

export type RelifeSchema = typeof schema;
/** The drizzle handle, the same type on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, RelifeSchema>;
/** What `db.transaction(async (tx) => …)` hands to its callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A handle that can run queries: the database or a transaction in progress. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** The raw PGlite instance (pg-boss runs on it through `executeSql`). */
  pglite?: PGlite;
  /** The PostgreSQL connection string (pg-boss connects with it). */
  url?: string;
  /** The lock this process holds on a PGlite data directory (absent in memory and on PostgreSQL). */
  dataDirLock?: DataDirLock;
  /**
   * PostgreSQL: pools of sessions scoped to one tenant each, for read-only operations
   * (src/db/tenant-scope.ts). Absent on PGlite (one session) and when switched off.
   */
  tenantSessions?: TenantSessions;
}

export interface OpenDatabaseOptions {
  /** postgres://… ; when given, PostgreSQL is used and the other options are ignored. */
  url?: string;
  /** PGlite data directory (created if missing). */
  dataDir?: string;
  /** PGlite in memory (tests); wins over dataDir. */
  inMemory?: boolean;
  /** Max connections of the postgres pool (default 10), and of each tenant's pool of read sessions. */
  maxConnections?: number;
  /**
   * PostgreSQL: how many tenants may hold a pool of read sessions at once (default
   * `RELIFE_TENANT_SESSION_POOLS`, else 4; 0 = none: every operation runs in a scoped transaction).
   */
  tenantSessionPools?: number;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens a database and brings its schema up to date. Without options it follows the service's
 * environment: `DATABASE_URL` → PostgreSQL, else PGlite under `RELIFE_DATA_DIR` (default ./.relife).
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const url = opts.url ?? (opts.inMemory || opts.dataDir ? undefined : process.env.DATABASE_URL || undefined);
  if (url) return openPostgres(url, opts.maxConnections ?? 10, opts.tenantSessionPools ?? tenantSessionPoolsFromEnv());
  const dataDir = opts.inMemory ? undefined : (opts.dataDir ?? process.env.RELIFE_DATA_DIR ?? './.relife');
  return openPglite(dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  try {
    const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
    await pglite.waitReady;
    const pgliteDb = drizzlePglite({ client: pglite, schema });
    await migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: pgliteDb,
      kind: 'pglite',
      pglite,
      ...(lock ? { dataDirLock: lock } : {}),
      close: async () => {
        if (!pglite.closed) await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Who holds a PGlite data directory: written to `<dataDir>.lock` beside it. */
export interface DataDirLockHolder {
  pid: number;
  command: string;
  startedAt: string;
  /** The server's base URL, once it listens. */
  url?: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Adds facts for whoever is refused (the server's URL). */
  update(info: Pick<DataDirLockHolder, 'url'>): void;
  release(): void;
}

/**
 * PGlite is one PostgreSQL in one process: a second process opening the same directory works on
 * its own copy in memory and its writes are lost (or the files corrupted). So every process that
 * opens a data directory takes this lock, and is refused with the holder named when it is taken.
 */
export class DataDirectoryInUseError extends Error {
  override name = 'DataDirectoryInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLockHolder,
  ) {
    super(
      `the PGlite data directory ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.startedAt}${holder.url ? `, serving ${holder.url}` : ''}). ` +
        `PGlite is single-process: what this command wrote would be lost. Stop that process first, or do this through its API` +
        `${holder.url ? ` (${holder.url}/graphql)` : ''}, or run the server on PostgreSQL (DATABASE_URL) and give this command the same DATABASE_URL.`,
    );
  }
}

export const lockPathOf = (dataDir: string) => `${resolve(dataDir)}.lock`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process not yet reaped by its parent (a zombie) holds nothing.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The command line of a live process (Linux /proc), else what the holder wrote. */
function commandOf(pid: number, recorded: string): string {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return text || recorded;
  } catch {
    return recorded;
  }
}

function readHolder(path: string): DataDirLockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as DataDirLockHolder;
    return Number.isInteger(h.pid) ? h : null;
  } catch {
    return null;
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockPathOf(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  const me: DataDirLockHolder = { pid: process.pid, command: process.argv.join(' '), startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      const holder = readHolder(path);
      if (holder && processAlive(holder.pid)) throw new DataDirectoryInUseError(dataDir, { ...holder, command: commandOf(holder.pid, holder.command) });
      // The holder died without releasing (killed): the lock is stale.
      try {
        unlinkSync(path);
      } catch {
        /* taken by someone else meanwhile: the next attempt sees their lock */
      }
    }
  }
  let held = true;
  const ours = () => readHolder(path)?.pid === me.pid && readHolder(path)?.startedAt === me.startedAt;
  const releaseSync = () => {
    if (!held) return;
    held = false;
    process.off('exit', releaseSync);
    try {
      if (ours()) unlinkSync(path);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', releaseSync);
  return {
    path,
    update(info) {
      if (held && ours()) writeFileSync(path, JSON.stringify({ ...me, ...info }));
    },
    release: releaseSync,
  };
}

/**
 * Two processes starting against one PostgreSQL (replicas, a CLI next to the server) would race
 * through drizzle's migrator; a session advisory lock on its own connection serialises them.
 */
async function withMigrationLock(url: string, run: () => Promise<void>): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(727000)`;
    await run();
  } finally {
    await lock.end({ timeout: 5 });
  }
}

function tenantSessionPoolsFromEnv(): number {
  const raw = process.env.RELIFE_TENANT_SESSION_POOLS;
  if (raw === undefined || raw === '') return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`RELIFE_TENANT_SESSION_POOLS must be a whole number ≥ 0, got "${raw}"`);
  return n;
}

/**
 * The startup parameters that scope a session (src/db/tenant-scope.ts, `TenantSessions`). They
 * are sent in the connection's startup message, so they hold from the session's first statement
 * on, for every session the driver opens or reopens. The driver lets parameters of the URL's
 * query string override these: those keys (in any case) are removed from the URL, so that ours
 * always win; a `-c role=…` in the URL's `options` is applied before them and loses too.
 */
export const TENANT_SESSION_PARAMETERS = ['role', 'relife.tenant', 'default_transaction_read_only'] as const;

export function openTenantPool(url: string, max: number, tenantId: string): TenantPool {
  const u = new URL(url);
  // PostgreSQL's parameter names ignore case: `?ROLE=…` would set the same parameter.
  for (const key of [...u.searchParams.keys()]) if ((TENANT_SESSION_PARAMETERS as readonly string[]).includes(key.toLowerCase())) u.searchParams.delete(key);
  const client = postgres(u.toString(), {
    max,
    // A tenant that stops asking gives its connections back.
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: 'relife tenant reader', role: APP_ROLE, 'relife.tenant': tenantId, default_transaction_read_only: true },
  });
  return { db: drizzlePostgres({ client, schema }), end: () => client.end({ timeout: 5 }) };
}

async function openPostgres(url: string, max: number, tenantPools: number): Promise<Database> {
  // `onnotice` silenced: drizzle's migrator issues CREATE SCHEMA IF NOT EXISTS, which notices.
  const sql = postgres(url, { max, onnotice: () => {} });
  try {
    const pgDb = drizzlePostgres({ client: sql, schema });
    await withMigrationLock(url, () => migratePostgres(pgDb, { migrationsFolder: MIGRATIONS_FOLDER }));
    const tenantSessions = tenantPools > 0 ? new TenantSessions((tenantId) => openTenantPool(url, max, tenantId), tenantPools) : undefined;
    return {
      db: pgDb,
      kind: 'postgres',
      url,
      ...(tenantSessions ? { tenantSessions } : {}),
      close: async () => {
        await tenantSessions?.close();
        await sql.end({ timeout: 5 });
      },
    };
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
}

/**
 * Rows of a raw `db.execute(sql…)`: postgres-js returns an array, PGlite `{ rows }`. Use this
 * rather than either shape.
 */
export async function executeRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

interface PostgresJsClient {
  unsafe(query: string, args: unknown[], options: { prepare: boolean }): Promise<Record<string, unknown>[]>;
}
interface PgliteClient {
  query(query: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The driver client under a drizzle handle: postgres-js (PostgreSQL) or PGlite. */
function driverClient(db: DbOrTx): { postgres: PostgresJsClient } | { pglite: PgliteClient } | undefined {
  const client = (db as unknown as { session?: { client?: Record<string, unknown> } }).session?.client;
  if (client && typeof client.unsafe === 'function') return { postgres: client as unknown as PostgresJsClient };
  if (client && typeof client.query === 'function') return { pglite: client as unknown as PgliteClient };
  return undefined;
}

/**
 * Rows of a fixed SQL text with `$n` parameters, sent straight to the driver of `db` (the
 * request's transaction keeps its tenant setting and row-level security: it is the same
 * connection). On PostgreSQL the text is a prepared (named) statement of the connection: parsed
 * and planned once per connection and answered in one round trip, where drizzle's unprepared
 * queries build their SQL and describe their parameters in a round trip of their own every
 * time. Columns come back under the names the text gives them (`col as "field"`), unmapped:
 * give only texts built from constants, every value as a parameter.
 */
export async function preparedRows<T>(db: DbOrTx, text: string, params: unknown[]): Promise<T[]> {
  const client = driverClient(db);
  if (client && 'postgres' in client) return (await client.postgres.unsafe(text, params, { prepare: true })) as T[];
  if (client) return (await client.pglite.query(text, params)).rows as T[];
  // Another driver: the same text through drizzle, its $n placeholders as bound parameters.
  const parts = text.split(/\$(\d+)/);
  return (await executeRows(db, drizzleSql.join(parts.map((p, i) => (i % 2 === 0 ? drizzleSql.raw(p) : drizzleSql`${params[Number(p) - 1]}`)), drizzleSql.raw('')))) as T[];
}

/** True for a PostgreSQL unique_violation (23505), also when drizzle wraps the driver error. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
