import type { ApplicationSpec, Requirements } from './types.js';

/**
 * Resistance growth that ends a module's service when an application does not set its own limit:
 * a doubling over the acceptance threshold. Doubled resistance is the usual power-fade end-of-life
 * convention in the ageing literature (e.g. the EOL definition "capacity 80 % or resistance 200 %"
 * used by Waag, Käbitz & Sauer, Applied Energy 102 (2013) 885, for automotive cells); it is a
 * convention, not a fitted value. The thermal limit still ends life earlier when the grown
 * resistance makes the module overheat at the application's current.
 */
export const DEFAULT_END_OF_LIFE_RESISTANCE_FACTOR = 2;

export function endOfLifeResistanceMilliohm(req: Requirements): number {
  return req.endOfLifeResistanceMilliohm ?? DEFAULT_END_OF_LIFE_RESISTANCE_FACTOR * req.maxResistanceMilliohm;
}

/** A module's first-life screening against an application (SOH, resistance, max temperature). */
export function passesScreening(
  m: { sohPercent: number; internalResistanceMilliohm: number; temperatureMaxC: number },
  a: Pick<ApplicationSpec, 'requirements'>,
): boolean {
  return (
    m.sohPercent >= a.requirements.minSohPercent &&
    m.internalResistanceMilliohm <= a.requirements.maxResistanceMilliohm &&
    m.temperatureMaxC <= a.requirements.maxCellTemperatureC
  );
}
