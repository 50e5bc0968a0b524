/**
 * Non-dominated sorting of two objectives in O(N log N): sort by (f1, f2), then place each point
 * in the first front whose last member (its smallest f2 so far) does not dominate it, found by
 * binary search over the fronts (Jensen 2003, IEEE TEC 7(5); the 2-D case of ENS-BS,
 * Zhang et al. 2015, IEEE TEC 19(2)). Duplicates share a front.
 */

/**
 * Ranks rows `idx[0..n)` of f (rows × 2). Writes rank[row] (0 = first front) and returns the
 * number of fronts. `order` and `tails` are scratch arrays of length ≥ n; `idx` is not modified.
 */
export function sortTwoObjectives(f: Float64Array, idx: Int32Array, n: number, rank: Int32Array, order: Int32Array, tails: Int32Array): number {
  for (let i = 0; i < n; i++) order[i] = idx[i];
  const view = order.subarray(0, n);
  view.sort((a, b) => f[2 * a] - f[2 * b] || f[2 * a + 1] - f[2 * b + 1]);
  let fronts = 0;
  for (let i = 0; i < n; i++) {
    const p = view[i];
    const p1 = f[2 * p];
    const p2 = f[2 * p + 1];
    let lo = 0;
    let hi = fronts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = tails[mid];
      const t2 = f[2 * t + 1];
      // Earlier in the order, t has f1 ≤ p1; it dominates p unless it is no better in f2 or a duplicate.
      if (t2 < p2 || (t2 === p2 && f[2 * t] < p1)) lo = mid + 1;
      else hi = mid;
    }
    rank[p] = lo;
    tails[lo] = p;
    if (lo === fronts) fronts++;
  }
  return fronts;
}
