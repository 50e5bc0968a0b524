/**
 * Moving-block residual bootstrap (Künsch 1989, Ann. Statist. 17, 1217–1241): replicate histories
 * are the fitted curve plus residual blocks drawn with replacement (blocks of √n checks keep the
 * serial correlation of real histories), each refitted; a prediction samples a bootstrap curve +
 * a resampled residual + the error of the forecast ahead of the last check (a prediction interval,
 * not only a confidence band of the curve). Quantiles by linear interpolation (Hyndman & Fan 1996,
 * type 7).
 */
import { normalDraw } from './history.js';

/** Block length of a history of n checks. */
export function blockLength(n: number): number {
  return Math.max(1, Math.round(Math.sqrt(n)));
}

/** One replicate history into `out`: fit + residual blocks starting at uniform positions. */
export function resampleBlocks(fit: ArrayLike<number>, residuals: ArrayLike<number>, block: number, rand: () => number, out: Float64Array): void {
  const n = fit.length;
  for (let i = 0; i < n; ) {
    const start = Math.floor(rand() * Math.max(1, n - block + 1));
    for (let j = 0; j < block && i < n; j++, i++) out[i] = fit[i]! + residuals[start + j]!;
  }
}

/** Quantile q of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface SampleSource {
  /** Bootstrap parameter sets, row-major `replicates × parameters`. */
  bootstrapTheta: Float64Array;
  parameters: number;
  residuals: Float64Array;
  lastCycle: number;
  /** Standard deviation of the forecast error ahead, at `ahead` cycles past the last check. */
  aheadSd: (ahead: number) => number;
  curve: (theta: Float64Array, cycles: Float64Array, out: Float64Array) => void;
}

/** `draws` samples per bootstrap curve at `cycles`, row-major `replicates·draws × cycles.length`. */
export function sampleRows(src: SampleSource, cycles: Float64Array, draws: number, rand: () => number): Float64Array {
  const n = cycles.length;
  const np = src.parameters;
  const nBoot = src.bootstrapTheta.length / np;
  const samples = new Float64Array(nBoot * draws * n);
  const c = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) sd[i] = cycles[i]! > src.lastCycle ? src.aheadSd(cycles[i]! - src.lastCycle) : 0;
  const res = src.residuals;
  for (let b = 0; b < nBoot; b++) {
    src.curve(src.bootstrapTheta.subarray(b * np, b * np + np), cycles, c);
    for (let d = 0; d < draws; d++) {
      const row = (b * draws + d) * n;
      for (let i = 0; i < n; i++) {
        let v = c[i]! + res[Math.floor(rand() * res.length)]!;
        if (sd[i]! > 0) v += sd[i]! * normalDraw(rand);
        samples[row + i] = v;
      }
    }
  }
  return samples;
}

/** P10/P50/P90 of each column of row-major samples (`rows × n`). */
export function columnQuantiles(samples: Float64Array, rows: number, n: number): { p10: number[]; p50: number[]; p90: number[] } {
  const column = new Float64Array(rows);
  const out = { p10: [] as number[], p50: [] as number[], p90: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rows; r++) column[r] = samples[r * n + i]!;
    column.sort();
    out.p10.push(quantile(column, 0.1));
    out.p50.push(quantile(column, 0.5));
    out.p90.push(quantile(column, 0.9));
  }
  return out;
}
