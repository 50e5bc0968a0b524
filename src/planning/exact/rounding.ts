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
 */
export function roundAndPolish(p: AllocationProblem, c: Float64Array, genes: Uint8Array, workBudget = 4e7): Uint8Array {
  const n = p.nModules;
  const load = planLoads(p, genes);
  const cap = p.capacityKwh;
  // Module of each option, looked up in the swap and chain loops (a binary search there was
  // most of the exact step's time at 100 k modules).
  const optModule = optionModules(p);
  const optOf = (m: number) => (genes[m] > 0 ? p.optStart[m] + genes[m] - 1 : -1);
  const set = (m: number, o: number) => {
    const old = optOf(m);
    if (old >= 0) load[p.optApp[old]] -= p.optKwh[old];
    if (o >= 0) load[p.optApp[o]] += p.optKwh[o];
    genes[m] = o >= 0 ? o - p.optStart[m] + 1 : 0;
  };
  /** Best option of module m that fits (its current one's load removed), or −1. */
  const bestFitting = (m: number, exceptApp = -1) => {
    const cur = optOf(m);
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
  };

  // 1. Repair: least value per kWh leaves first.
  for (let a = 0; a < p.nApps; a++) {
    if (load[a] <= cap[a]) continue;
    const members: number[] = [];
    for (let m = 0; m < n; m++) if (optOf(m) >= 0 && p.optApp[optOf(m)] === a) members.push(m);
    members.sort((x, y) => c[optOf(x)] / p.optKwh[optOf(x)] - c[optOf(y)] / p.optKwh[optOf(y)] || x - y);
    for (const m of members) {
      if (load[a] <= cap[a]) break;
      set(m, -1);
      const alt = bestFitting(m, a);
      if (alt >= 0) set(m, alt);
    }
  }

  // 2. Fill and improve: every module to its best fitting option, most valuable per kWh first.
  const order: number[] = [];
  const density = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    if (p.optStart[m + 1] === p.optStart[m]) continue;
    let d = -Infinity;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) d = Math.max(d, c[o] / Math.max(p.optKwh[o], 1));
    if (d > 0 || optOf(m) >= 0) {
      order.push(m);
      density[m] = d;
    }
  }
  order.sort((x, y) => density[y] - density[x] || x - y);
  let work = 0;
  for (let pass = 0; pass < 4 && work < workBudget; pass++) {
    let improved = false;
    for (const m of order) {
      const o = bestFitting(m);
      work += p.optStart[m + 1] - p.optStart[m];
      if (o !== optOf(m) && o >= 0) {
        set(m, o);
        improved = true;
      }
    }
    // 3. Swaps: an undeployed module's option replaces a deployed module of the same application
    // when it is worth more and fits in the room that module leaves.
    for (let a = 0; a < p.nApps && work < workBudget; a++) {
      const inside: number[] = [];
      const outside: number[] = [];
      for (const m of order) {
        const o = optOf(m);
        if (o >= 0 && p.optApp[o] === a) inside.push(o);
        else if (o < 0) for (let q = p.optStart[m]; q < p.optStart[m + 1]; q++) if (p.optApp[q] === a && c[q] > 0) outside.push(q);
      }
      inside.sort((x, y) => c[x] - c[y] || x - y);
      outside.sort((x, y) => c[y] - c[x] || x - y);
      for (const oi of inside) {
        if (work >= workBudget) break;
        for (const oo of outside) {
          work++;
          if (!(c[oo] > c[oi])) break;
          const mo = optModule[oo];
          if (genes[mo] !== 0) continue;
          if (load[a] - p.optKwh[oi] + p.optKwh[oo] <= cap[a]) {
            const mi = optModule[oi];
            if (optOf(mi) !== oi) break;
            set(mi, -1);
            set(mo, oo);
            const alt = bestFitting(mi, -1);
            if (alt >= 0) set(mi, alt);
            improved = true;
            break;
          }
        }
      }
    }
    // 4. Chains: a deployed module moves to another application with room, and the room it
    // leaves takes a recycled module worth more than the move loses.
    for (let a = 0; a < p.nApps && work < workBudget; a++) {
      const outside: number[] = [];
      for (const m of order) if (genes[m] === 0) for (let q = p.optStart[m]; q < p.optStart[m + 1]; q++) if (p.optApp[q] === a && c[q] > 0) outside.push(q);
      outside.sort((x, y) => c[y] - c[x] || x - y);
      for (const m of order) {
        if (work >= workBudget) break;
        const cur = optOf(m);
        if (cur < 0 || p.optApp[cur] !== a) continue;
        for (let alt = p.optStart[m]; alt < p.optStart[m + 1]; alt++) {
          const b = p.optApp[alt];
          if (b === a || load[b] + p.optKwh[alt] > cap[b]) continue;
          const loss = c[cur] - c[alt];
          const freed = cap[a] - load[a] + p.optKwh[cur];
          let done = false;
          for (const q of outside) {
            work++;
            if (!(c[q] > loss)) break;
            if (p.optKwh[q] > freed) continue;
            const mq = optModule[q];
            if (genes[mq] !== 0) continue;
            set(m, alt);
            set(mq, q);
            improved = true;
            done = true;
            break;
          }
          if (done) break;
        }
      }
    }
    if (!improved) break;
  }
  return genes;
}

/** The module of every option (options of module m are optStart[m] … optStart[m+1]−1). */
export function optionModules(p: Pick<AllocationProblem, 'nModules' | 'optStart'>): Int32Array {
  const out = new Int32Array(p.optStart[p.nModules]);
  for (let m = 0; m < p.nModules; m++) out.fill(m, p.optStart[m], p.optStart[m + 1]);
  return out;
}
