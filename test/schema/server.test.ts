/** The HTTP face: GraphiQL, masked errors, pluggable routes and extension lifecycle (PGlite). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { ServerExtension } from '../../src/http/router.js';
import { HttpError } from '../../src/http/errors.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('Relife server', () => {
  let database: Database;
  let server: TestServer;
  const events: string[] = [];
  const extension: ServerExtension = {
    name: 'probe',
    start: ({ database: db, services }) => {
      events.push(`start:${db.kind}`);
      (services as Record<string, unknown>).probe = 'ready';
    },
    stop: () => {
      events.push('stop');
    },
    routes: [
      { method: 'GET', path: '/plans/:id.csv', handle: ({ params, services }) => new Response(`plan ${params.id} ${(services as Record<string, unknown>).probe}`) },
      {
        method: 'GET',
        path: '/boom/:kind',
        handle: ({ params }) => {
          if (params.kind === 'http') throw new HttpError(409, 'busy');
          throw new Error('secret internals at /srv/x.ts:12');
        },
      },
    ],
  };

  beforeAll(async () => {
    database = await openDatabase({ inMemory: true });
    server = await startTestServer(database, { extensions: [extension] });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves GraphiQL to browsers at /graphql', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });

  it('starts extensions with the database and routes their paths with parameters', async () => {
    expect(events).toEqual(['start:pglite']);
    const res = await server.get('/plans/abc%20d.csv');
    expect(await res.text()).toBe('plan abc d ready');
    expect((await server.get('/plans/abc.json')).status).toBe(404);
  });

  it('turns HttpError into its status and hides other route errors', async () => {
    const http = await server.get('/boom/http');
    expect(http.status).toBe(409);
    expect(await http.text()).toBe('busy');
    const hidden = await server.get('/boom/other');
    expect(hidden.status).toBe(500);
    expect(await hidden.text()).not.toMatch(/secret|\.ts/);
  });

  it('masks unexpected GraphQL errors (no message or stack of the cause)', async () => {
    const doomed = await openDatabase({ inMemory: true });
    const other = await startTestServer(doomed);
    await doomed.close();
    const r = await other.gql(`{ fleets { edges { node { name } } } }`);
    await other.close();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].message).toBe('Unexpected error.');
    expect(JSON.stringify(r)).not.toMatch(/stack|PGlite|closed/i);
  });

  it('reports GraphQL syntax errors to the client', async () => {
    const r = await server.gql(`{ fleets { edges `);
    expect(r.errors![0].message).toMatch(/Syntax Error/);
  });

  it('stops extensions on close', async () => {
    const db = await openDatabase({ inMemory: true });
    const local: string[] = [];
    const s = await startTestServer(db, { extensions: [{ name: 'a', stop: () => void local.push('a') }, { name: 'b', stop: () => void local.push('b') }] });
    await s.close();
    await db.close();
    expect(local).toEqual(['b', 'a']);
  });
});
