/**
 * Deb's constrained domination (Deb, Pratap, Agarwal & Meyarivan 2002, IEEE TEC 6(2), §V):
 * solution a constrained-dominates b when
 *   1. a is feasible and b is not, or
 *   2. both are infeasible and a has the smaller overall constraint violation, or
 *   3. both are feasible and a Pareto-dominates b.
 * The overall violation is Σ max(0, g_j): a non-positive g_j is satisfied.
 */

/** Writes the total violation of each of `rows` rows of g (rows × nCon) into cv. */
export function totalViolation(g: Float64Array, nCon: number, rows: number, cv: Float64Array, rowOffset = 0): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = (rowOffset + i) * nCon;
    for (let j = 0; j < nCon; j++) {
      const v = g[base + j];
      if (v > 0) s += v;
    }
    cv[rowOffset + i] = s;
  }
}

/** Pareto dominance of row a over row b (minimisation): no worse in all, better in one. */
export function dominates(f: Float64Array, nObj: number, a: number, b: number): boolean {
  const pa = a * nObj;
  const pb = b * nObj;
  let better = false;
  for (let j = 0; j < nObj; j++) {
    const x = f[pa + j];
    const y = f[pb + j];
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/** Deb's constrained domination of row a over row b, given total violations cv. */
export function constrainedDominates(f: Float64Array, cv: Float64Array, nObj: number, a: number, b: number): boolean {
  const va = cv[a];
  const vb = cv[b];
  if (va === 0 && vb > 0) return true;
  if (va > 0 && vb === 0) return false;
  if (va > 0 && vb > 0) return va < vb;
  return dominates(f, nObj, a, b);
}
