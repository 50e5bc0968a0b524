/**
 * Lumped (one-node) thermal and electrical model of a module, after Bernardi, Pawlikowski &
 * Newman, J. Electrochem. Soc. 132 (1985) 5: heat generated is the irreversible Joule term I²R
 * (the reversible entropic term averages out over a charge/discharge cycle), removed by
 * convection h·A·(T − T_air). With heat capacity m·c_p the node relaxes with τ = m·c_p/(h·A).
 */
import { MODULE_THERMAL as M } from './chemistry.js';

export interface ModuleThermal {
  massKg: number;
  /** Thermal resistance to the enclosure air, K/W. */
  resistanceKPerW: number;
  timeConstantS: number;
  activeCooling: boolean;
}

export function moduleThermal(nominalEnergyWh: number, activeCooling: boolean): ModuleThermal {
  const massKg = nominalEnergyWh / M.specificEnergyWhPerKg;
  const areaM2 = massKg * M.surfaceM2PerKg;
  const h = activeCooling ? M.activeHWPerM2K : M.passiveHWPerM2K;
  const resistanceKPerW = 1 / (h * areaM2);
  return { massKg, resistanceKPerW, timeConstantS: massKg * M.specificHeatJPerKgK * resistanceKPerW, activeCooling };
}

/**
 * Amplitude ratio of the cell's daily temperature swing to the air's. The lumped (one-temperature)
 * module obeys τ·dT/dt = T_air − T (the lumped-capacitance model, Incropera et al., Fundamentals of
 * Heat and Mass Transfer, ch. 5); for T_air = A·sin(ωt) its periodic solution has amplitude
 * A/√(1 + (ωτ)²), ω = 2π/24 h. With the constants of chemistry.ts τ is 1.3 h passive (0.95 of the
 * air's swing reaches the cell) and 13 min actively cooled (0.998), whatever the module's size.
 * Valid while the module is one temperature (Biot number ≪ 1), as the rest of this model assumes.
 */
export function dailyAttenuation(timeConstantS: number): number {
  const omegaTau = (2 * Math.PI * timeConstantS) / 86_400;
  return 1 / Math.sqrt(1 + omegaTau * omegaTau);
}

/** Air temperature around the module: ambient, or the HVAC set point when actively cooled and hotter. */
export function enclosureAirC(ambientC: number, activeCooling: boolean): number {
  return activeCooling && ambientC > M.activeSetPointC ? M.activeSetPointC : ambientC;
}

/**
 * Fraction of the day current flows: each cycle charges and discharges `dod` of the capacity at
 * `cRate`, i.e. 2·dod/cRate hours per cycle.
 */
export function activeFraction(cyclesPerDay: number, dod: number, cRate: number): number {
  if (cRate <= 0) return 0;
  const f = (cyclesPerDay * 2 * dod) / cRate / 24;
  return f < 1 ? f : 1;
}

/**
 * Round-trip efficiency of a constant-current cycle through a resistance R around an open-circuit
 * voltage U: discharge delivers U − IR, charge needs U + IR, so η = (U − IR)/(U + IR).
 */
export function roundTripEfficiency(ocvV: number, currentA: number, resistanceOhm: number): number {
  const drop = currentA * resistanceOhm;
  if (drop >= ocvV) return 0;
  return (ocvV - drop) / (ocvV + drop);
}
