/**
 * Random-reset mutation for integer genomes: each gene is, with probability `probability`
 * (default 1/n), replaced by a value drawn uniformly from its domain excluding its current value.
 * Mutated positions are found by geometric skipping (one draw per mutation, not per gene), which
 * keeps a 1 M-gene genome cheap to mutate.
 */
import type { IntegerGenome, IntegerVariables, MutationOperator } from '../problem.js';
import type { Random } from '../random.js';

export interface RandomResetOptions {
  variables: IntegerVariables;
  nVar: number;
  probability?: number;
}

export function randomReset(options: RandomResetOptions): MutationOperator<IntegerGenome> {
  const { variables, nVar } = options;
  const pm = options.probability ?? 1 / nVar;
  if (!(pm >= 0 && pm <= 1)) throw new Error(`randomReset: probability must be in [0, 1], got ${pm}`);
  const sizes = variables.domainSize;
  const logQ = Math.log1p(-pm);
  return (x: IntegerGenome, row: number, rng: Random): void => {
    if (pm === 0) return;
    const base = row * nVar;
    // Gap to the next mutated gene ~ Geometric(pm): floor(ln U / ln(1 − pm)).
    let j = pm === 1 ? 0 : Math.floor(Math.log(1 - rng.next()) / logQ);
    while (j < nVar) {
      const d = typeof sizes === 'number' ? sizes : sizes[j];
      if (d > 1) {
        const v = rng.nextInt(d - 1);
        const cur = x[base + j];
        x[base + j] = v >= cur ? v + 1 : v;
      }
      j += pm === 1 ? 1 : 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    }
  };
}
