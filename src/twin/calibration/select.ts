/**
 * How a calibration chooses what it forecasts with, using only the history it is given:
 * - the line form's recalibration rule (default): which checks the line goes through once part of
 *   the second life is known (`chooseLineWindow`);
 * - the knee form's settings (forgetting span, τ bound): fixed, chosen in the history by
 *   rolling-origin validation (`selectInHistory`), or not chosen at all (the equal-weight
 *   combination, `COMBINATION_MEMBERS`).
 * Rolling-origin validation: several forecast origins inside the history, refit at each, errors of
 * the later checks pooled (Tashman 2000, Int. J. Forecasting 16, 437–450); no k-fold shuffling,
 * which leaks the future into a trend fit (Bergmeir & Benítez 2012, Inf. Sci. 191, 192–213).
 * Pure functions: the fitter is passed in where a form is refitted.
 */
import type { CapacityCheck } from './history.js';
import { leastSquaresLine, lineWithSpread, lineZ, LINE_RATE_SD_FRACTION } from './line.js';

/** `line` (default): the line form with the recalibration rule; the others choose the knee form's settings. */
export type SelectionMode = 'line' | 'fixed' | 'in-history' | 'combined';
export const SELECTION_MODES: readonly SelectionMode[] = Object.freeze(['line', 'combined', 'in-history', 'fixed']);

export interface GridPoint {
  /** Forgetting time constant as a fraction of the history's cycle span (Infinity: equal weights). */
  forgettingSpanFraction: number;
  /** Upper bound of the break-in time constant τ, cycles. */
  tauMaxCycles: number;
}

/** The knee form's fixed settings (chosen with the HNEI cells' second lives in view). */
export const FIXED_POINT: Readonly<GridPoint> = Object.freeze({ forgettingSpanFraction: 0.5, tauMaxCycles: 50 });

const GRID_SPANS = [0.5, 0.25, 1, Infinity] as const;
const GRID_TAU_MAX = [50, 20, 200] as const;

/** The knee form's settings grid, the fixed point first (ties go to the earlier point). */
export const SELECTION_GRID: readonly GridPoint[] = Object.freeze(
  GRID_SPANS.flatMap((forgettingSpanFraction) => GRID_TAU_MAX.map((tauMaxCycles) => Object.freeze({ forgettingSpanFraction, tauMaxCycles }))),
);

/** Forecast origins as fractions of the (part of the) history's cycle span. */
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
 * Forecast combination: every member forecasts; P50 is their weighted mean, the band the P10/P90
 * of their pooled (mixture) samples (Bates & Granger 1969, Oper. Res. Q. 20, 451–468).
 */
export interface CombinedSelection {
  mode: 'combined';
  members: CombinationMember[];
  /** One weight per member, summing to 1 (equal weights). */
  weights: number[];
  validation: null;
}

/** Which checks the line goes through, and why. */
export interface LineSelection {
  mode: 'line';
  /** `every-check`: the line through the whole history; `second-life`: through the checks from `secondLifeFromCycle` on. */
  fittedFrom: 'every-check' | 'second-life';
  /** Cycle where the second life starts (given by the caller); null when none was given. */
  secondLifeFromCycle: number | null;
  /** Second-life checks in the history. */
  secondLifeChecks: number;
  /** Mean standardised error of the second-life checks against the first life's line and band; null when not tested. */
  departureMeanZ: number | null;
  /** Rolling-origin RMSE of the two lines inside the second life (when the departure test fired and an origin was usable). */
  rollingOrigin: { originCheckCounts: number[]; rmseEveryCheck: number; rmseSecondLife: number } | null;
  /** One sentence for a planner. */
  reason: string;
  validation: null;
}

export type CalibrationSelection = LineSelection | PointSelection | CombinedSelection;

/** The combination's members: the 12 knee settings of the grid, then the line through every check. */
export const COMBINATION_MEMBERS: readonly CombinationMember[] = Object.freeze([
  ...SELECTION_GRID.map((p) => Object.freeze({ kind: 'knee' as const, ...p })),
  Object.freeze({ kind: 'line' as const }),
]);

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

/**
 * Checks fitted at each rolling origin: those at or before first + fraction·span of `cycles`
 * (ascending), when at least `minFit` / `minScored` remain on either side.
 */
export function rollingOrigins(
  cycles: readonly number[],
  fractions: readonly number[] = ROLLING_ORIGIN_FRACTIONS,
  minFit = MIN_ORIGIN_FIT_CHECKS,
  minScored = MIN_ORIGIN_SCORED_CHECKS,
): number[] {
  const n = cycles.length;
  if (n === 0) return [];
  const first = cycles[0]!;
  const span = cycles[n - 1]! - first;
  const cuts: number[] = [];
  for (const f of fractions) {
    const limit = first + f * span;
    let cut = 0;
    while (cut < n && cycles[cut]! <= limit) cut++;
    if (cut >= minFit && n - cut >= minScored && !cuts.includes(cut)) cuts.push(cut);
  }
  return cuts;
}

/**
 * Rolling-origin selection inside one history: every grid point is refitted at each origin and
 * scored on the checks from the origin to the end of the history; the lowest pooled MSE wins.
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

/** Fewest second-life checks (and first-life checks) before the rule looks at the second life. */
export const MIN_SECOND_LIFE_CHECKS = 5;
/**
 * The second life departs from the first when its checks sit, on average, more than this many
 * standard deviations of the first-life forecast band from that forecast (P10–P90 is ±1.28): no
 * run of band noise does that; a new duty's rate does within a few checks.
 */
export const DEPARTURE_MEAN_Z = 2;

function lineAt(checks: readonly CapacityCheck[]): (cycle: number) => number {
  const { intercept, slope } = leastSquaresLine(
    checks.map((c) => c.cycle),
    checks.map((c) => c.relativeCapacity),
  );
  return (c) => intercept + slope * c;
}

/**
 * Recalibration rule of the line form: which checks the line goes through once the history holds
 * second-life checks (from `secondLifeFromCycle` on). Candidates: the line through every check and
 * the line through the second-life checks. Only the history is used:
 * 1. The first life's line forecasts the second-life checks already measured (a forecast from
 *    the origin at retirement). While they stay within its band (mean z within ±DEPARTURE_MEAN_Z,
 *    the band's own κ), the module ages as before and the line through every check, averaging the
 *    most data, is kept: on the HNEI cells the rate wanders within the band and the longest line
 *    forecasts best (docs/calibration.md).
 * 2. When they depart (a new duty, a changed rate), rolling-origin validation inside the second
 *    life (origins at ROLLING_ORIGIN_FRACTIONS of its span, ≥ MIN_SECOND_LIFE_CHECKS second-life
 *    checks to fit, ≥ MIN_ORIGIN_SCORED_CHECKS to score) picks the line with the lower pooled
 *    error (ties: every check); with no usable origin the second-life line is taken, as the
 *    departure says the first life no longer describes the module.
 */
export function chooseLineWindow(history: readonly CapacityCheck[], secondLifeFromCycle: number | null | undefined, rateSdFraction = LINE_RATE_SD_FRACTION): LineSelection {
  const base = { mode: 'line' as const, secondLifeFromCycle: secondLifeFromCycle ?? null, validation: null, rollingOrigin: null };
  if (secondLifeFromCycle == null) {
    return { ...base, fittedFrom: 'every-check', secondLifeChecks: 0, departureMeanZ: null, reason: 'line through every check (no second-life start given)' };
  }
  const first = history.filter((c) => c.cycle < secondLifeFromCycle);
  const second = history.filter((c) => c.cycle >= secondLifeFromCycle);
  if (second.length < MIN_SECOND_LIFE_CHECKS || first.length < 3) {
    return {
      ...base,
      fittedFrom: 'every-check',
      secondLifeChecks: second.length,
      departureMeanZ: null,
      reason: `line through every check (${second.length} second-life and ${first.length} first-life checks: too few to compare the lives, ${MIN_SECOND_LIFE_CHECKS} and 3 needed)`,
    };
  }
  const firstLine = lineWithSpread(
    first.map((c) => c.cycle),
    first.map((c) => c.relativeCapacity),
  );
  const meanZ = second.reduce((s, c) => s + lineZ(firstLine, c.cycle, c.relativeCapacity, rateSdFraction), 0) / second.length;
  const common = { ...base, secondLifeChecks: second.length, departureMeanZ: meanZ };
  if (Math.abs(meanZ) <= DEPARTURE_MEAN_Z) {
    return {
      ...common,
      fittedFrom: 'every-check',
      reason: `line through every check: the ${second.length} second-life checks stay within the first life's forecast band (mean z ${meanZ.toFixed(2)}, limit ±${DEPARTURE_MEAN_Z})`,
    };
  }
  const secondCycles = second.map((c) => c.cycle);
  const cuts = rollingOrigins(secondCycles, ROLLING_ORIGIN_FRACTIONS, MIN_SECOND_LIFE_CHECKS, MIN_ORIGIN_SCORED_CHECKS);
  if (cuts.length === 0) {
    return {
      ...common,
      fittedFrom: 'second-life',
      reason: `line through the second-life checks: they left the first life's band (mean z ${meanZ.toFixed(2)}) and are too few to validate a choice`,
    };
  }
  let seAll = 0;
  let seSecond = 0;
  let m = 0;
  for (const cut of cuts) {
    const originCycle = secondCycles[cut - 1]!;
    const train = history.filter((c) => c.cycle <= originCycle);
    const all = lineAt(train);
    const sec = lineAt(second.slice(0, cut));
    for (const c of second.slice(cut)) {
      seAll += (all(c.cycle) - c.relativeCapacity) ** 2;
      seSecond += (sec(c.cycle) - c.relativeCapacity) ** 2;
      m++;
    }
  }
  const rmseEveryCheck = Math.sqrt(seAll / m);
  const rmseSecondLife = Math.sqrt(seSecond / m);
  const fittedFrom = rmseSecondLife < rmseEveryCheck * (1 - 1e-9) ? 'second-life' : 'every-check';
  return {
    ...common,
    fittedFrom,
    rollingOrigin: { originCheckCounts: cuts, rmseEveryCheck, rmseSecondLife },
    reason: `line through ${fittedFrom === 'second-life' ? 'the second-life checks' : 'every check'}: the second life left the first life's band (mean z ${meanZ.toFixed(2)}); rolling-origin RMSE inside it ${(100 * rmseEveryCheck).toFixed(2)} % (every check) vs ${(100 * rmseSecondLife).toFixed(2)} % (second life)`,
  };
}
