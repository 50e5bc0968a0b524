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

/**
 * Problems built in this thread, most recently used last. Bounded so that a long-lived pool
 * serving many runs does not keep every run's (possibly large, shared) payload alive.
 */
const problems = new Map<string, Promise<Problem>>();
const MAX_CACHED_PROBLEMS = 4;

async function problemFor(source: ProblemSource): Promise<Problem> {
  const key = `${source.module}#${source.exportName}#${source.key ?? ''}`;
  let p = problems.get(key);
  if (p) {
    problems.delete(key);
    problems.set(key, p);
  } else {
    if (problems.size >= MAX_CACHED_PROBLEMS) problems.delete(problems.keys().next().value as string);
    p = (async () => {
      const mod = await importModule(source.module);
      const factory = mod[source.exportName];
      if (typeof factory !== 'function') throw new Error(`problem source: ${source.module} has no exported function "${source.exportName}"`);
      return (await (factory as (payload: unknown) => Problem | Promise<Problem>)(source.payload)) as Problem;
    })();
    // A failed build is not cached: the next task retries it.
    p.catch(() => problems.delete(key));
    problems.set(key, p);
  }
  return p;
}

export async function evaluateRows(payload: EvaluateRowsPayload): Promise<void> {
  const problem = await problemFor(payload.source);
  await evaluateRange(problem as Problem<Genome>, payload);
}
