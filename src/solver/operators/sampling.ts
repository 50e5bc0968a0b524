/** Initial populations: uniform in the bounds (real) or over each gene's domain (integer). */
import type { Genome, IntegerGenome, Variables } from '../problem.js';
import type { Random } from '../random.js';

/** Fills rows [from, to) of x uniformly at random. */
export function sampleUniform(variables: Variables, nVar: number, x: Genome, from: number, to: number, rng: Random): void {
  if (variables.kind === 'real') {
    const { lower, upper } = variables;
    for (let i = from; i < to; i++) {
      const base = i * nVar;
      for (let j = 0; j < nVar; j++) x[base + j] = lower[j] + rng.next() * (upper[j] - lower[j]);
    }
    return;
  }
  const sizes = variables.domainSize;
  const xi = x as IntegerGenome;
  for (let i = from; i < to; i++) {
    const base = i * nVar;
    for (let j = 0; j < nVar; j++) xi[base + j] = rng.nextInt(typeof sizes === 'number' ? sizes : sizes[j]);
  }
}
