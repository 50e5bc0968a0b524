/**
 * A bounded non-dominated archive (all objectives minimised): members are kept in typed arrays,
 * objectives (size × nObj), optionally genomes (size × nVar) and constraint values (size × nCon),
 * in the order they entered.
 *
 * - An offered solution enters unless a member dominates it or has exactly the same objectives
 *   (the first one stays); members it dominates leave. So the archive is always a mutually
 *   non-dominated set with distinct objective vectors, and below capacity nothing non-dominated
 *   that was offered is lost.
 * - Over capacity, at the end of each `add` / `addRows` / `merge` call, members leave one at a
 *   time by smallest crowding distance, recomputed after every removal (Kukkonen & Deb 2006,
 *   "Improved pruning of non-dominated solutions based on crowding distance for bi-objective
 *   optimization problems", IEEE CEC 2006, 1179–1186; crowding as in Deb et al. 2002). Ties leave
 *   the later entrant first, so the incumbents stay; extremes (infinite distance) leave last.
 * - Deterministic: the same offers in the same order give the same members in the same order.
 *   Re-adding an extracted archive (`addRows(a.extract())`) into an empty one of the same
 *   capacity rebuilds it exactly, which is how a checkpointed run restores its archive.
 */
import type { Genome } from './problem.js';
import { hypervolume } from './indicators/hypervolume.js';

type GenomeConstructor = Float64ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor;

export interface ParetoArchiveOptions {
  nObj: number;
  /** Genome length of a member; 0 (default): objectives only. */
  nVar?: number;
  /** Element type of the genomes: Float64Array (default), Uint8Array, Uint16Array or Int32Array. */
  genome?: GenomeConstructor;
  /** Constraint values kept with each member (g, nCon per member); 0 (default): none. */
  nCon?: number;
  /** Most members kept (default: unbounded). */
  capacity?: number;
}

/**
 * Rows of a population-like block to offer: rows with cv > 0 (infeasible) are skipped, and so are
 * rows with rank > 0 when ranks are given (a run population's own first front dominates them, so
 * skipping them changes nothing but the work).
 */
export interface ArchiveRows {
  size: number;
  f: Float64Array;
  x?: Genome | null;
  /** size × nCon constraint values (needed when the archive keeps them). */
  g?: Float64Array | null;
  cv?: Float64Array | null;
  rank?: Int32Array | null;
}

export interface ArchiveContents<G extends Genome = Genome> {
  size: number;
  /** size × nObj */
  f: Float64Array;
  /** size × nVar (empty when the archive keeps no genomes) */
  x: G;
  /** size × nCon (empty when the archive keeps no constraint values) */
  g: Float64Array;
}

/** Pareto dominance of vector a over b (minimisation): no worse in every objective, better in one. */
export function paretoDominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) throw new Error(`paretoDominates: vectors of ${a.length} and ${b.length} objectives`);
  let better = false;
  for (let j = 0; j < a.length; j++) {
    if (a[j] > b[j]) return false;
    if (a[j] < b[j]) better = true;
  }
  return better;
}

/**
 * Crowding distance of each of `count` points (count × nObj row-major), all taken as one front
 * (Deb et al. 2002, §III-B): boundary points +∞, others the sum over objectives of the
 * normalised gap between their neighbours. Entries of `alive` equal to 0 are ignored (distance NaN).
 */
export function crowdingDistances(f: ArrayLike<number>, nObj: number, count: number, alive?: Uint8Array): Float64Array {
  const d = new Float64Array(count);
  const members: number[] = [];
  for (let i = 0; i < count; i++) {
    if (alive && !alive[i]) d[i] = Number.NaN;
    else members.push(i);
  }
  const k = members.length;
  if (k <= 2) {
    for (const i of members) d[i] = Number.POSITIVE_INFINITY;
    return d;
  }
  const order = Int32Array.from(members);
  for (let m = 0; m < nObj; m++) {
    order.sort((a, b) => f[a * nObj + m] - f[b * nObj + m] || a - b);
    const lo = f[order[0] * nObj + m];
    const hi = f[order[k - 1] * nObj + m];
    d[order[0]] = Number.POSITIVE_INFINITY;
    d[order[k - 1]] = Number.POSITIVE_INFINITY;
    const range = hi - lo;
    if (!(range > 0)) continue;
    for (let r = 1; r < k - 1; r++) d[order[r]] += (f[order[r + 1] * nObj + m] - f[order[r - 1] * nObj + m]) / range;
  }
  return d;
}

export class ParetoArchive<G extends Genome = Float64Array> {
  readonly nObj: number;
  readonly nVar: number;
  readonly nCon: number;
  readonly capacity: number;
  private readonly ctor: GenomeConstructor;
  private fBuf: Float64Array;
  private xBuf: G;
  private gBuf: Float64Array;
  private alive: Uint8Array;
  /** Rows in use (alive or dead until the next compaction). */
  private rows = 0;
  private live = 0;
  /** Scratch of `offer`: the offered objectives, the members it dominates, where to start the scan. */
  private readonly cand: Float64Array;
  private dominatedScratch = new Int32Array(16);
  private hint = 0;

  constructor(options: ParetoArchiveOptions) {
    const { nObj, nVar = 0, nCon = 0, capacity = Number.POSITIVE_INFINITY } = options;
    if (!Number.isInteger(nObj) || nObj < 1) throw new Error(`ParetoArchive: nObj must be an integer ≥ 1, got ${nObj}`);
    if (!Number.isInteger(nVar) || nVar < 0) throw new Error(`ParetoArchive: nVar must be an integer ≥ 0, got ${nVar}`);
    if (!Number.isInteger(nCon) || nCon < 0) throw new Error(`ParetoArchive: nCon must be an integer ≥ 0, got ${nCon}`);
    if (!(capacity === Number.POSITIVE_INFINITY || (Number.isInteger(capacity) && capacity >= 1))) throw new Error(`ParetoArchive: capacity must be an integer ≥ 1 or Infinity, got ${capacity}`);
    this.nObj = nObj;
    this.nVar = nVar;
    this.nCon = nCon;
    this.cand = new Float64Array(nObj);
    this.capacity = capacity;
    this.ctor = options.genome ?? Float64Array;
    const initial = Number.isFinite(capacity) ? Math.min(capacity + 1, 64) : 64;
    this.fBuf = new Float64Array(initial * nObj);
    this.xBuf = new this.ctor(initial * nVar) as unknown as G;
    this.gBuf = new Float64Array(initial * nCon);
    this.alive = new Uint8Array(initial);
  }

  /** Number of members. */
  get size(): number {
    return this.live;
  }

  /** Offers one solution (objectives, and its genome when the archive keeps genomes); true when it is a member afterwards. */
  add(f: ArrayLike<number>, x?: ArrayLike<number>, g?: ArrayLike<number>): boolean {
    const row = this.offer(f, 0, x ?? null, 0, g ?? null, 0);
    this.truncate();
    const kept = row >= 0 && this.alive[row] === 1;
    this.compact();
    return kept;
  }

  /** Offers the feasible (first-front, when ranked) rows of a block; returns how many of them are members afterwards. */
  addRows(rows: ArchiveRows): number {
    const { size, f, x, g, cv, rank } = rows;
    if (f.length < size * this.nObj) throw new Error(`ParetoArchive.addRows: f holds ${f.length} numbers, fewer than ${size} rows × ${this.nObj} objectives`);
    if (this.nVar > 0 && (!x || x.length < size * this.nVar)) throw new Error(`ParetoArchive.addRows: the archive keeps genomes of ${this.nVar} genes; give x with ${size} rows`);
    if (this.nCon > 0 && (!g || g.length < size * this.nCon)) throw new Error(`ParetoArchive.addRows: the archive keeps ${this.nCon} constraint values per member; give g with ${size} rows`);
    const entered: number[] = [];
    for (let i = 0; i < size; i++) {
      if ((cv && cv[i] > 0) || (rank && rank[i] > 0)) continue;
      const row = this.offer(f, i * this.nObj, this.nVar > 0 ? x! : null, i * this.nVar, this.nCon > 0 ? g! : null, i * this.nCon);
      if (row >= 0) entered.push(row);
    }
    this.truncate();
    let kept = 0;
    for (const row of entered) if (this.alive[row]) kept++;
    this.compact();
    return kept;
  }

  /** Offers every member of another archive (same nObj / nVar), in its order. */
  merge(other: ParetoArchive<Genome>): number {
    if (other.nObj !== this.nObj || other.nVar !== this.nVar || other.nCon !== this.nCon) {
      throw new Error(`ParetoArchive.merge: archives of ${other.nObj}/${other.nVar}/${other.nCon} and ${this.nObj}/${this.nVar}/${this.nCon} objectives/genes/constraints`);
    }
    return this.addRows(other.extract());
  }

  /** Copies of the members, in order. */
  extract(): ArchiveContents<G> {
    this.compact();
    return {
      size: this.live,
      f: this.fBuf.slice(0, this.live * this.nObj),
      x: (this.xBuf as unknown as Float64Array).slice(0, this.live * this.nVar) as unknown as G,
      g: this.gBuf.slice(0, this.live * this.nCon),
    };
  }

  /** View (no copy) of member i's objectives; valid until the archive next changes. */
  objectives(i: number): Float64Array {
    this.checkIndex(i);
    return this.fBuf.subarray(i * this.nObj, (i + 1) * this.nObj);
  }

  /** View (no copy) of member i's genome; valid until the archive next changes. */
  genome(i: number): G {
    this.checkIndex(i);
    return (this.xBuf as unknown as Float64Array).subarray(i * this.nVar, (i + 1) * this.nVar) as unknown as G;
  }

  /** Exact hypervolume of the members w.r.t. `reference` (1 to 3 objectives). */
  hypervolume(reference: ArrayLike<number>): number {
    return this.live === 0 ? 0 : hypervolume(this.fBuf.subarray(0, this.live * this.nObj), this.nObj, Array.from(reference), this.live);
  }

  clear(): void {
    this.rows = 0;
    this.live = 0;
  }

  private checkIndex(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.live)) throw new Error(`ParetoArchive: member ${i} does not exist (size ${this.live})`);
  }

  /** Returns the row the solution entered at, or −1. Leaves dead rows for `compact`. */
  private offer(f: ArrayLike<number>, fo: number, x: ArrayLike<number> | null, xo: number, g: ArrayLike<number> | null, go: number): number {
    const { nObj, nVar, nCon } = this;
    if (f.length < fo + nObj) throw new Error(`ParetoArchive.add: ${f.length - fo} objectives given, expected ${nObj}`);
    for (let j = 0; j < nObj; j++) {
      if (Number.isNaN(f[fo + j])) throw new Error(`ParetoArchive.add: objective ${j} is NaN`);
    }
    if (nVar > 0 && (!x || x.length < xo + nVar)) throw new Error(`ParetoArchive.add: the archive keeps genomes of ${nVar} genes; give one`);
    if (nCon > 0 && (!g || g.length < go + nCon)) throw new Error(`ParetoArchive.add: the archive keeps ${nCon} constraint values per member; give them`);
    // Scan order does not change the outcome (a dominated offer dominates no member, by
    // transitivity), so the scan starts at the member that rejected the last offer: in a run,
    // successive offers tend to be dominated by the same members.
    const F = this.fBuf;
    const alive = this.alive;
    const c = this.cand;
    for (let j = 0; j < nObj; j++) c[j] = f[fo + j];
    let dom = this.dominatedScratch;
    let nd = 0;
    const rows = this.rows;
    const start = this.hint < rows ? this.hint : 0;
    const c0 = c[0];
    const c1 = nObj > 1 ? c[1] : 0;
    const c2 = nObj > 2 ? c[2] : 0;
    for (let t = 0; t < rows; t++) {
      const r = start + t < rows ? start + t : start + t - rows;
      if (!alive[r]) continue;
      const base = r * nObj;
      let memberBetter = false;
      let offerBetter = false;
      if (nObj === 3) {
        // Unrolled for three objectives (the same comparisons as the loop below).
        const a0 = F[base];
        const a1 = F[base + 1];
        const a2 = F[base + 2];
        memberBetter = a0 < c0 || a1 < c1 || a2 < c2;
        offerBetter = c0 < a0 || c1 < a1 || c2 < a2;
      } else if (nObj === 2) {
        const a0 = F[base];
        const a1 = F[base + 1];
        memberBetter = a0 < c0 || a1 < c1;
        offerBetter = c0 < a0 || c1 < a1;
      } else {
        for (let j = 0; j < nObj; j++) {
          const a = F[base + j];
          const b = c[j];
          if (a < b) memberBetter = true;
          else if (b < a) offerBetter = true;
          if (memberBetter && offerBetter) break;
        }
      }
      if (!offerBetter) {
        this.hint = r;
        return -1; // dominated by or equal to member r
      }
      if (!memberBetter) {
        if (nd === dom.length) {
          const grown = new Int32Array(2 * nd);
          grown.set(dom);
          dom = this.dominatedScratch = grown;
        }
        dom[nd++] = r;
      }
    }
    const dead = dom.subarray(0, nd);
    for (const r of dead) this.alive[r] = 0;
    this.live -= nd;
    // Dead rows are reclaimed by `compact` at the end of the public call (row numbers stay valid until then).
    if (this.rows === this.alive.length) this.grow();
    const row = this.rows++;
    for (let j = 0; j < nObj; j++) this.fBuf[row * nObj + j] = f[fo + j];
    if (nVar > 0) {
      const X = this.xBuf as unknown as Float64Array;
      for (let j = 0; j < nVar; j++) X[row * nVar + j] = x![xo + j];
    }
    for (let j = 0; j < nCon; j++) this.gBuf[row * nCon + j] = g![go + j];
    this.alive[row] = 1;
    this.live++;
    return row;
  }

  /**
   * Drops members by smallest crowding distance (recomputed after each) down to capacity. The
   * distances after a removal are those a full recomputation gives, bit for bit: each objective's
   * order is kept as a linked list, and only the removed member's neighbours are re-scored (every
   * member when it was an end of some order, which changes that objective's range), by the same
   * arithmetic in the same order as `crowdingDistances`. So a removal costs O(size), not a sort.
   */
  private truncate(): void {
    if (this.live <= this.capacity) return;
    const { nObj, rows, alive } = this;
    const F = this.fBuf;
    const members: number[] = [];
    for (let r = 0; r < rows; r++) if (alive[r]) members.push(r);
    const prev = new Int32Array(nObj * rows).fill(-1);
    const next = new Int32Array(nObj * rows).fill(-1);
    const head = new Int32Array(nObj);
    const tail = new Int32Array(nObj);
    const order = Int32Array.from(members);
    for (let m = 0; m < nObj; m++) {
      order.sort((a, b) => F[a * nObj + m] - F[b * nObj + m] || a - b);
      head[m] = order[0];
      tail[m] = order[order.length - 1];
      for (let t = 0; t < order.length; t++) {
        prev[m * rows + order[t]] = t > 0 ? order[t - 1] : -1;
        next[m * rows + order[t]] = t + 1 < order.length ? order[t + 1] : -1;
      }
    }
    const d = new Float64Array(rows);
    const score = (r: number): number => {
      if (this.live <= 2) return Number.POSITIVE_INFINITY;
      let s = 0;
      for (let m = 0; m < nObj; m++) {
        const p = prev[m * rows + r];
        const q = next[m * rows + r];
        if (p < 0 || q < 0) s = Number.POSITIVE_INFINITY;
        else {
          const range = F[tail[m] * nObj + m] - F[head[m] * nObj + m];
          if (range > 0) s += (F[q * nObj + m] - F[p * nObj + m]) / range;
        }
      }
      return s;
    };
    for (const r of members) d[r] = score(r);
    // The member to drop: smallest distance, ties the later row. A binary heap on (d asc, row
    // desc) with stale entries skipped (an entry is current while its row is alive and its
    // version unchanged) finds the same member as a scan; a NaN distance (infinite objectives)
    // has no order, so then every pick is a scan, as the rule reads.
    const version = new Int32Array(rows);
    const hRow: number[] = [];
    const hVer: number[] = [];
    const hD: number[] = [];
    let useHeap = true;
    const before = (i: number, j: number) => hD[i] < hD[j] || (hD[i] === hD[j] && hRow[i] > hRow[j]);
    const swap = (i: number, j: number) => {
      [hRow[i], hRow[j]] = [hRow[j], hRow[i]];
      [hVer[i], hVer[j]] = [hVer[j], hVer[i]];
      [hD[i], hD[j]] = [hD[j], hD[i]];
    };
    const push = (r: number) => {
      if (Number.isNaN(d[r])) useHeap = false;
      let i = hRow.length;
      hRow.push(r);
      hVer.push(version[r]);
      hD.push(d[r]);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    };
    const popTop = () => {
      const last = hRow.length - 1;
      swap(0, last);
      hRow.pop();
      hVer.pop();
      hD.pop();
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= hRow.length) break;
        const c = l + 1 < hRow.length && before(l + 1, l) ? l + 1 : l;
        if (!before(c, i)) break;
        swap(c, i);
        i = c;
      }
    };
    const rebuild = () => {
      hRow.length = 0;
      hVer.length = 0;
      hD.length = 0;
      for (let r = 0; r < rows; r++) if (alive[r]) push(r);
    };
    rebuild();
    while (this.live > this.capacity) {
      let worst = -1;
      if (useHeap) {
        while (!(alive[hRow[0]] && hVer[0] === version[hRow[0]])) popTop();
        worst = hRow[0];
        popTop();
      } else {
        for (let r = 0; r < rows; r++) {
          if (!alive[r]) continue;
          if (worst < 0 || d[r] < d[worst] || (d[r] === d[worst] && r > worst)) worst = r;
        }
      }
      alive[worst] = 0;
      this.live--;
      let endMoved = false;
      const touched: number[] = [];
      for (let m = 0; m < nObj; m++) {
        const p = prev[m * rows + worst];
        const q = next[m * rows + worst];
        if (p >= 0) next[m * rows + p] = q;
        else {
          head[m] = q;
          endMoved = true;
        }
        if (q >= 0) prev[m * rows + q] = p;
        else {
          tail[m] = p;
          endMoved = true;
        }
        if (p >= 0) touched.push(p);
        if (q >= 0) touched.push(q);
      }
      if (endMoved || this.live <= 2) {
        for (let r = 0; r < rows; r++) if (alive[r]) d[r] = score(r);
        version.fill(0);
        rebuild();
      } else {
        for (const r of touched) {
          if (!alive[r]) continue;
          d[r] = score(r);
          version[r]++;
          push(r);
        }
      }
    }
  }

  private compact(): void {
    if (this.live === this.rows) return;
    const { nObj, nVar, nCon } = this;
    const X = this.xBuf as unknown as Float64Array;
    let to = 0;
    for (let r = 0; r < this.rows; r++) {
      if (!this.alive[r]) continue;
      if (r !== to) {
        this.fBuf.copyWithin(to * nObj, r * nObj, (r + 1) * nObj);
        if (nVar > 0) X.copyWithin(to * nVar, r * nVar, (r + 1) * nVar);
        if (nCon > 0) this.gBuf.copyWithin(to * nCon, r * nCon, (r + 1) * nCon);
        this.alive[to] = 1;
      }
      to++;
    }
    this.alive.fill(0, to, this.rows);
    this.rows = to;
  }

  private grow(): void {
    const rows = this.alive.length * 2;
    const f = new Float64Array(rows * this.nObj);
    f.set(this.fBuf);
    const x = new this.ctor(rows * this.nVar);
    x.set(this.xBuf as never);
    const g = new Float64Array(rows * this.nCon);
    g.set(this.gBuf);
    this.gBuf = g;
    const alive = new Uint8Array(rows);
    alive.set(this.alive);
    this.fBuf = f;
    this.xBuf = x as unknown as G;
    this.alive = alive;
  }
}
