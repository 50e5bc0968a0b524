/** The router of the plain HTTP routes, and the front door every route goes through (role, tenant). */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import { executeRows, type Database } from '../../src/db/client.js';
import { scopedTenant } from '../../src/db/tenant-scope.js';
import { compileRoute, Router, type HttpRoute, type ServerExtension } from '../../src/http/router.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('compileRoute', () => {
  it('matches literal segments and :params with a literal suffix, URL-decoded', () => {
    const m = compileRoute({ method: 'GET', path: '/plans/:id.csv' });
    expect(m('GET', '/plans/a%20b.csv')).toEqual({ id: 'a b' });
    expect(m('HEAD', '/plans/x.csv')).toEqual({ id: 'x' });
    expect(m('POST', '/plans/x.csv')).toBeNull();
    expect(m('GET', '/plans/x.json')).toBeNull();
    expect(m('GET', '/plans/x/y.csv')).toBeNull();
    expect(m('GET', '/plans/%E0%A4%A.csv')).toBeNull();
  });

  it('takes the first route that matches, in the order given', () => {
    const a: HttpRoute = { method: 'GET', path: '/runs/:id/front.json', handle: () => new Response('a') };
    const b: HttpRoute = { method: 'GET', path: '/runs/:id/:file', handle: () => new Response('b') };
    const router = new Router([a, b]);
    expect(router.match('GET', '/runs/r1/front.json')).toEqual({ route: a, params: { id: 'r1' } });
    expect(router.match('GET', '/runs/r1/pareto.svg')).toEqual({ route: b, params: { id: 'r1', file: 'pareto.svg' } });
    expect(router.match('DELETE', '/runs/r1/front.json')).toBeUndefined();
  });
});

describe.each(databaseTargets())('route access on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let viewer: string;
  let planner: string;
  const probe: ServerExtension = {
    name: 'probe',
    routes: [
      {
        method: 'GET',
        path: '/probe/tenant',
        handle: async ({ database: scoped, principal }) => {
          const [row] = await executeRows<{ tenant: string; role: string }>(scoped.db, sql`select current_setting('relife.tenant', true) as tenant, current_user as role`);
          return Response.json({ setting: row?.tenant, dbRole: row?.role, scoped: scopedTenant(scoped.db), role: principal?.role });
        },
      },
      { method: 'POST', path: '/probe/write', handle: () => new Response('written') },
    ],
  };

  beforeAll(async () => {
    database = await target.open();
    viewer = (await createApiToken(database.db, { tenantName: 'acme', role: 'viewer' })).token;
    planner = (await createApiToken(database.db, { tenantName: 'acme', role: 'planner' })).token;
    server = await startTestServer(database, { extensions: [probe] });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const get = (path: string, token?: string, method = 'GET') => fetch(`${server.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('serves /health without a token, and nothing else once a token exists', async () => {
    expect((await get('/health')).status).toBe(200);
    const refused = await get('/probe/tenant');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await get('/probe/tenant', 'rlf_made-up-token-0123456789abcdefghij')).status).toBe(401);
  });

  it('runs a route inside a transaction scoped to the caller’s tenant, in the database too', async () => {
    const res = await get('/probe/tenant', viewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { setting: string; dbRole: string; scoped: string; role: string };
    expect(body.scoped).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.setting).toBe(body.scoped);
    expect(body.dbRole).toBe('relife_app');
    expect(body.role).toBe('viewer');
  });

  it('keeps viewers to GET routes: a POST route needs a planner', async () => {
    const denied = await get('/probe/write', viewer, 'POST');
    expect(denied.status).toBe(403);
    expect(await denied.text()).toMatch(/needs the planner role; this token has the viewer role/);
    expect(await (await get('/probe/write', planner, 'POST')).text()).toBe('written');
  });

  it('answers an unknown path 404 and HEAD like GET', async () => {
    expect((await get('/no/such/route', viewer)).status).toBe(404);
    expect((await get('/health', undefined, 'HEAD')).status).toBe(200);
  });
});
