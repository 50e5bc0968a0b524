/**
 * Composite health score 0–100 of a retired module (reference paper §3B: SOH, internal
 * resistance, thermal stability, charge–discharge efficiency and degradation trend, combined in
 * a multi-parameter score; the paper gives no formula, so this one is ours):
 *
 *   score = 100 · Σ wᵢ·sᵢ,  sᵢ ∈ [0, 1] (clamped), w = (0.35, 0.20, 0.15, 0.15, 0.15)
 *
 *   s_SOH  = (SOH − 50) / (100 − 50)            50 % is the usual end of second life (domain notes)
 *   s_R    = 1 − (I₁c·R / U) / 0.10              ohmic drop at 1C as a fraction of the module
 *                                                voltage; 10 % drop (η ≈ 0.82) scores 0
 *   s_T    = 1 − (max(0, T_max − 35) + ΔT₁c) / 25 first-life exposure above 35 °C plus the module's
 *                                                own steady rise at 1C with passive cooling
 *   s_η    = (η₀.₅c − 0.85) / (0.98 − 0.85)      round-trip efficiency at C/2
 *   s_trend = 1 − (fade − 1) / (8 − 1)          first-life fade, %/yr (1 %/yr scores 1, 8 %/yr 0)
 *
 * Scale ends are engineering judgements (stated here so they can be argued with); the
 * resistance, thermal and efficiency terms are normalised by capacity and voltage so that
 * modules of different sizes compare fairly.
 */
import { EV_FIRST_LIFE } from './chemistry.js';
import { moduleThermal, roundTripEfficiency } from './thermal.js';
import type { ModuleState } from './types.js';
import { validateModule } from './validate.js';

export const HEALTH_WEIGHTS = { soh: 0.35, resistance: 0.2, thermal: 0.15, efficiency: 0.15, trend: 0.15 } as const;

export interface HealthBreakdown {
  score: number;
  soh: number;
  resistance: number;
  thermal: number;
  efficiency: number;
  trend: number;
  /** First-life fade used for the trend term, %/yr. */
  firstLifeFadePctPerYear: number;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export function healthBreakdown(m: ModuleState, observedFadePctPerYear?: number): HealthBreakdown {
  validateModule(m);
  const capAh = (m.nominalCapacityAh * m.sohPercent) / 100;
  const rOhm = m.internalResistanceMilliohm * 1e-3;
  const i1c = capAh;
  const soh = clamp01((m.sohPercent - 50) / 50);
  const resistance = clamp01(1 - (i1c * rOhm) / m.nominalVoltageV / 0.1);
  const th = moduleThermal(m.nominalCapacityAh * m.nominalVoltageV, false);
  const rise1c = i1c * i1c * rOhm * th.resistanceKPerW;
  const thermal = clamp01(1 - (Math.max(0, m.temperatureMaxC - 35) + rise1c) / 25);
  const eta = roundTripEfficiency(m.nominalVoltageV, 0.5 * capAh, rOhm);
  const efficiency = clamp01((eta - 0.85) / (0.98 - 0.85));
  const years = m.ageYears && m.ageYears > 0 ? m.ageYears : Math.max(m.cycleCount / EV_FIRST_LIFE.efcPerYear, 0.25);
  const fade = observedFadePctPerYear ?? Math.max(0, 100 - m.sohPercent) / years;
  const trend = clamp01(1 - (fade - 1) / 7);
  const w = HEALTH_WEIGHTS;
  const score =
    100 * (w.soh * soh + w.resistance * resistance + w.thermal * thermal + w.efficiency * efficiency + w.trend * trend);
  return { score, soh, resistance, thermal, efficiency, trend, firstLifeFadePctPerYear: fade };
}

/** Composite health score 0–100 (see the formula above). */
export function healthScore(m: ModuleState, observedFadePctPerYear?: number): number {
  return healthBreakdown(m, observedFadePctPerYear).score;
}
