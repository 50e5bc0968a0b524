/**
 * Worker-side evaluation: rebuilds the problem from its ProblemSource once per thread and
 * evaluates a range of rows of the shared population arrays in place.
 */
import type { Genome, Problem, ProblemSource } from './problem.js';
import { evaluateRange, type RangeRequest } from './evaluation.js';
import { importModule } from './import-module.js';

export interface EvaluateRowsPayload extends RangeRequest {
  source: ProblemSource;
}

const problems = new Map<string, Promise<Problem>>();

async function problemFor(source: ProblemSource): Promise<Problem> {
  const key = `${source.module}#${source.exportName}#${source.key ?? ''}`;
  let p = problems.get(key);
  if (!p) {
    p = (async () => {
      const mod = await importModule(source.module);
      const factory = mod[source.exportName];
      if (typeof factory !== 'function') throw new Error(`problem source: ${source.module} has no exported function "${source.exportName}"`);
      return (await (factory as (payload: unknown) => Problem | Promise<Problem>)(source.payload)) as Problem;
    })();
    problems.set(key, p);
  }
  return p;
}

export async function evaluateRows(payload: EvaluateRowsPayload): Promise<void> {
  const problem = await problemFor(payload.source);
  await evaluateRange(problem as Problem<Genome>, payload);
}
