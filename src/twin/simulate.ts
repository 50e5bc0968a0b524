/**
 * Projection of one module under one application and operating envelope: monthly (by default)
 * steps over the planning horizon. Each step: module state → current, Joule heat → cell
 * temperature (lumped thermal model, seasonal ambient) → fade rates → fade state → SOH,
 * resistance, efficiency, delivered energy. Life ends at the first of end-of-life SOH, the
 * resistance limit or the thermal limit.
 */
import { LFP_SONY_MURATA as L, NMC_KOKAM as N } from './chemistry.js';
import {
  BINOMIAL_SERIES_TERMS,
  binomialSeries,
  emptyFadeContext,
  fadeRates,
  fadeRatesUnit,
  fillFadeContext,
  fillStretchSegment,
  LAM_FLOOR,
  LFP_CALENDAR_BATCH_DAYS,
  lfpCalendarAfter,
  lfpCalendarStep,
  RATE_COUNT,
  SERIES_EXACT_EVERY,
  SERIES_MAX_STEP,
  STRETCH_LAST_NODE,
  STRETCH_NODES_PER_UNIT,
  STRETCH_SLOTS,
  STRETCH_STRIDE,
  UNIT_RATE_KEY_SIZE,
  type CellDuty,
  type FadeContext,
  type FadeFactors,
} from './fade.js';
import { modulePrior, type ModulePrior } from './prior.js';
import { profileSpan, socSamplesFor } from './stressors/soc-profile.js';
import { activeFraction, dailyAttenuation, enclosureAirC, moduleThermal, roundTripEfficiency } from './thermal.js';
import { endOfLifeResistanceMilliohm } from './requirements.js';
import type { ApplicationSpec, Envelope, ModuleState, RequirementCode, TwinSummary, Violation } from './types.js';
import { validateApplication, validateEnvelope } from './validate.js';

export interface CalibrationLike {
  factors: FadeFactors;
}

export interface SimulateOptions {
  /** Default 20 years. */
  horizonYears?: number;
  /** Default 12 (monthly). */
  stepsPerYear?: number;
  /** Fitted factors from measured history; replace the first-life ageing factor. */
  calibration?: CalibrationLike | null;
  /** A prior already computed for this module (the matrix reuses one per module). */
  prior?: ModulePrior;
}

/** Time series of a projection; index 0 is deployment. */
export interface Trajectory {
  timeYears: Float64Array;
  sohPercent: Float64Array;
  resistanceMilliohm: Float64Array;
  meanTemperatureC: Float64Array;
  peakTemperatureC: Float64Array;
  roundTripEfficiency: Float64Array;
  cumulativeEnergyMwh: Float64Array;
  /**
   * Band of SOH from the uncertainty of the module's ageing factor (prior.ts): the projection at
   * the factor's 90th percentile (P10 of SOH) and 10th percentile (P90 of SOH). Null when the
   * factors come from a calibration (its band is the calibration's).
   */
  sohP10Percent: Float64Array | null;
  sohP90Percent: Float64Array | null;
}

export interface TwinProjection {
  trajectory: Trajectory;
  summary: TwinSummary;
  ageingFactor: number;
}

export const DEFAULT_HORIZON_YEARS = 20;
export const DEFAULT_STEPS_PER_YEAR = 12;

/** Bits of the violation mask, in RequirementCode order. */
export const VIOLATION_BITS: Record<RequirementCode, number> = {
  MIN_SOH: 1,
  MAX_RESISTANCE: 2,
  MAX_TEMPERATURE: 4,
  MIN_SERVICE_YEARS: 8,
  CHEMISTRY: 16,
};
export const END_REASONS = ['SOH', 'RESISTANCE', 'THERMAL', 'HORIZON'] as const;

/** Layout of the scalar output of `projectInto`. */
export const OUT = {
  rulYears: 0,
  fadePctPerYear: 1,
  lifetimeEnergyMwh: 2,
  peakTemperatureC: 3,
  roundTripEfficiency: 4,
  usableEnergyKwh: 5,
  endReason: 6,
  violationMask: 7,
  initialPeakTemperatureC: 8,
  size: 9,
} as const;

/** How the envelope narrows the duty: SOC window, DoD, and where the cell spends its time. */
export interface ResolvedDuty {
  socLowPercent: number;
  socHighPercent: number;
  dod: number;
  cell: CellDuty;
}

export function resolveDuty(app: ApplicationSpec, env: Envelope): ResolvedDuty {
  const d = app.duty;
  let lo = Math.max(d.socMinPercent, env.socMinPercent);
  let hi = Math.min(d.socMaxPercent, env.socMaxPercent);
  if (hi <= lo) {
    lo = env.socMinPercent;
    hi = env.socMaxPercent;
  }
  const dod = Math.min(d.depthOfDischarge, (hi - lo) / 100) * env.dodFactor;
  const top = hi / 100;
  // Cycling applications sweep a cycled window centred in the allowed one (headroom kept both
  // ways; idle time split between its ends); standby applications (< 1 cycle every 2 days) wait
  // charged at the top.
  const standby = d.cyclesPerDay < 0.5;
  const centre = (lo + hi) / 200;
  const profile = d.socProfile;
  if (profile && (profile.points?.length || profile.timeAtSoc?.length)) {
    // The application's own day, under the envelope: top kept (capped by the envelope), swing
    // scaled to the cycled DoD (stressors/soc-profile.ts).
    const span = profileSpan(profile);
    const topNow = Math.min(span.top, hi / 100);
    const samples = socSamplesFor(profile, topNow, dod / d.depthOfDischarge, lo / 100);
    const tRefK = enclosureAirC(d.ambientTemperatureC, env.activeCooling) + 273.15;
    return {
      socLowPercent: lo,
      socHighPercent: hi,
      dod,
      cell: {
        dod,
        cRate: d.cRate,
        socLow: topNow - dod,
        socHigh: topNow,
        efcPerDay: d.cyclesPerDay * dod,
        socSamples: samples.soc,
        socWeights: samples.weight,
        socKey: samples.key,
        socHours: samples.hour,
        conserveThroughput: true,
        socAnchor: samples.anchor,
        socFloor: lo / 100,
        socCeil: hi / 100,
        referenceTempK: tRefK,
      },
    };
  }
  return {
    socLowPercent: lo,
    socHighPercent: hi,
    dod,
    cell: {
      dod,
      cRate: d.cRate,
      socLow: standby ? top : centre - dod / 2,
      socHigh: standby ? top : centre + dod / 2,
      efcPerDay: d.cyclesPerDay * dod,
      // Without a profile the day starts at the bottom of its swing (a standby day at the top).
      conserveThroughput: true,
      socAnchor: standby ? top : centre - dod / 2,
      socFloor: lo / 100,
      socCeil: hi / 100,
      referenceTempK: enclosureAirC(d.ambientTemperatureC, env.activeCooling) + 273.15,
    },
  };
}

const scratchCtx = emptyFadeContext();
const scratchRates = new Float64Array(RATE_COUNT);
/** Binomial-series coefficients of the four power-law exponents (see `binomialSeries`), 5 each. */
const scratchSeries = new Float64Array(4 * BINOMIAL_SERIES_TERMS);
/**
 * Enclosure air of each step of the year: °C, K, and how far the day's peak lies above the mean
 * (the daily swing; 0 without one), three per step (grown for more steps a year).
 */
let scratchAir = new Float64Array(3 * 366);
function airScratch(stepsPerYear: number): Float64Array {
  if (scratchAir.length < 3 * stepsPerYear) scratchAir = new Float64Array(3 * stepsPerYear);
  return scratchAir;
}

/**
 * The daily temperature swing (`DutyProfile.dailyTemperatureSwingC`): the day is cut into DAY_SLOTS
 * slots of two hours; each slot's fade rates are those of its own SOC samples (the profile's
 * samples that fall in it, a fade context of their own) at the slot's temperature, and the day's
 * rate is their time-weighted mean, which is how BLAST-Lite time-averages k(T, SOC) over a day's
 * series, at two-hour resolution. A profile without hours (time at SOC) or without a profile has
 * the same SOC in every slot: its temperature is averaged independently of SOC. Twelve equally
 * spaced hours average an Arrhenius factor exp(b·A·sin θ) to 2·I₁₂(b·A) ≈ 1e-9 for b·A ≤ 2 (the
 * steepest rate here, 0.22 /K, at the 8 °C swing of the BLAST-Lite fixture is 1.8).
 */
const DAY_SLOTS = 12;
const SLOT_HOURS = 24 / DAY_SLOTS;
/** The swing's sine peaks at this hour (mid-afternoon, as the BLAST-Lite fixture's day). */
const DAY_PEAK_HOUR = 15;
/** Per step of the year: the cell's offsets from the step's mean air in each slot, K, then the day's peak. */
const DAY_STRIDE = DAY_SLOTS + 1;

/**
 * The daily swing's offsets of the cell temperature, per step of the year (`DAY_STRIDE` each),
 * kept with the rate table of the duty and climate they belong to: the air is ambient + A·sin(2π(h − 9)/24) through the enclosure (an HVAC
 * holds it at its set point above that), and the cell follows the air's deviations scaled by
 * `attenuation` (thermal.ts `dailyAttenuation`).
 */
function dayOffsets(ambientC: number, seasonalSwingC: number, dailySwingC: number, attenuation: number, activeCooling: boolean, season: Float64Array, stepsPerYear: number): Float64Array {
  const d = new Float64Array(DAY_STRIDE * stepsPerYear);
  for (let m = 0; m < stepsPerYear; m++) {
    const ambient = ambientC + seasonalSwingC * season[m]!;
    const mean = enclosureAirC(ambient, activeCooling);
    for (let j = 0; j < DAY_SLOTS; j++) {
      const hour = (j + 0.5) * SLOT_HOURS;
      const air = enclosureAirC(ambient + dailySwingC * Math.sin((2 * Math.PI * (hour - DAY_PEAK_HOUR + 6)) / 24), activeCooling);
      d[m * DAY_STRIDE + j] = attenuation * (air - mean);
    }
    d[m * DAY_STRIDE + DAY_SLOTS] = attenuation * (enclosureAirC(ambient + dailySwingC, activeCooling) - mean);
  }
  return d;
}

/**
 * The day's slots: the time share of each and a fade context of its SOC samples (null: no time in
 * it). The slots' rates are averaged as BLAST-Lite averages its rates, in the models' own terms: a
 * power-law state y = k·x^p advances in the kernel at the rate u = k^(1/p), so k = u^p is what is
 * averaged (`exponent` per rate slot; 1 for the LFP rates, which are the model's own); the NMC knee
 * advances at 1/q5, and q5 (linear in temperature, with the day's mean SOC: `lamSlope`) is averaged.
 */
interface DaySlots {
  weight: Float64Array;
  context: Array<FadeContext | null>;
  exponent: Float64Array;
  /** The NMC knee's q5 = q5_0 + lamSlope·(T − 55 °C), with the whole day's mean SOC; NaN: no knee. */
  lamSlope: number;
}

/** The slots of a duty's day (`DAY_SLOTS`), their contexts made for unit rates with `ctx`'s model and exponent. */
function daySlotsOf(ctx: FadeContext, cell: ResolvedDuty['cell']): DaySlots {
  const weight = new Float64Array(DAY_SLOTS);
  const context: Array<FadeContext | null> = [];
  // Layout of `fadeRatesUnit`: calendar capacity, calendar resistance, cycling capacity, cycling
  // resistance, knee (power-law kernel); LFP: y∞, p, resistance (the others unused).
  const exponent = ctx.isNmc ? Float64Array.of(ctx.pCalQ, N.r2, ctx.cycExponent, N.r4, 1) : Float64Array.of(1, 1, 1, 1, 1); // the knee's (last) is averaged as q5
  const lamSlope = ctx.isNmc && !ctx.isPlain ? ctx.nmcLamSlope : Number.NaN;
  const factors = { calendar: 1, cycle: 1, cycleExponent: ctx.cycExponent, lam: 1 };
  // The stretch and the caches keyed by the whole day's profile are not the slot's.
  const base = { ...cell, conserveThroughput: false, socKey: undefined };
  const hours = cell.socHours;
  const soc = cell.socSamples;
  const w = cell.socWeights;
  if (!hours || !soc || !w) {
    const every = fillFadeContext(emptyFadeContext(), ctx.model, base, factors);
    for (let j = 0; j < DAY_SLOTS; j++) {
      weight[j] = 1 / DAY_SLOTS;
      context.push(every);
    }
    return { weight, context, exponent, lamSlope };
  }
  for (let j = 0; j < DAY_SLOTS; j++) {
    const from = j * SLOT_HOURS;
    const to = from + SLOT_HOURS;
    const pick: number[] = [];
    let share = 0;
    for (let i = 0; i < soc.length; i++) {
      if (hours[i]! >= from && hours[i]! < to) {
        pick.push(i);
        share += w[i]!;
      }
    }
    weight[j] = share;
    if (!(share > 0)) {
      context.push(null);
      continue;
    }
    const slotSoc = Float64Array.from(pick, (i) => soc[i]!);
    const slotWeight = Float64Array.from(pick, (i) => w[i]! / share);
    context.push(fillFadeContext(emptyFadeContext(), ctx.model, { ...base, socSamples: slotSoc, socWeights: slotWeight, socHours: null }, factors));
  }
  return { weight, context, exponent, lamSlope };
}

/** Unit rates at `tempK` averaged over the day: each slot's at its temperature (`day`, the step's row at `base`), weighted by its time. */
function unitRatesOverDay(slots: DaySlots, tempK: number, day: Float64Array, base: number, out: Float64Array, o: number): void {
  const acc = dayRates;
  acc.fill(0);
  const e = slots.exponent;
  const knee = slots.lamSlope === slots.lamSlope;
  for (let j = 0; j < DAY_SLOTS; j++) {
    const c = slots.context[j];
    if (!c) continue;
    const slotK = tempK + day[base + j]!;
    fadeRatesUnit(c, slotK, dayRate, 0);
    const wj = slots.weight[j]!;
    for (let r = 0; r < KNEE_RATE; r++) {
      const u = dayRate[r]!;
      acc[r]! += wj * (e[r] === 1 ? u : u > 0 ? Math.exp(e[r]! * Math.log(u)) : 0);
    }
    // The knee: its q5 (the slot's rate is 1/q5), or the slot's rate as it is (LFP: unused; NCA, LMO: 0).
    acc[KNEE_RATE]! += wj * (knee ? N.q5_0 + slots.lamSlope * (slotK - 273.15 - 55) : dayRate[KNEE_RATE]!);
  }
  for (let r = 0; r < KNEE_RATE; r++) {
    const k = acc[r]!;
    out[o + r] = e[r] === 1 ? k : k > 0 ? Math.exp(Math.log(k) / e[r]!) : 0;
  }
  const q5 = acc[KNEE_RATE]!;
  out[o + KNEE_RATE] = knee ? (q5 > 0 ? 1 / q5 : 0) : q5;
}
const dayRates = new Float64Array(RATE_COUNT);
const dayRate = new Float64Array(RATE_COUNT);
/** Slot of the NMC knee's rate (1/q5) in the `fadeRatesUnit` layout, the last. */
const KNEE_RATE = RATE_COUNT - 1;

/** `fadeRates` (the module's rates) at `tempK`, averaged over the day when there is a swing. */
function ratesAt(ctx: FadeContext, tempK: number, day: Float64Array | null, slots: DaySlots | null, month: number, out: Float64Array): void {
  if (day === null || slots === null) {
    fadeRates(ctx, tempK, out, 0);
    return;
  }
  unitRatesOverDay(slots, tempK, day, month * DAY_STRIDE, out, 0);
  const scale = ctx.rateScale;
  for (let r = 0; r < RATE_COUNT; r++) out[r]! *= scale[r]!;
}
/** The LFP calendar update's loss and slope (`lfpCalendarStep`). */
const scratchCalendar = new Float64Array(2);
/** The stretch's table segment in the projection in progress: α, then γ (6 each; see the kernel loops). */
const scratchSegment = new Float64Array(12);

/**
 * Rate tables: the fade rates depend on the cell temperature only, which is the month's air
 * temperature plus the self-heating rise ΔT (same for every month at a given age). Rates are
 * evaluated lazily on a ΔT grid of RATE_GRID_K per month and interpolated linearly; the
 * relative interpolation error is ≤ (d ln k/dT)²·h²/8 ≈ 4e-4 for the steepest rate (NMC calendar
 * u-rate, 0.22 /K). Beyond the grid (ΔT > 100 K) rates are evaluated directly.
 *
 * A table holds the module-independent unit rates (`fadeRatesUnit`) of one duty and climate, so
 * every module projected under the same application and envelope shares it (the matrix runs
 * modules × applications × envelopes); each step scales the interpolated unit rates by the
 * module's `rateScale`. Interpolation commutes with the scaling, so this equals interpolating
 * `fadeRates` up to rounding.
 */
const RATE_GRID_K = 0.25;
const RATE_GRID_N = 400;
const RATE_GRID_PER_K = 1 / RATE_GRID_K; // a power of two: multiplying by it is dividing by RATE_GRID_K, exactly
/**
 * Doubles per rate-table cell (month row × ΔT grid point): its RATE_COUNT unit rates, then their
 * differences to the next grid point's, so a step's interpolation reads one cell with one stamp
 * check; a cell's stamp says both are filled (the differences are the subtractions the
 * interpolation made, stored).
 */
const RATE_CELL = 2 * RATE_COUNT;
// The kernel loops write the geometry of the rate and stretch tables as literals.
if (BINOMIAL_SERIES_TERMS !== 5 || SERIES_EXACT_EVERY !== 24 || RATE_COUNT !== 5 || RATE_CELL !== 10 || RATE_GRID_N !== 400 || STRETCH_SLOTS !== 6 || STRETCH_STRIDE !== 12 || STRETCH_LAST_NODE !== 98 || STRETCH_NODES_PER_UNIT !== 100) {
  throw new Error('simulate.ts: the kernel loops assume a 5-term binomial series exact every 24 steps, 5 rates, a 400-point ΔT grid and 99 stretch nodes of 6 slots, 100 per unit');
}

/** Tables kept (least recently created is reused first); a fleet meets a handful of duties. */
const RATE_TABLE_CACHE = 16;
/** unitRateKey, steps per year, ambient, seasonal swing, active cooling, daily swing, its attenuation, the profile (with a daily swing, its hours matter). */
const TABLE_KEY_SIZE = UNIT_RATE_KEY_SIZE + 7;

interface RateTable {
  key: Float64Array;
  /** With a daily swing, the day's slots and the cell's offsets in them (`dayOffsets`), made on the table's first use. */
  slots: DaySlots | null;
  day: Float64Array | null;
  stepsPerYear: number;
  rates: Float64Array;
  stamp: Uint32Array;
  generation: number;
}

const rateTables: RateTable[] = [];
let rateTableNext = 0;
let rateTableCurrent: RateTable | null = null;
let rateGeneration = 0;
const seasonTables = new Map<number, Float64Array>();

function seasonTable(stepsPerYear: number): Float64Array {
  let t = seasonTables.get(stepsPerYear);
  if (!t) {
    t = new Float64Array(stepsPerYear);
    for (let m = 0; m < stepsPerYear; m++) t[m] = Math.sin((2 * Math.PI * (m + 0.5)) / stepsPerYear);
    seasonTables.set(stepsPerYear, t);
  }
  return t;
}

function tableMatches(t: RateTable, unitKey: Float64Array, stepsPerYear: number, ambientC: number, swingC: number, cooling: number, dailySwingC: number, attenuation: number, profileKey: number): boolean {
  const k = t.key;
  for (let j = 0; j < UNIT_RATE_KEY_SIZE; j++) if (k[j] !== unitKey[j]) return false;
  const o = UNIT_RATE_KEY_SIZE;
  return k[o] === stepsPerYear && k[o + 1] === ambientC && k[o + 2] === swingC && k[o + 3] === cooling && k[o + 4] === dailySwingC && k[o + 5] === attenuation && k[o + 6] === profileKey;
}

/** The unit-rate table of this duty and climate, found or (re)started empty. */
function rateTableFor(ctx: FadeContext, stepsPerYear: number, ambientC: number, swingC: number, activeCooling: boolean, dailySwingC: number, attenuation: number, profileKey: number): RateTable {
  const unitKey = ctx.unitRateKey;
  const cooling = activeCooling ? 1 : 0;
  const cur = rateTableCurrent;
  if (cur && tableMatches(cur, unitKey, stepsPerYear, ambientC, swingC, cooling, dailySwingC, attenuation, profileKey)) return cur;
  for (const t of rateTables) {
    if (tableMatches(t, unitKey, stepsPerYear, ambientC, swingC, cooling, dailySwingC, attenuation, profileKey)) {
      rateTableCurrent = t;
      return t;
    }
  }
  const cells = stepsPerYear * (RATE_GRID_N + 1);
  let t = rateTables[rateTableNext];
  if (!t) {
    t = { key: new Float64Array(TABLE_KEY_SIZE), slots: null, day: null, stepsPerYear: 0, rates: new Float64Array(0), stamp: new Uint32Array(0), generation: 0 };
    rateTables[rateTableNext] = t;
  }
  rateTableNext = (rateTableNext + 1) % RATE_TABLE_CACHE;
  if (t.stamp.length < cells) {
    t.stamp = new Uint32Array(cells);
    t.rates = new Float64Array(cells * RATE_CELL);
  }
  rateGeneration++;
  if (rateGeneration === 0xffffffff) {
    for (const other of rateTables) {
      other.stamp.fill(0);
      other.generation = 0;
      other.key.fill(Number.NaN);
    }
    rateGeneration = 1;
  }
  t.generation = rateGeneration;
  t.key.set(unitKey);
  const o = UNIT_RATE_KEY_SIZE;
  t.key[o] = stepsPerYear;
  t.key[o + 1] = ambientC;
  t.key[o + 2] = swingC;
  t.key[o + 3] = cooling;
  t.key[o + 4] = dailySwingC;
  t.key[o + 5] = attenuation;
  t.key[o + 6] = profileKey;
  t.slots = null;
  t.day = null;
  t.stepsPerYear = stepsPerYear;
  rateTableCurrent = t;
  return t;
}

/** The next grid point's rates while a cell is filled. */
const nextRates = new Float64Array(RATE_COUNT);

/**
 * Fill a rate-table cell on first use (the next point's rates from its own cell when filled); the
 * table is shared by every module under one duty. With a daily swing (`day`, the step's row at
 * `dayBase`, and the day's `slots`) each point's rates are averaged over the day.
 */
function fillRateCell(ctx: FadeContext, table: Float64Array, stamp: Uint32Array, generation: number, cell: number, tempK0: number, tempK1: number, day: Float64Array | null, slots: DaySlots | null, dayBase: number): void {
  const o = cell * RATE_CELL;
  const overDay = day !== null && slots !== null;
  if (overDay) unitRatesOverDay(slots, tempK0, day, dayBase, table, o);
  else fadeRatesUnit(ctx, tempK0, table, o);
  let next: Float64Array = nextRates;
  let n = 0;
  if (stamp[cell + 1] === generation) {
    next = table;
    n = o + RATE_CELL;
  } else if (overDay) unitRatesOverDay(slots, tempK1, day, dayBase, nextRates, 0);
  else fadeRatesUnit(ctx, tempK1, nextRates, 0);
  for (let j = 0; j < RATE_COUNT; j++) table[o + RATE_COUNT + j] = next[n + j]! - table[o + j]!;
  stamp[cell] = generation;
}

/**
 * Slots of the kernel's input/output array: what `projectInto` resolves from the module, the
 * application and the envelope, and what the loop hands back. The loop reads numbers and typed
 * arrays only, so new shapes of module or application objects (which make V8 deoptimise the code
 * that reads them) never reach the optimised loop.
 */
const K = {
  steps: 0,
  stepsPerYear: 1,
  dtDays: 2,
  dEfc: 3,
  ambientC: 4,
  swingC: 5,
  activeCooling: 6,
  rThKPerW: 7,
  phi: 8,
  transient: 9,
  voltageV: 10,
  ampsPerSohFraction: 11,
  sohFraction0: 12,
  ohmPerRelativeR: 13,
  gridPerWatt: 14,
  ahPerSohFraction: 15,
  soh0: 16,
  r0Milliohm: 17,
  currentA0: 18,
  qAnchor: 19,
  rAnchor: 20,
  maxCellTemperatureC: 21,
  endOfLifeSohPercent: 22,
  endOfLifeMilliohm: 23,
  rateGeneration: 24,
  // In and out: life so far (rul < 0 while in service), then the loop's results.
  rulYears: 25,
  endReason: 26,
  peakC: 27,
  rteSum: 28,
  rteN: 29,
  energyMwh: 30,
  sohAtFadeEnd: 31,
  fadeYears: 32,
  size: 33,
} as const;
const scratchKernel = new Float64Array(K.size);

/**
 * The stepped projection: each step module state → current, Joule heat → cell temperature →
 * fade rates (rate table) → fade state → SOH, resistance, efficiency, energy, and the end-of-life
 * checks. `io` holds the inputs and receives the results (layout `K`); `state` is the fade state
 * at deployment; `traj` (steps + 1 entries, index 0 filled by the caller) is filled when given.
 *
 * The fade step is fade.ts's reference step (`stepFadeRates` then `fadeOutputs`) fused into the
 * loop, with its state, the rate table and every constant in local variables: V8 keeps locals in
 * registers, while a call per step (too large to inline) would box its number arguments and
 * reload every object field and module constant after it. Same arithmetic as the reference
 * functions; test/twin/kernel-accuracy.test.ts holds the loop to them.
 *
 * One loop per chemistry model: V8 compiles a function once for every case it has seen, so a
 * single loop with both fade steps carries both steps' variables and is ~10 % slower for each
 * chemistry once a fleet mixes them. The two loops differ only in their fade state and step;
 * change the rest of one, change the other.
 */
function runSteps(io: Float64Array, ctx: FadeContext, st: Float64Array, rateValues: Float64Array, rateStamp: Uint32Array, season: Float64Array, day: Float64Array | null, slots: DaySlots | null, traj: Trajectory | null): void {
  if (ctx.isNmc) runStepsNmc(io, ctx, st, rateValues, rateStamp, season, day, slots, traj);
  else runStepsLfp(io, ctx, st, rateValues, rateStamp, season, day, slots, traj);
}

/** `runSteps` for the NMC model (Kokam, fade.ts): its fade state and step, the rest shared line for line with `runStepsLfp`. */
function runStepsNmc(io: Float64Array, ctx: FadeContext, st: Float64Array, rateValues: Float64Array, rateStamp: Uint32Array, season: Float64Array, day: Float64Array | null, slots: DaySlots | null, traj: Trajectory | null): void {
  const steps = io[K.steps]!;
  const stepsPerYear = io[K.stepsPerYear]!;
  const dtYears = 1 / stepsPerYear;
  const minSteps = stepsPerYear; // fade is measured over at least one year
  const dtDays = io[K.dtDays]!;
  const dEfc = io[K.dEfc]!;
  const ambient = io[K.ambientC]!;
  const swing = io[K.swingC]!;
  const activeCooling = io[K.activeCooling] === 1;
  const rTh = io[K.rThKPerW]!;
  const phi = io[K.phi]!;
  const transient = io[K.transient]!;
  const voltageV = io[K.voltageV]!;
  const ampsPerSohFraction = io[K.ampsPerSohFraction]!;
  const sohFraction0 = io[K.sohFraction0]!;
  const ohmPerRelativeR = io[K.ohmPerRelativeR]!;
  const gridPerWatt = io[K.gridPerWatt]!;
  const ahPerSohFraction = io[K.ahPerSohFraction]!;
  const soh0 = io[K.soh0]!;
  const r0Milliohm = io[K.r0Milliohm]!;
  const qAnchor = io[K.qAnchor]!;
  const rAnchor = io[K.rAnchor]!;
  const maxCellTemperatureC = io[K.maxCellTemperatureC]!;
  const endOfLifeSohPercent = io[K.endOfLifeSohPercent]!;
  const rEndOfLifeMilliohm = io[K.endOfLifeMilliohm]!;
  let rul = io[K.rulYears]!;
  // In service while rul < 0: a flag in the loop, rul written once, at the end of life.
  let alive = rul < 0;
  let endReason = io[K.endReason]!;
  let peakC = io[K.peakC]!;
  let rteSum = io[K.rteSum]!;
  let rteN = 1;
  let energyMwh = 0;
  let sohAtFadeEnd = soh0;
  let fadeSteps = 0;
  let soh = soh0;
  let rMilliohm = r0Milliohm;
  let currentA = io[K.currentA0]!;
  let rOhm = rMilliohm * 1e-3;

  const airOf = enclosureAirC;
  const ratesOf = ratesAt;
  // Summary path: no trajectory to write (a flag, not a test of the object, at every step).
  const hasTraj = traj !== null;
  // The enclosure air of each step of the year (°C, then K for the rates, then the day's peak above
  // it): the same every year.
  const air = airScratch(stepsPerYear);
  for (let m = 0; m < stepsPerYear; m++) {
    const c = airOf(ambient + swing * season[m]!, activeCooling);
    air[3 * m] = c;
    air[3 * m + 1] = c + 273.15;
    air[3 * m + 2] = day === null ? 0 : day[m * DAY_STRIDE + DAY_SLOTS]!;
  }
  const efficiencyOf = roundTripEfficiency;
  // `seriesInRange` written out below with its bound in a local (an imported constant is read
  // through its module binding, with a check, at every use).
  const seriesMax = SERIES_MAX_STEP + 0;
  // `powExact` (u^p = exp(p·ln u), 0 for u ≤ 0) is written out at each power law: a call to it
  // was not inlined at five sites.
  // An unsigned 32-bit integer to the compiler, as the stamps it is compared with.
  const rateGen = io[K.rateGeneration]! >>> 0;
  // Table geometry as literals (checked against the exports where this file loads): numbers the
  // compiler knows, so index arithmetic needs no type or overflow checks (read from an imported
  // binding, each was a tagged value to unbox at every step).
  const gridN = 400;
  const gridRow = 401;
  const gridK = RATE_GRID_K;
  const rateStride = 10; // RATE_CELL
  const scale = ctx.rateScale;
  const sc0 = scale[0]!;
  const sc1 = scale[1]!;
  const sc2 = scale[2]!;
  const sc3 = scale[3]!;
  const sc4 = scale[4]!;
  // Fade state (layout in fade.ts): u_calQ, u_cycQ, w_LAM, u_calR, u_cycR.
  let x0 = st[0]!;
  let x1 = st[1]!;
  let x2 = st[2]!;
  let x3 = st[3]!;
  let x4 = st[4]!;
  // Power laws y = u^p by the binomial series of fade.ts (`seriesInRange`): last u, y and 1/u of
  // each (calQ, cycQ, calR, cycR), exact every 24th step (the first included).
  // Written out at each use: a call per power law would need V8 to inline it at five sites.
  const series = scratchSeries;
  const cycExponent = ctx.cycExponent;
  const pCalQ = ctx.pCalQ;
  binomialSeries(pCalQ, series, 0);
  binomialSeries(cycExponent, series, 5);
  binomialSeries(N.r2, series, 10);
  binomialSeries(N.r4, series, 15);
  const pCalR = N.r2;
  const pCycR = N.r4;
  const a1 = series[0]!, a2 = series[1]!, a3 = series[2]!, a4 = series[3]!, a5 = series[4]!;
  const c1 = series[5]!, c2 = series[6]!, c3 = series[7]!, c4 = series[8]!, c5 = series[9]!;
  const e1 = series[10]!, e2 = series[11]!, e3 = series[12]!, e4 = series[13]!, e5 = series[14]!;
  const g1 = series[15]!, g2 = series[16]!, g3 = series[17]!, g4 = series[18]!, g5 = series[19]!;
  // The last u of each is the state before the step (read there, not carried across steps).
  let yCalQ = 0, yCycQ = 0, yCalR = 0, yCycR = 0;
  let countdown = 0;
  const lamMargin = N.lamMargin;
  const lamR5 = N.r5;
  const lamR6 = N.r6;
  // `+ 0`: a number to the compiler (see `lastNode` below), so `qLam > lamFloor ? qLam : lamFloor` stays unboxed.
  const lamFloor = LAM_FLOOR + 0;
  // `nmcLamArgument` written out below, its exponent read once.
  const pLam = N.pLam + 0;
  const lamTen = pLam === 10;
  // Energy-throughput conservation (fade.ts `stretchMultipliers`, inlined): multipliers of the
  // deployment rates by the fade since deployment; null table: off.
  const stretch = ctx.stretch;
  const sv = stretch ? stretch.values : null;
  const invQAnchor = 1 / qAnchor;
  let qPrev = qAnchor;
  // Share of the nominal capacity a step's energy is drawn from (SOH / 100 at deployment).
  let energyShare = sohFraction0;
  // Imported bindings in locals: read through the module record each time otherwise. A value read
  // so is untyped to the compiler: one that a double may be replaced by (`sx = lastNode`) is made a
  // number by `+ 0`, else the double is boxed into a new heap number at every step.
  const nodesPerUnit = 100;
  const lastNode = 98;
  const fillSegment = fillStretchSegment;
  // The table segment the capacity is in, as coefficients of an affine function of the capacity:
  // multiplier k is α_k − γ_k·q (α at seg[k], γ at seg[6 + k]) for q in [segLo, segHi]. A segment
  // spans 1 % of the deployment capacity (months of fade), so the step reads its multipliers with
  // one multiply-add each, and the table look-up (index, clamps, loads) is off the chain of
  // operations from one step's capacity to the next. Empty until the first step.
  const seg = scratchSegment;
  const infinity = Number.POSITIVE_INFINITY + 0;
  let segLo = infinity;
  let segHi = -infinity;
  const nodesPerCapacity = nodesPerUnit * invQAnchor;

  let month = 0;
  for (let i = 0; i < steps; i++, month = month + 1 === stepsPerYear ? 0 : month + 1) {
    const inService = alive;
    if (!inService && !hasTraj && i >= minSteps) break;
    const airC = air[3 * month]!;
    const joulesW = currentA * currentA;
    const gridX = joulesW * (rOhm * gridPerWatt);
    const heatRiseC = joulesW * rOhm * rTh;
    const meanC = airC + phi * heatRiseC;
    // The hottest hour: the day's peak of the air, then the current's transient on top.
    const stepPeakC = meanC + air[3 * month + 2]! + (heatRiseC - phi * heatRiseC) * transient;
    const rte = efficiencyOf(voltageV, currentA, rOhm);
    const stepEnergyMwh = (ahPerSohFraction * energyShare * (voltageV - currentA * rOhm)) * 1e-6;

    // Rates at the cell temperature: interpolated in the month's row of the table (filled on first
    // use), or evaluated directly off the grid.
    const airK = air[3 * month + 1]!;
    const k = gridX | 0;
    let r0: number, r1: number, r2: number, r3: number, r4: number;
    if (k < 0 || k >= gridN) {
      ratesOf(ctx, airK + phi * heatRiseC, day, slots, month, scratchRates);
      r0 = scratchRates[0]!;
      r1 = scratchRates[1]!;
      r2 = scratchRates[2]!;
      r3 = scratchRates[3]!;
      r4 = scratchRates[4]!;
    } else {
      const cell = month * gridRow + k;
      if (rateStamp[cell] !== rateGen) fillRateCell(ctx, rateValues, rateStamp, rateGen, cell, airK + k * gridK, airK + (k + 1) * gridK, day, slots, month * DAY_STRIDE);
      const f = gridX - k;
      // `& 0x7ffffff` keeps the cell (< 2^27 for any horizon) and tells the compiler so: the
      // offsets below cannot overflow and need no checks. Rates at a, differences at a + 5.
      const a = (cell & 0x7ffffff) * rateStride;
      r0 = sc0 * (rateValues[a]! + f * rateValues[a + 5]!);
      r1 = sc1 * (rateValues[a + 1]! + f * rateValues[a + 6]!);
      r2 = sc2 * (rateValues[a + 2]! + f * rateValues[a + 7]!);
      r3 = sc3 * (rateValues[a + 3]! + f * rateValues[a + 8]!);
      r4 = sc4 * (rateValues[a + 4]! + f * rateValues[a + 9]!);
    }

    // Throughput conservation: the day stretched by the fade so far (state before the step).
    // Multipliers local to the step: fewer values live across steps than registers to hold them.
    let m0 = 1, m1 = 1, m2 = 1, m3 = 1, m4 = 1, m5 = 1;
    if (sv !== null) {
      if (!(qPrev >= segLo && qPrev <= segHi)) {
        // The capacity left the segment: `stretchMultipliers`'s interpolation v + d·(sx − sj),
        // sx = (1 − q/qAnchor)·N, written as α − γ·q: α = v + d·(N − sj), γ = d·N/qAnchor. Past
        // either end of the table, the end node's multipliers (γ = 0), as there.
        let sx = (1 - qPrev * invQAnchor) * nodesPerUnit;
        let gammaScale = nodesPerCapacity;
        if (!(sx > 0)) {
          sx = 0;
          gammaScale = 0;
          segLo = qAnchor;
          segHi = infinity;
        } else if (sx > lastNode) {
          sx = lastNode;
          gammaScale = 0;
          segLo = -infinity;
          segHi = qAnchor * (1 - lastNode / nodesPerUnit);
        }
        let sj = sx | 0;
        if (sj > lastNode - 1) sj = lastNode - 1;
        if (gammaScale !== 0) {
          segLo = qAnchor * (1 - (sj + 1) / nodesPerUnit);
          segHi = qAnchor * (1 - sj / nodesPerUnit);
        }
        const along = gammaScale === 0 ? sx - sj : nodesPerUnit - sj;
        // Node sj's multipliers and the differences to node sj + 1 (`fillStretchSegment`), 12 apart.
        const sa = (sj & 127) * 12; // sj ≤ 97: the mask is the range, for the compiler
        if (sv[sa + 6] !== sv[sa + 6]) fillSegment(stretch!, sj);
        for (let c = 0; c < 6; c++) {
          const d = sv[sa + 6 + c]!;
          seg[c] = sv[sa + c]! + along * d;
          seg[6 + c] = gammaScale * d;
        }
      }
      m0 = seg[0]! - seg[6]! * qPrev;
      m1 = seg[1]! - seg[7]! * qPrev;
      m2 = seg[2]! - seg[8]! * qPrev;
      m3 = seg[3]! - seg[9]! * qPrev;
      m4 = seg[4]! - seg[10]! * qPrev;
      m5 = seg[5]! - seg[11]! * qPrev;
    }
    const dEfcStep = dEfc * m5;
    const exact = countdown === 0;
    countdown = exact ? 23 : countdown - 1; // SERIES_EXACT_EVERY − 1
    let qRel: number;
    let rRel: number;
    const uCalQ = x0, uCycQ = x1, uCalR = x3, uCycR = x4;
    x0 += r0 * m0 * dtDays;
    x3 += r1 * m1 * dtDays;
    if (dEfcStep > 0) {
      x1 += r2 * m2 * dEfcStep;
      x4 += r3 * m3 * dEfcStep;
      x2 += r4 * m4 * dEfcStep;
    }
    let z = 0;
    if (!(x2 <= 0)) {
      const w2 = x2 * x2;
      const w4 = w2 * w2;
      z = lamTen ? w4 * w4 * w2 : Math.exp(pLam * Math.log(x2));
    }
    const epsCalQ = (x0 - uCalQ) * (uCalQ > 0 ? 1 / uCalQ : 0);
    const y0 = exact || !(uCalQ > 0 && x0 > 0 && epsCalQ >= 0 && epsCalQ <= seriesMax) ? (x0 > 0 ? Math.exp(pCalQ * Math.log(x0)) : 0) : yCalQ * (1 + epsCalQ * (a1 + epsCalQ * (a2 + epsCalQ * (a3 + epsCalQ * (a4 + epsCalQ * a5)))));
    yCalQ = y0;
    const epsCycQ = (x1 - uCycQ) * (uCycQ > 0 ? 1 / uCycQ : 0);
    const y1 = exact || !(uCycQ > 0 && x1 > 0 && epsCycQ >= 0 && epsCycQ <= seriesMax) ? (x1 > 0 ? Math.exp(cycExponent * Math.log(x1)) : 0) : yCycQ * (1 + epsCycQ * (c1 + epsCycQ * (c2 + epsCycQ * (c3 + epsCycQ * (c4 + epsCycQ * c5)))));
    yCycQ = y1;
    const qLli = 1 - y0 - y1;
    const epsCalR = (x3 - uCalR) * (uCalR > 0 ? 1 / uCalR : 0);
    const y3 = exact || !(uCalR > 0 && x3 > 0 && epsCalR >= 0 && epsCalR <= seriesMax) ? (x3 > 0 ? Math.exp(pCalR * Math.log(x3)) : 0) : yCalR * (1 + epsCalR * (e1 + epsCalR * (e2 + epsCalR * (e3 + epsCalR * (e4 + epsCalR * e5)))));
    yCalR = y3;
    const epsCycR = (x4 - uCycR) * (uCycR > 0 ? 1 / uCycR : 0);
    const y4 = exact || !(uCycR > 0 && x4 > 0 && epsCycR >= 0 && epsCycR <= seriesMax) ? (x4 > 0 ? Math.exp(pCycR * Math.log(x4)) : 0) : yCycR * (1 + epsCycR * (g1 + epsCycR * (g2 + epsCycR * (g3 + epsCycR * (g4 + epsCycR * g5)))));
    yCycR = y4;
    const rLli = 1 + y3 + y4;
    // tanh(x) < x for x > 0 and rounding is monotone, so margin − z/2 bounds q_LAM from below and
    // r5 + r6/(margin − z/2) bounds r_LAM from above: when LLI dominates both, the tanh cannot
    // change either output and is skipped.
    const qLamLow = lamMargin - 0.5 * z;
    if (z >= 2e-4 && qLamLow > lamFloor && qLli < qLamLow && rLli > lamR5 + lamR6 / qLamLow) {
      qRel = qLli > 0 ? qLli : 0;
      rRel = rLli;
    } else {
      // tanh(x) = x − x³/3 + … : below 1e-4 the cubic term is < 4e-13.
      const qLam = lamMargin - (z < 2e-4 ? 0.5 * z : Math.tanh(0.5 * z));
      const q = qLli < qLam ? qLli : qLam;
      qRel = q > 0 ? q : 0;
      const rLam = lamR5 + lamR6 / (qLam > lamFloor ? qLam : lamFloor);
      rRel = rLli > rLam ? rLli : rLam;
    }
    qPrev = qRel;

    const lost = qAnchor - qRel;
    // Throughput conserved: the same energy at the same power (current) until the window clips
    // the swing, then the clipped share of it; otherwise the day's swing is fixed in SOC terms.
    currentA = sv !== null ? ampsPerSohFraction * sohFraction0 : ampsPerSohFraction * (sohFraction0 - lost);
    energyShare = sv !== null ? sohFraction0 * m5 : sohFraction0 - lost;
    rOhm = rRel * ohmPerRelativeR;
    const sohNext = soh0 - 100 * lost;
    const rNext = r0Milliohm * (rRel / rAnchor);

    if (inService) {
      if (stepPeakC > maxCellTemperatureC) {
        rul = i * dtYears;
        endReason = 2;
        alive = false;
      } else {
        energyMwh += stepEnergyMwh;
        if (stepPeakC > peakC) peakC = stepPeakC;
        rteSum += rte;
        rteN++;
        if (sohNext <= endOfLifeSohPercent) {
          const frac = (soh - endOfLifeSohPercent) / (soh - sohNext);
          rul = (i + frac) * dtYears;
          endReason = 0;
          alive = false;
          // Energy of the part of the step past end of life is not delivered.
          energyMwh -= stepEnergyMwh * (1 - frac);
        } else if (rNext >= rEndOfLifeMilliohm) {
          const frac = (rEndOfLifeMilliohm - rMilliohm) / (rNext - rMilliohm);
          rul = (i + frac) * dtYears;
          endReason = 1;
          alive = false;
          energyMwh -= stepEnergyMwh * (1 - frac);
        }
      }
    }
    if (i < minSteps || inService) {
      sohAtFadeEnd = sohNext;
      fadeSteps = i + 1;
    }
    soh = sohNext;
    rMilliohm = rNext;
    if (hasTraj) {
      const k = i + 1;
      traj!.timeYears[k] = k * dtYears;
      traj!.sohPercent[k] = soh;
      traj!.resistanceMilliohm[k] = rMilliohm;
      traj!.meanTemperatureC[k] = meanC;
      traj!.peakTemperatureC[k] = stepPeakC;
      traj!.roundTripEfficiency[k] = rte;
      traj!.cumulativeEnergyMwh[k] = traj!.cumulativeEnergyMwh[i]! + (inService ? stepEnergyMwh : 0);
    }
  }
  io[K.rulYears] = rul;
  io[K.endReason] = endReason;
  io[K.peakC] = peakC;
  io[K.rteSum] = rteSum;
  io[K.rteN] = rteN;
  io[K.energyMwh] = energyMwh;
  io[K.sohAtFadeEnd] = sohAtFadeEnd;
  io[K.fadeYears] = fadeSteps * dtYears;
}

/** `runSteps` for the LFP model (Sony-Murata, fade.ts): its fade state and step, the rest shared line for line with `runStepsNmc`. */
function runStepsLfp(io: Float64Array, ctx: FadeContext, st: Float64Array, rateValues: Float64Array, rateStamp: Uint32Array, season: Float64Array, day: Float64Array | null, slots: DaySlots | null, traj: Trajectory | null): void {
  const steps = io[K.steps]!;
  const stepsPerYear = io[K.stepsPerYear]!;
  const dtYears = 1 / stepsPerYear;
  const minSteps = stepsPerYear; // fade is measured over at least one year
  const dtDays = io[K.dtDays]!;
  const dEfc = io[K.dEfc]!;
  const ambient = io[K.ambientC]!;
  const swing = io[K.swingC]!;
  const activeCooling = io[K.activeCooling] === 1;
  const rTh = io[K.rThKPerW]!;
  const phi = io[K.phi]!;
  const transient = io[K.transient]!;
  const voltageV = io[K.voltageV]!;
  const ampsPerSohFraction = io[K.ampsPerSohFraction]!;
  const sohFraction0 = io[K.sohFraction0]!;
  const ohmPerRelativeR = io[K.ohmPerRelativeR]!;
  const gridPerWatt = io[K.gridPerWatt]!;
  const ahPerSohFraction = io[K.ahPerSohFraction]!;
  const soh0 = io[K.soh0]!;
  const r0Milliohm = io[K.r0Milliohm]!;
  const qAnchor = io[K.qAnchor]!;
  const rAnchor = io[K.rAnchor]!;
  const maxCellTemperatureC = io[K.maxCellTemperatureC]!;
  const endOfLifeSohPercent = io[K.endOfLifeSohPercent]!;
  const rEndOfLifeMilliohm = io[K.endOfLifeMilliohm]!;
  let rul = io[K.rulYears]!;
  // In service while rul < 0: a flag in the loop, rul written once, at the end of life.
  let alive = rul < 0;
  let endReason = io[K.endReason]!;
  let peakC = io[K.peakC]!;
  let rteSum = io[K.rteSum]!;
  let rteN = 1;
  let energyMwh = 0;
  let sohAtFadeEnd = soh0;
  let fadeSteps = 0;
  let soh = soh0;
  let rMilliohm = r0Milliohm;
  let currentA = io[K.currentA0]!;
  let rOhm = rMilliohm * 1e-3;

  const airOf = enclosureAirC;
  const ratesOf = ratesAt;
  // Summary path: no trajectory to write (a flag, not a test of the object, at every step).
  const hasTraj = traj !== null;
  // The enclosure air of each step of the year (°C, then K for the rates, then the day's peak above
  // it): the same every year.
  const air = airScratch(stepsPerYear);
  for (let m = 0; m < stepsPerYear; m++) {
    const c = airOf(ambient + swing * season[m]!, activeCooling);
    air[3 * m] = c;
    air[3 * m + 1] = c + 273.15;
    air[3 * m + 2] = day === null ? 0 : day[m * DAY_STRIDE + DAY_SLOTS]!;
  }
  const efficiencyOf = roundTripEfficiency;
  // `seriesInRange` written out below with its bound in a local (an imported constant is read
  // through its module binding, with a check, at every use).
  const seriesMax = SERIES_MAX_STEP + 0;
  // `powExact` (u^p = exp(p·ln u), 0 for u ≤ 0) is written out at each power law: a call to it
  // was not inlined at five sites.
  // An unsigned 32-bit integer to the compiler, as the stamps it is compared with.
  const rateGen = io[K.rateGeneration]! >>> 0;
  // Table geometry as literals (checked against the exports where this file loads): numbers the
  // compiler knows, so index arithmetic needs no type or overflow checks (read from an imported
  // binding, each was a tagged value to unbox at every step).
  const gridN = 400;
  const gridRow = 401;
  const gridK = RATE_GRID_K;
  const rateStride = 10; // RATE_CELL
  const scale = ctx.rateScale;
  const sc0 = scale[0]!;
  const sc1 = scale[1]!;
  const sc2 = scale[2]!;
  // Fade state (layout in fade.ts): y_calQ, u_cycQ, break-in EFC, r_cal, r_cyc.
  let x0 = st[0]!;
  let x1 = st[1]!;
  let x2 = st[2]!;
  let x3 = st[3]!;
  let x4 = st[4]!;
  // The cycling power law y = u^p by the binomial series of fade.ts (`seriesInRange`): last u, y
  // and 1/u, exact every 24th step (the first included).
  const series = scratchSeries;
  const cycExponent = ctx.cycExponent;
  binomialSeries(cycExponent, series, 0);
  const c1 = series[0]!, c2 = series[1]!, c3 = series[2]!, c4 = series[3]!, c5 = series[4]!;
  // Its last u is the state before the step (read there, not carried across steps).
  let yCycQ = 0;
  let countdown = 0;
  // LFP: calendar batch (see LFP_CALENDAR_BATCH_DAYS): pending days, Σ y∞·dt, Σ p·dt, last loss per day.
  const batchDays = LFP_CALENDAR_BATCH_DAYS - 1e-9;
  let pendingDays = 0;
  let yInfDays = 0;
  let pDays = 0;
  let calendarPerDay = 0;
  const lfpCycRate = ctx.lfpCycRate;
  const lfpRCycPerEfc = ctx.lfpRCycPerEfc;
  const breakInExtent = ctx.lfpBreakInExtent;
  const breakInRate = L.q8;
  const breakInExponent = L.q9;
  const calendarAfter = lfpCalendarAfter;
  const calendarStep = lfpCalendarStep;
  const calendarOut = scratchCalendar;
  // Energy-throughput conservation (fade.ts `stretchMultipliers`, inlined): multipliers of the
  // deployment rates by the fade since deployment; null table: off.
  const stretch = ctx.stretch;
  const sv = stretch ? stretch.values : null;
  const invQAnchor = 1 / qAnchor;
  let qPrev = qAnchor;
  // Share of the nominal capacity a step's energy is drawn from (SOH / 100 at deployment).
  let energyShare = sohFraction0;
  // Imported bindings in locals: read through the module record each time otherwise. A value read
  // so is untyped to the compiler: one that a double may be replaced by (`sx = lastNode`) is made a
  // number by `+ 0`, else the double is boxed into a new heap number at every step.
  const nodesPerUnit = 100;
  const lastNode = 98;
  const fillSegment = fillStretchSegment;
  // The table segment the capacity is in, as coefficients of an affine function of the capacity:
  // multiplier k is α_k − γ_k·q (α at seg[k], γ at seg[6 + k]) for q in [segLo, segHi]. A segment
  // spans 1 % of the deployment capacity (months of fade), so the step reads its multipliers with
  // one multiply-add each, and the table look-up (index, clamps, loads) is off the chain of
  // operations from one step's capacity to the next. Empty until the first step.
  const seg = scratchSegment;
  const infinity = Number.POSITIVE_INFINITY + 0;
  let segLo = infinity;
  let segHi = -infinity;
  const nodesPerCapacity = nodesPerUnit * invQAnchor;

  let month = 0;
  for (let i = 0; i < steps; i++, month = month + 1 === stepsPerYear ? 0 : month + 1) {
    const inService = alive;
    if (!inService && !hasTraj && i >= minSteps) break;
    const airC = air[3 * month]!;
    const joulesW = currentA * currentA;
    const gridX = joulesW * (rOhm * gridPerWatt);
    const heatRiseC = joulesW * rOhm * rTh;
    const meanC = airC + phi * heatRiseC;
    // The hottest hour: the day's peak of the air, then the current's transient on top.
    const stepPeakC = meanC + air[3 * month + 2]! + (heatRiseC - phi * heatRiseC) * transient;
    const rte = efficiencyOf(voltageV, currentA, rOhm);
    const stepEnergyMwh = (ahPerSohFraction * energyShare * (voltageV - currentA * rOhm)) * 1e-6;

    // Rates at the cell temperature: interpolated in the month's row of the table (filled on first
    // use), or evaluated directly off the grid.
    const airK = air[3 * month + 1]!;
    const k = gridX | 0;
    let r0: number, r1: number, r2: number;
    if (k < 0 || k >= gridN) {
      ratesOf(ctx, airK + phi * heatRiseC, day, slots, month, scratchRates);
      r0 = scratchRates[0]!;
      r1 = scratchRates[1]!;
      r2 = scratchRates[2]!;
    } else {
      const cell = month * gridRow + k;
      if (rateStamp[cell] !== rateGen) fillRateCell(ctx, rateValues, rateStamp, rateGen, cell, airK + k * gridK, airK + (k + 1) * gridK, day, slots, month * DAY_STRIDE);
      const f = gridX - k;
      // `& 0x7ffffff` keeps the cell (< 2^27 for any horizon) and tells the compiler so: the
      // offsets below cannot overflow and need no checks. Rates at a, differences at a + 5.
      const a = (cell & 0x7ffffff) * rateStride;
      r0 = sc0 * (rateValues[a]! + f * rateValues[a + 5]!);
      r1 = sc1 * (rateValues[a + 1]! + f * rateValues[a + 6]!);
      r2 = sc2 * (rateValues[a + 2]! + f * rateValues[a + 7]!);
    }

    // Throughput conservation: the day stretched by the fade so far (state before the step).
    // Multipliers local to the step: fewer values live across steps than registers to hold them.
    let m0 = 1, m1 = 1, m2 = 1, m3 = 1, m4 = 1, m5 = 1;
    if (sv !== null) {
      if (!(qPrev >= segLo && qPrev <= segHi)) {
        // The capacity left the segment: `stretchMultipliers`'s interpolation v + d·(sx − sj),
        // sx = (1 − q/qAnchor)·N, written as α − γ·q: α = v + d·(N − sj), γ = d·N/qAnchor. Past
        // either end of the table, the end node's multipliers (γ = 0), as there.
        let sx = (1 - qPrev * invQAnchor) * nodesPerUnit;
        let gammaScale = nodesPerCapacity;
        if (!(sx > 0)) {
          sx = 0;
          gammaScale = 0;
          segLo = qAnchor;
          segHi = infinity;
        } else if (sx > lastNode) {
          sx = lastNode;
          gammaScale = 0;
          segLo = -infinity;
          segHi = qAnchor * (1 - lastNode / nodesPerUnit);
        }
        let sj = sx | 0;
        if (sj > lastNode - 1) sj = lastNode - 1;
        if (gammaScale !== 0) {
          segLo = qAnchor * (1 - (sj + 1) / nodesPerUnit);
          segHi = qAnchor * (1 - sj / nodesPerUnit);
        }
        const along = gammaScale === 0 ? sx - sj : nodesPerUnit - sj;
        // Node sj's multipliers and the differences to node sj + 1 (`fillStretchSegment`), 12 apart.
        const sa = (sj & 127) * 12; // sj ≤ 97: the mask is the range, for the compiler
        if (sv[sa + 6] !== sv[sa + 6]) fillSegment(stretch!, sj);
        for (let c = 0; c < 6; c++) {
          const d = sv[sa + 6 + c]!;
          seg[c] = sv[sa + c]! + along * d;
          seg[6 + c] = gammaScale * d;
        }
      }
      m0 = seg[0]! - seg[6]! * qPrev;
      m1 = seg[1]! - seg[7]! * qPrev;
      m2 = seg[2]! - seg[8]! * qPrev;
      m3 = seg[3]! - seg[9]! * qPrev;
      m4 = seg[4]! - seg[10]! * qPrev;
      m5 = seg[5]! - seg[11]! * qPrev;
    }
    const dEfcStep = dEfc * m5;
    const exact = countdown === 0;
    countdown = exact ? 23 : countdown - 1; // SERIES_EXACT_EVERY − 1
    pendingDays += dtDays;
    yInfDays += r0 * m0 * dtDays;
    pDays += r1 * m1 * dtDays;
    if (pendingDays >= batchDays) {
      const perDay = 1 / pendingDays; // one division for both averages
      const yInf = yInfDays * perDay;
      const pCal = pDays * perDay;
      // The update and the tangent's slope at its end (fade.ts lfpCalendarAfter, lfpCalendarSlope).
      calendarStep(x0, yInf, pCal, pendingDays, calendarOut, 0);
      x0 = calendarOut[0]!;
      calendarPerDay = calendarOut[1]!;
      pendingDays = 0;
      yInfDays = 0;
      pDays = 0;
    }
    const uCycQ = x1;
    x1 += lfpCycRate * m3 * dEfcStep;
    if (breakInExtent > 0) x2 += dEfcStep;
    x3 += r2 * m2 * dtDays;
    x4 += lfpRCycPerEfc * m4 * dEfcStep;
    const breakIn = breakInExtent > 0 ? breakInExtent * Math.tanh(0.5 * Math.pow(breakInRate * x2, breakInExponent)) : 0;
    const epsCycQ = (x1 - uCycQ) * (uCycQ > 0 ? 1 / uCycQ : 0);
    const y1 = exact || !(uCycQ > 0 && x1 > 0 && epsCycQ >= 0 && epsCycQ <= seriesMax) ? (x1 > 0 ? Math.exp(cycExponent * Math.log(x1)) : 0) : yCycQ * (1 + epsCycQ * (c1 + epsCycQ * (c2 + epsCycQ * (c3 + epsCycQ * (c4 + epsCycQ * c5)))));
    yCycQ = y1;
    // A fresh cell has no last increment to extrapolate: its first batch is read from the sigmoid.
    const calendarNow = x0 > 0 || !(pendingDays > 0) ? x0 + pendingDays * calendarPerDay : calendarAfter(0, yInfDays / pendingDays, pDays / pendingDays, pendingDays);
    const q = 1 - calendarNow - y1 - breakIn;
    const qRel = q > 0 ? q : 0;
    const rRel = 1 + x3 + x4;
    qPrev = qRel;

    const lost = qAnchor - qRel;
    // Throughput conserved: the same energy at the same power (current) until the window clips
    // the swing, then the clipped share of it; otherwise the day's swing is fixed in SOC terms.
    currentA = sv !== null ? ampsPerSohFraction * sohFraction0 : ampsPerSohFraction * (sohFraction0 - lost);
    energyShare = sv !== null ? sohFraction0 * m5 : sohFraction0 - lost;
    rOhm = rRel * ohmPerRelativeR;
    const sohNext = soh0 - 100 * lost;
    const rNext = r0Milliohm * (rRel / rAnchor);

    if (inService) {
      if (stepPeakC > maxCellTemperatureC) {
        rul = i * dtYears;
        endReason = 2;
        alive = false;
      } else {
        energyMwh += stepEnergyMwh;
        if (stepPeakC > peakC) peakC = stepPeakC;
        rteSum += rte;
        rteN++;
        if (sohNext <= endOfLifeSohPercent) {
          const frac = (soh - endOfLifeSohPercent) / (soh - sohNext);
          rul = (i + frac) * dtYears;
          endReason = 0;
          alive = false;
          // Energy of the part of the step past end of life is not delivered.
          energyMwh -= stepEnergyMwh * (1 - frac);
        } else if (rNext >= rEndOfLifeMilliohm) {
          const frac = (rEndOfLifeMilliohm - rMilliohm) / (rNext - rMilliohm);
          rul = (i + frac) * dtYears;
          endReason = 1;
          alive = false;
          energyMwh -= stepEnergyMwh * (1 - frac);
        }
      }
    }
    if (i < minSteps || inService) {
      sohAtFadeEnd = sohNext;
      fadeSteps = i + 1;
    }
    soh = sohNext;
    rMilliohm = rNext;
    if (hasTraj) {
      const k = i + 1;
      traj!.timeYears[k] = k * dtYears;
      traj!.sohPercent[k] = soh;
      traj!.resistanceMilliohm[k] = rMilliohm;
      traj!.meanTemperatureC[k] = meanC;
      traj!.peakTemperatureC[k] = stepPeakC;
      traj!.roundTripEfficiency[k] = rte;
      traj!.cumulativeEnergyMwh[k] = traj!.cumulativeEnergyMwh[i]! + (inService ? stepEnergyMwh : 0);
    }
  }
  io[K.rulYears] = rul;
  io[K.endReason] = endReason;
  io[K.peakC] = peakC;
  io[K.rteSum] = rteSum;
  io[K.rteN] = rteN;
  io[K.energyMwh] = energyMwh;
  io[K.sohAtFadeEnd] = sohAtFadeEnd;
  io[K.fadeYears] = fadeSteps * dtYears;
}

/**
 * The projection kernel. Writes the summary scalars (layout `OUT`) into `out` at `outOffset`;
 * fills `traj` (length steps + 1) when given. Allocation-free apart from the resolved duty, which
 * `dutyIn` supplies when the caller has it (`resolveDuty(app, env)`, module-independent).
 */
export function projectInto(
  m: ModuleState,
  prior: ModulePrior,
  app: ApplicationSpec,
  env: Envelope,
  horizonYears: number,
  stepsPerYear: number,
  out: Float64Array,
  outOffset: number,
  traj: Trajectory | null,
  ctxIn?: FadeContext,
  dutyIn?: ResolvedDuty,
): void {
  // The matrix resolves each application × envelope once for every module it projects under it.
  const duty = dutyIn ?? resolveDuty(app, env);
  const req = app.requirements;
  const rEndOfLifeMilliohm = endOfLifeResistanceMilliohm(req);
  const ctx = ctxIn ?? fillFadeContext(scratchCtx, prior.fadeModel, duty.cell, prior.factors);
  const voltageV = m.nominalVoltageV;
  const nominalAh = m.nominalCapacityAh;
  const soh0 = m.sohPercent;
  const r0Milliohm = m.internalResistanceMilliohm;
  const thermal = moduleThermal(nominalAh * voltageV, env.activeCooling);
  // The daily swing reaches the cell through its time constant, which depends on the cooling only
  // (thermal.ts): the rate table stays module-independent.
  const dailySwingC = app.duty.dailyTemperatureSwingC ?? 0;
  const swingsDaily = dailySwingC > 0;
  const attenuation = swingsDaily ? dailyAttenuation(thermal.timeConstantS) : 1;
  const rateTable = rateTableFor(ctx, stepsPerYear, app.duty.ambientTemperatureC, app.duty.seasonalSwingC, env.activeCooling, dailySwingC, attenuation, swingsDaily ? (duty.cell.socKey ?? -1) : 0);
  const season = seasonTable(stepsPerYear);
  // The day's slots and offsets depend on the duty and climate only: made once per rate table.
  if (swingsDaily && rateTable.day === null) {
    rateTable.day = dayOffsets(app.duty.ambientTemperatureC, app.duty.seasonalSwingC, dailySwingC, attenuation, env.activeCooling, season, stepsPerYear);
    rateTable.slots = daySlotsOf(ctx, duty.cell);
  }
  const day = swingsDaily ? rateTable.day : null;
  const rTh = thermal.resistanceKPerW;
  const phi = activeFraction(app.duty.cyclesPerDay, duty.dod, app.duty.cRate);
  const dischargeS = duty.dod > 0 ? (duty.dod / app.duty.cRate) * 3600 : 0;
  const transient = 1 - Math.exp(-dischargeS / thermal.timeConstantS);
  const ambient = app.duty.ambientTemperatureC;
  const swing = app.duty.seasonalSwingC;
  const cRate = app.duty.cRate;
  const steps = Math.round(horizonYears * stepsPerYear);
  const dtYears = 1 / stepsPerYear;
  const dtDays = 365.25 * dtYears;
  const dEfc = duty.cell.efcPerDay * dtDays;
  const qAnchor = prior.modelCapacity;
  const rAnchor = prior.modelResistance;

  // Conditions at deployment (hottest month) decide the thermal requirement.
  const i0 = cRate * nominalAh * (soh0 / 100);
  const heat0 = i0 * i0 * r0Milliohm * 1e-3 * rTh;
  // The hottest month's afternoon: its air, the daily swing's peak above it as the cell follows it.
  const hottestAir = enclosureAirC(ambient + swing, env.activeCooling);
  const hottestHour = swingsDaily ? attenuation * (enclosureAirC(ambient + swing + dailySwingC, env.activeCooling) - hottestAir) : 0;
  const initialPeakC = hottestAir + hottestHour + phi * heat0 + (heat0 - phi * heat0) * transient;
  const rte0 = roundTripEfficiency(voltageV, i0, r0Milliohm * 1e-3);

  let mask = 0;
  if (soh0 < req.minSohPercent) mask |= VIOLATION_BITS.MIN_SOH;
  if (r0Milliohm > req.maxResistanceMilliohm) mask |= VIOLATION_BITS.MAX_RESISTANCE;
  if (initialPeakC > req.maxCellTemperatureC) mask |= VIOLATION_BITS.MAX_TEMPERATURE;

  let rul = -1;
  let endReason = 3;
  if (soh0 <= req.endOfLifeSohPercent) {
    rul = 0;
    endReason = 0;
  } else if (r0Milliohm >= rEndOfLifeMilliohm) {
    rul = 0;
    endReason = 1;
  } else if (initialPeakC > req.maxCellTemperatureC) {
    rul = 0;
    endReason = 2;
  }

  if (traj) {
    traj.timeYears[0] = 0;
    traj.sohPercent[0] = soh0;
    traj.resistanceMilliohm[0] = r0Milliohm;
    traj.meanTemperatureC[0] = enclosureAirC(ambient, env.activeCooling) + phi * heat0;
    traj.peakTemperatureC[0] = initialPeakC;
    traj.roundTripEfficiency[0] = rte0;
    traj.cumulativeEnergyMwh[0] = 0;
  }

  // Each step depends on the previous one (SOH and resistance → current → heat → rates → fade):
  // the loop carries the current, resistance and rate-grid coordinate as products of the fade
  // outputs with these per-projection constants (no division on that chain; equal to the
  // textbook expressions up to rounding).
  const k = scratchKernel;
  k[K.steps] = steps;
  k[K.stepsPerYear] = stepsPerYear;
  k[K.dtDays] = dtDays;
  k[K.dEfc] = dEfc;
  k[K.ambientC] = ambient;
  k[K.swingC] = swing;
  k[K.activeCooling] = env.activeCooling ? 1 : 0;
  k[K.rThKPerW] = rTh;
  k[K.phi] = phi;
  k[K.transient] = transient;
  k[K.voltageV] = voltageV;
  k[K.ampsPerSohFraction] = cRate * nominalAh;
  k[K.sohFraction0] = soh0 / 100;
  k[K.ohmPerRelativeR] = (r0Milliohm * 1e-3) / rAnchor;
  k[K.gridPerWatt] = rTh * phi * RATE_GRID_PER_K;
  k[K.ahPerSohFraction] = dEfc * nominalAh;
  k[K.soh0] = soh0;
  k[K.r0Milliohm] = r0Milliohm;
  k[K.currentA0] = i0;
  k[K.qAnchor] = qAnchor;
  k[K.rAnchor] = rAnchor;
  k[K.maxCellTemperatureC] = req.maxCellTemperatureC;
  k[K.endOfLifeSohPercent] = req.endOfLifeSohPercent;
  k[K.endOfLifeMilliohm] = rEndOfLifeMilliohm;
  k[K.rateGeneration] = rateTable.generation;
  k[K.rulYears] = rul;
  k[K.endReason] = endReason;
  k[K.peakC] = initialPeakC;
  k[K.rteSum] = rte0;
  runSteps(k, ctx, prior.state, rateTable.rates, rateTable.stamp, season, day, rateTable.slots, traj);
  rul = k[K.rulYears]!;
  endReason = k[K.endReason]!;
  const energyMwh = k[K.energyMwh]!;
  const peakC = k[K.peakC]!;
  const rteSum = k[K.rteSum]!;
  const rteN = k[K.rteN]!;
  const sohAtFadeEnd = k[K.sohAtFadeEnd]!;
  const fadeYears = k[K.fadeYears]!;

  if (rul < 0) {
    rul = steps * dtYears;
    endReason = 3;
  }
  if (rul < req.minServiceYears) mask |= VIOLATION_BITS.MIN_SERVICE_YEARS;

  out[outOffset + OUT.rulYears] = rul;
  out[outOffset + OUT.fadePctPerYear] = fadeYears > 0 ? (soh0 - sohAtFadeEnd) / fadeYears : 0;
  out[outOffset + OUT.lifetimeEnergyMwh] = energyMwh;
  out[outOffset + OUT.peakTemperatureC] = peakC;
  out[outOffset + OUT.roundTripEfficiency] = rteSum / rteN;
  out[outOffset + OUT.usableEnergyKwh] = (nominalAh * voltageV * (soh0 / 100) * ((duty.socHighPercent - duty.socLowPercent) / 100)) / 1000;
  out[outOffset + OUT.endReason] = endReason;
  out[outOffset + OUT.violationMask] = mask;
  out[outOffset + OUT.initialPeakTemperatureC] = initialPeakC;
}

function fmt(x: number, digits = 1): string {
  return x.toFixed(digits);
}

/** Human-readable violations from a mask and the projection's numbers. */
export function describeViolations(m: ModuleState, app: ApplicationSpec, env: Envelope, out: Float64Array, offset = 0): Violation[] {
  const mask = out[offset + OUT.violationMask]!;
  const req = app.requirements;
  const v: Violation[] = [];
  if (mask & VIOLATION_BITS.MIN_SOH) {
    v.push({ requirement: 'MIN_SOH', reason: `SOH ${fmt(m.sohPercent)} % is below the ${fmt(req.minSohPercent)} % ${app.name} accepts` });
  }
  if (mask & VIOLATION_BITS.MAX_RESISTANCE) {
    v.push({
      requirement: 'MAX_RESISTANCE',
      reason: `resistance ${fmt(m.internalResistanceMilliohm)} mΩ exceeds the ${fmt(req.maxResistanceMilliohm)} mΩ limit of ${app.name}`,
    });
  }
  if (mask & VIOLATION_BITS.MAX_TEMPERATURE) {
    v.push({
      requirement: 'MAX_TEMPERATURE',
      reason: `peak cell temperature ${fmt(out[offset + OUT.initialPeakTemperatureC]!)} °C in the hottest month exceeds ${fmt(req.maxCellTemperatureC)} °C (${env.activeCooling ? 'active' : 'passive'} cooling, envelope ${env.name})`,
    });
  }
  if (mask & VIOLATION_BITS.MIN_SERVICE_YEARS) {
    const reason = END_REASONS[out[offset + OUT.endReason]!] ?? 'SOH';
    v.push({
      requirement: 'MIN_SERVICE_YEARS',
      reason: `remaining life ${fmt(out[offset + OUT.rulYears]!)} y (ends on ${reason}) is shorter than the ${fmt(req.minServiceYears)} y ${app.name} requires`,
    });
  }
  if (mask & VIOLATION_BITS.CHEMISTRY) {
    v.push({ requirement: 'CHEMISTRY', reason: `chemistry ${m.chemistry} is not accepted by ${app.name}` });
  }
  return v;
}

export function summaryFromOut(m: ModuleState, app: ApplicationSpec, env: Envelope, out: Float64Array, offset = 0): TwinSummary {
  const violations = describeViolations(m, app, env, out, offset);
  return {
    usableEnergyKwh: out[offset + OUT.usableEnergyKwh]!,
    rulYears: out[offset + OUT.rulYears]!,
    endOfLifeReason: END_REASONS[out[offset + OUT.endReason]!] ?? 'HORIZON',
    fadePctPerYear: out[offset + OUT.fadePctPerYear]!,
    lifetimeEnergyMwh: out[offset + OUT.lifetimeEnergyMwh]!,
    peakTemperatureC: out[offset + OUT.peakTemperatureC]!,
    roundTripEfficiency: out[offset + OUT.roundTripEfficiency]!,
    feasible: violations.length === 0,
    violations,
  };
}

function checkHorizon(horizonYears: number, stepsPerYear: number): void {
  if (!(horizonYears > 0 && horizonYears <= 100)) throw new RangeError(`horizonYears must be in (0, 100], got ${horizonYears}`);
  if (!(Number.isInteger(stepsPerYear) && stepsPerYear >= 1 && stepsPerYear <= 366)) {
    throw new RangeError(`stepsPerYear must be an integer in [1, 366], got ${stepsPerYear}`);
  }
}

/** Full projection with trajectory. */
export function simulate(m: ModuleState, app: ApplicationSpec, env: Envelope, opts: SimulateOptions = {}): TwinProjection {
  const horizonYears = opts.horizonYears ?? DEFAULT_HORIZON_YEARS;
  const stepsPerYear = opts.stepsPerYear ?? DEFAULT_STEPS_PER_YEAR;
  checkHorizon(horizonYears, stepsPerYear);
  validateApplication(app);
  validateEnvelope(app.id, env);
  const prior = opts.prior ?? modulePrior(m, opts.calibration?.factors);
  const n = Math.round(horizonYears * stepsPerYear) + 1;
  const trajectory: Trajectory = {
    timeYears: new Float64Array(n),
    sohPercent: new Float64Array(n),
    resistanceMilliohm: new Float64Array(n),
    meanTemperatureC: new Float64Array(n),
    peakTemperatureC: new Float64Array(n),
    roundTripEfficiency: new Float64Array(n),
    cumulativeEnergyMwh: new Float64Array(n),
    sohP10Percent: null,
    sohP90Percent: null,
  };
  const out = new Float64Array(OUT.size);
  if (!opts.calibration && prior.lnAgeingFactorSd > 0) {
    trajectory.sohP10Percent = bandSoh(m, prior.ageingFactorP90, app, env, horizonYears, stepsPerYear, n, out);
    trajectory.sohP90Percent = bandSoh(m, prior.ageingFactorP10, app, env, horizonYears, stepsPerYear, n, out);
  }
  projectInto(m, prior, app, env, horizonYears, stepsPerYear, out, 0, trajectory);
  return { trajectory, summary: summaryFromOut(m, app, env, out), ageingFactor: prior.ageingFactor };
}

/** SOH trajectory of `m` with its ageing factor set to `factor` (first life replayed with it). */
function bandSoh(m: ModuleState, factor: number, app: ApplicationSpec, env: Envelope, horizonYears: number, stepsPerYear: number, n: number, out: Float64Array): Float64Array {
  const prior = modulePrior(m, { calendar: factor, cycle: factor, cycleExponent: Number.NaN, lam: 1 });
  const t: Trajectory = {
    timeYears: new Float64Array(n),
    sohPercent: new Float64Array(n),
    resistanceMilliohm: new Float64Array(n),
    meanTemperatureC: new Float64Array(n),
    peakTemperatureC: new Float64Array(n),
    roundTripEfficiency: new Float64Array(n),
    cumulativeEnergyMwh: new Float64Array(n),
    sohP10Percent: null,
    sohP90Percent: null,
  };
  projectInto(m, prior, app, env, horizonYears, stepsPerYear, out, 0, t);
  return t.sohPercent;
}

/**
 * Summary-only projection for the matrix: writes the `OUT` scalars at `out[offset…]`.
 * Inputs are assumed validated (the matrix validates each module and application once).
 */
export function simulateSummaryInto(
  m: ModuleState,
  prior: ModulePrior,
  app: ApplicationSpec,
  env: Envelope,
  out: Float64Array,
  offset: number,
  horizonYears = DEFAULT_HORIZON_YEARS,
  stepsPerYear = DEFAULT_STEPS_PER_YEAR,
): void {
  projectInto(m, prior, app, env, horizonYears, stepsPerYear, out, offset, null);
}
