/**
 * Reference-point survival of NSGA-III (Deb & Jain 2014, "An evolutionary many-objective
 * optimization algorithm using reference-point-based nondominated sorting approach, Part I",
 * IEEE TEVC 18(4) 577–601, §IV; constraints as in Jain & Deb 2014, Part II, TEVC 18(4) 602–622).
 *
 * (μ+λ) survival: rank parents and offspring with constrained domination, fill the next
 * population front by front, and choose the members of the last front that does not fit by
 * niching on reference directions:
 * 1. Normalise (§IV-C): ideal point z* = the smallest value seen of each objective; extreme point
 *    of axis j = the member minimising the achievement scalarising function
 *    ASF_j(f) = max_m (f_m − z*_m) / w_m with w_j = 1 and w_m = 10⁻⁶ otherwise; the hyperplane
 *    through the M extreme points gives intercepts a_j, f'_j = (f_j − z*_j) / a_j. As in pymoo
 *    (Blank & Deb 2020, IEEE Access 8 89497–89509) the ideal point, the worst point seen and the
 *    extreme points are kept across generations (the previous extreme points compete with the new
 *    members, so a good extreme is never lost), the nadir z* + a is clipped to the worst point
 *    seen, and when the hyperplane is degenerate (singular system, an intercept ≤ 10⁻⁶, or a poor
 *    solve) the nadir falls back to the worst of the first front; an objective whose range is
 *    still ≤ 10⁻⁶ takes the worst of the population.
 * 2. Associate (§IV-D): each member goes to the reference line (through the origin along a
 *    direction) nearest in perpendicular distance to f'.
 * 3. Niche-preserving selection (§IV-E, Algorithm 4): repeatedly pick, uniformly at random, a
 *    direction with the fewest members already selected among those with a candidate left in the
 *    last front; an empty niche takes its nearest candidate, an occupied one a random candidate.
 *
 * Normalisation uses feasible members only. When the last front is infeasible (all its members
 * share one total violation, so constrained domination cannot tell them apart) its survivors are
 * drawn uniformly at random. All draws come from the run's seeded PRNG.
 */
import type { Random } from '../random.js';
import { crowdingDistance } from '../crowding.js';
import { compactSurvivors, countFronts, SurvivalWorkspace, type PopulationArrays } from '../survival.js';

/** What normalisation carries from one generation to the next (JSON-safe for checkpoints). */
export interface ReferencePointMemory {
  /** Smallest value seen of each objective (feasible members). */
  ideal: number[];
  /** Largest value seen of each objective (feasible members). */
  worst: number[];
  /** M extreme points, row-major M × M (row j: the extreme point of axis j). */
  extremePoints: number[];
}

/** ASF weight of the other axes (Deb & Jain 2014, §IV-C: w_m = 10⁻⁶, i.e. × 10⁶). */
const OFF_AXIS_WEIGHT = 1e6;
/** An intercept or objective range at most this small counts as degenerate (pymoo's threshold). */
const DEGENERATE_RANGE = 1e-6;

/** Row j of out (M × M): the candidate minimising ASF_j, candidates = previous extremes then rows. Ties: first. */
export function extremePoints(f: Float64Array, nObj: number, rows: Int32Array, count: number, ideal: ArrayLike<number>, previous: ArrayLike<number> | null, out: Float64Array): void {
  const asf = (v: ArrayLike<number>, base: number, axis: number): number => {
    let worst = Number.NEGATIVE_INFINITY;
    for (let m = 0; m < nObj; m++) {
      const d = (v[base + m] - ideal[m]) * (m === axis ? 1 : OFF_AXIS_WEIGHT);
      if (d > worst) worst = d;
    }
    return worst;
  };
  for (let j = 0; j < nObj; j++) {
    let best = Number.POSITIVE_INFINITY;
    let source: ArrayLike<number> | null = null;
    let base = 0;
    if (previous) {
      for (let k = 0; k < nObj; k++) {
        const v = asf(previous, k * nObj, j);
        if (v < best) {
          best = v;
          source = previous;
          base = k * nObj;
        }
      }
    }
    for (let i = 0; i < count; i++) {
      const v = asf(f, rows[i] * nObj, j);
      if (v < best) {
        best = v;
        source = f;
        base = rows[i] * nObj;
      }
    }
    for (let m = 0; m < nObj; m++) out[j * nObj + m] = source ? source[base + m] : Number.NaN;
  }
}

/**
 * Intercepts of the hyperplane through the extreme points (relative to the ideal point): solves
 * E·p = 1 with E[k][m] = extreme_k[m] − ideal[m] by Gaussian elimination with partial pivoting;
 * a_m = 1 / p_m. Returns false (out untouched) when the system is singular or the solve is poor
 * or an intercept is not finite or ≤ 10⁻⁶.
 */
export function hyperplaneIntercepts(extremes: ArrayLike<number>, ideal: ArrayLike<number>, nObj: number, out: Float64Array): boolean {
  const a = new Float64Array(nObj * (nObj + 1));
  let scale = 0;
  for (let k = 0; k < nObj; k++) {
    for (let m = 0; m < nObj; m++) {
      const v = extremes[k * nObj + m] - ideal[m];
      a[k * (nObj + 1) + m] = v;
      scale = Math.max(scale, Math.abs(v));
    }
    a[k * (nObj + 1) + nObj] = 1;
  }
  if (!(scale > 0) || !Number.isFinite(scale)) return false;
  const w = nObj + 1;
  for (let c = 0; c < nObj; c++) {
    let pivot = c;
    for (let r = c + 1; r < nObj; r++) if (Math.abs(a[r * w + c]) > Math.abs(a[pivot * w + c])) pivot = r;
    if (!(Math.abs(a[pivot * w + c]) > 1e-12 * scale)) return false;
    if (pivot !== c) for (let k = 0; k < w; k++) [a[c * w + k], a[pivot * w + k]] = [a[pivot * w + k], a[c * w + k]];
    for (let r = c + 1; r < nObj; r++) {
      const factor = a[r * w + c] / a[c * w + c];
      if (factor === 0) continue;
      for (let k = c; k < w; k++) a[r * w + k] -= factor * a[c * w + k];
    }
  }
  const plane = new Float64Array(nObj);
  for (let c = nObj - 1; c >= 0; c--) {
    let s = a[c * w + nObj];
    for (let k = c + 1; k < nObj; k++) s -= a[c * w + k] * plane[k];
    plane[c] = s / a[c * w + c];
  }
  // Residual check on the original system (numpy's allclose: |E·p − 1| ≤ 1e-8 + 1e-5).
  for (let k = 0; k < nObj; k++) {
    let s = 0;
    for (let m = 0; m < nObj; m++) s += (extremes[k * nObj + m] - ideal[m]) * plane[m];
    if (!(Math.abs(s - 1) <= 1e-8 + 1e-5)) return false;
  }
  for (let m = 0; m < nObj; m++) {
    const intercept = 1 / plane[m];
    if (!(Number.isFinite(intercept) && intercept > DEGENERATE_RANGE)) return false;
  }
  for (let m = 0; m < nObj; m++) out[m] = 1 / plane[m];
  return true;
}

/**
 * Nadir estimate for normalisation: ideal + intercepts clipped to the worst point seen; when
 * degenerate, the worst of the first front; where the range is still ≤ 10⁻⁶, the worst of the
 * population. Returns whether the hyperplane was used.
 */
export function nadirPoint(
  memory: ReferencePointMemory,
  nObj: number,
  worstOfFront: ArrayLike<number>,
  worstOfPopulation: ArrayLike<number>,
  out: Float64Array,
): boolean {
  const { ideal, worst, extremePoints: extremes } = memory;
  const intercepts = new Float64Array(nObj);
  const plane = hyperplaneIntercepts(extremes, ideal, nObj, intercepts);
  for (let m = 0; m < nObj; m++) out[m] = plane ? Math.min(ideal[m] + intercepts[m], worst[m]) : worstOfFront[m];
  for (let m = 0; m < nObj; m++) if (out[m] - ideal[m] <= DEGENERATE_RANGE) out[m] = worstOfPopulation[m];
  return plane;
}

/** Unit vectors along the directions (count × M), for perpendicular distances. */
export function unitDirections(directions: Float64Array, nObj: number): Float64Array {
  const out = new Float64Array(directions.length);
  const count = directions.length / nObj;
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let m = 0; m < nObj; m++) norm += directions[i * nObj + m] ** 2;
    norm = Math.sqrt(norm);
    for (let m = 0; m < nObj; m++) out[i * nObj + m] = directions[i * nObj + m] / norm;
  }
  return out;
}

/**
 * For each of rows[0..count): the nearest reference line to f' = (f − ideal) / (nadir − ideal) in
 * perpendicular distance (ties: lower direction index), into niche[i] and distance[i]. With unit
 * directions u, the squared distance to the line along u is |f'|² − (f'·u)², so the nearest line
 * is the one with the largest (f'·u)²: one dot product per pair.
 */
export function associate(
  f: Float64Array,
  nObj: number,
  rows: Int32Array,
  count: number,
  ideal: ArrayLike<number>,
  nadir: ArrayLike<number>,
  units: Float64Array,
  niche: Int32Array,
  distance: Float64Array,
  point: Float64Array = new Float64Array(nObj),
): void {
  const nRef = units.length / nObj;
  const lo = Float64Array.from(ideal);
  const scale = new Float64Array(nObj);
  for (let m = 0; m < nObj; m++) {
    const range = nadir[m] - ideal[m];
    scale[m] = 1 / (range > 0 ? range : 1e-12);
  }
  for (let i = 0; i < count; i++) {
    const base = rows[i] * nObj;
    for (let m = 0; m < nObj; m++) point[m] = (f[base + m] - lo[m]) * scale[m];
    let best = Number.NEGATIVE_INFINITY;
    let bestRef = 0;
    for (let r = 0, u = 0; r < nRef; r++, u += nObj) {
      let dot = 0;
      for (let m = 0; m < nObj; m++) dot += point[m] * units[u + m];
      const d = dot * dot;
      if (d > best) {
        best = d;
        bestRef = r;
      }
    }
    // The distance itself from the residual vector (no cancellation in |f'|² − (f'·u)²).
    const u = bestRef * nObj;
    let dot = 0;
    for (let m = 0; m < nObj; m++) dot += point[m] * units[u + m];
    let d2 = 0;
    for (let m = 0; m < nObj; m++) {
      const e = point[m] - dot * units[u + m];
      d2 += e * e;
    }
    niche[i] = bestRef;
    distance[i] = Math.sqrt(d2);
  }
}

/**
 * Niche-preserving selection (Deb & Jain 2014, Algorithm 4) of `select` of the `count`
 * candidates, given each candidate's niche and distance and the members per niche already
 * selected (`nicheCount`, updated). Writes chosen[i] = 1 for the selected candidates.
 */
export function nicheSelection(
  count: number,
  niche: Int32Array,
  distance: Float64Array,
  nicheCount: Int32Array,
  select: number,
  rng: Random,
  chosen: Uint8Array,
): void {
  const nRef = nicheCount.length;
  // Candidates bucketed by niche (counting sort, stable: lower candidate index first).
  const start = new Int32Array(nRef + 1);
  for (let i = 0; i < count; i++) start[niche[i] + 1]++;
  for (let r = 0; r < nRef; r++) start[r + 1] += start[r];
  const bucket = new Int32Array(count);
  const fill = start.slice(0, nRef);
  for (let i = 0; i < count; i++) bucket[fill[niche[i]]++] = i;
  const left = new Int32Array(nRef);
  for (let r = 0; r < nRef; r++) left[r] = start[r + 1] - start[r];
  const smallest = new Int32Array(nRef);
  chosen.fill(0, 0, count);
  for (let s = 0; s < select; s++) {
    let min = Number.MAX_SAFE_INTEGER;
    let k = 0;
    for (let r = 0; r < nRef; r++) {
      if (left[r] === 0) continue;
      if (nicheCount[r] < min) {
        min = nicheCount[r];
        k = 0;
      }
      if (nicheCount[r] === min) smallest[k++] = r;
    }
    if (k === 0) throw new Error(`nicheSelection: asked for ${select} of ${count} candidates`);
    const r = smallest[rng.nextInt(k)];
    let pick = -1;
    if (nicheCount[r] === 0) {
      let best = Number.POSITIVE_INFINITY;
      for (let b = start[r]; b < start[r + 1]; b++) {
        const i = bucket[b];
        if (!chosen[i] && distance[i] < best) {
          best = distance[i];
          pick = i;
        }
      }
    } else {
      let skip = rng.nextInt(left[r]);
      for (let b = start[r]; b < start[r + 1]; b++) {
        const i = bucket[b];
        if (chosen[i]) continue;
        if (skip-- === 0) {
          pick = i;
          break;
        }
      }
    }
    chosen[pick] = 1;
    left[r]--;
    nicheCount[r]++;
  }
}

/** Reference-point survival with its normalisation memory; one instance per run. */
export class ReferencePointSurvival {
  readonly nRef: number;
  private readonly units: Float64Array;
  private readonly niche: Int32Array;
  private readonly distance: Float64Array;
  private readonly rows: Int32Array;
  private readonly chosen: Uint8Array;
  private readonly point: Float64Array;

  constructor(
    readonly directions: Float64Array,
    readonly nObj: number,
    capacity: number,
    public memory: ReferencePointMemory | null = null,
  ) {
    if (directions.length === 0 || directions.length % nObj !== 0) throw new Error(`ReferencePointSurvival: ${directions.length} numbers is not a whole number of ${nObj}-objective directions`);
    if (memory) validateMemory(memory, nObj);
    this.nRef = directions.length / nObj;
    this.units = unitDirections(directions, nObj);
    this.niche = new Int32Array(capacity);
    this.distance = new Float64Array(capacity);
    this.rows = new Int32Array(capacity);
    this.chosen = new Uint8Array(capacity);
    this.point = new Float64Array(nObj);
  }

  /**
   * Keeps `keep` of rows [0, total) in rows [0, keep), with their constrained rank; `crowding`
   * gets the crowding distance of each survivor within its front's survivors (reported, and used
   * by nothing in this survival).
   */
  survive(p: PopulationArrays, total: number, keep: number, ws: SurvivalWorkspace, rng: Random): void {
    const { nObj } = p;
    const fronts = countFronts(p, total, ws);
    const flag = ws.keepFlag;
    flag.fill(0, 0, total);
    let last = 0;
    let selected = 0;
    while (last < fronts && selected + ws.frontStart[last + 1] - ws.frontStart[last] < keep) {
      selected += ws.frontStart[last + 1] - ws.frontStart[last];
      last++;
    }
    if (last === fronts) last = fronts - 1; // keep ≥ total: every front survives
    for (let i = 0; i < ws.frontStart[last]; i++) flag[ws.byRank[i]] = 1;

    // Normalisation memory from the feasible members of the whole merged population.
    let feasible = 0;
    for (let i = 0; i < total; i++) if (p.cv[i] === 0) this.rows[feasible++] = i;
    if (feasible > 0) this.updateMemory(p.f, nObj, feasible);

    const a = ws.frontStart[last];
    const size = ws.frontStart[last + 1] - a;
    const remaining = Math.min(keep, total) - selected;
    if (remaining >= size) {
      for (let i = a; i < a + size; i++) flag[ws.byRank[i]] = 1;
    } else if (p.cv[ws.byRank[a]] > 0) {
      // Infeasible last front (one violation value): a uniform draw of its survivors.
      const members = ws.byRank.subarray(a, a + size);
      for (let i = 0; i < remaining; i++) {
        const j = i + rng.nextInt(size - i);
        const t = members[i];
        members[i] = members[j];
        members[j] = t;
        flag[members[i]] = 1;
      }
    } else {
      this.niching(p, ws, last, remaining, feasible, rng);
    }
    compactSurvivors(p, total, keep, flag);
    this.crowdSurvivors(p, Math.min(keep, total), ws);
  }

  private updateMemory(f: Float64Array, nObj: number, count: number): void {
    const rows = this.rows;
    const previous = this.memory;
    const ideal = previous ? previous.ideal.slice() : new Array<number>(nObj).fill(Number.POSITIVE_INFINITY);
    const worst = previous ? previous.worst.slice() : new Array<number>(nObj).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < count; i++) {
      const base = rows[i] * nObj;
      for (let m = 0; m < nObj; m++) {
        const v = f[base + m];
        if (v < ideal[m]) ideal[m] = v;
        if (v > worst[m]) worst[m] = v;
      }
    }
    const extremes = new Float64Array(nObj * nObj);
    extremePoints(f, nObj, rows, count, ideal, previous ? previous.extremePoints : null, extremes);
    this.memory = { ideal, worst, extremePoints: Array.from(extremes) };
  }

  /** Fronts before `last` are feasible and selected; choose `remaining` of front `last` by niche. */
  private niching(p: PopulationArrays, ws: SurvivalWorkspace, last: number, remaining: number, feasible: number, rng: Random): void {
    const { f, nObj } = p;
    const memory = this.memory!;
    const worstOfFront = new Array<number>(nObj).fill(Number.NEGATIVE_INFINITY);
    const worstOfPopulation = new Array<number>(nObj).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < feasible; i++) {
      const row = this.rows[i];
      for (let m = 0; m < nObj; m++) {
        const v = f[row * nObj + m];
        if (v > worstOfPopulation[m]) worstOfPopulation[m] = v;
        if (p.rank[row] === 0 && v > worstOfFront[m]) worstOfFront[m] = v;
      }
    }
    const nadir = new Float64Array(nObj);
    nadirPoint(memory, nObj, worstOfFront, worstOfPopulation, nadir);
    const end = ws.frontStart[last + 1];
    associate(f, nObj, ws.byRank, end, memory.ideal, nadir, this.units, this.niche, this.distance, this.point);
    const nicheCount = new Int32Array(this.nRef);
    const a = ws.frontStart[last];
    for (let i = 0; i < a; i++) nicheCount[this.niche[i]]++;
    const size = end - a;
    nicheSelection(size, this.niche.subarray(a, end), this.distance.subarray(a, end), nicheCount, remaining, rng, this.chosen);
    for (let i = 0; i < size; i++) if (this.chosen[i]) ws.keepFlag[ws.byRank[a + i]] = 1;
  }

  private crowdSurvivors(p: PopulationArrays, n: number, ws: SurvivalWorkspace): void {
    let fronts = 0;
    for (let i = 0; i < n; i++) if (p.rank[i] + 1 > fronts) fronts = p.rank[i] + 1;
    const start = ws.frontStart;
    start.fill(0, 0, fronts + 1);
    for (let i = 0; i < n; i++) start[p.rank[i] + 1]++;
    for (let r = 0; r < fronts; r++) start[r + 1] += start[r];
    const fill = ws.order;
    for (let r = 0; r < fronts; r++) fill[r] = start[r];
    for (let i = 0; i < n; i++) ws.byRank[fill[p.rank[i]]++] = i;
    for (let r = 0; r < fronts; r++) crowdingDistance(p.f, p.nObj, ws.byRank, start[r], start[r + 1] - start[r], p.crowding, ws.order);
  }
}

/** Throws when a checkpoint's memory does not fit the problem. */
export function validateMemory(memory: ReferencePointMemory, nObj: number): void {
  const ok = (a: unknown, length: number) => Array.isArray(a) && a.length === length && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok(memory.ideal, nObj) || !ok(memory.worst, nObj) || !ok(memory.extremePoints, nObj * nObj)) {
    throw new Error(`resumeFrom: the reference-point memory must hold ${nObj} finite ideal and worst values and ${nObj * nObj} extreme-point values`);
  }
}
