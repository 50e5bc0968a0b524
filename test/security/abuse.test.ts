/**
 * Abuse limits and protected mode through the real server: deep, wide, aliased and fragment-chained
 * documents, field suggestions, oversized and malformed bodies, made-up tokens, foreign origins,
 * request floods and oversized imports are refused without a stack trace or an echo of the
 * request, and /health answers right after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import type { Database } from '../../src/db/client.js';
import { listAudit } from '../../src/db/tenants.js';
import { createRelifeServer, type RelifeServer } from '../../src/server.js';
import { databaseTargets } from '../helpers/databases.js';
import { client, moduleRow, MODULES_HEADER } from './client.js';

const MARKER = 'ZZ_SECRET_MARKER_42';

function expectClean(text: string): void {
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
  expect(text).not.toContain(MARKER);
  expect(text).not.toMatch(/did you mean/i);
}

describe.each(databaseTargets())('abuse limits on $name', (target) => {
  let database: Database;
  let server: RelifeServer;
  let url: string;
  const health = async () => {
    const r = await fetch(`${url}/health`);
    expect(r.status).toBe(200);
  };
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  beforeAll(async () => {
    database = await target.open();
    server = await createRelifeServer({ database, limits: { ratePerMinute: 0 }, apiTokens: [] });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves loopback as the default admin while no token exists, and refuses forwarded (remote) requests saying how to create one', async () => {
    const local = await client(url).gql(`{ fleets { edges { node { name } } } }`);
    expect(local.status).toBe(200);
    const remote = await fetch(`${url}/graphql?query=${encodeURIComponent('{ fleets { edges { node { name } } } }')}`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(remote.status).toBe(401);
    expect(((await remote.json()) as { error: string }).error).toMatch(/relife token create --tenant NAME/);
  });

  it('refuses a made-up Bearer token', async () => {
    const r = await post(JSON.stringify({ query: '{ fleets { edges { node { name } } } }' }), { authorization: `Bearer ${MARKER}` });
    expect(r.status).toBe(401);
    expectClean(await r.text());
  });

  it('rejects depth 1 000, 10 000 aliases, 250 chained fragments and suggestion probes', async () => {
    const deep = `{ fleets { edges { node { ${'modules { edges { node { fleet { '.repeat(250)} name ${'} } } }'.repeat(250)} } } } }`;
    const aliases = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: applications { id }`).join(' ')} }`;
    const fragments =
      Array.from({ length: 250 }, (_, i) => `fragment F${i} on Fleet { name ${i < 249 ? `modules { edges { node { fleet { ...F${i + 1} } } } }` : ''} }`).join('\n') +
      '\n{ fleets { edges { node { ...F0 } } } }';
    for (const query of [deep, aliases, fragments, `{ fleetz { id } }`, `{ fleets { edges { node { nam } } } }`]) {
      const r = await post(JSON.stringify({ query }));
      const text = await r.text();
      expect(text).toMatch(/"errors"/);
      expect(text).not.toMatch(/"data":\{/);
      expectClean(text);
      await health();
    }
  });

  it('refuses a 10 MB body with 413 before reading it, and a chunked one once it passes the limit', async () => {
    const big = JSON.stringify({ query: `{ fleets { edges { node { name } } } } # ${MARKER}${'x'.repeat(10 * 2 ** 20)}` });
    const r = await post(big);
    expect(r.status).toBe(413);
    expectClean(await r.text());
    await health();
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode(`${MARKER}${'y'.repeat(2 ** 20)}`));
        c.close();
      },
    });
    const chunked = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit).then(
      async (res) => ({ status: res.status as number | null, text: await res.text(), code: '' }),
      // The server answers 413 and closes while the client is still sending: the client may see
      // the broken pipe instead of the answer. Either way the body was refused.
      (error: unknown) => ({ status: null, text: '', code: String((error as { cause?: { code?: string } }).cause?.code ?? error) }),
    );
    if (chunked.status === null) expect(chunked.code).toMatch(/EPIPE|ECONNRESET|UND_ERR_SOCKET/);
    else {
      expect(chunked.status).toBe(413);
      expectClean(chunked.text);
    }
    await health();
  });

  it('answers malformed JSON with 400 and without quoting it', async () => {
    const r = await post(`{"query": "{ fleets { edges { node { name } } } }", "x": ${MARKER}`);
    expect(r.status).toBe(400);
    expectClean(await r.text());
  });

  it('sends no CORS headers to a foreign origin unless origins are configured', async () => {
    const r = await fetch(`${url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const g = await fetch(`${url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: 'https://evil.example' } });
    expect(g.headers.get('access-control-allow-origin')).toBeNull();
    expect(g.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses an import above the synchronous row limit at once, naming the limit and the CLI; a 20 MB body is refused by size', async () => {
    const fleet = await client(url).gql(`mutation { createFleet(input: { name: "bulk" }) { ... on MutationCreateFleetSuccess { data { id } } } }`);
    const fleetId = fleet.data.createFleet.data.id;
    const rows = Array.from({ length: 50_001 }, (_, i) => moduleRow(`S${i}`)).join('\n');
    const r = await client(url).gql(
      `mutation ($input: ImportModulesInput!) { importModules(input: $input) { __typename ... on Error { message } } }`,
      { input: { fleetId, csv: `${MODULES_HEADER}\n${rows}\n` } },
    );
    expect(r.data.importModules.__typename).toBe('ValidationError');
    expect(r.data.importModules.message).toMatch(/more than 50000 rows.*relife import/);
    await health();
    const huge = `${MODULES_HEADER}\n${Array.from({ length: 620_000 }, (_, i) => moduleRow(`H${i}`)).join('\n')}\n`;
    expect(huge.length).toBeGreaterThan(20 * 10 ** 6);
    const big = await post(JSON.stringify({ query: `mutation ($c: String!) { importModules(input: { fleetId: "${fleetId}", csv: $c }) { __typename } }`, variables: { c: huge } }));
    expect(big.status).toBe(413);
    await health();
    const count = await client(url).gql(`query ($id: ID!) { fleet(id: $id) { moduleCount } }`, { id: fleetId });
    expect(count.data.fleet.moduleCount).toBe(0);
  });

  it('ends protected mode once a token exists: then every request but /health needs one; the audit log names who changed what', async () => {
    const { token, row } = await createApiToken(database.db, { tenantName: 'default', role: 'planner' });
    server.authenticator.invalidate();
    const anon = await client(url).gql(`{ fleets { edges { node { name } } } }`);
    expect(anon.status).toBe(401);
    await health();
    const made = await client(url, token).gql(`mutation { createFleet(input: { name: "audited" }) { ... on MutationCreateFleetSuccess { data { id } } } }`);
    const id = made.data.createFleet.data.id;
    const audit = await listAudit(database.db, 5);
    expect(audit[0]).toMatchObject({ actor: `token:${row.prefix}`, role: 'planner', action: 'createFleet', outcome: 'ok' });
    const del = await client(url, token).gql(`mutation ($id: ID!) { deleteFleet(id: $id) { __typename } }`, { id });
    expect(del.status).toBe(403);
  });

  it('limits each token’s request rate with 429 and Retry-After', async () => {
    const limited = await createRelifeServer({ database, limits: { ratePerMinute: 60, rateBurst: 3 }, apiTokens: [] });
    const base = await limited.listen(0);
    try {
      const { token } = await createApiToken(database.db, { tenantName: 'default', role: 'viewer' });
      const c = client(base, token);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await c.gql(`{ __typename }`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const r = await c.get('/fleets/x/modules.csv');
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
