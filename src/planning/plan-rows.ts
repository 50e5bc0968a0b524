/**
 * A plan read row by row from the figures its run scored it with (`PlanningFigures`): per module
 * the twin's figures for the chosen (application, envelope) and a reason in words.
 *
 * Reasons, from the twin matrix and the plan alone (nothing is simulated again):
 * - DEPLOYED: the chosen option's storage-years, fade and cost against the next best feasible
 *   option of the same module (the other usable option with the most storage-years), with a note
 *   when the next best has no room left in this plan;
 * - INELIGIBLE: recycled because no (application, envelope) is feasible; per application the
 *   requirement(s) its least-failing envelope breaks, in the twin's words;
 * - CAPACITY: recycled although eligible, because every eligible application is full in this plan;
 *   says how full, and how the modules placed there compare per kWh;
 * - TRADE_OFF: recycled although some eligible application has room; names the objectives that
 *   deploying it in its best such option would worsen (fade, cost), or says that it would improve
 *   all of them (the optimiser did not reach that plan).
 */
import { describeViolations, END_REASONS, OUT } from '../twin/simulate.js';
import type { ApplicationSpec, ModuleState, TwinSummary } from '../twin/types.js';
import type { AllocationPlan, PlanningFigures } from './allocation-types.js';

export type ReasonKind = 'DEPLOYED' | 'INELIGIBLE' | 'CAPACITY' | 'TRADE_OFF';

/** The twin's figures for one module in its chosen option, as the run scored them. */
export interface PlanRowFigures {
  /** Energy between the envelope's SOC limits at deployment; what counts against capacity. */
  socWindowEnergyKwh: number;
  rulYears: number;
  /** socWindowEnergyKwh × rulYears: this module's share of the storage objective. */
  storageYearsKwhYr: number;
  fadePctPerYear: number;
  lifetimeEnergyMwh: number;
  peakTemperatureC: number;
  roundTripEfficiency: number;
  endOfLifeReason: TwinSummary['endOfLifeReason'];
  feasible: boolean;
  costUsd: number;
}

export interface PlanRow {
  /** Module index in the run's order. */
  position: number;
  applicationIndex: number;
  envelopeIndex: number;
  /** Null for a recycled module. */
  figures: PlanRowFigures | null;
  reasonKind: ReasonKind;
  reason: string;
}

/** Plan-wide sums the reasons compare a module against. */
interface PlanContext {
  loadsKwh: Float64Array;
  storageYearsByApp: Float64Array;
  kwh: number;
  kwhFade: number;
}

const kwh2 = (x: number) => x.toFixed(2);
const sy1 = (x: number) => x.toFixed(1);
const pct2 = (x: number) => x.toFixed(2);
const usd0 = (x: number) => Math.round(x).toString();
const signed = (x: number, f: (v: number) => string) => (x >= 0 ? `+${f(x)}` : `−${f(-x)}`);

function usable(fig: PlanningFigures, apps: readonly ApplicationSpec[], i: number, a: number, e: number): boolean {
  return fig.matrix.feasible[i] === 1 && e < apps[a]!.envelopes.length && fig.matrix.usableEnergyKwh[i]! > 0;
}

function planContext(fig: PlanningFigures, apps: readonly ApplicationSpec[], plan: AllocationPlan): PlanContext {
  const { nApps, nEnvelopes, nModules } = fig.matrix;
  const ctx: PlanContext = { loadsKwh: new Float64Array(nApps), storageYearsByApp: new Float64Array(nApps), kwh: 0, kwhFade: 0 };
  for (let m = 0; m < nModules; m++) {
    const a = plan.applicationIndex[m]!;
    if (a < 0) continue;
    const i = (m * nApps + a) * nEnvelopes + plan.envelopeIndex[m]!;
    const q = fig.matrix.usableEnergyKwh[i]!;
    ctx.loadsKwh[a] += q;
    ctx.storageYearsByApp[a] += q * fig.matrix.rulYears[i]!;
    ctx.kwh += q;
    ctx.kwhFade += q * fig.matrix.fadePctPerYear[i]!;
  }
  if (apps.length !== nApps) throw new Error(`plan rows: ${apps.length} applications for a matrix of ${nApps}`);
  return ctx;
}

function figuresAt(fig: PlanningFigures, i: number): PlanRowFigures {
  const m = fig.matrix;
  const q = m.usableEnergyKwh[i]!;
  return {
    socWindowEnergyKwh: q,
    rulYears: m.rulYears[i]!,
    storageYearsKwhYr: q * m.rulYears[i]!,
    fadePctPerYear: m.fadePctPerYear[i]!,
    lifetimeEnergyMwh: m.lifetimeEnergyMwh[i]!,
    peakTemperatureC: m.peakTemperatureC[i]!,
    roundTripEfficiency: m.roundTripEfficiency[i]!,
    endOfLifeReason: m.endOfLifeReason ? (END_REASONS[m.endOfLifeReason[i]!] ?? 'HORIZON') : 'HORIZON',
    feasible: m.feasible[i] === 1,
    costUsd: fig.pairCostUsd[i]!,
  };
}

function optionName(apps: readonly ApplicationSpec[], a: number, e: number): string {
  return `${apps[a]!.name} / ${apps[a]!.envelopes[e]!.name}`;
}

function hasRoom(ctx: PlanContext, apps: readonly ApplicationSpec[], a: number, q: number): boolean {
  return ctx.loadsKwh[a]! + q <= apps[a]!.capacityLimitKwh * (1 + 1e-12) + 1e-9;
}

function deployedReason(fig: PlanningFigures, apps: readonly ApplicationSpec[], ctx: PlanContext, m: number, a: number, e: number): string {
  const { nApps, nEnvelopes } = fig.matrix;
  const i = (m * nApps + a) * nEnvelopes + e;
  const own = figuresAt(fig, i);
  const head = `${optionName(apps, a, e)}: ${sy1(own.storageYearsKwhYr)} kWh·yr (${kwh2(own.socWindowEnergyKwh)} kWh × ${own.rulYears.toFixed(1)} yr), fade ${pct2(own.fadePctPerYear)} %/yr, cost ${usd0(own.costUsd)} USD`;
  let best = -1;
  let bestA = -1;
  let bestE = -1;
  let bestSy = -Infinity;
  for (let b = 0; b < nApps; b++) {
    for (let f = 0; f < nEnvelopes; f++) {
      if (b === a && f === e) continue;
      const j = (m * nApps + b) * nEnvelopes + f;
      if (!usable(fig, apps, j, b, f)) continue;
      const sy = fig.matrix.usableEnergyKwh[j]! * fig.matrix.rulYears[j]!;
      if (sy > bestSy) {
        bestSy = sy;
        best = j;
        bestA = b;
        bestE = f;
      }
    }
  }
  if (best < 0) return `${head}; its only feasible option`;
  const alt = figuresAt(fig, best);
  let text =
    `${head}; next best feasible ${optionName(apps, bestA, bestE)} gives ${sy1(alt.storageYearsKwhYr)} kWh·yr, fade ${pct2(alt.fadePctPerYear)} %/yr, cost ${usd0(alt.costUsd)} USD` +
    ` (this choice: ${signed(own.storageYearsKwhYr - alt.storageYearsKwhYr, sy1)} kWh·yr, ${signed(own.fadePctPerYear - alt.fadePctPerYear, pct2)} %/yr, ${signed(own.costUsd - alt.costUsd, usd0)} USD)`;
  // Load without this module, in case the alternative is in the same application.
  const loadOther = ctx.loadsKwh[bestA]! - (bestA === a ? own.socWindowEnergyKwh : 0);
  if (loadOther + alt.socWindowEnergyKwh > apps[bestA]!.capacityLimitKwh * (1 + 1e-12) + 1e-9) {
    text += `; ${apps[bestA]!.name} has no room for it in this plan (${kwh2(ctx.loadsKwh[bestA]!)} of ${kwh2(apps[bestA]!.capacityLimitKwh)} kWh)`;
  }
  return text;
}

/** The twin's words for an infeasible matrix entry, from its stored bits and figures. */
function violationTexts(fig: PlanningFigures, module: ModuleState, app: ApplicationSpec, e: number, i: number): string[] {
  const out = new Float64Array(OUT.size);
  out[OUT.violationMask] = fig.matrix.violationMask![i]!;
  out[OUT.rulYears] = fig.matrix.rulYears[i]!;
  out[OUT.endReason] = fig.matrix.endOfLifeReason![i]!;
  out[OUT.initialPeakTemperatureC] = fig.matrix.peakTemperatureC[i]!;
  const texts = describeViolations(module, app, app.envelopes[e]!, out).map((v) => v.reason);
  return texts.length > 0 ? texts : [`the twin marks envelope ${app.envelopes[e]!.name} infeasible`];
}

function ineligibleReason(fig: PlanningFigures, apps: readonly ApplicationSpec[], module: ModuleState, m: number): string {
  const { nApps, nEnvelopes } = fig.matrix;
  const parts: string[] = [];
  for (let a = 0; a < nApps; a++) {
    const app = apps[a]!;
    let fewest: string[] | null = null;
    for (let e = 0; e < app.envelopes.length; e++) {
      const i = (m * nApps + a) * nEnvelopes + e;
      let texts: string[];
      if (fig.matrix.feasible[i] === 1) texts = [`stores no energy in the ${app.envelopes[e]!.name} SOC window`];
      else if (fig.matrix.violationMask && fig.matrix.endOfLifeReason) texts = violationTexts(fig, module, app, e, i);
      else texts = [`the twin marks envelope ${app.envelopes[e]!.name} infeasible`];
      if (fewest === null || texts.length < fewest.length) fewest = texts;
    }
    parts.push(`${app.name}: ${(fewest ?? ['no envelope']).join(' and ')}`);
  }
  return `not eligible anywhere: ${parts.join('; ')}`;
}

function recycledEligibleReason(fig: PlanningFigures, apps: readonly ApplicationSpec[], ctx: PlanContext, m: number): { kind: ReasonKind; text: string } {
  const { nApps, nEnvelopes } = fig.matrix;
  // Per application its usable envelope with the most storage-years.
  const bestByApp: { a: number; e: number; i: number; sy: number; q: number }[] = [];
  for (let a = 0; a < nApps; a++) {
    let pick: { a: number; e: number; i: number; sy: number; q: number } | null = null;
    for (let e = 0; e < nEnvelopes; e++) {
      const i = (m * nApps + a) * nEnvelopes + e;
      if (!usable(fig, apps, i, a, e)) continue;
      const q = fig.matrix.usableEnergyKwh[i]!;
      const sy = q * fig.matrix.rulYears[i]!;
      if (!pick || sy > pick.sy) pick = { a, e, i, sy, q };
    }
    if (pick) bestByApp.push(pick);
  }
  const withRoom = bestByApp.filter((o) => hasRoom(ctx, apps, o.a, o.q)).sort((x, y) => y.sy - x.sy);
  if (withRoom.length === 0) {
    const full = bestByApp.map((o) => {
      const app = apps[o.a]!;
      const placedPerKwh = ctx.loadsKwh[o.a]! > 0 ? ctx.storageYearsByApp[o.a]! / ctx.loadsKwh[o.a]! : 0;
      const ownPerKwh = o.sy / o.q;
      const compare =
        placedPerKwh >= ownPerKwh
          ? `modules placed there give ${placedPerKwh.toFixed(2)} kWh·yr per kWh, this one ${ownPerKwh.toFixed(2)}`
          : `modules placed there give ${placedPerKwh.toFixed(2)} kWh·yr per kWh, less than this one's ${ownPerKwh.toFixed(2)}: this solution favours their fade or cost`;
      return `${optionName(apps, o.a, o.e)} (${sy1(o.sy)} kWh·yr, needs ${kwh2(o.q)} kWh) is full at ${kwh2(ctx.loadsKwh[o.a]!)} of ${kwh2(app.capacityLimitKwh)} kWh, ${compare}`;
    });
    return { kind: 'CAPACITY', text: `eligible, but capacity went to better-suited modules: ${full.join('; ')}` };
  }
  const o = withRoom[0]!;
  const f = fig.matrix.fadePctPerYear[o.i]!;
  const cost = fig.pairCostUsd[o.i]!;
  const free = apps[o.a]!.capacityLimitKwh - ctx.loadsKwh[o.a]!;
  const head = `eligible for ${optionName(apps, o.a, o.e)} with ${kwh2(free)} kWh free; deploying it there would add ${sy1(o.sy)} kWh·yr`;
  const worse: string[] = [];
  if (ctx.kwh > 1e-9) {
    const fadeBefore = ctx.kwhFade / ctx.kwh;
    const fadeAfter = (ctx.kwhFade + o.q * f) / (ctx.kwh + o.q);
    if (fadeAfter > fadeBefore) worse.push(`raise the plan's energy-weighted fade from ${pct2(fadeBefore)} to ${pct2(fadeAfter)} %/yr`);
  }
  if (cost > 0) worse.push(`add ${usd0(cost)} USD of cost`);
  if (worse.length === 0) {
    return { kind: 'TRADE_OFF', text: `${head}, and no objective would get worse (fade ${pct2(f)} %/yr, cost ${usd0(cost)} USD): the optimiser did not reach that plan` };
  }
  return { kind: 'TRADE_OFF', text: `${head} but ${worse.join(' and ')}; this solution trades that storage for lower ${cost > 0 && worse.length === 1 ? 'cost' : worse.length === 2 ? 'fade and cost' : 'fade'}` };
}

/**
 * Rows `from` … `to − 1` of a plan over the run's figures. `modules` are the module states the
 * run projected from (index = position); only the rows asked for are described, but the plan-wide
 * loads are taken over the whole plan.
 */
export function planRows(
  fig: PlanningFigures,
  apps: readonly ApplicationSpec[],
  modules: (m: number) => ModuleState,
  plan: AllocationPlan,
  from = 0,
  to = fig.matrix.nModules,
): PlanRow[] {
  const { nApps, nEnvelopes, nModules } = fig.matrix;
  if (plan.applicationIndex.length !== nModules) throw new Error(`plan has ${plan.applicationIndex.length} modules, the figures ${nModules}`);
  const ctx = planContext(fig, apps, plan);
  const out: PlanRow[] = [];
  for (let m = from; m < Math.min(to, nModules); m++) {
    const a = plan.applicationIndex[m]!;
    const e = plan.envelopeIndex[m]!;
    if (a >= 0) {
      if (a >= nApps || e < 0 || e >= apps[a]!.envelopes.length) throw new Error(`module ${m}: assignment (${a}, ${e}) outside the twin matrix`);
      const i = (m * nApps + a) * nEnvelopes + e;
      out.push({ position: m, applicationIndex: a, envelopeIndex: e, figures: figuresAt(fig, i), reasonKind: 'DEPLOYED', reason: deployedReason(fig, apps, ctx, m, a, e) });
      continue;
    }
    let eligible = false;
    for (let j = 0; j < nApps * nEnvelopes && !eligible; j++) {
      eligible = usable(fig, apps, m * nApps * nEnvelopes + j, Math.floor(j / nEnvelopes), j % nEnvelopes);
    }
    if (!eligible) {
      out.push({ position: m, applicationIndex: -1, envelopeIndex: -1, figures: null, reasonKind: 'INELIGIBLE', reason: ineligibleReason(fig, apps, modules(m), m) });
    } else {
      const r = recycledEligibleReason(fig, apps, ctx, m);
      out.push({ position: m, applicationIndex: -1, envelopeIndex: -1, figures: null, reasonKind: r.kind, reason: r.text });
    }
  }
  return out;
}

/**
 * Decimals each figure is reported with: the precision the inputs carry, no more. Energies to the
 * Wh (module Ah and V are rated to ~0.1 %), years to ~4 days (the projection steps monthly),
 * fade to 0.001 %/yr, temperatures to 0.1 °C (BMS sensors resolve ~0.1–0.5 °C), round-trip
 * efficiency to 0.1 %, money to the cent. Every export and the stored plan use these.
 */
export const PLAN_FIGURE_DECIMALS = {
  socWindowEnergyKwh: 3,
  rulYears: 2,
  storageYearsKwhYr: 2,
  fadePctPerYear: 3,
  lifetimeEnergyMwh: 3,
  peakTemperatureC: 1,
  roundTripEfficiency: 3,
  costUsd: 2,
} as const satisfies Partial<Record<keyof PlanRowFigures, number>>;

/** Decimals of the module inputs shown beside an allocation (resolution of the usual instruments). */
export const MODULE_INPUT_DECIMALS = {
  nominalCapacityAh: 3,
  nominalVoltageV: 3,
  sohPercent: 2,
  internalResistanceMilliohm: 3,
  temperatureMinC: 1,
  temperatureMaxC: 1,
  cycleCount: 0,
  ageYears: 2,
  fullChargeEnergyKwh: 3,
} as const;

/** Rounded half away from zero to `decimals`; −0 becomes 0. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.sign(x) * Math.round(Math.abs(x) * f) / f;
  // Two steps so that binary noise (2.675 → 2.67499…) does not decide the last digit.
  const v = Number(r.toFixed(decimals));
  return v === 0 ? 0 : v;
}

export function roundFigures(f: PlanRowFigures): PlanRowFigures {
  const d = PLAN_FIGURE_DECIMALS;
  return {
    socWindowEnergyKwh: roundTo(f.socWindowEnergyKwh, d.socWindowEnergyKwh),
    rulYears: roundTo(f.rulYears, d.rulYears),
    storageYearsKwhYr: roundTo(f.storageYearsKwhYr, d.storageYearsKwhYr),
    fadePctPerYear: roundTo(f.fadePctPerYear, d.fadePctPerYear),
    lifetimeEnergyMwh: roundTo(f.lifetimeEnergyMwh, d.lifetimeEnergyMwh),
    peakTemperatureC: roundTo(f.peakTemperatureC, d.peakTemperatureC),
    roundTripEfficiency: roundTo(f.roundTripEfficiency, d.roundTripEfficiency),
    endOfLifeReason: f.endOfLifeReason,
    feasible: f.feasible,
    costUsd: roundTo(f.costUsd, d.costUsd),
  };
}

/** The inputs of a module that the twin projected from (latest check for a calibrated module). */
export interface ModuleInputs {
  chemistry: string;
  nominalCapacityAh: number;
  nominalVoltageV: number;
  sohPercent: number;
  internalResistanceMilliohm: number;
  temperatureMinC: number;
  temperatureMaxC: number;
  cycleCount: number;
  ageYears: number | null;
}

export function roundInputs(m: ModuleInputs): ModuleInputs {
  const d = MODULE_INPUT_DECIMALS;
  return {
    chemistry: m.chemistry,
    nominalCapacityAh: roundTo(m.nominalCapacityAh, d.nominalCapacityAh),
    nominalVoltageV: roundTo(m.nominalVoltageV, d.nominalVoltageV),
    sohPercent: roundTo(m.sohPercent, d.sohPercent),
    internalResistanceMilliohm: roundTo(m.internalResistanceMilliohm, d.internalResistanceMilliohm),
    temperatureMinC: roundTo(m.temperatureMinC, d.temperatureMinC),
    temperatureMaxC: roundTo(m.temperatureMaxC, d.temperatureMaxC),
    cycleCount: roundTo(m.cycleCount, d.cycleCount),
    ageYears: m.ageYears === null || Number.isNaN(m.ageYears) ? null : roundTo(m.ageYears, d.ageYears),
  };
}

/** Energy of a full 0–100 % charge today: nameplate Ah × nominal V × SOH, kWh. */
export function fullChargeEnergyKwh(m: Pick<ModuleInputs, 'nominalCapacityAh' | 'nominalVoltageV' | 'sohPercent'>): number {
  return (m.nominalCapacityAh * m.nominalVoltageV * m.sohPercent) / 100 / 1000;
}

/** One line of a plan as every face shows it: module, its inputs, where it goes, figures, reason. */
export interface PlanLine {
  position: number;
  moduleId: string | null;
  serial: string;
  applicationId: string | null;
  applicationName: string | null;
  envelopeName: string | null;
  /** Rounded to PLAN_FIGURE_DECIMALS; null for a recycled module. */
  figures: PlanRowFigures | null;
  /** Null on plans frozen before reasons were kept. */
  reasonKind: ReasonKind | null;
  reason: string;
  /** Rounded to MODULE_INPUT_DECIMALS; null when the plan did not keep them. */
  inputs: ModuleInputs | null;
}

export function toPlanLine(row: PlanRow, apps: readonly ApplicationSpec[], serial: string, moduleId: string | null, inputs: ModuleInputs | null): PlanLine {
  const app = row.applicationIndex >= 0 ? apps[row.applicationIndex]! : null;
  return {
    position: row.position,
    moduleId,
    serial,
    applicationId: app?.id ?? null,
    applicationName: app?.name ?? null,
    envelopeName: app ? app.envelopes[row.envelopeIndex]!.name : null,
    figures: row.figures ? roundFigures(row.figures) : null,
    reasonKind: row.reasonKind,
    reason: row.reason,
    inputs: inputs ? roundInputs(inputs) : null,
  };
}
