/**
 * Checking a run's pins and exclusions before it is queued: the twin is computed for the pinned
 * modules only (a few simulations, not the fleet's matrix), and the same resolver the run uses
 * words every problem, so a request is refused for exactly the reasons the run would fail.
 */
import { computeTwinMatrixSync } from '../twin/matrix.js';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { ModulePin } from './allocation-types.js';
import { resolveRestrictions, RestrictionError } from './restrictions.js';

export function checkRestrictions(
  modules: readonly ModuleState[],
  apps: readonly ApplicationSpec[],
  pins: readonly ModulePin[],
  excluded: readonly string[],
): { field: string; message: string }[] {
  const byKey = new Map<string, ModuleState>();
  for (const m of modules) {
    byKey.set(m.serial, m);
    const id = (m as { id?: unknown }).id;
    if (typeof id === 'string') byKey.set(id, m);
  }
  const subset = [...new Set([...pins.map((p) => byKey.get(p.module)), ...excluded.map((k) => byKey.get(k))].filter((m): m is ModuleState => m !== undefined))];
  const matrix = computeTwinMatrixSync(subset, apps);
  try {
    resolveRestrictions(subset, apps, matrix, pins, excluded);
    return [];
  } catch (error) {
    if (error instanceof RestrictionError) return error.problems;
    throw error;
  }
}
