/**
 * Second-life prediction on real cells (README, "Second-life evaluation protocol"): calibrate the
 * knee-form twin on each HNEI cell's first life (checks down to 80 %), predict its second life
 * (80 → 50 %), against a straight line fitted to the first life; three ways of choosing the
 * forgetting span and the τ bound: fixed defaults, in-history rolling-origin selection (the first
 * protocol's default), leave-one-cell-out; and, under the second protocol, no choice at all: the
 * equal-weight combination of the 12 settings and the line (the default since).
 * `RELIFE_BENCH_NO_WRITE=1` prints the section instead of writing it into BENCHMARKS.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { calibrate, predict, type CalibrationPrior, type CapacityCheck } from '../src/twin/calibrate.js';
import {
  FIXED_POINT,
  SELECTION_GRID,
  fitLine,
  leaveOneCellOut,
  scoreBand,
  splitLives,
  type BandScore,
  type GridPoint,
} from '../src/twin/calibration-selection.js';
import { writeBenchSection } from './report.js';

const DATA = new URL('../../shared/data/real-cells-train.csv', import.meta.url);
if (!existsSync(DATA)) {
  console.log(`calibration bench: ${DATA.pathname} not found, nothing to measure`);
  process.exit(0);
}
const PRIOR: CalibrationPrior = { chemistry: 'NMC', temperatureC: 25, dod: 1, cRate: 1.5 };
const BOOTSTRAP = 200;
const SEED = 1;
const LINE_FROM_CYCLE = 60; // the stronger line: fitted past the data's normalisation window (cycles 20–60)

const rows = readFileSync(DATA, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
const cellIds = [...new Set(rows.map((r) => r[0]!))];
const cells = cellIds.map((id) => {
  const checks: CapacityCheck[] = rows.filter((r) => r[0] === id).map((r) => ({ cycle: r[1]!, relativeCapacity: r[2]! }));
  return { id, ...splitLives(checks) };
});

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const share = (k: number, n: number) => `${((100 * k) / n).toFixed(0)} %`;
const pointName = (p: GridPoint) => `${Number.isFinite(p.forgettingSpanFraction) ? p.forgettingSpanFraction : '∞'} / ${p.tauMaxCycles}`;
const noBand = (sse: number, n: number): BandScore => ({ sse, n, inside: Number.NaN, below: Number.NaN, above: Number.NaN });

function lineScore(first: readonly CapacityCheck[], second: readonly CapacityCheck[], fromCycle?: number): BandScore {
  const { intercept, slope } = fitLine(first, fromCycle);
  return noBand(second.reduce((s, p) => s + (intercept + slope * p.cycle - p.relativeCapacity) ** 2, 0), second.length);
}

function twinScore(first: readonly CapacityCheck[], second: readonly CapacityCheck[], opts: Parameters<typeof calibrate>[2]) {
  const cal = calibrate(first, PRIOR, { bootstrap: BOOTSTRAP, seed: SEED, ...opts });
  return { cal, score: scoreBand(second, predict(cal, second.map((p) => p.cycle))) };
}

const t0 = performance.now();
// Every grid point on every cell (fixed settings): the grid spread and leave-one-cell-out's inputs.
const grid = cells.map((c) => SELECTION_GRID.map((point) => twinScore(c.firstLife, c.secondLife, { select: 'fixed', ...point }).score));
const fixedIndex = SELECTION_GRID.findIndex((p) => p.forgettingSpanFraction === FIXED_POINT.forgettingSpanFraction && p.tauMaxCycles === FIXED_POINT.tauMaxCycles);
const tGrid = performance.now();
const inHistory = cells.map((c) => twinScore(c.firstLife, c.secondLife, { select: 'in-history' }));
const tSelect = (performance.now() - tGrid) / cells.length;
const tComb0 = performance.now();
const combined = cells.map((c) => twinScore(c.firstLife, c.secondLife, { select: 'combined' }));
const tCombined = (performance.now() - tComb0) / cells.length;
const loco = leaveOneCellOut(cells, SELECTION_GRID.length, (c, g) => grid[cells.indexOf(c)]![g]!);

interface Row {
  name: string;
  scores: BandScore[];
}
const lineRow: Row = { name: 'straight line (all first-life checks)', scores: cells.map((c) => lineScore(c.firstLife, c.secondLife)) };
const rowsOut: Row[] = [
  lineRow,
  { name: `straight line (first-life checks from cycle ${LINE_FROM_CYCLE})`, scores: cells.map((c) => lineScore(c.firstLife, c.secondLife, LINE_FROM_CYCLE)) },
  { name: `twin, fixed (span ${pointName(FIXED_POINT)} cycles; chosen with these second lives in view)`, scores: grid.map((g) => g[fixedIndex]!) },
  { name: 'twin, in-history selection (first protocol)', scores: inHistory.map((r) => r.score) },
  { name: 'twin, leave-one-cell-out', scores: loco.map((f) => grid[f.cell]![f.chosen]!) },
  { name: '**twin, combination: 12 settings + line, equal weights (second protocol; default)**', scores: combined.map((r) => r.score) },
];

const rmse = (s: BandScore) => Math.sqrt(s.sse / s.n);
function pooled(scores: BandScore[]): BandScore {
  return scores.reduce((a, s) => ({ sse: a.sse + s.sse, n: a.n + s.n, inside: a.inside + s.inside, below: a.below + s.below, above: a.above + s.above }), { sse: 0, n: 0, inside: 0, below: 0, above: 0 });
}

const lines: string[] = [];
lines.push(
  `Four HNEI cells (\`/work/shared/data/real-cells-train.csv\`, every check): knee form calibrated on each cell's first life (checks before the first below 80 %), P50 and P10/P90 scored on its second life (from there, checks ≥ 50 %); bootstrap ${BOOTSTRAP}, seed ${SEED}. RMSE in % of initial capacity; pooled = over all second-life checks of the four cells. Settings = forgetting span fraction / τ bound (cycles); grid ${SELECTION_GRID.map(pointName).join(', ')}.`,
  '',
  `| procedure | ${cells.map((c) => `cell ${c.id}`).join(' | ')} | pooled | cells better than the line | P10–P90 | below P10 | above P90 |`,
  `|---|${cells.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|`,
);
for (const r of rowsOut) {
  const p = pooled(r.scores);
  const wins = r === lineRow ? '' : `${r.scores.filter((s, i) => rmse(s) < rmse(lineRow.scores[i]!)).length} / ${cells.length}`;
  const band = Number.isNaN(p.inside) ? '| | |' : `${share(p.inside, p.n)} | ${share(p.below, p.n)} | ${share(p.above, p.n)} |`;
  lines.push(`| ${r.name} | ${r.scores.map((s) => pct(rmse(s))).join(' | ')} | **${pct(rmse(p))}** | ${wins} | ${band}`);
}
const spread = SELECTION_GRID.map((_, g) => rmse(pooled(grid.map((cg) => cg[g]!))));
const lo = spread.indexOf(Math.min(...spread));
const hi = spread.indexOf(Math.max(...spread));
lines.push(
  '',
  `Pooled RMSE over the 12 grid points (fixed settings): ${pct(spread[lo]!)} (${pointName(SELECTION_GRID[lo]!)}) to ${pct(spread[hi]!)} (${pointName(SELECTION_GRID[hi]!)}); median ${pct([...spread].sort((a, b) => a - b)[Math.floor(spread.length / 2)]!)}.`,
  '',
  '| cell | first-life checks | second-life checks | in-history choice (validation RMSE) | leave-one-cell-out choice (RMSE on the other cells) |',
  '|---:|---:|---:|---|---|',
);
cells.forEach((c, i) => {
  const sel = inHistory[i]!.cal.selection;
  if (sel.mode === 'combined') throw new Error('expected an in-history selection');
  const v = sel.validation!;
  lines.push(
    `| ${c.id} | ${c.firstLife.length} | ${c.secondLife.length} | ${pointName(sel)}${v.fallback ? ' (fallback)' : ` (${pct(v.rmse[v.chosen]!)})`} | ${pointName(SELECTION_GRID[loco[i]!.chosen]!)} (${pct(loco[i]!.othersRmse)}) |`,
  );
});
// Does the in-history validation error rank the grid points as their second-life error does? Spearman ρ per cell.
function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(v.length);
  order.forEach(([, i], k) => (r[i] = k));
  return r;
}
function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x), ry = ranks(y), n = x.length;
  return 1 - (6 * rx.reduce((s, r, i) => s + (r - ry[i]!) ** 2, 0)) / (n * (n * n - 1));
}
const rho = cells.map((c, i) => spearman(inHistory[i]!.cal.selection.validation!.rmse, grid[i]!.map(rmse)));
lines.push('', `Rank correlation (Spearman ρ) between a grid point's in-history validation RMSE and its second-life RMSE, per cell: ${rho.map((r, i) => `${cells[i]!.id}: ${r.toFixed(2)}`).join(', ')}.`);
// The band by distance ahead: the first and second half of each second life (by capacity, 80–65 % and 65–50 %).
const halves = (scoresOf: (c: (typeof cells)[number], i: number) => { p10: number[]; p90: number[] }) => {
  let nearIn = 0, nearN = 0, farIn = 0, farN = 0;
  cells.forEach((c, i) => {
    const pr = scoresOf(c, i);
    c.secondLife.forEach((p, j) => {
      const inside = p.relativeCapacity >= pr.p10[j]! && p.relativeCapacity <= pr.p90[j]! ? 1 : 0;
      if (p.relativeCapacity >= 0.65) (nearIn += inside), nearN++;
      else (farIn += inside), farN++;
    });
  });
  return `${share(nearIn, nearN)} (80–65 %), ${share(farIn, farN)} (65–50 %)`;
};
lines.push(
  '',
  `P10–P90 coverage of the in-history twin by distance ahead: ${halves((c, i) => predict(inHistory[i]!.cal, c.secondLife.map((p) => p.cycle)))}; of the combination: ${halves((c, i) => predict(combined[i]!.cal, c.secondLife.map((p) => p.cycle)))}.`,
  '',
  `Time per cell (${cells.map((c) => c.firstLife.length).join(', ')} first-life checks): one in-history calibration (${SELECTION_GRID.length} grid points × up to 3 origins, then the bootstrap) ${(tSelect / 1000).toFixed(1)} s; one combination (13 members, ⌈${BOOTSTRAP}/13⌉ bootstrap replicates each) ${(tCombined / 1000).toFixed(1)} s; the whole bench ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
);

const text = lines.join('\n');
console.log(text);
if (process.env.RELIFE_BENCH_NO_WRITE) console.log('\n(RELIFE_BENCH_NO_WRITE set: BENCHMARKS.md not written)');
else writeBenchSection('calibration', 'Calibration on real cells (HNEI)', text);
