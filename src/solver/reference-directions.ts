/**
 * Structured reference directions on the unit simplex for reference-point survival (NSGA-III).
 *
 * - Das & Dennis (1998), "Normal-boundary intersection", SIAM J. Optim. 8(3) 631–657: every point
 *   with coordinates k/H (k = 0..H) summing to 1, C(H + M − 1, M − 1) points for M objectives and
 *   H partitions.
 * - Two layers (Deb & Jain 2014, IEEE TEVC 18(4) 577–601, §IV-B and Table I): for many objectives
 *   a single layer has no interior point once H < M; a boundary layer with H₁ partitions and an
 *   inside layer with H₂ partitions shrunk towards the centroid, w' = τ·w + (1 − τ)/M with τ = 1/2.
 *
 * - Riesz s-energy directions of any count (riesz-energy-directions.ts; Blank et al. 2021).
 *
 * Directions are row-major Float64Arrays, count × M, each row non-negative and summing to 1.
 */
import { rieszEnergyDirections } from './riesz-energy-directions.js';

/** Largest population whose default directions are Riesz s-energy (a few seconds to compute). */
export const DEFAULT_ENERGY_MAX_COUNT = 300;

/** A method and its size, as a run option or from `relife solve --directions`. */
export type ReferenceDirectionsSpec =
  | { method: 'das-dennis'; partitions: number }
  | { method: 'energy'; count: number; seed?: number };

/** A run's option: Das–Dennis partitions H, explicit count × M directions, or a method and size. */
export type ReferenceDirectionsOption = number | Float64Array | ReferenceDirectionsSpec;

export const REFERENCE_DIRECTION_METHODS = ['das-dennis', 'energy'] as const;

/** C(n, k) for the small arguments of a lattice (exact up to 2^53). */
export function binomialCoefficient(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Number of Das–Dennis directions for M objectives and H partitions: C(H + M − 1, M − 1). */
export function dasDennisCount(nObj: number, partitions: number): number {
  return binomialCoefficient(partitions + nObj - 1, nObj - 1);
}

/** Refuse lattices that would not fit in memory or make association quadratic in a huge count. */
const MAX_DIRECTIONS = 100_000;

function checkLattice(nObj: number, partitions: number, where: string): void {
  if (!Number.isInteger(nObj) || nObj < 1) throw new Error(`${where}: the number of objectives must be an integer ≥ 1, got ${nObj}`);
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`${where}: partitions must be an integer ≥ 1, got ${partitions}`);
  const count = dasDennisCount(nObj, partitions);
  if (count > MAX_DIRECTIONS) throw new Error(`${where}: ${partitions} partitions in ${nObj} objectives give ${count} directions (more than ${MAX_DIRECTIONS}); use fewer partitions or two layers`);
}

/**
 * Das–Dennis lattice in lexicographic order (first coordinate slowest, from 0 up). Coordinates are
 * k/H exactly as divided, so a row sums to 1 within one rounding per coordinate.
 */
export function dasDennis(nObj: number, partitions: number): Float64Array {
  checkLattice(nObj, partitions, 'dasDennis');
  const count = dasDennisCount(nObj, partitions);
  const out = new Float64Array(count * nObj);
  const counts = new Int32Array(nObj);
  let row = 0;
  const recurse = (j: number, left: number): void => {
    if (j === nObj - 1) {
      counts[j] = left;
      for (let m = 0; m < nObj; m++) out[row * nObj + m] = counts[m] / partitions;
      row++;
      return;
    }
    for (let v = 0; v <= left; v++) {
      counts[j] = v;
      recurse(j + 1, left - v);
    }
  };
  recurse(0, partitions);
  return out;
}

/**
 * Two-layer directions: the boundary layer (H₁ = `outer`) followed by the inside layer
 * (H₂ = `inner`) shrunk by `innerScale` (τ, default 1/2) towards the centroid 1/M.
 */
export function twoLayerReferenceDirections(nObj: number, outer: number, inner: number, innerScale = 0.5): Float64Array {
  if (!(innerScale > 0 && innerScale < 1)) throw new Error(`twoLayerReferenceDirections: innerScale must be in (0, 1), got ${innerScale}`);
  const a = dasDennis(nObj, outer);
  const b = dasDennis(nObj, inner);
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  const shift = (1 - innerScale) / nObj;
  for (let i = 0; i < b.length; i++) out[a.length + i] = innerScale * b[i] + shift;
  return out;
}

export interface DefaultDirections {
  directions: Float64Array;
  /** How they were built, for reports: "Das–Dennis H=12" or "two layers H₁=3, H₂=2". */
  description: string;
}

/**
 * The Das–Dennis directions for a population: as many as the population can hold (Deb & Jain 2014
 * size the population to the smallest multiple of four above the direction count): the largest H
 * with C(H + M − 1, M − 1) ≤ N; when that H is below M (no interior direction) two layers with
 * the largest H₁ and H₂ = H₁ − 1 (at least 1) that fit. With N = 100: M = 2 → H = 99, M = 3 →
 * H = 12 (91 directions), M = 4 → H = 6 (84), M = 5 → H₁ = 3, H₂ = 2 (35 + 15), M = 8 → H₁ = 2,
 * H₂ = 1 (36 + 8).
 */
export function defaultDasDennis(nObj: number, populationSize: number): DefaultDirections {
  if (nObj === 1) return { directions: Float64Array.of(1), description: 'one objective: the single direction (1)' };
  let h = 1;
  while (dasDennisCount(nObj, h + 1) <= populationSize) h++;
  if (h >= nObj || dasDennisCount(nObj, 1) + dasDennisCount(nObj, 1) > populationSize) {
    return { directions: dasDennis(nObj, h), description: `Das–Dennis H=${h}` };
  }
  let h1 = 1;
  const fits = (outer: number) => dasDennisCount(nObj, outer) + dasDennisCount(nObj, Math.max(1, outer - 1)) <= populationSize;
  while (fits(h1 + 1)) h1++;
  const h2 = Math.max(1, h1 - 1);
  return { directions: twoLayerReferenceDirections(nObj, h1, h2), description: `two layers H₁=${h1}, H₂=${h2}` };
}

/**
 * The directions used when a run gives none. Two objectives: Das–Dennis with H = N − 1, already
 * N evenly spaced directions. Three or more: N Riesz s-energy directions (seed 1), which on
 * DTLZ1/DTLZ2 (100 × 250/400, seeds 1–5, docs/solver.md) gave a higher hypervolume than the
 * Das–Dennis set on 9 of 10 runs. Above DEFAULT_ENERGY_MAX_COUNT directions the descent
 * (quadratic in the count, 1000 steps) takes tens of seconds, so larger populations keep
 * Das–Dennis (defaultDasDennis).
 */
export function defaultReferenceDirections(nObj: number, populationSize: number): DefaultDirections {
  if (nObj < 3 || populationSize > DEFAULT_ENERGY_MAX_COUNT) return defaultDasDennis(nObj, populationSize);
  return { directions: rieszEnergyDirections(nObj, populationSize, 1), description: `Riesz s-energy, ${populationSize} directions, seed 1` };
}

/**
 * Directions from a run option: a partition count H (Das–Dennis), `{ method: 'das-dennis',
 * partitions }`, `{ method: 'energy', count, seed? }` (Riesz s-energy, seed default 1), an
 * explicit row-major array (count × M, rows non-negative with a positive sum; normalised onto the
 * simplex here), or nothing (the default above).
 */
export function resolveReferenceDirections(option: ReferenceDirectionsOption | undefined, nObj: number, populationSize: number): DefaultDirections {
  if (option === undefined) return defaultReferenceDirections(nObj, populationSize);
  if (typeof option === 'number') {
    if (!Number.isInteger(option) || option < 1) throw new Error(`referenceDirections: a partition count must be an integer ≥ 1, got ${option}`);
    return { directions: dasDennis(nObj, option), description: `Das–Dennis H=${option}` };
  }
  if (option !== null && typeof option === 'object' && !(option instanceof Float64Array) && 'method' in option) {
    const spec = option as { method: unknown; partitions?: unknown; count?: unknown; seed?: unknown };
    if (spec.method === 'das-dennis') {
      const h = spec.partitions;
      if (typeof h !== 'number' || !Number.isInteger(h) || h < 1) throw new Error(`referenceDirections.partitions: Das–Dennis needs an integer ≥ 1, got ${String(h)}`);
      return { directions: dasDennis(nObj, h), description: `Das–Dennis H=${h}` };
    }
    if (spec.method === 'energy') {
      const count = spec.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new Error(`referenceDirections.count: energy directions need an integer count ≥ 1, got ${String(count)}`);
      const seed = spec.seed ?? 1;
      if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) throw new Error(`referenceDirections.seed: must be an integer ≥ 0, got ${String(seed)}`);
      return { directions: rieszEnergyDirections(nObj, count, seed), description: `Riesz s-energy, ${count} directions, seed ${seed}` };
    }
    throw new Error(`referenceDirections.method must be one of ${REFERENCE_DIRECTION_METHODS.join(', ')}, got "${String(spec.method)}"`);
  }
  if (!(option instanceof Float64Array)) throw new Error("referenceDirections: give a partition count, { method: 'das-dennis', partitions }, { method: 'energy', count, seed? } or a Float64Array of count × nObj directions");
  if (option.length === 0 || option.length % nObj !== 0) throw new Error(`referenceDirections: ${option.length} numbers is not a whole number of ${nObj}-objective directions`);
  const count = option.length / nObj;
  const out = new Float64Array(option.length);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let m = 0; m < nObj; m++) {
      const v = option[i * nObj + m];
      if (!(Number.isFinite(v) && v >= 0)) throw new Error(`referenceDirections: direction ${i} coordinate ${m} is ${v}; coordinates must be finite and ≥ 0`);
      sum += v;
    }
    if (!(sum > 0)) throw new Error(`referenceDirections: direction ${i} is all zeros`);
    for (let m = 0; m < nObj; m++) out[i * nObj + m] = option[i * nObj + m] / sum;
  }
  return { directions: out, description: `${count} given directions` };
}
