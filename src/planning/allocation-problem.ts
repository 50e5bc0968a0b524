/**
 * The allocation problem over a twin matrix, in typed arrays.
 *
 * Encoding: one gene per module (Uint8Array). Gene 0 = recycle; gene k ≥ 1 = the k-th FEASIBLE
 * (application, envelope) pair of that module, in matrix order. Twin feasibility therefore holds
 * by construction; the only constraint left to the search is each application's capacity
 * (Σ deployed usable kWh ≤ limit), which `repair` restores.
 *
 * Objectives are sums over modules, so a solution is summarised by a few running totals
 * (storage-years, kWh×fade, kWh, cost, load per application) that genes add to or remove from:
 * changing g genes costs O(g), whatever the fleet size.
 */
import type { ApplicationSpec } from '../twin/types.js';
import type { AllocationPlan, TwinMatrixLike } from './allocation-types.js';
import { DEFAULT_COST_ASSUMPTIONS, deploymentCostUsd, type CostAssumptions } from './cost-model.js';
import type { Random } from '../solver/index.js';
import { sharedArray } from '../solver/index.js';

/**
 * Degradation score of a plan that deploys nothing (%/yr). A module losing all its capacity within
 * a year: worse than any real deployment, so an empty plan is dominated on this objective too.
 */
export const EMPTY_PLAN_FADE_PCT_PER_YEAR = 100;

/**
 * Internal fixed-point units: energies (kWh, kWh·yr, kWh·%/yr) in millionths, costs in
 * thousandths of a USD, all held as integers in doubles. Sums of integers below 2^53 are exact
 * whatever their order, so an incrementally updated solution has bit for bit the totals of a full
 * evaluation (a 1 M-module fleet stays below 2^53 by two orders of magnitude).
 */
export const Q_ENERGY = 1e6;
export const Q_COST = 1e3;

/** Running totals of one solution; `TOTALS_BASE + app` holds that application's load in kWh. */
export const T_STORAGE_YEARS = 0;
export const T_KWH_FADE = 1;
export const T_KWH = 2;
export const T_COST = 3;
export const TOTALS_BASE = 4;

/** Per-option figures and capacities in the fixed-point units above (Q_ENERGY, Q_COST). */
export interface AllocationProblem {
  nModules: number;
  nApps: number;
  nEnvelopes: number;
  capacityKwh: Float64Array;
  /** Options of module m are optStart[m] … optStart[m+1]−1 (gene k ↔ optStart[m] + k − 1). */
  optStart: Int32Array;
  optApp: Int16Array;
  optEnv: Int8Array;
  optKwh: Float64Array;
  /** usable kWh × RUL years */
  optStorageYears: Float64Array;
  /** usable kWh × fade %/yr */
  optKwhFade: Float64Array;
  optCostUsd: Float64Array;
  /** RUL of the option in years, unquantised (the adaptive baseline ranks by it). */
  optRulYears: Float64Array;
  /** Cost of every matrix entry (same indexing as the matrix), feasible or not. */
  pairCostUsd: Float64Array;
  /** Box of the minimised objectives used to normalise the hypervolume: ideal and nadir bounds. */
  idealBound: Float64Array;
  nadirBound: Float64Array;
  /**
   * Pinned modules: application and envelope per module (−1 = free). A pinned or excluded module
   * has no options (its gene is always 0); a pinned one's figures sit in `baseTotals`.
   */
  pinApp: Int16Array;
  pinEnv: Int8Array;
  /** 1 for modules held out of the allocation (reserved, held for tests): always recycled/held. */
  excluded: Uint8Array;
  /** Totals of the pinned modules (same layout as a solution's totals): every plan starts here. */
  baseTotals: Float64Array;
}

/** Run-input restrictions by module index: pins to an (application, envelope) and exclusions. */
export interface AllocationRestrictions {
  pins?: readonly { module: number; app: number; env: number }[];
  excluded?: readonly number[];
}

export function computePairCosts(
  matrix: TwinMatrixLike,
  apps: ApplicationSpec[],
  assumptions: CostAssumptions = DEFAULT_COST_ASSUMPTIONS,
): Float64Array {
  const { nModules, nApps, nEnvelopes } = matrix;
  const out = new Float64Array(nModules * nApps * nEnvelopes);
  for (let m = 0; m < nModules; m++) {
    for (let a = 0; a < nApps; a++) {
      for (let e = 0; e < nEnvelopes; e++) {
        const i = (m * nApps + a) * nEnvelopes + e;
        out[i] = deploymentCostUsd(
          apps[a],
          apps[a].envelopes[e],
          {
            usableEnergyKwh: matrix.usableEnergyKwh[i],
            rulYears: matrix.rulYears[i],
            lifetimeEnergyMwh: matrix.lifetimeEnergyMwh[i],
          },
          assumptions,
        );
      }
    }
  }
  return out;
}

export function buildAllocationProblem(
  matrix: TwinMatrixLike,
  apps: ApplicationSpec[],
  assumptions: CostAssumptions = DEFAULT_COST_ASSUMPTIONS,
  restrictions: AllocationRestrictions = {},
): AllocationProblem {
  const { nModules, nApps, nEnvelopes } = matrix;
  if (apps.length !== nApps) throw new Error(`twin matrix has ${nApps} applications but ${apps.length} were given`);
  if (nApps * nEnvelopes + 1 > 255) throw new Error(`too many (application, envelope) pairs: ${nApps * nEnvelopes} (max 254)`);
  const size = nModules * nApps * nEnvelopes;
  for (const [name, arr] of Object.entries({
    usableEnergyKwh: matrix.usableEnergyKwh,
    rulYears: matrix.rulYears,
    fadePctPerYear: matrix.fadePctPerYear,
    lifetimeEnergyMwh: matrix.lifetimeEnergyMwh,
    feasible: matrix.feasible,
  })) {
    if (arr.length !== size) throw new Error(`twin matrix ${name} has ${arr.length} entries, expected ${size}`);
  }
  // The arrays evaluation reads are built on SharedArrayBuffers, so that worker threads evaluate
  // the problem without a second copy of them (at 1 M modules the option arrays are ~250 MB); on
  // one thread a shared buffer behaves like any other.
  const capacityKwh = sharedArray(Float64Array, nApps);
  apps.forEach((a, i) => {
    if (!(a.capacityLimitKwh >= 0)) throw new Error(`application ${a.id}: capacityLimitKwh must be ≥ 0, got ${a.capacityLimitKwh}`);
    capacityKwh[i] = Math.floor(a.capacityLimitKwh * Q_ENERGY);
  });
  const pairCostUsd = computePairCosts(matrix, apps, assumptions);
  const pinApp = sharedArray(Int16Array, nModules).fill(-1);
  const pinEnv = sharedArray(Int8Array, nModules).fill(-1);
  const excluded = sharedArray(Uint8Array, nModules);
  const baseTotals = sharedArray(Float64Array, TOTALS_BASE + nApps);
  for (const m of restrictions.excluded ?? []) {
    if (!(Number.isInteger(m) && m >= 0 && m < nModules)) throw new Error(`excluded module index ${m} is outside the fleet (0..${nModules - 1})`);
    excluded[m] = 1;
  }
  for (const pin of restrictions.pins ?? []) {
    const { module: m, app: a, env: e } = pin;
    if (!(Number.isInteger(m) && m >= 0 && m < nModules)) throw new Error(`pinned module index ${m} is outside the fleet (0..${nModules - 1})`);
    if (excluded[m]) throw new Error(`module #${m} is both pinned and excluded`);
    if (pinApp[m] >= 0) throw new Error(`module #${m} is pinned twice`);
    if (!(a >= 0 && a < nApps && e >= 0 && e < apps[a].envelopes.length)) throw new Error(`module #${m}: pin to application #${a} envelope #${e} does not exist`);
    const i = (m * nApps + a) * nEnvelopes + e;
    if (!isUsable(matrix, i, a * nEnvelopes + e, apps, nEnvelopes)) throw new Error(`module #${m}: the twin finds ${apps[a].id} / ${apps[a].envelopes[e].name} infeasible for it`);
    pinApp[m] = a;
    pinEnv[m] = e;
    const kwh = matrix.usableEnergyKwh[i];
    const qKwh = Math.ceil(kwh * Q_ENERGY);
    baseTotals[T_STORAGE_YEARS] += Math.round(kwh * matrix.rulYears[i] * Q_ENERGY);
    baseTotals[T_KWH_FADE] += Math.round(kwh * matrix.fadePctPerYear[i] * Q_ENERGY);
    baseTotals[T_KWH] += qKwh;
    baseTotals[T_COST] += Math.round(pairCostUsd[i] * Q_COST);
    baseTotals[TOTALS_BASE + a] += qKwh;
  }
  for (let a = 0; a < nApps; a++) {
    if (baseTotals[TOTALS_BASE + a] > capacityKwh[a]) {
      throw new Error(
        `pinned modules need ${(baseTotals[TOTALS_BASE + a] / Q_ENERGY).toFixed(3)} kWh of ${apps[a].id}, over its capacity limit of ${apps[a].capacityLimitKwh} kWh`,
      );
    }
  }

  const optStart = sharedArray(Int32Array, nModules + 1);
  let count = 0;
  for (let m = 0; m < nModules; m++) {
    optStart[m] = count;
    if (excluded[m] || pinApp[m] >= 0) continue;
    const base = m * nApps * nEnvelopes;
    for (let j = 0; j < nApps * nEnvelopes; j++) if (isUsable(matrix, base + j, j, apps, nEnvelopes)) count++;
  }
  optStart[nModules] = count;
  const optApp = sharedArray(Int16Array, count);
  const optEnv = sharedArray(Int8Array, count);
  const optKwh = sharedArray(Float64Array, count);
  const optStorageYears = sharedArray(Float64Array, count);
  const optKwhFade = sharedArray(Float64Array, count);
  const optCostUsd = sharedArray(Float64Array, count);
  const optRulYears = sharedArray(Float64Array, count);
  const idealBound = sharedArray(Float64Array, 3);
  const nadirBound = sharedArray(Float64Array, 3);
  let fadeMin = Infinity;
  let fadeMax = -Infinity;
  let o = 0;
  for (let m = 0; m < nModules; m++) {
    const base = m * nApps * nEnvelopes;
    let bestSy = 0;
    let minCost = 0;
    let maxCost = 0;
    for (let j = 0; j < nApps * nEnvelopes; j++) {
      const i = base + j;
      if (excluded[m] || pinApp[m] >= 0 || !isUsable(matrix, i, j, apps, nEnvelopes)) continue;
      const kwh = matrix.usableEnergyKwh[i];
      optApp[o] = Math.floor(j / nEnvelopes);
      optEnv[o] = j % nEnvelopes;
      // Rounded up, so that a plan within capacity in these units is within it in kWh too.
      optKwh[o] = Math.ceil(kwh * Q_ENERGY);
      optStorageYears[o] = Math.round(kwh * matrix.rulYears[i] * Q_ENERGY);
      optKwhFade[o] = Math.round(kwh * matrix.fadePctPerYear[i] * Q_ENERGY);
      optCostUsd[o] = Math.round(pairCostUsd[i] * Q_COST);
      optRulYears[o] = matrix.rulYears[i];
      bestSy = Math.max(bestSy, kwh * matrix.rulYears[i]);
      minCost = Math.min(minCost, pairCostUsd[i]);
      maxCost = Math.max(maxCost, pairCostUsd[i]);
      fadeMin = Math.min(fadeMin, matrix.fadePctPerYear[i]);
      fadeMax = Math.max(fadeMax, matrix.fadePctPerYear[i]);
      o++;
    }
    idealBound[0] -= bestSy;
    idealBound[2] += minCost;
    nadirBound[2] += maxCost;
  }
  idealBound[0] -= baseTotals[T_STORAGE_YEARS] / Q_ENERGY;
  idealBound[2] += baseTotals[T_COST] / Q_COST;
  nadirBound[2] += baseTotals[T_COST] / Q_COST;
  nadirBound[0] -= baseTotals[T_STORAGE_YEARS] / Q_ENERGY;
  idealBound[1] = Number.isFinite(fadeMin) ? fadeMin : 0;
  nadirBound[1] = Number.isFinite(fadeMax) ? fadeMax : 1;
  // Degenerate boxes (no spread) would divide by zero in the normalisation.
  for (let k = 0; k < 3; k++) if (!(nadirBound[k] > idealBound[k])) nadirBound[k] = idealBound[k] + 1;
  return {
    nModules,
    nApps,
    nEnvelopes,
    capacityKwh,
    optStart,
    optApp,
    optEnv,
    optKwh,
    optStorageYears,
    optKwhFade,
    optCostUsd,
    optRulYears,
    pairCostUsd,
    idealBound,
    nadirBound,
    pinApp,
    pinEnv,
    excluded,
    baseTotals,
  };
}

/** A pair can be chosen when the twin calls it feasible, the envelope exists and it stores energy. */
function isUsable(matrix: TwinMatrixLike, i: number, j: number, apps: ApplicationSpec[], nEnvelopes: number): boolean {
  const a = Math.floor(j / nEnvelopes);
  const e = j % nEnvelopes;
  return matrix.feasible[i] === 1 && e < apps[a].envelopes.length && matrix.usableEnergyKwh[i] > 0;
}

export function totalsLength(p: AllocationProblem): number {
  return TOTALS_BASE + p.nApps;
}

/**
 * Recompute a solution's totals from scratch. Most genes of a capacity-bound plan are 0
 * (recycled), so the genes are read four at a time and all-zero words skipped.
 */
export function evaluateGenes(p: AllocationProblem, genes: Uint8Array, offset: number, totals: Float64Array, tOff: number): void {
  const len = totalsLength(p);
  for (let k = 0; k < len; k++) totals[tOff + k] = p.baseTotals[k];
  const { optStart, optApp, optKwh, optStorageYears, optKwhFade, optCostUsd } = p;
  const n = p.nModules;
  let sy = p.baseTotals[T_STORAGE_YEARS];
  let kf = p.baseTotals[T_KWH_FADE];
  let kwh = p.baseTotals[T_KWH];
  let cost = p.baseTotals[T_COST];
  const loadBase = tOff + TOTALS_BASE;
  const byteStart = genes.byteOffset + offset;
  let m = 0;
  let wordEnd = 0;
  let words: Uint32Array | null = null;
  const head = Math.min(n, (4 - (byteStart & 3)) & 3);
  if (n - head >= 16) {
    words = new Uint32Array(genes.buffer, byteStart + head, (n - head) >> 2);
    wordEnd = head + words.length * 4;
  }
  for (;;) {
    // Byte-wise part: the unaligned head, or everything when no word view, or the tail.
    const stop = words && m < head ? head : words && m < wordEnd ? m : n;
    for (; m < stop; m++) {
      const g = genes[offset + m];
      if (g === 0) continue;
      const o = optStart[m] + g - 1;
      sy += optStorageYears[o];
      kf += optKwhFade[o];
      kwh += optKwh[o];
      cost += optCostUsd[o];
      totals[loadBase + optApp[o]] += optKwh[o];
    }
    if (m >= n) break;
    if (words && m === head) {
      for (let w = 0; w < words.length; w++) {
        if (words[w] === 0) continue;
        const base = head + w * 4;
        for (let k = 0; k < 4; k++) {
          const g = genes[offset + base + k];
          if (g === 0) continue;
          const o = optStart[base + k] + g - 1;
          sy += optStorageYears[o];
          kf += optKwhFade[o];
          kwh += optKwh[o];
          cost += optCostUsd[o];
          totals[loadBase + optApp[o]] += optKwh[o];
        }
      }
      m = wordEnd;
      words = null;
    }
  }
  totals[tOff + T_STORAGE_YEARS] = sy;
  totals[tOff + T_KWH_FADE] = kf;
  totals[tOff + T_KWH] = kwh;
  totals[tOff + T_COST] = cost;
}

/** True when some application is over its limit (loads only; zero words skipped). */
export function overCapacity(p: AllocationProblem, genes: Uint8Array, offset: number, loads: Float64Array): boolean {
  for (let a = 0; a < p.nApps; a++) loads[a] = p.baseTotals[TOTALS_BASE + a];
  const { optStart, optApp, optKwh } = p;
  const n = p.nModules;
  const byteStart = genes.byteOffset + offset;
  const head = Math.min(n, (4 - (byteStart & 3)) & 3);
  let m = 0;
  for (; m < head; m++) {
    const g = genes[offset + m];
    if (g !== 0) loads[optApp[optStart[m] + g - 1]] += optKwh[optStart[m] + g - 1];
  }
  const count = (n - head) >> 2;
  if (count > 0) {
    const words = new Uint32Array(genes.buffer, byteStart + head, count);
    for (let w = 0; w < count; w++) {
      if (words[w] === 0) continue;
      const base = head + w * 4;
      for (let k = 0; k < 4; k++) {
        const g = genes[offset + base + k];
        if (g !== 0) {
          const o = optStart[base + k] + g - 1;
          loads[optApp[o]] += optKwh[o];
        }
      }
    }
    m = head + count * 4;
  }
  for (; m < n; m++) {
    const g = genes[offset + m];
    if (g !== 0) loads[optApp[optStart[m] + g - 1]] += optKwh[optStart[m] + g - 1];
  }
  for (let a = 0; a < p.nApps; a++) if (loads[a] > p.capacityKwh[a]) return true;
  return false;
}

/** Apply the change of one module's gene to a solution's totals (the gene array is not touched). */
export function applyGeneDelta(
  p: AllocationProblem,
  m: number,
  oldGene: number,
  newGene: number,
  totals: Float64Array,
  tOff: number,
): void {
  if (oldGene !== 0) {
    const o = p.optStart[m] + oldGene - 1;
    totals[tOff + T_STORAGE_YEARS] -= p.optStorageYears[o];
    totals[tOff + T_KWH_FADE] -= p.optKwhFade[o];
    totals[tOff + T_KWH] -= p.optKwh[o];
    totals[tOff + T_COST] -= p.optCostUsd[o];
    totals[tOff + TOTALS_BASE + p.optApp[o]] -= p.optKwh[o];
  }
  if (newGene !== 0) {
    const o = p.optStart[m] + newGene - 1;
    totals[tOff + T_STORAGE_YEARS] += p.optStorageYears[o];
    totals[tOff + T_KWH_FADE] += p.optKwhFade[o];
    totals[tOff + T_KWH] += p.optKwh[o];
    totals[tOff + T_COST] += p.optCostUsd[o];
    totals[tOff + TOTALS_BASE + p.optApp[o]] += p.optKwh[o];
  }
}

/** Minimised objectives [−storage-years, fade, cost] from totals. */
export function objectivesFromTotals(totals: Float64Array, tOff: number, out: Float64Array, oOff: number): void {
  const kwh = totals[tOff + T_KWH];
  out[oOff] = -totals[tOff + T_STORAGE_YEARS] / Q_ENERGY;
  out[oOff + 1] = kwh > 0 ? totals[tOff + T_KWH_FADE] / kwh : EMPTY_PLAN_FADE_PCT_PER_YEAR;
  out[oOff + 2] = totals[tOff + T_COST] / Q_COST;
}

/** Capacity overflow, Σ over applications of (load − limit)⁺ / limit (dimensionless). */
export function capacityViolation(p: AllocationProblem, totals: Float64Array, tOff: number): number {
  let v = 0;
  for (let a = 0; a < p.nApps; a++) {
    const over = totals[tOff + TOTALS_BASE + a] - p.capacityKwh[a];
    if (over > 0) v += over / Math.max(p.capacityKwh[a], 1);
  }
  return v;
}

/**
 * Restore capacity feasibility: for each over-full application, walk the modules from a random
 * start and move its modules elsewhere (another feasible option whose application has room,
 * picked at random) or to recycling, until the load fits. Totals are kept up to date.
 */
export function repair(
  p: AllocationProblem,
  genes: Uint8Array,
  offset: number,
  totals: Float64Array,
  tOff: number,
  rng: Random,
): number {
  let changed = 0;
  const n = p.nModules;
  for (let a = 0; a < p.nApps; a++) {
    const cap = p.capacityKwh[a];
    const slack = 0;
    if (totals[tOff + TOTALS_BASE + a] <= cap + slack) continue;
    const start = rng.nextInt(n);
    for (let step = 0; step < n && totals[tOff + TOTALS_BASE + a] > cap + slack; step++) {
      const m = start + step < n ? start + step : start + step - n;
      const g = genes[offset + m];
      if (g === 0) continue;
      const first = p.optStart[m];
      if (p.optApp[first + g - 1] !== a) continue;
      const k = p.optStart[m + 1] - first;
      let target = 0;
      // Try the other options in a random rotation; keep the first that fits.
      const r = rng.nextInt(k);
      for (let t = 0; t < k; t++) {
        const cand = ((r + t) % k) + 1;
        const o = first + cand - 1;
        const b = p.optApp[o];
        if (b === a) continue;
        if (totals[tOff + TOTALS_BASE + b] + p.optKwh[o] <= p.capacityKwh[b]) {
          target = cand;
          break;
        }
      }
      applyGeneDelta(p, m, g, target, totals, tOff);
      genes[offset + m] = target;
      changed++;
    }
  }
  return changed;
}

/** Decode genes to a plan (application −1 / envelope −1 = recycle). */
export function decodeGenes(p: AllocationProblem, genes: Uint8Array, offset: number): AllocationPlan {
  const applicationIndex = new Int16Array(p.nModules);
  const envelopeIndex = new Int8Array(p.nModules);
  for (let m = 0; m < p.nModules; m++) {
    const g = genes[offset + m];
    if (p.pinApp[m] >= 0) {
      applicationIndex[m] = p.pinApp[m];
      envelopeIndex[m] = p.pinEnv[m];
    } else if (g === 0) {
      applicationIndex[m] = -1;
      envelopeIndex[m] = -1;
    } else {
      const o = p.optStart[m] + g - 1;
      applicationIndex[m] = p.optApp[o];
      envelopeIndex[m] = p.optEnv[o];
    }
  }
  return { applicationIndex, envelopeIndex };
}

/**
 * Encode a plan to genes. Pairs the twin calls infeasible cannot be encoded and become recycle;
 * the count of such modules is returned (the caller repairs capacity afterwards). Pinned and
 * excluded modules have no genes of their own (gene 0; a pinned one decodes to its pin).
 */
export function encodePlan(p: AllocationProblem, plan: AllocationPlan, genes: Uint8Array, offset: number): number {
  let dropped = 0;
  for (let m = 0; m < p.nModules; m++) {
    const a = plan.applicationIndex[m];
    let g = 0;
    if (a >= 0 && p.optStart[m + 1] > p.optStart[m]) {
      const e = plan.envelopeIndex[m];
      for (let o = p.optStart[m]; o < p.optStart[m + 1]; o++) {
        if (p.optApp[o] === a && p.optEnv[o] === e) {
          g = o - p.optStart[m] + 1;
          break;
        }
      }
      if (g === 0) dropped++;
    }
    genes[offset + m] = g;
  }
  return dropped;
}
