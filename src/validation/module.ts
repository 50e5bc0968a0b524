/**
 * Checks of a retired module's inputs beyond their ranges: values that are inside the ranges but
 * look like the wrong unit. They are refused with the likely mistake named, unless the caller
 * says they are meant (`allowSuspectUnits`).
 */
import { MODULE_RANGES } from '../twin/validate.js';
import type { Chemistry, ModuleState } from '../twin/types.js';

export { MODULE_RANGES };

/**
 * SOH at or below this is read as a fraction (0.716 for 71.6 %): no module is retired, tested and
 * shipped at 1.5 % of its nameplate, and 1.0 (a fresh module written as a fraction) is caught.
 */
export const SOH_FRACTION_MAX_PERCENT = 1.5;

/**
 * Lowest DC resistance × capacity of one Li-ion cell, mΩ·Ah. The product is the usual figure of
 * merit because resistance falls as capacity (electrode area) grows (batterydesign.net, "Cell
 * Resistance Metric"). Energy cells sit at 50–120 mΩ·Ah: Winston 100 Ah prismatic LFP < 0.6 mΩ,
 * 300 Ah < 0.4 mΩ (manufacturer data quoted by taoperf.com, "Internal resistance is your enemy",
 * 2020); the 25 Ah NMC pouch of the demo fleet at 2.0 mΩ (src/twin/synthetic-fleet.ts) is 50.
 * 5 mΩ·Ah is a tenth of that, below high-power cells too, and 10–25 times above what the same
 * modules give when written in ohms (0.05 × 25 Ah = 1.25 mΩ·Ah for the demo cell).
 */
export const CELL_RESISTANCE_CAPACITY_FLOOR_MOHM_AH = 5;

/** Highest nominal cell voltage of the chemistries (LMO 3.8 V; NMC 3.6–3.7, NCA 3.6, LFP 3.2). */
export const MAX_CELL_NOMINAL_VOLTAGE_V: Record<Chemistry, number> = { NMC: 3.7, NCA: 3.6, LFP: 3.3, LMO: 3.8 };

/**
 * The lowest DC resistance a module of this nameplate can have, mΩ. A module of s cells in series
 * and p in parallel has R = s·R_cell/p and C = p·C_cell, so R·C = s·(R_cell·C_cell) whatever p is:
 * R_min = s_min × floor / C with s_min = ⌊V / V_cell⌋ (at least 1), interconnects neglected (they
 * only add). Valid for Li-ion modules and packs; not for single cells below one cell voltage.
 */
export function resistanceFloorMilliohm(m: Pick<ModuleState, 'chemistry' | 'nominalCapacityAh' | 'nominalVoltageV'>): number {
  const cellV = MAX_CELL_NOMINAL_VOLTAGE_V[m.chemistry] ?? 3.8;
  const seriesMin = Math.max(1, Math.floor(m.nominalVoltageV / cellV));
  return (seriesMin * CELL_RESISTANCE_CAPACITY_FLOOR_MOHM_AH) / m.nominalCapacityAh;
}

export interface SuspectValue {
  field: 'sohPercent' | 'internalResistanceMilliohm';
  value: number;
  message: string;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Values of a module that look like the wrong unit, with the likely mistake. */
export function suspectUnits(m: Pick<ModuleState, 'chemistry' | 'nominalCapacityAh' | 'nominalVoltageV' | 'sohPercent' | 'internalResistanceMilliohm'>): SuspectValue[] {
  const out: SuspectValue[] = [];
  if (m.sohPercent <= SOH_FRACTION_MAX_PERCENT) {
    out.push({
      field: 'sohPercent',
      value: m.sohPercent,
      message: `${m.sohPercent} % looks like a fraction: ${m.sohPercent} is ${round(m.sohPercent * 100, 4)} %; write percent (SOH at or below ${SOH_FRACTION_MAX_PERCENT} % is refused unless allowed)`,
    });
  }
  const floor = resistanceFloorMilliohm(m);
  if (m.internalResistanceMilliohm < floor) {
    out.push({
      field: 'internalResistanceMilliohm',
      value: m.internalResistanceMilliohm,
      message:
        `${m.internalResistanceMilliohm} mΩ is below the ${round(floor, 3)} mΩ a ${m.nominalVoltageV} V ${m.nominalCapacityAh} Ah ${m.chemistry} module can have; ` +
        `ohms instead of milliohms? ${m.internalResistanceMilliohm} Ω = ${round(m.internalResistanceMilliohm * 1000, 6)} mΩ`,
    });
  }
  return out;
}
