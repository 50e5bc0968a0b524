/**
 * `npm run bench -- jobs`: what running an optimisation as a durable job costs over calling the
 * planner directly (progress rows, lease renewals, checkpoints, storing the front), on PGlite and
 * on PostgreSQL when it answers; plus time from startOptimization-equivalent insert to RUNNING.
 */
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.js';
import { insertApplication } from '../src/db/applications.js';
import { createFleet } from '../src/db/fleets.js';
import { insertModules, loadFleetModules } from '../src/db/modules.js';
import { getRun, insertRun } from '../src/jobs/runs.js';
import { startJobService } from '../src/jobs/service.js';
import { optimizeAllocation } from '../src/planning/optimize.js';
import { DEFAULT_APPLICATIONS } from '../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../src/demo/synthetic-fleet.js';
import { writeBenchSection } from './report.js';

const CASES = [
  { modules: 120, population: 60, generations: 100 },
  { modules: 1000, population: 100, generations: 60 },
  { modules: 10_000, population: 100, generations: 100 },
];

async function waitDone(database: Database, id: string) {
  for (;;) {
    const r = await getRun(database.db, id);
    if (r && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status)) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
}

async function measure(kind: string, open: () => Promise<Database>): Promise<string[]> {
  const database = await open();
  const rows: string[] = [];
  try {
    const service = await startJobService(database, { concurrency: 1, checkpointEvery: 5, log: () => {} });
    for (const c of CASES) {
      const fleet = await createFleet(database.db, { name: `bench-${c.modules}-${Date.now()}` });
      await insertModules(database.db, fleet.id, generateSyntheticFleet({ size: c.modules, seed: 1 }));
      const apps = [];
      for (const a of DEFAULT_APPLICATIONS) apps.push(await insertApplication(database.db, { ...a, name: `${a.name} ${fleet.id}` }));
      const modules = await loadFleetModules(database.db, fleet.id);
      const options = { population: c.population, generations: c.generations, seed: 3 };
      let t = performance.now();
      await optimizeAllocation(modules, apps, options);
      const directS = (performance.now() - t) / 1000;
      t = performance.now();
      const run = await insertRun(database.db, { fleetId: fleet.id, applicationIds: apps.map((a) => a.id), ...options, workers: 1, timeLimitSeconds: null });
      await service.enqueue(run.id);
      let startedMs = NaN;
      for (;;) {
        const r = await getRun(database.db, run.id);
        if (r && r.status !== 'QUEUED') {
          startedMs = performance.now() - t;
          break;
        }
        await new Promise((res) => setTimeout(res, 5));
      }
      const done = await waitDone(database, run.id);
      const jobS = (performance.now() - t) / 1000;
      const line = `| ${kind} | ${c.modules} | ${c.population} × ${c.generations} | ${directS.toFixed(2)} | ${jobS.toFixed(2)} | ${(((jobS - directS) / directS) * 100).toFixed(0)} % | ${startedMs.toFixed(0)} | ${done.status} |`;
      console.log(line);
      rows.push(line);
    }
    await service.stop();
  } finally {
    await database.close();
  }
  return rows;
}

const rows = [...(await measure('PGlite (memory)', () => openDatabase({ inMemory: true })))];
const pgUrl = process.env.RELIFE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDb = `relife_bench_jobs_${process.pid}`;
const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${benchDb}`);
  const u = new URL(pgUrl);
  u.pathname = `/${benchDb}`;
  rows.push(...(await measure('PostgreSQL', () => openDatabase({ url: u.toString(), maxConnections: 4 }))));
} catch (error) {
  console.log(`PostgreSQL skipped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await admin.unsafe(`drop database if exists ${benchDb} with (force)`).catch(() => {});
  await admin.end({ timeout: 5 });
}
writeBenchSection(
  'jobs',
  'Optimisation runs as jobs',
  `Same optimisation called directly vs executed as a queued job (pg-boss dispatch, polling 0.5 s + local wake-up,
lease renewals, progress rows flushed every 100 ms, checkpoint every 5 generations but at most
every 2 s, front stored as jsonb with base64 plans). Direct runs first, so the job run has a warm
JIT; fixed costs (loading the fleet, storing the front) dominate these short runs. "to RUNNING" = from inserting the run to a worker claiming it. PostgreSQL rows use a
scratch database created and dropped by the bench.

| database | modules | population × generations | direct (s) | as a job (s) | overhead | to RUNNING (ms) | status |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}`,
);
process.exit(0);
