/**
 * The synchronous row limit of importModules: a CSV with more rows than one request imports is
 * refused before it is parsed (the CSV parser is never called), as text or as an upload, with an
 * error naming the limit, its setting and the command line; an upload is read no further than
 * the row past the limit; a CSV of exactly the limit imports.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { csvRowsOver, CsvRowLimitError, readCsvLimited } from '../../src/http/limits.js';
import { Random } from '../../src/solver/random.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const parser = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/planning/modules-csv.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/planning/modules-csv.js')>();
  return {
    ...original,
    parseModulesCsv: (...args: Parameters<typeof original.parseModulesCsv>) => {
      parser.calls++;
      return original.parseModulesCsv(...args);
    },
  };
});

const HEADER = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count';
const rows = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i},NMC,50,59.2,70,40,20,30,1000`).join('\n');
const LIMIT = 20;
const REFUSAL = new RegExp(`more than ${LIMIT} rows, the most one request imports \\(RELIFE_IMPORT_SYNC_MAX_ROWS\\).*relife import --fleet NAME FILE\\.csv`);

/** A row-limit refusal: a ValidationError naming the limit, its setting and the command line, on `column`. */
function expectRowLimitRefusal(r: { __typename: string; message: string; problems: unknown }, column: 'csv' | 'file'): void {
  expect(r.__typename).toBe('ValidationError');
  expect(r.message).toMatch(REFUSAL);
  expect(r.problems).toEqual([{ column, message: r.message }]);
}

/** A stream of `chunks`, counting how many were pulled; pulling past the end fails the test. */
function countedStream(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let i = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => i };
}

describe('readCsvLimited', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('stops reading at the row past the limit', async () => {
    // Chunks of 10 rows each; with a limit of 25 the 26th row is in the third chunk.
    const chunks = [enc(`${HEADER}\n${rows(10, 'A')}\n`), ...Array.from({ length: 1000 }, (_, k) => enc(`${rows(10, `B${k}-`)}\n`))];
    const { stream, pulled } = countedStream(chunks);
    await expect(readCsvLimited(stream, 25)).rejects.toBeInstanceOf(CsvRowLimitError);
    expect(pulled()).toBe(3);
  });

  it('counts rows as csvRowsOver counts them, for any chunking (seeded)', async () => {
    const random = new Random(12);
    const rnd = () => random.next();
    for (const text of [`${HEADER}\n${rows(5, 'R')}\n`, `${HEADER}\n${rows(5, 'R')}`, `${HEADER}\n${rows(6, 'R')}`, `${HEADER}\n${rows(6, 'R')}\n`, `${HEADER}\n\n\n\n\n\n\n`, HEADER, '']) {
      const bytes = enc(text);
      for (let round = 0; round < 20; round++) {
        const chunks: Uint8Array[] = [];
        for (let at = 0; at < bytes.length; ) {
          const size = 1 + Math.floor(rnd() * 12);
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        const over = csvRowsOver(text, 5) !== null;
        const read = readCsvLimited(countedStream(chunks).stream, 5);
        if (over) await expect(read).rejects.toBeInstanceOf(CsvRowLimitError);
        else expect(Buffer.from(await read).toString('utf8')).toBe(text);
      }
    }
  });
});

describe.each(databaseTargets())('importModules row limit on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let fleetId: string;
  const saved = process.env.RELIFE_IMPORT_SYNC_MAX_ROWS;
  const IMPORT = `mutation ($input: ImportModulesInput!) { importModules(input: $input) { __typename ... on MutationImportModulesSuccess { data { importedCount } } ... on ValidationError { message problems { column message } } } }`;
  const count = async () => (await server.gql(`query ($id: ID!) { fleet(id: $id) { moduleCount } }`, { id: fleetId })).data.fleet.moduleCount as number;
  const upload = async (csv: string) => {
    const body = new FormData();
    body.set('operations', JSON.stringify({ query: IMPORT, variables: { input: { fleetId, file: null } } }));
    body.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
    body.set('0', new Blob([csv], { type: 'text/csv' }), 'modules.csv');
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', body });
    return ((await res.json()) as any).data.importModules;
  };

  beforeAll(async () => {
    process.env.RELIFE_IMPORT_SYNC_MAX_ROWS = String(LIMIT);
    database = await target.open();
    server = await startTestServer(database);
    fleetId = (await server.gql(`mutation { createFleet(input: { name: "limit" }) { ... on MutationCreateFleetSuccess { data { id } } } }`)).data.createFleet.data.id;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.RELIFE_IMPORT_SYNC_MAX_ROWS;
    else process.env.RELIFE_IMPORT_SYNC_MAX_ROWS = saved;
    await server?.close();
    await database?.close();
  });
  afterEach(() => {
    parser.calls = 0;
  });

  it('refuses limit + 1 rows of text before parsing, naming the limit, its setting and the command line', async () => {
    // The rows past the limit are not even valid: the refusal comes before anything looks at them.
    const r = (await server.gql(IMPORT, { input: { fleetId, csv: `${HEADER}\n${rows(LIMIT + 1, 'T')}\nnot,a,module\n` } })).data.importModules;
    expectRowLimitRefusal(r, 'csv');
    expect(parser.calls).toBe(0);
    expect(await count()).toBe(0);
  });

  it('refuses an upload of limit + 1 rows before parsing, also without a final line feed', async () => {
    for (const csv of [`${HEADER}\n${rows(LIMIT + 1, 'U')}\n`, `${HEADER}\n${rows(LIMIT + 1, 'U')}`]) {
      const r = await upload(csv);
      expectRowLimitRefusal(r, 'file');
    }
    expect(parser.calls).toBe(0);
    expect(await count()).toBe(0);
  });

  it('imports exactly the limit, as text and as an upload', async () => {
    const text = (await server.gql(IMPORT, { input: { fleetId, csv: `${HEADER}\n${rows(LIMIT, 'X')}\n` } })).data.importModules;
    expect(text).toEqual({ __typename: 'MutationImportModulesSuccess', data: { importedCount: LIMIT } });
    const file = await upload(`${HEADER}\n${rows(LIMIT, 'Y')}`);
    expect(file).toEqual({ __typename: 'MutationImportModulesSuccess', data: { importedCount: LIMIT } });
    expect(parser.calls).toBe(2);
    expect(await count()).toBe(2 * LIMIT);
  });

  it("takes the server's own limit over the environment's", async () => {
    // RELIFE_IMPORT_SYNC_MAX_ROWS is 20 here; a server built with a limit of 5 refuses 6 rows.
    const strict = await startTestServer(database, { limits: { importSyncMaxRows: 5 } });
    try {
      const six = (await strict.gql(IMPORT, { input: { fleetId, csv: `${HEADER}\n${rows(6, 'S')}\n` } })).data.importModules;
      expect(six.__typename).toBe('ValidationError');
      expect(six.message).toContain('more than 5 rows, the most one request imports');
      const five = (await strict.gql(IMPORT, { input: { fleetId, csv: `${HEADER}\n${rows(5, 'S')}\n` } })).data.importModules;
      expect(five).toEqual({ __typename: 'MutationImportModulesSuccess', data: { importedCount: 5 } });
    } finally {
      await strict.close();
    }
  });
});
