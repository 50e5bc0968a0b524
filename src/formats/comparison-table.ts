/** The text table of `relife compare`: one row per strategy, the metrics of src/planning/plan-evaluation.ts. */
import type { StrategyMetrics } from '../planning/allocation-types.js';
import type { StrategyComparison } from '../planning/plan-evaluation.js';

const HEADERS: [keyof StrategyMetrics, string, (v: number) => string][] = [
  ['correctPercent', 'correct %', (v) => v.toFixed(1)],
  ['misallocatedPercent', 'misalloc %', (v) => v.toFixed(1)],
  ['recycled', 'recycled', (v) => String(v)],
  ['meanLifespanYears', 'lifespan yr', (v) => v.toFixed(2)],
  ['meanFadePctPerYear', 'fade %/yr', (v) => v.toFixed(2)],
  ['meanRoundTripEfficiency', 'RTE', (v) => v.toFixed(3)],
  ['storageYearsKwhYr', 'kWh·yr', (v) => v.toFixed(0)],
  ['costUsd', 'cost USD', (v) => v.toFixed(0)],
];

/** Fixed-width text table, one row per strategy. */
export function formatComparisonTable(c: StrategyComparison): string {
  const rows = [['strategy', ...HEADERS.map((h) => h[1])]];
  for (const s of c.strategies) rows.push([s.strategy, ...HEADERS.map(([k, , f]) => f(s[k] as number))]);
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
