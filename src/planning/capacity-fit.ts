/**
 * Capacities that fit the fleet being planned. An application's capacity is configured in kWh,
 * or as a share of the usable energy of the fleet eligible for it; here shares become kWh, and
 * the planner is warned when the capacities leave most of the eligible energy undeployed (a
 * 145 kWh catalogue sized for 120 modules, run on 20 000).
 *
 * "Eligible" is the acceptance screening of the twin's applications (SOH ≥ minimum, resistance
 * ≤ maximum, first-life maximum temperature ≤ the cell limit: `passesScreening`); usable energy
 * is nameplate Ah × V × SOH. Modules screened in may still be infeasible over their projected life,
 * so the eligible energy is an upper bound of what an application could take.
 */
import { passesScreening } from '../twin/requirements.js';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { ConfiguredApplication } from '../validation/application.js';

/** Warn when the capacities can deploy less than this share of the energy eligible anywhere. */
export const UNDEPLOYED_WARNING_SHARE = 0.5;

export interface CapacityFit {
  applicationId: string;
  name: string;
  /** Usable energy of the modules passing this application's screening, kWh. */
  eligibleEnergyKwh: number;
  /** The capacity the run uses, kWh. */
  capacityKwh: number;
  /** As configured: a share (percent of eligible energy) or null for a fixed kWh capacity. */
  configuredSharePercent: number | null;
}

export interface CapacityFitResult {
  /** The applications with `capacityLimitKwh` fixed for this fleet. */
  applications: ApplicationSpec[];
  fits: CapacityFit[];
  /** Usable energy of the modules eligible for at least one application, kWh. */
  fleetEligibleEnergyKwh: number;
  /** Σ capacities, kWh. */
  totalCapacityKwh: number;
  warnings: string[];
}

const usableKwh = (m: Pick<ModuleState, 'nominalCapacityAh' | 'nominalVoltageV' | 'sohPercent'>) => (m.nominalCapacityAh * m.nominalVoltageV * m.sohPercent) / 100 / 1000;
const kwh = (x: number) => `${x.toFixed(1)} kWh`;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function fitCapacities(modules: readonly ModuleState[], apps: readonly ConfiguredApplication[]): CapacityFitResult {
  const eligible = new Float64Array(apps.length);
  let anywhere = 0;
  for (const m of modules) {
    const e = usableKwh(m);
    let any = false;
    for (let a = 0; a < apps.length; a++) {
      if (passesScreening(m, apps[a]!)) {
        eligible[a]! += e;
        any = true;
      }
    }
    if (any) anywhere += e;
  }
  const warnings: string[] = [];
  const fits: CapacityFit[] = apps.map((a, i) => {
    const share = a.capacitySharePercent ?? null;
    const capacityKwh = share != null ? (share / 100) * eligible[i]! : a.capacityLimitKwh;
    return { applicationId: a.id, name: a.name, eligibleEnergyKwh: eligible[i]!, capacityKwh, configuredSharePercent: share };
  });
  const total = fits.reduce((s, f) => s + f.capacityKwh, 0);
  for (const f of fits) {
    if (f.eligibleEnergyKwh === 0) warnings.push(`${f.name}: no module of this fleet passes its screening (minimum SOH, maximum resistance, maximum cell temperature); it will get nothing`);
    else if (f.configuredSharePercent == null && f.capacityKwh > f.eligibleEnergyKwh) {
      warnings.push(`${f.name}: capacity ${kwh(f.capacityKwh)} is more than the ${kwh(f.eligibleEnergyKwh)} eligible for it; it cannot be filled`);
    }
  }
  if (anywhere > 0 && Math.min(total, anywhere) < UNDEPLOYED_WARNING_SHARE * anywhere) {
    const perApp = fits.map((f) => `${f.name} ${kwh(f.capacityKwh)} of ${kwh(f.eligibleEnergyKwh)} eligible`).join(', ');
    warnings.push(
      `capacity leaves most eligible energy undeployed: the applications take at most ${kwh(total)} of the ${kwh(anywhere)} eligible in this fleet (${pct(total / anywhere)}), ` +
        `so at least ${pct(1 - total / anywhere)} of it is recycled (${perApp}); raise capacityLimitKwh or give capacitySharePercent`,
    );
  }
  return {
    applications: apps.map((a, i) => {
      const { capacitySharePercent: _share, ...spec } = a;
      return { ...spec, capacityLimitKwh: fits[i]!.capacityKwh };
    }),
    fits,
    fleetEligibleEnergyKwh: anywhere,
    totalCapacityKwh: total,
    warnings,
  };
}
