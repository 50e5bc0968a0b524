/**
 * The audit log through the real server, on PGlite and PostgreSQL: every kind of write leaves an
 * entry naming its actor, action and object; `auditLog` reads them newest first, pages, shows a
 * tenant only its own entries (also with the application's tenant filter off: row-level
 * security), and is for admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/client.js';
import { setApplicationTenantFilterDisabled } from '../../src/db/tenant-scope.js';
import { databaseTargets } from '../helpers/databases.js';
import { APPLICATION_INPUT } from '../helpers/application-input.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { client, moduleRow, MODULES_HEADER, type Client } from '../security/client.js';

const CREATE = `mutation ($name: String!) { createFleet(input: { name: $name }) { __typename ... on MutationCreateFleetSuccess { data { id } } } }`;
const IMPORT = `mutation ($input: ImportModulesInput!) { importModules(input: $input) { __typename } }`;
const DELETE = `mutation ($id: ID!) { deleteFleet(id: $id) { __typename } }`;
const AUDIT = `query ($first: Int, $after: String) { auditLog(first: $first, after: $after) {
  edges { cursor node { at actor role action target outcome } } pageInfo { hasNextPage endCursor } } }`;

interface Entry {
  at: string;
  actor: string;
  role: string;
  action: string;
  target: Record<string, unknown>;
  outcome: string;
}

const entries = async (c: Client, first = 50): Promise<Entry[]> => {
  const r = await c.gql(AUDIT, { first });
  expect(r.errors).toBeUndefined();
  return r.data.auditLog.edges.map((e: { node: Entry }) => e.node);
};

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;

describe.each(databaseTargets())('audit log on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let a: Client;
  let aPlanner: Client;
  let aViewer: Client;
  let b: Client;
  let aPrefix: string;
  let plannerPrefix: string;
  let fleetId = '';
  let doomedId = '';

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database);
    const tokenA = await createApiToken(database.db, { tenantName: 'acme', role: 'admin' });
    const tokenPlanner = await createApiToken(database.db, { tenantName: 'acme', role: 'planner' });
    const tokenViewer = await createApiToken(database.db, { tenantName: 'acme', role: 'viewer' });
    const tokenB = await createApiToken(database.db, { tenantName: 'globex', role: 'admin' });
    aPrefix = tokenA.row.prefix;
    plannerPrefix = tokenPlanner.row.prefix;
    a = client(server.url, tokenA.token);
    aPlanner = client(server.url, tokenPlanner.token);
    aViewer = client(server.url, tokenViewer.token);
    b = client(server.url, tokenB.token);

    fleetId = (await aPlanner.gql(CREATE, { name: 'north' })).data.createFleet.data.id;
    doomedId = (await a.gql(CREATE, { name: 'doomed' })).data.createFleet.data.id;
    await aPlanner.gql(IMPORT, { input: { fleetId, csv: `${MODULES_HEADER}\n${moduleRow('A-1')}\n${moduleRow('A-2', 61)}\n` } });
    const refusedImport = await aPlanner.gql(IMPORT, { input: { fleetId, csv: `${MODULES_HEADER}\nA-3,NMC,60,44,seventy,25,10,35,900\n` } });
    expect(refusedImport.data.importModules.__typename).toBe('ValidationError');
    await a.gql(DELETE, { id: doomedId });
    // B writes too: none of this may reach A's log.
    await b.gql(CREATE, { name: 'b-fleet' });
  }, 120_000);

  afterAll(async () => {
    setApplicationTenantFilterDisabled(false);
    await server?.close();
    await database?.close();
  });

  it('records each write with its actor, role, action, object and outcome, newest first', async () => {
    const log = await entries(a);
    expect(log.map((e) => [e.action, e.outcome])).toEqual([
      ['deleteFleet', 'ok'],
      ['importModules', 'ValidationError'],
      ['importModules', 'ok'],
      ['createFleet', 'ok'],
      ['createFleet', 'ok'],
    ]);
    const [deleted, refused, imported, created, plannerCreated] = log as [Entry, Entry, Entry, Entry, Entry];
    expect(deleted).toMatchObject({ actor: `token:${aPrefix}`, role: 'admin', target: { id: doomedId, result: doomedId } });
    expect(imported).toMatchObject({ actor: `token:${plannerPrefix}`, role: 'planner', target: { 'input.fleetId': fleetId } });
    expect(refused.target).toEqual({ 'input.fleetId': fleetId });
    expect(created.target).toEqual({ result: uuidOf(doomedId) });
    expect(plannerCreated).toMatchObject({ actor: `token:${plannerPrefix}`, target: { result: uuidOf(fleetId) } });
    // Never the CSV or other input.
    expect(JSON.stringify(log)).not.toMatch(/A-1|NMC|north|doomed/);
    const times = log.map((e) => Date.parse(e.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it('pages with cursors, newest first', async () => {
    const first = await a.gql(AUDIT, { first: 2 });
    expect(first.data.auditLog.pageInfo.hasNextPage).toBe(true);
    const rest = await a.gql(AUDIT, { first: 10, after: first.data.auditLog.pageInfo.endCursor });
    const actions = [...first.data.auditLog.edges, ...rest.data.auditLog.edges].map((e: { node: Entry }) => e.node.action);
    expect(actions).toEqual((await entries(a)).map((e) => e.action));
    expect(rest.data.auditLog.pageInfo.hasNextPage).toBe(false);
    const bad = await a.gql(AUDIT, { first: 2, after: 'DROP TABLE' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows a tenant only its own entries, also with row-level security alone', async () => {
    for (const filterOff of [false, true]) {
      setApplicationTenantFilterDisabled(filterOff);
      const log = await entries(b);
      expect(log.map((e) => e.action)).toEqual(['createFleet']);
      expect(JSON.stringify(log)).not.toContain(aPrefix);
      expect((await entries(a)).length).toBe(5);
    }
    setApplicationTenantFilterDisabled(false);
  });

  it('is for admins only', async () => {
    for (const c of [aViewer, aPlanner]) {
      const r = await c.gql(AUDIT, { first: 5 });
      expect(r.data ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.errors?.[0]?.message).toMatch(/auditLog needs the admin role/);
    }
  });

  it('records application changes and runs started and cancelled, with the objects they made', async () => {
    const app = await a.gql(`mutation ($input: ApplicationInput!) { createApplication(input: $input) { __typename ... on MutationCreateApplicationSuccess { data { id } } } }`, {
      input: APPLICATION_INPUT,
    });
    const appId = app.data.createApplication.data.id as string;
    const run = await aPlanner.gql(
      `mutation ($input: StartOptimizationInput!) { startOptimization(input: $input) { __typename ... on MutationStartOptimizationSuccess { data { id } } } }`,
      { input: { fleetId, applicationIds: [appId], population: 8, generations: 2 } },
    );
    const runId = run.data.startOptimization.data.id as string;
    await aPlanner.gql(`mutation ($id: ID!) { cancelOptimization(runId: $id) { __typename } }`, { id: runId });
    await a.gql(`mutation ($id: ID!) { deleteApplication(id: $id) { __typename } }`, { id: appId });
    const [deleted, cancelled, started, created] = (await entries(a, 4)) as [Entry, Entry, Entry, Entry];
    expect([deleted.action, cancelled.action, started.action, created.action]).toEqual(['deleteApplication', 'cancelOptimization', 'startOptimization', 'createApplication']);
    expect(created.target).toEqual({ result: uuidOf(appId) });
    expect(started).toMatchObject({ actor: `token:${plannerPrefix}`, outcome: 'ok', target: { 'input.fleetId': fleetId, 'input.applicationIds': [appId], result: uuidOf(runId) } });
    expect(cancelled.target).toMatchObject({ runId });
    expect(deleted).toMatchObject({ outcome: 'ok', target: { id: appId } });
  });
});
