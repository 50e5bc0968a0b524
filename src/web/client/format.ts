/** Numbers as the planner reads them: fixed decimals, thin grouping, the unit always beside. */

export function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const withUnit = (value: number | null | undefined, unit: string, digits = 1) => (value === null || value === undefined ? '–' : `${num(value, digits)} ${unit}`);
export const pct = (value: number | null | undefined, digits = 1) => withUnit(value, '%', digits);
export const kwh = (value: number | null | undefined, digits = 1) => withUnit(value, 'kWh', digits);
export const usd = (value: number | null | undefined) => withUnit(value, 'USD', 0);

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–');

/** The three objectives of a plan, their units and which way is better. */
export const OBJECTIVES = [
  { key: 'storageYearsKwhYr', label: 'Storage service', unit: 'kWh·yr', better: 'higher' },
  { key: 'fadePctPerYear', label: 'Mean capacity fade', unit: '%/yr', better: 'lower' },
  { key: 'costUsd', label: 'Lifetime cost', unit: 'USD', better: 'lower' },
] as const;

export type ObjectiveKey = (typeof OBJECTIVES)[number]['key'];

export function objectiveValue(key: ObjectiveKey, value: number): string {
  return key === 'costUsd' ? usd(value) : key === 'fadePctPerYear' ? withUnit(value, '%/yr', 3) : withUnit(value, 'kWh·yr', 0);
}

/** Equal-width bins over [min, max] with round edges: the bars of a histogram. */
export function histogram(values: number[], binCount = 12): { from: number; to: number; count: number }[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const raw = (hi - lo) / binCount;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const start = Math.floor(lo / step) * step;
  const n = Math.max(1, Math.ceil((hi - start) / step + 1e-9));
  const bins = Array.from({ length: n }, (_, i) => ({ from: start + i * step, to: start + (i + 1) * step, count: 0 }));
  for (const v of finite) bins[Math.min(n - 1, Math.floor((v - start) / step))]!.count++;
  return bins;
}
