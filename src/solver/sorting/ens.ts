/**
 * Efficient Non-dominated Sort with binary search (ENS-BS, Zhang, Tian, Cheng & Jin 2015,
 * IEEE TEC 19(2) 201–213) for any number of objectives. Points are sorted lexicographically, so
 * a point can only be dominated by points before it; each point is placed in the first front
 * none of whose members dominates it (binary search over fronts, which is valid because a point
 * dominated by front k is dominated by every front before k). Far fewer comparisons than
 * Deb's O(MN²) fast non-dominated sort on typical populations (O(MN log N) best case).
 */

/**
 * Ranks rows `idx[0..n)` of f (rows × nObj). Writes rank[row] and returns the number of fronts.
 * Scratch arrays of length ≥ n: order, heads (first member of each front), next (linked lists,
 * indexed by row so length ≥ max row + 1).
 */
export function sortEns(f: Float64Array, nObj: number, idx: Int32Array, n: number, rank: Int32Array, order: Int32Array, heads: Int32Array, next: Int32Array): number {
  for (let i = 0; i < n; i++) order[i] = idx[i];
  const view = order.subarray(0, n);
  view.sort((a, b) => {
    const pa = a * nObj;
    const pb = b * nObj;
    for (let j = 0; j < nObj; j++) {
      const d = f[pa + j] - f[pb + j];
      if (d !== 0) return d;
    }
    return 0;
  });
  let fronts = 0;
  for (let i = 0; i < n; i++) {
    const p = view[i];
    let lo = 0;
    let hi = fronts;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (frontDominates(f, nObj, heads[mid], next, p)) lo = mid + 1;
      else hi = mid;
    }
    rank[p] = lo;
    // Newest member first: it is the closest in lexicographic order, the likeliest dominator.
    next[p] = lo === fronts ? -1 : heads[lo];
    heads[lo] = p;
    if (lo === fronts) fronts++;
  }
  return fronts;
}

function frontDominates(f: Float64Array, nObj: number, head: number, next: Int32Array, p: number): boolean {
  const pp = p * nObj;
  for (let q = head; q !== -1; q = next[q]) {
    const pq = q * nObj;
    let noWorse = true;
    let better = false;
    for (let j = 0; j < nObj; j++) {
      const a = f[pq + j];
      const b = f[pp + j];
      if (a > b) {
        noWorse = false;
        break;
      }
      if (a < b) better = true;
    }
    if (noWorse && better) return true;
  }
  return false;
}
