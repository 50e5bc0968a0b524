/**
 * Uniform crossover for integer genomes (Syswerda 1989): with probability `probability` the pair
 * is crossed and every gene is exchanged with probability 1/2 (one PRNG bit per gene); otherwise
 * the children are copies of their primary parents.
 */
import type { CrossoverOperator, IntegerGenome } from '../problem.js';
import type { Random } from '../random.js';

export interface UniformCrossoverOptions {
  nVar: number;
  probability?: number;
}

export function uniformCrossover(options: UniformCrossoverOptions): CrossoverOperator<IntegerGenome> {
  const nVar = options.nVar;
  const pc = options.probability ?? 0.9;
  return (parents: IntegerGenome, a: number, b: number, children: IntegerGenome, c1: number, c2: number, rng: Random): void => {
    copyRow(parents, a, children, c1, nVar);
    copyRow(parents, b, children, c2, nVar);
    if (rng.next() > pc) return;
    const o1 = c1 * nVar;
    const o2 = c2 * nVar;
    let bits = 0;
    for (let j = 0; j < nVar; j++) {
      if ((j & 31) === 0) bits = rng.nextUint32();
      if (bits & 1) {
        const t = children[o1 + j];
        children[o1 + j] = children[o2 + j];
        children[o2 + j] = t;
      }
      bits >>>= 1;
    }
  };
}

/** Copies row `from` of src into row `to` of dst (same element type). */
export function copyRow<G extends Float64Array | IntegerGenome>(src: G, from: number, dst: G, to: number, nVar: number): void {
  if (src === dst) dst.copyWithin(to * nVar, from * nVar, (from + 1) * nVar);
  else (dst as Float64Array).set((src as Float64Array).subarray(from * nVar, (from + 1) * nVar), to * nVar);
}
