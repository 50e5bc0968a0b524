/**
 * How the knee form's two hyperparameters (forgetting span, upper bound of the break-in time
 * constant τ) are chosen without looking at the future they are meant to predict, and the
 * pieces of the second-life evaluation protocol (README, "Second-life evaluation protocol").
 * Pure functions: no I/O, no model code; the fitter is passed in.
 *
 * - In-history selection (what a deployed twin can do for a new module): rolling-origin
 *   validation inside the calibration history (Tashman 2000, "Out-of-sample tests of forecasting
 *   accuracy: an analysis and review", Int. J. Forecasting 16, 437–450: several forecast origins,
 *   refit at each, errors pooled over origins). Only forecasts of later checks from earlier ones
 *   are scored — no k-fold shuffling, which leaks the future into the fit of a trend model
 *   (Bergmeir & Benítez 2012, "On the use of cross-validation for time series predictor
 *   evaluation", Inf. Sci. 191, 192–213, who find blocked/last-block evaluation sound for
 *   forecasts).
 * - Leave-one-cell-out: the grid point with the lowest pooled second-life error on the other
 *   cells, evaluated on the left-out one: "tuned on cells like these, applied to a new one".
 * - Combination (no choice; the second protocol): the members and weights of the equal-weight
 *   forecast combination (`COMBINATION_MEMBERS`: the 12 grid settings and the straight line).
 */
import type { CapacityCheck } from './calibrate.js';

export type SelectionMode = 'fixed' | 'in-history' | 'combined';

export interface GridPoint {
  /** Forgetting time constant as a fraction of the history's cycle span (Infinity: equal weights). */
  forgettingSpanFraction: number;
  /** Upper bound of the break-in time constant τ, cycles. */
  tauMaxCycles: number;
}

/** The fixed defaults (chosen with the HNEI cells' second lives in view; see README). */
export const FIXED_POINT: Readonly<GridPoint> = Object.freeze({ forgettingSpanFraction: 0.5, tauMaxCycles: 50 });

const GRID_SPANS = [0.5, 0.25, 1, Infinity] as const;
const GRID_TAU_MAX = [50, 20, 200] as const;

/** The pre-registered grid, the fixed point first (ties go to the earlier point). */
export const SELECTION_GRID: readonly GridPoint[] = Object.freeze(
  GRID_SPANS.flatMap((forgettingSpanFraction) => GRID_TAU_MAX.map((tauMaxCycles) => Object.freeze({ forgettingSpanFraction, tauMaxCycles }))),
);

/** Forecast origins as fractions of the history's cycle span. */
export const ROLLING_ORIGIN_FRACTIONS: readonly number[] = Object.freeze([0.5, 0.625, 0.75]);
/** An origin is used only with at least this many checks to fit and to score. */
export const MIN_ORIGIN_FIT_CHECKS = 10;
export const MIN_ORIGIN_SCORED_CHECKS = 3;

/** P50 of a calibration on `train` with the grid point's settings, at ascending cycles `at`. */
export type Forecaster = (train: readonly CapacityCheck[], point: GridPoint, at: readonly number[]) => ArrayLike<number>;

export interface InHistoryValidation {
  /** Number of checks fitted at each usable origin (the rest of the history is scored). */
  originCheckCounts: number[];
  /** Pooled validation RMSE of each grid point, in grid order. */
  rmse: number[];
  /** Index of the chosen point in the grid. */
  chosen: number;
  /** True when no origin was usable and the fixed point was taken. */
  fallback: boolean;
}

/** One setting of the knee form (`fixed`, or chosen `in-history`). */
export interface PointSelection extends GridPoint {
  mode: 'fixed' | 'in-history';
  /** In-history selection's validation scores; null for `fixed`. */
  validation: InHistoryValidation | null;
}

/** A member of the forecast combination: the knee form at one grid point, or the straight line. */
export type CombinationMember = ({ kind: 'knee' } & GridPoint) | { kind: 'line' };

/**
 * Forecast combination (README, "Second protocol"): no setting is chosen; every member forecasts
 * and P50 is their weighted mean, the band the P10/P90 of their pooled (mixture) samples.
 */
export interface CombinedSelection {
  mode: 'combined';
  members: CombinationMember[];
  /** One weight per member, summing to 1 (equal weights). */
  weights: number[];
  validation: null;
}

export type CalibrationSelection = PointSelection | CombinedSelection;

/** The pre-registered members: the 12 knee settings of the grid, then the line through every check. */
export const COMBINATION_MEMBERS: readonly CombinationMember[] = Object.freeze([
  ...SELECTION_GRID.map((p) => Object.freeze({ kind: 'knee' as const, ...p })),
  Object.freeze({ kind: 'line' as const }),
]);

/** Equal weights (the pre-registered rule; nothing is estimated). */
export function equalWeights(count: number): number[] {
  return Array.from({ length: count }, () => 1 / count);
}

/** Index of the smallest value (NaN counts as +∞); ties (within 1e-9 relative) go to the earlier index. */
export function argminFirst(values: readonly number[]): number {
  let best = -1;
  let bestValue = Infinity;
  values.forEach((v, i) => {
    const x = Number.isNaN(v) ? Infinity : v;
    if (best < 0 || x < bestValue * (1 - 1e-9)) {
      best = i;
      bestValue = x;
    }
  });
  return best;
}

/** Checks fitted at each rolling origin: those at or before first + fraction·span, when enough remain on both sides. */
export function rollingOrigins(cycles: readonly number[], fractions: readonly number[] = ROLLING_ORIGIN_FRACTIONS): number[] {
  const n = cycles.length;
  if (n === 0) return [];
  const first = cycles[0]!;
  const span = cycles[n - 1]! - first;
  const cuts: number[] = [];
  for (const f of fractions) {
    const limit = first + f * span;
    let cut = 0;
    while (cut < n && cycles[cut]! <= limit) cut++;
    if (cut >= MIN_ORIGIN_FIT_CHECKS && n - cut >= MIN_ORIGIN_SCORED_CHECKS && !cuts.includes(cut)) cuts.push(cut);
  }
  return cuts;
}

/**
 * Rolling-origin selection inside one history: every grid point is refitted at each origin and
 * scored on the checks from the origin to the end of the history; the lowest pooled MSE wins.
 * Nothing after the history's last check is seen.
 */
export function selectInHistory(
  history: readonly CapacityCheck[],
  forecast: Forecaster,
  grid: readonly GridPoint[] = SELECTION_GRID,
  fractions: readonly number[] = ROLLING_ORIGIN_FRACTIONS,
): PointSelection {
  if (grid.length === 0) throw new RangeError('selection grid is empty');
  const cycles = history.map((h) => h.cycle);
  const cuts = rollingOrigins(cycles, fractions);
  if (cuts.length === 0) {
    return { mode: 'in-history', ...FIXED_POINT, validation: { originCheckCounts: [], rmse: [], chosen: -1, fallback: true } };
  }
  const rmse = grid.map((point) => {
    let se = 0;
    let m = 0;
    for (const cut of cuts) {
      const at = cycles.slice(cut);
      const p50 = forecast(history.slice(0, cut), point, at);
      for (let i = 0; i < at.length; i++) se += (p50[i]! - history[cut + i]!.relativeCapacity) ** 2;
      m += at.length;
    }
    return Math.sqrt(se / m);
  });
  const chosen = argminFirst(rmse);
  return { mode: 'in-history', ...grid[chosen]!, validation: { originCheckCounts: cuts, rmse, chosen, fallback: false } };
}

/** Squared-error sum and count of one cell's second life under one grid point. */
export interface ErrorSum {
  sse: number;
  n: number;
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
  /** Pooled second-life RMSE of the chosen point on the other cells. */
  othersRmse: number;
}

/**
 * Leave-one-cell-out: for each cell, the grid point with the lowest pooled second-life RMSE over
 * the other cells. The left-out cell is not passed to the choice (by construction), so its data
 * cannot move the point chosen for it. `error` is memoised per (cell, grid point).
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
 * First and second life of a capacity history (the protocol's definition): first life = the
 * checks before the first check below `retire`; second life = the checks from that one on with
 * capacity ≥ `endOfLife`. A history that never falls below `retire` has no second life.
 */
export function splitLives(checks: readonly CapacityCheck[], retire = 0.8, endOfLife = 0.5): { firstLife: CapacityCheck[]; secondLife: CapacityCheck[] } {
  const k = checks.findIndex((c) => c.relativeCapacity < retire);
  if (k < 0) return { firstLife: [...checks], secondLife: [] };
  return { firstLife: checks.slice(0, k), secondLife: checks.slice(k).filter((c) => c.relativeCapacity >= endOfLife) };
}

/** Ordinary least-squares line through the checks (the baseline), optionally only from `fromCycle` on. */
export function fitLine(checks: readonly CapacityCheck[], fromCycle = -Infinity): { intercept: number; slope: number } {
  const pts = checks.filter((c) => c.cycle >= fromCycle);
  if (pts.length < 2) throw new RangeError('a line needs at least two checks');
  return leastSquaresLine(
    pts.map((p) => p.cycle),
    pts.map((p) => p.relativeCapacity),
  );
}

/**
 * Ordinary least-squares line y = intercept + slope·x (centred sums); a constant through a single
 * point or through points that share one x. Serves the baseline (`fitLine`) and calibrate's `line` form.
 */
export function leastSquaresLine(x: ArrayLike<number>, y: ArrayLike<number>): { intercept: number; slope: number } {
  const m = y.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < m; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= m;
  my /= m;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    const dx = x[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (y[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: my - slope * mx, slope };
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
