/**
 * Rank-and-crowding survival of NSGA-II (Deb et al. 2002, §III-C), the default; the
 * reference-point survival of NSGA-III is in survival/reference-points.ts and shares the ranking
 * and row compaction below. Elitist (μ+λ): rank the merged parents and offspring with
 * constrained domination, fill the next population front by front, and cut the last front that
 * does not fit by descending crowding distance (ties: lower row first, so the outcome is
 * deterministic). Survivors end up in rows [0, keep): surviving offspring are copied into the
 * rows of eliminated parents, so no genome is moved that does not have to be.
 */
import type { Genome } from './problem.js';
import { nonDominatedRanks, SortWorkspace } from './sorting/index.js';
import { crowdingDistance } from './crowding.js';

export class SurvivalWorkspace {
  readonly sort: SortWorkspace;
  readonly byRank: Int32Array;
  readonly frontStart: Int32Array;
  readonly order: Int32Array;
  readonly keepFlag: Uint8Array;
  constructor(readonly capacity: number) {
    this.sort = new SortWorkspace(capacity);
    this.byRank = new Int32Array(capacity);
    this.frontStart = new Int32Array(capacity + 1);
    this.order = new Int32Array(capacity);
    this.keepFlag = new Uint8Array(capacity);
  }
}

export interface PopulationArrays {
  x: Genome;
  f: Float64Array;
  g: Float64Array;
  cv: Float64Array;
  rank: Int32Array;
  crowding: Float64Array;
  nVar: number;
  nObj: number;
  nCon: number;
}

/** Ranks rows [0, total) and fills rank/crowding for every front (no selection). Returns front count. */
export function rankAndCrowd(p: PopulationArrays, total: number, ws: SurvivalWorkspace, fronts = countFronts(p, total, ws)): number {
  for (let r = 0; r < fronts; r++) {
    crowdingDistance(p.f, p.nObj, ws.byRank, ws.frontStart[r], ws.frontStart[r + 1] - ws.frontStart[r], p.crowding, ws.order);
  }
  return fronts;
}

/**
 * Constrained non-dominated ranks of rows [0, total) into p.rank; rows grouped by rank into
 * ws.byRank with front r at ws.byRank[ws.frontStart[r] .. ws.frontStart[r + 1]). Returns the count.
 */
export function countFronts(p: PopulationArrays, total: number, ws: SurvivalWorkspace): number {
  const fronts = nonDominatedRanks(p.f, p.nObj, p.nCon > 0 ? p.cv : null, total, p.rank, ws.sort);
  // Counting sort of rows by rank into byRank, fronts delimited by frontStart.
  const start = ws.frontStart;
  start.fill(0, 0, fronts + 1);
  for (let i = 0; i < total; i++) start[p.rank[i] + 1]++;
  for (let r = 0; r < fronts; r++) start[r + 1] += start[r];
  const fill = ws.order;
  for (let r = 0; r < fronts; r++) fill[r] = start[r];
  for (let i = 0; i < total; i++) ws.byRank[fill[p.rank[i]]++] = i;
  return fronts;
}

/** Keeps `keep` of rows [0, total), leaving them in rows [0, keep) with their rank and crowding. */
export function survive(p: PopulationArrays, total: number, keep: number, ws: SurvivalWorkspace): void {
  const fronts = countFronts(p, total, ws);
  const flag = ws.keepFlag;
  flag.fill(0, 0, total);
  let selected = 0;
  for (let r = 0; r < fronts && selected < keep; r++) {
    const a = ws.frontStart[r];
    const size = ws.frontStart[r + 1] - a;
    crowdingDistance(p.f, p.nObj, ws.byRank, a, size, p.crowding, ws.order);
    if (selected + size <= keep) {
      for (let i = a; i < a + size; i++) flag[ws.byRank[i]] = 1;
      selected += size;
    } else {
      const members = ws.byRank.subarray(a, a + size);
      const crowd = p.crowding;
      members.sort((u, v) => crowd[v] - crowd[u] || u - v);
      for (let i = 0; i < keep - selected; i++) flag[members[i]] = 1;
      selected = keep;
    }
  }
  compactSurvivors(p, total, keep, flag);
}

/** Moves the rows flagged in flag[0..total) (exactly `keep` of them) into rows [0, keep), keeping rows < keep in place. */
export function compactSurvivors(p: PopulationArrays, total: number, keep: number, flag: Uint8Array): void {
  let free = 0;
  for (let r = keep; r < total; r++) {
    if (!flag[r]) continue;
    while (flag[free]) free++;
    moveRow(p, r, free);
    flag[free] = 1;
    free++;
  }
}

function moveRow(p: PopulationArrays, from: number, to: number): void {
  const { nVar, nObj, nCon } = p;
  p.x.copyWithin(to * nVar, from * nVar, (from + 1) * nVar);
  p.f.copyWithin(to * nObj, from * nObj, (from + 1) * nObj);
  if (nCon > 0) p.g.copyWithin(to * nCon, from * nCon, (from + 1) * nCon);
  p.cv[to] = p.cv[from];
  p.rank[to] = p.rank[from];
  p.crowding[to] = p.crowding[from];
}
