/**
 * The two evolutionary algorithms the solver runs, each a pair (mating selection, survival) on
 * the same loop of sampling → evaluation → [selection → crossover → mutation → repair →
 * evaluation → survival]*:
 * - 'nsga2' (Deb, Pratap, Agarwal & Meyarivan 2002, IEEE TEC 6(2) 182–197): binary tournament
 *   on rank then crowding distance; rank-and-crowding survival (survival.ts).
 * - 'nsga3' (Deb & Jain 2014, IEEE TEVC 18(4) 577–601; Jain & Deb 2014, 602–622): binary
 *   tournament on feasibility then a coin flip; reference-point survival
 *   (survival/reference-points.ts) on structured reference directions (reference-directions.ts).
 */
import type { Random } from './random.js';
import { rankAndCrowd, survive, SurvivalWorkspace, type PopulationArrays } from './survival.js';
import { ReferencePointSurvival, type ReferencePointMemory } from './survival/reference-points.js';
import { binaryTournament, feasibilityTournament } from './operators/tournament.js';
import { resolveReferenceDirections, type ReferenceDirectionsOption } from './reference-directions.js';

export type AlgorithmName = 'nsga2' | 'nsga3';
export const ALGORITHM_NAMES: readonly AlgorithmName[] = ['nsga2', 'nsga3'];

export function isAlgorithmName(name: unknown): name is AlgorithmName {
  return typeof name === 'string' && (ALGORITHM_NAMES as readonly string[]).includes(name);
}

/** What a checkpoint stores of the algorithm (beyond population, counters and PRNG). */
export interface AlgorithmState {
  algorithm?: AlgorithmName;
  /** nsga3: the directions (count × M, row-major) and the normalisation memory (null before any feasible member). */
  referenceDirections?: number[];
  referencePointMemory?: ReferencePointMemory | null;
}

export interface Algorithm {
  readonly name: AlgorithmName;
  /** nsga3: the reference directions in use (count × M). */
  readonly referenceDirections: Float64Array | null;
  /** Ranks rows [0, n) of the initial population (all survive). */
  rankInitial(pop: PopulationArrays, n: number, rng: Random): void;
  /** Mating selection: `count` parent rows of the n parents into winners. */
  select(pop: PopulationArrays, n: number, winners: Int32Array, count: number, perm: Int32Array, rng: Random): void;
  /** Keeps `keep` of rows [0, total) in rows [0, keep). */
  survive(pop: PopulationArrays, total: number, keep: number, rng: Random): void;
  state(): AlgorithmState;
}

export interface AlgorithmOptions {
  algorithm?: AlgorithmName;
  /**
   * nsga3: Das–Dennis partitions H, `{ method: 'das-dennis', partitions }`, `{ method: 'energy',
   * count, seed? }` (Riesz s-energy), or explicit directions (count × M); default: see
   * defaultReferenceDirections.
   */
  referenceDirections?: ReferenceDirectionsOption;
}

/** The algorithm of a run: from the options, or from the checkpoint it resumes (which must agree). */
export function createAlgorithm(options: AlgorithmOptions, nObj: number, populationSize: number, rows: number, resume?: AlgorithmState): Algorithm {
  if (options.algorithm !== undefined && !isAlgorithmName(options.algorithm)) {
    throw new Error(`algorithm must be one of ${ALGORITHM_NAMES.join(', ')}, got "${String(options.algorithm)}"`);
  }
  if (resume?.algorithm !== undefined && options.algorithm !== undefined && resume.algorithm !== options.algorithm) {
    throw new Error(`resumeFrom: the checkpoint was written by ${resume.algorithm}, the run asks for ${options.algorithm}`);
  }
  const name = options.algorithm ?? resume?.algorithm ?? 'nsga2';
  const ws = new SurvivalWorkspace(rows);
  if (name === 'nsga2') {
    if (options.referenceDirections !== undefined) throw new Error("referenceDirections: only algorithm 'nsga3' uses reference directions");
    return {
      name,
      referenceDirections: null,
      rankInitial: (pop, n) => void rankAndCrowd(pop, n, ws),
      select: (pop, n, winners, count, perm, rng) => binaryTournament(pop.rank, pop.crowding, n, winners, count, perm, rng),
      survive: (pop, total, keep) => survive(pop, total, keep, ws),
      state: () => ({ algorithm: name }),
    };
  }
  let directions: Float64Array;
  if (resume?.referenceDirections) {
    directions = Float64Array.from(resume.referenceDirections);
    if (options.referenceDirections !== undefined) {
      const asked = resolveReferenceDirections(options.referenceDirections, nObj, populationSize).directions;
      if (asked.length !== directions.length || asked.some((v, i) => v !== directions[i])) {
        throw new Error(`resumeFrom: the checkpoint's ${directions.length / nObj} reference directions differ from the ${asked.length / nObj} the run asks for`);
      }
    }
  } else {
    directions = resolveReferenceDirections(options.referenceDirections, nObj, populationSize).directions;
  }
  const survival = new ReferencePointSurvival(directions, nObj, rows, resume?.referencePointMemory ?? null);
  return {
    name,
    referenceDirections: directions,
    rankInitial: (pop, n, rng) => survival.survive(pop, n, n, ws, rng),
    select: (pop, n, winners, count, perm, rng) => feasibilityTournament(pop.cv, n, winners, count, perm, rng),
    survive: (pop, total, keep, rng) => survival.survive(pop, total, keep, ws, rng),
    state: () => ({
      algorithm: name,
      referenceDirections: Array.from(directions),
      referencePointMemory: survival.memory ? structuredClone(survival.memory) : null,
    }),
  };
}
