/**
 * A benchmark problem made artificially expensive: each evaluation also runs `workPerRow`
 * iterations of a deterministic floating-point loop whose result does not change the objectives.
 * Used to measure worker scaling when evaluation dominates (a stand-in for a costly simulator).
 */
import type { EvaluationBatch, Problem } from '../problem.js';
import { moduleUrl } from '../module-url.js';
import { createBenchmarkProblem, type BenchmarkName } from './index.js';

export interface ExpensivePayload {
  name: BenchmarkName;
  workPerRow: number;
}

export function createExpensive(payload: ExpensivePayload): Problem<Float64Array> {
  const inner = createBenchmarkProblem(payload.name);
  const work = payload.workPerRow;
  const nVar = inner.nVar;
  return {
    ...inner,
    name: `${inner.name}-expensive`,
    evaluate(batch: EvaluationBatch<Float64Array>): void {
      inner.evaluate(batch);
      for (let i = 0; i < batch.count; i++) {
        let acc = batch.x[i * nVar];
        for (let t = 0; t < work; t++) acc = Math.sin(acc + t) * 0.5;
        // Keeps the loop observable to the optimiser without touching the objectives.
        if (acc > 10) throw new Error('unreachable: |sin| ≤ 1');
      }
    },
    source: { module: moduleUrl('./expensive.js', import.meta.url), exportName: 'createExpensive', payload, key: `expensive:${payload.name}:${work}` },
  };
}
