/**
 * State equations of BLAST-Lite's models (github.com/NREL/BLAST-Lite, degradation_model.py,
 * `_update_power_state`, `_update_power_B_state`, `_update_sigmoid_state`): each state follows a
 * trajectory equation at fixed stress, and a change of stress keeps the state continuous by
 * restarting the trajectory at the virtual time that gives the present value. BLAST-Lite takes one
 * explicit step of the state equation per update interval (a day, or one period of the input);
 * these functions return the same increment, so `cell-life.ts` integrates as the reference does.
 *
 * That explicit step is a numerical scheme, not part of the fitted models: over N equal steps at
 * constant stress a power law y = k·x^p grows by Π(1 + p/n) instead of N^p, which tends to
 * 1/Γ(1 + p) times the closed form (+12.7 % for p = 0.357, −5.5 % for p = 1.128). The application
 * kernel (fade.ts, simulate.ts) integrates the closed forms exactly; docs/twin-models.md gives the
 * size of the difference.
 */

/** Increment of y = k·x^p over dx from y0 (state equation dy/dx = k·p·(y/k)^((p−1)/p)). */
export function powerStateIncrement(y0: number, dx: number, k: number, p: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) return k * Math.exp(p * Math.log(dx));
  // (y0/k)^((p−1)/p) by exp/log: V8's general pow is several times slower on this path.
  return k * p * Math.exp(((p - 1) / p) * Math.log(y0 / k)) * dx;
}

/**
 * Doubles a power-law state carries between steps for `advancePowerStates`: the last step's
 * y and k and g = (y/k)^((p−1)/p), the series steps left before the next exact one, and the
 * series' coefficients (a = (p−1)/p and the binomial coefficients C₂ = a(a−1)/2, …, C₆).
 */
export const POWER_CARRY = 10;
/** Largest |ε| the series is used for (2^-6). */
const CARRY_SERIES_MAX = 1 / 64;
/** An exact step (exp and log) at least every this many steps. */
const CARRY_EXACT_EVERY = 32;

/**
 * One step of the power-law states st[at[i]], each over dx[i] at rate k[i] with exponent p[i],
 * as `powerStateIncrement` but with (y0/k)^((p−1)/p) carried from the previous step (carry i at
 * c[i·POWER_CARRY], zeros before the first step): from one day to the next y/k changes by a factor
 * 1 + ε, |ε| ≤ 2^-6 after the first weeks to months, and
 * (1 + ε)^a = 1 + aε + C₂ε² + … + C₆ε⁶ + R, |R| ≤ |C₇|·|ε|⁷/(1 − |ε|) < 1.3e-12 for the
 * exponents of the models (|a| ≤ 1.81, |C₇| ≤ 5.7). An exact step (exp/log, the same arithmetic as
 * `powerStateIncrement`, bit for bit) follows at most 31 series steps, when |ε| is larger, and
 * after a step from zero, so the carried power is within 5e-11 relative of the exact one: one
 * exact step in 32 instead of two transcendental calls per state and day, and one division
 * (ε = (y0·k_last − y_last·k)/(y_last·k)). One call per model update, the series written in its
 * loop: V8 compiles one small function (the series as a function of its own, inlined at each
 * state, exceeded what V8 inlines into a caller; called out of line, it boxed its result).
 */
export function advancePowerStates(st: Float64Array, at: Int32Array, dx: Float64Array, k: Float64Array, p: Float64Array, c: Float64Array): void {
  const n = at.length;
  for (let i = 0; i < n; i++) {
    const j = at[i]!;
    const o = i * POWER_CARRY;
    const y0 = st[j]!;
    const x = dx[i]!;
    const kNow = k[i]!;
    const den = c[o]! * kNow;
    const eps = (y0 * c[o + 1]! - den) / den;
    const left = c[o + 3]!;
    if (x !== 0 && left > 0 && eps <= CARRY_SERIES_MAX && eps >= -CARRY_SERIES_MAX) {
      const g = c[o + 2]! * (1 + eps * (c[o + 4]! + eps * (c[o + 5]! + eps * (c[o + 6]! + eps * (c[o + 7]! + eps * (c[o + 8]! + eps * c[o + 9]!))))));
      c[o + 3] = left - 1;
      c[o] = y0;
      c[o + 1] = kNow;
      c[o + 2] = g;
      st[j] = y0 + kNow * p[i]! * g * x;
    } else st[j] = y0 + powerCarriedExact(y0, x, kNow, p[i]!, c, o);
  }
}

/** A step of `advancePowerStates` without the series: no step, a step from zero, or an exact step that restarts the carry. */
function powerCarriedExact(y0: number, dx: number, k: number, p: number, c: Float64Array, o: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) {
    c[o + 3] = 0;
    return k * Math.exp(p * Math.log(dx));
  }
  const a = (p - 1) / p;
  const g = Math.exp(a * Math.log(y0 / k));
  const c2 = (a * (a - 1)) / 2;
  const c3 = (c2 * (a - 2)) / 3;
  const c4 = (c3 * (a - 3)) / 4;
  const c5 = (c4 * (a - 4)) / 5;
  c[o + 3] = CARRY_EXACT_EVERY - 1;
  c[o + 4] = a;
  c[o + 5] = c2;
  c[o + 6] = c3;
  c[o + 7] = c4;
  c[o + 8] = c5;
  c[o + 9] = (c5 * (a - 5)) / 6;
  c[o] = y0;
  c[o + 1] = k;
  c[o + 2] = g;
  return k * p * g * dx;
}

/** Increment of y = (k·x)^p over dx from y0 (dy/dx = p·(k·z)^p/z, z = y^(1/p)/k). */
export function powerBStateIncrement(y0: number, dx: number, k: number, p: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) return (k * dx) ** p;
  const z = y0 ** (1 / p) / k;
  return ((p * (k * z) ** p) / z) * dx;
}

/** Increment of the sigmoid y = 2·y∞·(½ − 1/(1 + exp((k·x)^p))) over dx from y0. */
export function sigmoidStateIncrement(y0: number, dx: number, yInf: number, k: number, p: number): number {
  if (dx === 0) return 0;
  if (y0 === 0) return 2 * yInf * (0.5 - 1 / (1 + Math.exp((k * dx) ** p)));
  const xInv = (1 / k) * Math.log(-((2 * yInf) / (y0 - yInf)) - 1) ** (1 / p);
  const z = (k * xInv) ** p;
  const ez = Math.exp(z);
  return ((2 * yInf * p * ez * z) / (xInv * (ez + 1) ** 2)) * dx;
}
