/**
 * Which solutions a run returns as its front.
 *
 * - 'population': the final population's first front, as the survival leaves it. Under NSGA-III
 *   that is about one point per reference line, so its hypervolume is capped by where the lines
 *   meet the front.
 * - 'hypervolume': the run offers every generation's feasible first front to a bounded
 *   non-dominated archive (archive.ts; over capacity it drops by crowding distance, Kukkonen & Deb
 *   2006), and at the end returns N of its members chosen by greedy hypervolume subset selection
 *   with exact contributions (indicators/hypervolume-selection.ts; Guerreiro, Fonseca & Paquete
 *   2016): the output-side use of the hypervolume that SMS-EMOA makes its survival (Beume,
 *   Naujoks & Emmerich 2007, EJOR 181(3) 1653–1669). The search itself is unchanged: the same
 *   seed gives the same population under either selection.
 *
 * The reference point of the choice comes from the archive alone: nadir + 0.1 × (nadir − ideal)
 * of its members per objective (+1 where the range is 0), the rule the run's default progress
 * reference point uses. The caller's `referencePoint` is not used, nor anything known of the
 * true front. If the final population's own feasible first front has a larger hypervolume at that
 * point than the greedy subset, it is returned instead, so the choice is never worse than the
 * population's front by that measure.
 */
import type { Genome } from './problem.js';
import type { AlgorithmName } from './algorithm.js';
import type { ParetoArchive, ArchiveContents } from './archive.js';
import { referencePointWithMargin, type SolutionSet } from './population.js';
import { hypervolume } from './indicators/hypervolume.js';
import { greedyHypervolumeSubset } from './indicators/hypervolume-selection.js';

export type FrontSelection = 'population' | 'hypervolume';
export const FRONT_SELECTIONS: readonly FrontSelection[] = ['population', 'hypervolume'];

/** Archive capacity per population member when none is given (chosen on DTLZ2 seeds 11–15, docs/solver.md). */
export const DEFAULT_ARCHIVE_FACTOR = 10;
/** Memory the default archive may take (genomes, objectives, constraints); large genomes get fewer members, never below N. */
export const ARCHIVE_BUDGET_BYTES = 64 * 2 ** 20;

export function isFrontSelection(v: unknown): v is FrontSelection {
  return typeof v === 'string' && (FRONT_SELECTIONS as readonly string[]).includes(v);
}

/** What a checkpoint stores of the output selection. */
export interface FrontSelectionState<G extends Genome = Genome> {
  frontSelection?: FrontSelection;
  archiveCapacity?: number;
  /** The run archive's members in order (f, x, g). */
  archive?: ArchiveContents<G> | null;
}

/** The default: hypervolume selection for nsga3 on 2 or 3 objectives, the population's front otherwise. */
export function defaultFrontSelection(algorithm: AlgorithmName, nObj: number): FrontSelection {
  return algorithm === 'nsga3' && (nObj === 2 || nObj === 3) ? 'hypervolume' : 'population';
}

export function resolveFrontSelection(
  options: { frontSelection?: FrontSelection; archiveCapacity?: number },
  algorithm: AlgorithmName,
  nObj: number,
  populationSize: number,
  resume?: FrontSelectionState,
  bytesPerMember = 0,
): { method: FrontSelection; archiveCapacity: number } {
  if (options.frontSelection !== undefined && !isFrontSelection(options.frontSelection)) {
    throw new Error(`frontSelection must be one of ${FRONT_SELECTIONS.join(', ')}, got "${String(options.frontSelection)}"`);
  }
  if (resume?.frontSelection !== undefined && options.frontSelection !== undefined && resume.frontSelection !== options.frontSelection) {
    throw new Error(`resumeFrom: the checkpoint chose its front by ${resume.frontSelection}, the run asks for ${options.frontSelection}`);
  }
  const method = options.frontSelection ?? resume?.frontSelection ?? defaultFrontSelection(algorithm, nObj);
  if (method === 'hypervolume' && nObj !== 2 && nObj !== 3) {
    throw new Error(`frontSelection 'hypervolume' needs 2 or 3 objectives (exact contributions), the problem has ${nObj}; use 'population'`);
  }
  const cap = options.archiveCapacity;
  if (cap !== undefined) {
    if (method !== 'hypervolume') throw new Error("archiveCapacity: only frontSelection 'hypervolume' keeps a run archive");
    if (!(Number.isInteger(cap) && cap >= populationSize)) throw new Error(`archiveCapacity must be an integer ≥ the population size ${populationSize}, got ${cap}`);
    if (resume?.archiveCapacity !== undefined && resume.archiveCapacity !== cap) {
      throw new Error(`resumeFrom: the checkpoint's archive holds ${resume.archiveCapacity}, the run asks for ${cap}`);
    }
  }
  const budgeted = bytesPerMember > 0 ? Math.floor(ARCHIVE_BUDGET_BYTES / bytesPerMember) : Number.POSITIVE_INFINITY;
  const byDefault = Math.max(populationSize, Math.min(DEFAULT_ARCHIVE_FACTOR * populationSize, budgeted));
  return { method, archiveCapacity: cap ?? resume?.archiveCapacity ?? byDefault };
}

/** nadir + 0.1 × (nadir − ideal) of `count` points per objective (+1 where the range is 0). */
export function archiveReferencePoint(f: ArrayLike<number>, nObj: number, count: number): number[] {
  return referencePointWithMargin(f, nObj, count);
}

/** Lexicographic order of rows by objectives (ties: row). */
function sortRows(f: ArrayLike<number>, nObj: number, rows: number[]): number[] {
  return rows.sort((a, b) => {
    for (let j = 0; j < nObj; j++) {
      const d = f[a * nObj + j] - f[b * nObj + j];
      if (d !== 0) return d;
    }
    return a - b;
  });
}

/**
 * At most `n` archive members by greedy hypervolume (all of them when they are ≤ n), sorted by
 * objectives; the population's front when the archive is empty or its front has the larger
 * hypervolume at the archive's reference point.
 */
export function selectFront<G extends Genome>(archive: ParetoArchive<G>, populationFront: SolutionSet<G>, n: number, nObj: number, nCon: number): SolutionSet<G> {
  if (archive.size === 0) return populationFront;
  const a = archive.extract();
  const ref = archiveReferencePoint(a.f, nObj, a.size);
  let rows: number[];
  if (a.size <= n) rows = Array.from({ length: a.size }, (_, i) => i);
  else rows = Array.from(greedyHypervolumeSubset(a.f, nObj, ref, n, a.size).indices);
  sortRows(a.f, nObj, rows);
  const nVar = archive.nVar;
  const k = rows.length;
  const x = new ((a.x as Genome).constructor as Float64ArrayConstructor)(k * nVar) as unknown as G;
  const f = new Float64Array(k * nObj);
  const g = new Float64Array(k * nCon);
  rows.forEach((r, i) => {
    (x as unknown as Float64Array).set((a.x as unknown as Float64Array).subarray(r * nVar, (r + 1) * nVar), i * nVar);
    f.set(a.f.subarray(r * nObj, (r + 1) * nObj), i * nObj);
    g.set(a.g.subarray(r * nCon, (r + 1) * nCon), i * nCon);
  });
  const chosen: SolutionSet<G> = { size: k, x, f, g, cv: new Float64Array(k) };
  // The population's feasible first front at the same reference point.
  const pf = new Float64Array(populationFront.size * nObj);
  let m = 0;
  for (let i = 0; i < populationFront.size; i++) {
    if (populationFront.cv[i] > 0) continue;
    pf.set(populationFront.f.subarray(i * nObj, (i + 1) * nObj), m * nObj);
    m++;
  }
  if (m === 0) return chosen;
  return hypervolume(pf, nObj, ref, m) > hypervolume(f, nObj, ref, k) ? populationFront : chosen;
}
