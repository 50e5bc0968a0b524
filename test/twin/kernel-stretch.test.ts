/**
 * The application kernel's throughput-conservation stretch: the loops read the multipliers as
 * α − γ·q on the stretch table's segment the capacity is in (kept while the capacity stays in it),
 * which must equal fade.ts's `stretchMultipliers` interpolation at the state before each step.
 * Held tightly on the power-law loop (NMC, NCA, LMO): with no self-heating and no seasonal swing
 * its rates are the table's at one temperature, so the kernel differs from the plain monthly
 * integration (`stepFade` with exact rates and powers) only by its power-law series (≤ 1e-9
 * relative). The LFP loop shares the stretch lines verbatim (kernel-shared-lines.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { FADE_STATE_SIZE, fadeOutputs, makeFadeContext, stepFade } from '../../src/twin/fade.js';
import { modulePrior } from '../../src/twin/prior.js';
import { resolveDuty, simulate } from '../../src/twin/simulate.js';
import type { ApplicationSpec, Chemistry, ModuleState } from '../../src/twin/types.js';

const YEARS = 20;
/** DoD and ambient temperature, °C. */
const CASES: Array<[number, number]> = [
  [0.5, 25],
  [0.8, 35],
];

function application(dod: number, ambientC: number): ApplicationSpec {
  return {
    id: `day-${dod}-${ambientC}`,
    name: `day ${dod} at ${ambientC} °C`,
    kind: 'GRID',
    duty: {
      cyclesPerDay: 1,
      depthOfDischarge: dod,
      cRate: 0.5,
      socMinPercent: 0,
      socMaxPercent: 100,
      ambientTemperatureC: ambientC,
      seasonalSwingC: 0,
      // Charge to 95 % by 07:00, rest until 17:00, discharge by the DoD, rest.
      socProfile: {
        points: [
          { hour: 0, socPercent: 95 - 100 * dod },
          { hour: 7 - 2 * dod, socPercent: 95 - 100 * dod },
          { hour: 7, socPercent: 95 },
          { hour: 17, socPercent: 95 },
          { hour: 17 + 2 * dod, socPercent: 95 - 100 * dod },
          { hour: 24, socPercent: 95 - 100 * dod },
        ],
      },
    },
    // Nothing ends the projection early.
    requirements: { minSohPercent: 0, maxResistanceMilliohm: 1e6, maxCellTemperatureC: 120, minServiceYears: 0, endOfLifeSohPercent: 1e-6 },
    capacityLimitKwh: 1e9,
    economics: { repurposingCostUsdPerModule: 0, integrationCostUsdPerKwh: 0, valueUsdPerMwh: 0 },
    envelopes: [{ name: 'full', description: 'the whole SOC range', socMinPercent: 0, socMaxPercent: 100, dodFactor: 1, activeCooling: true }],
  };
}

function module(chemistry: Chemistry): ModuleState {
  // A resistance this small heats nothing: the cell sits at the enclosure air.
  return { serial: 'S', chemistry, nominalCapacityAh: 50, nominalVoltageV: 58, sohPercent: 76, internalResistanceMilliohm: 1e-9, temperatureMinC: 15, temperatureMaxC: 30, cycleCount: 1500, ageYears: 6 };
}

/** Monthly SOH by `stepFade` with the stretch read at the state before each step, or without it. */
function plainSoh(m: ModuleState, app: ApplicationSpec, tempK: number, withStretch: boolean): Float64Array {
  const prior = modulePrior(m);
  const duty = resolveDuty(app, app.envelopes[0]!);
  const ctx = makeFadeContext(prior.fadeModel, duty.cell, prior.factors);
  if (!withStretch) ctx.stretch = null;
  const s = new Float64Array(FADE_STATE_SIZE);
  s.set(prior.state);
  const o = new Float64Array(2);
  const out = new Float64Array(YEARS * 12 + 1);
  out[0] = m.sohPercent;
  let q = prior.modelCapacity;
  for (let i = 0; i < YEARS * 12; i++) {
    stepFade(s, ctx, 365.25 / 12, duty.cell.efcPerDay * (365.25 / 12), tempK, q / prior.modelCapacity);
    fadeOutputs(s, ctx, o);
    q = o[0]!;
    out[i + 1] = m.sohPercent - 100 * (prior.modelCapacity - q);
  }
  return out;
}

describe('throughput-conservation stretch in the kernel', () => {
  for (const chemistry of ['NMC', 'NCA', 'LMO'] as Chemistry[]) {
    for (const [dod, ambientC] of CASES) {
      it(`${chemistry}, DoD ${dod} at ${ambientC} °C: every month within 1e-7 of the plain integration over ${YEARS} years`, () => {
        const m = module(chemistry);
        const app = application(dod, ambientC);
        const env = app.envelopes[0]!;
        const fast = simulate(m, app, env, { horizonYears: YEARS, stepsPerYear: 12 }).trajectory.sohPercent;
        // The enclosure of an actively cooled site at this ambient (thermal.ts), as the kernel uses it.
        const tempK = resolveDuty(app, env).cell.referenceTempK!;
        const plain = plainSoh(m, app, tempK, true);
        const fixed = plainSoh(m, app, tempK, false);
        let crossed = 0;
        for (let i = 1; i < plain.length; i++) {
          const lossPlain = plain[0]! - plain[i]!;
          expect(Math.abs(fast[i]! - plain[i]!), `month ${i}`).toBeLessThanOrEqual(1e-7 * lossPlain + 1e-9);
          // The capacity crosses many segments of the table (1 % of the deployment capacity each).
          if (Math.floor((plain[0]! - plain[i]!) / (0.01 * plain[0]!)) > Math.floor((plain[0]! - plain[i - 1]!) / (0.01 * plain[0]!))) crossed++;
        }
        expect(crossed).toBeGreaterThan(5);
        // Not vacuous: without the stretch the same integration ends more than 1000 times the
        // tolerance away.
        const n = plain.length - 1;
        expect(Math.abs(fixed[n]! - plain[n]!)).toBeGreaterThan(1e-4 * (plain[0]! - plain[n]!));
      });
    }
  }
});
