/** Public API of the solver library. */
export * from './problem.js';
export { Random } from './random.js';
export { createWorkerPool, moduleUrl, readWorkerNice, type WorkerPool, type WorkerTask, type WorkerPoolOptions, type RunOptions } from './pool.js';
export { runNsga2, type Nsga2Options, type Nsga2Result, type GenerationInfo, type SolutionSet } from './nsga2.js';
export { FRONT_SELECTIONS, isFrontSelection, defaultFrontSelection, archiveReferencePoint, DEFAULT_ARCHIVE_FACTOR, ARCHIVE_BUDGET_BYTES, type FrontSelection } from './front-selection.js';
export { hypervolumeGain, hypervolumeContributions, greedyHypervolumeSubset, type HypervolumeSubset } from './indicators/hypervolume-selection.js';
export { encodeCheckpoint, decodeCheckpoint, type Nsga2State } from './checkpoint.js';
export { ALGORITHM_NAMES, isAlgorithmName, type AlgorithmName, type AlgorithmState } from './algorithm.js';
export {
  dasDennis,
  dasDennisCount,
  twoLayerReferenceDirections,
  defaultReferenceDirections,
  defaultDasDennis,
  resolveReferenceDirections,
  binomialCoefficient,
  REFERENCE_DIRECTION_METHODS,
  type ReferenceDirectionsSpec,
  type ReferenceDirectionsOption,
} from './reference-directions.js';
export { rieszEnergyDirections, MAX_ENERGY_DIRECTIONS } from './riesz-energy-directions.js';
export { ReferencePointSurvival, type ReferencePointMemory } from './survival/reference-points.js';
export type { TerminationOptions, TerminationReason } from './termination.js';
export { dominates, constrainedDominates, totalViolation } from './constraints.js';
export { nonDominatedRanks, SortWorkspace } from './sorting/index.js';
export { crowdingDistance } from './crowding.js';
export { ParetoArchive, paretoDominates, crowdingDistances, type ParetoArchiveOptions, type ArchiveRows, type ArchiveContents } from './archive.js';
export { rankAndCrowd, SurvivalWorkspace, type PopulationArrays } from './survival.js';
export { sbx } from './operators/sbx.js';
export { polynomialMutation } from './operators/polynomial-mutation.js';
export { uniformCrossover, copyRow } from './operators/uniform-crossover.js';
export { randomReset } from './operators/random-reset.js';
export { sampleUniform } from './operators/sampling.js';
export * from './indicators/index.js';
export * from './problems/index.js';
