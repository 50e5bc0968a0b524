/**
 * Evaluation of a range of population rows, inline or split into chunks over a WorkerPool.
 * Rows are evaluated in place in the shared arrays, so the result does not depend on how the
 * range is chunked or on which thread runs a chunk.
 */
import type { EvaluationBatch, Genome, IncrementalBatch, Problem } from './problem.js';
import type { WorkerPool } from './pool.js';
import { moduleUrl } from './module-url.js';

export interface RangeRequest {
  x: Genome;
  f: Float64Array;
  g: Float64Array;
  nVar: number;
  nObj: number;
  nCon: number;
  from: number;
  to: number;
  /** Incremental evaluation: parents are rows [0, parentCount); child row r has primary parent parentIndex[r - offspringStart]. */
  incremental?: { parentCount: number; parentIndex: Int32Array; offspringStart: number };
}

export async function evaluateRange(problem: Problem<Genome>, r: RangeRequest): Promise<void> {
  const { x, f, g, nVar, nObj, nCon, from, to } = r;
  const count = to - from;
  if (count <= 0) return;
  const batch: EvaluationBatch<Genome> = {
    x: x.subarray(from * nVar, to * nVar),
    f: f.subarray(from * nObj, to * nObj),
    g: g.subarray(from * nCon, to * nCon),
    count,
  };
  if (r.incremental && problem.evaluateIncremental) {
    const { parentCount, parentIndex, offspringStart } = r.incremental;
    const inc: IncrementalBatch<Genome> = {
      ...batch,
      parents: { x: x.subarray(0, parentCount * nVar), f: f.subarray(0, parentCount * nObj), g: g.subarray(0, parentCount * nCon), count: parentCount },
      parentIndex: parentIndex.subarray(from - offspringStart, to - offspringStart),
    };
    await problem.evaluateIncremental(inc);
  } else {
    await problem.evaluate(batch);
  }
}

const TASK_MODULE = moduleUrl('./evaluate-task.js', import.meta.url);

/**
 * Evaluates rows [from, to): inline without a pool, else in about `chunksPerThread` chunks per
 * thread; `signal` aborts the chunks still queued or running (the rows are then left partly written).
 */
export async function evaluatePopulation(problem: Problem<Genome>, request: RangeRequest, pool: WorkerPool | null, chunksPerThread = 2, signal?: AbortSignal): Promise<void> {
  const { from, to } = request;
  if (!pool || pool.threads === 0 || to - from < 2) {
    await evaluateRange(problem, request);
  } else {
    if (!problem.source) throw new Error(`problem "${problem.name}" has no \`source\`, so it cannot be evaluated on worker threads`);
    const chunks = Math.min(to - from, pool.threads * chunksPerThread);
    const size = Math.ceil((to - from) / chunks);
    const tasks: Promise<unknown>[] = [];
    for (let a = from; a < to; a += size) {
      const payload = { ...request, from: a, to: Math.min(to, a + size), source: problem.source };
      tasks.push(pool.run({ module: TASK_MODULE, exportName: 'evaluateRows', payload }, { signal }));
    }
    await Promise.all(tasks);
  }
  checkFinite(problem, request);
}

function checkFinite(problem: Problem<Genome>, r: RangeRequest): void {
  const { f, g, nObj, nCon, from, to } = r;
  for (let i = from; i < to; i++) {
    for (let j = 0; j < nObj; j++) {
      const v = f[i * nObj + j];
      if (Number.isNaN(v)) throw new Error(`problem "${problem.name}": objective ${j} of row ${i} evaluated to NaN`);
    }
    for (let j = 0; j < nCon; j++) {
      if (Number.isNaN(g[i * nCon + j])) throw new Error(`problem "${problem.name}": constraint ${j} of row ${i} evaluated to NaN`);
    }
  }
}
