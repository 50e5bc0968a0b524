/**
 * Exact hypervolume (Lebesgue measure of the region dominated by a point set and bounded by a
 * reference point, minimisation). 2 objectives: O(n log n) sweep. 3 objectives: slicing along
 * f3 with an incrementally maintained 2-D staircase, O(n²) worst case (n log n + n·front). More
 * objectives: recursive slicing (HSO, While, Hingston, Barone & Huband 2006, IEEE TEC 10(1)),
 * exponential in M, fine for small sets. Points not strictly better than the reference point in
 * every objective contribute nothing.
 */

/** Hypervolume of `count` points (row-major count × nObj) w.r.t. `ref` (length nObj). */
export function hypervolume(points: Float64Array, nObj: number, ref: ArrayLike<number>, count: number = points.length / nObj): number {
  if (ref.length !== nObj) throw new Error(`hypervolume: reference point has ${ref.length} coordinates, expected ${nObj}`);
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    let inside = true;
    for (let j = 0; j < nObj; j++) {
      if (!(points[i * nObj + j] < ref[j])) {
        inside = false;
        break;
      }
    }
    if (inside) kept.push(i);
  }
  if (kept.length === 0) return 0;
  if (nObj === 1) {
    let best = Number.POSITIVE_INFINITY;
    for (const i of kept) best = Math.min(best, points[i]);
    return ref[0] - best;
  }
  const p = new Float64Array(kept.length * nObj);
  for (let k = 0; k < kept.length; k++) for (let j = 0; j < nObj; j++) p[k * nObj + j] = points[kept[k] * nObj + j];
  if (nObj === 2) return hv2d(p, kept.length, ref[0], ref[1]);
  if (nObj === 3) return hv3d(p, kept.length, ref[0], ref[1], ref[2]);
  return hvSlicing(p, kept.length, nObj, Array.from(ref));
}

/** 2-D sweep over points already inside the reference box. */
export function hv2d(p: Float64Array, n: number, r1: number, r2: number): number {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => p[2 * a] - p[2 * b] || p[2 * a + 1] - p[2 * b + 1]);
  let area = 0;
  let minF2 = r2;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const y = p[2 * i + 1];
    if (y < minF2) {
      area += (r1 - p[2 * i]) * (minF2 - y);
      minF2 = y;
    }
  }
  return area;
}

/** 3-D: slices between consecutive f3 values, each measured by the 2-D staircase so far. */
export function hv3d(p: Float64Array, n: number, r1: number, r2: number, r3: number): number {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => p[3 * a + 2] - p[3 * b + 2]);
  // Staircase: points non-dominated in (f1, f2), sorted by f1 ascending (so f2 descending).
  const xs: number[] = [];
  const ys: number[] = [];
  let area = 0;
  let volume = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const x = p[3 * i];
    const y = p[3 * i + 1];
    // First staircase point with f1 ≥ x.
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xs[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    const dominated = (lo > 0 && ys[lo - 1] <= y) || (lo < xs.length && xs[lo] === x && ys[lo] <= y);
    if (!dominated) {
      // The new point removes the staircase points it weakly dominates (f1 ≥ x, f2 ≥ y).
      let end = lo;
      while (end < xs.length && ys[end] >= y) end++;
      const leftY = lo > 0 ? ys[lo - 1] : r2;
      const firstRight = lo < xs.length ? xs[lo] : r1;
      const rightX = end < xs.length ? xs[end] : r1;
      let before = (firstRight - x) * (r2 - leftY);
      for (let t = lo; t < end; t++) before += ((t + 1 < end ? xs[t + 1] : rightX) - xs[t]) * (r2 - ys[t]);
      area += (rightX - x) * (r2 - y) - before;
      xs.splice(lo, end - lo, x);
      ys.splice(lo, end - lo, y);
    }
    const nextZ = k + 1 < n ? p[3 * order[k + 1] + 2] : r3;
    volume += area * (nextZ - p[3 * i + 2]);
  }
  return volume;
}

function hvSlicing(p: Float64Array, n: number, m: number, ref: number[]): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a * m + m - 1] - p[b * m + m - 1]);
  const sub = new Float64Array(n * (m - 1));
  let volume = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    for (let j = 0; j < m - 1; j++) sub[k * (m - 1) + j] = p[i * m + j];
    const nextZ = k + 1 < n ? p[order[k + 1] * m + m - 1] : ref[m - 1];
    const depth = nextZ - p[i * m + m - 1];
    if (depth > 0) volume += depth * hypervolume(sub, m - 1, ref.slice(0, m - 1), k + 1);
  }
  return volume;
}
