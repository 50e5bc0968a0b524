/**
 * When a run stops: generation count (pymoo's convention: the initial population is generation
 * 1, so evaluations = populationSize × generations), evaluation budget, wall-time budget, or
 * stagnation of the hypervolume over a window of generations.
 */

export type TerminationReason = 'generations' | 'evaluations' | 'time' | 'stagnation' | 'cancelled';

export interface TerminationOptions {
  generations?: number;
  /** Checked after each generation: the run may exceed it by less than one generation of offspring. */
  maxEvaluations?: number;
  /** Wall-time budget, checked between generations. */
  maxSeconds?: number;
  /** Stop when the hypervolume grew by at most `tolerance` (relative) over the last `generations`. */
  stagnation?: { generations: number; tolerance?: number };
}

export interface ProgressState {
  generation: number;
  evaluations: number;
  elapsedSeconds: number;
  /** Hypervolume after each generation so far (index 0 = generation 1). */
  hypervolumeHistory: readonly number[];
}

export function validateTermination(t: TerminationOptions): void {
  const { generations, maxEvaluations, maxSeconds, stagnation } = t;
  if (generations === undefined && maxEvaluations === undefined && maxSeconds === undefined && stagnation === undefined) {
    throw new Error('termination: give at least one of generations, maxEvaluations, maxSeconds, stagnation');
  }
  if (generations !== undefined && !(Number.isInteger(generations) && generations >= 1)) throw new Error(`termination: generations must be an integer ≥ 1, got ${generations}`);
  if (maxEvaluations !== undefined && !(maxEvaluations > 0)) throw new Error(`termination: maxEvaluations must be > 0, got ${maxEvaluations}`);
  if (maxSeconds !== undefined && !(maxSeconds > 0)) throw new Error(`termination: maxSeconds must be > 0, got ${maxSeconds}`);
  if (stagnation !== undefined && !(Number.isInteger(stagnation.generations) && stagnation.generations >= 1)) {
    throw new Error(`termination: stagnation.generations must be an integer ≥ 1, got ${stagnation.generations}`);
  }
}

/** The reason to stop now, or null to continue. */
export function shouldTerminate(t: TerminationOptions, s: ProgressState): TerminationReason | null {
  if (t.generations !== undefined && s.generation >= t.generations) return 'generations';
  if (t.maxEvaluations !== undefined && s.evaluations >= t.maxEvaluations) return 'evaluations';
  if (t.maxSeconds !== undefined && s.elapsedSeconds >= t.maxSeconds) return 'time';
  if (t.stagnation) {
    const w = t.stagnation.generations;
    const h = s.hypervolumeHistory;
    if (h.length > w) {
      const now = h[h.length - 1];
      const then = h[h.length - 1 - w];
      const tolerance = t.stagnation.tolerance ?? 1e-4;
      if (now - then <= tolerance * Math.max(Math.abs(then), Number.MIN_VALUE)) return 'stagnation';
    }
  }
  return null;
}
