/**
 * The SQL migrations (drizzle/*.sql, written by hand where drizzle-kit cannot express them:
 * row-level security, triggers, grants) and the drizzle schema (src/db/schema/*) describe the
 * same database, and drizzle/meta holds the schema's snapshot as of the last migration, so that
 * `npm run db:generate` after a schema change emits only that change.
 *
 * - the latest snapshot against the schema: drizzle-kit's own diff finds nothing to emit;
 * - on both databases, the migrated tables against the tables drizzle-kit would create from the
 *   schema (built side by side in a scratch PostgreSQL schema): the same columns, defaults,
 *   constraints and indexes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows, MIGRATIONS_FOLDER, type Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';

const SCHEMA_FOLDER = new URL('../../src/db/schema/', import.meta.url);

/** Every table of src/db/schema, as drizzle-kit collects them (each file of the folder). */
async function schemaTables(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const file of readdirSync(SCHEMA_FOLDER).filter((f) => f.endsWith('.ts')).sort()) {
    Object.assign(out, await import(new URL(file, SCHEMA_FOLDER).href));
  }
  return out;
}

function journal(): { entries: { idx: number; tag: string }[] } {
  return JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8'));
}

function snapshot(name: string): { id: string; prevId: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/${name}`, 'utf8'));
}

describe('drizzle/meta', () => {
  it('holds a snapshot for the last migration, chained to the one before', () => {
    const entries = journal().entries;
    const last = entries.at(-1)!;
    const files = readdirSync(`${MIGRATIONS_FOLDER}/meta`).filter((f) => f.endsWith('_snapshot.json')).sort();
    // drizzle-kit diffs against the last snapshot by file name: it must be the last migration's.
    expect(files.at(-1)).toBe(`${last.tag.slice(0, 4)}_snapshot.json`);
    for (const entry of entries) expect(readdirSync(MIGRATIONS_FOLDER)).toContain(`${entry.tag}.sql`);
    const ids = new Set<string>();
    for (let i = 0; i < files.length; i++) {
      const s = snapshot(files[i]!);
      expect(ids.has(s.id), `${files[i]} id reused`).toBe(false);
      ids.add(s.id);
      if (i > 0) expect(s.prevId, `${files[i]} follows ${files[i - 1]}`).toBe(snapshot(files[i - 1]!).id);
    }
  });

  it('the schema has nothing the last snapshot lacks: `drizzle-kit generate` emits no migration', async () => {
    const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
    const files = readdirSync(`${MIGRATIONS_FOLDER}/meta`).filter((f) => f.endsWith('_snapshot.json')).sort();
    const latest = snapshot(files.at(-1)!);
    const current = generateDrizzleJson(await schemaTables(), latest.id);
    expect(await generateMigration(latest as never, current)).toEqual([]);
  }, 60_000);
});

const SCRATCH = 'relife_schema_check';

/** Columns, constraints and indexes of one PostgreSQL schema, with the schema's name taken out. */
async function catalog(db: Database['db'], namespace: string): Promise<string[]> {
  const strip = (s: string | null) => (s ?? '').replaceAll(`${namespace}.`, '').replaceAll('public.', '');
  const columns = await executeRows<Record<string, string | null>>(
    db,
    sql`select table_name, column_name, data_type, is_nullable, column_default, is_identity from information_schema.columns where table_schema = ${namespace}`,
  );
  const constraints = await executeRows<Record<string, string>>(
    db,
    sql`select c.relname as table_name, k.conname, pg_get_constraintdef(k.oid) as definition from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${namespace} and k.contype <> 'n'`,
  );
  const indexes = await executeRows<Record<string, string>>(db, sql`select tablename, indexname, indexdef from pg_indexes where schemaname = ${namespace}`);
  return [
    ...columns.map((r) => `column ${r.table_name}.${r.column_name} ${r.data_type} nullable=${r.is_nullable} identity=${r.is_identity} default=${strip(r.column_default)}`),
    ...constraints.map((r) => `constraint ${r.table_name}.${r.conname} ${strip(r.definition)}`),
    ...indexes.map((r) => `index ${r.tablename}.${r.indexname} ${strip(r.indexdef)}`),
  ].sort();
}

describe.each(databaseTargets())('migrations against the drizzle schema on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('the migrated tables are those drizzle-kit would create from the schema', async () => {
    const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
    const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(await schemaTables()));
    expect(statements.length).toBeGreaterThan(10);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`create schema ${SCRATCH}`));
      // Unqualified names land in the scratch schema; relife_tenant() is found in public.
      await tx.execute(sql.raw(`set local search_path to ${SCRATCH}, public`));
      for (const statement of statements) await tx.execute(sql.raw(statement.replaceAll('"public".', `"${SCRATCH}".`)));
      await tx.execute(sql.raw('set local search_path to public'));
      const fromSchema = await catalog(tx as never, SCRATCH);
      const migrated = await catalog(tx as never, 'public');
      expect(fromSchema.length).toBeGreaterThan(100);
      expect(migrated).toEqual(fromSchema);
      tx.rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  }, 120_000);
});
