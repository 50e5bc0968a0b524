/**
 * The four default second-life applications seeded on first start. Duty profiles follow the
 * typical duties in docs/domain.md and the sources cited per value; requirements are screening
 * thresholds (a module outside them is not deployed there); economics are order-of-magnitude
 * figures, cited, for the cost/value objectives — change them per project through the API.
 *
 * Capacity limits (kWh of deployed usable energy, nameplate Ah × V × SOH) are set so that the
 * capacities BIND for the demo fleet `paper-120`: all 120 modules pass the backup screening, so
 * 241.5 kWh are eligible for at least one application; the four limits add up to 145 kWh (60 %
 * of it), so about 40 % of the fleet's energy cannot be placed anywhere. The 145 kWh are split
 * by what each application could take: grid 35 (of 101.7 kWh eligible, 34 %), solar 45 (of
 * 157.0, 29 %), backup 35 (of 241.5, 14 %), microgrid 30 (of 153.2, 20 %), "eligible" meaning
 * SOH ≥ min, resistance ≤ max and first-life max temperature ≤ max cell temperature. So no
 * application can take every module eligible for it either. test/db/seed.test.ts recomputes
 * these figures from the generated fleet and fails if a limit stops binding.
 */
import type { ApplicationSpec } from '../twin/types.js';

export type DefaultApplication = Omit<ApplicationSpec, 'id'>;

export const DEFAULT_APPLICATIONS: readonly DefaultApplication[] = [
  {
    name: 'Grid storage',
    kind: 'GRID',
    duty: {
      // Peak shaving + frequency support: 1–2 equivalent cycles/day, shallow, 0.5–1C, in a
      // conditioned container (docs/domain.md; EPRI/Sandia DOE-EPRI Electricity Storage Handbook,
      // SAND2015-1002, frequency regulation / peak shaving use cases).
      cyclesPerDay: 1.5,
      depthOfDischarge: 0.6,
      cRate: 0.75,
      socMinPercent: 20,
      socMaxPercent: 80,
      ambientTemperatureC: 25,
      seasonalSwingC: 3,
      // Two-peak arbitrage day of a grid with much solar ("duck curve"): charge at night and at the
      // midday solar surplus, discharge into the morning and evening peaks (Denholm, O'Connell,
      // Brinkman, Jorgenson, NREL/TP-6A20-65023, 2015, Figs. 1 and 11). 0.9 EFC/day = 1.5 × 0.6.
      socProfile: {
        points: [{ hour: 0, socPercent: 20 }, { hour: 1, socPercent: 20 }, { hour: 4, socPercent: 80 }, { hour: 6, socPercent: 80 }, { hour: 8, socPercent: 50 }, { hour: 10, socPercent: 50 }, { hour: 13, socPercent: 80 }, { hour: 17, socPercent: 80 }, { hour: 21, socPercent: 20 }, { hour: 24, socPercent: 20 }],
        source: 'two-peak arbitrage, NREL/TP-6A20-65023 (2015)',
      },
    },
    requirements: {
      // Paper §4.1: the static rule sends modules above 70 % SOH to grid storage.
      minSohPercent: 70,
      maxResistanceMilliohm: 55,
      // NMC/LFP datasheets rate discharge up to 55–60 °C; grid operators derate to ~45 °C.
      maxCellTemperatureC: 45,
      minServiceYears: 5,
      endOfLifeSohPercent: 60,
    },
    capacityLimitKwh: 35,
    economics: {
      // Repurposing (test, sort, re-house) ≈ $20/kWh nameplate: Neubauer et al., NREL/TP-5400-63332
      // (2015), applied to a 2.96 kWh module → $60.
      repurposingCostUsdPerModule: 60,
      // Balance of system for a containerised second-life system, NREL/TP-5400-63332 (2015) range.
      integrationCostUsdPerKwh: 150,
      // Peak-shaving / wholesale value, Lazard LCOS 2023 (front-of-meter, $/MWh order of magnitude).
      valueUsdPerMwh: 120,
    },
    envelopes: [
      { name: 'standard', description: 'SOC 20–80 %, forced-air cooled container', socMinPercent: 20, socMaxPercent: 80, dodFactor: 1, activeCooling: true },
      { name: 'gentle', description: 'SOC 30–70 %, DoD capped at 80 %, forced-air cooled', socMinPercent: 30, socMaxPercent: 70, dodFactor: 0.8, activeCooling: true },
      { name: 'passive', description: 'SOC 20–80 %, natural convection only', socMinPercent: 20, socMaxPercent: 80, dodFactor: 1, activeCooling: false },
    ],
  },
  {
    name: 'Solar storage',
    kind: 'SOLAR',
    duty: {
      // PV self-consumption: ~1 cycle/day, 70–90 % DoD, 0.3–0.5C, ambient 25–35 °C
      // (docs/domain.md; Weniger, Tjaden, Quaschning, Energy Procedia 46 (2014) 78).
      cyclesPerDay: 1,
      depthOfDischarge: 0.8,
      cRate: 0.4,
      socMinPercent: 10,
      socMaxPercent: 90,
      ambientTemperatureC: 30,
      seasonalSwingC: 8,
      // PV self-consumption: charged by the PV surplus from morning to mid-afternoon, full until the
      // evening, discharged into the evening and night load, empty until the next morning (Weniger,
      // Tjaden, Quaschning, Energy Procedia 46 (2014) 78, Fig. 3). 0.8 EFC/day.
      socProfile: {
        points: [{ hour: 0, socPercent: 10 }, { hour: 8, socPercent: 10 }, { hour: 15, socPercent: 90 }, { hour: 18, socPercent: 90 }, { hour: 24, socPercent: 10 }],
        source: 'PV self-consumption day, Weniger et al. 2014',
      },
    },
    requirements: {
      minSohPercent: 65,
      maxResistanceMilliohm: 65,
      maxCellTemperatureC: 50,
      minServiceYears: 5,
      endOfLifeSohPercent: 55,
    },
    capacityLimitKwh: 45,
    economics: {
      repurposingCostUsdPerModule: 60,
      // Residential inverter + enclosure share per kWh (NREL/TP-5400-63332, 2015, residential case).
      integrationCostUsdPerKwh: 200,
      // Retail tariff minus feed-in tariff avoided per MWh shifted (order of magnitude, EU/US 2023).
      valueUsdPerMwh: 150,
    },
    envelopes: [
      { name: 'deep', description: 'SOC 10–90 %, passive enclosure', socMinPercent: 10, socMaxPercent: 90, dodFactor: 1, activeCooling: false },
      { name: 'moderate', description: 'SOC 20–80 %, DoD capped at 85 %, passive', socMinPercent: 20, socMaxPercent: 80, dodFactor: 0.85, activeCooling: false },
      { name: 'cooled', description: 'SOC 20–80 %, fan-cooled cabinet', socMinPercent: 20, socMaxPercent: 80, dodFactor: 1, activeCooling: true },
    ],
  },
  {
    name: 'Residential backup',
    kind: 'BACKUP',
    duty: {
      // A few dozen outages/tests a year (36 → 0.1/day), held at high SOC otherwise
      // (docs/domain.md; IEEE 1188/IEEE 485 standby duty of stationary batteries).
      cyclesPerDay: 0.1,
      depthOfDischarge: 0.8,
      cRate: 0.5,
      socMinPercent: 20,
      socMaxPercent: 100,
      ambientTemperatureC: 22,
      seasonalSwingC: 10,
      // Float: held charged at the top of the window around the clock, the rare outage or test
      // aside (IEEE 1188-2005 / IEEE 485-2010 standby duty).
      socProfile: {
        timeAtSoc: [{ socPercent: 100, hours: 24 }],
        source: 'float charge, IEEE 1188 / IEEE 485 standby duty',
      },
    },
    requirements: {
      // Paper §4.1: lower-SOH modules go to backup; 55 % is the paper's lower SOH bound.
      minSohPercent: 55,
      maxResistanceMilliohm: 80,
      maxCellTemperatureC: 55,
      minServiceYears: 3,
      endOfLifeSohPercent: 50,
    },
    capacityLimitKwh: 35,
    economics: {
      repurposingCostUsdPerModule: 60,
      integrationCostUsdPerKwh: 180,
      // Few MWh delivered but each covers an outage: value of lost load for households is
      // $5–25/kWh (LBNL ICE calculator, Sullivan et al. 2015); $500/MWh is a deliberately low pick.
      valueUsdPerMwh: 500,
    },
    envelopes: [
      { name: 'float-full', description: 'held at 100 % SOC, passive', socMinPercent: 20, socMaxPercent: 100, dodFactor: 1, activeCooling: false },
      { name: 'float-85', description: 'held at 85 % SOC (less calendar ageing, less energy), passive', socMinPercent: 20, socMaxPercent: 85, dodFactor: 1, activeCooling: false },
    ],
  },
  {
    name: 'Rural microgrid',
    kind: 'MICROGRID',
    duty: {
      // 1–1.5 cycles/day at ~80 % DoD and 0.5C, hot ambient up to 40–45 °C with little cooling
      // (docs/domain.md; IRENA "Off-grid renewable energy systems" 2015 for solar-diesel minigrids).
      cyclesPerDay: 1.25,
      depthOfDischarge: 0.8,
      cRate: 0.5,
      socMinPercent: 10,
      socMaxPercent: 90,
      ambientTemperatureC: 35,
      seasonalSwingC: 7,
      // Solar-diesel minigrid: night load drains the battery to its floor, PV fills it by early
      // afternoon (then curtailed), the evening peak draws it down, a generator run tops it up and
      // the night begins (IRENA, Off-grid renewable energy systems, 2015, dispatch of PV-diesel-
      // battery hybrids). 1.0 EFC/day = 1.25 × 0.8.
      socProfile: {
        points: [{ hour: 0, socPercent: 35 }, { hour: 6, socPercent: 10 }, { hour: 7, socPercent: 10 }, { hour: 13, socPercent: 90 }, { hour: 17, socPercent: 90 }, { hour: 20, socPercent: 50 }, { hour: 21, socPercent: 70 }, { hour: 24, socPercent: 35 }],
        source: 'PV-diesel minigrid day, IRENA 2015',
      },
    },
    requirements: {
      minSohPercent: 65,
      maxResistanceMilliohm: 60,
      maxCellTemperatureC: 55,
      minServiceYears: 4,
      endOfLifeSohPercent: 55,
    },
    capacityLimitKwh: 30,
    economics: {
      repurposingCostUsdPerModule: 60,
      integrationCostUsdPerKwh: 220,
      // Displaced diesel generation, $0.3–0.4/kWh off-grid (IRENA 2015).
      valueUsdPerMwh: 300,
    },
    envelopes: [
      { name: 'deep-passive', description: 'SOC 10–90 %, shaded shelter, no cooling', socMinPercent: 10, socMaxPercent: 90, dodFactor: 1, activeCooling: false },
      { name: 'shallow-passive', description: 'SOC 25–80 %, DoD capped at 80 %, no cooling', socMinPercent: 25, socMaxPercent: 80, dodFactor: 0.8, activeCooling: false },
      { name: 'cooled', description: 'SOC 10–90 %, solar-powered fan cooling', socMinPercent: 10, socMaxPercent: 90, dodFactor: 1, activeCooling: true },
    ],
  },
];


/** The four defaults with stable ids (lower-case kind), as the command line uses them without an applications file. */
export function defaultApplications(): (ApplicationSpec & { capacitySharePercent?: number | null })[] {
  return DEFAULT_APPLICATIONS.map((a) => ({
    ...a,
    id: a.kind.toLowerCase(),
    envelopes: a.envelopes.map((e) => ({ ...e })),
  }));
}
