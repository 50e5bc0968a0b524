/**
 * From prices (or a fractional / time-limited solution) to a plan that meets every capacity:
 * best response at the prices, capacity-aware repair, greedy fill of the room left, then
 * improving moves (to a better option that fits) and swaps (a deployed module out, a better
 * undeployed one in) until none is found or the work budget is spent. Capacities are checked
 * in the problem's integer kWh, so the result is feasible exactly, not to a solver tolerance.
 */
import { Q_ENERGY, TOTALS_BASE, type AllocationProblem } from '../allocation-problem.js';

/** Best option per module at prices λ (reduced value c_o − λ_a kWh_o > 0), else recycle. */
export function bestResponseGenes(p: AllocationProblem, c: Float64Array, lambda: Float64Array): Uint8Array {
  const genes = new Uint8Array(p.nModules);
  for (let m = 0; m < p.nModules; m++) {
    let best = 0;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      const r = c[o] - lambda[p.optApp[o]] * (p.optKwh[o] / Q_ENERGY);
      if (r > best) {
        best = r;
        genes[m] = o - p.optStart[m] + 1;
      }
    }
  }
  return genes;
}

/** Loads per application (integer units) of a plan, pinned modules included. */
export function planLoads(p: AllocationProblem, genes: Uint8Array): Float64Array {
  const load = new Float64Array(p.nApps);
  for (let a = 0; a < p.nApps; a++) load[a] = p.baseTotals[TOTALS_BASE + a];
  for (let m = 0; m < p.nModules; m++) if (genes[m] > 0) {
    const o = p.optStart[m] + genes[m] - 1;
    load[p.optApp[o]] += p.optKwh[o];
  }
  return load;
}

export function fitsCapacity(p: AllocationProblem, genes: Uint8Array): boolean {
  const load = planLoads(p, genes);
  for (let a = 0; a < p.nApps; a++) if (load[a] > p.capacityKwh[a]) return false;
  return true;
}

/**
 * Make `genes` feasible and locally optimal for Σ c (maximised), in place. Over-full applications
 * shed their modules of least value per kWh first (each moved to its best other option with
 * room, or recycled); then the free capacity is filled and polished.
 *
 * Each step is a method of its own: V8 compiles a long-running loop by on-stack replacement of
 * the function around it, and one function holding every step was compiled 8 times a run
 * (50–120 ms each, on V8's background threads beside the API's requests).
 */
export function roundAndPolish(p: AllocationProblem, c: Float64Array, genes: Uint8Array, workBudget = 4e7): Uint8Array {
  const polish = new Polish(p, c, genes, workBudget);
  polish.repair();
  const order = polish.fillOrder();
  for (let pass = 0; pass < 4 && polish.work < workBudget; pass++) {
    let improved = polish.improve(order);
    for (let a = 0; a < p.nApps && polish.work < workBudget; a++) improved = polish.swaps(order, a) || improved;
    for (let a = 0; a < p.nApps && polish.work < workBudget; a++) improved = polish.chains(order, a) || improved;
    if (!improved) break;
  }
  return genes;
}

/** A plan being made feasible and polished: the plan, its loads and the work spent so far. */
class Polish {
  readonly load: Float64Array;
  readonly cap: Float64Array;
  /** Module of each option, looked up in the swap and chain loops (a binary search there was most of the exact step's time at 100 k modules). */
  readonly optModule: Int32Array;
  work = 0;

  constructor(
    readonly p: AllocationProblem,
    readonly c: Float64Array,
    readonly genes: Uint8Array,
    readonly workBudget: number,
  ) {
    this.load = planLoads(p, genes);
    this.cap = p.capacityKwh;
    this.optModule = optionModules(p);
  }

  optOf(m: number): number {
    return this.genes[m] > 0 ? this.p.optStart[m] + this.genes[m] - 1 : -1;
  }

  set(m: number, o: number): void {
    const p = this.p;
    const old = this.optOf(m);
    if (old >= 0) this.load[p.optApp[old]] -= p.optKwh[old];
    if (o >= 0) this.load[p.optApp[o]] += p.optKwh[o];
    this.genes[m] = o >= 0 ? o - p.optStart[m] + 1 : 0;
  }

  /** Best option of module m that fits (its current one's load removed), or −1. */
  bestFitting(m: number, exceptApp = -1): number {
    const { p, c, load, cap } = this;
    const cur = this.optOf(m);
    let best = cur >= 0 && p.optApp[cur] !== exceptApp ? c[cur] : 0;
    let arg = cur >= 0 && p.optApp[cur] !== exceptApp ? cur : -1;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      const a = p.optApp[o];
      if (a === exceptApp || o === cur || !(c[o] > best)) continue;
      const extra = cur >= 0 && p.optApp[cur] === a ? p.optKwh[o] - p.optKwh[cur] : p.optKwh[o];
      if (load[a] + extra <= cap[a]) {
        best = c[o];
        arg = o;
      }
    }
    return arg;
  }

  /** 1. Repair: least value per kWh leaves first. */
  repair(): void {
    const { p, c, load, cap } = this;
    for (let a = 0; a < p.nApps; a++) {
      if (load[a] <= cap[a]) continue;
      const members: number[] = [];
      for (let m = 0; m < p.nModules; m++) if (this.optOf(m) >= 0 && p.optApp[this.optOf(m)] === a) members.push(m);
      members.sort((x, y) => c[this.optOf(x)] / p.optKwh[this.optOf(x)] - c[this.optOf(y)] / p.optKwh[this.optOf(y)] || x - y);
      for (const m of members) {
        if (load[a] <= cap[a]) break;
        this.set(m, -1);
        const alt = this.bestFitting(m, a);
        if (alt >= 0) this.set(m, alt);
      }
    }
  }

  /** Modules worth placing, most valuable per kWh first (the order every later step visits them in). */
  fillOrder(): number[] {
    const { p, c } = this;
    const n = p.nModules;
    const order: number[] = [];
    const density = new Float64Array(n);
    for (let m = 0; m < n; m++) {
      if (p.optStart[m + 1] === p.optStart[m]) continue;
      let d = -Infinity;
      for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) d = Math.max(d, c[o] / Math.max(p.optKwh[o], 1));
      if (d > 0 || this.optOf(m) >= 0) {
        order.push(m);
        density[m] = d;
      }
    }
    order.sort((x, y) => density[y] - density[x] || x - y);
    return order;
  }

  /** 2. Fill and improve: every module to its best fitting option. */
  improve(order: readonly number[]): boolean {
    const p = this.p;
    let improved = false;
    for (const m of order) {
      const o = this.bestFitting(m);
      this.work += p.optStart[m + 1] - p.optStart[m];
      if (o !== this.optOf(m) && o >= 0) {
        this.set(m, o);
        improved = true;
      }
    }
    return improved;
  }

  /**
   * 3. Swaps in application a: an undeployed module's option replaces a deployed module of a
   * when it is worth more and fits in the room that module leaves.
   */
  swaps(order: readonly number[], a: number): boolean {
    const { p, c, load, cap, genes, optModule } = this;
    let improved = false;
    const inside: number[] = [];
    const outside: number[] = [];
    for (const m of order) {
      const o = this.optOf(m);
      if (o >= 0 && p.optApp[o] === a) inside.push(o);
      else if (o < 0) for (let q = p.optStart[m]; q < p.optStart[m + 1]; q++) if (p.optApp[q] === a && c[q] > 0) outside.push(q);
    }
    inside.sort((x, y) => c[x] - c[y] || x - y);
    outside.sort((x, y) => c[y] - c[x] || x - y);
    for (const oi of inside) {
      if (this.work >= this.workBudget) break;
      for (const oo of outside) {
        this.work++;
        if (!(c[oo] > c[oi])) break;
        const mo = optModule[oo];
        if (genes[mo] !== 0) continue;
        if (load[a] - p.optKwh[oi] + p.optKwh[oo] <= cap[a]) {
          const mi = optModule[oi];
          if (this.optOf(mi) !== oi) break;
          this.set(mi, -1);
          this.set(mo, oo);
          const alt = this.bestFitting(mi, -1);
          if (alt >= 0) this.set(mi, alt);
          improved = true;
          break;
        }
      }
    }
    return improved;
  }

  /**
   * 4. Chains out of application a: a deployed module moves to another application with room,
   * and the room it leaves takes a recycled module worth more than the move loses.
   */
  chains(order: readonly number[], a: number): boolean {
    const { p, c, load, cap, genes, optModule } = this;
    let improved = false;
    const outside: number[] = [];
    for (const m of order) if (genes[m] === 0) for (let q = p.optStart[m]; q < p.optStart[m + 1]; q++) if (p.optApp[q] === a && c[q] > 0) outside.push(q);
    outside.sort((x, y) => c[y] - c[x] || x - y);
    for (const m of order) {
      if (this.work >= this.workBudget) break;
      const cur = this.optOf(m);
      if (cur < 0 || p.optApp[cur] !== a) continue;
      for (let alt = p.optStart[m]; alt < p.optStart[m + 1]; alt++) {
        const b = p.optApp[alt];
        if (b === a || load[b] + p.optKwh[alt] > cap[b]) continue;
        const loss = c[cur] - c[alt];
        const freed = cap[a] - load[a] + p.optKwh[cur];
        let done = false;
        for (const q of outside) {
          this.work++;
          if (!(c[q] > loss)) break;
          if (p.optKwh[q] > freed) continue;
          const mq = optModule[q];
          if (genes[mq] !== 0) continue;
          this.set(m, alt);
          this.set(mq, q);
          improved = true;
          done = true;
          break;
        }
        if (done) break;
      }
    }
    return improved;
  }
}

/** The module of every option (options of module m are optStart[m] … optStart[m+1]−1). */
export function optionModules(p: Pick<AllocationProblem, 'nModules' | 'optStart'>): Int32Array {
  const out = new Int32Array(p.optStart[p.nModules]);
  for (let m = 0; m < p.nModules; m++) out.fill(m, p.optStart[m], p.optStart[m + 1]);
  return out;
}
