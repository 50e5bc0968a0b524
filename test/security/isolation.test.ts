/**
 * Tenant isolation through the real server, on PGlite and PostgreSQL: tenant A's tokens get
 * nothing of tenant B's, by ID, by name, through node(s), CSV export, SSE and every mutation that
 * names an object; viewers and planners cannot do what their role does not allow. The whole suite
 * runs twice: with the application's tenant filters, and with them switched off so that only the
 * database's row-level security stands between the tenants.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import { executeRows, type Database } from '../../src/db/client.js';
import { setApplicationTenantFilterDisabled, withTenant } from '../../src/db/tenant-scope.js';
import { getTenantByName } from '../../src/db/tenants.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { client, moduleRow, MODULES_HEADER, type Client } from './client.js';

const CREATE = `mutation ($name: String!) { createFleet(input: { name: $name }) { __typename ... on MutationCreateFleetSuccess { data { id } } } }`;
const IMPORT = `mutation ($input: ImportModulesInput!) { importModules(input: $input) { __typename ... on MutationImportModulesSuccess { data { importedCount } } } }`;

const cases = databaseTargets().flatMap((t) => [
  { ...t, where: 'with the application filter' as const, label: `${t.name}, application filter on` },
  { ...t, where: 'row-level security only' as const, label: `${t.name}, row-level security only` },
]);

describe.each(cases)('tenant isolation on $label', (target) => {
  let database: Database;
  let server: TestServer;
  let a: Client;
  let aViewer: Client;
  let aPlanner: Client;
  let b: Client;
  const ids = { aFleet: '', bFleet: '', bModule: '', bApp: '', aApp: '', bRun: '', bPlan: '' };

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database);
    const tokenA = await createApiToken(database.db, { tenantName: 'acme', role: 'admin' });
    const tokenAViewer = await createApiToken(database.db, { tenantName: 'acme', role: 'viewer' });
    const tokenAPlanner = await createApiToken(database.db, { tenantName: 'acme', role: 'planner' });
    const tokenB = await createApiToken(database.db, { tenantName: 'globex', role: 'admin' });
    a = client(server.url, tokenA.token);
    aViewer = client(server.url, tokenAViewer.token);
    aPlanner = client(server.url, tokenAPlanner.token);
    b = client(server.url, tokenB.token);

    // Both tenants own a fleet called "north"; B also has "b-only" with modules.
    for (const [c, key] of [[a, 'aFleet'], [b, 'bFleet']] as const) {
      const r = await c.gql(CREATE, { name: 'north' });
      ids[key] = r.data.createFleet.data.id;
    }
    await b.gql(CREATE, { name: 'b-only' });
    const imported = await b.gql(IMPORT, { input: { fleetId: ids.bFleet, csv: `${MODULES_HEADER}\n${moduleRow('B-1')}\n${moduleRow('B-2', 62)}\n` } });
    expect(imported.data.importModules.data.importedCount).toBe(2);
    await a.gql(IMPORT, { input: { fleetId: ids.aFleet, csv: `${MODULES_HEADER}\n${moduleRow('A-1')}\n` } });
    const bView = await b.gql(`query ($id: ID!) { fleet(id: $id) { modules(first: 5) { edges { node { id } } } } applications { id } }`, { id: ids.bFleet });
    ids.bModule = bView.data.fleet.modules.edges[0].node.id;
    ids.bApp = bView.data.applications[0].id;
    ids.aApp = (await a.gql(`{ applications { id } }`)).data.applications[0].id;
    const run = await b.gql(
      `mutation ($input: StartOptimizationInput!) { startOptimization(input: $input) { __typename ... on MutationStartOptimizationSuccess { data { id } } } }`,
      { input: { fleetId: ids.bFleet, applicationIds: [ids.bApp], population: 8, generations: 2 } },
    );
    ids.bRun = run.data.startOptimization.data.id;
    if (target.where === 'row-level security only') setApplicationTenantFilterDisabled(true);
  }, 120_000);

  afterAll(async () => {
    setApplicationTenantFilterDisabled(false);
    await server?.close();
    await database?.close();
  });

  it('lists only the caller’s fleets, and a shared name resolves to the caller’s own fleet', async () => {
    const r = await a.gql(`{ fleets { edges { node { id name } } } }`);
    expect(r.data.fleets.edges.map((e: any) => e.node)).toEqual([{ id: ids.aFleet, name: 'north' }]);
    const byName = await a.gql(`{ n: fleet(name: "north") { id } o: fleet(name: "b-only") { id } }`);
    expect(byName.data).toEqual({ n: { id: ids.aFleet }, o: null });
  });

  it('answers another tenant’s fleet, module, run and application as not found: fleet(id), node(s), optimizationRun, application', async () => {
    const r = await a.gql(
      `query ($f: ID!, $m: ID!, $r: ID!, $app: ID!) {
        fleet(id: $f) { id }
        f: node(id: $f) { id } m: node(id: $m) { id } r: node(id: $r) { id } ap: node(id: $app) { id }
        list: nodes(ids: [$f, $m, $r, $app]) { id }
        optimizationRun(id: $r) { id }
        application(id: $app) { id }
      }`,
      { f: ids.bFleet, m: ids.bModule, r: ids.bRun, app: ids.bApp },
    );
    expect(r.data?.fleet ?? null).toBeNull();
    expect(r.data?.f ?? null).toBeNull();
    expect(r.data?.m ?? null).toBeNull();
    expect(r.data?.r ?? null).toBeNull();
    expect(r.data?.ap ?? null).toBeNull();
    expect((r.data?.list ?? [null, null, null, null]).every((n: unknown) => n === null)).toBe(true);
    expect(r.data?.optimizationRun ?? null).toBeNull();
    expect(r.data?.application ?? null).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/forbidden|B-1|b-only/i);
    const apps = await a.gql(`{ applications { id } }`);
    expect(apps.data.applications.map((x: any) => x.id)).not.toContain(ids.bApp);
  });

  it('exports another tenant’s fleet CSV as 404, by ID and by name', async () => {
    expect((await a.get(`/fleets/${ids.bFleet}/modules.csv`)).status).toBe(404);
    expect((await a.get(`/fleets/b-only/modules.csv`)).status).toBe(404);
    const own = await (await a.get(`/fleets/north/modules.csv`)).text();
    expect(own).toContain('A-1');
    expect(own).not.toContain('B-');
    const run = await a.get(`/runs/${ids.bRun}/front.json`);
    expect(run.status).toBe(404);
  });

  it('refuses importModules, startOptimization and deleteFleet on another tenant’s objects as NotFoundError, changing nothing', async () => {
    const imp = await a.gql(IMPORT, { input: { fleetId: ids.bFleet, csv: `${MODULES_HEADER}\n${moduleRow('X-1')}\n` } });
    expect(imp.data.importModules.__typename).toBe('NotFoundError');
    const start = `mutation ($input: StartOptimizationInput!) { startOptimization(input: $input) { __typename } }`;
    const s1 = await a.gql(start, { input: { fleetId: ids.bFleet, applicationIds: [ids.aApp], population: 8, generations: 2 } });
    expect(s1.data.startOptimization.__typename).toBe('NotFoundError');
    const s2 = await a.gql(start, { input: { fleetId: ids.aFleet, applicationIds: [ids.bApp], population: 8, generations: 2 } });
    expect(s2.data.startOptimization.__typename).toBe('NotFoundError');
    const del = await a.gql(`mutation ($id: ID!) { deleteFleet(id: $id) { __typename } }`, { id: ids.bFleet });
    expect(del.data.deleteFleet.__typename).toBe('NotFoundError');
    const cancel = await a.gql(`mutation ($id: ID!) { cancelOptimization(runId: $id) { __typename } }`, { id: ids.bRun });
    expect(cancel.data.cancelOptimization.__typename).toBe('NotFoundError');
    const delApp = await a.gql(`mutation ($id: ID!) { deleteApplication(id: $id) { __typename } }`, { id: ids.bApp });
    expect(delApp.data.deleteApplication.__typename).toBe('NotFoundError');
    const still = await b.gql(`query ($id: ID!) { fleet(id: $id) { moduleCount optimizationRuns { status cancelRequested } } applications { id } }`, { id: ids.bFleet });
    expect(still.data.fleet.moduleCount).toBe(2);
    expect(still.data.fleet.optimizationRuns).toEqual([{ status: 'QUEUED', cancelRequested: false }]);
    expect(still.data.applications.map((x: any) => x.id)).toContain(ids.bApp);
  });

  it('ends an SSE subscription to another tenant’s run with "not found"', async () => {
    const query = `subscription ($id: ID!) { optimizationProgress(runId: $id) { generation status } }`;
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify({ id: ids.bRun }))}`, {
      headers: { accept: 'text/event-stream', ...a.headers },
    });
    const text = await res.text();
    expect(text).toMatch(/not found/);
    expect(text).not.toMatch(/"generation"/);
  });

  it('keeps viewers to reads and planners away from deletes and applications', async () => {
    expect((await aViewer.gql(`{ fleets { edges { node { name } } } }`)).data.fleets.edges).toHaveLength(1);
    for (const m of [
      `mutation { createFleet(input: { name: "v" }) { __typename } }`,
      `mutation { importModules(input: { fleetId: "${ids.aFleet}", csv: "x" }) { __typename } }`,
      `mutation { deleteFleet(id: "${ids.aFleet}") { __typename } }`,
    ]) {
      const r = await aViewer.gql(m);
      expect(r.status).toBe(403);
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.data ?? null).toBeNull();
    }
    const del = await aPlanner.gql(`mutation { deleteFleet(id: "${ids.aFleet}") { __typename } }`);
    expect(del.errors?.[0]?.message).toMatch(/deleteFleet needs the admin role; this token has the planner role/);
    const created = await aPlanner.gql(CREATE, { name: 'planner-made' });
    expect(created.data.createFleet.__typename).toBe('MutationCreateFleetSuccess');
    const still = await a.gql(`{ fleets { edges { node { name } } } }`);
    expect(still.data.fleets.edges.map((e: any) => e.node.name)).toEqual(['north', 'planner-made']);
  });

  it('lets the database itself refuse a query without any tenant filter (row-level security)', async () => {
    const acme = (await getTenantByName(database.db, 'acme'))!;
    const seen = await withTenant(database.db, acme.id, async (tx) => ({
      fleets: await executeRows<{ name: string }>(tx, sql`select name from fleets order by name`),
      modules: await executeRows<{ serial: string }>(tx, sql`select serial from modules order by serial`),
      runs: await executeRows(tx, sql`select id from optimization_runs`),
      updated: await executeRows(tx, sql`update fleets set description = 'x' where id = ${idOf(ids.bFleet)} returning id`),
      deleted: await executeRows(tx, sql`delete from modules where fleet_id = ${idOf(ids.bFleet)} returning id`),
    }));
    expect(seen.fleets.map((f) => f.name)).toEqual(['north', 'planner-made']);
    expect(seen.modules.map((m) => m.serial)).toEqual(['A-1']);
    expect(seen.runs).toEqual([]);
    expect(seen.updated).toEqual([]);
    expect(seen.deleted).toEqual([]);
    // A row pointing at another tenant's fleet cannot be written, whatever tenant_id it claims.
    await expect(
      withTenant(database.db, acme.id, (tx) =>
        tx.execute(sql`insert into modules (fleet_id, serial, chemistry, nominal_capacity_ah, nominal_voltage_v, soh_percent, internal_resistance_mohm, temp_min_c, temp_max_c, cycle_count) values (${idOf(ids.bFleet)}, 'X', 'NMC', 1, 1, 70, 1, 0, 1, 1)`),
      ),
    ).rejects.toThrow();
    const globex = (await getTenantByName(database.db, 'globex'))!;
    expect(await causeOf(withTenant(database.db, acme.id, (tx) => tx.execute(sql`insert into fleets (name, tenant_id) values ('sneaky', ${globex.id})`)))).toMatch(
      /row-level security/,
    );
    expect(await causeOf(withTenant(database.db, acme.id, (tx) => tx.execute(sql`select count(*) from api_tokens`)))).toMatch(/permission denied/);
  });
});

/** The database's own message under drizzle's "Failed query" wrapper. */
async function causeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (error) {
    const e = error as { message: string; cause?: { message?: string } };
    return e.cause?.message ?? e.message;
  }
}

function idOf(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;
}
