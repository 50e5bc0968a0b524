/**
 * The twin matrix: every module × application × envelope summarised in typed arrays at index
 * `(module * nApps + app) * nEnvelopes + envelope`. Applications with fewer envelopes than
 * `nEnvelopes` have their missing slots marked infeasible with the PADDING bit.
 *
 * Modules travel as columns (`PackedModules`) so that worker threads can share them on a
 * SharedArrayBuffer; `computeTwinMatrixRange` fills a module range of a matrix in place.
 * Modules carrying a stored `calibration` (database rows after `recordMeasurement`) are
 * projected from their latest check with their fitted factors.
 */
import { moduleAtLatestCheck, parseModuleCalibration } from './calibration/stored.js';
import { modulePrior, type ModulePrior } from './prior.js';
import { OUT, describeViolations, projectInto, resolveDuty, DEFAULT_HORIZON_YEARS, DEFAULT_STEPS_PER_YEAR, type ResolvedDuty } from './simulate.js';
import { CHEMISTRIES, type ApplicationSpec, type Chemistry, type ModuleState, type Violation } from './types.js';
import { validateApplication, validateModule } from './validate.js';

export interface TwinMatrix {
  nModules: number;
  nApps: number;
  nEnvelopes: number;
  usableEnergyKwh: Float64Array;
  rulYears: Float64Array;
  fadePctPerYear: Float64Array;
  lifetimeEnergyMwh: Float64Array;
  peakTemperatureC: Float64Array;
  roundTripEfficiency: Float64Array;
  /** 1 when the module meets every requirement of the application under that envelope. */
  feasible: Uint8Array;
  /** Bits of VIOLATION_BITS (simulate.ts), plus MATRIX_PADDING_BIT for missing envelopes. */
  violationMask: Uint8Array;
  /** Index into END_REASONS (SOH, RESISTANCE, THERMAL, HORIZON). */
  endOfLifeReason: Uint8Array;
}

/** Set on slots past an application's last envelope. */
export const MATRIX_PADDING_BIT = 128;

export interface PackedModules {
  n: number;
  chemistry: Uint8Array; // index into CHEMISTRIES
  nominalCapacityAh: Float64Array;
  nominalVoltageV: Float64Array;
  sohPercent: Float64Array;
  internalResistanceMilliohm: Float64Array;
  temperatureMinC: Float64Array;
  temperatureMaxC: Float64Array;
  cycleCount: Float64Array;
  /** NaN when unknown. */
  ageYears: Float64Array;
  /** Fitted factors of calibrated modules (NaN when the module is not calibrated). */
  calibrationCalendar: Float64Array;
  calibrationCycle: Float64Array;
  calibrationExponent: Float64Array;
}

export interface MatrixOptions {
  horizonYears?: number;
  stepsPerYear?: number;
  /** Allocate on SharedArrayBuffer so worker threads can write into the same arrays. */
  shared?: boolean;
}

function f64(n: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}
function u8(n: number, shared: boolean): Uint8Array {
  return shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n);
}

export function envelopeSlots(apps: readonly ApplicationSpec[]): number {
  let n = 0;
  for (const a of apps) n = Math.max(n, a.envelopes.length);
  return n;
}

export function allocateTwinMatrix(nModules: number, nApps: number, nEnvelopes: number, shared = false): TwinMatrix {
  const n = nModules * nApps * nEnvelopes;
  return {
    nModules,
    nApps,
    nEnvelopes,
    usableEnergyKwh: f64(n, shared),
    rulYears: f64(n, shared),
    fadePctPerYear: f64(n, shared),
    lifetimeEnergyMwh: f64(n, shared),
    peakTemperatureC: f64(n, shared),
    roundTripEfficiency: f64(n, shared),
    feasible: u8(n, shared),
    violationMask: u8(n, shared),
    endOfLifeReason: u8(n, shared),
  };
}

export function packModules(modules: readonly ModuleState[], shared = false): PackedModules {
  const n = modules.length;
  const p: PackedModules = {
    n,
    chemistry: u8(n, shared),
    nominalCapacityAh: f64(n, shared),
    nominalVoltageV: f64(n, shared),
    sohPercent: f64(n, shared),
    internalResistanceMilliohm: f64(n, shared),
    temperatureMinC: f64(n, shared),
    temperatureMaxC: f64(n, shared),
    cycleCount: f64(n, shared),
    ageYears: f64(n, shared),
    calibrationCalendar: f64(n, shared),
    calibrationCycle: f64(n, shared),
    calibrationExponent: f64(n, shared),
  };
  for (let i = 0; i < n; i++) {
    const given = modules[i]!;
    validateModule(given);
    // A module stored with a calibration (recordMeasurement) is projected from its latest check.
    const cal = parseModuleCalibration((given as { calibration?: unknown }).calibration);
    const m = cal ? moduleAtLatestCheck(given, cal) : given;
    p.calibrationCalendar[i] = cal ? cal.factors.calendar : Number.NaN;
    p.calibrationCycle[i] = cal ? cal.factors.cycle : Number.NaN;
    p.calibrationExponent[i] = cal ? cal.factors.cycleExponent : Number.NaN;
    p.chemistry[i] = CHEMISTRIES.indexOf(m.chemistry);
    p.nominalCapacityAh[i] = m.nominalCapacityAh;
    p.nominalVoltageV[i] = m.nominalVoltageV;
    p.sohPercent[i] = m.sohPercent;
    p.internalResistanceMilliohm[i] = m.internalResistanceMilliohm;
    p.temperatureMinC[i] = m.temperatureMinC;
    p.temperatureMaxC[i] = m.temperatureMaxC;
    p.cycleCount[i] = m.cycleCount;
    p.ageYears[i] = m.ageYears ?? Number.NaN;
  }
  return p;
}

export function unpackModule(p: PackedModules, i: number): ModuleState {
  const age = p.ageYears[i]!;
  return {
    serial: `#${i}`,
    chemistry: CHEMISTRIES[p.chemistry[i]!] as Chemistry,
    nominalCapacityAh: p.nominalCapacityAh[i]!,
    nominalVoltageV: p.nominalVoltageV[i]!,
    sohPercent: p.sohPercent[i]!,
    internalResistanceMilliohm: p.internalResistanceMilliohm[i]!,
    temperatureMinC: p.temperatureMinC[i]!,
    temperatureMaxC: p.temperatureMaxC[i]!,
    cycleCount: p.cycleCount[i]!,
    ageYears: Number.isNaN(age) ? null : age,
  };
}

/**
 * Fill modules [start, end) of `matrix` (which must be sized for all of `packed` × `apps`).
 *
 * Each module's prior (first-life replay) is computed once; then application × envelope by
 * application × envelope, the duty is resolved once and every module of the range is projected
 * under it, one chemistry model after the other. Projections under one duty and model share a
 * rate table and a stretch table (simulate.ts, fade.ts), which stay in cache that way instead of
 * being switched at every projection; the numbers do not depend on the order.
 */
export function computeTwinMatrixRange(
  packed: PackedModules,
  apps: readonly ApplicationSpec[],
  matrix: TwinMatrix,
  start: number,
  end: number,
  opts: MatrixOptions = {},
): void {
  const horizon = opts.horizonYears ?? DEFAULT_HORIZON_YEARS;
  const stepsPerYear = opts.stepsPerYear ?? DEFAULT_STEPS_PER_YEAR;
  const nApps = apps.length;
  const nEnv = matrix.nEnvelopes;
  const out = new Float64Array(OUT.size);
  const count = Math.max(0, end - start);
  // Range positions grouped by chemistry (stable within a chemistry).
  const order = new Int32Array(count);
  let filled = 0;
  for (let c = 0; c < CHEMISTRIES.length; c++) {
    for (let i = 0; i < count; i++) if (packed.chemistry[start + i] === c) order[filled++] = i;
  }
  for (let i = 0; i < count && filled < count; i++) {
    const c = packed.chemistry[start + i]!;
    if (!(c < CHEMISTRIES.length)) order[filled++] = i;
  }
  const duties: (ResolvedDuty | null)[] = [];
  for (let a = 0; a < nApps; a++) {
    for (let e = 0; e < nEnv; e++) {
      const env = apps[a]!.envelopes[e];
      duties.push(env ? resolveDuty(apps[a]!, env) : null);
    }
  }
  // Module and prior objects exist for one block at a time: for a whole range they cost hundreds
  // of MiB at a million modules.
  const modules: ModuleState[] = new Array(MODULE_BLOCK);
  const priors: ModulePrior[] = new Array(MODULE_BLOCK);
  for (let from = 0; from < count; from += MODULE_BLOCK) {
    const to = Math.min(count, from + MODULE_BLOCK);
    for (let k = from; k < to; k++) {
      const mi = start + order[k]!;
      const m = unpackModule(packed, mi);
      const calCycle = packed.calibrationCycle[mi]!;
      modules[k - from] = m;
      priors[k - from] = Number.isNaN(calCycle)
        ? modulePrior(m)
        : modulePrior(m, { calendar: packed.calibrationCalendar[mi]!, cycle: calCycle, cycleExponent: packed.calibrationExponent[mi]!, lam: 1 });
    }
    fillBlock(modules, priors, order, from, to, start, apps, duties, matrix, horizon, stepsPerYear, out);
  }
}

/**
 * Modules are projected in blocks of this many (positions in the chemistry order): each block under
 * every application × envelope in turn, so that the block's module and prior objects stay in the
 * core's cache across the duties while a duty's tables stay in use across the block.
 */
const MODULE_BLOCK = 128;

/** Projects block positions [from, to) of `order`; `modules` and `priors` hold that block, from index 0. */
function fillBlock(
  modules: readonly ModuleState[],
  priors: readonly ModulePrior[],
  order: Int32Array,
  from: number,
  to: number,
  start: number,
  apps: readonly ApplicationSpec[],
  duties: readonly (ResolvedDuty | null)[],
  matrix: TwinMatrix,
  horizon: number,
  stepsPerYear: number,
  out: Float64Array,
): void {
  const nApps = apps.length;
  const nEnv = matrix.nEnvelopes;
  for (let a = 0; a < nApps; a++) {
    const app = apps[a]!;
    for (let e = 0; e < nEnv; e++) {
      const env = app.envelopes[e];
      const duty = duties[a * nEnv + e];
      if (!env || !duty) {
        for (let k = from; k < to; k++) {
          const i = order[k]!;
          const idx = ((start + i) * nApps + a) * nEnv + e;
          matrix.feasible[idx] = 0;
          matrix.violationMask[idx] = MATRIX_PADDING_BIT;
          matrix.rulYears[idx] = 0;
          matrix.usableEnergyKwh[idx] = 0;
          matrix.fadePctPerYear[idx] = 0;
          matrix.lifetimeEnergyMwh[idx] = 0;
          matrix.peakTemperatureC[idx] = 0;
          matrix.roundTripEfficiency[idx] = 0;
          matrix.endOfLifeReason[idx] = 0;
        }
        continue;
      }
      for (let k = from; k < to; k++) {
        const i = order[k]!;
        const idx = ((start + i) * nApps + a) * nEnv + e;
        projectInto(modules[k - from]!, priors[k - from]!, app, env, horizon, stepsPerYear, out, 0, null, undefined, duty);
        matrix.rulYears[idx] = out[OUT.rulYears]!;
        matrix.fadePctPerYear[idx] = out[OUT.fadePctPerYear]!;
        matrix.lifetimeEnergyMwh[idx] = out[OUT.lifetimeEnergyMwh]!;
        matrix.peakTemperatureC[idx] = out[OUT.peakTemperatureC]!;
        matrix.roundTripEfficiency[idx] = out[OUT.roundTripEfficiency]!;
        matrix.usableEnergyKwh[idx] = out[OUT.usableEnergyKwh]!;
        matrix.endOfLifeReason[idx] = out[OUT.endReason]!;
        const mask = out[OUT.violationMask]!;
        matrix.violationMask[idx] = mask;
        matrix.feasible[idx] = mask === 0 ? 1 : 0;
      }
    }
  }
}

export function validateApplications(apps: readonly ApplicationSpec[]): void {
  if (apps.length === 0) throw new Error('twin matrix: no applications');
  for (const a of apps) validateApplication(a);
}

/** Single-threaded matrix (the planning layer adds the worker-pool version). */
export function computeTwinMatrixSync(modules: readonly ModuleState[], apps: readonly ApplicationSpec[], opts: MatrixOptions = {}): TwinMatrix {
  validateApplications(apps);
  const packed = packModules(modules);
  const matrix = allocateTwinMatrix(modules.length, apps.length, envelopeSlots(apps), opts.shared ?? false);
  computeTwinMatrixRange(packed, apps, matrix, 0, modules.length, opts);
  return matrix;
}

/**
 * Why a matrix slot is infeasible, in words. Re-derives the texts from the stored mask and
 * numbers; padded slots report the missing envelope.
 */
export function matrixViolations(matrix: TwinMatrix, modules: readonly ModuleState[], apps: readonly ApplicationSpec[], index: number): Violation[] {
  const e = index % matrix.nEnvelopes;
  const a = Math.floor(index / matrix.nEnvelopes) % matrix.nApps;
  const mi = Math.floor(index / (matrix.nEnvelopes * matrix.nApps));
  const app = apps[a]!;
  const env = app.envelopes[e];
  const m = modules[mi]!;
  if (!env || matrix.violationMask[index]! & MATRIX_PADDING_BIT) {
    return [{ requirement: 'MIN_SERVICE_YEARS', reason: `application ${app.name} has no envelope #${e + 1} (padding slot)` }];
  }
  const out = new Float64Array(OUT.size);
  out[OUT.violationMask] = matrix.violationMask[index]!;
  out[OUT.rulYears] = matrix.rulYears[index]!;
  out[OUT.endReason] = matrix.endOfLifeReason[index]!;
  out[OUT.initialPeakTemperatureC] = matrix.peakTemperatureC[index]!;
  return describeViolations(m, app, env, out);
}
