/**
 * Fleet allocation end to end: synthetic fleet → twin matrix (2 worker threads) → exact anchor
 * points and LP bounds (on, and off as the same-run peer) → NSGA-II
 * (population 200, 300 generations) for 1 k, 10 k and 100 k modules × the 4 default applications,
 * and one 1 M-module run with population 50 × 200 generations (memory is the point there). Each size runs in
 * its own process so that its peak RSS is its own. Capacity limits are the defaults (sized for the
 * 120-module demo fleet) scaled by modules / 120 so that they bind at every size.
 *
 * PLANNING_BENCH_QUICK=1 shrinks everything (smoke test while developing).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { writeBenchSection } from './report.js';

const loadAverage = () => loadavg().map((v) => v.toFixed(1)).join(' / ');

interface Row {
  modules: number;
  population: number;
  generations: number;
  workers: number;
  /** NSGA-II evaluation on the worker pool, or inline on the main thread. */
  evaluation: 'pool' | 'inline';
  twinSeconds: number;
  optimizeSeconds: number;
  totalSeconds: number;
  peakRssMiB: number;
  evaluations: number;
  frontSize: number;
  hypervolume: number;
  kneeStorageYears: number;
  adaptiveStorageYears: number;
  /** Exact anchor points and bounds on (default) or off (the evolutionary search alone). */
  exact: boolean;
  exactSeconds: number;
  storageGapPercent: number | null;
  costGapPercent: number | null;
  /** 1-minute load average when the size started and when it ended (the machine is shared). */
  loadStart: number;
  loadEnd: number;
}

async function child(modules: number, population: number, generations: number, workers: number, evaluation: Row['evaluation'], exact: boolean): Promise<void> {
  const { generateSyntheticFleet } = await import('../src/demo/synthetic-fleet.js');
  const { defaultApplications } = await import('../src/demo/default-applications.js');
  const { optimizeAllocation, PARALLEL_MIN_MODULES } = await import('../src/planning/optimize.js');
  const { computeTwinMatrix } = await import('../src/planning/twin-matrix.js');
  const { createWorkerPool } = await import('../src/solver/pool.js');
  const apps = defaultApplications().map((a) => ({ ...a, capacityLimitKwh: (a.capacityLimitKwh * modules) / 120 }));
  const fleet = generateSyntheticFleet({ size: modules, seed: 2026 });
  const pool = createWorkerPool({ threads: workers });
  const loadStart = loadavg()[0];
  try {
    const t0 = performance.now();
    const matrix = await computeTwinMatrix(fleet, apps, { pool });
    const t1 = performance.now();
    // The problem's option arrays are built on SharedArrayBuffers, so pool evaluation shares them
    // with the workers instead of copying them (workerSource in allocation-solver.ts).
    const parallelEvaluationMinModules = evaluation === 'inline' ? Number.POSITIVE_INFINITY : undefined;
    const r = await optimizeAllocation(fleet, apps, { population, generations, seed: 1, matrix, pool, parallelEvaluationMinModules, exact: exact ? {} : false });
    const t2 = performance.now();
    const row: Row = {
      modules,
      population,
      generations,
      workers,
      // What actually ran: below PARALLEL_MIN_MODULES the planner evaluates inline anyway.
      evaluation: evaluation === 'pool' && modules >= PARALLEL_MIN_MODULES ? 'pool' : 'inline',
      twinSeconds: (t1 - t0) / 1000,
      optimizeSeconds: (t2 - t1) / 1000,
      totalSeconds: (t2 - t0) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      evaluations: r.stats.evaluations,
      frontSize: r.front.length,
      hypervolume: r.stats.hypervolume,
      kneeStorageYears: r.front[r.kneeIndex]?.objectives[0] ?? 0,
      adaptiveStorageYears: r.baselines.adaptive.objectives[0],
      exact,
      exactSeconds: r.stats.exactSeconds,
      storageGapPercent: r.bounds[0]?.lpGapPercent ?? null,
      costGapPercent: r.bounds[1]?.lpGapPercent ?? null,
      loadStart,
      loadEnd: loadavg()[0],
    };
    console.log(`ROW ${JSON.stringify(row)}`);
  } finally {
    await pool.destroy();
  }
}

function runChild(modules: number, population: number, generations: number, workers: number, evaluation: Row['evaluation'], exact = true): Row | null {
  const file = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', file, 'child', String(modules), String(population), String(generations), String(workers), evaluation, exact ? 'exact' : 'no-exact'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('ROW '));
  if (r.status !== 0 || !line) {
    console.error(`planning bench: ${modules} modules failed (status ${r.status})\n${r.stderr.slice(-2000)}`);
    return null;
  }
  const row = JSON.parse(line.slice(4)) as Row;
  console.log(
    `${modules} modules: twin ${row.twinSeconds.toFixed(1)} s + NSGA-II ${row.optimizeSeconds.toFixed(1)} s = ${row.totalSeconds.toFixed(1)} s, peak RSS ${row.peakRssMiB.toFixed(0)} MiB, front ${row.frontSize}, HV ${row.hypervolume.toFixed(4)}`,
  );
  return row;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') {
    const [m, p, g, w] = process.argv.slice(3, 7).map(Number);
    await child(m, p, g, w, process.argv[7] === 'inline' ? 'inline' : 'pool', process.argv[8] !== 'no-exact');
    return;
  }
  const quick = process.env.PLANNING_BENCH_QUICK === '1';
  // Each size with the exact step and without it, back to back, so the ratio is of one run.
  const plan: [number, number, number, Row['evaluation'], boolean][] = quick
    ? [
        [1000, 40, 30, 'pool', true],
        [1000, 40, 30, 'pool', false],
        [10000, 40, 30, 'pool', true],
        [10000, 40, 30, 'pool', false],
      ]
    : [
        [1000, 200, 300, 'pool', true],
        [1000, 200, 300, 'pool', false],
        [10000, 200, 300, 'pool', true],
        [10000, 200, 300, 'pool', false],
        [100000, 200, 300, 'pool', true],
        [100000, 200, 300, 'pool', false],
        [1000000, 50, 200, 'pool', true],
        [1000000, 50, 200, 'inline', true],
      ];
  const loadBefore = loadAverage();
  const rows = plan.map(([m, p, g, e, x]) => runChild(m, p, g, 2, e, x)).filter((r): r is Row => r !== null);
  const loadAfter = loadAverage();
  const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} %`);
  const ratio = (r: Row) => {
    const peer = rows.find((q) => q.modules === r.modules && q.evaluation === r.evaluation && q.exact !== r.exact);
    return r.exact && peer ? `${(r.totalSeconds / peer.totalSeconds).toFixed(2)}×` : '';
  };
  const table = [
    '| modules × apps | population × generations | exact step | NSGA-II evaluation | twin matrix | exact | NSGA-II + exact | total | time vs no exact | peak RSS | front | HV (normalised) | storage gap to LP | cost gap to LP | load (1 min) |',
    '|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.modules.toLocaleString('en')} × 4 | ${r.population} × ${r.generations} | ${r.exact ? 'on' : 'off'} | ${r.evaluation} | ${r.twinSeconds.toFixed(1)} s | ${r.exactSeconds.toFixed(1)} s | ${r.optimizeSeconds.toFixed(1)} s | **${r.totalSeconds.toFixed(1)} s** | ${ratio(r)} | ${r.peakRssMiB.toFixed(0)} MiB | ${r.frontSize} | ${r.hypervolume.toFixed(4)} | ${pct(r.storageGapPercent)} | ${pct(r.costGapPercent)} | ${r.loadStart.toFixed(1)} → ${r.loadEnd.toFixed(1)} |`,
    ),
  ].join('\n');
  if (quick) {
    console.log(table);
    return;
  }
  writeBenchSection(
    'planning',
    'Fleet allocation (twin matrix + NSGA-II)',
    `Synthetic fleets (seed 2026) × the 4 default applications (capacity limits scaled by modules/120),
2 worker threads (twin matrix; NSGA-II evaluation on the pool from 20 k modules, or inline where
the row says so; the problem's option arrays are built on SharedArrayBuffers and shared with the
workers, not copied), seed 1.
Targets: ≤ 60 s for 100 k modules (pop 200 × 300 generations); the 1 M run (population 50 × 200
generations, to stay bounded in time and memory) within 2 GiB RSS (maxRSS, MiB). Each size in its own process;
the machine is shared, so wall times vary by ±50 % between runs: load average (1/5/15 min) before
${loadBefore}, after ${loadAfter}; compare the "time vs no exact" ratio, measured in this run.
Gaps are the front's best storage-years and cost against the LP bound (Lagrangian dual of the
capacity rows, src/planning/exact); "—" without the exact step (no bound computed).

${table}`,
  );
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
