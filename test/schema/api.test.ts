/** The GraphQL API over a seeded database, through the real server, on PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { databaseTargets } from '../helpers/databases.js';
import { APPLICATION_INPUT } from '../helpers/application-input.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const APP_FIELDS = `id name kind capacityLimitKwh duty { cyclesPerDay depthOfDischarge cRate socMinPercent socMaxPercent ambientTemperatureC seasonalSwingC
    socProfile { points { hour socPercent } timeAtSoc { socPercent hours } source } }
  requirements { minSohPercent maxResistanceMilliohm maxCellTemperatureC minServiceYears endOfLifeSohPercent }
  economics { repurposingCostUsdPerModule integrationCostUsdPerKwh valueUsdPerMwh }
  envelopes { name description socMinPercent socMaxPercent dodFactor activeCooling }`;

describe.each(databaseTargets())('GraphQL API on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let paperId: string;

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database, { seedDemo: true });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves the seeded demo: paper-120 with 120 modules and the four default applications', async () => {
    const r = await server.gql(`{ fleets { edges { node { id name moduleCount totalEnergyKwh } } } applications { ${APP_FIELDS} } }`);
    expect(r.errors).toBeUndefined();
    const fleets = r.data.fleets.edges.map((e: any) => e.node);
    expect(fleets).toHaveLength(1);
    expect(fleets[0]).toMatchObject({ name: 'paper-120', moduleCount: 120 });
    expect(fleets[0].totalEnergyKwh).toBeCloseTo(241.524, 2);
    paperId = fleets[0].id;
    // A daily profile gives points or timeAtSoc; the other comes back null.
    const withoutNulls = (o: any) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
    const apps = r.data.applications.map(({ id: _id, ...rest }: any) => ({ ...rest, duty: { ...rest.duty, socProfile: withoutNulls(rest.duty.socProfile) } }));
    expect(apps.map((a: any) => a.kind).sort()).toEqual(['BACKUP', 'GRID', 'MICROGRID', 'SOLAR']);
    for (const expected of DEFAULT_APPLICATIONS) expect(apps).toContainEqual(expected);
  });

  it('resolves node(id) for fleets, modules and applications, and null for unknown IDs', async () => {
    const m = await server.gql(`query ($id: ID!) { fleet(id: $id) { modules(first: 1) { edges { node { id serial } } } } applications { id name } }`, { id: paperId });
    const moduleId = m.data.fleet.modules.edges[0].node.id;
    const appId = m.data.applications[0].id;
    const r = await server.gql(
      `query ($f: ID!, $m: ID!, $a: ID!) {
        f: node(id: $f) { __typename ... on Fleet { name } }
        m: node(id: $m) { __typename ... on BatteryModule { serial } }
        a: node(id: $a) { __typename ... on Application { name } }
      }`,
      { f: paperId, m: moduleId, a: appId },
    );
    expect(r.data.f).toEqual({ __typename: 'Fleet', name: 'paper-120' });
    expect(r.data.m).toEqual({ __typename: 'BatteryModule', serial: 'B1' });
    expect(r.data.a).toEqual({ __typename: 'Application', name: m.data.applications[0].name });
    const missing = await server.gql(`{ fleet(id: "RmxlZXQ6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw") { name } byName: fleet(name: "paper-120") { id } }`);
    expect(missing.data.fleet).toBeNull();
    expect(missing.data.byName.id).toBe(paperId);
  });

  it('contains rows B1–B5 of the paper’s Table 3 exactly', async () => {
    const r = await server.gql(`query ($id: ID!) { fleet(id: $id) { modules(first: 5) { edges { node { serial sohPercent internalResistanceMilliohm temperatureMinC temperatureMaxC cycleCount } } } } }`, { id: paperId });
    const rows = r.data.fleet.modules.edges.map((e: any) => Object.values(e.node));
    expect(rows.slice(0, 1)).toEqual([['B1', 78, 45, 25, 35, 1200]]);
    const all = await server.gql(`query ($id: ID!) { fleet(id: $id) { modules(first: 500) { edges { node { serial sohPercent internalResistanceMilliohm temperatureMinC temperatureMaxC cycleCount } } } } }`, { id: paperId });
    const bySerial = new Map(all.data.fleet.modules.edges.map((e: any) => [e.node.serial, Object.values(e.node).slice(1)]));
    expect(bySerial.get('B2')).toEqual([65, 60, 30, 45, 1500]);
    expect(bySerial.get('B3')).toEqual([72, 50, 20, 30, 1100]);
    expect(bySerial.get('B4')).toEqual([58, 70, 35, 50, 1800]);
    expect(bySerial.get('B5')).toEqual([80, 40, 25, 32, 1000]);
  });

  it('pages modules with cursors forwards and backwards without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await server.gql(`query ($id: ID!, $after: String) { fleet(id: $id) { modules(first: 50, after: $after) { edges { node { serial } } pageInfo { hasNextPage endCursor } } } }`, { id: paperId, after });
      const c = r.data.fleet.modules;
      seen.push(...c.edges.map((e: any) => e.node.serial));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect([...seen].sort()).toEqual(seen);
    const back = await server.gql(`query ($id: ID!, $before: String) { fleet(id: $id) { modules(last: 3, before: $before) { edges { node { serial } } pageInfo { hasPreviousPage } } } }`, { id: paperId, before: seen[10] });
    expect(back.data.fleet.modules.edges.map((e: any) => e.node.serial)).toEqual(seen.slice(7, 10));
    expect(back.data.fleet.modules.pageInfo.hasPreviousPage).toBe(true);
  });

  it('caps a page at 500 modules', async () => {
    await server.gql(`mutation { generateSyntheticFleet(input: { name: "big", modules: 620, seed: 3 }) { __typename } }`);
    const r = await server.gql(`{ fleet(name: "big") { moduleCount modules(first: 5000) { edges { cursor } pageInfo { hasNextPage } } } }`);
    expect(r.data.fleet.moduleCount).toBe(620);
    expect(r.data.fleet.modules.edges).toHaveLength(500);
    expect(r.data.fleet.modules.pageInfo.hasNextPage).toBe(true);
  });

  it('filters modules by SOH range and chemistry', async () => {
    const r = await server.gql(`query ($id: ID!) { fleet(id: $id) {
      hi: modules(first: 500, sohMinPercent: 70, sohMaxPercent: 78) { edges { node { sohPercent } } }
      lfp: modules(first: 500, chemistry: LFP) { edges { node { serial } } }
      nmc: modules(first: 500, chemistry: NMC) { edges { node { serial } } } } }`, { id: paperId });
    const soh = r.data.fleet.hi.edges.map((e: any) => e.node.sohPercent);
    expect(soh.length).toBeGreaterThan(10);
    expect(soh.length).toBeLessThan(120);
    for (const s of soh) expect(s >= 70 && s <= 78).toBe(true);
    expect(soh).toContain(78); // B1: bounds are inclusive
    expect(r.data.fleet.lfp.edges).toHaveLength(0);
    const counts = await server.gql(`query ($id: ID!) { fleet(id: $id) {
      hi: modules(first: 1, sohMinPercent: 70, sohMaxPercent: 78) { totalCount edges { node { fleet { name } } } }
      all: modules(first: 1) { totalCount } } }`, { id: paperId });
    expect(counts.data.fleet.hi.totalCount).toBe(soh.length);
    expect(counts.data.fleet.all.totalCount).toBe(120);
    expect(counts.data.fleet.hi.edges[0].node.fleet.name).toBe('paper-120');
    expect(r.data.fleet.nmc.edges).toHaveLength(120);
  });

  it('creates, updates and deletes an application; bad input is a ValidationError naming the fields', async () => {
    const created = await server.gql(`mutation ($input: ApplicationInput!) { createApplication(input: $input) { __typename ... on MutationCreateApplicationSuccess { data { ${APP_FIELDS} } } } }`, { input: APPLICATION_INPUT });
    const app = created.data.createApplication.data;
    expect(app).toMatchObject({ name: 'Telecom tower', kind: 'CUSTOM', capacityLimitKwh: 12.5 });
    expect(app.envelopes[0].description).toBe('');

    const dup = await server.gql(`mutation ($input: ApplicationInput!) { createApplication(input: $input) { __typename ... on Error { message } } }`, { input: APPLICATION_INPUT });
    expect(dup.data.createApplication).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('Telecom tower') });

    const bad = {
      ...APPLICATION_INPUT,
      name: 'Broken',
      capacityLimitKwh: -1,
      duty: { ...APPLICATION_INPUT.duty, depthOfDischarge: 1.5, socMinPercent: 90, socMaxPercent: 10 },
      envelopes: [],
    };
    const rejected = await server.gql(`mutation ($id: ID!, $input: ApplicationInput!) { updateApplication(id: $id, input: $input) { __typename ... on ValidationError { problems { column message } } } }`, { id: app.id, input: bad });
    const columns = rejected.data.updateApplication.problems.map((p: any) => p.column);
    expect(columns).toEqual(expect.arrayContaining(['capacityLimitKwh', 'duty.depthOfDischarge', 'duty.socMinPercent', 'envelopes']));

    const updated = await server.gql(`mutation ($id: ID!, $input: ApplicationInput!) { updateApplication(id: $id, input: $input) { ... on MutationUpdateApplicationSuccess { data { id name capacityLimitKwh } } } }`, { id: app.id, input: { ...APPLICATION_INPUT, capacityLimitKwh: 20 } });
    expect(updated.data.updateApplication.data).toEqual({ id: app.id, name: 'Telecom tower', capacityLimitKwh: 20 });

    const del = await server.gql(`mutation ($id: ID!) { deleteApplication(id: $id) { __typename ... on MutationDeleteApplicationSuccess { data } } }`, { id: app.id });
    expect(del.data.deleteApplication.data).toBe(app.id);
    const again = await server.gql(`mutation ($id: ID!) { deleteApplication(id: $id) { __typename } }`, { id: app.id });
    expect(again.data.deleteApplication.__typename).toBe('NotFoundError');
    const list = await server.gql(`{ applications { name } }`);
    expect(list.data.applications).toHaveLength(4);
  });

  it('rejects a fleet name already taken and a wrong-type ID', async () => {
    const r = await server.gql(`mutation { createFleet(input: { name: "paper-120" }) { __typename } generateSyntheticFleet(input: { name: "x", modules: 0, seed: 1 }) { __typename ... on ValidationError { problems { column } } } }`);
    expect(r.data.createFleet.__typename).toBe('ConflictError');
    expect(r.data.generateSyntheticFleet).toEqual({ __typename: 'ValidationError', problems: [{ column: 'modules' }] });
    const apps = await server.gql(`{ applications { id } }`);
    const wrong = await server.gql(`mutation ($id: ID!) { deleteFleet(id: $id) { __typename ... on ValidationError { problems { column message } } } }`, { id: apps.data.applications[0].id });
    expect(wrong.data.deleteFleet.__typename).toBe('ValidationError');
    expect(wrong.data.deleteFleet.problems[0].message).toMatch(/not a Fleet ID/);
  });

  it('answers ConflictError (not a masked error) to concurrent creates of one fleet name', async () => {
    const q = `mutation { createFleet(input: { name: "race" }) { __typename } }`;
    const results = await Promise.all(Array.from({ length: 6 }, () => server.gql(q)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const kinds = results.map((r) => r.data.createFleet.__typename).sort();
    expect(kinds).toEqual(['ConflictError', 'ConflictError', 'ConflictError', 'ConflictError', 'ConflictError', 'MutationCreateFleetSuccess']);
  });

  it('deletes a fleet with its modules', async () => {
    const g = await server.gql(`mutation { generateSyntheticFleet(input: { name: "doomed", modules: 10, seed: 9 }) { ... on MutationGenerateSyntheticFleetSuccess { data { id } } } }`);
    const id = g.data.generateSyntheticFleet.data.id;
    const d = await server.gql(`mutation ($id: ID!) { deleteFleet(id: $id) { __typename } }`, { id });
    expect(d.data.deleteFleet.__typename).toBe('MutationDeleteFleetSuccess');
    expect((await server.gql(`query ($id: ID!) { fleet(id: $id) { id } }`, { id })).data.fleet).toBeNull();
    expect((await server.get(`/fleets/${id}/modules.csv`)).status).toBe(404);
  });

  it('reports GET /health with the database kind', async () => {
    const res = await server.get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: target.name });
  });
});
