/**
 * Exact anchor points of an allocation run and the bounds that say how far its front is from
 * the optimum (the formulation is in formulation.ts; docs/allocation.md walks through it):
 *
 * 1. each sum objective (storage-years maximised, cost minimised): its LP bound from the
 *    Lagrangian dual (lagrangian-lp.ts, any fleet size) — both bounds before either plan, so
 *    that a slow first end cannot leave the second's bound short — then a plan rounded from the
 *    dual prices (rounding.ts), and — when the model has at most `milpMaxColumns` columns and
 *    time is left — the MILP solved by HiGHS from that plan, whose proven bound replaces the
 *    LP's when tighter (above that size, the core MILP of core.ts improves the plan);
 * 2. `weightedPoints` weighted sums of the two (normalised by their bounds) between those ends,
 *    each rounded from its own prices (and on MILP-sized models solved by the MILP from there);
 * 3. the fade objective by Dinkelbach's method (dinkelbach.ts), unconstrained and under
 *    ε-constraints on storage-years, on MILP-sized models only (its LP would need the ratio's side
 *    rows, which the Lagrangian route does not carry).
 *
 * Every step stops on convergence or a work limit (cuts, branch-and-bound nodes), so a run is
 * reproducible; the time budget is only a safety net (its note says when it bound). Whatever fails (HiGHS does not load, a solve errs or
 * times out, an ε is infeasible) is skipped with a note; the run then relies on the
 * evolutionary search for that part, and a bound is only reported when one was proven.
 */
import { Q_COST, Q_ENERGY, type AllocationProblem } from '../allocation-problem.js';
import { costPerOption, modelColumns, pinnedConstants, storageYearsPerOption, buildSparseModel, columnsToGenes, genesToColumns } from './formulation.js';
import { loadHighs, MILP_NODE_LIMIT, solveSparse, type HighsLoader } from './highs-adapter.js';
import { lagrangianLpBound } from './lagrangian-lp.js';
import { bestResponseGenes, fitsCapacity, roundAndPolish } from './rounding.js';
import { minimiseFade, planStorage } from './dinkelbach.js';
import { coreProblem } from './core.js';

export type BoundedObjective = 'storageYears' | 'costUsd';

export interface ObjectiveBound {
  objective: BoundedObjective;
  /** Tightest proven bound on the objective (kWh·yr upper bound; USD lower bound); null if none. */
  bound: number | null;
  /** The LP relaxation's value (the bound before branch-and-bound), null if not computed. */
  lpBound: number | null;
  /** What proved `bound`: the LP relaxation, or HiGHS's MILP branch-and-bound. */
  method: 'MILP' | 'LP' | null;
  /** The exact point's own value (the best plan the exact step found for this objective). */
  exactValue: number | null;
  note: string | null;
}

export interface ExactOptions {
  /**
   * Wall-clock budget for all exact points, seconds (default 30): a safety net. The steps stop on
   * their work limits first (cuts, nodes, the core's size), so that a run is reproducible; the
   * budget is enforced between steps and inside each HiGHS solve (its time_limit).
   */
  timeBudgetSeconds?: number;
  /** Solve the whole MILP (proving the optimum) only up to this many columns (options); default 300. */
  milpMaxColumns?: number;
  /** Above `milpMaxColumns`: the core MILP (core.ts) takes at most this many options; 0 = rounding only. Default 300. */
  coreMaxColumns?: number;
  /** Weighted-sum points between the storage and cost ends (default 3). */
  weightedPoints?: number;
  /** ε-constrained fade points (fractions of the best storage-years), besides the unconstrained one. */
  fadeStorageFractions?: readonly number[];
  /** How HiGHS is loaded (a different build, or a failing one in tests). */
  loader?: HighsLoader;
}

export interface ExactPoints {
  /** Plans (genes) that meet every capacity, best-storage and lowest-cost first. */
  anchors: Uint8Array[];
  bounds: ObjectiveBound[];
  notes: string[];
  seconds: number;
}

/**
 * 30 s: on a 1 000-module fleet the two core MILPs took 2–3 s each on an idle 2-core machine and
 * 5–8 s under a load of 7; a 10 s budget then cut them short and made the plan depend on the load.
 */
export const DEFAULT_EXACT_SECONDS = 30;
export const DEFAULT_MILP_MAX_COLUMNS = 300;
/** The core MILP's size: the same as the whole MILP's budget, so its work per node is of the same order. */
export const DEFAULT_CORE_MAX_COLUMNS = DEFAULT_MILP_MAX_COLUMNS;
/** The core's plan is an anchor, not a proof: a 0.1 % gap on the core is below the figures a run reports (0.01 % took 5–10× longer on 1 000 modules). */
export const CORE_RELATIVE_GAP = 1e-3;


export async function exactPoints(p: AllocationProblem, opts: ExactOptions = {}): Promise<ExactPoints> {
  const loader = opts.loader ?? loadHighs;
  // Loading (compiling) the WebAssembly module is not part of the budget: on a busy machine it
  // alone can take seconds, and it would cut the LP bound short.
  await loader().catch(() => undefined);
  const t0 = performance.now();
  const budget = opts.timeBudgetSeconds ?? DEFAULT_EXACT_SECONDS;
  const left = () => budget - (performance.now() - t0) / 1000;
  const notes: string[] = [];
  const anchors: Uint8Array[] = [];
  const bounds: ObjectiveBound[] = [];
  const useMilp = modelColumns(p) <= (opts.milpMaxColumns ?? DEFAULT_MILP_MAX_COLUMNS);
  const coreColumns = opts.coreMaxColumns ?? DEFAULT_CORE_MAX_COLUMNS;
  const k0 = pinnedConstants(p);
  if (modelColumns(p) === 0) {
    const note = 'no module has a feasible option: nothing to allocate';
    return {
      anchors: [],
      bounds: [
        { objective: 'storageYears', bound: k0.storageYears, lpBound: k0.storageYears, method: 'LP', exactValue: k0.storageYears, note },
        { objective: 'costUsd', bound: k0.costUsd, lpBound: k0.costUsd, method: 'LP', exactValue: k0.costUsd, note },
      ],
      notes: [note],
      seconds: 0,
    };
  }
  if (!useMilp) notes.push(`${modelColumns(p)} options exceed the MILP size budget (${opts.milpMaxColumns ?? DEFAULT_MILP_MAX_COLUMNS}): LP bounds, rounded plans${coreColumns > 0 ? ' and core MILPs' : ''} only`);

  const sy = storageYearsPerOption(p);
  const negCost = costPerOption(p).map((v) => -v);
  // The model's figures are the problem's fixed-point ones (each option rounded to half a unit),
  // the front's are exact: a bound widened by half a unit per module holds for both.
  const sySlack = (0.5 * p.nModules) / Q_ENERGY;
  const costSlack = (0.5 * p.nModules) / Q_COST;
  const ends: { objective: BoundedObjective; c: Float64Array; toNatural: (v: number) => number; toBound: (v: number) => number }[] = [
    { objective: 'storageYears', c: sy, toNatural: (v) => v + k0.storageYears, toBound: (v) => v + k0.storageYears + sySlack },
    { objective: 'costUsd', c: negCost, toNatural: (v) => k0.costUsd - v, toBound: (v) => k0.costUsd - v - costSlack },
  ];
  // Both LP bounds come first: they are what the run reports its gaps against, and on a busy
  // machine the first end's plan-building (its MILP or core MILP) could otherwise spend the
  // time the second end's bound needs (a loaded 100 k run once reported its cost bound 27.7 %
  // loose that way). Each LP stops on convergence; the clock is a safety net at an equal share
  // of what is left, so the first cannot take the second's part.
  const lps: ({ bound: number; lambda: Float64Array } | null)[] = [];
  const endNotes: string[][] = [];
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const bound: ObjectiveBound = { objective: end.objective, bound: null, lpBound: null, method: null, exactValue: null, note: null };
    bounds.push(bound);
    const noteParts: string[] = [];
    endNotes.push(noteParts);
    try {
      const lp = await lagrangianLpBound(p, end.c, { timeLimitSeconds: Math.max(0, left() / (ends.length - i)), loader });
      bound.lpBound = end.toBound(lp.bound);
      bound.bound = bound.lpBound;
      bound.method = 'LP';
      if (lp.note) noteParts.push(lp.note);
      else noteParts.push(`LP relaxation by the Lagrangian dual of the capacity rows (${lp.iterations} cutting planes)`);
      lps.push(lp);
    } catch (error) {
      noteParts.push(`exact step failed: ${error instanceof Error ? error.message : String(error)}; the front comes from the evolutionary search alone`);
      lps.push(null);
    }
  }

  // Then each end's plan: rounded from its prices and, time permitting, improved by the MILP
  // (whose proven bound replaces the LP's when tighter) or by the core MILP. The two ends get most
  // of the budget; the points between share what is left.
  const shareOfEnds = 0.45;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const bound = bounds[i]!;
    const noteParts = endNotes[i]!;
    const lp = lps[i];
    const valueOf = (genes: Uint8Array) => {
      let v = 0;
      for (let m = 0; m < p.nModules; m++) if (genes[m] > 0) v += end.c[p.optStart[m] + genes[m] - 1];
      return v;
    };
    if (lp) {
      try {
        let genes = polish(p, end.c, bestResponseGenes(p, end.c, lp.lambda));
        let value = valueOf(genes);

        const stepSeconds = Math.min(budget * shareOfEnds, left());
        if (useMilp) {
          const r = await solveSparse(buildSparseModel(p, end.c), stepSeconds, loader, genesToColumns(p, genes));
          if (r.x.length > 0) {
            const milpGenes = polish(p, end.c, columnsToGenes(p, r.x));
            if (valueOf(milpGenes) > value) {
              genes = milpGenes;
              value = valueOf(milpGenes);
            }
          }
          if ((r.status === 'optimal' || r.status === 'time-limit' || r.status === 'work-limit') && Number.isFinite(r.dualBound) && r.dualBound < lp.bound) {
            bound.bound = end.toBound(r.dualBound);
            bound.method = 'MILP';
          }
          if (r.status === 'optimal') noteParts.push('MILP solved to optimality');
          else if (r.status === 'work-limit') noteParts.push(`MILP stopped at its work limit (${MILP_NODE_LIMIT} nodes) before proving optimality`);
          else if (r.status === 'time-limit') noteParts.push(r.x.length > 0 ? 'MILP stopped by the exact-point time budget (a run on a slower or busier machine may differ)' : 'MILP skipped: the exact-point time budget was spent');
          else if (r.status === 'failed') noteParts.push(`MILP failed (${r.message}); the LP bound stands`);
        } else if (coreColumns > 0) {
          // The core problem (core.ts): the modules nearest the LP margin as a MILP of their own,
          // the rest fixed at the prices' choice. Its plan is an anchor; its bound is not the whole
          // problem's, so the LP bound stands.
          const core = coreProblem(p, end.c, lp.lambda, coreColumns);
          const r = core.feasible
            ? await solveSparse(buildSparseModel(core.model, core.c), stepSeconds, loader, undefined, MILP_NODE_LIMIT, CORE_RELATIVE_GAP)
            : null;
          let improved = false;
          if (r && r.x.length > 0) {
            const coreGenes = polish(p, end.c, core.toGenes(columnsToGenes(core.model, r.x)));
            if (fitsCapacity(p, coreGenes) && valueOf(coreGenes) > value) {
              genes = coreGenes;
              value = valueOf(coreGenes);
              improved = true;
            }
          }
          const what = `core MILP over the ${core.modules.length} modules nearest the LP margin (${core.model.optKwh.length} options; the others fixed at the LP prices' choice)`;
          if (!r) noteParts.push(`${what} skipped: the fixed modules alone overfill an application`);
          else if (r.status === 'failed') noteParts.push(`${what} failed (${r.message}); the rounded plan stands`);
          else if (r.status === 'time-limit') noteParts.push(r.x.length > 0 ? `${what} stopped by the exact-point time budget (a run on a slower or busier machine may differ)` : `${what} skipped: the exact-point time budget was spent`);
          else noteParts.push(`${what}: ${r.status === 'optimal' ? 'solved' : `stopped at its work limit (${MILP_NODE_LIMIT} nodes)`}, ${improved ? 'improved on' : 'no better than'} the rounded plan`);
        }
        if (fitsCapacity(p, genes)) {
          anchors.push(genes);
          bound.exactValue = end.toNatural(value);
        }
      } catch (error) {
        noteParts.push(`exact step failed: ${error instanceof Error ? error.message : String(error)}; the front comes from the evolutionary search alone`);
      }
    }
    if (bound.bound === null) noteParts.push('no bound could be proven');
    bound.note = noteParts.length ? noteParts.join('; ') : null;
  }

  // Weighted sums between the ends, each objective scaled by its LP bound.
  const sScale = Math.max(1e-9, Math.abs(bounds[0].lpBound ?? 1));
  const cScale = Math.max(1e-9, Math.abs(bounds[1].lpBound ?? 1));
  const k = opts.weightedPoints ?? 3;
  for (let i = 1; i <= k; i++) {
    const w = i / (k + 1);
    const c = new Float64Array(sy.length);
    for (let o = 0; o < c.length; o++) c[o] = (w * sy[o]) / sScale + ((1 - w) * negCost[o]) / cScale;
    if (left() <= 0) {
      notes.push(`weighted point ${w.toFixed(2)} skipped: the exact-point time budget was spent`);
      continue;
    }
    try {
      const lp = await lagrangianLpBound(p, c, { timeLimitSeconds: left(), loader });
      const valueOf = (g: Uint8Array) => {
        let v = 0;
        for (let m = 0; m < p.nModules; m++) if (g[m] > 0) v += c[p.optStart[m] + g[m] - 1];
        return v;
      };
      let genes = polish(p, c, bestResponseGenes(p, c, lp.lambda));
      if (useMilp) {
        // On MILP-sized models the weighted point is solved too (same node limit), from the rounded plan.
        const r = await solveSparse(buildSparseModel(p, c), Math.min(budget * 0.1, left()), loader, genesToColumns(p, genes));
        if (r.x.length > 0) {
          const milpGenes = polish(p, c, columnsToGenes(p, r.x));
          if (fitsCapacity(p, milpGenes) && valueOf(milpGenes) > valueOf(genes)) genes = milpGenes;
        }
        if (r.status === 'failed') notes.push(`weighted point ${w.toFixed(2)}: MILP failed (${r.message}), the rounded plan stands`);
        else if (r.status === 'time-limit') notes.push(`weighted point ${w.toFixed(2)}: MILP stopped by the exact-point time budget`);
      }
      if (fitsCapacity(p, genes) && valueOf(genes) > 0) anchors.push(genes);
    } catch (error) {
      notes.push(`weighted point ${w.toFixed(2)} skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // Fade by Dinkelbach, unconstrained and with storage-years ≥ ε.
  if (useMilp) {
    const best = bounds[0].exactValue ?? 0;
    const fractions = [undefined, ...(opts.fadeStorageFractions ?? [0.5, 0.8, 0.95])];
    for (const f of fractions) {
      const eps = f === undefined ? undefined : f * best;
      if (left() <= 0) {
        notes.push(`fade point${eps === undefined ? '' : ` with storage-years ≥ ${eps.toFixed(1)}`} skipped: the exact-point time budget was spent`);
        continue;
      }
      const r = await minimiseFade(p, { timeLimitSeconds: left(), minStorageYears: eps, loader });
      const what = `fade point${eps === undefined ? '' : ` with storage-years ≥ ${eps.toFixed(1)}`}`;
      if (r.status === 'infeasible') notes.push(`fade with storage-years ≥ ${eps?.toFixed(1)}: infeasible, skipped`);
      else if (r.status === 'failed') notes.push(`fade point failed (${r.message}), skipped`);
      else if (r.status === 'time-limit') {
        notes.push(`${what}: Dinkelbach stopped by the exact-point time budget before proving the minimum (${r.genes ? 'its best plan is kept as a seed' : 'no plan, skipped'})`);
      }
      if (r.genes && fitsCapacity(p, r.genes) && (eps === undefined || planStorage(p, r.genes) >= eps - 1e-6)) anchors.push(r.genes);
    }
  }
  return { anchors, bounds, notes, seconds: (performance.now() - t0) / 1000 };
}

/** Rounded, repaired, filled and improved by moves and swaps (rounding.ts). */
function polish(p: AllocationProblem, c: Float64Array, genes: Uint8Array): Uint8Array {
  return roundAndPolish(p, c, genes);
}

/** Gap of the front's best value to the bound, % of the bound's magnitude (0 = at the bound). */
export function gapPercent(objective: BoundedObjective, bound: number | null, best: number | null): number | null {
  if (bound === null || best === null || !Number.isFinite(bound) || !Number.isFinite(best)) return null;
  const gap = objective === 'storageYears' ? bound - best : best - bound;
  return (100 * Math.max(0, gap)) / Math.max(Math.abs(bound), 1e-9);
}

export { loadHighs };
