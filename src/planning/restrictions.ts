/**
 * Pinned and excluded modules of a run's input, resolved against the fleet, the applications and
 * the twin matrix. A pin holds a module to an application (and envelope); an exclusion keeps it
 * out of the allocation (reserved, held for tests: reported as not deployed). Every mistake is
 * found before anything runs and named: the module, the application or envelope, and why (the
 * twin's failing requirement, or the capacity the pins overrun).
 */
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import { matrixViolations, type TwinMatrix } from '../twin/matrix.js';
import type { ModulePin, TwinMatrixLike } from './allocation-types.js';
import type { AllocationRestrictions } from './allocation-problem.js';


export class RestrictionError extends Error {
  constructor(readonly problems: { field: string; message: string }[]) {
    super(`invalid pins or exclusions: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'RestrictionError';
  }
}

/** Index modules by serial and, when they carry one, by stored id. */
function moduleIndex(modules: readonly ModuleState[]): Map<string, number> {
  const byKey = new Map<string, number>();
  modules.forEach((m, i) => {
    byKey.set(m.serial, i);
    const id = (m as { id?: unknown }).id;
    if (typeof id === 'string') byKey.set(id, i);
  });
  return byKey;
}

export function resolveRestrictions(
  modules: readonly ModuleState[],
  apps: readonly ApplicationSpec[],
  matrix: TwinMatrixLike,
  pins: readonly ModulePin[],
  excluded: readonly string[],
): AllocationRestrictions {
  if (pins.length === 0 && excluded.length === 0) return {};
  const problems: { field: string; message: string }[] = [];
  const byKey = moduleIndex(modules);
  const { nApps, nEnvelopes } = matrix;
  const excludedIdx: number[] = [];
  const seen = new Map<number, string>();
  excluded.forEach((key, i) => {
    const m = byKey.get(key);
    if (m === undefined) problems.push({ field: `excluded[${i}]`, message: `module "${key}" is not in the fleet` });
    else if (seen.has(m)) problems.push({ field: `excluded[${i}]`, message: `module ${modules[m].serial} is listed twice` });
    else {
      seen.set(m, 'excluded');
      excludedIdx.push(m);
    }
  });
  const resolved: { module: number; app: number; env: number }[] = [];
  const pinnedKwh = new Float64Array(nApps);
  const pinnedBy: string[][] = apps.map(() => []);
  pins.forEach((pin, i) => {
    const field = `pins[${i}]`;
    const m = byKey.get(pin.module);
    if (m === undefined) return void problems.push({ field, message: `module "${pin.module}" is not in the fleet` });
    const serial = modules[m].serial;
    if (seen.get(m) === 'excluded') return void problems.push({ field, message: `module ${serial} is both pinned and excluded` });
    if (seen.has(m)) return void problems.push({ field, message: `module ${serial} is pinned twice` });
    const a = apps.findIndex((x) => x.id === pin.application || x.name === pin.application);
    if (a < 0) return void problems.push({ field, message: `module ${serial}: application "${pin.application}" is not one of this run's applications (${apps.map((x) => x.id).join(', ')})` });
    const app = apps[a];
    let e: number;
    if (pin.envelope !== undefined) {
      e = app.envelopes.findIndex((x) => x.name === pin.envelope);
      if (e < 0) return void problems.push({ field, message: `module ${serial}: ${app.id} has no envelope "${pin.envelope}" (it has ${app.envelopes.map((x) => x.name).join(', ')})` });
      const i2 = (m * nApps + a) * nEnvelopes + e;
      if (matrix.feasible[i2] !== 1 || !(matrix.usableEnergyKwh[i2] > 0)) {
        return void problems.push({ field, message: `module ${serial} cannot be pinned to ${app.id} / ${pin.envelope}: ${why(matrix, modules, apps, i2)}` });
      }
    } else {
      // The feasible envelope with the most storage-years.
      e = -1;
      let best = -Infinity;
      for (let k = 0; k < app.envelopes.length; k++) {
        const i2 = (m * nApps + a) * nEnvelopes + k;
        if (matrix.feasible[i2] !== 1 || !(matrix.usableEnergyKwh[i2] > 0)) continue;
        const v = rulYearsStorage(matrix, i2);
        if (v > best) {
          best = v;
          e = k;
        }
      }
      if (e < 0) {
        const reasons = app.envelopes.map((env, k) => `${env.name}: ${why(matrix, modules, apps, (m * nApps + a) * nEnvelopes + k)}`).join('; ');
        return void problems.push({ field, message: `module ${serial} cannot be pinned to ${app.id}: no envelope is feasible (${reasons})` });
      }
    }
    seen.set(m, 'pinned');
    resolved.push({ module: m, app: a, env: e });
    pinnedKwh[a] += matrix.usableEnergyKwh[(m * nApps + a) * nEnvelopes + e];
    pinnedBy[a].push(serial);
  });
  apps.forEach((app, a) => {
    // Rounded as the problem rounds (kWh up to the millionth), so that what passes here passes there.
    if (pinnedKwh[a] > app.capacityLimitKwh) {
      const list = pinnedBy[a].length > 8 ? `${pinnedBy[a].slice(0, 8).join(', ')} … (${pinnedBy[a].length} modules)` : pinnedBy[a].join(', ');
      problems.push({
        field: 'pins',
        message: `modules pinned to ${app.id} (${list}) need ${pinnedKwh[a].toFixed(2)} kWh, over its capacity limit of ${app.capacityLimitKwh} kWh`,
      });
    }
  });
  if (problems.length > 0) throw new RestrictionError(problems);
  return { pins: resolved, excluded: excludedIdx };
}

function why(matrix: TwinMatrixLike, modules: readonly ModuleState[], apps: readonly ApplicationSpec[], index: number): string {
  const full = matrix as Partial<TwinMatrix>;
  if (full.violationMask && full.endOfLifeReason) {
    const v = matrixViolations(full as TwinMatrix, modules, apps, index);
    if (v.length > 0) return v.map((x) => x.reason).join('; ');
  }
  if (!(matrix.usableEnergyKwh[index] > 0)) return 'it would store no energy there';
  return 'the twin finds it infeasible there';
}

function rulYearsStorage(matrix: TwinMatrixLike, index: number): number {
  return matrix.usableEnergyKwh[index] * matrix.rulYears[index];
}
