/**
 * The end-of-run summary `relife optimize` prints: the run in one line, the picked solution's
 * objectives (with the better direction), totals per application, deployed and recycled counts,
 * and the bounds and the front's gap to them when the run result carries them.
 */
import { planTotals, type PlanSheet, type PlanTotals } from './plan-table.js';
import type { ObjectiveBoundReport } from '../planning/allocation-types.js';

export interface RunSummaryInput {
  modules: number;
  applications: number;
  frontSize: number;
  hypervolume: number;
  seconds: number;
  /** How the picked solution was chosen, e.g. `knee` or `3`. */
  pick: string;
  sheet: PlanSheet;
  /** The run's bounds (a bound without a proven value or without a front is not printed). */
  bounds?: readonly ObjectiveBoundReport[];
  written: readonly string[];
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) => `  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`);
}

export function formatRunSummary(s: RunSummaryInput): string {
  const out: string[] = [];
  out.push(`relife optimize: ${s.modules} modules × ${s.applications} applications, front of ${s.frontSize} plans, hypervolume ${s.hypervolume.toFixed(4)}, ${s.seconds.toFixed(1)} s`);
  out.push(`picked solution ${s.sheet.solutionIndex} (${s.pick}${s.sheet.knee && s.pick !== 'knee' ? ', the knee' : ''}):`);
  for (const o of s.sheet.objectives) out.push(`  ${o.name.padEnd(16)} ${String(o.value).padStart(14)} ${o.unit.padEnd(7)} (${o.sense === 'maximize' ? 'higher' : 'lower'} is better)`);
  const shown = (s.bounds ?? []).filter((b) => b.bound !== null && b.bestOnFront !== null && b.gapPercent !== null);
  if (shown.length > 0) {
    out.push('bounds and the front’s gap to them:');
    // The bounded objectives are sums in kWh·yr and USD: shown to the cent, as the plan's figures.
    for (const b of shown) out.push(`  ${b.objective.padEnd(16)} bound ${b.bound!.toFixed(2)}  best on front ${b.bestOnFront!.toFixed(2)}  gap ${b.gapPercent!.toFixed(2)} %  (${b.method ?? 'LP'})`);
  }
  const cols: [keyof PlanTotals, string][] = [
    ['group', 'application'],
    ['modules', 'modules'],
    ['socWindowEnergyKwh', 'kWh (SOC window)'],
    ['capacityLimitKwh', 'of capacity kWh'],
    ['capacityUsedPercent', 'used %'],
    ['storageYearsKwhYr', 'kWh·yr'],
    ['fadePctPerYear', 'fade %/yr'],
    ['costUsd', 'cost USD'],
  ];
  const rows = [cols.map(([, title]) => title)];
  const totals = planTotals(s.sheet);
  for (const t of totals) rows.push(cols.map(([k]) => (t[k] === null ? '–' : String(t[k]))));
  out.push(...table(rows));
  const all = totals.find((t) => t.group === 'ALL')!;
  const recycled = totals.find((t) => t.group === 'RECYCLE')!;
  out.push(`deployed ${all.modules - recycled.modules}, recycled ${recycled.modules} of ${all.modules} modules`);
  for (const w of s.written) out.push(`wrote ${w}`);
  return `${out.join('\n')}\n`;
}
