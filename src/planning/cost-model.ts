/**
 * Cost of deploying one module in one application under one envelope, in US dollars,
 * undiscounted over the module's service life there, relative to recycling it today (cost 0).
 *
 *   costUsd = repurposing (per module)
 *           + integration (per usable kWh)
 *           + thermal management (active cooling: capital per kWh + running cost per kWh·yr)
 *           + fixed O&M (per kWh·yr over the RUL)
 *           − value of the energy delivered (per MWh over the life)
 *
 * Negative cost = the deployment pays for itself. Recycling is the zero reference, so a plan that
 * recycles everything costs 0 and delivers 0 storage-years: any profitable deployment dominates
 * it on cost and storage-years, and the degradation objective scores an empty plan at the worst
 * value (EMPTY_PLAN_FADE_PCT_PER_YEAR), so it never sits on a front next to a plan that deploys.
 */
import type { ApplicationSpec, Envelope } from '../twin/types.js';

export interface CostAssumptions {
  /** Fixed O&M per year as a fraction of the integration capital cost per kWh. */
  fixedOmFractionPerYear: number;
  /** Capital cost of active cooling (HVAC / liquid loop) per usable kWh. */
  activeCoolingCapexUsdPerKwh: number;
  /** Running cost of active cooling per usable kWh per year of service (auxiliary electricity). */
  activeCoolingUsdPerKwhYear: number;
}

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  // NREL, Cole, Ramasamy & Turan (2023), "Cost Projections for Utility-Scale Battery Storage: 2023
  // Update", NREL/TP-6A40-85332, §2: fixed O&M taken as 2.5 % of the $/kWh capital cost per year.
  fixedOmFractionPerYear: 0.025,
  // Assumption (no primary source at hand): HVAC / liquid-loop hardware of a containerised BESS,
  // ~3–5 % of a ~$300/kWh installed system → $10/kWh. Override per study.
  activeCoolingCapexUsdPerKwh: 10,
  // Assumption: a ~15 kW HVAC load running all year per 4 MWh container (a commonly quoted
  // container figure) at $0.09/kWh → 15 × 8760 × 0.09 / 4000 ≈ $3 per usable kWh per year.
  activeCoolingUsdPerKwhYear: 3,
};

/** The figures of one twin-matrix entry that the cost depends on. */
export interface CostInputs {
  usableEnergyKwh: number;
  rulYears: number;
  lifetimeEnergyMwh: number;
}

export function deploymentCostUsd(
  app: ApplicationSpec,
  envelope: Pick<Envelope, 'activeCooling'> | undefined,
  twin: CostInputs,
  assumptions: CostAssumptions = DEFAULT_COST_ASSUMPTIONS,
): number {
  const e = app.economics;
  const kwh = twin.usableEnergyKwh;
  const years = twin.rulYears;
  const capital = e.repurposingCostUsdPerModule + e.integrationCostUsdPerKwh * kwh;
  const om = assumptions.fixedOmFractionPerYear * e.integrationCostUsdPerKwh * kwh * years;
  const cooling = envelope?.activeCooling
    ? assumptions.activeCoolingCapexUsdPerKwh * kwh + assumptions.activeCoolingUsdPerKwhYear * kwh * years
    : 0;
  const value = e.valueUsdPerMwh * twin.lifetimeEnergyMwh;
  return capital + om + cooling - value;
}
