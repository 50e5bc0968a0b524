/**
 * Reads without a transaction (src/db/tenant-scope.ts, `TenantSessions`, `readAsTenant`): every
 * statement of a read runs as relife_app with the reader's own tenant, on PGlite (a scoped
 * transaction) and on PostgreSQL (sessions scoped by their startup message): tenants alternating
 * on the same pool, backends killed between reads, statements that reset the session, a URL that
 * asks for another role or tenant, all pools taken. Through the server too, with the
 * application's tenant filter switched off so that a statement outside its tenant's scope would
 * show the other tenant's rows (or, as the superuser, all of them).
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import { executeRows, openTenantPool, type Database, type DbOrTx } from '../../src/db/client.js';
import { createFleet } from '../../src/db/fleets.js';
import { insertModules } from '../../src/db/modules.js';
import { APP_ROLE, readAsTenant, setApplicationTenantFilterDisabled, TenantSessions, withTenant } from '../../src/db/tenant-scope.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { client } from '../security/client.js';

interface Scope {
  user: string;
  tenant: string | null;
  fleets: string[] | null;
  app: string;
}

/** Who a statement runs as, with which tenant, and the fleets it sees (no application filter). */
const whoAmI = async (db: DbOrTx): Promise<Scope> =>
  (
    await executeRows<Scope & Record<string, unknown>>(
      db,
      sql`select current_user as "user", current_setting('relife.tenant', true) as tenant, (select array_agg(name order by name) from fleets) as fleets, current_setting('application_name') as app`,
    )
  )[0]!;

/** The messages of an error and its causes (drizzle wraps the driver's error). */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    const out: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) out.push(String((e as Error).message ?? e));
    return out.join(' <- ');
  }
  return 'no error';
}

/** Backends of the tenant sessions, ended from outside (a restart, an operator, a network cut). */
async function terminateReaders(url: string): Promise<number> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and application_name = 'relife tenant reader'`;
    // Wait until the backends are gone, so that the next read meets a closed connection.
    for (let i = 0; i < 100; i++) {
      const [left] = await admin`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'relife tenant reader'`;
      if (left!.n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 50));
    return rows.length;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

describe.each(databaseTargets())('reads scoped to their tenant on $name', (target) => {
  let database: Database;
  const tenants = { a: '', b: '' };
  const tokens = { a: '', b: '' };

  beforeAll(async () => {
    database = await target.open();
    for (const key of ['a', 'b'] as const) {
      const { token, row } = await createApiToken(database.db, { tenantName: `t-${key}`, role: 'viewer' });
      tenants[key] = row.tenantId;
      tokens[key] = token;
      await withTenant(database.db, row.tenantId, async (tx) => {
        const fleet = await createFleet(tx, { name: `fleet-${key}` });
        await insertModules(tx, fleet.id, generateSyntheticFleet({ size: 20, seed: key === 'a' ? 1 : 2 }));
      });
    }
  }, 120_000);

  afterAll(async () => {
    setApplicationTenantFilterDisabled(false);
    await database?.close();
  });

  it('runs on tenant sessions on PostgreSQL only (PGlite has one session: a scoped transaction)', () => {
    expect(database.tenantSessions !== undefined).toBe(target.name === 'postgres');
  });

  it('answers each read as relife_app with its own tenant while two tenants alternate, 40 reads at once', async () => {
    const reads = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'a' : 'b') as 'a' | 'b');
    const seen = await Promise.all(reads.map((key) => readAsTenant(database, tenants[key], whoAmI).then((s) => ({ key, s }))));
    for (const { key, s } of seen) {
      expect(s.user).toBe(APP_ROLE);
      expect(s.tenant).toBe(tenants[key]);
      expect(s.fleets).toEqual([`fleet-${key}`]);
      if (target.name === 'postgres') expect(s.app).toBe('relife tenant reader');
    }
  });

  it('refuses writes in a read (read-only sessions on PostgreSQL; the row-level check on PGlite)', async () => {
    const write = readAsTenant(database, tenants.a, (db) => executeRows(db, sql`insert into fleets (name, tenant_id) values ('intruder', ${tenants.b}::uuid) returning id`));
    expect(await failure(write)).toMatch(target.name === 'postgres' ? /read-only transaction/ : /row-level security/);
    const count = await executeRows<{ n: number }>(database.db, sql`select count(*)::int as n from fleets where name = 'intruder'`);
    expect(count[0]!.n).toBe(0);
  });

  it('keeps a read scoped when a statement of it fails', async () => {
    expect(await failure(readAsTenant(database, tenants.a, (db) => executeRows(db, sql`select 1 / 0`)))).toMatch(/division by zero/);
    const s = await readAsTenant(database, tenants.b, whoAmI);
    expect([s.user, s.tenant, s.fleets]).toEqual([APP_ROLE, tenants.b, ['fleet-b']]);
  });

  describe('through the server, row-level security only', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(database);
      setApplicationTenantFilterDisabled(true);
    });
    afterEach(() => setApplicationTenantFilterDisabled(true));
    afterAll(async () => {
      setApplicationTenantFilterDisabled(false);
      await server?.close();
    });

    const FLEETS = `{ fleets { edges { node { name modules(first: 3) { edges { node { serial } } } } } } }`;
    const names = (r: any) => r.data.fleets.edges.map((e: any) => e.node.name);

    it('answers alternating tenants with their own fleets only, also after every tenant session was killed', async () => {
      const a = client(server.url, tokens.a);
      const b = client(server.url, tokens.b);
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).gql(FLEETS)));
        answers.forEach((r, i) => {
          expect(r.errors).toBeUndefined();
          expect(names(r)).toEqual([i % 2 === 0 ? 'fleet-a' : 'fleet-b']);
          expect(r.data.fleets.edges[0].node.modules.edges).toHaveLength(3);
        });
        if (target.name === 'postgres') expect(await terminateReaders(database.url!)).toBeGreaterThan(0);
      }
      // After the kill, a read either fails or is scoped; it is never answered with another
      // tenant's rows or all of them.
      const after = await Promise.all([a.gql(FLEETS), b.gql(FLEETS)]);
      expect(after.map((r) => (r.errors ? 'failed' : names(r)))).toEqual([['fleet-a'], ['fleet-b']]);
    });
  });

  describe.runIf(target.name === 'postgres')('tenant sessions on PostgreSQL', () => {
    let sessions: TenantSessions | undefined;
    afterEach(async () => {
      await sessions?.close();
      sessions = undefined;
    });

    it('are scoped from the start of every session: after RESET ROLE, RESET ALL, DISCARD ALL, a set_config and a killed backend', async () => {
      sessions = new TenantSessions((t) => openTenantPool(database.url!, 1, t), 2);
      const reader = sessions.acquire(tenants.a)!;
      try {
        const before = await whoAmI(reader.db);
        expect([before.user, before.tenant, before.fleets]).toEqual([APP_ROLE, tenants.a, ['fleet-a']]);
        for (const statement of ['reset role', 'reset all', 'discard all', `select set_config('relife.tenant', '${tenants.b}', false)`]) {
          if (statement.startsWith('select')) await executeRows(reader.db, sql.raw(statement));
          else await reader.db.execute(sql.raw(statement));
          const s = await whoAmI(reader.db);
          if (statement.startsWith('select')) {
            // A session-level set_config is the one thing that moves it (no request sends it):
            // undo it with RESET ALL, which goes back to the startup value.
            expect(s.tenant).toBe(tenants.b);
            await reader.db.execute(sql.raw('reset all'));
            expect((await whoAmI(reader.db)).tenant).toBe(tenants.a);
          } else {
            expect([statement, s.user, s.tenant, s.fleets]).toEqual([statement, APP_ROLE, tenants.a, ['fleet-a']]);
          }
        }
        await executeRows(reader.db, sql`select set_config('relife.tenant', ${tenants.b}, false)`);
        expect(await terminateReaders(database.url!)).toBeGreaterThanOrEqual(1);
        // The reopened session starts from the startup message again: tenant a, not b.
        let s: Scope | undefined;
        for (let attempt = 0; attempt < 3 && !s; attempt++) s = await whoAmI(reader.db).catch(() => undefined);
        expect([s?.user, s?.tenant, s?.fleets]).toEqual([APP_ROLE, tenants.a, ['fleet-a']]);
      } finally {
        reader.release();
      }
    });

    it('keep their role and tenant when the URL asks for another role or tenant', async () => {
      const u = new URL(database.url!);
      u.searchParams.set('ROLE', 'postgres');
      u.searchParams.set('relife.tenant', tenants.b);
      u.searchParams.set('default_transaction_read_only', 'off');
      u.searchParams.set('options', '-c role=postgres');
      const pool = openTenantPool(u.toString(), 1, tenants.a);
      try {
        const s = await whoAmI(pool.db);
        expect([s.user, s.tenant, s.fleets]).toEqual([APP_ROLE, tenants.a, ['fleet-a']]);
        expect(await failure(pool.db.execute(sql`insert into fleets (name) values ('x')`))).toMatch(/read-only transaction/);
      } finally {
        await pool.end();
      }
    });

    it('fall back to a scoped transaction when every pool is held or recently used, and evict an idle one', async () => {
      let clock = 1_000_000;
      sessions = new TenantSessions((t) => openTenantPool(database.url!, 1, t), 1, 30_000, () => clock);
      const a = sessions.acquire(tenants.a)!;
      expect(a).toBeDefined();
      expect(sessions.acquire(tenants.b)).toBeUndefined();
      const held = { ...database, tenantSessions: sessions };
      // b reads in a transaction on the service's pool: still as relife_app with b's tenant.
      const s = await readAsTenant(held, tenants.b, whoAmI);
      expect([s.user, s.tenant, s.fleets, s.app]).toEqual([APP_ROLE, tenants.b, ['fleet-b'], 'postgres.js']);
      a.release();
      clock += 29_999;
      expect(sessions.acquire(tenants.b)).toBeUndefined();
      clock += 1;
      const b = sessions.acquire(tenants.b)!;
      try {
        expect(sessions.tenants()).toEqual([tenants.b]);
        const sb = await whoAmI(b.db);
        expect([sb.user, sb.tenant, sb.fleets, sb.app]).toEqual([APP_ROLE, tenants.b, ['fleet-b'], 'relife tenant reader']);
      } finally {
        b.release();
      }
    });

    it('are not opened for a tenant id that is not a UUID, nor after close', async () => {
      sessions = new TenantSessions((t) => openTenantPool(database.url!, 1, t), 2);
      expect(sessions.acquire("x', role='postgres")).toBeUndefined();
      await sessions.close();
      expect(sessions.acquire(tenants.a)).toBeUndefined();
    });
  });
});
