/**
 * The contract of the fleet-allocation layer: what `optimizeAllocation` takes and returns.
 * Jobs, the CLI and GraphQL call through these shapes; everything per module is a typed
 * array so that a 1 M-module plan stays a few MB per solution.
 */
import type { TwinMatrix } from '../twin/matrix.js';
import type { ApplicationSpec } from '../twin/types.js';
import type { ExactOptions } from './exact/anchors.js';
import type { Nsga2State } from '../solver/index.js';

/**
 * The twin matrix as the planner reads it: one entry per module × application × envelope at
 * index `(module * nApps + app) * nEnvelopes + envelope`. Applications with fewer envelopes than
 * `nEnvelopes` mark the missing slots infeasible. `computeTwinMatrix` (twin-matrix.ts) returns
 * a structure of this shape; a hand-built one is equally valid input.
 */
export type TwinMatrixLike = Omit<TwinMatrix, 'violationMask' | 'endOfLifeReason'>;

/** The three objectives in reporting order. Internally all are minimised (storage-years negated). */
export const OBJECTIVES = [
  {
    name: 'storageYears',
    unit: 'kWh·yr',
    sense: 'maximize',
    description: 'Σ over deployed modules of usable energy (kWh) × RUL in the assigned application (years)',
  },
  {
    name: 'fadePctPerYear',
    unit: '%/yr',
    sense: 'minimize',
    description:
      'usable-energy-weighted mean capacity fade rate of deployed modules; a plan deploying nothing scores EMPTY_PLAN_FADE_PCT_PER_YEAR',
  },
  {
    name: 'costUsd',
    unit: 'USD',
    sense: 'minimize',
    description:
      'Σ over deployed modules of repurposing + integration + thermal management + O&M over the service life − value of energy delivered (recycling = 0)',
  },
] as const;
export type ObjectiveName = (typeof OBJECTIVES)[number]['name'];

/** The two sum objectives, whose optimum an LP/MILP bounds (fade is a ratio: no bound reported). */
export type BoundedObjectiveName = 'storageYears' | 'costUsd';

/**
 * How far the front is from what is achievable on one sum objective: the one bound type of the
 * run's result, its progress (`ProgressBound`), RESULT.json, the CLI summary and the stored front
 * (the database keeps the same shape, `StoredObjectiveBound`, which it may not import from here;
 * `src/jobs/stored-front.ts` assigns one to the other, so the compiler holds them together).
 */
export interface ObjectiveBoundReport {
  objective: BoundedObjectiveName;
  /** Tightest proven bound (storage-years: upper, kWh·yr; cost: lower, USD); null when none was proven. */
  bound: number | null;
  /** The front's best value of that objective (null on an empty front). */
  bestOnFront: number | null;
  /** (bound − best) / |bound| in % for storage, (best − bound) / |bound| for cost; 0 = the front reaches the bound. */
  gapPercent: number | null;
  /** 'LP': the LP relaxation proved the bound; 'MILP': HiGHS's branch-and-bound proved a tighter one. */
  method: 'MILP' | 'LP' | null;
  /** The LP relaxation's value and the front's gap to it (equal to bound / gapPercent when method is LP). */
  lpBound: number | null;
  lpGapPercent: number | null;
  /** What was solved and what was not (time budget, HiGHS failure, infeasible ε …), in words. */
  note: string | null;
}

/** Per-generation progress, as the solver reports it. */
export interface AllocationProgress {
  generation: number;
  evaluations: number;
  /** Hypervolume of the run's archive of non-dominated plans (what it would return now), normalised box (0–1). */
  hypervolume: number;
  /** Plans in that archive. */
  frontSize: number;
  elapsedSeconds: number;
  /** The archive's best storage-years and cost against their bounds (absent when the exact step is off). */
  bounds?: ProgressBound[];
}

/** The part of a bound that progress reports every generation. */
export type ProgressBound = Pick<ObjectiveBoundReport, 'objective' | 'bound' | 'bestOnFront' | 'gapPercent'>;

/**
 * A module held to one application by the run's input. `module` is its serial (or stored id);
 * without `envelope`, the feasible envelope of that application with the most storage-years.
 */
export interface ModulePin {
  module: string;
  application: string;
  envelope?: string;
}

export type SurvivalAlgorithm = 'nsga2' | 'nsga3';

/** A resumable snapshot of a run (plain data: typed arrays + numbers; structured-cloneable). */
export interface AllocationCheckpoint {
  generation: number;
  evaluations: number;
  elapsedSeconds: number;
  /** Genes of the current population, `population × nModules`, option codes (see allocation-problem.ts). */
  genes: Uint8Array;
  population: number;
  nModules: number;
  /** PRNG state so that a resumed run continues the same random stream. */
  rngState: Uint32Array;
  /** Seed of the run the checkpoint belongs to (a resume with another seed is refused). */
  seed: number;
  /**
   * Crowding distances of the population as the solver left them (optional). Without them a
   * resume recomputes crowding over the saved population, which can differ in the last partial
   * front, so the resumed run is valid but no longer bit-identical to an uninterrupted one.
   */
  crowding?: Float64Array;
  /**
   * The run's archive of non-dominated plans, rows of nModules genes (optional). Without it a
   * resumed run reports the front it finds from the checkpoint on, plus the checkpoint population.
   */
  archiveGenes?: Uint8Array;
  /** The survival that wrote the checkpoint, and NSGA-III's normalisation memory (bit-for-bit resume). */
  algorithm?: SurvivalAlgorithm;
  referencePointMemory?: Nsga2State['referencePointMemory'];
}

export interface OptimizeAllocationOptions {
  population: number;
  generations: number;
  seed: number;
  /** Worker threads for the twin matrix (and evaluation where the solver uses them). Default 1. */
  workers?: number;
  /** A Piscina pool shared with the caller (takes precedence over `workers`). */
  pool?: unknown;
  /** A precomputed twin matrix for these modules × applications (skips the twin). */
  matrix?: TwinMatrixLike;
  /** Stop after this many seconds of optimisation (the front so far is returned). */
  timeLimitSeconds?: number;
  /** Cancellation: the run stops at the end of the current generation, `cancelled: true`. */
  signal?: AbortSignal;
  onGeneration?: (progress: AllocationProgress) => void | Promise<void>;
  /** Called every `checkpointEvery` generations (default 10) with a resumable snapshot. */
  onCheckpoint?: (checkpoint: AllocationCheckpoint) => void | Promise<void>;
  checkpointEvery?: number;
  /** Evaluate on the pool only from this many modules (default 20 000; below, threads cost more than they save). */
  parallelEvaluationMinModules?: number;
  /** Resume from a checkpoint of the same modules, applications, population and seed. */
  resumeFrom?: AllocationCheckpoint;
  /**
   * Survival of the evolutionary search: 'nsga2' (rank and crowding, default; see
   * docs/allocation.md for the measurement behind the default) or 'nsga3' (reference points).
   */
  algorithm?: SurvivalAlgorithm;
  /** Modules held to an application (validated: feasible per the twin, within capacity). */
  pins?: readonly ModulePin[];
  /** Modules kept out of the allocation (reserved, held for tests), by serial or stored id: never deployed. */
  excluded?: readonly string[];
  /**
   * Exact anchor points and bounds (HiGHS; src/planning/exact). Default on with its default
   * budget; `false` runs the evolutionary search alone (no bounds reported).
   */
  exact?: false | ExactOptions;
}

/** One plan: per module the application index (-1 = recycle) and the envelope index (-1 = none). */
export interface AllocationPlan {
  applicationIndex: Int16Array;
  envelopeIndex: Int8Array;
}

export interface FrontSolution extends AllocationPlan {
  /** In OBJECTIVES order and natural sense: [storageYears kWh·yr, fade %/yr, cost USD]. */
  objectives: [number, number, number];
  knee: boolean;
}

export interface StrategyMetrics {
  strategy: 'static' | 'adaptive' | 'nsga2-knee';
  modules: number;
  deployed: number;
  recycled: number;
  /** Deployed modules whose assignment meets every twin requirement and whose application is within capacity, % of all modules. */
  correctPercent: number;
  /** Deployed modules violating a twin requirement or sitting in an over-capacity application, % of all modules. */
  misallocatedPercent: number;
  /** Mean RUL (years) of deployed modules. */
  meanLifespanYears: number;
  /** Mean fade rate (%/yr) of deployed modules, unweighted (Table 6 style) … */
  meanFadePctPerYear: number;
  /** … and the energy-weighted one the optimiser minimises. */
  energyWeightedFadePctPerYear: number;
  meanRoundTripEfficiency: number;
  storageYearsKwhYr: number;
  costUsd: number;
  deployedEnergyKwh: number;
  /** Per application: deployed kWh against the limit. */
  applicationLoads: { applicationId: string; deployedKwh: number; capacityLimitKwh: number; modules: number }[];
}

export interface BaselinePlan extends AllocationPlan {
  objectives: [number, number, number];
  /** True when the plan meets every capacity limit and feasibility rule. */
  feasible: boolean;
  metrics: StrategyMetrics;
}

/**
 * The twin figures a run planned with: its matrix (with the violation bits when the twin computed
 * it) and the cost of every entry. Plans, their reasons and exports are read from these, so that
 * they carry the numbers the optimiser scored and nothing is simulated again.
 */
export interface PlanningFigures {
  matrix: TwinMatrixLike & Partial<Pick<TwinMatrix, 'violationMask' | 'endOfLifeReason'>>;
  pairCostUsd: Float64Array;
}

export interface AllocationResult {
  modules: string[];
  applications: ApplicationSpec[];
  /** Envelope names per application (index as in `envelopeIndex`). */
  envelopeNames: string[][];
  front: FrontSolution[];
  kneeIndex: number;
  baselines: { static: BaselinePlan; adaptive: BaselinePlan };
  /** Table 5/6 metrics for static, adaptive and the NSGA-II knee (knee row absent if the front is empty). */
  comparison: StrategyMetrics[];
  /** The figures the run scored its plans with (not serialised into RESULT.json). */
  figures: PlanningFigures;
  /** Each sum objective's bound and the front's gap to it (empty when the exact step is off). */
  bounds: ObjectiveBoundReport[];
  /** What the exact step did: plans it seeded, notes (skipped points, degradations). */
  exact: { anchors: number; notes: string[] } | null;
  /** Modules pinned and excluded by the run's input. */
  restrictions: { pinned: number; excluded: number };
  stats: {
    evaluations: number;
    generations: number;
    seconds: number;
    twinMatrixSeconds: number;
    /** Wall time of the exact step (included in `seconds`). */
    exactSeconds: number;
    hypervolume: number;
    cancelled: boolean;
  };
}

/**
 * The library entry point (implemented in optimize.ts):
 * `optimizeAllocation(modules: ModuleState[], apps: ApplicationSpec[], options): Promise<AllocationResult>`.
 */
