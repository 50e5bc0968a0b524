/**
 * Second-life prognosis on the four HNEI cells (test/fixtures/hnei/): each candidate calibrated on
 * a cell's first life (checks before the first below 80 %) forecasts its second life (down to
 * 50 %); every check, every 2nd and every 3rd; settings chosen one cell left out at a time; the
 * default line's band (κ) chosen the same way; recalibration after 25 % and 50 % of the second
 * life. Numbers as they come. `RELIFE_BENCH_NO_WRITE=1` prints the section instead of writing it
 * into BENCHMARKS.md.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { calibrate, predict, type CalibrateOptions, type CalibrationPrior, type CapacityCheck } from '../src/twin/calibration/index.js';
import {
  fitLine,
  leaveOneCellOut,
  leaveOneCellOutCoverage,
  median,
  pooledScore,
  recalibrationSplit,
  rmseOf,
  scoreBand,
  scoreLine,
  splitLives,
  thin,
  type BandScore,
} from '../src/twin/calibration/evaluate.js';
import { LINE_RATE_SD_FRACTION } from '../src/twin/calibration/line.js';
import { FIXED_POINT, SELECTION_GRID, type GridPoint, type LineSelection } from '../src/twin/calibration/select.js';
import { HNEI_TRAIN, hneiCells } from '../test/helpers/hnei-cells.js';
import { writeBenchSection } from './report.js';

const PRIOR: CalibrationPrior = { chemistry: 'NMC', temperatureC: 25, dod: 1, cRate: 1.5 };
const BOOTSTRAP = 200;
const SEED = 1;
const LINE_FROM_CYCLE = 60; // past the data's normalisation window (cycles 20–60)
const THINNING = [1, 2, 3] as const;
const KAPPA_GRID = Array.from({ length: 11 }, (_, i) => i * 0.05);
const RECAL_FRACTIONS = [0.25, 0.5] as const;

const hnei = hneiCells(HNEI_TRAIN);
const cellIds = hnei.map((c) => c.id);
const allChecks = hnei.map((c) => c.checks);

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const share = (k: number, n: number) => `${((100 * k) / n).toFixed(0)} %`;
const pointName = (p: GridPoint) => `${Number.isFinite(p.forgettingSpanFraction) ? p.forgettingSpanFraction : '∞'} / ${p.tauMaxCycles}`;
const noBand = (s: { sse: number; n: number }): BandScore => ({ ...s, inside: Number.NaN, below: Number.NaN, above: Number.NaN });

type Cell = { id: number; firstLife: CapacityCheck[]; secondLife: CapacityCheck[] };
const cellsAt = (every: number): Cell[] => allChecks.map((checks, i) => ({ id: cellIds[i]!, ...splitLives(thin(checks, every)) }));

function forecast(history: readonly CapacityCheck[], future: readonly CapacityCheck[], opts: CalibrateOptions, prior: CalibrationPrior = PRIOR): BandScore {
  const cal = calibrate(history, prior, { bootstrap: BOOTSTRAP, seed: SEED, ...opts });
  return scoreBand(future, predict(cal, future.map((p) => p.cycle)));
}

interface Row {
  name: string;
  scores: BandScore[];
}

function table(rowsOut: Row[], line: Row, cells: Cell[]): string[] {
  const out = [
    `| candidate | ${cells.map((c) => `cell ${c.id}`).join(' | ')} | median | pooled | cells better than the line | P10–P90 | below P10 | above P90 |`,
    `|---|${cells.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const r of rowsOut) {
    const p = pooledScore(r.scores);
    // Better = lower beyond rounding (the default's P50 is the line itself).
    const wins = r === line ? '' : `${r.scores.filter((s, i) => rmseOf(s) < rmseOf(line.scores[i]!) * (1 - 1e-9)).length} / ${cells.length}`;
    const band = Number.isNaN(p.inside) ? '| | |' : `${share(p.inside, p.n)} | ${share(p.below, p.n)} | ${share(p.above, p.n)} |`;
    out.push(`| ${r.name} | ${r.scores.map((s) => pct(rmseOf(s))).join(' | ')} | **${pct(median(r.scores.map(rmseOf)))}** | ${pct(rmseOf(p))} | ${wins} | ${band}`);
  }
  return out;
}

const t0 = performance.now();
const lines: string[] = [];
lines.push(
  `Load average at start ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (the machine is shared; timings are noisy, the errors are not). Data: the four HNEI cells of \`test/fixtures/hnei/real-cells-train.csv\`. RMSE of P50 in % of initial capacity over each cell's second life; median over the four cells (the figure quoted for cells outside the project) and pooled over all their second-life checks; bootstrap ${BOOTSTRAP}, seed ${SEED}. Knee settings = forgetting span fraction / τ bound (cycles).`,
);

// 1. First life → second life, every check and thinned.
const timing: Record<string, number> = {};
for (const every of THINNING) {
  const cells = cellsAt(every);
  const tg = performance.now();
  const grid = cells.map((c) => SELECTION_GRID.map((point) => forecast(c.firstLife, c.secondLife, { select: 'fixed', ...point })));
  if (every === 1) timing.grid = (performance.now() - tg) / (cells.length * SELECTION_GRID.length);
  const fixedIndex = SELECTION_GRID.findIndex((p) => p.forgettingSpanFraction === FIXED_POINT.forgettingSpanFraction && p.tauMaxCycles === FIXED_POINT.tauMaxCycles);
  const loco = leaveOneCellOut(cells, SELECTION_GRID.length, (c, g) => grid[cells.indexOf(c)]![g]!);
  const ti = performance.now();
  const inHistory = cells.map((c) => forecast(c.firstLife, c.secondLife, { select: 'in-history' }));
  if (every === 1) timing.inHistory = (performance.now() - ti) / cells.length;
  const tc = performance.now();
  const combined = cells.map((c) => forecast(c.firstLife, c.secondLife, { select: 'combined' }));
  if (every === 1) timing.combined = (performance.now() - tc) / cells.length;
  const tl = performance.now();
  const dflt = cells.map((c) => forecast(c.firstLife, c.secondLife, {}));
  if (every === 1) timing.line = (performance.now() - tl) / cells.length;
  const blast = cells.map((c) => noBand(forecast(c.firstLife, c.secondLife, { bootstrap: 0 }, { ...PRIOR, form: 'blast' })));
  const lineRow: Row = { name: 'straight line through every first-life check (P50 only)', scores: cells.map((c) => noBand(scoreLine(fitLine(c.firstLife), c.secondLife))) };
  const rowsOut: Row[] = [
    lineRow,
    { name: '**default: line form with its band (κ = ' + LINE_RATE_SD_FRACTION + ')**', scores: dflt },
    { name: `straight line from cycle ${LINE_FROM_CYCLE} (P50 only)`, scores: cells.map((c) => noBand(scoreLine(fitLine(c.firstLife, LINE_FROM_CYCLE), c.secondLife))) },
    { name: `knee, fixed ${pointName(FIXED_POINT)} (chosen with these second lives in view)`, scores: grid.map((g) => g[fixedIndex]!) },
    { name: 'knee, setting chosen leave-one-cell-out', scores: loco.map((f) => grid[f.cell]![f.chosen]!) },
    { name: 'knee, setting chosen in the history (rolling origin)', scores: inHistory },
    { name: 'knee, combination of 12 settings + line (former default)', scores: combined },
    { name: 'BLAST form (fitted factor and exponent; P50 only)', scores: blast },
  ];
  const spread = SELECTION_GRID.map((_, g) => median(grid.map((cg) => rmseOf(cg[g]!))));
  lines.push(
    '',
    `**First life → second life, ${every === 1 ? 'every check' : `every ${every === 2 ? '2nd' : '3rd'} check`}** (first-life checks ${cells.map((c) => c.firstLife.length).join(', ')}; second-life ${cells.map((c) => c.secondLife.length).join(', ')}):`,
    '',
    ...table(rowsOut, lineRow, cells),
    '',
    `Leave-one-cell-out chose ${loco.map((f) => `${pointName(SELECTION_GRID[f.chosen]!)} for cell ${cells[f.cell]!.id}`).join(', ')}. The 12 knee settings alone: median RMSE ${pct(Math.min(...spread))} to ${pct(Math.max(...spread))}.`,
  );
}

// 2. The default line's band: κ chosen one cell left out, and its coverage on that cell.
lines.push('', '**Band of the default line**: κ (standard deviation of the rate ahead as a fraction of the fitted rate) on a 0.05 grid, chosen on three cells for P10–P90 coverage nearest 80 % and applied to the fourth.', '');
lines.push(`| checks | ${KAPPA_GRID.map((k) => `κ ${k.toFixed(2)}`).join(' | ')} | κ chosen per left-out cell | held-out coverage per cell | held-out pooled |`, `|---|${KAPPA_GRID.map(() => '---:').join('|')}|---|---|---:|`);
for (const every of THINNING) {
  const cells = cellsAt(every);
  const band = cells.map((c) => KAPPA_GRID.map((rateSdFraction) => forecast(c.firstLife, c.secondLife, { rateSdFraction })));
  const folds = leaveOneCellOutCoverage(cells, KAPPA_GRID.length, (c, g) => band[cells.indexOf(c)]![g]!);
  const held = folds.map((f) => band[f.cell]![f.chosen]!);
  const hp = pooledScore(held);
  lines.push(
    `| every ${every === 1 ? '' : every === 2 ? '2nd ' : '3rd '}check | ${KAPPA_GRID.map((_, g) => share(pooledScore(band.map((b) => b[g]!)).inside, pooledScore(band.map((b) => b[g]!)).n)).join(' | ')} | ${folds.map((f) => KAPPA_GRID[f.chosen]!.toFixed(2)).join(', ')} | ${held.map((s) => share(s.inside, s.n)).join(', ')} | **${share(hp.inside, hp.n)}** |`,
  );
}

// 3. Recalibration with part of the second life.
lines.push(
  '',
  '**Recalibration after part of the second life**: history = first life + the first 25 % / 50 % of the second-life checks, forecast = the rest of the second life. The default gets the second life\'s start (`secondLifeFromCycle`, the first check below 80 %) and applies its rule; the former default (knee combination) and the fixed knee are recalibrated on the same history.',
  '',
  '| checks | known | line through every check | line through the second-life checks | **default (rule)** | rule\'s choice per cell | knee combination (former default) | knee fixed 0.5 / 50 |',
  '|---|---:|---|---|---|---|---|---|',
);
const recalDefault: { every: number; fraction: number; rule: number[]; all: number[]; second: number[] }[] = [];
for (const every of [1, 3]) {
  const cells = cellsAt(every);
  for (const fraction of RECAL_FRACTIONS) {
    const all: number[] = [];
    const second: number[] = [];
    const rule: number[] = [];
    const choice: string[] = [];
    const comb: number[] = [];
    const knee: number[] = [];
    for (const c of cells) {
      const s = recalibrationSplit(c.firstLife, c.secondLife, fraction);
      all.push(rmseOf(scoreLine(fitLine(s.history), s.future)));
      second.push(rmseOf(scoreLine(fitLine(s.known), s.future)));
      const cal = calibrate(s.history, PRIOR, { bootstrap: BOOTSTRAP, seed: SEED, secondLifeFromCycle: s.secondLifeFromCycle });
      rule.push(rmseOf(scoreBand(s.future, predict(cal, s.future.map((p) => p.cycle)))));
      const sel = cal.selection as LineSelection;
      choice.push(`${sel.fittedFrom === 'every-check' ? 'every' : 'second'} (z ${sel.departureMeanZ?.toFixed(2)})`);
      comb.push(rmseOf(forecast(s.history, s.future, { select: 'combined' })));
      knee.push(rmseOf(forecast(s.history, s.future, { select: 'fixed' })));
    }
    recalDefault.push({ every, fraction, rule, all, second });
    const cellsText = (v: number[]) => `${v.map((x) => (100 * x).toFixed(2)).join(' / ')} (median **${pct(median(v))}**)`;
    lines.push(`| every ${every === 1 ? '' : '3rd '}check | ${(100 * fraction).toFixed(0)} % | ${cellsText(all)} | ${cellsText(second)} | ${cellsText(rule)} | ${choice.join(', ')} | ${cellsText(comb)} | ${cellsText(knee)} |`);
  }
}

lines.push(
  '',
  `Time per calibration of one first life (every check, 339–360 checks, bootstrap ${BOOTSTRAP}): default line ${timing.line!.toFixed(0)} ms; one knee setting ${(timing.grid! / 1000).toFixed(2)} s; knee combination ${(timing.combined! / 1000).toFixed(1)} s; knee in-history selection ${(timing.inHistory! / 1000).toFixed(1)} s. Whole bench ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
);

const text = lines.join('\n');
console.log(text);
if (process.env.RELIFE_BENCH_NO_WRITE) console.log('\n(RELIFE_BENCH_NO_WRITE set: BENCHMARKS.md not written)');
else writeBenchSection('calibration', 'Calibration on real cells (HNEI)', text);
