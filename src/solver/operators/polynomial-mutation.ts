/**
 * Polynomial mutation, bounded form (Deb & Goyal 1996, Computer Science and Informatics 26(4);
 * as in Deb's NSGA-II reference code nsga2-v1.1 `real_mutate_ind`). Each variable mutates with
 * probability `probability` (standard 1/n), distribution index η_m (standard 20). The mutated
 * variables are found by geometric skipping (gap ~ Geometric(p)), which draws one number per
 * mutation instead of one per variable and gives the same distribution.
 */
import type { MutationOperator } from '../problem.js';
import type { Random } from '../random.js';

export interface PolynomialMutationOptions {
  lower: Float64Array;
  upper: Float64Array;
  eta?: number;
  /** Per-variable probability; default 1/nVar. */
  probability?: number;
}

export function polynomialMutation(options: PolynomialMutationOptions): MutationOperator<Float64Array> {
  const { lower, upper } = options;
  const nVar = lower.length;
  const eta = options.eta ?? 20;
  const pm = options.probability ?? 1 / nVar;
  const power = 1 / (eta + 1);
  if (!(pm >= 0 && pm <= 1)) throw new Error(`polynomialMutation: probability must be in [0, 1], got ${pm}`);
  const logQ = Math.log1p(-pm);
  const gap = (rng: Random): number => (pm === 1 ? 0 : Math.floor(Math.log(1 - rng.next()) / logQ));
  return (x: Float64Array, row: number, rng: Random): void => {
    if (pm === 0) return;
    const base = row * nVar;
    for (let j = gap(rng); j < nVar; j += 1 + gap(rng)) {
      const yl = lower[j];
      const yu = upper[j];
      const y = x[base + j];
      const range = yu - yl;
      const delta1 = (y - yl) / range;
      const delta2 = (yu - y) / range;
      const u = rng.next();
      let deltaq: number;
      if (u <= 0.5) {
        const xy = 1 - delta1;
        const val = 2 * u + (1 - 2 * u) * Math.pow(xy, eta + 1);
        deltaq = Math.pow(val, power) - 1;
      } else {
        const xy = 1 - delta2;
        const val = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(xy, eta + 1);
        deltaq = 1 - Math.pow(val, power);
      }
      let v = y + deltaq * range;
      v = v < yl ? yl : v > yu ? yu : v;
      x[base + j] = v;
    }
  };
}
