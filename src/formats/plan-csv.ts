/**
 * A plan as CSV for spreadsheets and planning tools: one `module` row per module (its inputs, its
 * allocation, the twin's figures, the reason), then `total` rows per application, RECYCLE and ALL.
 * Columns, units and decimals: plan-table.ts (PLAN_COLUMNS) and docs/plans-and-exports.md.
 */
import { formatCsv, type CsvValue } from './csv.js';
import { PLAN_COLUMNS, planTotals, type PlanSheet, type PlanTotals } from './plan-table.js';

export const PLAN_CSV_HEADER: readonly string[] = ['row_type', ...PLAN_COLUMNS.map((c) => c.csv), 'modules', 'capacity_limit_kwh', 'capacity_used_percent'];

/** Which total figure fills which column on a `total` row; other columns stay empty. */
const TOTAL_FIELDS: Record<string, (t: PlanTotals) => CsvValue> = {
  application: (t) => t.group,
  application_id: (t) => t.applicationId,
  full_charge_energy_kwh: (t) => t.fullChargeEnergyKwh,
  soc_window_energy_kwh: (t) => t.socWindowEnergyKwh,
  storage_years_kwh_yr: (t) => t.storageYearsKwhYr,
  fade_pct_per_year: (t) => t.fadePctPerYear,
  lifetime_energy_mwh: (t) => t.lifetimeEnergyMwh,
  cost_usd: (t) => t.costUsd,
  reason: (t) => (t.group === 'ALL' ? `totals of the plan (${t.modules} modules)` : t.group === 'RECYCLE' ? `${t.modules} modules recycled` : `totals of ${t.group} (${t.modules} modules)`),
};

export function* planCsvRows(sheet: PlanSheet): Generator<CsvValue[]> {
  for (const l of sheet.lines) yield ['module', ...PLAN_COLUMNS.map((c) => c.value(l)), 1, null, null];
  for (const t of planTotals(sheet)) {
    yield ['total', ...PLAN_COLUMNS.map((c) => TOTAL_FIELDS[c.csv]?.(t) ?? null), t.modules, t.capacityLimitKwh, t.capacityUsedPercent];
  }
}

export function formatPlanCsv(sheet: PlanSheet): string {
  return formatCsv(PLAN_CSV_HEADER, planCsvRows(sheet));
}
