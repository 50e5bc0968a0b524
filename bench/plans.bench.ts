/**
 * `npm run bench -- plans`: selecting one solution of a 20 k- and of a 100 k-module run as a plan,
 * the way it was done before (every deployed module simulated again with its full trajectory,
 * rows inserted 1000 at a time with one parameter per value, no reasons) against now (the run's
 * stored figures, a reason per row, rows inserted as jsonb batches with their plan's tenant), on PGlite, in the same
 * process and run, each size in a fresh in-memory database. The solution is the adaptive baseline
 * over capacities sized to a quarter of the fleet's energy, so that ~a quarter of the modules is
 * deployed. `RELIFE_BENCH_PLAN_MODULES=20000,100000` (the default) chooses the sizes.
 */
import { execSync } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { getApplicationsByIds, insertApplication } from '../src/db/applications.js';
import { createFleet } from '../src/db/fleets.js';
import { getModulesByIds, insertModules, loadFleetModules, type StoredModule } from '../src/db/modules.js';
import { allocationPlans, optimizationRuns, planAllocations } from '../src/db/schema/runs.js';
import { decodeSolutionPlan } from '../src/jobs/front-codec.js';
import { createPlan } from '../src/jobs/plans.js';
import { saveRunFigures } from '../src/jobs/run-figures.js';
import { getRun, insertRun } from '../src/jobs/runs.js';
import { buildAllocationProblem } from '../src/planning/allocation-problem.js';
import { adaptiveGenes } from '../src/planning/baselines.js';
import { decodeGenes } from '../src/planning/allocation-problem.js';
import { deploymentCostUsd } from '../src/planning/cost-model.js';
import { computeTwinMatrix } from '../src/planning/twin-matrix.js';
import { evaluatePlan } from '../src/planning/plan-evaluation.js';
import { createWorkerPool } from '../src/solver/pool.js';
import { packModules } from '../src/twin/matrix.js';
import { simulateStoredModule } from '../src/twin/module-calibration.js';
import { DEFAULT_APPLICATIONS } from '../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../src/demo/synthetic-fleet.js';
import { usableEnergyKwh } from '../src/db/modules.js';
import type { OptimizationRunRow } from '../src/jobs/runs.js';
import type { DbOrTx } from '../src/db/client.js';
import { writeBenchSection } from './report.js';
import { oneSolutionFront } from '../test/helpers/one-solution-front.js';

const SIZES = (process.env.RELIFE_BENCH_PLAN_MODULES ?? '20000,100000').split(',').map(Number);

/** Selection as it was: re-simulate each deployed module (full trajectory), drizzle inserts of 1000 rows. */
async function selectAsBefore(db: DbOrTx, run: OptimizationRunRow, index: number): Promise<number> {
  const front = run.front!;
  const plan = decodeSolutionPlan(front.solutions[index]!, front.moduleSerials.length);
  const byId = new Map<string, StoredModule>();
  for (let i = 0; i < front.moduleIds.length; i += 5000) for (const m of await getModulesByIds(db, front.moduleIds.slice(i, i + 5000))) byId.set(m.id, m);
  const apps = await getApplicationsByIds(db, front.applicationIds);
  const appById = new Map(apps.map((a) => [a.id, a]));
  const [p] = await db.insert(allocationPlans).values({ fleetId: run.fleetId, runId: run.id, solutionIndex: index, objectives: front.solutions[index]!.objectives, objectiveNames: front.objectiveNames, isKnee: false }).returning();
  const rows: (typeof planAllocations.$inferInsert)[] = [];
  for (let i = 0; i < front.moduleIds.length; i++) {
    const m = byId.get(front.moduleIds[i]!)!;
    const a = plan.applicationIndex[i]!;
    const app = a >= 0 ? appById.get(front.applicationIds[a]!)! : null;
    const env = app ? app.envelopes[plan.envelopeIndex[i]!]! : null;
    const twin = app && env ? simulateStoredModule(m, app, env).summary : null;
    rows.push({
      planId: p!.id,
      position: i,
      moduleId: m.id,
      serial: m.serial,
      applicationId: app?.id ?? null,
      applicationName: app?.name ?? null,
      envelopeName: env?.name ?? null,
      socWindowEnergyKwh: twin?.usableEnergyKwh ?? null,
      rulYears: twin?.rulYears ?? null,
      fadePctPerYear: twin?.fadePctPerYear ?? null,
      lifetimeEnergyMwh: twin?.lifetimeEnergyMwh ?? null,
      peakTemperatureC: twin?.peakTemperatureC ?? null,
      roundTripEfficiency: twin?.roundTripEfficiency ?? null,
      endOfLifeReason: twin?.endOfLifeReason ?? null,
      feasible: twin?.feasible ?? null,
      costUsd: twin && app && env ? deploymentCostUsd(app, env, twin) : 0,
    });
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(planAllocations).values(rows.slice(i, i + 1000));
  });
  return rows.filter((r) => r.applicationId !== null).length;
}

const load = () => execSync('uptime').toString().trim().replace(/^.*load average: /, '');

interface Measurement {
  modules: number;
  deployed: number;
  beforeS: number;
  afterS: number;
  withReason: number;
  loadBefore: string;
  loadAfter: string;
}

/** One size: a fresh database, the fleet, its run with stored figures, then both selections. */
async function measure(N: number): Promise<Measurement> {
  const database = await openDatabase({ inMemory: true });
  const db = database.db;
  const fleetModules = generateSyntheticFleet({ size: N, seed: 17 });
  const fleet = await createFleet(db, { name: `bench-plans-${N}` });
  await insertModules(db, fleet.id, fleetModules);
  const modules = await loadFleetModules(db, fleet.id);
  const quarterKwh = (0.25 * modules.reduce((s, m) => s + usableEnergyKwh(m), 0)) / DEFAULT_APPLICATIONS.length;
  const apps = [];
  for (const a of DEFAULT_APPLICATIONS) apps.push(await insertApplication(db, { ...a, name: `${a.name} bench`, capacityLimitKwh: Math.round(quarterKwh) }));
  const pool = createWorkerPool({ threads: 2 });
  const matrix = await computeTwinMatrix(modules, apps, { pool });
  await pool.destroy();
  const problem = buildAllocationProblem(matrix, apps);
  const solution = decodeGenes(problem, adaptiveGenes(problem), 0);
  const ev = evaluatePlan(matrix, apps, problem.pairCostUsd, solution, 'adaptive');
  const run = await insertRun(db, { fleetId: fleet.id, applicationIds: apps.map((a) => a.id), population: 4, generations: 1, seed: 1, workers: 1, timeLimitSeconds: null });
  await saveRunFigures(db, run.id, { matrix, pairCostUsd: problem.pairCostUsd }, packModules(modules));
  await db
    .update(optimizationRuns)
    .set({
      status: 'SUCCEEDED',
      finishedAt: new Date(),
      front: oneSolutionFront(modules, apps, solution, ev.objectives),
    })
    .where(eq(optimizationRuns.id, run.id));
  const stored = (await getRun(db, run.id))!;

  const loadBefore = load();
  let t = performance.now();
  const deployed = await selectAsBefore(db, stored, 0);
  const beforeS = (performance.now() - t) / 1000;
  t = performance.now();
  const plan = await createPlan(db, stored, 0);
  const afterS = (performance.now() - t) / 1000;
  const loadAfter = load();
  const reasons = await db.select({ reason: planAllocations.reason }).from(planAllocations).where(eq(planAllocations.planId, plan.id));
  const withReason = reasons.filter((r) => r.reason.length > 0).length;
  console.log(`${N} modules: before ${beforeS.toFixed(2)} s, now ${afterS.toFixed(2)} s (${(beforeS / afterS).toFixed(2)}×), ${deployed} deployed, ${withReason}/${N} rows with a reason`);
  await database.close();
  return { modules: N, deployed, beforeS, afterS, withReason, loadBefore, loadAfter };
}

const results: Measurement[] = [];
for (const n of SIZES) results.push(await measure(n));

writeBenchSection(
  'plans',
  'Selecting a solution as a plan',
  `Selecting one solution of a run (default applications, capacities a quarter of the fleet's energy each, the
adaptive baseline as the solution) on PGlite (memory), both ways in the same process one after the other,
each fleet size in its own database, the sizes one after another in one run. Before: every deployed module
simulated again with its full trajectory, rows inserted 1000 at a time through drizzle, no reasons. Now:
the run's stored figures (run_figures) read back, a reason computed for every row, rows inserted as jsonb
batches of 5000 with the plan's tenant_id given (no per-row tenant lookup by the trigger; before paid it). One measurement each on a shared 2-core machine (load average, 1/5/15 min, beside each
row): noisy, read the ratio, not the seconds.

| modules | deployed | before (re-simulate deployed modules), s | now (the run's figures), s | ratio before / now | rows with a reason (now) | load before → after |
|---:|---:|---:|---:|---:|---:|---|
${results.map((r) => `| ${r.modules.toLocaleString('en')} | ${r.deployed.toLocaleString('en')} | ${r.beforeS.toFixed(2)} | ${r.afterS.toFixed(2)} | ${(r.beforeS / r.afterS).toFixed(2)}× | ${r.withReason.toLocaleString('en')} | ${r.loadBefore} → ${r.loadAfter} |`).join('\n')}`,
);
process.exit(0);
