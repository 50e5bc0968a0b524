/**
 * Hand-built inputs for the planning tests: applications and twin matrices filled from a seeded
 * PRNG (data, not mocks: the planner only ever reads these arrays).
 */
import { Random } from '../../src/solver/random.js';
import type { TwinMatrixLike } from '../../src/planning/allocation-types.js';
import type { ApplicationSpec, ModuleState } from '../../src/twin/types.js';

export function app(id: string, kind: ApplicationSpec['kind'], capacityLimitKwh: number, envelopes = 1, overrides: Partial<ApplicationSpec['economics']> = {}): ApplicationSpec {
  return {
    id,
    name: id,
    kind,
    duty: { cyclesPerDay: 1, depthOfDischarge: 0.8, cRate: 0.5, socMinPercent: 10, socMaxPercent: 90, ambientTemperatureC: 25, seasonalSwingC: 5 },
    requirements: { minSohPercent: 60, maxResistanceMilliohm: 80, maxCellTemperatureC: 50, minServiceYears: 2, endOfLifeSohPercent: 50 },
    capacityLimitKwh,
    economics: { repurposingCostUsdPerModule: 50, integrationCostUsdPerKwh: 100, valueUsdPerMwh: 120, ...overrides },
    envelopes: Array.from({ length: envelopes }, (_, e) => ({
      name: e === 0 ? 'standard' : `env${e}`,
      description: `envelope ${e}`,
      socMinPercent: 10 + 5 * e,
      socMaxPercent: 90 - 5 * e,
      dodFactor: 1 - 0.1 * e,
      activeCooling: e % 2 === 0,
    })),
  };
}

export function modulesFor(n: number, seed: number): ModuleState[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => ({
    serial: `T${String(i + 1).padStart(4, '0')}`,
    chemistry: 'NMC' as const,
    nominalCapacityAh: 60,
    nominalVoltageV: 48,
    sohPercent: 55 + 25 * rng.next(),
    internalResistanceMilliohm: 20 + 30 * rng.next(),
    temperatureMinC: 10,
    temperatureMaxC: 35 + 10 * rng.next(),
    cycleCount: 1000 + Math.floor(1000 * rng.next()),
  }));
}

/** A random twin matrix; `feasibleShare` of the pairs feasible. */
export function randomMatrix(nModules: number, apps: ApplicationSpec[], seed: number, feasibleShare = 0.7): TwinMatrixLike {
  const rng = new Random(seed);
  const nApps = apps.length;
  const nEnvelopes = Math.max(...apps.map((a) => a.envelopes.length));
  const size = nModules * nApps * nEnvelopes;
  const m: TwinMatrixLike = {
    nModules,
    nApps,
    nEnvelopes,
    usableEnergyKwh: new Float64Array(size),
    rulYears: new Float64Array(size),
    fadePctPerYear: new Float64Array(size),
    lifetimeEnergyMwh: new Float64Array(size),
    peakTemperatureC: new Float64Array(size),
    roundTripEfficiency: new Float64Array(size),
    feasible: new Uint8Array(size),
  };
  for (let i = 0; i < nModules; i++) {
    const kwh = 1.5 + 2 * rng.next();
    for (let a = 0; a < nApps; a++) {
      for (let e = 0; e < nEnvelopes; e++) {
        const k = (i * nApps + a) * nEnvelopes + e;
        m.usableEnergyKwh[k] = kwh * (1 - 0.1 * e);
        m.rulYears[k] = 1 + 12 * rng.next();
        m.fadePctPerYear[k] = 0.8 + 6 * rng.next();
        m.lifetimeEnergyMwh[k] = (m.usableEnergyKwh[k] * 0.7 * 365 * m.rulYears[k] * (0.3 + rng.next())) / 1000;
        m.peakTemperatureC[k] = 25 + 20 * rng.next();
        m.roundTripEfficiency[k] = 0.88 + 0.1 * rng.next();
        m.feasible[k] = e < apps[a].envelopes.length && rng.next() < feasibleShare ? 1 : 0;
      }
    }
  }
  return m;
}

/**
 * Objectives of a plan recomputed from first principles (the definitions in docs/allocation-problem.md), independent of
 * the planner's code: [Σ kWh·RUL, Σ kWh·fade / Σ kWh, Σ (capital + O&M + cooling − value)].
 */
export function referenceObjectives(
  matrix: TwinMatrixLike,
  apps: ApplicationSpec[],
  applicationIndex: ArrayLike<number>,
  envelopeIndex: ArrayLike<number>,
): { objectives: [number, number, number]; loads: number[]; infeasible: number } {
  let sy = 0;
  let kf = 0;
  let kwh = 0;
  let cost = 0;
  let infeasible = 0;
  const loads = apps.map(() => 0);
  for (let m = 0; m < matrix.nModules; m++) {
    const a = applicationIndex[m];
    if (a < 0) continue;
    const e = envelopeIndex[m];
    const i = (m * matrix.nApps + a) * matrix.nEnvelopes + e;
    const q = matrix.usableEnergyKwh[i];
    const years = matrix.rulYears[i];
    if (!matrix.feasible[i]) infeasible++;
    loads[a] += q;
    sy += q * years;
    kf += q * matrix.fadePctPerYear[i];
    kwh += q;
    const ec = apps[a].economics;
    const env = apps[a].envelopes[e];
    // NREL/TP-6A40-85332 fixed O&M 2.5 %/yr of capital per kWh; cooling $10/kWh + $3/kWh·yr.
    const om = 0.025 * ec.integrationCostUsdPerKwh * q * years;
    const cooling = env.activeCooling ? 10 * q + 3 * q * years : 0;
    cost += ec.repurposingCostUsdPerModule + ec.integrationCostUsdPerKwh * q + om + cooling - ec.valueUsdPerMwh * matrix.lifetimeEnergyMwh[i];
  }
  return { objectives: [sy, kwh > 0 ? kf / kwh : 100, cost], loads, infeasible };
}

export function closeTo(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
