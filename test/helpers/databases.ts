/**
 * Database targets for tests. PGlite in memory always; PostgreSQL (RELIFE_TEST_PG_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres) when it answers, and required when
 * RELIFE_REQUIRE_PG=1 (set by .ci/run): then an unreachable server fails the suite, never skips.
 *
 * Usage:
 *   describe.each(databaseTargets())('imports on $name', (target) => {
 *     let database: Database;
 *     beforeAll(async () => { database = await target.open(); });
 *     afterAll(async () => { await database.close(); });
 *   });
 * Each `open()` gives a fresh, isolated, migrated database: a new PGlite, or a new PostgreSQL
 * database `relife_t_<random>` that `close()` drops.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.js';

export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

export const TEST_PG_URL = process.env.RELIFE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const PG_REQUIRED = process.env.RELIFE_REQUIRE_PG === '1';

async function postgresReachable(url: string): Promise<string | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

let probe: Promise<string | null> | undefined;

/** Why PostgreSQL cannot be used (null when it can). Probed once per test file. */
export function postgresProblem(): Promise<string | null> {
  probe ??= postgresReachable(TEST_PG_URL);
  return probe;
}

const pgliteTarget: DatabaseTarget = {
  name: 'pglite',
  open: () => openDatabase({ inMemory: true }),
};

const postgresTarget: DatabaseTarget = {
  name: 'postgres',
  open: openFreshPostgres,
};

/** Swaps the database name of a postgres:// URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function openFreshPostgres(): Promise<Database> {
  const problem = await postgresProblem();
  if (problem) throw new Error(`PostgreSQL at ${TEST_PG_URL} is not reachable: ${problem}`);
  const name = `relife_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_PG_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  let database: Database;
  try {
    database = await openDatabase({ url: withDatabase(TEST_PG_URL, name), maxConnections: 4 });
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropDatabase(name);
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(TEST_PG_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The targets, probing PostgreSQL once; warns when it is skipped. */
export async function databaseTargetsAsync(): Promise<DatabaseTarget[]> {
  const problem = await postgresProblem();
  if (problem && !PG_REQUIRED) {
    console.warn(`[relife tests] PostgreSQL skipped (${problem}); set RELIFE_REQUIRE_PG=1 to make this fatal`);
    return [pgliteTarget];
  }
  return [pgliteTarget, postgresTarget];
}

// Probed once at import (ESM top-level await) so describe.each() can be called synchronously.
const targets = await databaseTargetsAsync();

/** PGlite always; PostgreSQL when reachable or required. */
export function databaseTargets(): DatabaseTarget[] {
  return targets;
}
