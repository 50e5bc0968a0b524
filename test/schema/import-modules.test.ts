/**
 * CSV import through the real GraphQL server, on PGlite and PostgreSQL: every bad-input class is
 * rejected with its row/column named, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HEADER = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count';
const row = (serial: string, over: Partial<Record<string, string | number>> = {}) => {
  const v = { chemistry: 'NMC', ah: 50, v: 59.2, soh: 70, r: 50, tmin: 20, tmax: 35, cyc: 1200, ...over };
  return `${serial},${v.chemistry},${v.ah},${v.v},${v.soh},${v.r},${v.tmin},${v.tmax},${v.cyc}`;
};

const IMPORT = `mutation ($input: ImportModulesInput!) {
  importModules(input: $input) {
    __typename
    ... on MutationImportModulesSuccess { data { importedCount fleet { moduleCount } } }
    ... on ValidationError { message problems { row column message } }
    ... on NotFoundError { message }
    ... on Error { message }
  }
}`;

interface Problem {
  row: number | null;
  column: string | null;
  message: string;
}

describe.each(databaseTargets())('importModules on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let fleetId: string;

  async function moduleCount(): Promise<number> {
    const r = await server.gql(`query ($id: ID!) { fleet(id: $id) { moduleCount } }`, { id: fleetId });
    return r.data.fleet.moduleCount;
  }

  async function importCsv(csv: string) {
    const r = await server.gql(IMPORT, { input: { fleetId, csv } });
    expect(r.errors).toBeUndefined();
    return r.data.importModules;
  }

  /** Imports a bad CSV: expects a ValidationError containing `expected` and no change in count. */
  async function expectRejected(csv: string, expected: Partial<Problem>[]): Promise<Problem[]> {
    const before = await moduleCount();
    const result = await importCsv(csv);
    expect(result.__typename).toBe('ValidationError');
    expect(result.message).toMatch(/^CSV rejected, nothing imported/);
    for (const e of expected) expect(result.problems).toContainEqual(expect.objectContaining(e));
    // The message itself names the first problem's row and column for clients that only show it.
    const first = result.problems[0] as Problem;
    if (first.row != null) expect(result.message).toContain(`row ${first.row}`);
    if (first.column != null) expect(result.message).toContain(`column ${first.column}`);
    expect(await moduleCount()).toBe(before);
    return result.problems;
  }

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database);
    const r = await server.gql(`mutation { createFleet(input: { name: "intake" }) { ... on MutationCreateFleetSuccess { data { id } } } }`);
    fleetId = r.data.createFleet.data.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('accepts BOM, CRLF, quoted fields, optional columns and blank trailing lines', async () => {
    const csv = `\ufeff${HEADER},manufacturer,age_years\r\n"Q,1",nmc,50,59.2,78,45,25,35,1200,"Maker ""X"", Inc",6.5\r\n${row('Q2', { chemistry: 'LFP' })},,\r\n\r\n\r\n`;
    const result = await importCsv(csv);
    expect(result.__typename).toBe('MutationImportModulesSuccess');
    expect(result.data.importedCount).toBe(2);
    expect(await moduleCount()).toBe(2);
    const m = await server.gql(`query ($id: ID!) { fleet(id: $id) { modules { edges { node { serial chemistry manufacturer ageYears sohPercent } } } } }`, { id: fleetId });
    expect(m.data.fleet.modules.edges.map((e: any) => e.node)).toEqual([
      { serial: 'Q,1', chemistry: 'NMC', manufacturer: 'Maker "X", Inc', ageYears: 6.5, sohPercent: 78 },
      { serial: 'Q2', chemistry: 'LFP', manufacturer: null, ageYears: null, sohPercent: 70 },
    ]);
  });

  it('rejects duplicate serials within the file, naming both rows', async () => {
    const problems = await expectRejected(`${HEADER}\n${row('D1')}\n${row('D2')}\n${row('D1')}\n`, [{ row: 4, column: 'serial' }]);
    expect(problems.find((p) => p.row === 4)!.message).toMatch(/duplicate serial "D1".*row 2/);
  });

  it('rejects serials that already exist in the fleet', async () => {
    const problems = await expectRejected(`${HEADER}\n${row('NEW1')}\n${row('Q2')}\n`, [{ row: 3, column: 'serial' }]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/"Q2" already exists/);
  });

  it('rejects NaN, Infinity and non-numbers, each with its row and column', async () => {
    const problems = await expectRejected(
      `${HEADER}\n${row('N1', { soh: 'NaN' })}\n${row('N2', { r: 'Infinity' })}\n${row('N3', { ah: '-Infinity' })}\n${row('N4', { cyc: '12x' })}\n${row('N5', { v: '' })}\n`,
      [
        { row: 2, column: 'soh_percent' },
        { row: 3, column: 'internal_resistance_mohm' },
        { row: 4, column: 'nominal_capacity_ah' },
        { row: 5, column: 'cycle_count' },
        { row: 6, column: 'nominal_voltage_v' },
      ],
    );
    expect(problems.find((p) => p.row === 2)!.message).toContain('NaN');
  });

  it('rejects out-of-range values: SOH outside 0–100, negative resistance, min temperature above max', async () => {
    const problems = await expectRejected(
      `${HEADER}\n${row('R1', { soh: 101 })}\n${row('R2', { soh: -1 })}\n${row('R3', { r: -5 })}\n${row('R4', { tmin: 40, tmax: 30 })}\n${row('R5', { ah: 0 })}\n${row('R6', { cyc: 1.5 })}\n`,
      [
        { row: 2, column: 'soh_percent' },
        { row: 3, column: 'soh_percent' },
        { row: 4, column: 'internal_resistance_mohm' },
        { row: 5, column: 'temp_min_c' },
        { row: 6, column: 'nominal_capacity_ah' },
        { row: 7, column: 'cycle_count' },
      ],
    );
    expect(problems.find((p) => p.row === 5)!.message).toMatch(/temp_min_c 40 is above temp_max_c 30/);
    expect(problems.find((p) => p.row === 2)!.message).toMatch(/out of range/);
  });

  it('rejects unknown chemistry, listing the accepted ones', async () => {
    const problems = await expectRejected(`${HEADER}\n${row('C1')}\n${row('C2', { chemistry: 'NiMH' })}\n`, [{ row: 3, column: 'chemistry' }]);
    expect(problems[0].message).toMatch(/unknown chemistry "NiMH".*NMC, LFP/);
  });

  it('rejects missing and unknown columns in the header (row 1)', async () => {
    const header = HEADER.replace(',soh_percent', '').replace('cycle_count', 'cycles');
    const problems = await expectRejected(`${header}\nX1,NMC,50,59.2,50,20,35,1200\n`, [
      { row: 1, column: 'soh_percent' },
      { row: 1, column: 'cycle_count' },
      { row: 1, column: 'cycles' },
    ]);
    expect(problems.find((p) => p.column === 'soh_percent')!.message).toBe('missing column soh_percent');
  });

  it('rejects empty files and header-only files', async () => {
    for (const csv of ['', '\ufeff\r\n\r\n', ' ,,, \n']) {
      const problems = await expectRejected(csv, [{ row: null, column: null }]);
      expect(problems[0].message).toMatch(/empty/);
    }
    const headerOnly = await expectRejected(`${HEADER}\r\n`, [{ row: null }]);
    expect(headerOnly[0].message).toMatch(/no module rows/);
  });

  it('rejects rows with the wrong number of fields and unbalanced quotes', async () => {
    await expectRejected(`${HEADER}\n${row('F1')},extra\n`, [{ row: 2, column: null }]);
    const quotes = await expectRejected(`${HEADER}\n"F2,NMC,50,59.2,70,50,20,35,1200\n`, [{ column: null }]);
    expect(quotes[0].message).toMatch(/CSV syntax/);
  });

  it('reports every bad row of a file, not only the first, and writes none of the good ones', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 30; i++) lines.push(row(`M${i}`, i % 3 === 0 ? { soh: 150 } : {}));
    const problems = await expectRejected(`${lines.join('\n')}\n`, []);
    expect(problems.map((p) => p.row)).toEqual(Array.from({ length: 10 }, (_, k) => 2 + 3 * k));
  });

  it('answers NotFoundError for a deleted fleet and ValidationError for a malformed ID', async () => {
    const created = await server.gql(`mutation { createFleet(input: { name: "gone" }) { ... on MutationCreateFleetSuccess { data { id } } } }`);
    const goneId = created.data.createFleet.data.id;
    await server.gql(`mutation ($id: ID!) { deleteFleet(id: $id) { __typename } }`, { id: goneId });
    const r = await server.gql(IMPORT, { input: { fleetId: goneId, csv: `${HEADER}\n${row('Z1')}\n` } });
    expect(r.data.importModules.__typename).toBe('NotFoundError');
    const bad = await server.gql(IMPORT, { input: { fleetId: 'not-an-id', csv: `${HEADER}\n${row('Z1')}\n` } });
    expect(bad.data.importModules).toMatchObject({ __typename: 'ValidationError', problems: [{ column: 'fleetId' }] });
  });

  describe('into a new fleet (newFleet), in one transaction', () => {
    const NEW = `mutation ($input: ImportModulesInput!) {
      importModules(input: $input) {
        __typename
        ... on MutationImportModulesSuccess { data { importedCount createdFleet fleet { id name description moduleCount } } }
        ... on ValidationError { message problems { row column message } }
        ... on ConflictError { message }
        ... on Error { message }
      }
    }`;
    const fleetNames = async (): Promise<string[]> => (await server.gql(`{ fleets(first: 500) { edges { node { name } } } }`)).data.fleets.edges.map((e: any) => e.node.name);

    it('creates the fleet with every module of the file', async () => {
      const r = await server.gql(NEW, { input: { newFleet: { name: ' arrivals-march ', description: 'truck 4' }, csv: `${HEADER}\n${row('N1')}\n${row('N2')}\n` } });
      expect(r.errors).toBeUndefined();
      expect(r.data.importModules).toMatchObject({
        __typename: 'MutationImportModulesSuccess',
        data: { importedCount: 2, createdFleet: true, fleet: { name: 'arrivals-march', description: 'truck 4', moduleCount: 2 } },
      });
      expect(await fleetNames()).toContain('arrivals-march');
      const into = await server.gql(NEW, { input: { fleetId: r.data.importModules.data.fleet.id, csv: `${HEADER}\n${row('N3')}\n` } });
      expect(into.data.importModules.data).toMatchObject({ importedCount: 1, createdFleet: false, fleet: { moduleCount: 3 } });
    });

    it('leaves no fleet behind when the file is rejected', async () => {
      const before = await fleetNames();
      const r = await server.gql(NEW, { input: { newFleet: { name: 'rejected-batch' }, csv: `${HEADER}\n${row('R1')}\n${row('R2', { soh: 0.716 })}\n` } });
      expect(r.data.importModules.__typename).toBe('ValidationError');
      expect(r.data.importModules.problems).toContainEqual(expect.objectContaining({ row: 3, column: 'soh_percent' }));
      expect(await fleetNames()).toEqual(before);
      expect(before).not.toContain('rejected-batch');
      // The name stays free: the corrected file creates the fleet.
      const fixed = await server.gql(NEW, { input: { newFleet: { name: 'rejected-batch' }, csv: `${HEADER}\n${row('R1')}\n${row('R2', { soh: 71.6 })}\n` } });
      expect(fixed.data.importModules.data).toMatchObject({ importedCount: 2, createdFleet: true });
    });

    it('refuses a name already taken without touching that fleet, and a fleet given twice or not at all', async () => {
      const taken = await server.gql(NEW, { input: { newFleet: { name: 'intake' }, csv: `${HEADER}\n${row('T1')}\n` } });
      expect(taken.data.importModules).toEqual({ __typename: 'ConflictError', message: 'a fleet named "intake" already exists' });
      expect((await fleetNames()).filter((n) => n === 'intake')).toHaveLength(1);
      const csv = `${HEADER}\n${row('T2')}\n`;
      const both = await server.gql(NEW, { input: { fleetId, newFleet: { name: 'twice' }, csv } });
      expect(both.data.importModules).toMatchObject({ __typename: 'ValidationError', problems: [{ column: 'newFleet' }] });
      const neither = await server.gql(NEW, { input: { csv } });
      expect(neither.data.importModules).toMatchObject({ __typename: 'ValidationError', problems: [{ column: 'fleetId' }] });
      const blank = await server.gql(NEW, { input: { newFleet: { name: '  ' }, csv } });
      expect(blank.data.importModules).toMatchObject({ __typename: 'ValidationError', problems: [{ column: 'newFleet.name' }] });
      const dry = await server.gql(NEW, { input: { newFleet: { name: 'dry' }, csv, dryRun: true } });
      expect(dry.data.importModules).toMatchObject({ __typename: 'ValidationError', problems: [{ column: 'dryRun' }] });
      const names = await fleetNames();
      for (const n of ['twice', 'dry']) expect(names).not.toContain(n);
    });
  });

  it('exports GET /fleets/{id}/modules.csv that imports back into an equal fleet (round trip)', async () => {
    const gen = await server.gql(`mutation { generateSyntheticFleet(input: { name: "rt", modules: 40, seed: 7 }) { ... on MutationGenerateSyntheticFleetSuccess { data { id moduleCount } } } }`);
    const source = gen.data.generateSyntheticFleet.data;
    expect(source.moduleCount).toBe(40);
    const res = await server.get(`/fleets/${source.id}/modules.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = await res.text();
    expect(csv.split('\n')[0]).toBe(`${HEADER},manufacturer,age_years`);

    const copy = await server.gql(`mutation { createFleet(input: { name: "rt-copy" }) { ... on MutationCreateFleetSuccess { data { id } } } }`);
    const copyId = copy.data.createFleet.data.id;
    const imported = await server.gql(IMPORT, { input: { fleetId: copyId, csv } });
    expect(imported.data.importModules.data.importedCount).toBe(40);
    const again = await (await server.get(`/fleets/${copyId}/modules.csv`)).text();
    expect(again).toBe(csv);

    const q = `query ($id: ID!) { fleet(id: $id) { totalEnergyKwh modules(first: 500) { edges { node { serial chemistry nominalCapacityAh nominalVoltageV sohPercent internalResistanceMilliohm temperatureMinC temperatureMaxC cycleCount manufacturer ageYears } } } } }`;
    const a = await server.gql(q, { id: source.id });
    const b = await server.gql(q, { id: copyId });
    expect(b.data.fleet.modules).toEqual(a.data.fleet.modules);
    // The SQL sum runs in storage order, so the last bits may differ.
    expect(b.data.fleet.totalEnergyKwh).toBeCloseTo(a.data.fleet.totalEnergyKwh, 9);
  });

  it('answers 404 for the CSV of an unknown fleet', async () => {
    const res = await server.get('/fleets/RmxlZXQ6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw/modules.csv');
    expect(res.status).toBe(404);
  });
});
