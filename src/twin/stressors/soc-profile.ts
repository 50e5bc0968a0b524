/**
 * An application's daily SOC profile (types.ts `DailySocProfile`) as time-at-SOC samples for the
 * application kernel: SOC values and the share of the day each stands for, over which fade.ts
 * time-averages the calendar rates (BLAST-Lite averages each rate over the profile by the
 * trapezoid rule; for a piecewise-linear profile we sample each segment finely, which is the same
 * average to < 1e-4).
 *
 * Under an envelope the profile keeps its top (rests at full charge stay at the envelope's top) and
 * its swing is scaled to the cycled DoD: soc' = top' − (top − soc)·DoD'/DoD.
 */
import type { DailySocProfile } from '../types.js';

export interface SocSamples {
  soc: Float64Array;
  weight: Float64Array;
  /** Hour of the day (0–24) each sample stands at; null for a time-at-SOC histogram, which has no order. */
  hour: Float64Array | null;
  /** Identifies profile and transform for the rate caches. */
  key: number;
  /** SOC at which the day starts (the first point; a time-at-SOC histogram has no order: its bottom). */
  anchor: number;
}

/** Samples per hour of a piecewise-linear profile (each segment integrated at this spacing). */
const SAMPLES_PER_HOUR = 4;

interface BaseSamples {
  soc: Float64Array;
  weight: Float64Array;
  hour: Float64Array | null;
  top: number;
  bottom: number;
  first: number;
  id: number;
  /**
   * Samples under an envelope (`socSamplesFor`): transform i is (top, swing scale, floor) at
   * transformKey[3i…3i+2] and its samples at transformed[i]. Numbers compared as numbers: a text
   * key cost three number-to-string conversions per projection.
   */
  transformKey: number[];
  transformed: SocSamples[];
  /** Index of the transform found last (a fleet is projected under one envelope in a row). */
  lastTransform: number;
}

const baseCache = new WeakMap<DailySocProfile, BaseSamples>();
/**
 * Samples by the profile's content, so that a copy of a profile (each worker task receives its own
 * structured clone of the applications) gets the samples, ids and therefore the rate caches of the
 * original instead of new ones. Bounded: past CONTENT_CACHE profiles it starts afresh.
 */
const byContent = new Map<string, BaseSamples>();
const CONTENT_CACHE = 256;
let nextId = 1;

/** The profile's points or dwells as text (numbers print exactly: equal text, equal numbers). */
function contentKey(p: DailySocProfile): string {
  if (p.points && p.points.length >= 2) return `p${p.points.map((q) => `${q.hour},${q.socPercent}`).join(';')}`;
  if (p.timeAtSoc && p.timeAtSoc.length > 0) return `t${p.timeAtSoc.map((d) => `${d.socPercent},${d.hours}`).join(';')}`;
  return 'none';
}

function baseSamples(p: DailySocProfile): BaseSamples {
  const hit = baseCache.get(p);
  if (hit) return hit;
  const content = contentKey(p);
  const same = byContent.get(content);
  if (same) {
    baseCache.set(p, same);
    return same;
  }
  const soc: number[] = [];
  const weight: number[] = [];
  const hour: number[] = [];
  const pts = p.points && p.points.length >= 2 ? p.points : null;
  if (p.points && p.points.length >= 2) {
    const pts = p.points;
    const span = pts[pts.length - 1]!.hour - pts[0]!.hour;
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[i + 1]!;
      const dh = b.hour - a.hour;
      const n = Math.max(1, Math.ceil(dh * SAMPLES_PER_HOUR));
      // Midpoints of n equal pieces: the exact mean of a linear segment, and of a smooth f to O(h²).
      for (let k = 0; k < n; k++) {
        const f = (k + 0.5) / n;
        soc.push((a.socPercent + f * (b.socPercent - a.socPercent)) / 100);
        weight.push(dh / n / span);
        hour.push(a.hour + f * dh);
      }
    }
  } else if (p.timeAtSoc && p.timeAtSoc.length > 0) {
    const total = p.timeAtSoc.reduce((s, d) => s + d.hours, 0);
    for (const d of p.timeAtSoc) {
      if (d.hours <= 0) continue;
      soc.push(d.socPercent / 100);
      weight.push(d.hours / total);
    }
  }
  const b: BaseSamples = {
    soc: Float64Array.from(soc),
    weight: Float64Array.from(weight),
    hour: pts ? Float64Array.from(hour) : null,
    // The points' own extremes: midpoint samples miss a peak the day does not rest at.
    top: pts ? Math.max(...pts.map((q) => q.socPercent / 100)) : soc.length ? Math.max(...soc) : Number.NaN,
    bottom: pts ? Math.min(...pts.map((q) => q.socPercent / 100)) : soc.length ? Math.min(...soc) : Number.NaN,
    first: p.points && p.points.length >= 2 ? p.points[0]!.socPercent / 100 : soc.length ? Math.min(...soc) : Number.NaN,
    id: nextId++,
    transformKey: [],
    transformed: [],
    lastTransform: 0,
  };
  baseCache.set(p, b);
  if (byContent.size >= CONTENT_CACHE) byContent.clear();
  byContent.set(content, b);
  return b;
}

/** Highest and lowest SOC (0–1) of a profile. */
export function profileSpan(p: DailySocProfile): { top: number; bottom: number } {
  const b = baseSamples(p);
  return { top: b.top, bottom: b.bottom };
}

/**
 * Time-at-SOC samples of `p` under an envelope: top moved to `top` (0–1), swing scaled by
 * `swingScale` (cycled DoD / the application's DoD), clipped to [floor, top].
 */
export function socSamplesFor(p: DailySocProfile, top: number, swingScale: number, floor: number): SocSamples {
  const b = baseSamples(p);
  const keys = b.transformKey;
  const n = b.transformed.length;
  for (let j = -1; j < n; j++) {
    const i = j < 0 ? b.lastTransform : j;
    if (i < n && sameNumber(keys[3 * i]!, top) && sameNumber(keys[3 * i + 1]!, swingScale) && sameNumber(keys[3 * i + 2]!, floor)) {
      b.lastTransform = i;
      return b.transformed[i]!;
    }
  }
  const soc = new Float64Array(b.soc.length);
  for (let i = 0; i < soc.length; i++) {
    const v = top - (b.top - b.soc[i]!) * swingScale;
    soc[i] = v < floor ? floor : v > top ? top : v;
  }
  const a = top - (b.top - b.first) * swingScale;
  const out: SocSamples = { soc, weight: b.weight, hour: b.hour, key: nextId++, anchor: a < floor ? floor : a > top ? top : a };
  if (n < 64) {
    keys.push(top, swingScale, floor);
    b.transformed.push(out);
  }
  return out;
}

/** Equal as numbers, NaN equal to NaN (as their text was). */
function sameNumber(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}
