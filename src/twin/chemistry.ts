/**
 * Chemistry parameter sets of the cell-level fade models and the module-level electro-thermal
 * constants. Fade models are NREL BLAST-Lite's fitted commercial-cell models, transcribed from
 * the published equations (github.com/NREL/BLAST-Lite, `blast/models/`), not from its code:
 *
 *  - NMC/graphite: Kokam 75 Ah NMC111 pouch, Smith, Saxon, Keyser, Lundstrom, Cao, Roc, "Life
 *    prediction model for grid-connected Li-ion battery energy storage system", Proc. ACC 2017,
 *    pp. 4062–4068, doi:10.23919/ACC.2017.7963578 (BLAST-Lite `Nmc111_Gr_Kokam75Ah_Battery`).
 *    Calendar LLI ∝ t^q2 with Arrhenius + Tafel (anode potential) stress, cycling LLI ∝ EFC^q4
 *    with Arrhenius + DoD stress, and LAM as a sigmoid in EFC (the accelerating "knee").
 *    Valid 0–45 °C cycling, DoD 0.8–1, ≤1C. No C-rate term (a limitation of the data); C-rate
 *    reaches it only through self-heating in our thermal model.
 *  - LFP/graphite: Sony-Murata US26650FTC1 3 Ah, calendar data Naumann et al., J. Energy
 *    Storage 17 (2018) 153, doi:10.1016/j.est.2018.01.019; cycle data Naumann et al., J. Power
 *    Sources 451 (2020) 227666, doi:10.1016/j.jpowsour.2019.227666; model identification Gasper
 *    et al., J. Electrochem. Soc. 169 (2022) 080518, doi:10.1149/1945-7111/ac86a8 (BLAST-Lite
 *    `Lfp_Gr_SonyMurata3Ah_Battery`). Calendar loss is a sigmoid in time whose extent and shape
 *    depend on temperature and anode potential; cycling loss (q5·EFC)^q6 with DoD and C-rate
 *    stress; resistance grows linearly (Naumann's fits). Cycling fade has no temperature term
 *    (cycling was only done at 25 and 45 °C): heat reaches LFP through calendar ageing only.
 *
 * Why these: they are public, fitted to lab data of commercial cells, carry all four stressors
 * the issue names between them (temperature, SOC, DoD, C-rate), include resistance growth, and
 * are written in the stressors → rates → states → outputs form our kernel keeps. Xu et al. 2018
 * lacks resistance; Wang et al. 2011 is LFP-only and Ah-throughput-only.
 *
 * NCA and LMO modules use the NMC (layered-oxide) set as a proxy — flagged in `chemistryModel`.
 */
import type { Chemistry } from './types.js';

/** NMC111/Gr Kokam 75 Ah, Smith et al. 2017 (BLAST-Lite parameter table `_params_life`). */
export const NMC_KOKAM = {
  q1_0: 2.66e7, // calendar LLI prefactor, 1/day^q2
  q1_1: -17.8, // Arrhenius term, on T/(308.15 K)
  q1_2: -5.21, // Tafel term on anode potential Ua/0.123 V
  q2: 0.357, // calendar time exponent
  q3_0: 3.8e3, // cycling LLI prefactor, 1/EFC^q4
  q3_1: -18.4, // Arrhenius term on T/(308.15 K)
  q3_2: 1.04, // DoD stress, exp(q3_2·exp(DoD²))
  q4: 0.778, // cycling EFC exponent
  q5_0: 1e4, // LAM sigmoid half-point, EFC
  q5_1: 153, // LAM half-point sensitivity to (T − 55 °C)·DoD·(SOC/0.6)
  pLam: 10, // LAM sigmoid steepness
  r1: 0.057, // calendar resistance growth relative to q1
  r2: 1.25, // calendar resistance time exponent
  r3: 4.87, // cycling resistance growth relative to q3
  r4: 0.712, // cycling resistance EFC exponent
  r5: -0.08, // LAM resistance: r = r5 + r6/q_LAM
  r6: 1.09,
  /** Normalisations used by the fit: T/(273.15 + 35) and Ua/0.123 V. */
  tRefK: 308.15,
  uaRefV: 0.123,
  /** Initial active-material margin q_LAM(0) = 1.01. */
  lamMargin: 1.01,
} as const;

/** LFP/Gr Sony-Murata 3 Ah, Naumann et al. 2018/2020, Gasper et al. 2022 (BLAST-Lite `_params_life`). */
export const LFP_SONY_MURATA = {
  q2: 0.000130510034211874, // calendar sigmoid rate, 1/day
  q1_b0: 0.98968715129359, // calendar sigmoid extent y∞ = b0·exp(b1·√Ua/T²)·exp(b2·√Ua/T)
  q1_b1: -2881067.56019324,
  q1_b2: 8742.06309157261,
  q3_b0: 0.000332850281062177, // calendar sigmoid exponent p(T, Ua)
  q3_b1: 734553185711.369,
  q3_b2: -2.8216157562078e-6,
  q3_b3: -3284991315.45121,
  q3_b4: 0.0012722759365729,
  q5_b0: -6.81260579372875e-6, // cycling rate q5 = |b0 + b1·DoD + b2·exp(DoD²·C³)|, 1/EFC
  q5_b1: 2.59615973160844e-5,
  q5_b2: 2.11559710307295e-6,
  q6: 1.12847759334355, // cycling exponent, loss = (q5·EFC)^q6
  minFitDod: 0.8, // lowest DoD of the cycling tests (BLAST-Lite experimental_range)
  q7_b0: 0.582258029148225, // break-in extent (only above 3 EFC/day)
  q7_socSkew: 0.0583128906965484,
  q7_socWidth: 0.208738181522897,
  q7_dodSkew: -3.80744333129564,
  q7_dodWidth: 1.1612626042821,
  q7_dodGrowth: 25.4130804598602,
  q8: 0.00303553871631028, // break-in sigmoid rate, 1/EFC
  q9: 1.43752162947637, // break-in sigmoid exponent
  breakInMinEfcPerDay: 3,
  kRefRCal: 3.4194e-10, // calendar resistance growth at 25 °C, 1/s (Naumann 2018)
  eaRCalJPerMol: 71827,
  cRCal: -3.3903, // SOC dependence C·(SOC − 0.5)³ + D
  dRCal: 1.5604,
  aRCyc: -0.002, // C-rate dependence A·C + B, per 100 EFC
  bRCyc: 0.0021,
  cRCyc: 6.8477, // DoD dependence C·(DoD − 0.5)³ + D
  dRCyc: 0.91882,
  tRefK: 298.15,
} as const;

/** Universal gas constant, J/(mol·K) (CODATA 2018). */
export const GAS_CONSTANT = 8.314462618;

/**
 * Graphite anode potential vs Li/Li+ as a function of cell SOC: Safari & Delacourt, J.
 * Electrochem. Soc. 158(5) A562 (2011), with the lithiation map x = 0.0085 + SOC·(0.78 − 0.0085)
 * used by BLAST-Lite.
 */
export function anodePotentialV(soc: number): number {
  const x = 8.5e-3 + soc * (0.78 - 8.5e-3);
  return (
    0.6379 +
    0.5416 * Math.exp(-305.5309 * x) +
    0.044 * Math.tanh(-(x - 0.1958) / 0.1088) -
    0.1978 * Math.tanh((x - 1.0571) / 0.0854) -
    0.6875 * Math.tanh((x + 0.0117) / 0.0529) -
    0.0175 * Math.tanh((x - 0.5692) / 0.0875)
  );
}

export type FadeModelId = 'NMC_KOKAM' | 'LFP_SONY_MURATA';

export interface ChemistryModel {
  fadeModel: FadeModelId;
  /** True when the chemistry borrows another chemistry's fitted model. */
  proxy: boolean;
}

export function chemistryModel(chemistry: Chemistry | string): ChemistryModel {
  switch (chemistry) {
    case 'NMC':
      return { fadeModel: 'NMC_KOKAM', proxy: false };
    case 'LFP':
      return { fadeModel: 'LFP_SONY_MURATA', proxy: false };
    case 'NCA':
    case 'LMO':
      return { fadeModel: 'NMC_KOKAM', proxy: true };
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
  /** Bounds on the inferred factor: a module cannot age 5× faster/slower than its model. */
  minAgeingFactor: 0.2,
  maxAgeingFactor: 5,
} as const;
