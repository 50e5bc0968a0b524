/**
 * Per-module calibration from second-life capacity checks. The module's whole life is one
 * history on the equivalent-full-cycle axis: new (relative capacity 1 at cycle 0, implicit),
 * retirement (its SOH at `cycleCount`), then each check at `cycleCount + cycle` (cycle counted
 * from arrival; a check with only `timeDays` is placed at the module's first-life cycling pace,
 * an approximation stated here). The fitted factors replace the first-life ageing factor and
 * projections start from the latest check. The BLAST form (calibration/blast-form.ts) is used,
 * not the line: only a model of the stressors can carry the module's own rate to the duty of
 * another application.
 */
import { calibrate } from './calibration/calibrate.js';
import type { CapacityCheck } from './calibration/history.js';
import { moduleAtLatestCheck, parseModuleCalibration, type ModuleCalibration } from './calibration/stored.js';
import { EV_FIRST_LIFE as EV } from './chemistry.js';
import { simulate, type SimulateOptions, type TwinProjection } from './simulate.js';
import type { ApplicationSpec, Envelope, ModuleState } from './types.js';
import { TwinInputError, validateModule } from './validate.js';

export interface ModuleMeasurement {
  /** Equivalent full cycles since the module arrived (second life). */
  cycle?: number | null;
  /** Days since the module arrived. */
  timeDays?: number | null;
  capacityAh: number;
  resistanceMilliohm?: number | null;
  temperatureC?: number | null;
}

export { moduleAtLatestCheck, parseModuleCalibration, type ModuleCalibration };

function firstLifeYears(m: ModuleState): number {
  return m.ageYears && m.ageYears > 0 ? m.ageYears : Math.max(m.cycleCount / EV.efcPerYear, 0.25);
}

export function validateMeasurement(m: ModuleState, x: ModuleMeasurement, row = 1): void {
  const where = `measurement ${row}`;
  if (!(typeof x.capacityAh === 'number' && Number.isFinite(x.capacityAh))) throw new TwinInputError(`${where}: capacityAh must be a number`);
  if (x.capacityAh <= 0) throw new TwinInputError(`${where}: capacityAh must be positive, got ${x.capacityAh}`);
  if (x.capacityAh > 1.5 * m.nominalCapacityAh) {
    throw new TwinInputError(`${where}: capacityAh ${x.capacityAh} exceeds 1.5 × the nominal ${m.nominalCapacityAh} Ah`);
  }
  if (x.cycle == null && x.timeDays == null) throw new TwinInputError(`${where}: give cycle or timeDays`);
  if (x.cycle != null && !(Number.isFinite(x.cycle) && x.cycle >= 0)) throw new TwinInputError(`${where}: cycle must be ≥ 0, got ${x.cycle}`);
  if (x.timeDays != null && !(Number.isFinite(x.timeDays) && x.timeDays >= 0)) throw new TwinInputError(`${where}: timeDays must be ≥ 0, got ${x.timeDays}`);
  if (x.resistanceMilliohm != null && !(Number.isFinite(x.resistanceMilliohm) && x.resistanceMilliohm > 0)) {
    throw new TwinInputError(`${where}: resistanceMilliohm must be positive, got ${x.resistanceMilliohm}`);
  }
  if (x.temperatureC != null && !(Number.isFinite(x.temperatureC) && x.temperatureC > -40 && x.temperatureC < 90)) {
    throw new TwinInputError(`${where}: temperatureC must be in (−40, 90), got ${x.temperatureC}`);
  }
}

export function calibrateModule(m: ModuleState, measurements: readonly ModuleMeasurement[]): ModuleCalibration {
  validateModule(m);
  if (measurements.length === 0) throw new TwinInputError(`module ${m.serial}: no measurements to calibrate on`);
  measurements.forEach((x, i) => validateMeasurement(m, x, i + 1));
  const years = firstLifeYears(m);
  const efcPerDay = m.cycleCount / (years * 365.25);
  const meanT = 0.5 * (m.temperatureMinC + m.temperatureMaxC);
  const rows = measurements.map((x) => ({
    index: m.cycleCount + (x.cycle ?? (x.timeDays ?? 0) * efcPerDay),
    q: x.capacityAh / m.nominalCapacityAh,
    t: x.temperatureC ?? null,
    days: x.timeDays ?? null,
    r: x.resistanceMilliohm ?? null,
  }));
  rows.push({ index: m.cycleCount, q: m.sohPercent / 100, t: null, days: 0, r: m.internalResistanceMilliohm });
  rows.sort((a, b) => a.index - b.index);
  // Checks at the same cycle index are averaged (repeat measurements).
  const history: CapacityCheck[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    let sum = 0;
    while (j < rows.length && rows[j]!.index - rows[i]!.index < 1e-9) sum += rows[j++]!.q;
    history.push({ cycle: Math.max(rows[i]!.index, 1e-6), relativeCapacity: sum / (j - i), temperatureC: rows[i]!.t });
    i = j;
  }
  const cal = calibrate(
    history,
    {
      chemistry: m.chemistry,
      temperatureC: meanT,
      dod: EV.depthOfDischarge,
      cRate: EV.cRate,
      cyclesPerDay: efcPerDay / EV.depthOfDischarge,
      socLow: EV.socMin,
      socHigh: EV.socMax,
      fitOffset: false,
      scaleKnee: false,
      // The projection needs the chemistry's stress model with fitted factors, not a cycle-only curve.
      form: 'blast',
    },
    { bootstrap: 0 },
  );
  const last = rows[rows.length - 1]!;
  let latestR: number | null = null;
  for (const r of rows) if (r.r != null && r.index >= last.index - 1e-9) latestR = r.r;
  const lastDays = rows.reduce((d, r) => Math.max(d, r.days ?? 0), 0);
  return {
    version: 1,
    factors: { ...cal.factors, lam: 1 },
    ageingFactor: cal.factors.cycle,
    cycleExponent: cal.factors.cycleExponent,
    rmsePct: cal.rmse * 100,
    points: history.length,
    latestCycleCount: last.index,
    latestSohPercent: Math.min(100, last.q * 100),
    latestResistanceMilliohm: latestR,
    latestAgeYears: m.ageYears ? m.ageYears + lastDays / 365.25 : null,
  };
}

/**
 * Projection of a module as the database stores it: from its latest check with its fitted factors
 * when it carries a calibration (recordMeasurement), otherwise from its retirement state. The twin
 * matrix (matrix.ts) starts stored modules the same way, so the figures of a chosen plan are the
 * ones the optimiser saw.
 */
export function simulateStoredModule(
  m: ModuleState & { calibration?: unknown },
  app: ApplicationSpec,
  env: Envelope,
  opts: Omit<SimulateOptions, 'calibration' | 'prior'> = {},
): TwinProjection & { calibrated: boolean } {
  const cal = parseModuleCalibration(m.calibration);
  const start = cal ? moduleAtLatestCheck(m, cal) : m;
  return { ...simulate(start, app, env, { ...opts, calibration: cal }), calibrated: cal !== null };
}
