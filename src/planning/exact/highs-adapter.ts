/**
 * The one place that talks to HiGHS (npm `highs`, the WebAssembly build of the HiGHS solver of
 * Huangfu & Hall, Math. Prog. Comp. 10 (2018) 119–142). It loads the module once per thread,
 * passes a sparse model, and returns plain numbers; every failure comes back as a value
 * (`ok: false` with the reason) so that callers can fall back instead of failing the run.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Highs } from 'highs';

/** A linear or mixed-integer model in compressed-sparse-column form. */
export interface SparseModel {
  numCols: number;
  numRows: number;
  maximize: boolean;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Integer columns (a MILP); absent = LP. */
  integer?: boolean;
}

export type SolveStatus = 'optimal' | 'infeasible' | 'time-limit' | 'work-limit' | 'failed';

export interface SolveOutcome {
  ok: boolean;
  status: SolveStatus;
  /** Column values (the incumbent for a MILP stopped by its time limit); empty when none. */
  x: Float64Array;
  objective: number;
  /** For a MILP: HiGHS's proven bound on the optimum (the objective itself for an LP). */
  dualBound: number;
  seconds: number;
  /** Why it failed, in words (HiGHS status or the exception). */
  message: string;
}

export type HighsLoader = () => Promise<Highs>;

let cached: Promise<Highs> | null = null;
let compiled: Promise<WebAssembly.Module> | null = null;

/**
 * HiGHS's WebAssembly module compiled once per thread, or the one another thread compiled and
 * passed here (`adoptCompiledHighs`). A compiled module shares its machine code between the
 * threads of a process: V8 compiles HiGHS's hot functions with its optimising compiler while they
 * run (2–3 s of CPU on V8's background threads in a 10 000-module exact step), and code compiled
 * for one thread's instance serves every instance made from the same module, for as long as
 * some thread holds it. The API's thread holds one (src/jobs/off-loop.ts), so each run's thread
 * starts on the code earlier runs optimised instead of compiling HiGHS again beside the reads.
 */
export function compiledHighs(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('highs/runtime')).then((bytes) => WebAssembly.compile(bytes));
  compiled.catch(() => {
    compiled = null;
  });
  return compiled;
}

/** Instantiate HiGHS in this thread from a module compiled elsewhere in the process (before its first use here). */
export function adoptCompiledHighs(module: WebAssembly.Module): void {
  if (cached) return;
  compiled = Promise.resolve(module);
}

/** The default loader: `import('highs')` once per thread, instantiated from `compiledHighs()`. */
export const loadHighs: HighsLoader = () => {
  cached ??= Promise.all([import('highs'), compiledHighs()]).then(([m, wasmModule]) =>
    (m.default as unknown as (options: { wasmModule: WebAssembly.Module }) => Promise<Highs>)({ wasmModule }),
  );
  cached.catch(() => {
    cached = null;
  });
  return cached;
};

/**
 * Branch-and-bound nodes a MILP may use. A work limit, not a clock: the same model gives the same
 * plan on any machine and load (the time limit is only a safety net; when it binds, the note says so).
 */
export const MILP_NODE_LIMIT = 500;

export async function solveSparse(
  model: SparseModel,
  timeLimitSeconds: number,
  loader: HighsLoader = loadHighs,
  warmStart?: Float64Array,
  nodeLimit = MILP_NODE_LIMIT,
  relativeGap = 1e-6,
): Promise<SolveOutcome> {
  const t0 = performance.now();
  const fail = (message: string): SolveOutcome => ({
    ok: false,
    status: 'failed',
    x: new Float64Array(0),
    objective: NaN,
    dualBound: NaN,
    seconds: (performance.now() - t0) / 1000,
    message,
  });
  if (!(timeLimitSeconds > 0)) return { ...fail('no time left in the exact-solution budget'), status: 'time-limit' };
  let highs: Highs;
  try {
    highs = await loader();
  } catch (error) {
    return fail(`HiGHS could not be loaded: ${errorMessage(error)}`);
  }
  try {
    const c = highs.constants;
    const hm = highs.createModel({
      numCols: model.numCols,
      numRows: model.numRows,
      sense: model.maximize ? c.objectiveSense.maximize : c.objectiveSense.minimize,
      colCost: model.colCost,
      colLower: model.colLower,
      colUpper: model.colUpper,
      rowLower: model.rowLower,
      rowUpper: model.rowUpper,
      matrix: { format: 'csc', numRows: model.numRows, numCols: model.numCols, starts: model.starts, indices: model.indices, values: model.values },
      ...(model.integer ? { integrality: new Int32Array(model.numCols).fill(c.variableType.integer) } : {}),
    });
    try {
      hm.options.set({ output_flag: false, time_limit: timeLimitSeconds, mip_rel_gap: relativeGap, random_seed: 1, mip_max_nodes: nodeLimit });
      if (warmStart && model.integer) hm.setSolution({ colValue: warmStart });
      hm.run();
      const status = hm.getModelStatus();
      const s = c.modelStatus;
      const seconds = (performance.now() - t0) / 1000;
      if (status === s.infeasible) return { ok: true, status: 'infeasible', x: new Float64Array(0), objective: NaN, dualBound: NaN, seconds, message: 'infeasible' };
      const primalOk = Number(hm.info.get('primal_solution_status')) === 2;
      const x = primalOk ? hm.getSolution().colValue : new Float64Array(0);
      const objective = primalOk ? hm.getObjectiveValue() : NaN;
      const dualBound = model.integer ? Number(hm.info.get('mip_dual_bound')) : objective;
      if (status === s.optimal) return { ok: true, status: 'optimal', x, objective, dualBound, seconds, message: 'optimal' };
      if (status === s.timeLimit || status === s.interrupted) return { ok: true, status: 'time-limit', x, objective, dualBound, seconds, message: 'time limit' };
      if (status === s.solutionLimit || status === s.iterationLimit || (status === s.unknown && primalOk)) return { ok: true, status: 'work-limit', x, objective, dualBound, seconds, message: 'node limit' };
      return { ...fail(`HiGHS ended with model status ${status}`), x, objective };
    } finally {
      hm.dispose();
    }
  } catch (error) {
    return fail(`HiGHS failed: ${errorMessage(error)}`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A small LP kept alive in HiGHS between solves, for cutting-plane methods: columns fixed at
 * creation, one row added per iteration, each solve warm-started from the previous basis.
 */
export class CuttingPlaneMaster {
  private constructor(
    private readonly highs: Highs,
    private readonly model: ReturnType<Highs['createModel']>,
  ) {}

  static async create(colCost: Float64Array, colLower: Float64Array, colUpper: Float64Array, loader: HighsLoader = loadHighs): Promise<CuttingPlaneMaster> {
    const highs = await loader();
    const n = colCost.length;
    const model = highs.createModel({
      numCols: n,
      numRows: 0,
      colCost,
      colLower,
      colUpper,
      rowLower: new Float64Array(0),
      rowUpper: new Float64Array(0),
      matrix: { format: 'csc', numRows: 0, numCols: n, starts: new Int32Array(n + 1), indices: new Int32Array(0), values: new Float64Array(0) },
    });
    model.options.set({ output_flag: false });
    return new CuttingPlaneMaster(highs, model);
  }

  /** Adds lower ≤ Σ values_j x_{indices_j}. */
  addRow(lower: number, indices: Int32Array, values: Float64Array): void {
    this.model.addRow(lower, Infinity, { indices, values });
  }

  solve(timeLimitSeconds: number): { status: SolveStatus; x: Float64Array; objective: number; message: string } {
    this.model.options.set({ time_limit: Math.max(0.01, timeLimitSeconds) });
    this.model.run();
    const status = this.model.getModelStatus();
    const s = this.highs.constants.modelStatus;
    if (status === s.optimal) return { status: 'optimal', x: this.model.getSolution().colValue, objective: this.model.getObjectiveValue(), message: 'optimal' };
    if (status === s.infeasible) return { status: 'infeasible', x: new Float64Array(0), objective: NaN, message: 'infeasible' };
    if (status === s.timeLimit) return { status: 'time-limit', x: new Float64Array(0), objective: NaN, message: 'time limit' };
    return { status: 'failed', x: new Float64Array(0), objective: NaN, message: `HiGHS ended with model status ${status}` };
  }

  dispose(): void {
    this.model.dispose();
  }
}
