/**
 * The allocation problem as a client of the generic NSGA-II (src/solver): Uint8 genes, three
 * minimised objectives [−storage-years, fade, cost], one constraint per application
 * ((load − limit) / limit ≤ 0), and problem-specific operators:
 *
 * - crossover: two-point (one segment of the mate copied into a copy of the primary parent), so
 *   a child differs from its primary parent in one contiguous stretch at most;
 * - mutation: a Poisson number of genes (mean ≈ √n / 4, at least 1) change, each either to a
 *   uniformly drawn option of that module (recycling included) or to its best option for one
 *   objective drawn at random (guided moves: a random reset alone barely moves a 100 k-gene plan);
 * - repair: moves modules out of over-full applications (capacity-repair in allocation-problem.ts).
 *   It runs inside evaluation, on the child's incrementally known loads, and writes the repaired
 *   genes back into the row (Lamarckian repair): a separate repair hook would have to rescan every
 *   child on the main thread, which cost more than the whole evaluation at 100 k modules. The
 *   repaired row is a function of the unrepaired row alone, so results stay identical whatever
 *   the number of workers;
 * - incremental evaluation: the parent's running totals are recovered from its objectives and
 *   constraint values (load_a = (g_a + 1) · limit_a, kWh = Σ load, kWh·fade = fade · kWh), and only
 *   the genes that differ are added or removed.
 */
import { sharedArray, type CrossoverOperator, type ProblemSource, type EvaluationBatch, type IncrementalBatch, type MutationOperator, type Problem } from '../solver/index.js';
import { Random } from '../solver/index.js';
import { moduleUrl } from '../solver/index.js';
import {
  Q_COST,
  Q_ENERGY,
  T_COST,
  T_KWH,
  T_KWH_FADE,
  T_STORAGE_YEARS,
  TOTALS_BASE,
  applyGeneDelta,
  evaluateGenes,
  objectivesFromTotals,
  capacityViolation,
  repair,
  totalsLength,
  type AllocationProblem,
} from './allocation-problem.js';

export interface AllocationSolverOptions {
  /**
   * Make the problem evaluable on worker threads: its arrays are copied to SharedArrayBuffers
   * and `source` set, with this key (unique per problem instance: workers cache problems by key).
   */
  workerKey?: string;
  /** Mean number of genes reset by one mutation; default max(1, √n / 4). */
  mutationGenes?: number;
  /** Probability that a pair of parents is crossed (else copied); default 0.9. */
  crossoverProbability?: number;
}

export function allocationSolverProblem(p: AllocationProblem, options: AllocationSolverOptions = {}): Problem<Uint8Array> {
  const n = p.nModules;
  const nApps = p.nApps;
  const domainSize = new Int32Array(n);
  for (let m = 0; m < n; m++) domainSize[m] = p.optStart[m + 1] - p.optStart[m] + 1;
  const tl = totalsLength(p);
  const scratch = new Float64Array(tl);
  const bestGene = bestGenes(p);
  const lambda = options.mutationGenes ?? Math.max(1, Math.sqrt(n) / 4);
  const expMinusLambda = Math.exp(-lambda);
  const pc = options.crossoverProbability ?? 0.9;

  const writeOutputs = (totals: Float64Array, f: Float64Array, fOff: number, g: Float64Array, gOff: number) => {
    objectivesFromTotals(totals, 0, f, fOff);
    for (let a = 0; a < nApps; a++) {
      const cap = p.capacityKwh[a];
      const load = totals[TOTALS_BASE + a];
      g[gOff + a] = cap > 0 ? (load - cap) / cap : load > 0 ? load : 0;
    }
  };

  /**
   * Capacity repair of a row whose totals are in `scratch`, in place. Its random choices are
   * seeded from the row's own totals, so the result is a function of the genome alone (the same
   * on any worker, in any chunking).
   */
  const repairInPlace = (x: Uint8Array, offset: number) => {
    if (capacityViolation(p, scratch, 0) === 0) return;
    bits[0] = scratch[T_COST];
    bits[1] = scratch[T_STORAGE_YEARS];
    repair(p, x, offset, scratch, 0, new Random((words[0] ^ words[1] ^ words[2] ^ words[3]) >>> 0));
  };
  const bits = new Float64Array(2);
  const words = new Uint32Array(bits.buffer);

  const evaluate = (batch: EvaluationBatch<Uint8Array>) => {
    for (let i = 0; i < batch.count; i++) {
      evaluateGenes(p, batch.x, i * n, scratch, 0);
      repairInPlace(batch.x, i * n);
      writeOutputs(scratch, batch.f, i * 3, batch.g, i * nApps);
    }
  };

  const evaluateIncremental = (batch: IncrementalBatch<Uint8Array>) => {
    const { x, f, g, parents, parentIndex } = batch;
    for (let i = 0; i < batch.count; i++) {
      const r = parentIndex[i];
      // Recover the parent's totals (exact integers, see Q_ENERGY) from its outputs.
      let kwh = 0;
      for (let a = 0; a < nApps; a++) {
        const cap = p.capacityKwh[a];
        const ga = parents.g[r * nApps + a];
        const load = Math.round(cap > 0 ? (ga + 1) * cap : ga);
        scratch[TOTALS_BASE + a] = load;
        kwh += load;
      }
      scratch[T_STORAGE_YEARS] = Math.round(-parents.f[r * 3] * Q_ENERGY);
      scratch[T_KWH] = kwh;
      scratch[T_KWH_FADE] = kwh > 0 ? Math.round(parents.f[r * 3 + 1] * kwh) : 0;
      scratch[T_COST] = Math.round(parents.f[r * 3 + 2] * Q_COST);
      const changed = applyDiff(parents.x, r * n, x, i * n);
      // A child far from its parent is cheaper and exacter to sum from scratch.
      if (changed > n >> 1) evaluateGenes(p, x, i * n, scratch, 0);
      repairInPlace(x, i * n);
      writeOutputs(scratch, f, i * 3, g, i * nApps);
    }
  };

  /** Apply every gene where child differs from parent to `scratch`; compares 4 genes at a time when aligned. */
  const { optStart, optApp, optKwh, optStorageYears, optKwhFade, optCostUsd } = p;
  const applyDiff = (px: Uint8Array, po: number, cx: Uint8Array, co: number): number => {
    let changed = 0;
    let m = 0;
    const ps = px.byteOffset + po;
    const cs = cx.byteOffset + co;
    if ((ps & 3) === (cs & 3) && n >= 16) {
      const head = (4 - (ps & 3)) & 3;
      for (; m < head; m++) {
        const a = px[po + m];
        const b = cx[co + m];
        if (a !== b) {
          applyGeneDelta(p, m, a, b, scratch, 0);
          changed++;
        }
      }
      const count = (n - head) >> 2;
      const pw = new Uint32Array(px.buffer, ps + head, count);
      const cw = new Uint32Array(cx.buffer, cs + head, count);
      // The four sums change by integers (Q_ENERGY, Q_COST units), so they are accumulated in
      // locals and added once: the same totals exactly, without a store per changed gene.
      let dSy = 0;
      let dKf = 0;
      let dKwh = 0;
      let dCost = 0;
      for (let w = 0; w < count; w++) {
        if (pw[w] === cw[w]) continue;
        const base = head + w * 4;
        for (let k = 0; k < 4; k++) {
          const a = px[po + base + k];
          const b = cx[co + base + k];
          if (a === b) continue;
          changed++;
          const first = optStart[base + k] - 1;
          if (a !== 0) {
            const o = first + a;
            const kwh = optKwh[o];
            dSy -= optStorageYears[o];
            dKf -= optKwhFade[o];
            dKwh -= kwh;
            dCost -= optCostUsd[o];
            scratch[TOTALS_BASE + optApp[o]] -= kwh;
          }
          if (b !== 0) {
            const o = first + b;
            const kwh = optKwh[o];
            dSy += optStorageYears[o];
            dKf += optKwhFade[o];
            dKwh += kwh;
            dCost += optCostUsd[o];
            scratch[TOTALS_BASE + optApp[o]] += kwh;
          }
        }
      }
      scratch[T_STORAGE_YEARS] += dSy;
      scratch[T_KWH_FADE] += dKf;
      scratch[T_KWH] += dKwh;
      scratch[T_COST] += dCost;
      m = head + count * 4;
    }
    for (; m < n; m++) {
      const a = px[po + m];
      const b = cx[co + m];
      if (a !== b) {
        applyGeneDelta(p, m, a, b, scratch, 0);
        changed++;
      }
    }
    return changed;
  };

  const crossover: CrossoverOperator<Uint8Array> = (parents, a, b, children, c1, c2, rng) => {
    children.copyWithin(c1 * n, a * n, a * n + n);
    children.copyWithin(c2 * n, b * n, b * n + n);
    if (n < 2 || rng.next() >= pc) return;
    const start = rng.nextInt(n);
    const length = 1 + rng.nextInt(Math.max(1, n >> 1));
    const end = Math.min(n, start + length);
    if (parents === children && a !== c1 && a !== c2 && b !== c1 && b !== c2) {
      // Rows of one array, parents apart from the children (NSGA-II's case): memmove the
      // segments straight from the parents instead of swapping them byte by byte.
      children.copyWithin(c1 * n + start, b * n + start, b * n + end);
      children.copyWithin(c2 * n + start, a * n + start, a * n + end);
    } else if (parents === children) {
      // A child row is a parent row: swap the segments through the children (c1/c2 hold a/b).
      for (let m = start; m < end; m++) {
        const t = children[c1 * n + m];
        children[c1 * n + m] = children[c2 * n + m];
        children[c2 * n + m] = t;
      }
    } else {
      children.set(parents.subarray(b * n + start, b * n + end), c1 * n + start);
      children.set(parents.subarray(a * n + start, a * n + end), c2 * n + start);
    }
  };

  const mutation: MutationOperator<Uint8Array> = (x, row, rng) => {
    // Poisson(λ) by inversion (Knuth); λ ≤ ~250 for a 1 M-module fleet, fine in doubles.
    let k = 0;
    let prod = rng.next();
    while (prod > expMinusLambda && k < n) {
      k++;
      prod *= rng.next();
    }
    if (k === 0) k = 1;
    for (let t = 0; t < k; t++) {
      const m = rng.nextInt(n);
      const u = rng.nextInt(4);
      // One move in four is a random reset; the others move the module to its best option for
      // one objective (recycling when deploying it cannot help that objective).
      x[row * n + m] = u === 0 ? rng.nextInt(domainSize[m]) : bestGene[(u - 1) * n + m];
    }
  };

  return {
    ...(options.workerKey !== undefined ? { source: workerSource(p, options) } : {}),
    name: 'fleet-allocation',
    nVar: n,
    nObj: 3,
    nCon: nApps,
    variables: { kind: 'integer', domainSize, storage: 'uint8' },
    evaluate,
    evaluateIncremental,
    crossover,
    mutation,
  };
}

const SHARED_FIELDS = [
  'capacityKwh',
  'optStart',
  'optApp',
  'optEnv',
  'optKwh',
  'optStorageYears',
  'optKwhFade',
  'optCostUsd',
  'optRulYears',
  'idealBound',
  'nadirBound',
  'pinApp',
  'pinEnv',
  'excluded',
  'baseTotals',
] as const;

/**
 * The problem's arrays on SharedArrayBuffers (pairCostUsd stays behind: evaluation never reads
 * it). `buildAllocationProblem` already builds them shared, so they are passed as they are; an
 * array on an ordinary buffer (a problem assembled elsewhere) is copied.
 */
function workerSource(p: AllocationProblem, options: AllocationSolverOptions): ProblemSource {
  const shared: Record<string, unknown> = { nModules: p.nModules, nApps: p.nApps, nEnvelopes: p.nEnvelopes, pairCostUsd: new Float64Array(0) };
  for (const field of SHARED_FIELDS) {
    const a = p[field];
    if (a.buffer instanceof SharedArrayBuffer) {
      shared[field] = a;
      continue;
    }
    const copy = sharedArray(a.constructor as Float64ArrayConstructor, a.length);
    copy.set(a as Float64Array);
    shared[field] = copy;
  }
  return {
    module: moduleUrl('./allocation-solver.js', import.meta.url),
    exportName: 'allocationProblemFromPayload',
    payload: { problem: shared, options: { mutationGenes: options.mutationGenes, crossoverProbability: options.crossoverProbability } },
    key: options.workerKey,
  };
}

/** Worker-side factory (see `source`). */
export function allocationProblemFromPayload(payload: { problem: AllocationProblem; options: AllocationSolverOptions }): Problem<Uint8Array> {
  return allocationSolverProblem(payload.problem, payload.options);
}

/**
 * Per module, the gene that is best for each objective on its own: [most storage-years (never
 * recycle), lowest fade, lowest cost (recycling if every option costs money)], n entries each.
 */
export function bestGenes(p: AllocationProblem): Uint8Array {
  const n = p.nModules;
  const out = new Uint8Array(3 * n);
  for (let m = 0; m < n; m++) {
    let sy = -1;
    let fade = Infinity;
    let cost = 0;
    for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
      const g = o - p.optStart[m] + 1;
      if (p.optStorageYears[o] > sy) {
        sy = p.optStorageYears[o];
        out[m] = g;
      }
      const f = p.optKwhFade[o] / p.optKwh[o];
      if (f < fade) {
        fade = f;
        out[n + m] = g;
      }
      if (p.optCostUsd[o] < cost) {
        cost = p.optCostUsd[o];
        out[2 * n + m] = g;
      }
    }
  }
  return out;
}
