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
  if (typeof sizes === 'number' && sizes > 1 && (sizes & (sizes - 1)) === 0 && sizes <= 65536) {
    // Power-of-two domain: several genes from each 32-bit draw, exactly uniform.
    const bits = Math.log2(sizes);
    const perWord = Math.floor(32 / bits);
    const mask = sizes - 1;
    for (let i = from; i < to; i++) {
      const base = i * nVar;
      let word = 0;
      let left = 0;
      for (let j = 0; j < nVar; j++) {
        if (left === 0) {
          word = rng.nextUint32();
          left = perWord;
        }
        xi[base + j] = word & mask;
        word >>>= bits;
        left--;
      }
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const base = i * nVar;
    for (let j = 0; j < nVar; j++) xi[base + j] = rng.nextInt(typeof sizes === 'number' ? sizes : sizes[j]);
  }
}
