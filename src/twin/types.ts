/**
 * Shared domain types of the digital twin. Pure data: every other layer (db, schema, planning)
 * speaks in these shapes, so they carry units in their names.
 */

export const CHEMISTRIES = ['NMC', 'LFP', 'NCA', 'LMO'] as const;
export type Chemistry = (typeof CHEMISTRIES)[number];

/** A retired module as it arrives at the plant (one CSV row / one database row). */
export interface ModuleState {
  serial: string;
  chemistry: Chemistry;
  nominalCapacityAh: number;
  nominalVoltageV: number;
  /** Present full capacity / nameplate capacity, 0–100. */
  sohPercent: number;
  /** DC internal resistance of the whole module. */
  internalResistanceMilliohm: number;
  /** Range of cell temperatures seen in first life (BMS history). */
  temperatureMinC: number;
  temperatureMaxC: number;
  /** Equivalent full cycles in first life. */
  cycleCount: number;
  manufacturer?: string | null;
  ageYears?: number | null;
}

export const APPLICATION_KINDS = ['GRID', 'SOLAR', 'BACKUP', 'MICROGRID', 'CUSTOM'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** A point of a daily SOC profile: SOC is linear between points. */
export interface SocPoint {
  hour: number;
  socPercent: number;
}

/** Hours a day spent at one SOC. */
export interface SocDwell {
  socPercent: number;
  hours: number;
}

/**
 * The day of an application as the calendar ageing sees it: time-ordered points from hour 0 to 24
 * (SOC linear in between), or the hours spent at each SOC (adding up to 24). Given in the
 * application's own SOC window; an envelope keeps the top and scales the swing to its DoD.
 */
export interface DailySocProfile {
  points?: SocPoint[];
  timeAtSoc?: SocDwell[];
  /** Where the profile comes from. */
  source?: string;
}

/** How an application uses a battery, averaged over a year. */
export interface DutyProfile {
  cyclesPerDay: number;
  /** Depth of discharge of a typical cycle, fraction (0–1] of present capacity. */
  depthOfDischarge: number;
  cRate: number;
  /** SOC window the application operates in, percent. */
  socMinPercent: number;
  socMaxPercent: number;
  /** Mean ambient temperature and the ± amplitude of its seasonal (annual sine) swing. */
  ambientTemperatureC: number;
  seasonalSwingC: number;
  /**
   * ± amplitude of the daily swing of the ambient air, °C (a sine peaking at 15:00); default 0.
   * The cell follows it through its thermal time constant (thermal.ts `dailyAttenuation`); fade
   * rates are averaged over the day, jointly with the hour's SOC when the profile has hours, and
   * the afternoon peak counts against `maxCellTemperatureC`.
   */
  dailyTemperatureSwingC?: number;
  /** Time at SOC over a day; without it the time is spread evenly over the cycled window. */
  socProfile?: DailySocProfile | null;
}

export interface Requirements {
  /** Modules below this SOH at deployment are not accepted. */
  minSohPercent: number;
  /** Acceptance screening: modules above this resistance at deployment are not accepted. */
  maxResistanceMilliohm: number;
  /**
   * In-service power-fade limit: life ends when resistance grows past it. Distinct from the
   * acceptance threshold above (a module accepted at 50 mΩ against a 55 mΩ screen is not worn out
   * at 56 mΩ). Default: twice the acceptance threshold, see `endOfLifeResistanceMilliohm()` in
   * src/twin/requirements.ts.
   */
  endOfLifeResistanceMilliohm?: number;
  maxCellTemperatureC: number;
  /** The module must serve at least this long before reaching end of life. */
  minServiceYears: number;
  /** End of second life in this application (SOH at which the module is taken out). */
  endOfLifeSohPercent: number;
}

export interface Economics {
  repurposingCostUsdPerModule: number;
  integrationCostUsdPerKwh: number;
  /** Value of one MWh delivered (discharged) by the application. */
  valueUsdPerMwh: number;
}

/**
 * An operating choice within an application: a narrower SOC window / DoD cap and the cooling.
 * The SOC window also sets the usable energy that counts against the application's capacity.
 */
export interface Envelope {
  name: string;
  description: string;
  socMinPercent: number;
  socMaxPercent: number;
  /** DoD actually cycled = min(duty DoD, window width) × this factor (≤ 1). */
  dodFactor: number;
  /** Active cooling (forced air / liquid) vs passive (natural convection to the enclosure). */
  activeCooling: boolean;
}

export interface ApplicationSpec {
  id: string;
  name: string;
  kind: ApplicationKind;
  duty: DutyProfile;
  requirements: Requirements;
  /** Sum of deployed usable energy the application can take. */
  capacityLimitKwh: number;
  economics: Economics;
  envelopes: Envelope[];
}

export type RequirementCode =
  | 'MIN_SOH'
  | 'MAX_RESISTANCE'
  | 'MAX_TEMPERATURE'
  | 'MIN_SERVICE_YEARS'
  | 'CHEMISTRY';

export interface Violation {
  requirement: RequirementCode;
  reason: string;
}

/** What the twin predicts for one module under one application and envelope. */
export interface TwinSummary {
  usableEnergyKwh: number;
  rulYears: number;
  /** Why life ended: SOH reached end of life, resistance limit, thermal limit, or horizon. */
  endOfLifeReason: 'SOH' | 'RESISTANCE' | 'THERMAL' | 'HORIZON';
  fadePctPerYear: number;
  lifetimeEnergyMwh: number;
  peakTemperatureC: number;
  roundTripEfficiency: number;
  feasible: boolean;
  violations: Violation[];
}
