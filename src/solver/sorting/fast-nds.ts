/**
 * Deb's fast non-dominated sort (Deb et al. 2002, IEEE TEC 6(2), §III-A): every pair is compared
 * once, O(M N²). Kept as the textbook reference that the sweep and ENS-BS are benchmarked
 * against; the solver itself does not use it.
 */
export function sortFastNds(f: Float64Array, nObj: number, n: number, rank: Int32Array): number {
  const dominatedCount = new Int32Array(n);
  const dominates: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      let pBetter = false;
      let qBetter = false;
      for (let j = 0; j < nObj; j++) {
        const a = f[p * nObj + j];
        const b = f[q * nObj + j];
        if (a < b) pBetter = true;
        else if (b < a) qBetter = true;
      }
      if (pBetter && !qBetter) {
        dominates[p].push(q);
        dominatedCount[q]++;
      } else if (qBetter && !pBetter) {
        dominates[q].push(p);
        dominatedCount[p]++;
      }
    }
  }
  let current: number[] = [];
  for (let p = 0; p < n; p++) if (dominatedCount[p] === 0) current.push(p);
  let r = 0;
  while (current.length > 0) {
    const next: number[] = [];
    for (const p of current) {
      rank[p] = r;
      for (const q of dominates[p]) if (--dominatedCount[q] === 0) next.push(q);
    }
    current = next;
    r++;
  }
  return r;
}
