/**
 * The fast projection (rates tabulated on a self-heating grid, power laws by binomial series,
 * LFP calendar sigmoid updated quarterly with time-averaged parameters)
 * equals a plain step-by-step integration with exact rates and exact powers.
 */
import { describe, expect, it } from 'vitest';
import { FADE_STATE_SIZE, fadeOutputs, makeFadeContext, stepFade } from '../../src/twin/fade.js';
import { modulePrior } from '../../src/twin/prior.js';
import { resolveDuty, simulate } from '../../src/twin/simulate.js';
import { activeFraction, enclosureAirC, moduleThermal } from '../../src/twin/thermal.js';
import type { ApplicationSpec, Chemistry, Envelope, ModuleState } from '../../src/twin/types.js';
import { APPS, moduleFixture } from './fixtures.js';

function plainSoh(m: ModuleState, app: ApplicationSpec, env: Envelope, years: number): Float64Array {
  const prior = modulePrior(m);
  const duty = resolveDuty(app, env);
  const ctx = makeFadeContext(prior.fadeModel, duty.cell, prior.factors);
  const s = new Float64Array(FADE_STATE_SIZE);
  s.set(prior.state);
  const o = new Float64Array(2);
  const th = moduleThermal(m.nominalCapacityAh * m.nominalVoltageV, env.activeCooling);
  const phi = activeFraction(app.duty.cyclesPerDay, duty.dod, app.duty.cRate);
  const out = new Float64Array(years * 12 + 1);
  let soh = m.sohPercent;
  let r = m.internalResistanceMilliohm;
  let q = prior.modelCapacity;
  out[0] = soh;
  for (let i = 0; i < years * 12; i++) {
    const air = enclosureAirC(app.duty.ambientTemperatureC + app.duty.seasonalSwingC * Math.sin((2 * Math.PI * (i + 0.5)) / 12), env.activeCooling);
    // Throughput conserved: the same power, the current of deployment.
    const current = app.duty.cRate * m.nominalCapacityAh * ((ctx.stretch ? m.sohPercent : soh) / 100);
    const mean = air + phi * current * current * r * 1e-3 * th.resistanceKPerW;
    stepFade(s, ctx, 365.25 / 12, duty.cell.efcPerDay * (365.25 / 12), mean + 273.15, q / prior.modelCapacity);
    fadeOutputs(s, ctx, o);
    q = o[0]!;
    soh = m.sohPercent - 100 * (prior.modelCapacity - o[0]!);
    r = m.internalResistanceMilliohm * (o[1]! / prior.modelResistance);
    out[i + 1] = soh;
  }
  return out;
}

describe('fast projection kernel', () => {
  for (const chemistry of ['NMC', 'LFP', 'NCA', 'LMO'] as Chemistry[]) {
    for (const app of APPS) {
      it(`${chemistry} in ${app.id}: SOH loss within 1 % of the plain integration over 15 years`, () => {
        const m = moduleFixture({ chemistry, sohPercent: 74, internalResistanceMilliohm: 6 });
        for (const env of app.envelopes) {
          const fast = simulate(m, app, env, { horizonYears: 15 }).trajectory.sohPercent;
          const plain = plainSoh(m, app, env, 15);
          for (let i = 12; i < plain.length; i += 12) {
            const lossPlain = plain[0]! - plain[i]!;
            const lossFast = fast[0]! - fast[i]!;
            expect(Math.abs(lossFast - lossPlain)).toBeLessThanOrEqual(0.01 * lossPlain + 1e-9);
          }
        }
      });
    }
  }
});
