/**
 * Polynomial mutation, bounded form (Deb & Goyal 1996, Computer Science and Informatics 26(4);
 * as in Deb's NSGA-II reference code nsga2-v1.1 `real_mutate_ind`). Each variable mutates with
 * probability `probability` (standard 1/n), distribution index η_m (standard 20).
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
  return (x: Float64Array, row: number, rng: Random): void => {
    const base = row * nVar;
    for (let j = 0; j < nVar; j++) {
      if (rng.next() > pm) continue;
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
