/**
 * How a forecast of a capacity history is scored against what followed (bench/calibration.bench.ts
 * and the tests on real cells use these; nothing here is used to make a forecast):
 * - lives: first life = the checks before the first below the retirement capacity (80 %); second
 *   life = the checks from that one on down to end of life (50 %);
 * - leave-one-cell-out: a setting chosen on the other cells, scored on the one left out;
 * - thinning (every k-th check) and the recalibration split (part of the second life known, the
 *   rest forecast);
 * - P50 error and P10–P90 coverage.
 */
import type { CapacityCheck } from './history.js';
import { argminFirst } from './select.js';
import { leastSquaresLine } from './line.js';

/** First and second life of a capacity history (see the header). A history that never falls below `retire` has no second life. */
export function splitLives(checks: readonly CapacityCheck[], retire = 0.8, endOfLife = 0.5): { firstLife: CapacityCheck[]; secondLife: CapacityCheck[] } {
  const k = checks.findIndex((c) => c.relativeCapacity < retire);
  if (k < 0) return { firstLife: [...checks], secondLife: [] };
  return { firstLife: checks.slice(0, k), secondLife: checks.slice(k).filter((c) => c.relativeCapacity >= endOfLife) };
}

/** Every k-th check, starting with the first. */
export function thin<T>(checks: readonly T[], every: number): T[] {
  if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`thin: every must be an integer ≥ 1, got ${every}`);
  return checks.filter((_, i) => i % every === 0);
}

/**
 * Recalibration split: the first life and the first `fraction` of the second-life checks are
 * known (the history), the remaining second-life checks are forecast; `secondLifeFromCycle` is
 * the first second-life check's cycle.
 */
export function recalibrationSplit(
  firstLife: readonly CapacityCheck[],
  secondLife: readonly CapacityCheck[],
  fraction: number,
): { history: CapacityCheck[]; known: CapacityCheck[]; future: CapacityCheck[]; secondLifeFromCycle: number } {
  if (secondLife.length === 0) throw new RangeError('recalibrationSplit: no second life');
  const k = Math.round(fraction * secondLife.length);
  const known = secondLife.slice(0, k);
  return { history: [...firstLife, ...known], known, future: secondLife.slice(k), secondLifeFromCycle: secondLife[0]!.cycle };
}

/** Ordinary least-squares line through the checks, optionally only from `fromCycle` on. */
export function fitLine(checks: readonly CapacityCheck[], fromCycle = -Infinity): { intercept: number; slope: number } {
  const pts = checks.filter((c) => c.cycle >= fromCycle);
  if (pts.length < 2) throw new RangeError('a line needs at least two checks');
  return leastSquaresLine(
    pts.map((p) => p.cycle),
    pts.map((p) => p.relativeCapacity),
  );
}

/** Squared-error sum and count. */
export interface ErrorSum {
  sse: number;
  n: number;
}

export interface BandScore extends ErrorSum {
  /** Checks inside [P10, P90], below P10, above P90. */
  inside: number;
  below: number;
  above: number;
}

/** Squared error of P50 and the band's hits on the observed checks (same order as the prediction). */
export function scoreBand(observed: readonly CapacityCheck[], pred: { p10: readonly number[]; p50: readonly number[]; p90: readonly number[] }): BandScore {
  const s: BandScore = { sse: 0, n: observed.length, inside: 0, below: 0, above: 0 };
  observed.forEach((o, i) => {
    const q = o.relativeCapacity;
    s.sse += (pred.p50[i]! - q) ** 2;
    if (q < pred.p10[i]!) s.below++;
    else if (q > pred.p90[i]!) s.above++;
    else s.inside++;
  });
  return s;
}

/** Score of a line's P50 (no band). */
export function scoreLine(line: { intercept: number; slope: number }, observed: readonly CapacityCheck[]): ErrorSum {
  return { sse: observed.reduce((s, p) => s + (line.intercept + line.slope * p.cycle - p.relativeCapacity) ** 2, 0), n: observed.length };
}

export const rmseOf = (s: ErrorSum): number => Math.sqrt(s.sse / s.n);

/** Sum of band scores (pooled over cells). */
export function pooledScore(scores: readonly BandScore[]): BandScore {
  return scores.reduce((a, s) => ({ sse: a.sse + s.sse, n: a.n + s.n, inside: a.inside + s.inside, below: a.below + s.below, above: a.above + s.above }), { sse: 0, n: 0, inside: 0, below: 0, above: 0 });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Grid index with the lowest pooled RMSE over `cells` (ties: grid order), and that RMSE. */
export function chooseOnCells<C>(cells: readonly C[], gridSize: number, error: (cell: C, gridIndex: number) => ErrorSum): { chosen: number; rmse: number[] } {
  const rmse: number[] = [];
  for (let g = 0; g < gridSize; g++) {
    let se = 0;
    let n = 0;
    for (const c of cells) {
      const e = error(c, g);
      se += e.sse;
      n += e.n;
    }
    rmse.push(n > 0 ? Math.sqrt(se / n) : Infinity);
  }
  return { chosen: argminFirst(rmse), rmse };
}

export interface LocoFold {
  /** Index of the left-out cell. */
  cell: number;
  /** Grid index chosen on the other cells. */
  chosen: number;
  /** The criterion's value of the chosen point on the other cells. */
  othersRmse: number;
}

/**
 * Leave-one-cell-out: for each cell, the grid point with the lowest pooled RMSE over the other
 * cells. The left-out cell is never passed to the choice. `error` is memoised per (cell, point).
 */
export function leaveOneCellOut<C>(cells: readonly C[], gridSize: number, error: (cell: C, gridIndex: number) => ErrorSum): LocoFold[] {
  const cache = new Map<C, ErrorSum[]>();
  const memo = (c: C, g: number): ErrorSum => {
    let row = cache.get(c);
    if (!row) cache.set(c, (row = []));
    return (row[g] ??= error(c, g));
  };
  return cells.map((_, i) => {
    const others = cells.filter((_, j) => j !== i);
    const { chosen, rmse } = chooseOnCells(others, gridSize, memo);
    return { cell: i, chosen, othersRmse: rmse[chosen]! };
  });
}

/**
 * Leave-one-cell-out for a band setting: for each cell, the grid value whose pooled P10–P90
 * coverage on the other cells is nearest `target` (ties: grid order).
 */
export function leaveOneCellOutCoverage<C>(cells: readonly C[], gridSize: number, band: (cell: C, gridIndex: number) => BandScore, target = 0.8): LocoFold[] {
  return cells.map((_, i) => {
    const others = cells.filter((_, j) => j !== i);
    const miss = Array.from({ length: gridSize }, (_, g) => {
      const p = pooledScore(others.map((c) => band(c, g)));
      return Math.abs(p.inside / p.n - target);
    });
    const chosen = argminFirst(miss);
    return { cell: i, chosen, othersRmse: miss[chosen]! };
  });
}
