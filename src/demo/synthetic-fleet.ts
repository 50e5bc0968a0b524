/**
 * The synthetic retired-module generator of the reference paper (§3A "Battery Data Generation"):
 * SOH 55–80 %, with internal resistance, first-life temperature range and cycle count correlated
 * the way ageing makes them, and a sub-population of thermally stressed, fast-ageing modules.
 * Pure and seeded (its own PRNG): the same (size, seed, options) always gives the same fleet.
 *
 * Generative story, per module:
 *  1. stressed? (probability `stressedFraction`; the paper says "some batteries … accelerated
 *     aging due to higher thermal exposure or irregular usage" without a share: 20 % assumed).
 *  2. first-life cell temperature range: normal modules 18–28 °C at the bottom with a 7–12 K
 *     spread, stressed ones 28–36 °C with a 12–16 K spread (paper Table 3: B2 30–45, B4 35–50).
 *  3. SOH uniform in [sohMinPercent, sohMaxPercent] (paper: 55–80 %).
 *  4. Cycle count from the capacity loss by inverting a cycling-fade law
 *     loss = A · kT · EFC^z, z = 0.778 (cycling EFC exponent q4 of the NMC/Gr fit of Smith et al.,
 *     Proc. ACC 2017, as in NREL BLAST-Lite), kT = exp(Ea/R · (1/298.15 − 1/T_mean)) with
 *     Ea/R = 18.4 · 308.15 K (the same fit's cycling Arrhenius term q3_1 on T/308.15 K).
 *     A is set so that a 25 °C module loses 20 % at N80 EFC, N80 log-normal, median 1300 EFC,
 *     σ_ln 0.15 (Table 3 puts 80 % SOH at 1000 cycles and 58 % at 1800); stressed modules also
 *     fade 1.2–1.8× faster for the same temperature ("irregular usage": fast charge, high C).
 *     Hot, stressed modules thus reach the same SOH in fewer cycles.
 *  5. Resistance R = R_bol · (1 + g · loss/20 %), g ~ N(1.0, 0.15) (≈ doubling by 80 % SOH;
 *     Table 3: 40 mΩ at 80 % → 70 mΩ at 58 %), stressed modules g × 1.3 (heat accelerates SEI
 *     growth, the main resistance mechanism). R_bol from the module spec ± 5 %.
 *  6. Age: years = EFC / (EFC per year), 150–250 EFC/yr for EV duty (≈ 15 000–25 000 km/yr at
 *     ~100 km per full cycle), clamped to at least 1 year.
 * Numbers are rounded to what a test bench reports (SOH 0.1 %, R 0.1 mΩ, T 1 °C, whole cycles).
 */
import type { Chemistry, ModuleState } from '../twin/types.js';

/** Nameplate of the module types the generator draws. */
export interface ModuleSpec {
  chemistry: Chemistry;
  nominalCapacityAh: number;
  nominalVoltageV: number;
  /** DC resistance of the fresh module. */
  resistanceBolMilliohm: number;
  /** Share of the fleet of this type (weights, normalised). */
  weight: number;
}

/**
 * Default module: NMC pouch, 16s2p of 25 Ah cells → 50 Ah, 16 × 3.7 V = 59.2 V, 2.96 kWh. Fresh
 * DC resistance 16 cells × 2.0 mΩ / 2 parallel + ~3 mΩ interconnects ≈ 19 mΩ, chosen so that
 * the Table 3 values (40 mΩ at 80 % SOH) sit on the resistance-growth line of step 5.
 */
export const PAPER_MODULE_SPEC: ModuleSpec = {
  chemistry: 'NMC',
  nominalCapacityAh: 50,
  nominalVoltageV: 59.2,
  resistanceBolMilliohm: 19,
  weight: 1,
};

export interface SyntheticFleetOptions {
  size: number;
  seed: number;
  /** Serial = prefix + running number from `firstIndex` (default "M", 1). */
  serialPrefix?: string;
  firstIndex?: number;
  sohMinPercent?: number;
  sohMaxPercent?: number;
  stressedFraction?: number;
  specs?: ModuleSpec[];
}

/** The generator's own PRNG: sfc32 (Chris Doty-Humphrey's small fast counter), 32-bit state words. */
export function createRng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = (seed >>> 0) ^ 0xdeadbeef;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

function normal(rng: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const uniform = (rng: () => number, lo: number, hi: number) => lo + (hi - lo) * rng();
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Cycling EFC exponent z (Smith et al. 2017, BLAST-Lite NMC111 q4). */
export const CYCLE_EXPONENT = 0.778;
/** Ea/R of cycling fade, K: q3_1 = −18.4 on T/308.15 K (Smith et al. 2017). */
export const CYCLE_ARRHENIUS_K = 18.4 * 308.15;
/** Median EFC to 80 % SOH at 25 °C (assumption anchored on Table 3: 1000–1200 cycles near 80 %). */
export const MEDIAN_EFC_TO_80 = 1300;

/** Relative cycling fade rate at a mean cell temperature, 1 at 25 °C. */
export function thermalAcceleration(meanTemperatureC: number): number {
  return Math.exp(CYCLE_ARRHENIUS_K * (1 / 298.15 - 1 / (meanTemperatureC + 273.15)));
}

function pickSpec(specs: readonly ModuleSpec[], rng: () => number): ModuleSpec {
  const total = specs.reduce((s, x) => s + x.weight, 0);
  let r = rng() * total;
  for (const s of specs) {
    r -= s.weight;
    if (r < 0) return s;
  }
  return specs[specs.length - 1];
}

export function generateSyntheticFleet(options: SyntheticFleetOptions): ModuleState[] {
  const {
    size,
    seed,
    serialPrefix = 'M',
    firstIndex = 1,
    sohMinPercent = 55,
    sohMaxPercent = 80,
    stressedFraction = 0.2,
    specs = [PAPER_MODULE_SPEC],
  } = options;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (!(sohMinPercent >= 0 && sohMinPercent < sohMaxPercent && sohMaxPercent <= 100)) {
    throw new RangeError(`need 0 ≤ sohMinPercent < sohMaxPercent ≤ 100, got ${sohMinPercent}–${sohMaxPercent}`);
  }
  if (!(stressedFraction >= 0 && stressedFraction <= 1)) throw new RangeError(`stressedFraction must be in [0, 1], got ${stressedFraction}`);
  if (specs.length === 0 || specs.some((s) => !(s.weight >= 0)) || specs.every((s) => s.weight === 0)) {
    throw new RangeError('specs need at least one positive weight');
  }
  const rng = createRng(seed);
  const out: ModuleState[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const spec = pickSpec(specs, rng);
    const stressed = rng() < stressedFraction;

    const tMinC = stressed ? uniform(rng, 28, 36) : uniform(rng, 18, 28);
    const spreadK = stressed ? uniform(rng, 12, 16) : uniform(rng, 7, 12);
    const temperatureMinC = Math.round(tMinC);
    const temperatureMaxC = Math.round(tMinC + spreadK);
    const meanC = (temperatureMinC + temperatureMaxC) / 2;

    const sohPercent = round1(uniform(rng, sohMinPercent, sohMaxPercent));
    const lossPercent = 100 - sohPercent;
    const efcTo80 = MEDIAN_EFC_TO_80 * Math.exp(0.15 * normal(rng));
    const usageFactor = stressed ? uniform(rng, 1.2, 1.8) : 1;
    const prefactor = 20 / efcTo80 ** CYCLE_EXPONENT;
    const efc = (lossPercent / (prefactor * thermalAcceleration(meanC) * usageFactor)) ** (1 / CYCLE_EXPONENT);
    const cycleCount = Math.max(1, Math.round(efc));

    const growth = Math.max(0.3, 1 + 0.15 * normal(rng)) * (stressed ? 1.3 : 1);
    const rBol = spec.resistanceBolMilliohm * (1 + 0.05 * normal(rng));
    const internalResistanceMilliohm = round1(rBol * (1 + (growth * lossPercent) / 20));

    const efcPerYear = uniform(rng, 150, 250);
    const ageYears = round1(Math.max(1, cycleCount / efcPerYear));

    out[i] = {
      serial: `${serialPrefix}${firstIndex + i}`,
      chemistry: spec.chemistry,
      nominalCapacityAh: spec.nominalCapacityAh,
      nominalVoltageV: spec.nominalVoltageV,
      sohPercent,
      internalResistanceMilliohm,
      temperatureMinC,
      temperatureMaxC,
      cycleCount,
      manufacturer: null,
      ageYears,
    };
  }
  return out;
}

/** Table 3 of the reference paper, verbatim (SOH, resistance, temperature range, cycle count). */
export const PAPER_TABLE_3: readonly ModuleState[] = (
  [
    ['B1', 78, 45, 25, 35, 1200],
    ['B2', 65, 60, 30, 45, 1500],
    ['B3', 72, 50, 20, 30, 1100],
    ['B4', 58, 70, 35, 50, 1800],
    ['B5', 80, 40, 25, 32, 1000],
  ] as const
).map(([serial, sohPercent, internalResistanceMilliohm, temperatureMinC, temperatureMaxC, cycleCount]) => ({
  serial,
  chemistry: PAPER_MODULE_SPEC.chemistry,
  nominalCapacityAh: PAPER_MODULE_SPEC.nominalCapacityAh,
  nominalVoltageV: PAPER_MODULE_SPEC.nominalVoltageV,
  sohPercent,
  internalResistanceMilliohm,
  temperatureMinC,
  temperatureMaxC,
  cycleCount,
  // The paper gives no age or maker for these rows.
  manufacturer: null,
  ageYears: null,
}));

export const PAPER_FLEET_NAME = 'paper-120';
export const PAPER_FLEET_SEED = 120;

/** The demo fleet: Table 3's B1–B5 verbatim, then B6–B120 from the generator (seed 120). */
export function paperFleet(): ModuleState[] {
  return [...PAPER_TABLE_3, ...generateSyntheticFleet({ size: 115, seed: PAPER_FLEET_SEED, serialPrefix: 'B', firstIndex: 6 })];
}
