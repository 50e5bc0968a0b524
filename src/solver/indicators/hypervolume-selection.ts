/**
 * Choosing k of n points by hypervolume (minimisation, 2 or 3 objectives, exact).
 *
 * - `hypervolumeGain`: HV(S ∪ {x}) − HV(S), computed exactly as vol([x, r]) − HV({max(x, s) : s ∈ S})
 *   inside the box [x, r] (the part of x's box that S already covers is the hypervolume of S's
 *   points moved up to x), with the 2-D sweep or the 3-D slicing of hypervolume.ts.
 * - `hypervolumeContributions`: each point's exclusive contribution HV(P) − HV(P \ {p}), the gain
 *   of p given all the others (the quantity SMS-EMOA removes by: Beume, Naujoks & Emmerich 2007,
 *   "SMS-EMOA: Multiobjective selection based on dominated hypervolume", EJOR 181(3) 1653–1669).
 * - `greedyHypervolumeSubset`: the greedy subset: repeatedly add the point of largest gain (ties:
 *   the lower index) (greedy hypervolume subset selection; Guerreiro, Fonseca & Paquete 2016,
 *   "Greedy hypervolume subset selection in low dimensions", Evol. Comput. 24(3)). Hypervolume is
 *   a monotone submodular set function (Ulrich & Thiele 2012, "Bounding the effectiveness of
 *   hypervolume-based (μ+λ)-archiving algorithms", LION 6), so the greedy subset is within 1 − 1/e of the best k-subset (Nemhauser,
 *   Wolsey & Fisher 1978, Math. Program. 14, 265–294), and a gain computed earlier is an upper
 *   bound on the gain now: the lazy greedy (Minoux 1978, "Accelerated greedy algorithms for
 *   maximizing submodular set functions", Optimization Techniques, LNCIS 7, 234–243) re-evaluates
 *   only the candidate on top of a max-heap of such bounds and takes it when its gain is current.
 *   It picks the same points as the plain greedy, with far fewer gain evaluations.
 *
 * Pure and deterministic: the same points in the same order give the same subset.
 */
import { hv2d, hv3d } from './hypervolume.js';

function checkArgs(name: string, points: ArrayLike<number>, nObj: number, ref: ArrayLike<number>, count: number): void {
  if (nObj !== 2 && nObj !== 3) throw new Error(`${name}: exact hypervolume selection takes 2 or 3 objectives, got ${nObj}`);
  if (ref.length !== nObj) throw new Error(`${name}: reference point has ${ref.length} coordinates, expected ${nObj}`);
  if (!(Number.isInteger(count) && count >= 0 && points.length >= count * nObj)) throw new Error(`${name}: ${count} points need ${count * nObj} numbers, got ${points.length}`);
  for (let i = 0; i < count * nObj; i++) if (Number.isNaN(points[i])) throw new Error(`${name}: point ${Math.floor(i / nObj)} objective ${i % nObj} is NaN`);
}

/**
 * Gain of point `candidate` given the points `others[0..k)` (indices into `points`): exact
 * HV(S ∪ {x}) − HV(S) w.r.t. `ref`. 0 when x is not strictly inside the reference box.
 * `scratch` (≥ k × nObj) avoids an allocation per call.
 */
export function hypervolumeGain(
  points: ArrayLike<number>,
  nObj: number,
  ref: ArrayLike<number>,
  candidate: number,
  others: ArrayLike<number>,
  k: number = others.length,
  scratch: Float64Array = new Float64Array(k * nObj),
): number {
  const xo = candidate * nObj;
  let box = 1;
  for (let j = 0; j < nObj; j++) {
    const side = ref[j] - points[xo + j];
    if (!(side > 0)) return 0;
    box *= side;
  }
  // Others moved up to x (componentwise max); those that reach the box's far side in some
  // objective cover nothing of it and are dropped.
  let m = 0;
  for (let t = 0; t < k; t++) {
    const so = others[t] * nObj;
    let inside = true;
    for (let j = 0; j < nObj; j++) {
      const v = Math.max(points[so + j], points[xo + j]);
      if (!(v < ref[j])) {
        inside = false;
        break;
      }
      scratch[m * nObj + j] = v;
    }
    if (inside) m++;
  }
  if (m === 0) return box;
  const covered = nObj === 2 ? hv2d(scratch, m, ref[0], ref[1]) : hv3d(scratch, m, ref[0], ref[1], ref[2]);
  return Math.max(0, box - covered);
}

/** Exclusive hypervolume contribution of each of `count` points (count × nObj) w.r.t. `ref`. */
export function hypervolumeContributions(points: ArrayLike<number>, nObj: number, ref: ArrayLike<number>, count: number = points.length / nObj): Float64Array {
  checkArgs('hypervolumeContributions', points, nObj, ref, count);
  const out = new Float64Array(count);
  const others = new Int32Array(Math.max(0, count - 1));
  const scratch = new Float64Array(Math.max(0, count - 1) * nObj);
  for (let i = 0; i < count; i++) {
    let t = 0;
    for (let s = 0; s < count; s++) if (s !== i) others[t++] = s;
    out[i] = hypervolumeGain(points, nObj, ref, i, others, count - 1, scratch);
  }
  return out;
}

export interface HypervolumeSubset {
  /** Indices of the chosen points, in the order the greedy took them. */
  indices: Int32Array;
  /** Hypervolume of the chosen points (sum of the gains). */
  hypervolume: number;
  /** Gain evaluations made (the plain greedy makes about k × n). */
  evaluations: number;
}

/**
 * Greedy (lazy) choice of min(k, count) points maximising the hypervolume w.r.t. `ref`. Points
 * with no gain (outside the box, or covered) are taken last, in index order, only when fewer than
 * k points have a gain; pass mutually non-dominated points inside the box to avoid that.
 */
export function greedyHypervolumeSubset(points: ArrayLike<number>, nObj: number, ref: ArrayLike<number>, k: number, count: number = points.length / nObj): HypervolumeSubset {
  checkArgs('greedyHypervolumeSubset', points, nObj, ref, count);
  if (!(Number.isInteger(k) && k >= 0)) throw new Error(`greedyHypervolumeSubset: k must be an integer ≥ 0, got ${k}`);
  const take = Math.min(k, count);
  const chosen = new Int32Array(take);
  const bound = new Float64Array(count);
  const stamp = new Int32Array(count); // |S| when bound[i] was computed
  const scratch = new Float64Array(take * nObj);
  const empty = new Int32Array(0);
  // Max-heap of candidate indices on (bound desc, index asc).
  const heap = new Int32Array(count);
  let size = 0;
  const above = (a: number, b: number) => bound[a] > bound[b] || (bound[a] === bound[b] && a < b);
  const siftDown = (pos: number) => {
    const v = heap[pos];
    for (;;) {
      let c = 2 * pos + 1;
      if (c >= size) break;
      if (c + 1 < size && above(heap[c + 1], heap[c])) c++;
      if (!above(heap[c], v)) break;
      heap[pos] = heap[c];
      pos = c;
    }
    heap[pos] = v;
  };
  let evaluations = 0;
  for (let i = 0; i < count; i++) {
    bound[i] = hypervolumeGain(points, nObj, ref, i, empty, 0);
    stamp[i] = 0;
    heap[size++] = i;
    evaluations++;
  }
  for (let p = (size >> 1) - 1; p >= 0; p--) siftDown(p);
  let selected = 0;
  let total = 0;
  const taken = new Uint8Array(count);
  while (selected < take && size > 0) {
    const top = heap[0];
    if (stamp[top] === selected) {
      if (!(bound[top] > 0)) break; // nothing left adds volume
      chosen[selected++] = top;
      taken[top] = 1;
      total += bound[top];
      heap[0] = heap[--size];
      siftDown(0);
    } else {
      bound[top] = hypervolumeGain(points, nObj, ref, top, chosen, selected, scratch);
      stamp[top] = selected;
      evaluations++;
      siftDown(0);
    }
  }
  for (let i = 0; i < count && selected < take; i++) if (!taken[i]) chosen[selected++] = i;
  return { indices: chosen, hypervolume: total, evaluations };
}
