/**
 * Bounded least squares: projected Levenberg–Marquardt (Levenberg 1944; Marquardt 1963, J. SIAM
 * 11, 431–441) with a forward-difference Jacobian, each step clipped to the parameter box.
 * Generic: the caller gives the residual vector; the knee and BLAST forms use it.
 */

export interface Bounds {
  lower: readonly number[];
  upper: readonly number[];
}

/** Fills `out` with the residuals at θ and returns their sum of squares. */
export type ResidualFunction = (theta: Float64Array, out: Float64Array) => number;

/** Solve the k×k normal equations by Gaussian elimination with partial pivoting; null if singular. */
export function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const m = new Float64Array(a);
  const x = new Float64Array(b);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[piv * n + k]!)) piv = i;
    if (Math.abs(m[piv * n + k]!) < 1e-300) return null;
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[piv * n + j]!;
        m[piv * n + j] = t;
      }
      const t = x[k]!;
      x[k] = x[piv]!;
      x[piv] = t;
    }
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / m[k * n + k]!;
      for (let j = k; j < n; j++) m[i * n + j]! -= f * m[k * n + j]!;
      x[i]! -= f * x[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= m[i * n + j]! * x[j]!;
    x[i] = s / m[i * n + i]!;
  }
  return x;
}

/**
 * Minimises the sum of squared residuals over the free parameters of θ (in place) inside the box.
 * `residualCount` is the length of the residual vector. Returns the iterations used.
 */
export function levenbergMarquardt(
  theta: Float64Array,
  free: readonly boolean[],
  residuals: ResidualFunction,
  residualCount: number,
  maxIter: number,
  { lower, upper }: Bounds,
): number {
  const m = residualCount;
  const np = theta.length;
  const res = new Float64Array(m);
  const trialRes = new Float64Array(m);
  const jac = new Float64Array(m * np);
  const idx = free.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
  const k = idx.length;
  let lambda = 1e-3;
  let cost = residuals(theta, res);
  let it = 0;
  for (; it < maxIter; it++) {
    for (let a = 0; a < k; a++) {
      const j = idx[a]!;
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      const saved = theta[j]!;
      theta[j] = saved + h;
      residuals(theta, trialRes);
      theta[j] = saved;
      // d(model)/dθ = −d(residual)/dθ.
      for (let i = 0; i < m; i++) jac[i * np + a] = (res[i]! - trialRes[i]!) / h;
    }
    const jtj = new Float64Array(k * k);
    const jtr = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < k; a++) {
        jtr[a]! += jac[i * np + a]! * res[i]!;
        for (let b = 0; b < k; b++) jtj[a * k + b]! += jac[i * np + a]! * jac[i * np + b]!;
      }
    }
    let improved = false;
    for (let attempt = 0; attempt < 12; attempt++) {
      const damped = new Float64Array(jtj);
      for (let a = 0; a < k; a++) damped[a * k + a]! += lambda * (jtj[a * k + a]! + 1e-12);
      const step = solveLinear(damped, jtr, k);
      if (!step) {
        lambda *= 10;
        continue;
      }
      const cand = new Float64Array(theta);
      for (let a = 0; a < k; a++) {
        const j = idx[a]!;
        cand[j] = Math.min(upper[j]!, Math.max(lower[j]!, theta[j]! + step[a]!));
      }
      const c = residuals(cand, trialRes);
      if (Number.isFinite(c) && c < cost) {
        const rel = (cost - c) / Math.max(cost, 1e-300);
        theta.set(cand);
        res.set(trialRes);
        cost = c;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-10) return it + 1;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return it;
}
