/**
 * `optimizeAllocation(modules, apps, options)`: twin matrix → allocation problem → NSGA-II seeded
 * with the baselines → Pareto front of plans, knee, baselines and run statistics.
 */
import { createWorkerPool, type WorkerPool } from '../solver/index.js';
import { runNsga2, type GenerationInfo } from '../solver/index.js';
import type { Nsga2State } from '../solver/index.js';
import type { Problem } from '../solver/index.js';
import { Random } from '../solver/index.js';
import { hypervolume } from '../solver/index.js';
import { kneePoint } from '../solver/index.js';
import { rankAndCrowd, SurvivalWorkspace, type PopulationArrays } from '../solver/index.js';
import { totalViolation } from '../solver/index.js';
import { paretoDominates } from '../solver/index.js';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type {
  AllocationCheckpoint,
  AllocationPlan,
  AllocationResult,
  BaselinePlan,
  FrontSolution,
  ObjectiveBoundReport,
  OptimizeAllocationOptions,
  ProgressBound,
  TwinMatrixLike,
} from './allocation-types.js';
import {
  buildAllocationProblem,
  type AllocationRestrictions,
  decodeGenes,
  encodePlan,
  evaluateGenes,
  repair,
  totalsLength,
  type AllocationProblem,
} from './allocation-problem.js';
import { allocationSolverProblem } from './allocation-solver.js';
import { adaptiveGenes, staticPlan, weightedSeeds } from './baselines.js';
import { evaluatePlan, evaluatePlanObjectives } from './plan-evaluation.js';
import { exactPoints, gapPercent, type ExactPoints } from './exact/anchors.js';
import { resolveRestrictions } from './restrictions.js';

/** Below this many modules evaluation on worker threads costs more than it saves. */
export const PARALLEL_MIN_MODULES = 20_000;
let problemCounter = 0;

/** Fleets up to this size keep an unbounded archive of every non-dominated plan seen. */
export const ARCHIVE_MAX_MODULES = 64;
/** Larger fleets keep a bounded archive: at most 2 × population plans and this many gene bytes. */
export const ARCHIVE_MAX_BYTES = 128 * 2 ** 20;
/** Decoded plans of the reported front take at most about this much (only binds past ~300 k modules). */
export const FRONT_MAX_BYTES = 128 * 2 ** 20;
/** Above this many modules the archive is updated every ⌈n / this⌉ generations (a snapshot copies the population). */
export const ARCHIVE_EVERY_GENERATION_MAX_MODULES = 100_000;

export interface AllocationSetup {
  matrix: TwinMatrixLike;
  problem: AllocationProblem;
  baselines: { static: BaselinePlan; adaptive: BaselinePlan };
  /** Genes of the seeds, static (repaired) and adaptive first. */
  seeds: Uint8Array[];
}

export function validateOptimizeOptions(modules: readonly ModuleState[], apps: readonly ApplicationSpec[], o: OptimizeAllocationOptions): void {
  if (modules.length === 0) throw new Error('optimizeAllocation: the fleet has no modules');
  if (apps.length === 0) throw new Error('optimizeAllocation: give at least one application');
  const ids = new Set<string>();
  for (const a of apps) {
    if (ids.has(a.id)) throw new Error(`optimizeAllocation: application id "${a.id}" appears twice`);
    ids.add(a.id);
  }
  if (!Number.isInteger(o.population) || o.population < 4) throw new Error(`population must be an integer ≥ 4, got ${o.population}`);
  if (!Number.isInteger(o.generations) || o.generations < 1) throw new Error(`generations must be an integer ≥ 1, got ${o.generations}`);
  if (!Number.isInteger(o.seed)) throw new Error(`seed must be an integer, got ${o.seed}`);
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && o.workers >= 0)) throw new Error(`workers must be an integer ≥ 0, got ${o.workers}`);
  if (o.timeLimitSeconds !== undefined && !(o.timeLimitSeconds > 0)) throw new Error(`timeLimitSeconds must be > 0, got ${o.timeLimitSeconds}`);
  if (o.algorithm !== undefined && o.algorithm !== 'nsga2' && o.algorithm !== 'nsga3') throw new Error(`algorithm must be nsga2 or nsga3, got "${String(o.algorithm)}"`);
}

/** Problem, baselines and seeds from a twin matrix (no optimisation). */
export function setupAllocation(
  modules: readonly ModuleState[],
  apps: ApplicationSpec[],
  matrix: TwinMatrixLike,
  seed: number,
  restrictions: AllocationRestrictions = {},
): AllocationSetup {
  if (matrix.nModules !== modules.length) throw new Error(`twin matrix has ${matrix.nModules} modules, the fleet ${modules.length}`);
  const problem = buildAllocationProblem(matrix, apps, undefined, restrictions);
  // The static rule ignores the twin, not the planner: pinned modules sit where they are pinned
  // and excluded ones stay out in its plan too.
  const sPlan = withRestrictions(problem, staticPlan(modules, apps));
  const sEval = evaluatePlan(matrix, apps, problem.pairCostUsd, sPlan, 'static');
  const aGenes = adaptiveGenes(problem);
  const aPlan = decodeGenes(problem, aGenes, 0);
  const aEval = evaluatePlan(matrix, apps, problem.pairCostUsd, aPlan, 'adaptive');
  // The static plan as a seed: twin-infeasible pairs recycled, then capacity repaired.
  const sGenes = new Uint8Array(problem.nModules);
  encodePlan(problem, sPlan, sGenes, 0);
  const totals = new Float64Array(totalsLength(problem));
  evaluateGenes(problem, sGenes, 0, totals, 0);
  repair(problem, sGenes, 0, totals, 0, new Random(seed ^ 0x5eed));
  return {
    matrix,
    problem,
    baselines: {
      static: { ...sPlan, objectives: sEval.objectives, feasible: sEval.feasible, metrics: sEval.metrics },
      adaptive: { ...aPlan, objectives: aEval.objectives, feasible: aEval.feasible, metrics: aEval.metrics },
    },
    seeds: [sGenes, aGenes, ...weightedSeeds(problem)],
  };
}

function withRestrictions(p: AllocationProblem, plan: AllocationPlan): AllocationPlan {
  for (let m = 0; m < p.nModules; m++) {
    if (p.excluded[m]) {
      plan.applicationIndex[m] = -1;
      plan.envelopeIndex[m] = -1;
    } else if (p.pinApp[m] >= 0) {
      plan.applicationIndex[m] = p.pinApp[m];
      plan.envelopeIndex[m] = p.pinEnv[m];
    }
  }
  return plan;
}

export async function optimizeAllocation(
  modules: readonly ModuleState[],
  apps: ApplicationSpec[],
  options: OptimizeAllocationOptions,
): Promise<AllocationResult> {
  validateOptimizeOptions(modules, apps, options);
  const started = performance.now();
  const ownPool = !options.pool && (options.workers ?? 1) > 1 ? createWorkerPool({ threads: options.workers }) : null;
  const pool = (options.pool as WorkerPool | undefined) ?? ownPool ?? undefined;
  try {
    let matrix = options.matrix;
    if (!matrix) {
      const { computeTwinMatrix } = await import('./twin-matrix.js');
      matrix = await computeTwinMatrix(modules, apps, { pool, signal: options.signal });
    }
    const twinMatrixSeconds = (performance.now() - started) / 1000;
    const restrictions = resolveRestrictions(modules, apps, matrix, options.pins ?? [], options.excluded ?? []);
    const setup = setupAllocation(modules, apps, matrix, options.seed, restrictions);
    return await runAllocation(modules, apps, setup, options, twinMatrixSeconds, pool);
  } finally {
    if (ownPool) await ownPool.destroy();
  }
}

export async function runAllocation(
  modules: readonly ModuleState[],
  apps: ApplicationSpec[],
  setup: AllocationSetup,
  options: OptimizeAllocationOptions,
  twinMatrixSeconds = 0,
  pool?: WorkerPool,
): Promise<AllocationResult> {
  const { problem, matrix } = setup;
  const n = problem.nModules;
  const N = options.population;
  const parallel = pool !== undefined && pool.threads > 1 && n >= (options.parallelEvaluationMinModules ?? PARALLEL_MIN_MODULES);
  const solverProblem = allocationSolverProblem(problem, parallel ? { workerKey: `fleet-allocation-${process.pid}-${++problemCounter}` } : {});
  const ref = Array.from(problem.nadirBound);
  let box = 1;
  for (let k = 0; k < 3; k++) box *= problem.nadirBound[k] - problem.idealBound[k];

  const resumeFrom = options.resumeFrom ? toSolverState(options.resumeFrom, options, solverProblem, ref) : undefined;
  // Exact anchor points and bounds (deterministic: work limits, not clocks). A resumed run
  // recomputes them for its bounds; its checkpoint archive already holds the anchors.
  const exactStarted = performance.now();
  const exact: ExactPoints | null = options.exact === false ? null : await exactPoints(problem, options.exact ?? {});
  const exactSeconds = (performance.now() - exactStarted) / 1000;
  const anchorRows = exact ? exact.anchors : [];
  // NSGA-II's crowding truncation can drop non-dominated plans (in three objectives the first
  // front soon exceeds the population); the archive keeps every plan until one dominates it.
  const archive = new Archive(n, n <= ARCHIVE_MAX_MODULES ? Infinity : Math.max(N, Math.min(2 * N, Math.floor(ARCHIVE_MAX_BYTES / n))));
  const archiveEvery = Math.max(1, Math.ceil(n / ARCHIVE_EVERY_GENERATION_MAX_MODULES));
  if (options.resumeFrom?.archiveGenes) archive.restore(options.resumeFrom.archiveGenes, solverProblem);
  const checkpointEvery = options.checkpointEvery ?? 10;
  // A restored archive is the one the uninterrupted run holds at this generation: take its
  // hypervolume rather than adding the next population early (large fleets add every
  // archiveEvery generations, and an extra addition would change the front).
  if (anchorRows.length > 0 && !options.resumeFrom) archive.offerEvaluated(anchorRows, solverProblem);
  let archiveHv = archive.f.length > 0 ? archive.hypervolume(ref) / box : -1;
  const progressBounds = (): ProgressBound[] | undefined => {
    if (!exact) return undefined;
    let bestSy = -Infinity;
    let bestCost = Infinity;
    for (const f of archive.f) {
      bestSy = Math.max(bestSy, -f[0]);
      bestCost = Math.min(bestCost, f[2]);
    }
    return exact.bounds.map((b) => {
      const best = archive.f.length === 0 ? null : b.objective === 'storageYears' ? bestSy : bestCost;
      return { objective: b.objective, bound: b.bound, bestOnFront: best, gapPercent: gapPercent(b.objective, b.bound, best) };
    });
  };
  const elapsedBefore = options.resumeFrom?.elapsedSeconds ?? 0;
  const runStarted = performance.now();

  const onGeneration = async (info: GenerationInfo<Uint8Array>) => {
    if (info.generation % archiveEvery === 0 || info.generation === 1 || archiveHv < 0) {
      // The live rows, not a snapshot: the archive copies only the plans it keeps (a snapshot
      // copied the whole population, 20 MB a generation at 100 k modules).
      archive.addPopulation(info.population, solverProblem.nCon);
      archiveHv = archive.hypervolume(ref) / box;
    }
    if (options.onGeneration) {
      // Progress reports the archive (what the run will return), not the population's first
      // front, whose hypervolume can shrink under crowding truncation.
      await options.onGeneration({
        generation: info.generation,
        evaluations: info.evaluations,
        hypervolume: archiveHv,
        frontSize: archive.f.length,
        elapsedSeconds: elapsedBefore + info.elapsedSeconds,
        ...(exact ? { bounds: progressBounds() } : {}),
      });
    }
    if (options.onCheckpoint && info.generation % checkpointEvery === 0) {
      const s = info.snapshot();
      await options.onCheckpoint({
        generation: s.generation,
        evaluations: s.evaluations,
        elapsedSeconds: elapsedBefore + info.elapsedSeconds,
        genes: s.x,
        population: s.populationSize,
        nModules: n,
        rngState: Uint32Array.from(s.rng),
        seed: options.seed,
        crowding: s.crowding,
        archiveGenes: archive.packGenes(),
        algorithm: s.algorithm ?? options.algorithm ?? 'nsga2',
        ...(s.referencePointMemory !== undefined ? { referencePointMemory: s.referencePointMemory } : {}),
      });
    }
  };

  const result = await runNsga2(solverProblem, {
    algorithm: options.algorithm ?? 'nsga2',
    // The allocation keeps its own archive of plans (below) and checkpoints it; the solver's
    // hypervolume output would copy up to 64 MiB of genomes into a second one, not checkpointed.
    frontSelection: 'population',
    populationSize: N,
    generations: options.generations,
    seed: options.seed,
    ...(options.timeLimitSeconds !== undefined ? { maxSeconds: options.timeLimitSeconds } : {}),
    referencePoint: ref,
    ...(resumeFrom ? { resumeFrom } : { initialPopulation: [...anchorRows, ...setup.seeds].slice(0, N) }),
    signal: options.signal,
    onGeneration,
    ...(parallel ? { pool } : {}),
  });
  archive.addPopulation({ size: result.state.populationSize, x: result.state.x, f: result.state.f, g: result.state.g, rank: result.state.rank }, solverProblem.nCon);

  // Candidate rows: the archive (which saw the seeds in generation 1) and the final first front.
  // Filtered on the internal objectives first, so that only reported plans are decoded; a huge
  // fleet's front is thinned by crowding to FRONT_MAX_BYTES of decoded plans (3 bytes per module).
  const finalists = new Archive(n, n <= ARCHIVE_MAX_MODULES ? Infinity : Math.max(N, Math.floor(FRONT_MAX_BYTES / (3 * n))));
  archive.genes.forEach((g, i) => finalists.offer(archive.f[i], g, false));
  for (let i = 0; i < result.front.size; i++) {
    if (result.front.cv[i] === 0) finalists.offer(Array.from(result.front.f.subarray(i * 3, i * 3 + 3)), result.front.x.subarray(i * n, (i + 1) * n), false);
  }
  finalists.trim();
  const front = buildFront(setup, apps, finalists.genes);
  const fMin = new Float64Array(front.length * 3);
  front.forEach((s, i) => {
    fMin[i * 3] = -s.objectives[0];
    fMin[i * 3 + 1] = s.objectives[1];
    fMin[i * 3 + 2] = s.objectives[2];
  });
  const kneeIndex = front.length ? kneePoint(fMin, 3) : -1;
  if (kneeIndex >= 0) front[kneeIndex].knee = true;
  const bounds: ObjectiveBoundReport[] = exact ? exact.bounds.map((b) => boundReport(b, front)) : [];
  const comparison = [setup.baselines.static.metrics, setup.baselines.adaptive.metrics];
  if (kneeIndex >= 0) comparison.push(evaluatePlan(matrix, apps, problem.pairCostUsd, front[kneeIndex], 'nsga2-knee').metrics);
  return {
    modules: modules.map((m) => m.serial),
    applications: apps,
    envelopeNames: apps.map((a) => a.envelopes.map((e) => e.name)),
    front,
    kneeIndex,
    baselines: setup.baselines,
    comparison,
    figures: { matrix, pairCostUsd: problem.pairCostUsd },
    bounds,
    exact: exact ? { anchors: exact.anchors.length, notes: exact.notes } : null,
    restrictions: { pinned: countPinned(problem), excluded: problem.excluded.reduce((k, v) => k + v, 0) },
    stats: {
      evaluations: result.evaluations,
      generations: result.generations,
      seconds: twinMatrixSeconds + exactSeconds + elapsedBefore + (performance.now() - runStarted) / 1000,
      twinMatrixSeconds,
      exactSeconds,
      hypervolume: front.length ? hypervolume(fMin, 3, ref, front.length) / box : 0,
      cancelled: result.cancelled,
    },
  };
}

function countPinned(p: AllocationProblem): number {
  let k = 0;
  for (let m = 0; m < p.nModules; m++) if (p.pinApp[m] >= 0) k++;
  return k;
}

/** A bound against the final front (natural units: storage maximised, cost minimised). */
function boundReport(b: ExactPoints['bounds'][number], front: readonly FrontSolution[]): ObjectiveBoundReport {
  const k = b.objective === 'storageYears' ? 0 : 2;
  let best: number | null = null;
  for (const s of front) {
    const v = s.objectives[k];
    if (best === null || (k === 0 ? v > best : v < best)) best = v;
  }
  return {
    objective: b.objective,
    bound: b.bound,
    bestOnFront: best,
    gapPercent: gapPercent(b.objective, b.bound, best),
    method: b.method,
    lpBound: b.lpBound,
    lpGapPercent: gapPercent(b.objective, b.lpBound, best),
    note: b.note,
  };
}

/**
 * Decode candidate gene rows, score each plan straight from the twin matrix, keep the distinct
 * non-dominated objective vectors, sorted by storage-years (best first).
 */
function buildFront(setup: AllocationSetup, apps: ApplicationSpec[], rows: Uint8Array[]): FrontSolution[] {
  const { problem, matrix } = setup;
  const plans = rows.map((genes) => decodeGenes(problem, genes, 0));
  const scored = evaluatePlanObjectives(matrix, apps, problem.pairCostUsd, plans);
  const cands = plans.map((plan, i) => {
    if (!scored[i].feasible) throw new Error('internal: a front plan violates a capacity or feasibility rule');
    return { ...plan, objectives: scored[i].objectives, knee: false } as FrontSolution;
  });
  const keep: FrontSolution[] = [];
  const seen = new Set<string>();
  for (const c of cands) {
    const key = c.objectives.join(',');
    if (seen.has(key)) continue;
    if (cands.some((d) => dominatesNatural(d.objectives, c.objectives))) continue;
    seen.add(key);
    keep.push(c);
  }
  keep.sort((a, b) => b.objectives[0] - a.objectives[0] || a.objectives[1] - b.objectives[1] || a.objectives[2] - b.objectives[2]);
  return keep;
}

/** Dominance in natural sense: storage-years maximised, fade and cost minimised. */
export function dominatesNatural(a: readonly number[], b: readonly number[]): boolean {
  const better0 = a[0] > b[0];
  const better1 = a[1] < b[1];
  const better2 = a[2] < b[2];
  return a[0] >= b[0] && a[1] <= b[1] && a[2] <= b[2] && (better0 || better1 || better2);
}

/**
 * Archive of feasible non-dominated plans (minimised objectives). Over its capacity, the member
 * with the smallest crowding distance (extremes never) leaves.
 */
class Archive {
  readonly genes: Uint8Array[] = [];
  readonly f: number[][] = [];
  constructor(
    private readonly n: number,
    private readonly capacity: number,
  ) {}

  /** Offers the feasible first-front rows of a population (rows are copied only when kept). */
  addPopulation(s: { size: number; x: Uint8Array; f: Float64Array; g: Float64Array; rank: Int32Array }, nCon: number): void {
    const nObj = 3;
    for (let i = 0; i < s.size; i++) {
      if (s.rank[i] !== 0) continue;
      let feasible = true;
      for (let c = 0; c < nCon; c++) if (s.g[i * nCon + c] > 0) feasible = false;
      if (!feasible) continue;
      const f = Array.from(s.f.subarray(i * nObj, (i + 1) * nObj));
      this.add(f, s.x.subarray(i * this.n, (i + 1) * this.n));
    }
    // In small batches (crowding recomputed between them), close to one-at-a-time removal.
    this.trim();
  }

  hypervolume(ref: number[]): number {
    const flat = new Float64Array(this.f.length * 3);
    this.f.forEach((f, i) => flat.set(f, i * 3));
    return this.f.length ? hypervolume(flat, 3, ref, this.f.length) : 0;
  }

  packGenes(): Uint8Array {
    const out = new Uint8Array(this.genes.length * this.n);
    this.genes.forEach((g, i) => out.set(g, i * this.n));
    return out;
  }

  /** Refill from packed rows (objectives re-evaluated: exact, see Q_ENERGY). */
  restore(packed: Uint8Array, sp: Problem<Uint8Array>): void {
    const k = packed.length / this.n;
    if (!Number.isInteger(k)) throw new Error(`resumeFrom: archiveGenes length ${packed.length} is not a multiple of ${this.n} modules`);
    const domain = (sp.variables as { domainSize: Int32Array }).domainSize;
    for (let i = 0; i < packed.length; i++) {
      if (packed[i] >= domain[i % this.n]) throw new Error(`resumeFrom: archive gene ${i % this.n} of row ${Math.floor(i / this.n)} is outside the module's options`);
    }
    const x = packed.slice();
    const f = new Float64Array(k * 3);
    const g = new Float64Array(k * sp.nCon);
    void sp.evaluate({ x, f, g, count: k });
    for (let i = 0; i < k; i++) this.add(Array.from(f.subarray(i * 3, i * 3 + 3)), x.subarray(i * this.n, (i + 1) * this.n));
  }

  /** Evaluate feasible plans and add them (the exact anchors). */
  offerEvaluated(rows: Uint8Array[], sp: Problem<Uint8Array>): void {
    const k = rows.length;
    const x = new Uint8Array(k * this.n);
    rows.forEach((r, i) => x.set(r, i * this.n));
    const f = new Float64Array(k * 3);
    const g = new Float64Array(k * sp.nCon);
    void sp.evaluate({ x, f, g, count: k });
    for (let i = 0; i < k; i++) {
      if (g.subarray(i * sp.nCon, (i + 1) * sp.nCon).some((v) => v > 0)) continue;
      this.add(Array.from(f.subarray(i * 3, i * 3 + 3)), x.subarray(i * this.n, (i + 1) * this.n));
    }
    this.trim();
  }

  /** Add without the capacity check (call `trim` after); `copy: false` keeps a reference. */
  offer(f: number[], genes: Uint8Array, copy = true): void {
    this.add(f, genes, copy);
  }

  trim(): void {
    while (this.f.length > this.capacity) this.dropMostCrowded(Math.min(this.f.length - this.capacity, Math.max(1, Math.ceil(this.f.length / 50))));
  }

  private add(f: number[], genes: Uint8Array, copy = true): void {
    for (const g of this.f) {
      if (dominatesMin(g, f) || (g[0] === f[0] && g[1] === f[1] && g[2] === f[2])) return;
    }
    for (let k = this.f.length - 1; k >= 0; k--) {
      if (dominatesMin(f, this.f[k])) {
        this.f.splice(k, 1);
        this.genes.splice(k, 1);
      }
    }
    this.f.push(f);
    this.genes.push(copy ? genes.slice() : genes);
  }

  /** Drops the `count` members with the smallest crowding distance (one computation). */
  private dropMostCrowded(count: number): void {
    const k = this.f.length;
    const d = new Float64Array(k);
    const order = Array.from({ length: k }, (_, i) => i);
    for (let j = 0; j < 3; j++) {
      order.sort((a, b) => this.f[a][j] - this.f[b][j] || a - b);
      const range = this.f[order[k - 1]][j] - this.f[order[0]][j];
      d[order[0]] = d[order[k - 1]] = Infinity;
      if (range > 0) for (let r = 1; r < k - 1; r++) d[order[r]] += (this.f[order[r + 1]][j] - this.f[order[r - 1]][j]) / range;
    }
    order.sort((a, b) => d[a] - d[b] || a - b);
    const drop = new Set(order.slice(0, count));
    const keepF: number[][] = [];
    const keepG: Uint8Array[] = [];
    for (let i = 0; i < k; i++) {
      if (drop.has(i)) continue;
      keepF.push(this.f[i]);
      keepG.push(this.genes[i]);
    }
    this.f.splice(0, k, ...keepF);
    this.genes.splice(0, k, ...keepG);
  }
}

const dominatesMin = paretoDominates;

/** Rebuild the solver's state from an allocation checkpoint (objectives re-evaluated from genes). */
function toSolverState(
  c: AllocationCheckpoint,
  o: OptimizeAllocationOptions,
  sp: ReturnType<typeof allocationSolverProblem>,
  ref: number[],
): Nsga2State<Uint8Array> {
  if (c.nModules !== sp.nVar) throw new Error(`resumeFrom: checkpoint has ${c.nModules} modules, the fleet ${sp.nVar}`);
  if (c.population !== o.population) throw new Error(`resumeFrom: checkpoint population ${c.population} differs from ${o.population}`);
  if (c.seed !== o.seed) throw new Error(`resumeFrom: checkpoint seed ${c.seed} differs from ${o.seed}`);
  if (c.genes.length !== c.population * c.nModules) throw new Error('resumeFrom: checkpoint genes do not match population × modules');
  const N = c.population;
  const { nObj, nCon } = sp;
  for (let i = 0; i < N * sp.nVar; i++) {
    const d = (sp.variables as { domainSize: Int32Array }).domainSize[i % sp.nVar];
    if (c.genes[i] >= d) throw new Error(`resumeFrom: gene ${i % sp.nVar} of row ${Math.floor(i / sp.nVar)} is outside the module's options (fleet or applications changed?)`);
  }
  const f = new Float64Array(N * nObj);
  const g = new Float64Array(N * nCon);
  void sp.evaluate({ x: c.genes, f, g, count: N });
  const pop: PopulationArrays = {
    x: c.genes,
    f,
    g,
    cv: new Float64Array(N),
    rank: new Int32Array(N),
    crowding: new Float64Array(N),
    nVar: sp.nVar,
    nObj,
    nCon,
  };
  totalViolation(g, nCon, N, pop.cv);
  rankAndCrowd(pop, N, new SurvivalWorkspace(N));
  if (c.crowding && c.crowding.length === N) pop.crowding.set(c.crowding);
  return {
    version: 1,
    problem: sp.name,
    nVar: sp.nVar,
    nObj,
    nCon,
    populationSize: N,
    generation: c.generation,
    evaluations: c.evaluations,
    x: c.genes,
    f,
    g,
    rank: pop.rank,
    crowding: pop.crowding,
    rng: Array.from(c.rngState),
    referencePoint: ref,
    hypervolumeHistory: [],
    ...(c.algorithm ? { algorithm: c.algorithm } : {}),
    ...(c.referencePointMemory !== undefined ? { referencePointMemory: c.referencePointMemory } : {}),
  };
}
