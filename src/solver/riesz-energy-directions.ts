/**
 * Reference directions of any count on the unit simplex, spread by minimising their Riesz
 * s-energy (Blank, Deb, Dhebar, Bandaru & Seada 2021, "Generating well-spaced points on a unit
 * simplex for evolutionary many-objective optimization", IEEE TEVC 25(1) 48–60, §III):
 *
 *   E = Σ_{i<j} 1 / ‖x_i − x_j‖^s,   minimised as log E over points x_i on the simplex,
 *
 * with s = 2M (the exponent pymoo's `get_reference_directions("energy", M, n)` uses). Steps:
 * 1. Start: the M corners, then greedy farthest-point (max–min distance) picks from 50·n seeded
 *    uniform points on the simplex (a Dirichlet(1, …, 1) sample: normalised exponentials). This
 *    is the paper's reduction start without its k-means pass.
 * 2. Descent: the gradient of log E projected onto the plane Σ = 0, scaled by the largest row
 *    norm, an Adam step (Kingma & Ba 2015; α = 0.005, β₁ = 0.9, β₂ = 0.999), then each point
 *    projected back onto the simplex (sort-based Euclidean projection, Wang & Carreira-Perpiñán
 *    2013, arXiv:1309.1541). The best set seen is kept; after 30 steps without improvement α is
 *    halved and the descent restarts from the best; it stops when the mean coordinate move drops
 *    below 1e-5 or after 1000 steps.
 *
 * Every number comes from the seeded PRNG (random.ts) and IEEE double arithmetic in a fixed
 * order, so (M, n, seed) gives the same directions bit for bit on every platform; results are
 * cached per (M, n, seed).
 */
import { Random } from './random.js';

/** Above this count one descent step (n² pairs) times 1000 steps would take minutes. */
export const MAX_ENERGY_DIRECTIONS = 2000;
const POOL_PER_POINT = 50;
const MAX_STEPS = 1000;
const PRECISION = 1e-5;
const STEPS_UNTIL_RESTART = 30;
const ADAM_ALPHA = 0.005;
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

const cache = new Map<string, Float64Array>();

/**
 * `count` directions in `nObj` objectives (row-major Float64Array, count × M, rows ≥ 0 summing
 * to 1), from `seed` (default 1). The returned array is a copy; the cache keeps its own.
 */
export function rieszEnergyDirections(nObj: number, count: number, seed = 1): Float64Array {
  if (!Number.isInteger(nObj) || nObj < 1) throw new Error(`rieszEnergyDirections: the number of objectives must be an integer ≥ 1, got ${nObj}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`rieszEnergyDirections: count must be an integer ≥ 1, got ${count}`);
  if (count > MAX_ENERGY_DIRECTIONS) throw new Error(`rieszEnergyDirections: count ${count} is above ${MAX_ENERGY_DIRECTIONS}; the descent is quadratic in the count`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`rieszEnergyDirections: seed must be an integer ≥ 0, got ${seed}`);
  const key = `${nObj}:${count}:${seed}`;
  let x = cache.get(key);
  if (!x) {
    x = compute(nObj, count, seed);
    cache.set(key, x);
  }
  return x.slice();
}

function compute(nObj: number, count: number, seed: number): Float64Array {
  if (nObj === 1) return new Float64Array(count).fill(1);
  const x = farthestPointStart(nObj, count, new Random(seed));
  if (count < 2) return x;
  return descend(x, nObj, count);
}

/** A uniform point on the simplex: normalised Exp(1) draws (Dirichlet(1, …, 1)). */
function uniformOnSimplex(rng: Random, nObj: number, out: Float64Array, offset: number): void {
  let sum = 0;
  for (let m = 0; m < nObj; m++) {
    const e = -Math.log(1 - rng.next());
    out[offset + m] = e;
    sum += e;
  }
  for (let m = 0; m < nObj; m++) out[offset + m] /= sum;
}

/** Corners first, then repeatedly the pool point farthest from all points chosen so far. */
export function farthestPointStart(nObj: number, count: number, rng: Random): Float64Array {
  const corners = Math.min(nObj, count);
  const poolSize = Math.max(POOL_PER_POINT * count, 2 * count);
  const pool = new Float64Array(poolSize * nObj);
  for (let p = 0; p < poolSize; p++) uniformOnSimplex(rng, nObj, pool, p * nObj);
  const out = new Float64Array(count * nObj);
  const nearest = new Float64Array(poolSize).fill(Infinity);
  const taken = new Uint8Array(poolSize);
  const update = (row: number): void => {
    for (let p = 0; p < poolSize; p++) {
      let d = 0;
      for (let m = 0; m < nObj; m++) {
        const t = pool[p * nObj + m] - out[row * nObj + m];
        d += t * t;
      }
      if (d < nearest[p]) nearest[p] = d;
    }
  };
  for (let c = 0; c < corners; c++) {
    out[c * nObj + c] = 1;
    update(c);
  }
  for (let row = corners; row < count; row++) {
    let best = -1;
    for (let p = 0; p < poolSize; p++) if (!taken[p] && (best < 0 || nearest[p] > nearest[best])) best = p;
    taken[best] = 1;
    for (let m = 0; m < nObj; m++) out[row * nObj + m] = pool[best * nObj + m];
    update(row);
  }
  return out;
}

/**
 * log of the mean of 1/d^s over all pairs, and its gradient (into `grad`), through a
 * log-sum-exp over −s·log d so that close pairs in many objectives do not overflow.
 */
export function logRieszEnergy(x: Float64Array, nObj: number, count: number, s: number, grad: Float64Array | null, work: Float64Array): number {
  // work[i*count + j] (i < j) holds −s·log d_ij; the largest term scales the sum.
  let top = -Infinity;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      let d2 = 0;
      for (let m = 0; m < nObj; m++) {
        const t = x[i * nObj + m] - x[j * nObj + m];
        d2 += t * t;
      }
      const a = d2 > 0 ? -0.5 * s * Math.log(d2) : 700;
      work[i * count + j] = a;
      if (a > top) top = a;
    }
  }
  let sum = 0;
  for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) sum += Math.exp(work[i * count + j] - top);
  const pairs = (count * (count - 1)) / 2;
  const value = top + Math.log(sum) - Math.log(pairs);
  if (grad) {
    grad.fill(0);
    // ∂ log E / ∂x_i = Σ_j w_ij · (−s) (x_i − x_j) / d_ij², w_ij = (1/d_ij^s) / Σ (1/d^s).
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        let d2 = 0;
        for (let m = 0; m < nObj; m++) {
          const t = x[i * nObj + m] - x[j * nObj + m];
          d2 += t * t;
        }
        if (!(d2 > 0)) continue;
        const w = (Math.exp(work[i * count + j] - top) / sum) * (-s / d2);
        for (let m = 0; m < nObj; m++) {
          const g = w * (x[i * nObj + m] - x[j * nObj + m]);
          grad[i * nObj + m] += g;
          grad[j * nObj + m] -= g;
        }
      }
    }
  }
  return value;
}

/** Euclidean projection of one row onto {x ≥ 0, Σx = 1} (Wang & Carreira-Perpiñán 2013, Alg. 1). */
export function projectOntoSimplex(x: Float64Array, offset: number, nObj: number, sorted: Float64Array): void {
  for (let m = 0; m < nObj; m++) sorted[m] = x[offset + m];
  sorted.subarray(0, nObj).sort();
  let cumulative = 0;
  let theta = 0;
  // sorted ascending: walk from the largest down.
  for (let k = 1; k <= nObj; k++) {
    const u = sorted[nObj - k];
    cumulative += u;
    const t = (cumulative - 1) / k;
    if (u - t > 0) theta = t;
  }
  let sum = 0;
  for (let m = 0; m < nObj; m++) {
    const v = Math.max(0, x[offset + m] - theta);
    x[offset + m] = v;
    sum += v;
  }
  for (let m = 0; m < nObj; m++) x[offset + m] /= sum;
}

function descend(start: Float64Array, nObj: number, count: number): Float64Array {
  const s = 2 * nObj;
  const len = count * nObj;
  let x = start.slice();
  let best = start.slice();
  const work = new Float64Array(count * count);
  const grad = new Float64Array(len);
  const next = new Float64Array(len);
  const sorted = new Float64Array(nObj);
  let bestValue = Infinity;
  let alpha = ADAM_ALPHA;
  let mom = new Float64Array(len);
  let vel = new Float64Array(len);
  let t = 0;
  let notImproved = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    const value = logRieszEnergy(x, nObj, count, s, grad, work);
    // Project onto Σ = 0 (moves along the simplex) and scale by the largest row norm.
    let largest = 0;
    for (let i = 0; i < count; i++) {
      let mean = 0;
      for (let m = 0; m < nObj; m++) mean += grad[i * nObj + m];
      mean /= nObj;
      let norm = 0;
      for (let m = 0; m < nObj; m++) {
        const g = grad[i * nObj + m] - mean;
        grad[i * nObj + m] = g;
        norm += g * g;
      }
      if (norm > largest) largest = norm;
    }
    const scale = 1 / Math.max(Math.sqrt(largest), 1e-24);
    t++;
    const c1 = 1 - ADAM_BETA1 ** t;
    const c2 = 1 - ADAM_BETA2 ** t;
    for (let k = 0; k < len; k++) {
      const g = grad[k] * scale;
      mom[k] = ADAM_BETA1 * mom[k] + (1 - ADAM_BETA1) * g;
      vel[k] = ADAM_BETA2 * vel[k] + (1 - ADAM_BETA2) * g * g;
      next[k] = x[k] - (alpha * (mom[k] / c1)) / (Math.sqrt(vel[k] / c2) + ADAM_EPSILON);
    }
    for (let i = 0; i < count; i++) projectOntoSimplex(next, i * nObj, nObj, sorted);
    // The value belongs to x (before the step), as the energy was evaluated there.
    if (value < bestValue) {
      bestValue = value;
      best = x.slice();
      notImproved = 0;
    } else {
      notImproved++;
    }
    let moved = 0;
    for (let k = 0; k < len; k++) moved += Math.abs(next[k] - x[k]);
    if (moved / len < PRECISION || Number.isNaN(value)) break;
    if (notImproved > STEPS_UNTIL_RESTART) {
      alpha /= 2;
      mom = new Float64Array(len);
      vel = new Float64Array(len);
      t = 0;
      x = best.slice();
      notImproved = 0;
      continue;
    }
    x.set(next);
  }
  const finalValue = logRieszEnergy(x, nObj, count, s, null, work);
  return finalValue < bestValue ? x : best;
}
