/**
 * Life of one fresh cell under a repeating SOC/temperature profile (`relife twin cell`), run the way
 * NREL BLAST-Lite's `simulate_battery_life` runs its models, so engineers can set the twin beside it:
 * the profile is cut into update intervals (the whole period, or day-long pieces of a longer one),
 * each interval's stressors are extracted (stressors/day-profile.ts), its rates time-averaged
 * (models/*.ts), and the states advanced by one step of their state equations
 * (states/state-equations.ts). Energy throughput is conserved by default, as in BLAST-Lite.
 *
 * Rates depend on the interval's profile and, through the stretched SOC swing, on the present
 * capacity only: they are computed at capacity nodes RATE_NODE_Q (2 %) apart (on first need) and
 * interpolated linearly in between (BLAST-Lite recomputes them every interval). The rates are smooth
 * in capacity (the swing is ∝ 1/q), so the interpolation error is second order, ≈ 1e-5 of a rate.
 */
import type { CellModel } from './models/cell-model.js';
import { emptyStressors, extractStressors, type IntervalStressors, type SocProfile } from './stressors/day-profile.js';

export interface CellLifeOptions {
  years: number;
  /** Default true (BLAST-Lite's default): the swing grows as capacity fades. */
  conserveThroughput?: boolean;
  /** Record a point at least this often, days (default 30). */
  outputEveryDays?: number;
}

export interface CellLife {
  model: string;
  label: string;
  conserveThroughput: boolean;
  integration: string;
  resistance: 'fitted' | 'proxy';
  capacityBasis: string;
  days: number[];
  relativeCapacity: number[];
  relativeResistance: number[];
  /** Where the profile leaves the model's fitted range, and where the cell ran out of capacity. */
  warnings: string[];
}

export const RATE_NODE_Q = 0.02;
/** BLAST-Lite `breakpoints_max_time_diff_s`: a longer period is updated once a day. */
const MAX_INTERVAL_S = 86400;

/** Update intervals [from, to] of one period (BLAST-Lite `_find_breakpoints` for ≤ 1 EFC per day). */
export function updateIntervals(p: SocProfile): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = p.timeS.length;
  let from = 0;
  for (let i = 1; i < n; i++) {
    if (p.timeS[i]! - p.timeS[from]! > MAX_INTERVAL_S && i - 1 > from) {
      out.push([from, i]);
      from = i + 1;
      i = from;
    }
  }
  if (from < n - 1) out.push([from, n - 1]);
  return out;
}

function rangeWarnings(model: CellModel, s: IntervalStressors): string[] {
  const w: string[] = [];
  const r = model.validRange;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let i = 0; i < s.n; i++) {
    tMin = Math.min(tMin, s.tempK[i]! - 273.15);
    tMax = Math.max(tMax, s.tempK[i]! - 273.15);
  }
  const cycling = s.deltaEfc > 0;
  const [lo, hi] = cycling ? r.cyclingTemperatureC : r.calendarTemperatureC;
  if (tMin < lo || tMax > hi) w.push(`temperature ${tMin.toFixed(1)}–${tMax.toFixed(1)} °C is outside the ${cycling ? 'cycling' : 'calendar'} range ${lo}–${hi} °C the model was fitted on`);
  if (cycling && (s.dod < r.dod[0] - 1e-9 || s.dod > r.dod[1] + 1e-9)) w.push(`DoD ${s.dod.toFixed(2)} is outside the fitted ${r.dod[0]}–${r.dod[1]}`);
  if (s.cRate > Math.max(r.maxChargeCRate, r.maxDischargeCRate) + 1e-9) w.push(`mean C-rate ${s.cRate.toFixed(2)} exceeds the fitted ${Math.max(r.maxChargeCRate, r.maxDischargeCRate)}C`);
  return w;
}

interface IntervalTable {
  from: number;
  to: number;
  /** Rates at node j (capacity 1 − j·RATE_NODE_Q), rateCount each; NaN until computed. */
  rates: Float64Array[];
  /** Stressor scalars at node j: deltaTDays, deltaEfc, dod, cRate. */
  scalars: Float64Array[];
}

function nodeOf(t: IntervalTable, j: number, model: CellModel, profile: SocProfile, conserve: boolean, s: IntervalStressors): void {
  if (t.rates[j]) return;
  extractStressors(profile, t.from, t.to, 1 - j * RATE_NODE_Q, conserve, s);
  const r = new Float64Array(model.rateNames.length);
  model.rates(s, r);
  t.rates[j] = r;
  t.scalars[j] = Float64Array.of(s.deltaTDays, s.deltaEfc, s.dod, s.cRate);
}

/** What the daily loop needs and hands back, apart from the result arrays. */
interface DailyRun {
  tables: IntervalTable[];
  model: CellModel;
  profile: SocProfile;
  conserve: boolean;
  scratch: IntervalStressors;
  endDays: number;
  every: number;
  /** Recorded points (day, capacity, resistance) from index 1, three doubles each; grown as needed. */
  rec: Float64Array;
  /** Out: points recorded (the deployment point 0 included), days simulated. */
  points: number;
  tDays: number;
}

/** `rec` with room for twice as many points. */
function grown(rec: Float64Array): Float64Array {
  const next = new Float64Array(rec.length * 2);
  next.set(rec);
  return next;
}

/**
 * The daily loop, a function of its own: V8 optimises it while it runs (the first call spends
 * most of its time in it), apart from the setup and the result object of `simulateCellLife`, code
 * that runs once per call and that, in the same function, made the optimised loop deoptimise at
 * the end of every call (seen with --trace-deopt, 2026-12-02).
 */
function runDays(run: DailyRun): void {
  const { tables, model, profile, conserve, scratch, endDays, every } = run;
  // Points recorded in a typed array: plain arrays pushed to change their element kind (small
  // integers, then doubles) in every call, and the optimised loop deoptimised on it.
  let rec = run.rec;
  let points = 1;
  const step = emptyStressors(0);
  const rateCount = model.rateNames.length;
  // The model's functions in locals: models differ in shape, and the daily loop would otherwise
  // look them up on a polymorphic object every day.
  const update = model.updateStates;
  const outputsOf = model.outputs;
  const rates = new Float64Array(rateCount);
  const states = new Float64Array(model.stateNames.length);
  const carry = new Float64Array(model.carrySize);
  const out = new Float64Array(2);
  const nTables = tables.length;
  let tDays = 0;
  let nextOut = every;
  let qNow = 1;
  let dead = false;
  // The nodes' arrays of the last interval and node pair (a one-interval period keeps them for weeks).
  let lastT: IntervalTable | null = null;
  let lastJ = -1;
  let ra: Float64Array = rates;
  let rb: Float64Array = rates;
  let sa: Float64Array = rates;
  let sb: Float64Array = rates;
  while (tDays < endDays - 1e-9 && !dead) {
    for (let k = 0; k < nTables && tDays < endDays - 1e-9 && !dead; k++) {
      const t = tables[k]!;
      const x = Math.max(0, (1 - qNow) / RATE_NODE_Q);
      const j = Math.floor(x);
      const f = x - j;
      if (t !== lastT || j !== lastJ) {
        nodeOf(t, j, model, profile, conserve, scratch);
        nodeOf(t, j + 1, model, profile, conserve, scratch);
        ra = t.rates[j]!;
        rb = t.rates[j + 1]!;
        sa = t.scalars[j]!;
        sb = t.scalars[j + 1]!;
        lastT = t;
        lastJ = j;
      }
      for (let i = 0; i < rateCount; i++) rates[i] = ra[i]! + f * (rb[i]! - ra[i]!);
      step.deltaTDays = sa[0]!;
      step.deltaEfc = sa[1]! + f * (sb[1]! - sa[1]!);
      step.dod = sa[2]! + f * (sb[2]! - sa[2]!);
      step.cRate = sa[3]! + f * (sb[3]! - sa[3]!);
      update(states, rates, step, carry);
      outputsOf(states, out);
      qNow = out[0]!;
      tDays += step.deltaTDays;
      // A cell with nothing left has no profile to stretch: the trajectory ends there.
      dead = !(qNow > 0);
      if (tDays >= nextOut - 1e-9 || tDays >= endDays - 1e-9 || dead) {
        if (3 * points + 3 > rec.length) rec = grown(rec);
        rec[3 * points] = tDays;
        rec[3 * points + 1] = out[0]!;
        rec[3 * points + 2] = out[1]!;
        points++;
        while (nextOut <= tDays + 1e-9) nextOut += every;
      }
    }
  }
  run.rec = rec;
  run.points = points;
  run.tDays = tDays;
}

export function simulateCellLife(model: CellModel, profile: SocProfile, opts: CellLifeOptions): CellLife {
  const conserve = opts.conserveThroughput ?? true;
  const every = opts.outputEveryDays ?? 30;
  const tables: IntervalTable[] = updateIntervals(profile).map(([from, to]) => ({ from, to, rates: [], scalars: [] }));
  const scratch = emptyStressors(profile.timeS.length);
  const endDays = opts.years * 365.25;
  extractStressors(profile, tables[0]!.from, tables[0]!.to, 1, conserve, scratch);
  const warnings = rangeWarnings(model, scratch);
  const rec = new Float64Array(3 * (Math.ceil(endDays / every) + 4));
  rec[0] = 0;
  rec[1] = 1;
  rec[2] = 1;
  const run: DailyRun = { tables, model, profile, conserve, scratch, endDays, every, rec, points: 0, tDays: 0 };
  runDays(run);
  const tDays = run.tDays;
  const days: number[] = new Array<number>(run.points);
  const q: number[] = new Array<number>(run.points);
  const r: number[] = new Array<number>(run.points);
  for (let i = 0; i < run.points; i++) {
    days[i] = run.rec[3 * i]!;
    q[i] = run.rec[3 * i + 1]!;
    r[i] = run.rec[3 * i + 2]!;
  }
  // The loop stops at the first day without capacity, and records it.
  const dead = !(q[q.length - 1]! > 0);
  return {
    model: model.id,
    label: model.label,
    conserveThroughput: conserve,
    integration: 'one explicit step of each state equation per update interval, as BLAST-Lite (see docs/twin-models.md)',
    resistance: model.resistance,
    capacityBasis: model.startCapacityOfNew === 1 ? 'relative to the new cell' : `relative to the start of second life (${model.startCapacityOfNew} of new)`,
    days,
    relativeCapacity: q,
    relativeResistance: r,
    warnings: [
      ...warnings,
      ...(dead ? [`capacity reached 0 after ${tDays.toFixed(0)} days: the trajectory ends there`] : []),
      ...(model.resistance === 'proxy' ? [model.resistanceProxy!] : []),
    ],
  };
}
