/**
 * A query runs on graphql-js's executor the first time its document is seen and compiled
 * (graphql-jit) from the second time on: both must answer the same, data and errors alike, for
 * the shapes the API serves (connections, fragments, the node interface, union results, argument
 * errors, not-found nodes, variables). One difference is known and allowed: a compiled query's
 * errors carry no `locations` (graphql-jit's errors have no AST nodes for yoga's error masking to
 * locate them by); message, path and extensions are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type GqlResult, type TestServer } from '../helpers/server.js';

const QUERIES: [string, string, Record<string, unknown>?][] = [
  ['fleets with aggregates', `{ fleets(first: 5) { edges { cursor node { id name description createdAt moduleCount totalEnergyKwh } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`],
  [
    'a module page through fragments, with variables, the count and the twin score',
    `query ($n: String!, $first: Int, $after: String) { fleet(name: $n) { name modules(first: $first, after: $after, sohMinPercent: 60) { totalCount edges { cursor node { ...M ... on BatteryModule { fleet { name } } } } pageInfo { hasNextPage endCursor } } } }
     fragment M on BatteryModule { __typename id serial chemistry sohPercent internalResistanceMilliohm fullChargeEnergyKwh manufacturer ageYears calibration healthScore }`,
    { n: 'jit', first: 6, after: 'M0002' },
  ],
  ['a page walked backwards', `{ fleet(name: "jit") { modules(last: 4, before: "M0010") { edges { cursor node { serial cycleCount } } pageInfo { hasPreviousPage startCursor } } } }`],
  ['an unknown fleet, by name and by a malformed id', `{ a: fleet(name: "none") { name } b: fleet(id: "not-an-id") { name } }`],
  ['applications', `{ applications { id name } }`],
  ['a union result that is an error', `{ compareStrategies(fleetId: "bad", applicationIds: []) { __typename ... on Error { message } } }`],
  ['a bad argument value', `query ($first: Int) { fleet(name: "jit") { modules(first: $first) { edges { node { serial } } } } }`, { first: -3 }],
];

/** The answer with its errors' `locations` left out. */
function withoutLocations(r: GqlResult): GqlResult {
  return r.errors ? { ...r, errors: r.errors.map(({ locations: _l, ...e }: Record<string, unknown>) => e as never) } : r;
}

describe.each(databaseTargets())('compiled queries on $name', (target) => {
  let database: Database;
  let server: TestServer;
  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database, { seedDemo: true });
    const made = await server.gql(`mutation { generateSyntheticFleet(input: { name: "jit", modules: 40, seed: 5 }) { __typename } }`);
    expect(made.data.generateSyntheticFleet.__typename).toBe('MutationGenerateSyntheticFleetSuccess');
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it.each(QUERIES)('answers %s the same on the executor and compiled', async (_label, query, variables) => {
    const first = await server.gql(query, variables);
    const second = await server.gql(query, variables);
    const third = await server.gql(query, variables);
    expect(withoutLocations(second)).toEqual(withoutLocations(first));
    expect(third).toEqual(second);
    expect(first.data ?? first.errors).toBeTruthy();
  });

  it('writes the same text compiled with its serialiser as the executor with JSON.stringify, and custom scalars and errors still right', async () => {
    const text = async (query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return res.text();
    };
    const cases: [string, Record<string, unknown>?][] = [
      // Built-in scalars and an enum only: serialised by graphql-jit from the second run on.
      [`query ($n: String!) { fleet(name: $n) { name modules(first: 7, after: "M0003") { edges { cursor node { __typename id serial chemistry sohPercent cycleCount manufacturer ageYears fullChargeEnergyKwh } } pageInfo { hasNextPage endCursor } } } }`, { n: 'jit' }],
      // Null on the way: an unknown fleet, by name.
      [`{ a: fleet(name: "none") { name } b: fleet(name: "jit") { name moduleCount } }`],
      // A custom scalar (DateTime) and the JSON scalar: compiled, serialised by JSON.stringify.
      [`{ fleets(first: 2) { edges { node { name createdAt } } } fleet(name: "jit") { modules(first: 2) { edges { node { calibration } } } } }`],
      // Errors beside data: JSON.stringify (the derived schema does not describe them).
      [`query ($first: Int) { fleet(name: "jit") { name modules(first: $first) { edges { node { serial } } } } }`, { first: -3 }],
    ];
    for (const [query, variables] of cases) {
      const first = await text(query, variables);
      const second = await text(query, variables);
      const third = await text(query, variables);
      const parsed = JSON.parse(first) as GqlResult;
      if (parsed.errors) expect(withoutLocations(JSON.parse(second))).toEqual(withoutLocations(parsed));
      else expect(second).toBe(first);
      expect(third).toBe(second);
      expect(parsed.data).toBeTruthy();
    }
    expect(JSON.parse(await text(cases[0]![0], cases[0]![1])).data.fleet.modules.edges).toHaveLength(7);
  });

  it('answers each operation of a document with several, picked by name, however often it runs', async () => {
    const document = `query Names { fleets { edges { node { name } } } } query Count { fleet(name: "jit") { moduleCount } }`;
    const ask = async (operationName: string) => {
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document, operationName }) });
      return (await res.json()) as GqlResult;
    };
    for (let i = 0; i < 3; i++) {
      expect((await ask('Names')).data).toEqual({ fleets: { edges: expect.arrayContaining([{ node: { name: 'jit' } }]) } });
      expect((await ask('Count')).data).toEqual({ fleet: { moduleCount: 40 } });
    }
  });

  it('answers node and nodes (the Node interface) the same compiled, another type or an unknown id as null', async () => {
    const page = await server.gql(`{ fleet(name: "jit") { id modules(first: 2) { edges { node { id } } } } }`);
    const fleetId = page.data.fleet.id as string;
    const moduleId = page.data.fleet.modules.edges[0].node.id as string;
    const query = `query ($id: ID!, $ids: [ID!]!) { node(id: $id) { __typename id ... on BatteryModule { serial } ... on Fleet { name } } nodes(ids: $ids) { __typename id } }`;
    const variables = { id: moduleId, ids: [fleetId, moduleId, Buffer.from('Fleet:00000000-0000-4000-8000-000000000000').toString('base64url')] };
    const first = await server.gql(query, variables);
    expect(first.data.node).toMatchObject({ __typename: 'BatteryModule', id: moduleId });
    expect(first.data.nodes.slice(0, 2)).toEqual([
      { __typename: 'Fleet', id: fleetId },
      { __typename: 'BatteryModule', id: moduleId },
    ]);
    expect(first.data.nodes[2]).toBeNull();
    expect(withoutLocations(await server.gql(query, variables))).toEqual(withoutLocations(first));
    expect(withoutLocations(await server.gql(query, variables))).toEqual(withoutLocations(first));
  });
});
