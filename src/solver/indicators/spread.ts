/**
 * Spread Δ. Two objectives: Deb et al. 2002 (IEEE TEC 6(2), eq. 1):
 *   Δ = (d_f + d_l + Σ|d_i − d̄|) / (d_f + d_l + (N − 1) d̄)
 * with d_i the distances between consecutive solutions sorted by f1 and d_f, d_l the distances
 * from the extreme solutions of the true front to the boundary solutions found. More objectives:
 * the generalised spread of Zhou, Jin, Zhang, Sendhoff & Tsang 2006 (CEC), with d(X) the
 * distance from X to its nearest neighbour in the set and e_m the true front's extreme for each
 * objective m. 0 is an ideal, evenly spread front that reaches the extremes.
 */

export function spread(front: Float64Array, trueFront: Float64Array, nObj: number): number {
  const n = front.length / nObj;
  if (n < 2) throw new Error(`spread: needs at least 2 solutions, got ${n}`);
  return nObj === 2 ? spread2d(front, trueFront, n) : generalizedSpread(front, trueFront, nObj, n);
}

function dist(a: Float64Array, i: number, b: Float64Array, k: number, m: number): number {
  let s = 0;
  for (let j = 0; j < m; j++) {
    const d = a[i * m + j] - b[k * m + j];
    s += d * d;
  }
  return Math.sqrt(s);
}

function extremeIndex(points: Float64Array, m: number, objective: number, maximise: boolean): number {
  const n = points.length / m;
  let best = 0;
  for (let i = 1; i < n; i++) {
    const v = points[i * m + objective];
    const b = points[best * m + objective];
    if (maximise ? v > b : v < b) best = i;
  }
  return best;
}

function spread2d(front: Float64Array, trueFront: Float64Array, n: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => front[2 * a] - front[2 * b] || front[2 * b + 1] - front[2 * a + 1]);
  const sorted = new Float64Array(2 * n);
  order.forEach((i, k) => {
    sorted[2 * k] = front[2 * i];
    sorted[2 * k + 1] = front[2 * i + 1];
  });
  const first = extremeIndex(trueFront, 2, 0, false);
  const last = extremeIndex(trueFront, 2, 1, false);
  const df = dist(trueFront, first, sorted, 0, 2);
  const dl = dist(trueFront, last, sorted, n - 1, 2);
  let mean = 0;
  for (let k = 0; k < n - 1; k++) mean += dist(sorted, k, sorted, k + 1, 2);
  mean /= n - 1;
  let dev = 0;
  for (let k = 0; k < n - 1; k++) dev += Math.abs(dist(sorted, k, sorted, k + 1, 2) - mean);
  const denominator = df + dl + (n - 1) * mean;
  return denominator === 0 ? 0 : (df + dl + dev) / denominator;
}

function generalizedSpread(front: Float64Array, trueFront: Float64Array, m: number, n: number): number {
  let extremes = 0;
  for (let j = 0; j < m; j++) {
    const e = extremeIndex(trueFront, m, j, true);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) best = Math.min(best, dist(trueFront, e, front, i, m));
    extremes += best;
  }
  const nearest = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < n; k++) if (k !== i) best = Math.min(best, dist(front, i, front, k, m));
    nearest[i] = best;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += nearest[i];
  mean /= n;
  let dev = 0;
  for (let i = 0; i < n; i++) dev += Math.abs(nearest[i] - mean);
  const denominator = extremes + n * mean;
  return denominator === 0 ? 0 : (extremes + dev) / denominator;
}
