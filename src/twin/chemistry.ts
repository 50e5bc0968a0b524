/**
 * Which fitted cell model each chemistry runs on, and the module-level electro-thermal constants.
 * The models themselves, one file each with parameters, source, valid range and limitations, are
 * in src/twin/models/ (NREL BLAST-Lite's layout, github.com/NREL/BLAST-Lite, BSD-3):
 *
 *  - NMC: Kokam 75 Ah NMC111/graphite, Smith et al., Proc. ACC 2017 (models/nmc-kokam-75ah.ts)
 *  - LFP: Sony-Murata 3 Ah LFP/graphite, Naumann 2018/2020, Gasper 2022 (models/lfp-sony-murata-3ah.ts)
 *  - NCA: Panasonic NCR18650B NCA/graphite, Keil 2016, Preger 2020 (models/nca-panasonic-3ah.ts)
 *  - LMO: Nissan Leaf second-life modules, Braco 2020/2022 (models/lmo-nissan-leaf-2nd-life.ts)
 *
 * NCA and LMO were fitted without resistance growth; theirs is a flagged proxy
 * (models/kokam-resistance-proxy.ts). The application kernel (fade.ts, simulate.ts) runs NMC, NCA
 * and LMO through one power-law kernel, LFP through its own.
 */
import type { Chemistry } from './types.js';

export { NMC_KOKAM } from './models/nmc-kokam-75ah.js';
export { LFP_SONY_MURATA } from './models/lfp-sony-murata-3ah.js';
export { NCA_PANASONIC } from './models/nca-panasonic-3ah.js';
export { LMO_NISSAN_LEAF } from './models/lmo-nissan-leaf-2nd-life.js';
export { anodePotentialV } from './stressors/anode-potential.js';

/** Universal gas constant, J/(mol·K) (CODATA 2018). */
export const GAS_CONSTANT = 8.314462618;

export type FadeModelId = 'NMC_KOKAM' | 'LFP_SONY_MURATA' | 'NCA_PANASONIC' | 'LMO_NISSAN_LEAF';

export interface ChemistryModel {
  fadeModel: FadeModelId;
  /** True when the chemistry borrows another chemistry's fitted capacity model (none does now). */
  proxy: boolean;
  /** True when resistance growth is a proxy (models/kokam-resistance-proxy.ts): NCA and LMO. */
  resistanceProxy: boolean;
}

export function chemistryModel(chemistry: Chemistry | string): ChemistryModel {
  switch (chemistry) {
    case 'NMC':
      return { fadeModel: 'NMC_KOKAM', proxy: false, resistanceProxy: false };
    case 'LFP':
      return { fadeModel: 'LFP_SONY_MURATA', proxy: false, resistanceProxy: false };
    case 'NCA':
      return { fadeModel: 'NCA_PANASONIC', proxy: false, resistanceProxy: true };
    case 'LMO':
      return { fadeModel: 'LMO_NISSAN_LEAF', proxy: false, resistanceProxy: true };
    default:
      throw new Error(`unknown chemistry "${String(chemistry)}" (expected one of NMC, LFP, NCA, LMO)`);
  }
}

/**
 * Module-level electro-thermal constants (lumped model, one node per module).
 * Module geometry from the Nissan Leaf (AESC) 2011 module, the most common retired module:
 * 303 × 223 × 35 mm, ≈3.8 kg, ≈500 Wh → ≈0.172 m² outer surface, ≈0.045 m²/kg, ≈130 Wh/kg
 * (dimensions as reported in the Argonne/INL Leaf teardowns; an approximation for other modules).
 */
export const MODULE_THERMAL = {
  specificEnergyWhPerKg: 130,
  surfaceM2PerKg: 0.045,
  /** Cell specific heat ≈1.0–1.1 kJ/(kg·K): Forgez et al., J. Power Sources 195 (2010) 2961. */
  specificHeatJPerKgK: 1050,
  /** Free convection of gases 2–25 W/(m²·K), forced 25–250 (Incropera, Fundamentals of Heat and
   * Mass Transfer, Table 1.1): racked modules in a still enclosure vs forced air. */
  passiveHWPerM2K: 5,
  activeHWPerM2K: 30,
  /** Conditioned-enclosure air temperature with active cooling (HVAC set point, domain notes: "conditioned enclosure ~25 °C"). */
  activeSetPointC: 25,
} as const;

/**
 * First-life duty assumed when inferring a module's individual ageing factor. These are
 * modelling assumptions, not published constants: EV daily trips use a shallow slice of a
 * mid-SOC window at low average C-rate; a 24 kWh pack driven 15 000 km/yr at 0.17 kWh/km sees
 * ≈106 equivalent full cycles a year (used only when the module's age is unknown).
 */
export const EV_FIRST_LIFE = {
  depthOfDischarge: 0.5,
  socMin: 0.3,
  socMax: 0.8,
  cRate: 0.3,
  efcPerYear: 106,
} as const;
