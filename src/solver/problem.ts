/**
 * The Problem interface of the solver: what a client implements to be optimised by NSGA-II.
 *
 * Conventions
 * - A population is held row-major in ONE typed array (`x`, rows × nVar), its objectives in one
 *   Float64Array (`f`, rows × nObj) and its constraint violations in one Float64Array
 *   (`g`, rows × nCon). Row i of x is `x[i*nVar .. (i+1)*nVar)`.
 * - All objectives are MINIMISED (negate a maximised objective). A constraint value g ≤ 0 is
 *   satisfied; a positive value is the amount of violation. The solver adds up max(0, g_j) into
 *   the total constraint violation used by Deb's constrained domination.
 * - Variables are either all real (Float64Array genome, with bounds) or all integer (option
 *   indices 0..domainSize-1, stored compactly in a Uint8Array, Uint16Array or Int32Array as the
 *   problem chooses). A 1 M-gene integer problem with Uint8 storage and population 200 needs
 *   2 × 200 × 1 MB = 400 MB of genomes (parents + offspring).
 *
 * Hooks (all optional)
 * - `sample`: fill rows of the initial population (default: uniform in bounds / domain).
 *   `initialPopulation` in the run options seeds given solutions before sampling the rest.
 * - `crossover`, `mutation`: replace the default operators (SBX + polynomial mutation for real,
 *   uniform crossover + random-reset for integer). They work on (array, row) pairs, so no
 *   per-individual views are allocated. The first child of a crossover has the first parent as
 *   its primary parent, the second child the second.
 * - `repair`: called on every offspring row after mutation, before evaluation.
 * - `evaluateIncremental`: evaluate offspring knowing their primary parent (row in the parent
 *   population, whose objectives/violations are known). A problem whose objectives are sums over
 *   genes can then add only the contribution of the genes that changed (`changedGenes` helps
 *   find them). When present, the solver calls it for offspring instead of `evaluate`.
 * - `source`: how to rebuild this problem inside a worker thread (module URL + export + payload),
 *   which enables parallel evaluation on a WorkerPool. Data in the payload should be typed arrays
 *   on SharedArrayBuffer (see `sharedFloat64` etc.) so that no copy is made per worker.
 *
 * Determinism: evaluation must be a pure function of the genome (and the parent row for the
 * incremental path): chunks of a generation may be evaluated in any order on any worker, and the
 * same seed must give the same front whatever the number of workers.
 */
import type { Random } from './random.js';

export type RealGenome = Float64Array;
export type IntegerGenome = Uint8Array | Uint16Array | Int32Array;
export type Genome = RealGenome | IntegerGenome;

export type IntegerStorage = 'uint8' | 'uint16' | 'int32';

export interface RealVariables {
  kind: 'real';
  /** Lower and upper bounds per variable (length nVar), lower < upper. */
  lower: Float64Array;
  upper: Float64Array;
}

export interface IntegerVariables {
  kind: 'integer';
  /** Number of values gene i can take (values 0..domainSize-1); one number for every gene alike. */
  domainSize: number | Int32Array;
  /** Element type of the genome; must hold the largest domain (uint8 ≤ 256, uint16 ≤ 65 536). */
  storage: IntegerStorage;
}

export type Variables = RealVariables | IntegerVariables;

/** A block of `count` rows to evaluate: fill f (count × nObj) and g (count × nCon) from x. */
export interface EvaluationBatch<G extends Genome = Genome> {
  x: G;
  f: Float64Array;
  g: Float64Array;
  count: number;
}

/**
 * Offspring to evaluate incrementally. Child i's primary parent is row `parentIndex[i]` of
 * `parents` (whose f and g are already evaluated).
 */
export interface IncrementalBatch<G extends Genome = Genome> extends EvaluationBatch<G> {
  parents: { x: G; f: Float64Array; g: Float64Array; count: number };
  parentIndex: Int32Array;
}

/** `(parents, a, b, children, c1, c2, rng)`: write two children from parent rows a and b. */
export type CrossoverOperator<G extends Genome = Genome> = (
  parents: G,
  a: number,
  b: number,
  children: G,
  c1: number,
  c2: number,
  rng: Random,
) => void;

/** `(x, row, rng)`: mutate row `row` of x in place. */
export type MutationOperator<G extends Genome = Genome> = (x: G, row: number, rng: Random) => void;

/** How a worker thread rebuilds a problem: `(await import(module))[exportName](payload)`. */
export interface ProblemSource {
  /** Absolute module URL, e.g. `new URL('./allocation.js', import.meta.url).href`. */
  module: string;
  /** Name of an export `(payload) => Problem | Promise<Problem>`. */
  exportName: string;
  /** Structured-cloneable; typed arrays on SharedArrayBuffer are shared, not copied. */
  payload: unknown;
  /**
   * Identifies the payload: a worker builds the problem once per key and reuses it for every
   * later task with that key (it keeps the 4 most recently used). Give each distinct payload its
   * own key; without one, all payloads of the same module#export share one cached problem.
   */
  key?: string;
}

export interface Problem<G extends Genome = Genome> {
  /** Short name used in reports (e.g. "zdt1"). */
  readonly name: string;
  readonly nVar: number;
  readonly nObj: number;
  /** Number of constraints (0 if unconstrained). */
  readonly nCon: number;
  readonly variables: Variables;

  /** Batch evaluation: fill f and g for every row of x. Must not keep references to the arrays. */
  evaluate(batch: EvaluationBatch<G>): void | Promise<void>;

  evaluateIncremental?(batch: IncrementalBatch<G>): void | Promise<void>;
  /** Fill rows [from, to) of x with initial solutions. */
  sample?(x: G, from: number, to: number, rng: Random): void;
  crossover?: CrossoverOperator<G>;
  mutation?: MutationOperator<G>;
  /** Make row `row` of x feasible / canonical in place (e.g. clip to capacity). */
  repair?(x: G, row: number, rng: Random): void;
  /** Set to enable parallel evaluation on a WorkerPool. */
  readonly source?: ProblemSource;
  /** A true Pareto front sample (benchmark problems), nPoints × nObj row-major. */
  paretoFront?(nPoints: number): Float64Array;
}

/** Genome element type of a problem's variables. */
export function genomeConstructor(variables: Variables): Float64ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor {
  if (variables.kind === 'real') return Float64Array;
  switch (variables.storage) {
    case 'uint8':
      return Uint8Array;
    case 'uint16':
      return Uint16Array;
    case 'int32':
      return Int32Array;
  }
}

/** A zeroed genome block of rows × nVar, on a SharedArrayBuffer when `shared` (for workers). */
export function allocateGenome<G extends Genome>(variables: Variables, nVar: number, rows: number, shared = false): G {
  const C = genomeConstructor(variables);
  const length = rows * nVar;
  const buffer: ArrayBufferLike = shared ? new SharedArrayBuffer(length * C.BYTES_PER_ELEMENT) : new ArrayBuffer(length * C.BYTES_PER_ELEMENT);
  return new (C as Float64ArrayConstructor)(buffer) as unknown as G;
}

/** A zeroed typed array of `length` elements on a SharedArrayBuffer (worker threads see it without a copy). */
export function sharedArray<T>(C: (new (buffer: SharedArrayBuffer) => T) & { BYTES_PER_ELEMENT: number }, length: number): T {
  return new C(new SharedArrayBuffer(length * C.BYTES_PER_ELEMENT));
}

export function sharedFloat64(length: number): Float64Array {
  return sharedArray(Float64Array, length);
}

export function sharedInt32(length: number): Int32Array {
  return sharedArray(Int32Array, length);
}

export function sharedUint8(length: number): Uint8Array {
  return sharedArray(Uint8Array, length);
}

/** Domain size of integer gene i. */
export function domainOf(variables: IntegerVariables, i: number): number {
  return typeof variables.domainSize === 'number' ? variables.domainSize : variables.domainSize[i];
}

/**
 * Indices of the genes where child row `childRow` of `childX` differs from parent row `parentRow`
 * of `parentX`, written into `out`; returns how many. For incremental evaluation.
 */
export function changedGenes(parentX: Genome, parentRow: number, childX: Genome, childRow: number, nVar: number, out: Int32Array): number {
  const p = parentRow * nVar;
  const c = childRow * nVar;
  let n = 0;
  for (let j = 0; j < nVar; j++) {
    if (parentX[p + j] !== childX[c + j]) out[n++] = j;
  }
  return n;
}

/** Throws a clear error when a problem's declaration is inconsistent. */
export function validateProblem<G extends Genome>(problem: Problem<G>): void {
  const { name, nVar, nObj, nCon, variables } = problem;
  const where = `problem "${name}"`;
  if (!Number.isInteger(nVar) || nVar < 1) throw new Error(`${where}: nVar must be a positive integer, got ${nVar}`);
  if (!Number.isInteger(nObj) || nObj < 1) throw new Error(`${where}: nObj must be a positive integer, got ${nObj}`);
  if (!Number.isInteger(nCon) || nCon < 0) throw new Error(`${where}: nCon must be a non-negative integer, got ${nCon}`);
  if (variables.kind === 'real') {
    if (variables.lower.length !== nVar || variables.upper.length !== nVar) {
      throw new Error(`${where}: lower/upper bounds must have nVar=${nVar} entries (got ${variables.lower.length}/${variables.upper.length})`);
    }
    for (let i = 0; i < nVar; i++) {
      const lo = variables.lower[i];
      const hi = variables.upper[i];
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new Error(`${where}: variable ${i} has invalid bounds [${lo}, ${hi}]`);
    }
  } else {
    const max = variables.storage === 'uint8' ? 256 : variables.storage === 'uint16' ? 65536 : 2147483647;
    const sizes = variables.domainSize;
    if (typeof sizes !== 'number' && sizes.length !== nVar) throw new Error(`${where}: domainSize must have nVar=${nVar} entries, got ${sizes.length}`);
    const n = typeof sizes === 'number' ? 1 : nVar;
    for (let i = 0; i < n; i++) {
      const d = typeof sizes === 'number' ? sizes : sizes[i];
      if (!Number.isInteger(d) || d < 1 || d > max) throw new Error(`${where}: gene ${i} has domain size ${d}, outside 1..${max} for ${variables.storage} storage`);
    }
  }
}
