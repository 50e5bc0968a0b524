/**
 * A plan as the exports show it: its description, one line per module (inputs, allocation, the
 * twin's figures, the reason) and totals per application. The CSV, JSON and XLSX writers
 * (plan-csv.ts, plan-json.ts, plan-xlsx.ts) all read these column definitions, so a figure has
 * one name, one unit and one precision in every format.
 */
import { OBJECTIVES } from '../planning/allocation-types.js';
import { fullChargeEnergyKwh, MODULE_INPUT_DECIMALS, PLAN_FIGURE_DECIMALS, roundTo, type PlanLine } from '../planning/plan-rows.js';

export interface PlanObjective {
  name: string;
  unit: string;
  sense: 'maximize' | 'minimize';
  value: number;
}

export interface PlanSheet {
  title: string;
  planId: string | null;
  runId: string | null;
  solutionIndex: number;
  knee: boolean;
  objectives: PlanObjective[];
  /** Where the figures come from, in words (the run's own figures, or a recompute). */
  figuresSource: string;
  createdAt: string | null;
  /** Applications of the run, with their capacity, in the run's order. */
  applications: { id: string; name: string; capacityLimitKwh: number | null }[];
  lines: readonly PlanLine[];
}

export interface PlanColumn {
  /** CSV header / XLSX column title. */
  csv: string;
  /** JSON key. */
  json: string;
  unit: string;
  decimals: number | null;
  description: string;
  value(l: PlanLine): string | number | null;
}

const I = MODULE_INPUT_DECIMALS;
const F = PLAN_FIGURE_DECIMALS;

export const PLAN_COLUMNS: readonly PlanColumn[] = [
  { csv: 'serial', json: 'serial', unit: '', decimals: null, description: 'module serial', value: (l) => l.serial },
  { csv: 'module_id', json: 'moduleId', unit: '', decimals: null, description: 'module id in the fleet (empty for a CSV fleet)', value: (l) => l.moduleId },
  { csv: 'chemistry', json: 'chemistry', unit: '', decimals: null, description: 'cell chemistry', value: (l) => l.inputs?.chemistry ?? null },
  { csv: 'nominal_capacity_ah', json: 'nominalCapacityAh', unit: 'Ah', decimals: I.nominalCapacityAh, description: 'nameplate capacity', value: (l) => l.inputs?.nominalCapacityAh ?? null },
  { csv: 'nominal_voltage_v', json: 'nominalVoltageV', unit: 'V', decimals: I.nominalVoltageV, description: 'nominal module voltage', value: (l) => l.inputs?.nominalVoltageV ?? null },
  { csv: 'soh_percent', json: 'sohPercent', unit: '%', decimals: I.sohPercent, description: 'state of health the twin started from (latest check for a calibrated module)', value: (l) => l.inputs?.sohPercent ?? null },
  { csv: 'internal_resistance_milliohm', json: 'internalResistanceMilliohm', unit: 'mΩ', decimals: I.internalResistanceMilliohm, description: 'DC internal resistance the twin started from', value: (l) => l.inputs?.internalResistanceMilliohm ?? null },
  { csv: 'temperature_min_c', json: 'temperatureMinC', unit: '°C', decimals: I.temperatureMinC, description: 'lowest cell temperature in first life', value: (l) => l.inputs?.temperatureMinC ?? null },
  { csv: 'temperature_max_c', json: 'temperatureMaxC', unit: '°C', decimals: I.temperatureMaxC, description: 'highest cell temperature in first life', value: (l) => l.inputs?.temperatureMaxC ?? null },
  { csv: 'cycle_count', json: 'cycleCount', unit: 'cycles', decimals: I.cycleCount, description: 'equivalent full cycles so far', value: (l) => l.inputs?.cycleCount ?? null },
  { csv: 'age_years', json: 'ageYears', unit: 'yr', decimals: I.ageYears, description: 'calendar age (empty when unknown)', value: (l) => l.inputs?.ageYears ?? null },
  {
    csv: 'full_charge_energy_kwh',
    json: 'fullChargeEnergyKwh',
    unit: 'kWh',
    decimals: I.fullChargeEnergyKwh,
    description: 'energy of a full 0–100 % charge today: nameplate Ah × nominal V × SOH',
    value: (l) => (l.inputs ? roundTo(fullChargeEnergyKwh(l.inputs), I.fullChargeEnergyKwh) : null),
  },
  { csv: 'application', json: 'application', unit: '', decimals: null, description: 'application name, RECYCLE when recycled', value: (l) => l.applicationName ?? 'RECYCLE' },
  { csv: 'application_id', json: 'applicationId', unit: '', decimals: null, description: 'application id (empty when recycled)', value: (l) => l.applicationId },
  { csv: 'envelope', json: 'envelope', unit: '', decimals: null, description: 'operating envelope (SOC window, DoD cap, cooling)', value: (l) => l.envelopeName },
  {
    csv: 'soc_window_energy_kwh',
    json: 'socWindowEnergyKwh',
    unit: 'kWh',
    decimals: F.socWindowEnergyKwh,
    description: "energy between the envelope's SOC limits at deployment; what counts against the application's capacity",
    value: (l) => l.figures?.socWindowEnergyKwh ?? null,
  },
  { csv: 'rul_years', json: 'rulYears', unit: 'yr', decimals: F.rulYears, description: 'remaining useful life in the application', value: (l) => l.figures?.rulYears ?? null },
  { csv: 'storage_years_kwh_yr', json: 'storageYearsKwhYr', unit: 'kWh·yr', decimals: F.storageYearsKwhYr, description: 'SOC-window energy × RUL: the module’s share of the storage objective', value: (l) => l.figures?.storageYearsKwhYr ?? null },
  { csv: 'fade_pct_per_year', json: 'fadePctPerYear', unit: '%/yr', decimals: F.fadePctPerYear, description: 'mean capacity fade over its service', value: (l) => l.figures?.fadePctPerYear ?? null },
  { csv: 'lifetime_energy_mwh', json: 'lifetimeEnergyMwh', unit: 'MWh', decimals: F.lifetimeEnergyMwh, description: 'energy discharged over its service', value: (l) => l.figures?.lifetimeEnergyMwh ?? null },
  { csv: 'peak_temperature_c', json: 'peakTemperatureC', unit: '°C', decimals: F.peakTemperatureC, description: 'hottest cell temperature over its service', value: (l) => l.figures?.peakTemperatureC ?? null },
  { csv: 'round_trip_efficiency', json: 'roundTripEfficiency', unit: '0–1', decimals: F.roundTripEfficiency, description: 'mean round-trip efficiency over its service', value: (l) => l.figures?.roundTripEfficiency ?? null },
  { csv: 'end_of_life_reason', json: 'endOfLifeReason', unit: '', decimals: null, description: 'what ends its service: SOH, RESISTANCE, THERMAL or HORIZON', value: (l) => l.figures?.endOfLifeReason ?? null },
  { csv: 'cost_usd', json: 'costUsd', unit: 'USD', decimals: F.costUsd, description: 'repurposing + integration + cooling + O&M − value of energy delivered; 0 when recycled', value: (l) => l.figures?.costUsd ?? 0 },
  { csv: 'reason_kind', json: 'reasonKind', unit: '', decimals: null, description: 'DEPLOYED, INELIGIBLE, CAPACITY or TRADE_OFF', value: (l) => l.reasonKind },
  { csv: 'reason', json: 'reason', unit: '', decimals: null, description: 'why this application and envelope, or why recycled', value: (l) => l.reason },
];

/** Sums over one group of modules (an application, recycling, or the whole plan). */
export interface PlanTotals {
  group: string;
  applicationId: string | null;
  modules: number;
  capacityLimitKwh: number | null;
  socWindowEnergyKwh: number;
  /** Share of the capacity used, % (null without a capacity). */
  capacityUsedPercent: number | null;
  fullChargeEnergyKwh: number;
  storageYearsKwhYr: number;
  /** Energy-weighted mean fade of the group's deployed modules (the fade objective's definition). */
  fadePctPerYear: number | null;
  lifetimeEnergyMwh: number;
  costUsd: number;
}

export const TOTAL_COLUMNS: readonly { key: keyof PlanTotals; title: string; unit: string; decimals: number | null }[] = [
  { key: 'group', title: 'application', unit: '', decimals: null },
  { key: 'modules', title: 'modules', unit: '', decimals: 0 },
  { key: 'capacityLimitKwh', title: 'capacity_limit_kwh', unit: 'kWh', decimals: 3 },
  { key: 'socWindowEnergyKwh', title: 'soc_window_energy_kwh', unit: 'kWh', decimals: F.socWindowEnergyKwh },
  { key: 'capacityUsedPercent', title: 'capacity_used_percent', unit: '%', decimals: 1 },
  { key: 'fullChargeEnergyKwh', title: 'full_charge_energy_kwh', unit: 'kWh', decimals: I.fullChargeEnergyKwh },
  { key: 'storageYearsKwhYr', title: 'storage_years_kwh_yr', unit: 'kWh·yr', decimals: F.storageYearsKwhYr },
  { key: 'fadePctPerYear', title: 'fade_pct_per_year', unit: '%/yr', decimals: F.fadePctPerYear },
  { key: 'lifetimeEnergyMwh', title: 'lifetime_energy_mwh', unit: 'MWh', decimals: F.lifetimeEnergyMwh },
  { key: 'costUsd', title: 'cost_usd', unit: 'USD', decimals: F.costUsd },
];

/** Per application (run order), then RECYCLE, then ALL; sums of the rounded line figures. */
export function planTotals(sheet: PlanSheet): PlanTotals[] {
  const groups = new Map<string, PlanTotals & { kwhFade: number }>();
  const make = (group: string, applicationId: string | null, capacityLimitKwh: number | null) => ({
    group,
    applicationId,
    modules: 0,
    capacityLimitKwh,
    socWindowEnergyKwh: 0,
    capacityUsedPercent: null,
    fullChargeEnergyKwh: 0,
    storageYearsKwhYr: 0,
    fadePctPerYear: null,
    lifetimeEnergyMwh: 0,
    costUsd: 0,
    kwhFade: 0,
  });
  for (const a of sheet.applications) groups.set(a.name, make(a.name, a.id, a.capacityLimitKwh));
  const recycle = make('RECYCLE', null, null);
  const all = make('ALL', null, sheet.applications.every((a) => a.capacityLimitKwh !== null) ? sheet.applications.reduce((s, a) => s + a.capacityLimitKwh!, 0) : null);
  for (const l of sheet.lines) {
    const key = l.applicationName;
    let g = key === null ? recycle : groups.get(key);
    if (!g) {
      g = make(key!, l.applicationId, null);
      groups.set(key!, g);
    }
    for (const t of g === recycle ? [recycle, all] : [g, all]) {
      t.modules++;
      if (l.inputs) t.fullChargeEnergyKwh += fullChargeEnergyKwh(l.inputs);
      if (l.figures) {
        t.socWindowEnergyKwh += l.figures.socWindowEnergyKwh;
        t.storageYearsKwhYr += l.figures.storageYearsKwhYr;
        t.kwhFade += l.figures.socWindowEnergyKwh * l.figures.fadePctPerYear;
        t.lifetimeEnergyMwh += l.figures.lifetimeEnergyMwh;
        t.costUsd += l.figures.costUsd;
      }
    }
  }
  return [...groups.values(), recycle, all].map(({ kwhFade, ...t }) => ({
    ...t,
    capacityLimitKwh: t.capacityLimitKwh === null ? null : roundTo(t.capacityLimitKwh, 3),
    socWindowEnergyKwh: roundTo(t.socWindowEnergyKwh, F.socWindowEnergyKwh),
    capacityUsedPercent: t.capacityLimitKwh ? roundTo((100 * t.socWindowEnergyKwh) / t.capacityLimitKwh, 1) : null,
    fullChargeEnergyKwh: roundTo(t.fullChargeEnergyKwh, I.fullChargeEnergyKwh),
    storageYearsKwhYr: roundTo(t.storageYearsKwhYr, F.storageYearsKwhYr),
    fadePctPerYear: t.socWindowEnergyKwh > 0 ? roundTo(kwhFade / t.socWindowEnergyKwh, F.fadePctPerYear) : null,
    lifetimeEnergyMwh: roundTo(t.lifetimeEnergyMwh, F.lifetimeEnergyMwh),
    costUsd: roundTo(t.costUsd, F.costUsd),
  }));
}

/** The reporting objectives of a solution, with units and sense, rounded like the rows. */
export function planObjectives(names: readonly string[], values: readonly number[]): PlanObjective[] {
  const decimals: Record<string, number> = { storageYears: F.storageYearsKwhYr, fadePctPerYear: F.fadePctPerYear, costUsd: F.costUsd };
  return names.map((name, k) => {
    const o = OBJECTIVES.find((x) => x.name === name);
    return { name, unit: o?.unit ?? '', sense: o?.sense ?? 'minimize', value: roundTo(values[k]!, decimals[name] ?? 6) };
  });
}
