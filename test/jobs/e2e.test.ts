/**
 * Optimisation runs end to end against a real server process (`npx tsx src/server.ts`) on each
 * database: SSE progress → SUCCEEDED → select → CSV export; cancel mid-run; SIGKILL mid-run and a
 * restart that finishes the same run. Fleets are tiny so the whole file stays quick.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { databaseTargets } from '../helpers/databases.js';
import { collectSse, startServerProcess, waitFor, type ServerProcess } from './server-process.js';

const HAS_CHROMIUM = existsSync('/usr/bin/chromium');

/** Short lease and sweep so a killed worker's run is taken over within seconds. */
const JOB_ENV = {
  RELIFE_RUN_LEASE_SECONDS: '2',
  RELIFE_RUN_SWEEP_SECONDS: '0.5',
  RELIFE_RUN_CHECKPOINT_EVERY: '2',
  RELIFE_RUN_CHECKPOINT_MIN_SECONDS: '0',
  RELIFE_RUN_CONCURRENCY: '2',
};

const RUN_FIELDS = `id status error attempts cancelRequested partial kneeIndex evaluations
  front { index knee objectives { storageYearsKwhYr fadePctPerYear costUsd } }`;

async function startRun(server: ServerProcess, input: Record<string, unknown>) {
  const r = await server.gql(
    `mutation($input: StartOptimizationInput!) { startOptimization(input: $input) {
      __typename ... on MutationStartOptimizationSuccess { data { id status } }
      ... on Error { message } } }`,
    { input },
  );
  expect(r.errors).toBeUndefined();
  const payload = r.data.startOptimization;
  expect(payload.__typename, payload.message).toBe('MutationStartOptimizationSuccess');
  return payload.data as { id: string; status: string };
}

async function getRun(server: ServerProcess, id: string) {
  const r = await server.gql(`query($id: ID!) { optimizationRun(id: $id) { ${RUN_FIELDS} progress { generation evaluations } } }`, { id });
  expect(r.errors).toBeUndefined();
  return r.data.optimizationRun;
}

const untilStatus = (server: ServerProcess, id: string, statuses: string[], timeoutMs = 90_000) =>
  waitFor(async () => {
    const run = await getRun(server, id);
    return statuses.includes(run.status) ? run : undefined;
  }, `run ${id} to reach ${statuses.join('/')}`, timeoutMs);

/** Module rows of a plan CSV (reasons hold commas, so a real CSV parser). */
function parseCsv(text: string): Record<string, string>[] {
  return (parse(text, { columns: true }) as Record<string, string>[]).filter((r) => r.row_type === 'module');
}

describe.each(databaseTargets())('optimisation runs through a server process on $name', (target) => {
  let database: Database | undefined;
  let dataDir: string | undefined;
  let server: ServerProcess;
  let fleetId: string;
  let applicationIds: string[];

  const start = () =>
    startServerProcess({ ...(database ? { databaseUrl: database.url! } : { dataDir: dataDir! }), env: JOB_ENV });

  beforeAll(async () => {
    if (target.name === 'postgres') database = await target.open();
    else dataDir = mkdtempSync(join(tmpdir(), 'relife-e2e-'));
    server = await start();
    const apps = await server.gql(`{ applications { id name } }`);
    applicationIds = apps.data.applications.map((a: { id: string }) => a.id);
    expect(applicationIds.length).toBeGreaterThanOrEqual(2);
    const fleet = await server.gql(
      `mutation { generateSyntheticFleet(input: { name: "e2e-small", modules: 10, seed: 11 }) {
        ... on MutationGenerateSyntheticFleetSuccess { data { id moduleCount } } ... on Error { message } } }`,
    );
    fleetId = fleet.data.generateSyntheticFleet.data.id;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('rejects invalid inputs with typed errors and queues nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ fleetId: 'RmxlZXQ6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw', applicationIds, population: 8, generations: 2 }, 'NotFoundError', /Fleet/],
      [{ fleetId, applicationIds: [], population: 8, generations: 2 }, 'ValidationError', /applicationIds/],
      [{ fleetId, applicationIds, population: 3, generations: 2 }, 'ValidationError', /population/],
      [{ fleetId, applicationIds, population: 8, generations: 0 }, 'ValidationError', /generations/],
      [{ fleetId, applicationIds, population: 2_000_000, generations: 2 }, 'ValidationError', /population/],
      [{ fleetId, applicationIds, population: 8, generations: 2, workers: 500 }, 'ValidationError', /workers/],
    ];
    for (const [input, typename, message] of cases) {
      const r = await server.gql(
        `mutation($input: StartOptimizationInput!) { startOptimization(input: $input) { __typename ... on Error { message } } }`,
        { input },
      );
      expect(r.errors, JSON.stringify(input)).toBeUndefined();
      expect(r.data.startOptimization.__typename, JSON.stringify(input)).toBe(typename);
      expect(r.data.startOptimization.message).toMatch(message);
    }
    const runs = await server.gql(`query($id: ID!) { node(id: $id) { ... on Fleet { optimizationRuns { id } } } }`, { id: fleetId });
    expect(runs.data.node.optimizationRuns).toEqual([]);
  });

  let succeededRunId: string;

  it('streams progress over SSE to SUCCEEDED, then a selected solution exports as CSV', async () => {
    const run = await startRun(server, { fleetId, applicationIds, population: 12, generations: 15, seed: 5 });
    expect(run.status).toBe('QUEUED');
    const events = await collectSse(
      server.url,
      `subscription($id: ID!) { optimizationProgress(runId: $id) { generation evaluations hypervolume frontSize elapsedSeconds status } }`,
      { id: run.id },
    );
    const next = events.filter((e) => e.event === 'next').map((e) => e.data.data.optimizationProgress);
    expect(events.at(-1)?.event).toBe('complete');
    expect(next.length).toBeGreaterThanOrEqual(2);
    expect(next.at(-1).status).toBe('SUCCEEDED');
    const generations = next.map((p: { generation: number }) => p.generation);
    for (let i = 1; i < generations.length; i++) expect(generations[i]).toBeGreaterThanOrEqual(generations[i - 1]);
    expect(Math.max(...generations)).toBe(15);

    const done = await getRun(server, run.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.front.length).toBeGreaterThan(0);
    expect(done.partial).toBe(false);
    succeededRunId = run.id;

    const index = done.kneeIndex ?? 0;
    const sel = await server.gql(
      `mutation($id: ID!, $i: Int!) { selectSolution(runId: $id, index: $i) {
        __typename ... on MutationSelectSolutionSuccess { data { id csvPath solutionIndex storageYearsKwhYr } } ... on Error { message } } }`,
      { id: run.id, i: index },
    );
    expect(sel.data.selectSolution.__typename, sel.data.selectSolution.message).toBe('MutationSelectSolutionSuccess');
    const plan = sel.data.selectSolution.data;
    expect(plan.storageYearsKwhYr).toBeCloseTo(done.front[index].objectives.storageYearsKwhYr, 6);

    const fleet = await server.gql(`query($id: ID!) { node(id: $id) { ... on Fleet { activePlan { id } plans { id } } } }`, { id: fleetId });
    expect(fleet.data.node.activePlan.id).toBe(plan.id);

    const solution = await server.gql(
      `query($id: ID!, $i: Int!) { optimizationRun(id: $id) { solution(index: $i) { allocations(first: 500) {
        edges { node { serial recycled applicationName envelope twin { rulYears } costUsd } } } } } }`,
      { id: run.id, i: index },
    );
    const allocations = solution.data.optimizationRun.solution.allocations.edges.map((e: any) => e.node);
    expect(allocations).toHaveLength(10);

    const res = await server.get(plan.csvPath);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parseCsv(await res.text());
    expect(rows).toHaveLength(10);
    for (const [i, row] of rows.entries()) {
      const a = allocations[i];
      expect(row.serial).toBe(a.serial);
      expect(row.application).toBe(a.recycled ? 'RECYCLE' : a.applicationName);
      expect(row.envelope).toBe(a.envelope ?? '');
      if (!a.recycled) expect(Number(row.rul_years)).toBe(a.twin.rulYears);
      expect(row.reason.length).toBeGreaterThan(0);
    }
    // The CSV's rounded storage-years add up to the chosen solution's (Σ kWh × RUL), within their rounding.
    const storageYears = rows.reduce((s, r) => s + (r.application === 'RECYCLE' ? 0 : Number(r.storage_years_kwh_yr)), 0);
    expect(Math.abs(storageYears - done.front[index].objectives.storageYearsKwhYr)).toBeLessThan(0.005 * rows.length + 1e-6);

    const frontJson = await (await server.get(`/runs/${run.id}/front.json`)).json();
    expect(frontJson.solutions).toHaveLength(done.front.length);
    expect(frontJson.kneeIndex).toBe(done.kneeIndex);
    expect(frontJson.comparison.map((m: { strategy: string }) => m.strategy)).toEqual(['static', 'adaptive', 'nsga2-knee']);
    expect(frontJson.solutions[index].applicationIndex).toHaveLength(10);
    const svg = await server.get(`/runs/${run.id}/pareto.svg`);
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
  }, 180_000);

  it('cancels a run mid-way: CANCELLED within a generation, partial front kept', async () => {
    const run = await startRun(server, { fleetId, applicationIds, population: 16, generations: 100_000, seed: 6 });
    await waitFor(async () => ((await getRun(server, run.id)).progress.length >= 3 ? true : undefined), 'progress before cancelling');
    const c = await server.gql(
      `mutation($id: ID!) { cancelOptimization(runId: $id) { __typename ... on MutationCancelOptimizationSuccess { data { status cancelRequested } } } }`,
      { id: run.id },
    );
    expect(c.data.cancelOptimization.data.cancelRequested).toBe(true);
    const done = await untilStatus(server, run.id, ['CANCELLED', 'SUCCEEDED', 'FAILED'], 30_000);
    expect(done.status).toBe('CANCELLED');
    expect(done.partial).toBe(true);
    expect(done.front.length).toBeGreaterThan(0);
    const last = done.progress.at(-1).generation;
    expect(last).toBeLessThan(100_000);
    // Nothing more is written after the cancel took effect.
    await new Promise((r) => setTimeout(r, 500));
    expect((await getRun(server, run.id)).progress.at(-1).generation).toBe(last);
  }, 120_000);

  it('finishes a run after its server is SIGKILLed mid-run and started again', async () => {
    const generations = 1500;
    const run = await startRun(server, { fleetId, applicationIds, population: 16, generations, seed: 8 });
    await waitFor(async () => {
      const r = await getRun(server, run.id);
      return r.status === 'RUNNING' && r.progress.length >= 5 ? true : undefined;
    }, 'the run to be under way');
    await server.kill();
    server = await start();
    const done = await untilStatus(server, run.id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 120_000);
    expect(done.status, done.error).toBe('SUCCEEDED');
    expect(done.attempts).toBe(2);
    expect(done.front.length).toBeGreaterThan(0);
    const tail = await server.gql(`query($id: ID!, $g: Int!) { optimizationRun(id: $id) { progress(afterGeneration: $g) { generation } } }`, {
      id: run.id,
      g: generations - 2,
    });
    expect(tail.data.optimizationRun.progress.map((p: { generation: number }) => p.generation)).toEqual([generations - 1, generations]);
  }, 240_000);

  // Debian's chromium: .ci/run installs it (CI=true makes its absence a failure); a developer
  // machine without it skips only this test.
  it.runIf(target.name === 'pglite' && (HAS_CHROMIUM || process.env.CI === 'true'))('renders pareto.svg in headless chromium', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const response = await page.goto(`${server.url}/runs/${succeededRunId}/pareto.svg`);
      expect(response?.status()).toBe(200);
      const info = await page.evaluate(() => {
        const svg = document.querySelector('svg')!;
        const box = svg.getBoundingClientRect();
        const panels = [...document.querySelectorAll('g.panel')].map((g) => (g as SVGGElement).getBBox());
        const knee = document.querySelectorAll('path.knee').length;
        const labels = [...document.querySelectorAll('text.x-label, text.y-label')].map((t) => t.textContent);
        return { width: box.width, height: box.height, panels: panels.map((b) => [b.width, b.height]), knee, labels };
      });
      expect(info.width).toBeGreaterThan(600);
      expect(info.panels).toHaveLength(3);
      for (const [w, h] of info.panels) {
        expect(w).toBeGreaterThan(250);
        expect(h).toBeGreaterThan(250);
      }
      expect(info.knee).toBe(3);
      expect(info.labels.join(' ')).toContain('kWh·yr');
      const png = await page.screenshot();
      expect(png.byteLength).toBeGreaterThan(5_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
