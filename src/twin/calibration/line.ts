/**
 * Line form: ordinary least squares q(N) = intercept + slope·N, θ = [intercept, slope per 1000
 * cycles]. The default forecast of a capacity history: on the four HNEI cells, evaluated one cell
 * left out at a time and thinned to every 2nd and 3rd check, no knee-form setting or combination
 * beat it robustly, and on ten other cells of the same data set the former default (the knee
 * combination) was worse than it (docs/calibration.md).
 *
 * Band: P10/P90 of bootstrap lines (moving blocks, bootstrap.ts) + a resampled residual + the
 * uncertainty of the fade rate itself ahead of the last check, a normal error with standard
 * deviation κ·|slope|·(cycles ahead): the rate a line carries forward is an average, and a cell's
 * real rate wanders around it (on the HNEI cells it falls through the first life, falls further
 * early in the second and then rises). κ = LINE_RATE_SD_FRACTION.
 * Valid range: a history at one duty, forecasts at that duty; no knee (it cannot foresee a rate
 * that grows beyond what the history shows).
 */

/**
 * κ: standard deviation of the fade rate ahead, as a fraction of the fitted rate. 0.2, chosen on
 * the four HNEI cells' second lives (the value whose P10–P90 holds closest to 80 % of their
 * second-life checks on a 0.05 grid); chosen on three cells and applied to the fourth it gives
 * 0.15–0.2 and holds 79–83 % of the held-out checks (bench/calibration.bench.ts). Tuned on these
 * cells: docs/calibration.md says so and gives the coverage on cells outside the project.
 */
export const LINE_RATE_SD_FRACTION = 0.2;
export const LINE_PARAMETERS = 2;
const LINE_CYCLE_UNIT = 1000;

/**
 * Ordinary least-squares line y = intercept + slope·x (centred sums); a constant through a single
 * point or through points that share one x.
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

/** θ = [intercept, slope per 1000 cycles] of the least-squares line. */
export function fitLineTheta(y: ArrayLike<number>, cycles: ArrayLike<number>): Float64Array {
  const { intercept, slope } = leastSquaresLine(cycles, y);
  return new Float64Array([intercept, slope * LINE_CYCLE_UNIT]);
}

/** Line-form relative capacity at the given cycle indices. */
export function lineCurve(theta: ArrayLike<number>, cycles: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < cycles.length; i++) out[i] = theta[0]! + theta[1]! * (cycles[i]! / LINE_CYCLE_UNIT);
}

/** Slope of a line θ per cycle. */
export function lineSlopePerCycle(theta: ArrayLike<number>): number {
  return theta[1]! / LINE_CYCLE_UNIT;
}

/** A line with its band's two spreads, in closed form (no bootstrap). */
export interface LineWithSpread {
  intercept: number;
  slope: number;
  /** Residual standard deviation (n − 2 degrees of freedom; 0 below three checks). */
  residualSd: number;
  lastCycle: number;
}

export function lineWithSpread(cycles: ArrayLike<number>, y: ArrayLike<number>): LineWithSpread {
  const { intercept, slope } = leastSquaresLine(cycles, y);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - intercept - slope * cycles[i]!) ** 2;
  return { intercept, slope, residualSd: y.length > 2 ? Math.sqrt(s / (y.length - 2)) : 0, lastCycle: cycles[cycles.length - 1]! };
}

/** Standardised error of an observation against a line's forecast band (its standard deviation at that distance ahead). */
export function lineZ(line: LineWithSpread, cycle: number, q: number, rateSdFraction = LINE_RATE_SD_FRACTION): number {
  const ahead = Math.max(0, cycle - line.lastCycle);
  const sd = Math.hypot(line.residualSd, rateSdFraction * Math.abs(line.slope) * ahead);
  return sd > 0 ? (q - line.intercept - line.slope * cycle) / sd : 0;
}
