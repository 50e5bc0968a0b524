/**
 * A module's calibration as the database stores it (JSON on the module row, written by
 * calibrateModule in module-calibration.ts), read back without loading the calibrator: the twin
 * matrix starts calibrated modules from their latest check with their fitted factors.
 */
import type { FadeFactors } from '../fade.js';
import type { ModuleState } from '../types.js';

export interface ModuleCalibration {
  version: 1;
  factors: FadeFactors;
  ageingFactor: number;
  cycleExponent: number;
  rmsePct: number;
  points: number;
  /** State at the latest check: where projections start. */
  latestCycleCount: number;
  latestSohPercent: number;
  latestResistanceMilliohm: number | null;
  latestAgeYears: number | null;
}

/** A stored calibration (database JSON) back into shape, or null when absent/foreign. */
export function parseModuleCalibration(json: unknown): ModuleCalibration | null {
  if (!json || typeof json !== 'object') return null;
  const c = json as Partial<ModuleCalibration>;
  if (c.version !== 1 || !c.factors || typeof c.latestSohPercent !== 'number' || typeof c.latestCycleCount !== 'number') return null;
  const f = c.factors;
  if (![f.calendar, f.cycle, f.cycleExponent].every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  return c as ModuleCalibration;
}

/** The module as of its latest check (start of a calibrated projection). */
export function moduleAtLatestCheck(m: ModuleState, cal: ModuleCalibration): ModuleState {
  return {
    ...m,
    sohPercent: cal.latestSohPercent,
    cycleCount: cal.latestCycleCount,
    internalResistanceMilliohm: cal.latestResistanceMilliohm ?? m.internalResistanceMilliohm,
    ageYears: cal.latestAgeYears ?? m.ageYears ?? null,
  };
}
