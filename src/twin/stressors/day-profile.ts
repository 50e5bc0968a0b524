/**
 * Stressors of one update interval of a repeating SOC/temperature profile, extracted the way NREL
 * BLAST-Lite's `BatteryDegradationModel._extract_stressors` does (github.com/NREL/BLAST-Lite,
 * blast/models/degradation_model.py, BSD-3): elapsed days, equivalent full cycles (half the
 * summed |ΔSOC|, in nominal capacity), DoD (max − min SOC), mean |C-rate| of the non-resting time,
 * and per point the temperature and anode potential over which each model time-averages its rates
 * (trapezoid rule on the given points).
 *
 * Energy-throughput conservation (BLAST-Lite's default): as the cell fades to relative capacity q,
 * the same energy is drawn, so each interval's SOC swing is stretched by 1/q around its first point
 * (clipped to [0, 1]): DoD grows, EFC in nominal capacity stays (until the clip bites).
 */
import { anodePotentialV } from './anode-potential.js';

/** One period of a repeating duty, BLAST-Lite's input form. */
export interface SocProfile {
  /** Seconds from the start of the period, strictly increasing. */
  timeS: Float64Array;
  /** State of charge, 0–1. */
  soc: Float64Array;
  /** Cell temperature, °C. */
  temperatureC: Float64Array;
}

/** Stressors of one update interval; the arrays are reused between calls. */
export interface IntervalStressors {
  n: number;
  tSecs: Float64Array;
  soc: Float64Array;
  tempK: Float64Array;
  ua: Float64Array;
  deltaTDays: number;
  /** Equivalent full cycles in nominal capacity. */
  deltaEfc: number;
  dod: number;
  cRate: number;
  /** Arithmetic mean SOC of the points (BLAST-Lite's `np.mean(soc)`). */
  socMeanOfPoints: number;
}

export function emptyStressors(capacity: number): IntervalStressors {
  return {
    n: 0,
    tSecs: new Float64Array(capacity),
    soc: new Float64Array(capacity),
    tempK: new Float64Array(capacity),
    ua: new Float64Array(capacity),
    deltaTDays: Number.NaN,
    deltaEfc: Number.NaN,
    dod: Number.NaN,
    cRate: Number.NaN,
    socMeanOfPoints: Number.NaN,
  };
}

/** BLAST-Lite ignores |dSOC/dt| below 1e-2 per hour as storage when averaging the C-rate. */
const STORAGE_CRATE = 1e-2;

/**
 * Stressors of points [from, to] of `p` at relative capacity `q`. With `conserveThroughput` the SOC
 * swing is stretched by 1/q around the first point (BLAST-Lite `rescale_soc`).
 */
export function extractStressors(p: SocProfile, from: number, to: number, q: number, conserveThroughput: boolean, s: IntervalStressors): IntervalStressors {
  const n = to - from + 1;
  s.n = n;
  const soc0 = p.soc[from]!;
  const stretch = conserveThroughput ? 1 / q : 1;
  let clip = false;
  for (let i = 0; i < n; i++) {
    const v = soc0 + (p.soc[from + i]! - soc0) * stretch;
    if (v > 1 || v < 0) clip = true;
    s.soc[i] = v;
    s.tSecs[i] = p.timeS[from + i]! - p.timeS[from]!;
    s.tempK[i] = p.temperatureC[from + i]! + 273.15;
  }
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let swing = 0;
  for (let i = 0; i < n; i++) {
    let v = s.soc[i]!;
    if (clip) v = v < 0 ? 0 : v > 1 ? 1 : v;
    s.soc[i] = v;
    // Rests repeat a SOC point after point: the anode potential is a function of SOC alone.
    s.ua[i] = i > 0 && v === s.soc[i - 1] ? s.ua[i - 1]! : anodePotentialV(v);
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (i > 0) swing += Math.abs(v - s.soc[i - 1]!);
  }
  const span = s.tSecs[n - 1]!;
  s.deltaTDays = span / 86400;
  s.deltaEfc = (swing / 2) * q;
  s.dod = hi - lo;
  s.socMeanOfPoints = sum / n;
  // BLAST-Lite: trapz of the per-segment |C-rate| over t_days[1:], divided by the interval.
  let integral = 0;
  let prev = Number.NaN;
  for (let i = 0; i + 1 < n; i++) {
    const dtH = (s.tSecs[i + 1]! - s.tSecs[i]!) / 3600;
    let c = Math.abs((s.soc[i + 1]! - s.soc[i]!) / dtH);
    if (c < STORAGE_CRATE) c = 0;
    if (i > 0) integral += 0.5 * (prev + c) * ((s.tSecs[i + 1]! - s.tSecs[i]!) / 86400);
    prev = c;
  }
  const cRate = span > 0 ? (integral / s.deltaTDays) * q : 0;
  s.cRate = Number.isFinite(cRate) ? cRate : 0;
  return s;
}

/**
 * Time average of `f(i)` over the interval's points by the trapezoid rule (BLAST-Lite
 * `np.trapz(k, t)/Δt`). `f(i)` must depend on point i only through its temperature, SOC and anode
 * potential (every model's rates do).
 */
export function timeAverage(s: IntervalStressors, f: (i: number) => number): number {
  const n = s.n;
  if (n < 2) return f(0);
  let acc = 0;
  let prev = f(0);
  const soc = s.soc;
  const tempK = s.tempK;
  for (let i = 1; i < n; i++) {
    // Every per-point rate is a function of the point's temperature and SOC (and the interval's
    // scalars): a point equal to the one before (a rest) has the same value.
    const cur = soc[i] === soc[i - 1] && tempK[i] === tempK[i - 1] ? prev : f(i);
    acc += 0.5 * (prev + cur) * (s.tSecs[i]! - s.tSecs[i - 1]!);
    prev = cur;
  }
  return acc / s.tSecs[n - 1]!;
}
