/**
 * NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, IEEE TEC 6(2) 182–197) and NSGA-III (Deb & Jain
 * 2014, IEEE TEVC 18(4) 577–601) as a short composition: sampling → evaluation → [mating
 * selection → crossover → mutation → repair → evaluation → (μ+λ) survival]*, where selection and
 * survival are the algorithm's (algorithm.ts: rank-and-crowding or reference-point). All randomness comes from one seeded PRNG on the calling
 * thread, and evaluation is a pure function of each row, so the same seed gives the same front
 * bit for bit with 0, 1 or N worker threads, and a run resumed from a checkpoint continues
 * exactly as the uninterrupted run would have.
 */
import {
  allocateGenome,
  validateProblem,
  sharedFloat64,
  sharedInt32,
  type CrossoverOperator,
  type Genome,
  type MutationOperator,
  type Problem,
} from './problem.js';
import { Random } from './random.js';
import { createWorkerPool, type WorkerPool } from './pool.js';
import { evaluatePopulation, type RangeRequest } from './evaluation.js';
import { totalViolation } from './constraints.js';
import type { PopulationArrays } from './survival.js';
import { createAlgorithm, type AlgorithmName, type AlgorithmOptions } from './algorithm.js';
import { sampleUniform } from './operators/sampling.js';
import { hypervolume } from './indicators/hypervolume.js';
import { shouldTerminate, validateTermination, type TerminationOptions, type TerminationReason } from './termination.js';
import { assertStateMatches, type Nsga2State } from './checkpoint.js';
import { seedRows, defaultReferencePoint, gatherFront, countFirstFront, firstFrontRows, extractRows, type SolutionSet } from './population.js';
import { defaultCrossover, defaultMutation } from './operators/defaults.js';
import { ParetoArchive } from './archive.js';
import { resolveFrontSelection, selectFront, type FrontSelection } from './front-selection.js';

export interface GenerationInfo<G extends Genome = Genome> {
  /** Generations completed; the initial population is generation 1. */
  generation: number;
  evaluations: number;
  /** Hypervolume of the feasible first front w.r.t. the run's reference point (NaN beyond 3 objectives). */
  hypervolume: number;
  frontSize: number;
  elapsedSeconds: number;
  /** A copy of the state to checkpoint (costs a copy of the population; call only when storing it). */
  snapshot(): Nsga2State<G>;
  /**
   * Live views of the current population (rows 0..N-1), no copy: valid until the callback (or
   * the promise it returns) settles; the next generation overwrites them. Copy the rows you keep.
   */
  population: SolutionSet<G> & { rank: Int32Array; crowding: Float64Array };
}

export interface Nsga2Options<G extends Genome = Genome> extends TerminationOptions, AlgorithmOptions {
  /**
   * 'nsga2' (default): rank-and-crowding survival. 'nsga3': reference-point survival on
   * `referenceDirections` (Das–Dennis partitions H, or count × M directions; default: the most
   * Das–Dennis directions the population holds, two layers when H < M). A resumed run takes the
   * checkpoint's algorithm and directions.
   */
  algorithm?: AlgorithmName;
  /** Population size N (offspring per generation: N); default 100. */
  populationSize?: number;
  seed?: number;
  /** Overrides of the problem's / default operators. */
  crossover?: CrossoverOperator<G>;
  mutation?: MutationOperator<G>;
  /** Default operators' parameters: SBX p=0.9 η=15, PM p=1/n η=20; integer: uniform p=0.9, reset p=1/n. */
  crossoverProbability?: number;
  crossoverEta?: number;
  mutationProbability?: number;
  mutationEta?: number;
  /**
   * Reference point for the progress hypervolume and stagnation. Default: fixed after the initial
   * population at nadir + 0.1 × (nadir − ideal) of its first front (+1 where the range is 0).
   */
  referencePoint?: number[];
  /**
   * Solutions to seed the initial population with: k × nVar row-major, or one array per solution
   * (k ≤ N). They take rows 0..k−1 (checked against the bounds / domains, then repaired like every
   * row); `problem.sample` or uniform sampling fills the rest.
   */
  initialPopulation?: G | ArrayLike<number>[];
  /**
   * How the returned front is chosen (front-selection.ts). 'population': the final population's
   * first front, as NSGA-II / NSGA-III leave it. 'hypervolume': the run keeps a bounded archive
   * of the feasible non-dominated solutions it has seen (capacity `archiveCapacity`) and returns
   * the N of them chosen greedily by exact hypervolume contribution, at a reference point taken
   * from the archive itself (2 or 3 objectives only). Default: 'hypervolume' for nsga3 with 2 or
   * 3 objectives, 'population' otherwise (see docs/solver.md, "Output selection").
   */
  frontSelection?: FrontSelection;
  /**
   * Capacity of the run archive under frontSelection 'hypervolume'. Default: 10 × N, fewer when
   * that many members (genome, objectives, constraints) would take over 64 MiB, never below N.
   */
  archiveCapacity?: number;
  /** Continue a checkpointed run (population, counters, PRNG); the problem must be the same. */
  resumeFrom?: Nsga2State<G>;
  /** Evaluate on this pool (not destroyed by the run). */
  pool?: WorkerPool;
  /** Or create a pool of this many threads for the run (0/undefined: evaluate inline). */
  workers?: number;
  /** Evaluation chunks per worker thread per generation; default 2. */
  chunksPerWorker?: number;
  onGeneration?: (info: GenerationInfo<G>) => void | Promise<void>;
  /**
   * Abort: the run returns the front of the last completed generation with `cancelled: true`.
   * On a pool the evaluation in progress is abandoned; inline, the current generation finishes first.
   */
  signal?: AbortSignal;
}

export type { SolutionSet };

export interface Nsga2Result<G extends Genome = Genome> {
  problem: string;
  algorithm: AlgorithmName;
  /** nsga3: the reference directions used (count × M); null for nsga2. */
  referenceDirections: Float64Array | null;
  /** Final population (N rows) with rank and crowding distance. */
  population: SolutionSet<G> & { rank: Int32Array; crowding: Float64Array };
  /**
   * The returned front, sorted lexicographically by objectives: under 'population' the first
   * front of the final population (feasible non-dominated set if any solution is feasible);
   * under 'hypervolume' at most N feasible, mutually non-dominated solutions chosen from the run
   * archive (or the population's front when that has the larger hypervolume, or nothing is feasible).
   */
  front: SolutionSet<G>;
  frontSelection: FrontSelection;
  /** Members of the run archive at the end (0 under 'population'). */
  archiveSize: number;
  generations: number;
  evaluations: number;
  seconds: number;
  /** Hypervolume of the feasible part of `front` w.r.t. `referencePoint` (exact; NaN beyond 3 objectives). */
  hypervolume: number;
  referencePoint: number[];
  cancelled: boolean;
  terminationReason: TerminationReason;
  /** State to resume from (shares its arrays with `population`). */
  state: Nsga2State<G>;
}

/** Runs NSGA-II on `problem`. */
export async function runNsga2<G extends Genome>(problem: Problem<G>, options: Nsga2Options<G> = {}): Promise<Nsga2Result<G>> {
  validateProblem(problem);
  validateTermination(options);
  const started = performance.now();
  const { nVar, nObj, nCon, variables } = problem;
  const n = options.resumeFrom?.populationSize ?? options.populationSize ?? 100;
  if (!Number.isInteger(n) || n < 2) throw new Error(`runNsga2: populationSize must be an integer ≥ 2, got ${n}`);
  if (options.resumeFrom && options.populationSize !== undefined && options.populationSize !== options.resumeFrom.populationSize) {
    throw new Error(`runNsga2: populationSize ${options.populationSize} differs from the checkpoint's ${options.resumeFrom.populationSize}`);
  }
  const offspringRows = n + (n & 1); // crossover writes children in pairs
  const rows = n + offspringRows;

  const ownPool = !options.pool && options.workers !== undefined && options.workers > 0 ? createWorkerPool({ threads: options.workers }) : null;
  const pool = options.pool ?? ownPool;
  const shared = pool !== null && pool.threads > 0;
  try {
    const pop: PopulationArrays = {
      x: allocateGenome<G>(variables, nVar, rows, shared),
      f: shared ? sharedFloat64(rows * nObj) : new Float64Array(rows * nObj),
      g: shared ? sharedFloat64(rows * nCon) : new Float64Array(rows * nCon),
      cv: new Float64Array(rows),
      rank: new Int32Array(rows),
      crowding: new Float64Array(rows),
      nVar,
      nObj,
      nCon,
    };
    const x = pop.x as G;
    const parentIndex = shared ? sharedInt32(offspringRows) : new Int32Array(offspringRows);
    const algorithm = createAlgorithm(options, nObj, n, rows, options.resumeFrom);
    const selection = resolveFrontSelection(options, algorithm.name, nObj, n, options.resumeFrom, (pop.x as Genome).BYTES_PER_ELEMENT * nVar + 8 * (nObj + nCon));
    const archive =
      selection.method === 'hypervolume'
        ? new ParetoArchive<G>({ nObj, nVar, nCon, genome: (pop.x as Genome).constructor as never, capacity: selection.archiveCapacity })
        : null;
    // Every evaluated feasible solution is offered once: the initial population (its first front;
    // the rest is dominated within it), then each generation's offspring before survival, so
    // non-dominated offspring that the survival drops are kept too.
    const offerPopulation = () => {
      archive?.addRows({ size: n, f: pop.f, x: pop.x, g: pop.g, cv: pop.cv, rank: pop.rank });
    };
    const offerOffspring = () => {
      archive?.addRows({
        size: n,
        f: pop.f.subarray(n * nObj, 2 * n * nObj),
        x: (pop.x as Genome).subarray(n * nVar, 2 * n * nVar) as Genome,
        g: pop.g.subarray(n * nCon, 2 * n * nCon),
        cv: pop.cv.subarray(n, 2 * n),
      });
    };
    const winners = new Int32Array(offspringRows);
    const perm = new Int32Array(n);
    const frontScratch = new Float64Array(n * nObj);
    const crossover = options.crossover ?? problem.crossover ?? defaultCrossover<G>(problem, options);
    const mutation = options.mutation ?? problem.mutation ?? defaultMutation<G>(problem, options);
    const request = (from: number, to: number, incremental: boolean): RangeRequest => ({
      x: pop.x,
      f: pop.f,
      g: pop.g,
      nVar,
      nObj,
      nCon,
      from,
      to,
      incremental: incremental ? { parentCount: n, parentIndex, offspringStart: n } : undefined,
    });
    const evaluate = (from: number, to: number, incremental: boolean) =>
      evaluatePopulation(problem as Problem<Genome>, request(from, to, incremental), pool, options.chunksPerWorker, options.signal);

    let rng: Random;
    let generation: number;
    let evaluations: number;
    let referencePoint: number[] | null = options.referencePoint ?? null;
    const hvHistory: number[] = [];
    if (referencePoint && referencePoint.length !== nObj) throw new Error(`runNsga2: referencePoint has ${referencePoint.length} coordinates, expected ${nObj}`);

    if (options.resumeFrom) {
      const s = options.resumeFrom;
      assertStateMatches(problem, s as Nsga2State);
      (pop.x as Genome).set(s.x as never, 0);
      pop.f.set(s.f, 0);
      pop.g.set(s.g, 0);
      pop.rank.set(s.rank, 0);
      pop.crowding.set(s.crowding, 0);
      totalViolation(pop.g, nCon, n, pop.cv);
      rng = Random.fromState(s.rng);
      generation = s.generation;
      evaluations = s.evaluations;
      referencePoint = options.referencePoint ?? s.referencePoint;
      for (const h of s.hypervolumeHistory) hvHistory.push(h);
      // The archive as checkpointed (re-adding extracted members rebuilds it exactly), or, from a
      // checkpoint without one, the population it resumes.
      if (archive) {
        if (s.archive) archive.addRows({ size: s.archive.size, f: s.archive.f, x: s.archive.x, g: s.archive.g });
        else offerPopulation();
      }
    } else {
      rng = new Random(options.seed ?? 1);
      const seeded = seedRows(problem, x, n, options.initialPopulation);
      if (problem.sample) problem.sample(x, seeded, n, rng);
      else sampleUniform(variables, nVar, x, seeded, n, rng);
      if (problem.repair) for (let i = 0; i < n; i++) problem.repair(x, i, rng);
      try {
        await evaluate(0, n, false);
      } catch (error) {
        if (options.signal?.aborted) throw new Error('runNsga2: cancelled while the initial population was being evaluated (no front yet)');
        throw error;
      }
      totalViolation(pop.g, nCon, n, pop.cv);
      algorithm.rankInitial(pop, n, rng);
      offerPopulation();
      generation = 1;
      evaluations = n;
    }
    if (!referencePoint) referencePoint = defaultReferencePoint(pop, n);

    const frontHv = (): number => {
      const count = gatherFront(pop, n, frontScratch);
      return nObj <= 3 && count > 0 ? hypervolume(frontScratch, nObj, referencePoint!, count) : count > 0 ? Number.NaN : 0;
    };
    const elapsed = () => (performance.now() - started) / 1000;
    const snapshot = (): Nsga2State<G> => ({
      version: 1,
      problem: problem.name,
      nVar,
      nObj,
      nCon,
      populationSize: n,
      generation,
      evaluations,
      x: (pop.x as G).slice(0, n * nVar) as G,
      f: pop.f.slice(0, n * nObj),
      g: pop.g.slice(0, n * nCon),
      rank: pop.rank.slice(0, n),
      crowding: pop.crowding.slice(0, n),
      rng: rng.state(),
      referencePoint: referencePoint!.slice(),
      hypervolumeHistory: hvHistory.slice(),
      ...algorithm.state(),
      ...(archive ? { frontSelection: selection.method, archiveCapacity: selection.archiveCapacity, archive: archive.extract() } : {}),
    });
    const liveView = {
      size: n,
      x: (pop.x as G).subarray(0, n * nVar) as G,
      f: pop.f.subarray(0, n * nObj),
      g: pop.g.subarray(0, n * nCon),
      cv: pop.cv.subarray(0, n),
      rank: pop.rank.subarray(0, n),
      crowding: pop.crowding.subarray(0, n),
    };
    const report = async (): Promise<void> => {
      // Recorded every generation (cheap for ≤ 3 objectives) so a resumed run sees the same history.
      const hv = frontHv();
      hvHistory.push(hv);
      if (options.onGeneration) {
        await options.onGeneration({ generation, evaluations, hypervolume: hv, frontSize: countFirstFront(pop, n), elapsedSeconds: elapsed(), snapshot, population: liveView });
      }
    };
    if (!options.resumeFrom) await report();

    let reason: TerminationReason | null = null;
    for (;;) {
      reason = options.signal?.aborted ? 'cancelled' : shouldTerminate(options, { generation, evaluations, elapsedSeconds: elapsed(), hypervolumeHistory: hvHistory });
      if (reason) break;
      const rngAtGenerationStart = rng.state();
      algorithm.select(pop, n, winners, offspringRows, perm, rng);
      for (let c = 0; c < offspringRows; c += 2) {
        crossover(x, winners[c], winners[c + 1], x, n + c, n + c + 1, rng);
        parentIndex[c] = winners[c];
        parentIndex[c + 1] = winners[c + 1];
      }
      for (let c = 0; c < n; c++) {
        mutation(x, n + c, rng);
        if (problem.repair) problem.repair(x, n + c, rng);
      }
      try {
        await evaluate(n, 2 * n, problem.evaluateIncremental !== undefined);
      } catch (error) {
        // Aborted mid-generation on a pool: the parents (rows < n) are untouched, return them.
        if (options.signal?.aborted) {
          // Rewind the PRNG too, so that the returned state resumes exactly like the uninterrupted run.
          rng = Random.fromState(rngAtGenerationStart);
          reason = 'cancelled';
          break;
        }
        throw error;
      }
      totalViolation(pop.g, nCon, n, pop.cv, n);
      evaluations += n;
      offerOffspring();
      algorithm.survive(pop, 2 * n, n, rng);
      generation++;
      await report();
    }

    const populationFront = extractRows(pop, firstFrontRows(pop, n)) as SolutionSet<G>;
    const front = archive ? selectFront(archive, populationFront, n, nObj, nCon) : populationFront;
    const hv = archive ? feasibleHypervolume(front, nObj, referencePoint) : frontHv();
    // The result's population shares the final state's arrays: one copy of a possibly huge genome block.
    const state = snapshot();
    return {
      problem: problem.name,
      algorithm: algorithm.name,
      referenceDirections: algorithm.referenceDirections,
      population: { size: n, x: state.x, f: state.f, g: state.g, cv: pop.cv.slice(0, n), rank: state.rank, crowding: state.crowding },
      front,
      frontSelection: selection.method,
      archiveSize: archive?.size ?? 0,
      generations: generation,
      evaluations,
      seconds: elapsed(),
      hypervolume: hv,
      referencePoint,
      cancelled: reason === 'cancelled',
      terminationReason: reason,
      state,
    };
  } finally {
    if (ownPool) await ownPool.destroy();
  }
}

function feasibleHypervolume(front: SolutionSet, nObj: number, ref: number[]): number {
  if (nObj > 3) return front.size > 0 ? Number.NaN : 0;
  const f = new Float64Array(front.size * nObj);
  let k = 0;
  for (let i = 0; i < front.size; i++) {
    if (front.cv[i] > 0) continue;
    for (let j = 0; j < nObj; j++) f[k * nObj + j] = front.f[i * nObj + j];
    k++;
  }
  return k > 0 ? hypervolume(f, nObj, ref, k) : 0;
}
