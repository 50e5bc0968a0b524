/**
 * Convergence/diversity indicators against a reference (true) front Z, all for minimisation:
 * - IGD (Coello & Reyes Sierra 2004): mean over z ∈ Z of min_a ‖a − z‖.
 * - IGD+ (Ishibuchi, Masuda, Tanigaki & Nojima 2015, EMO LNCS 9019): mean over z of
 *   min_a √Σ_j max(a_j − z_j, 0)², weakly Pareto compliant.
 * - GD: mean over a ∈ A of min_z ‖a − z‖.
 * Arrays are row-major (rows × nObj).
 */

export function igd(front: Float64Array, reference: Float64Array, nObj: number): number {
  return meanMinDistance(reference, front, nObj, false);
}

export function igdPlus(front: Float64Array, reference: Float64Array, nObj: number): number {
  return meanMinDistance(reference, front, nObj, true);
}

export function gd(front: Float64Array, reference: Float64Array, nObj: number): number {
  return meanMinDistance(front, reference, nObj, false);
}

/** Mean over rows z of `from` of the min distance to a row a of `to` (d⁺ measures a − z). */
function meanMinDistance(from: Float64Array, to: Float64Array, nObj: number, plus: boolean): number {
  const nFrom = from.length / nObj;
  const nTo = to.length / nObj;
  if (nFrom === 0 || nTo === 0) throw new Error('distance indicator: empty point set');
  let sum = 0;
  for (let i = 0; i < nFrom; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < nTo; k++) {
      let d2 = 0;
      for (let j = 0; j < nObj; j++) {
        let d = to[k * nObj + j] - from[i * nObj + j];
        if (plus) d = d > 0 ? d : 0;
        else d = Math.abs(d);
        d2 += d * d;
        if (d2 >= best) break;
      }
      if (d2 < best) best = d2;
    }
    sum += Math.sqrt(best);
  }
  return sum / nFrom;
}
