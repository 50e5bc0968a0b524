/**
 * Non-dominated sorting under Deb's constrained domination: feasible points are ranked by
 * Pareto dominance (2-objective sweep or ENS-BS), infeasible ones come after all feasible fronts,
 * one front per distinct total violation in increasing order (rules 1 and 2 of constraints.ts).
 */
import { sortTwoObjectives } from './two-objective.js';
import { sortEns } from './ens.js';

export { sortTwoObjectives } from './two-objective.js';
export { sortEns } from './ens.js';
export { sortFastNds } from './fast-nds.js';

/** Scratch space for sorting up to `capacity` rows (rows numbered 0..capacity-1). */
export class SortWorkspace {
  readonly feasible: Int32Array;
  readonly infeasible: Int32Array;
  readonly order: Int32Array;
  readonly tails: Int32Array;
  readonly next: Int32Array;
  constructor(readonly capacity: number) {
    this.feasible = new Int32Array(capacity);
    this.infeasible = new Int32Array(capacity);
    this.order = new Int32Array(capacity);
    this.tails = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }
}

/**
 * Ranks rows 0..n-1 of f (n × nObj) with violations cv (null: all feasible). Writes rank[row]
 * and returns the number of fronts.
 */
export function nonDominatedRanks(f: Float64Array, nObj: number, cv: Float64Array | null, n: number, rank: Int32Array, ws: SortWorkspace = new SortWorkspace(n)): number {
  if (ws.capacity < n) throw new Error(`nonDominatedRanks: workspace for ${ws.capacity} rows, asked for ${n}`);
  let nf = 0;
  let ni = 0;
  for (let i = 0; i < n; i++) {
    if (cv !== null && cv[i] > 0) ws.infeasible[ni++] = i;
    else ws.feasible[nf++] = i;
  }
  let fronts = 0;
  if (nf > 0) {
    fronts = nObj === 2
      ? sortTwoObjectives(f, ws.feasible, nf, rank, ws.order, ws.tails)
      : nObj === 1
        ? sortSingle(f, ws.feasible, nf, rank, ws.order)
        : sortEns(f, nObj, ws.feasible, nf, rank, ws.order, ws.tails, ws.next);
  }
  if (ni > 0 && cv !== null) {
    const view = ws.infeasible.subarray(0, ni);
    view.sort((a, b) => cv[a] - cv[b]);
    let r = fronts - 1;
    let last = Number.NaN;
    for (let i = 0; i < ni; i++) {
      const row = view[i];
      if (cv[row] !== last) {
        r++;
        last = cv[row];
      }
      rank[row] = r;
    }
    fronts = r + 1;
  }
  return fronts;
}

function sortSingle(f: Float64Array, idx: Int32Array, n: number, rank: Int32Array, order: Int32Array): number {
  for (let i = 0; i < n; i++) order[i] = idx[i];
  const view = order.subarray(0, n);
  view.sort((a, b) => f[a] - f[b]);
  let r = -1;
  let last = Number.NaN;
  for (let i = 0; i < n; i++) {
    const row = view[i];
    if (f[row] !== last) {
      r++;
      last = f[row];
    }
    rank[row] = r;
  }
  return r + 1;
}
