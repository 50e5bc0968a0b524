/**
 * Digital twin throughput: cost of one 20-year monthly projection (summary path, per chemistry
 * and application) and the twin matrix for 10 k and 100 k modules × 4 applications × 2 envelopes
 * with 1 and 2 worker threads. `RELIFE_BENCH_TWIN_SIZES=10000` keeps it short while developing.
 */
import { performance } from 'node:perf_hooks';
import { computeTwinMatrix } from '../src/planning/twin-matrix.js';
import { createWorkerPool } from '../src/solver/pool.js';
import { DEFAULT_APPLICATIONS } from '../src/twin/default-applications.js';
import { modulePrior } from '../src/twin/prior.js';
import { OUT, projectInto } from '../src/twin/simulate.js';
import { generateSyntheticFleet } from '../src/twin/synthetic-fleet.js';
import type { ApplicationSpec, ModuleState } from '../src/twin/types.js';
import { writeBenchSection } from './report.js';

// bench/run.ts starts benchmarks with --expose-gc, a flag worker threads refuse
// (ERR_WORKER_INVALID_EXEC_ARGV) and the pool copies from process.execArgv; drop it here.
process.execArgv = process.execArgv.filter((a) => a !== '--expose-gc');

const sizes = (process.env.RELIFE_BENCH_TWIN_SIZES ?? '10000,100000').split(',').map(Number);
const apps: ApplicationSpec[] = DEFAULT_APPLICATIONS.map((a) => ({ ...a, id: a.name, envelopes: a.envelopes.slice(0, 2) }));

function projectionMicros(modules: ModuleState[], fullHorizon: boolean): { micros: number; perSecond: number; n: number } {
  const priors = modules.map((m) => modulePrior(m));
  const out = new Float64Array(OUT.size);
  // Full horizon: an end-of-life SOH of 0 keeps every projection running all 240 months.
  const run = fullHorizon ? apps.map((a) => ({ ...a, requirements: { ...a.requirements, endOfLifeSohPercent: 1e-9, maxResistanceMilliohm: 1e9, maxCellTemperatureC: 1e3 } })) : apps;
  let n = 0;
  const once = () => {
    for (let i = 0; i < modules.length; i++) {
      for (const a of run) for (const e of a.envelopes) {
        projectInto(modules[i]!, priors[i]!, a, e, 20, 12, out, 0, null);
        n++;
      }
    }
  };
  once(); // warm-up (JIT)
  n = 0;
  const t = performance.now();
  for (let r = 0; r < 3; r++) once();
  const ms = performance.now() - t;
  return { micros: (ms * 1000) / n, perSecond: n / (ms / 1000), n };
}

const lines: string[] = [];
const sample = generateSyntheticFleet({ size: 2000, seed: 5 });
const nmc = sample.map((m) => ({ ...m, chemistry: 'NMC' as const }));
const lfp = sample.map((m) => ({ ...m, chemistry: 'LFP' as const }));
lines.push('### One projection (20 years, monthly steps, one thread)', '');
lines.push('| fleet | horizon | µs / projection | projections / s / core |', '|---|---|---:|---:|');
for (const [name, fleet] of [['NMC', nmc], ['LFP', lfp]] as const) {
  for (const full of [true, false]) {
    const r = projectionMicros(fleet, full);
    const line = `| ${name} (${fleet.length} modules × 8) | ${full ? 'all 240 months' : 'stops at end of life'} | ${r.micros.toFixed(2)} | ${Math.round(r.perSecond).toLocaleString('en-US')} |`;
    console.log(line);
    lines.push(line);
  }
}

lines.push('', '### Twin matrix (modules × 4 applications × 2 envelopes, synthetic fleet, first-life replay included)', '');
lines.push('| modules | projections | 1 worker | 2 workers | speed-up |', '|---:|---:|---:|---:|---:|');
for (const size of sizes) {
  const fleet = generateSyntheticFleet({ size, seed: 17 });
  const times: number[] = [];
  for (const threads of [1, 2]) {
    const pool = createWorkerPool({ threads });
    try {
      await computeTwinMatrix(fleet.slice(0, 2000), apps, { pool }); // start threads, JIT
      const t = performance.now();
      await computeTwinMatrix(fleet, apps, { pool });
      times.push((performance.now() - t) / 1000);
    } finally {
      await pool.destroy();
    }
  }
  const line = `| ${size.toLocaleString('en-US')} | ${(size * 8).toLocaleString('en-US')} | ${times[0]!.toFixed(2)} s | ${times[1]!.toFixed(2)} s | ${(times[0]! / times[1]!).toFixed(2)}× |`;
  console.log(line);
  lines.push(line);
}
lines.push(
  '',
  'Targets (issue 3): ≤ 20 µs per 20-year monthly projection; 2-worker speed-up ≥ 1.8×. The machine is shared: other',
  "engineers' processes compete for its cores while this runs, which depresses the speed-up.",
);
writeBenchSection('twin', 'Digital twin', lines.join('\n'));
