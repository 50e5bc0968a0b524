/**
 * Bounds of an optimisation run's inputs, the same for `startOptimization` and `relife optimize`:
 * absurd sizes are refused before anything is computed or queued.
 */
import type { Problem } from './problem.js';

export const RUN_LIMITS = {
  populationMin: 4,
  populationMax: 10_000,
  generationsMin: 1,
  generationsMax: 100_000,
  /** Seeds are stored as PostgreSQL `integer`. */
  seedMin: 0,
  seedMax: 2 ** 31 - 1,
  workersMin: 1,
  workersMax: 64,
  timeLimitSecondsMax: 7 * 24 * 3600,
  /** population × modules held in memory at once (two populations of genes, typed arrays). */
  populationModulesMax: 500_000_000,
  /** Length of an idempotency key. */
  idempotencyKeyMaxLength: 200,
} as const;

export interface RunSizeInput {
  population: number;
  generations: number;
  seed: number;
  workers: number;
  timeLimitSeconds?: number | null;
  moduleCount?: number;
}

function range(field: string, value: number, min: number, max: number, integer = true): Problem | null {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    return { row: null, column: field, value: String(value), message: `must be ${integer ? 'a whole number ' : ''}between ${min} and ${max}, got ${value}` };
  }
  return null;
}

/** Every problem with the sizes of a run. */
export function runInputProblems(input: RunSizeInput): Problem[] {
  const out: (Problem | null)[] = [
    range('population', input.population, RUN_LIMITS.populationMin, RUN_LIMITS.populationMax),
    range('generations', input.generations, RUN_LIMITS.generationsMin, RUN_LIMITS.generationsMax),
    range('seed', input.seed, RUN_LIMITS.seedMin, RUN_LIMITS.seedMax),
    range('workers', input.workers, RUN_LIMITS.workersMin, RUN_LIMITS.workersMax),
  ];
  const t = input.timeLimitSeconds;
  if (t != null && !(t > 0 && t <= RUN_LIMITS.timeLimitSecondsMax)) {
    out.push({ row: null, column: 'timeLimitSeconds', value: String(t), message: `must be > 0 and ≤ ${RUN_LIMITS.timeLimitSecondsMax}, got ${t}` });
  }
  if (input.moduleCount != null && input.moduleCount * input.population > RUN_LIMITS.populationModulesMax) {
    out.push({
      row: null,
      column: 'population',
      value: String(input.population),
      message: `population ${input.population} × ${input.moduleCount} modules exceeds ${RUN_LIMITS.populationModulesMax} genes held in memory`,
    });
  }
  return out.filter((p): p is Problem => p !== null);
}
