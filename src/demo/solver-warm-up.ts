/**
 * The allocation `relife serve` and `relife worker` solve once at start to warm the solver
 * (src/jobs/solver-warm-up.ts): 300 synthetic modules under the four default applications, with
 * capacity limits that bind as on a real fleet, so that the exact step takes the paths a large
 * run takes (Lagrangian cutting planes, rounding, the core MILP). Nothing of it is stored.
 * RELIFE_SOLVER_WARM_UP=0 turns it off.
 */
import type { StoredModule } from '../db/modules.js';
import type { ApplicationSpec } from '../twin/types.js';
import { DEFAULT_APPLICATIONS } from './default-applications.js';
import { generateSyntheticFleet } from './synthetic-fleet.js';

export const SOLVER_WARM_UP_MODULES = 300;

export interface WarmUpAllocation {
  modules: StoredModule[];
  apps: ApplicationSpec[];
}

export function solverWarmUp(): WarmUpAllocation {
  const modules = generateSyntheticFleet({ size: SOLVER_WARM_UP_MODULES, seed: 1, serialPrefix: 'WARM-UP-' }).map((m, i) => ({
    ...m,
    id: `warm-up-${i}`,
    fleetId: 'warm-up',
    calibration: null,
  }));
  // The default limits are sized for the 120-module demo fleet; scaled to this one so that they bind.
  const scale = SOLVER_WARM_UP_MODULES / 120;
  const apps = DEFAULT_APPLICATIONS.map((a) => ({ ...a, id: a.name, capacityLimitKwh: a.capacityLimitKwh * scale }));
  return { modules, apps };
}

/** `{ warmUp }` unless RELIFE_SOLVER_WARM_UP is 0, for the job service's options. */
export function solverWarmUpFromEnv(env: NodeJS.ProcessEnv = process.env): { warmUp?: WarmUpAllocation } {
  const raw = env.RELIFE_SOLVER_WARM_UP;
  if (raw === undefined || raw === '' || raw === '1') return { warmUp: solverWarmUp() };
  if (raw === '0') return {};
  throw new Error(`RELIFE_SOLVER_WARM_UP must be 0 or 1, got "${raw}"`);
}
