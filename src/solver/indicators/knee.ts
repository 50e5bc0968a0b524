/**
 * Knee point of a front: after normalising each objective to [0, 1] over the front (ideal → 0,
 * nadir → 1), the solution farthest below the hyperplane Σ f̂_j = 1 through the normalised extreme
 * points, i.e. with the smallest Σ f̂_j (Das 1999, Structural Optimization 18; the "maximum
 * distance from the extreme hyperplane" knee of Branke, Deb, Dierolf & Osswald 2004, PPSN VIII).
 * In two objectives this is the point farthest from the line joining the two extremes.
 * Returns the row index (ties: the lowest index).
 */
export function kneePoint(front: Float64Array, nObj: number): number {
  const n = front.length / nObj;
  if (n === 0) throw new Error('kneePoint: empty front');
  const lo = new Float64Array(nObj).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(nObj).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nObj; j++) {
      const v = front[i * nObj + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  let best = 0;
  let bestSum = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < nObj; j++) {
      const range = hi[j] - lo[j];
      s += range > 0 ? (front[i * nObj + j] - lo[j]) / range : 0;
    }
    if (s < bestSum) {
      bestSum = s;
      best = i;
    }
  }
  return best;
}
