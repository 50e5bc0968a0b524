/**
 * Plans through the real server (in-process, jobs extension) on each database: every row of a
 * live solution and of a frozen plan has a reason computed from the run's own figures; a plan
 * selected after a module changed still carries what the run scored (nothing re-simulated);
 * `Allocation.module` resolves; the CSV, JSON and XLSX downloads carry inputs, rounded figures,
 * one name per energy and totals per application that add up to the plan's objectives.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { encodeGlobalId } from '../../src/schema/builder.js';
import { jobsExtension } from '../../src/server-extensions.js';
import { databaseTargets } from '../helpers/databases.js';
import { seedSmallFleet } from './fixtures.js';
import { waitFor } from './server-process.js';

const LINE = `serial recycled applicationName envelope reason reasonKind costUsd module { id serial }
  application { id name } twin { socWindowEnergyKwh rulYears storageYearsKwhYr fadePctPerYear lifetimeEnergyMwh peakTemperatureC roundTripEfficiency }`;

const MAX_DECIMALS = 6;
/** A numeric field written with more than MAX_DECIMALS decimals, or in exponent form. */
const tooPrecise = (v: string) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v) && (/e/i.test(v) || (v.split('.')[1]?.length ?? 0) > MAX_DECIMALS);

describe.each(databaseTargets())('plans and exports on $name', (target) => {
  let database: Database;
  let server: TestServer;
  let fleetId: string;
  let applicationIds: string[];
  let runId: string;
  let kneeIndex: number;
  let live: any[];
  let objectives: { storageYearsKwhYr: number; fadePctPerYear: number; costUsd: number };

  beforeAll(async () => {
    database = await target.open();
    const seeded = await seedSmallFleet(database, 60, 13);
    fleetId = encodeGlobalId('Fleet', seeded.fleet.id);
    applicationIds = seeded.apps.map((a) => encodeGlobalId('Application', a.id));
    server = await startTestServer(database, { extensions: [jobsExtension({ concurrency: 1, leaseSeconds: 5, sweepSeconds: 1, log: () => {} })] });
    const started = await server.gql(
      `mutation($input: StartOptimizationInput!) { startOptimization(input: $input) { ... on MutationStartOptimizationSuccess { data { id } } ... on Error { message } } }`,
      { input: { fleetId, applicationIds, population: 16, generations: 12, seed: 9 } },
    );
    runId = started.data.startOptimization.data.id;
    const run = await waitFor(
      async () => {
        const r = await server.gql(`query($id: ID!) { optimizationRun(id: $id) { status error kneeIndex front { objectives { storageYearsKwhYr fadePctPerYear costUsd } } } }`, { id: runId });
        return ['SUCCEEDED', 'FAILED'].includes(r.data.optimizationRun.status) ? r.data.optimizationRun : undefined;
      },
      'the run to finish',
      240_000,
    );
    expect(run.status, run.error).toBe('SUCCEEDED');
    kneeIndex = run.kneeIndex;
    objectives = run.front[kneeIndex].objectives;
    const r = await server.gql(`query($id: ID!, $i: Int!) { optimizationRun(id: $id) { solution(index: $i) { allocations(first: 100) { edges { node { ${LINE} } } } } } }`, {
      id: runId,
      i: kneeIndex,
    });
    expect(r.errors).toBeUndefined();
    live = r.data.optimizationRun.solution.allocations.edges.map((e: any) => e.node);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  }, 30_000);

  it('gives every row of a live solution a reason of the right kind', () => {
    expect(live).toHaveLength(60);
    const kinds = new Set(live.map((a) => a.reasonKind));
    for (const a of live) {
      expect(a.reason.length, a.serial).toBeGreaterThan(20);
      expect(a.module.serial).toBe(a.serial);
      if (a.recycled) {
        expect(['INELIGIBLE', 'CAPACITY', 'TRADE_OFF']).toContain(a.reasonKind);
        expect(a.twin).toBeNull();
        expect(a.costUsd).toBe(0);
      } else {
        expect(a.reasonKind).toBe('DEPLOYED');
        expect(a.reason.startsWith(`${a.applicationName} / ${a.envelope}:`)).toBe(true);
        expect(a.application.name).toBe(a.applicationName);
      }
    }
    expect(kinds.has('DEPLOYED')).toBe(true);
    expect(kinds.has('INELIGIBLE')).toBe(true);
  });

  it('names, for an ineligible module, the requirement each application refuses, as the twin itself says', async () => {
    const ineligible = live.filter((a) => a.reasonKind === 'INELIGIBLE').slice(0, 3);
    expect(ineligible.length).toBeGreaterThan(0);
    const apps = (await server.gql(`{ applications { id name envelopes { name } } }`)).data.applications.filter((a: any) => applicationIds.includes(a.id));
    for (const a of ineligible) {
      for (const app of apps) {
        // The reason quotes the violations of one of the application's envelopes, word for word.
        const texts: string[][] = [];
        for (const env of app.envelopes) {
          const t = await server.gql(
            `query($m: ID!, $a: ID!, $e: String!) { node(id: $m) { ... on BatteryModule { twin(applicationId: $a, envelope: $e) { ... on BatteryModuleTwinSuccess { data { summary { feasible violations { reason } } } } } } } }`,
            { m: a.module.id, a: app.id, e: env.name },
          );
          const summary = t.data.node.twin.data.summary;
          expect(summary.feasible).toBe(false);
          texts.push(summary.violations.map((v: any) => v.reason));
        }
        const part = a.reason.split('; ').find((p: string) => p.replace(/^not eligible anywhere: /, '').startsWith(`${app.name}: `));
        expect(part, `${a.serial} / ${app.name}`).toBeDefined();
        const quoted = part.replace(/^not eligible anywhere: /, '').slice(app.name.length + 2);
        expect(texts.some((t) => t.join(' and ') === quoted), `${a.serial}: "${quoted}"`).toBe(true);
      }
    }
  }, 120_000);

  let plan: { id: string; csvPath: string; jsonPath: string; xlsxPath: string; storageYearsKwhYr: number; costUsd: number };

  it('freezes the run’s own figures: a module changed after the run does not change the plan', async () => {
    const deployed = live.find((a) => !a.recycled)!;
    await database.db.execute(sql`update modules set soh_percent = soh_percent - 5 where serial = ${deployed.serial}`);
    const sel = await server.gql(
      `mutation($id: ID!, $i: Int!) { selectSolution(runId: $id, index: $i) { __typename ... on MutationSelectSolutionSuccess { data { id csvPath jsonPath xlsxPath storageYearsKwhYr costUsd
        allocations(first: 100) { edges { node { ${LINE} } } } } } ... on Error { message } } }`,
      { id: runId, i: kneeIndex },
    );
    expect(sel.errors).toBeUndefined();
    expect(sel.data.selectSolution.__typename, sel.data.selectSolution.message).toBe('MutationSelectSolutionSuccess');
    plan = sel.data.selectSolution.data;
    const frozen = sel.data.selectSolution.data.allocations.edges.map((e: any) => e.node);
    expect(frozen).toEqual(live);
    const twinNow = await server.gql(
      `query($m: ID!, $a: ID!, $e: String!) { node(id: $m) { ... on BatteryModule { twin(applicationId: $a, envelope: $e) { ... on BatteryModuleTwinSuccess { data { summary { rulYears } } } } } } }`,
      { m: deployed.module.id, a: deployed.application.id, e: deployed.envelope },
    );
    expect(twinNow.data.node.twin.data.summary.rulYears).not.toBeCloseTo(frozen.find((f: any) => f.serial === deployed.serial).twin.rulYears, 2);
  }, 120_000);

  it('downloads the plan as CSV: inputs, rounded figures, one name per energy, a reason on every row, totals that add up', async () => {
    const res = await server.get(plan.csvPath);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true });
    const header = Object.keys(rows[0]!);
    expect(header).toEqual(expect.arrayContaining(['serial', 'soh_percent', 'internal_resistance_milliohm', 'full_charge_energy_kwh', 'soc_window_energy_kwh', 'storage_years_kwh_yr', 'reason']));
    expect(header).not.toContain('usable_energy_kwh');
    const modules = rows.filter((r) => r.row_type === 'module');
    expect(modules).toHaveLength(60);
    for (const [i, r] of modules.entries()) {
      expect(r.serial).toBe(live[i].serial);
      expect(r.reason).toBe(live[i].reason);
      expect(r.reason.length).toBeGreaterThan(0);
      expect(Number(r.soh_percent)).toBeGreaterThan(50);
      for (const [k, v] of Object.entries(r)) if (!['reason', 'serial', 'module_id'].includes(k)) expect(tooPrecise(v), `${k}=${v}`).toBe(false);
    }
    const totals = rows.filter((r) => r.row_type === 'total');
    expect(totals.map((t) => t.application).slice(-2)).toEqual(['RECYCLE', 'ALL']);
    const all = totals.at(-1)!;
    expect(Number(all.modules)).toBe(60);
    const sy = modules.reduce((s, r) => s + Number(r.storage_years_kwh_yr || 0), 0);
    expect(Number(all.storage_years_kwh_yr)).toBeCloseTo(sy, 1);
    // Rounded rows add up to the objective the run reported, within their rounding.
    expect(Math.abs(sy - objectives.storageYearsKwhYr)).toBeLessThan(0.005 * 60 + 1e-6);
    for (const t of totals.slice(0, -2)) {
      const mine = modules.filter((r) => r.application === t.application);
      expect(Number(t.modules)).toBe(mine.length);
      expect(Number(t.soc_window_energy_kwh)).toBeLessThanOrEqual(Number(t.capacity_limit_kwh) + 1e-6);
    }
  });

  it('downloads the same plan as JSON and as XLSX with a summary sheet', async () => {
    const json = await (await server.get(plan.jsonPath)).json();
    expect(json.modules).toHaveLength(60);
    expect(json.modules.map((m: any) => m.reason)).toEqual(live.map((a) => a.reason));
    expect(json.columns.map((c: any) => c.name)).toEqual(expect.arrayContaining(['socWindowEnergyKwh', 'fullChargeEnergyKwh']));
    expect(json.plan.objectives.map((o: any) => o.sense)).toEqual(['maximize', 'minimize', 'minimize']);
    expect(json.totals.at(-1).group).toBe('ALL');
    const text = JSON.stringify(json);
    expect(text.match(/\d+\.\d{7,}/g)).toBeNull();

    const res = await server.get(plan.xlsxPath);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Modules']);
    const sheet = wb.getWorksheet('Modules')!;
    expect(sheet.rowCount).toBe(61);
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const reasonCol = headers.indexOf('reason') + 1;
    expect(reasonCol).toBeGreaterThan(0);
    for (let r = 2; r <= 61; r++) expect(String(sheet.getRow(r).getCell(reasonCol).value)).toBe(live[r - 2].reason);
    const summaryText = JSON.stringify(wb.getWorksheet('Summary')!.getSheetValues());
    expect(summaryText).toContain('storageYears');
    expect(summaryText).toContain('higher');
    expect(summaryText).toContain('RECYCLE');
  });

  it('answers 404 for an unknown plan on every download', async () => {
    for (const ext of ['csv', 'json', 'xlsx']) expect((await server.get(`/plans/00000000-0000-0000-0000-000000000000.${ext}`)).status).toBe(404);
  });
});
