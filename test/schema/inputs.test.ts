/**
 * Input and run integrity through the real server on PGlite and PostgreSQL: unit checks and the
 * flag that allows them, semicolon files, file upload (multipart), dry runs, capacity shares,
 * run warnings (capacity, duplicates), idempotency keys, progress beyond 500 rows, SSE status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { insertRun, recordProgress } from '../../src/jobs/runs.js';
import { optimizationRuns } from '../../src/db/schema/runs.js';
import { eq } from 'drizzle-orm';
import { idOfType } from '../../src/schema/builder.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { collectSse } from '../jobs/server-process.js';

const HEADER = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count';

const IMPORT = `mutation ($input: ImportModulesInput!) {
  importModules(input: $input) {
    __typename
    ... on MutationImportModulesSuccess { data { importedCount delimiter dryRun fleet { moduleCount } } }
    ... on ValidationError { message problems { row column value message } }
    ... on Error { message }
  }
}`;

const START = `mutation ($input: StartOptimizationInput!) {
  startOptimization(input: $input) {
    __typename
    ... on MutationStartOptimizationSuccess { data { id status warnings } }
    ... on Error { message }
  }
}`;

describe.each(databaseTargets())('inputs and run integrity on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let fleetId: string;
  let appIds: string[];

  const createFleet = async (name: string) =>
    (await server.gql(`mutation ($n: String!) { createFleet(input: { name: $n }) { ... on MutationCreateFleetSuccess { data { id } } } }`, { n: name })).data.createFleet.data.id as string;

  beforeAll(async () => {
    database = await target.open();
    server = await startTestServer(database, { seedDemo: true });
    fleetId = await createFleet('intake');
    appIds = (await server.gql(`{ applications { id } }`)).data.applications.map((a: { id: string }) => a.id);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('refuses SOH as a fraction and resistance in ohms with the likely mistake, and imports them when told they are meant', async () => {
    const csv = `${HEADER}\nF1,NMC,50,59.2,0.716,40,20,30,1000\nF2,NMC,50,59.2,71.6,0.030,20,30,1000\n`;
    const refused = (await server.gql(IMPORT, { input: { fleetId, csv } })).data.importModules;
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.problems).toEqual([
      { row: 2, column: 'soh_percent', value: '0.716', message: expect.stringContaining('looks like a fraction: 0.716 is 71.6 %') },
      { row: 3, column: 'internal_resistance_mohm', value: '0.030', message: expect.stringContaining('ohms instead of milliohms? 0.03 Ω = 30 mΩ') },
    ]);
    const allowed = (await server.gql(IMPORT, { input: { fleetId, csv, allowSuspectUnits: true } })).data.importModules;
    expect(allowed).toMatchObject({ __typename: 'MutationImportModulesSuccess', data: { importedCount: 2, fleet: { moduleCount: 2 } } });
  });

  it('detects a semicolon file and reports the delimiter; a dry run writes nothing', async () => {
    const csv = `${HEADER.replaceAll(',', ';')}\r\nS1;LFP;100;51.2;66.5;31.2;18;29;2100\r\n`;
    const dry = (await server.gql(IMPORT, { input: { fleetId, csv, dryRun: true } })).data.importModules;
    expect(dry).toMatchObject({ data: { importedCount: 1, delimiter: 'SEMICOLON', dryRun: true, fleet: { moduleCount: 2 } } });
    const real = (await server.gql(IMPORT, { input: { fleetId, csv } })).data.importModules;
    expect(real).toMatchObject({ data: { importedCount: 1, delimiter: 'SEMICOLON', dryRun: false, fleet: { moduleCount: 3 } } });
  });

  it('suggests the expected column for a misspelt one', async () => {
    const csv = `${HEADER.replace('temp_max_c', 'temp_max')}\nT1,NMC,50,59.2,70,40,20,30,1000\n`;
    const r = (await server.gql(IMPORT, { input: { fleetId, csv } })).data.importModules;
    expect(r.problems).toContainEqual(expect.objectContaining({ row: 1, column: 'temp_max', message: 'unknown column "temp_max": did you mean temp_max_c?' }));
  });

  it('imports an uploaded file (GraphQL multipart request) and refuses csv and file together or a non-UTF-8 file', async () => {
    const upload = async (variables: Record<string, unknown>, bytes: Uint8Array) => {
      const body = new FormData();
      body.set('operations', JSON.stringify({ query: IMPORT, variables: { input: { fleetId, ...variables, file: null } } }));
      body.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
      body.set('0', new Blob([Buffer.from(bytes)], { type: 'text/csv' }), 'modules.csv');
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', body });
      return ((await res.json()) as any).data.importModules;
    };
    const ok = await upload({}, new TextEncoder().encode(`\ufeff${HEADER}\nU1,NMC,50,59.2,70,40,20,30,1000\nU2,NMC,50,59.2,71,41,20,30,1000\n`));
    expect(ok).toMatchObject({ __typename: 'MutationImportModulesSuccess', data: { importedCount: 2, delimiter: 'COMMA' } });
    const both = await upload({ csv: `${HEADER}\n` }, new TextEncoder().encode(`${HEADER}\n`));
    expect(both).toMatchObject({ __typename: 'ValidationError', message: expect.stringContaining('not both or neither') });
    const latin1 = await upload({}, Uint8Array.from([...new TextEncoder().encode(`${HEADER},manufacturer\nL1,NMC,50,59.2,70,40,20,30,1000,M`), 0xfc, 0x0a]));
    expect(latin1).toMatchObject({ __typename: 'ValidationError', message: expect.stringContaining('not UTF-8') });
  });

  it('stores an application whose capacity is a share of the eligible energy', async () => {
    const app = (await server.gql(`{ applications { name kind duty { cyclesPerDay depthOfDischarge cRate socMinPercent socMaxPercent ambientTemperatureC seasonalSwingC } requirements { minSohPercent maxResistanceMilliohm maxCellTemperatureC minServiceYears endOfLifeSohPercent } economics { repurposingCostUsdPerModule integrationCostUsdPerKwh valueUsdPerMwh } envelopes { name socMinPercent socMaxPercent dodFactor activeCooling } } }`)).data.applications[0];
    const input = { ...app, name: 'Grid, a quarter of what is eligible', capacitySharePercent: 25 };
    const r = await server.gql(`mutation ($input: ApplicationInput!) { createApplication(input: $input) { __typename ... on MutationCreateApplicationSuccess { data { capacityLimitKwh capacitySharePercent } } ... on ValidationError { problems { column message } } } }`, { input });
    expect(r.data.createApplication).toEqual({ __typename: 'MutationCreateApplicationSuccess', data: { capacityLimitKwh: null, capacitySharePercent: 25 } });
    const both = await server.gql(`mutation ($input: ApplicationInput!) { createApplication(input: $input) { __typename ... on ValidationError { problems { column message } } } }`, { input: { ...input, name: 'both', capacityLimitKwh: 10 } });
    expect(both.data.createApplication.problems).toEqual([{ column: 'capacitySharePercent', message: expect.stringContaining('not both') }]);
  });

  it('warns when a 20 000-module fleet runs with the default capacities, and flags an identical run', async () => {
    const gen = await server.gql(`mutation { generateSyntheticFleet(input: { name: "big", modules: 20000, seed: 1 }) { ... on MutationGenerateSyntheticFleetSuccess { data { id } } ... on Error { message } } }`);
    const bigId = gen.data.generateSyntheticFleet.data.id;
    const input = { fleetId: bigId, applicationIds: appIds.slice(0, 4), population: 8, generations: 2, seed: 1 };
    const first = (await server.gql(START, { input })).data.startOptimization.data;
    const capacity = first.warnings.find((w: string) => w.startsWith('capacity leaves most eligible energy undeployed'));
    expect(capacity).toMatch(/take at most 145\.0 kWh of the [\d.]+ kWh eligible in this fleet \(0\.\d %\)/);
    expect(first.warnings).toHaveLength(1);
    // Nothing executes runs on this server: the first stays QUEUED, so the second repeats it.
    const second = (await server.gql(START, { input })).data.startOptimization.data;
    expect(second.id).not.toBe(first.id);
    expect(second.warnings).toContainEqual(expect.stringContaining(`an identical run ${first.id} on this fleet is already QUEUED`));
    const other = (await server.gql(START, { input: { ...input, seed: 2 } })).data.startOptimization.data;
    expect(other.warnings.filter((w: string) => w.includes('identical run'))).toEqual([]);
  }, 240_000);

  it('returns the earlier run for a repeated idempotency key, and refuses the key for other inputs', async () => {
    const paper = (await server.gql(`{ fleet(name: "paper-120") { id } }`)).data.fleet.id;
    const input = { fleetId: paper, applicationIds: appIds.slice(0, 4), population: 8, generations: 3, seed: 5, idempotencyKey: 'nightly-2026-12-01' };
    const a = (await server.gql(START, { input })).data.startOptimization.data;
    expect(a.warnings).toEqual([]);
    const b = (await server.gql(START, { input })).data.startOptimization.data;
    expect(b.id).toBe(a.id);
    const c = (await server.gql(START, { input: { ...input, seed: 6 } })).data.startOptimization;
    expect(c).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('nightly-2026-12-01') });
  });

  it('shows all 1 500 generations of a run, pages with afterGeneration, and keeps each event’s own status over SSE', async () => {
    const run = await insertRun(database.db, { fleetId: idOfType(fleetId, 'Fleet')!, applicationIds: [idOfType(appIds[0]!, 'Application')!], population: 4, generations: 1500, seed: 1, workers: 1, timeLimitSeconds: null });
    const rows = Array.from({ length: 1500 }, (_, g) => ({ generation: g, evaluations: 4 * (g + 1), hypervolume: g / 1500, frontSize: 3, elapsedSeconds: g / 100 }));
    await recordProgress(database.db, run.id, rows);
    await database.db.update(optimizationRuns).set({ status: 'SUCCEEDED', finishedAt: new Date() }).where(eq(optimizationRuns.id, run.id));
    const runId = Buffer.from(`OptimizationRun:${run.id}`).toString('base64url');
    const all = await server.gql(`query ($id: ID!) { optimizationRun(id: $id) { progressCount progress { generation status } } }`, { id: runId });
    expect(all.data.optimizationRun.progressCount).toBe(1500);
    expect(all.data.optimizationRun.progress.map((p: any) => p.generation)).toEqual(rows.map((r) => r.generation));
    expect(new Set(all.data.optimizationRun.progress.map((p: any) => p.status))).toEqual(new Set(['RUNNING']));
    const page = await server.gql(`query ($id: ID!) { optimizationRun(id: $id) { progress(afterGeneration: 999, first: 300) { generation } } }`, { id: runId });
    expect(page.data.optimizationRun.progress.map((p: any) => p.generation)).toEqual(Array.from({ length: 300 }, (_, k) => 1000 + k));

    const events = await collectSse(server.url, `subscription ($id: ID!) { optimizationProgress(runId: $id, afterGeneration: 1400) { generation status } }`, { id: runId });
    const data = events.filter((e) => e.event === 'next').map((e) => e.data.data.optimizationProgress);
    expect(data).toHaveLength(100);
    expect(data.slice(0, 99).every((p: any) => p.status === 'RUNNING')).toBe(true);
    expect(data.at(-1)).toEqual({ generation: 1499, status: 'SUCCEEDED' });
  });
});
