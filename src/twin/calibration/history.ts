/**
 * A measured capacity history: its shape, its checks, and the small pieces every calibration
 * form shares (typed arrays of it, forgetting weights, its noise level, a seeded generator).
 */
import { TwinInputError } from '../validate.js';

export interface CapacityCheck {
  /** Cumulative cycle index at the check (cycles of depth `dod`). */
  cycle: number;
  /** Relative capacity (capacity / nominal), 0–1.5. */
  relativeCapacity: number;
  temperatureC?: number | null;
}

export interface HistoryArrays {
  cycles: Float64Array;
  y: Float64Array;
  /** Per-check temperature (the prior's where a check has none); null when no check has one. */
  temps: Float64Array | null;
}

/** Throws a TwinInputError naming the row and the field when a history cannot be calibrated. */
export function checkHistory(history: readonly CapacityCheck[]): void {
  if (!Array.isArray(history) || history.length === 0) throw new TwinInputError('calibration history is empty: need at least one capacity check');
  let prev = -Infinity;
  history.forEach((h, i) => {
    if (typeof h.cycle !== 'number' || !Number.isFinite(h.cycle) || h.cycle < 0) {
      throw new TwinInputError(`calibration history row ${i + 1}: cycle must be a non-negative number, got ${JSON.stringify(h.cycle)}`);
    }
    if (h.cycle <= prev) {
      throw new TwinInputError(`calibration history row ${i + 1}: cycle index ${h.cycle} is not after the previous ${prev} (cycle index must increase)`);
    }
    prev = h.cycle;
    const q = h.relativeCapacity;
    if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0 || q > 1.5) {
      throw new TwinInputError(`calibration history row ${i + 1}: capacity must be positive (relative capacity in (0, 1.5]), got ${JSON.stringify(q)}`);
    }
    if (h.temperatureC != null && (!Number.isFinite(h.temperatureC) || h.temperatureC < -40 || h.temperatureC > 90)) {
      throw new TwinInputError(`calibration history row ${i + 1}: temperature_c out of range, got ${h.temperatureC}`);
    }
  });
}

export function unpack(history: readonly CapacityCheck[], defaultTemperatureC: number): HistoryArrays {
  const n = history.length;
  const cycles = new Float64Array(n);
  const y = new Float64Array(n);
  const hasT = history.some((h) => h.temperatureC != null);
  const temps = hasT ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    cycles[i] = history[i]!.cycle;
    y[i] = history[i]!.relativeCapacity;
    if (temps) temps[i] = history[i]!.temperatureC ?? defaultTemperatureC;
  }
  return { cycles, y, temps };
}

/**
 * Exponential forgetting (as in recursive least squares with a forgetting factor; Plett 2011,
 * J. Power Sources 196, 2319, for capacity estimation): recent checks carry the current ageing
 * regime; weight e^(−Δcycle/τ) with τ = `fraction` of the observed span (Infinity: equal weights).
 * Returned as square roots (they multiply residuals).
 */
export function forgettingWeights(cycles: Float64Array, fraction: number): Float64Array {
  const n = cycles.length;
  const tau = fraction * (cycles[n - 1]! - cycles[0]!);
  const sw = new Float64Array(n);
  for (let i = 0; i < n; i++) sw[i] = tau > 0 && Number.isFinite(tau) ? Math.exp(-(cycles[n - 1]! - cycles[i]!) / (2 * tau)) : 1;
  return sw;
}

/** Noise level of a history from successive differences (the trend between neighbours cancels). */
export function noiseLevel(y: ArrayLike<number>): number {
  if (y.length < 3) return 0.01;
  let s = 0;
  for (let i = 1; i < y.length; i++) s += (y[i]! - y[i - 1]!) ** 2;
  return Math.max(1e-4, Math.sqrt(s / (2 * (y.length - 1))));
}

/** Sum of squares. */
export function sse(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
}

/** xorshift32: a small seeded PRNG for the bootstrap (deterministic results). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function normalDraw(rand: () => number): number {
  const u1 = (rand() + 1e-12) / (1 + 1e-12);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
}
