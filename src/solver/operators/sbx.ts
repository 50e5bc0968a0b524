/**
 * Simulated binary crossover, bounded form (Deb & Agrawal 1995, Complex Systems 9; the bounded
 * spread factor as in Deb's NSGA-II reference code nsga2-v1.1 `realcross`). Each variable is
 * crossed with probability 0.5 when the pair crosses (probability `probability`); children are
 * clipped to the bounds and swapped with probability 0.5.
 */
import type { CrossoverOperator } from '../problem.js';
import type { Random } from '../random.js';

export interface SbxOptions {
  lower: Float64Array;
  upper: Float64Array;
  /** Distribution index η_c; Deb's standard setting 15 (Deb et al. 2002 used 20; pymoo uses 15). */
  eta?: number;
  /** Probability that a pair is crossed at all; standard 0.9. */
  probability?: number;
}

/** Below this parent distance the variable is copied (nsga2-v1.1 EPS). */
const EPS = 1e-14;

export function sbx(options: SbxOptions): CrossoverOperator<Float64Array> {
  const { lower, upper } = options;
  const eta = options.eta ?? 15;
  const pc = options.probability ?? 0.9;
  const nVar = lower.length;
  const exponent = 1 / (eta + 1);
  // η_c + 1 a power of two (η_c = 15: 16) turns the two pow() per child into square roots / squarings.
  const k = Math.log2(eta + 1);
  const sqrtSteps = Number.isInteger(k) && k <= 6 ? k : -1;
  const root = (v: number): number => {
    if (sqrtSteps < 0) return Math.pow(v, exponent);
    for (let i = 0; i < sqrtSteps; i++) v = Math.sqrt(v);
    return v;
  };
  const powNeg = (b: number): number => {
    if (sqrtSteps < 0) return Math.pow(b, -(eta + 1));
    let v = b;
    for (let i = 0; i < sqrtSteps; i++) v *= v;
    return 1 / v;
  };
  return (parents: Float64Array, a: number, b: number, children: Float64Array, c1: number, c2: number, rng: Random): void => {
    const pa = a * nVar;
    const pb = b * nVar;
    const o1 = c1 * nVar;
    const o2 = c2 * nVar;
    if (rng.nextFast() >= pc) {
      for (let j = 0; j < nVar; j++) {
        const va = parents[pa + j];
        const vb = parents[pb + j];
        children[o1 + j] = va;
        children[o2 + j] = vb;
      }
      return;
    }
    for (let j = 0; j < nVar; j++) {
      const va = parents[pa + j];
      const vb = parents[pb + j];
      if (rng.nextUint32() >= 0x80000000 || Math.abs(va - vb) <= EPS) {
        children[o1 + j] = va;
        children[o2 + j] = vb;
        continue;
      }
      const y1 = va < vb ? va : vb;
      const y2 = va < vb ? vb : va;
      const yl = lower[j];
      const yu = upper[j];
      const u = rng.next();
      const d = y2 - y1;
      let beta = 1 + (2 * (y1 - yl)) / d;
      let alpha = 2 - powNeg(beta);
      let betaq = u <= 1 / alpha ? root(u * alpha) : root(1 / (2 - u * alpha));
      let x1 = 0.5 * (y1 + y2 - betaq * d);
      beta = 1 + (2 * (yu - y2)) / d;
      alpha = 2 - powNeg(beta);
      betaq = u <= 1 / alpha ? root(u * alpha) : root(1 / (2 - u * alpha));
      let x2 = 0.5 * (y1 + y2 + betaq * d);
      x1 = x1 < yl ? yl : x1 > yu ? yu : x1;
      x2 = x2 < yl ? yl : x2 > yu ? yu : x2;
      if (rng.nextUint32() < 0x80000000) {
        children[o1 + j] = x2;
        children[o2 + j] = x1;
      } else {
        children[o1 + j] = x1;
        children[o2 + j] = x2;
      }
    }
  };
}
