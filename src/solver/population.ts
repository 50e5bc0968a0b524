/**
 * Helpers on the population block of a run (rows 0..N-1 of the PopulationArrays): seeding,
 * first-front extraction and the default hypervolume reference point.
 */
import { domainOf, type Genome, type IntegerGenome, type Problem } from './problem.js';
import type { PopulationArrays } from './survival.js';

export interface SolutionSet<G extends Genome = Genome> {
  size: number;
  x: G;
  f: Float64Array;
  g: Float64Array;
  /** Total constraint violation per solution (0: feasible). */
  cv: Float64Array;
}

/** Copies the given solutions into the first rows, checking bounds/domains; returns how many. */
export function seedRows<G extends Genome>(problem: Problem<G>, x: G, n: number, seeds: G | ArrayLike<number>[] | undefined): number {
  if (!seeds) return 0;
  const { nVar, variables } = problem;
  const flat = ArrayBuffer.isView(seeds);
  const k = flat ? (seeds as G).length / nVar : (seeds as ArrayLike<number>[]).length;
  if (!Number.isInteger(k)) throw new Error(`initialPopulation: length ${(seeds as G).length} is not a multiple of nVar=${nVar}`);
  if (k > n) throw new Error(`initialPopulation: ${k} solutions for a population of ${n}`);
  for (let i = 0; i < k; i++) {
    const row = flat ? null : (seeds as ArrayLike<number>[])[i];
    if (row && row.length !== nVar) throw new Error(`initialPopulation: solution ${i} has ${row.length} variables, expected ${nVar}`);
    for (let j = 0; j < nVar; j++) {
      const v = row ? row[j] : (seeds as G)[i * nVar + j];
      if (variables.kind === 'real') {
        if (!(v >= variables.lower[j] && v <= variables.upper[j])) throw new Error(`initialPopulation: solution ${i} variable ${j} = ${v} is outside [${variables.lower[j]}, ${variables.upper[j]}]`);
      } else {
        const d = domainOf(variables, j);
        if (!(Number.isInteger(v) && v >= 0 && v < d)) throw new Error(`initialPopulation: solution ${i} gene ${j} = ${v} is outside 0..${d - 1}`);
      }
      (x as IntegerGenome | Float64Array)[i * nVar + j] = v;
    }
  }
  return k;
}


/** nadir + 0.1 × (nadir − ideal) of the first front, per objective (+1 where the range is 0). */
export function defaultReferencePoint(pop: PopulationArrays, n: number): number[] {
  return referencePointWithMargin(pop.f, pop.nObj, n, (i) => pop.rank[i] === 0);
}

/**
 * nadir + 0.1 × (nadir − ideal) per objective (+1 where the range is 0) of the first `count` rows
 * of `f` (row-major, `nObj` per row) that `include` accepts (all of them without it).
 */
export function referencePointWithMargin(f: ArrayLike<number>, nObj: number, count: number, include?: (row: number) => boolean): number[] {
  const ref: number[] = [];
  for (let j = 0; j < nObj; j++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      if (include && !include(i)) continue;
      const v = f[i * nObj + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi - lo;
    ref.push(range > 0 ? hi + 0.1 * range : hi + 1);
  }
  return ref;
}

/** Objectives of the feasible first-front rows into out; returns the count. */
export function gatherFront(pop: PopulationArrays, n: number, out: Float64Array): number {
  const { f, nObj } = pop;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (pop.rank[i] !== 0 || pop.cv[i] > 0) continue;
    for (let j = 0; j < nObj; j++) out[k * nObj + j] = f[i * nObj + j];
    k++;
  }
  return k;
}

/** Size of the first front (infeasible members included when nothing is feasible). */
export function countFirstFront(pop: PopulationArrays, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (pop.rank[i] === 0) k++;
  return k;
}

/** Rows of the first front, sorted lexicographically by objectives (ties: row). */
export function firstFrontRows(pop: PopulationArrays, n: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (pop.rank[i] === 0) rows.push(i);
  const { f, nObj } = pop;
  return rows.sort((a, b) => {
    for (let j = 0; j < nObj; j++) {
      const d = f[a * nObj + j] - f[b * nObj + j];
      if (d !== 0) return d;
    }
    return a - b;
  });
}

/** Copies of the given rows (genome, objectives, violations). */
export function extractRows(pop: PopulationArrays, rows: number[]): SolutionSet {
  const { nVar, nObj, nCon } = pop;
  const k = rows.length;
  const C = pop.x.constructor as Float64ArrayConstructor;
  const x = new C(k * nVar) as unknown as Genome;
  const f = new Float64Array(k * nObj);
  const g = new Float64Array(k * nCon);
  const cv = new Float64Array(k);
  rows.forEach((r, i) => {
    (x as Float64Array).set((pop.x as Float64Array).subarray(r * nVar, (r + 1) * nVar), i * nVar);
    f.set(pop.f.subarray(r * nObj, (r + 1) * nObj), i * nObj);
    g.set(pop.g.subarray(r * nCon, (r + 1) * nCon), i * nCon);
    cv[i] = pop.cv[r];
  });
  return { size: k, x, f, g, cv };
}
