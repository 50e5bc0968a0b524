/** Daily SOC profiles: validation with clear errors, the default applications' profiles, and the physics they carry. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { resolveDuty, simulate } from '../../src/twin/simulate.js';
import type { ApplicationSpec, DutyProfile } from '../../src/twin/types.js';
import { socProfileProblems, validateApplication } from '../../src/twin/validate.js';
import { moduleFixture, SOLAR } from './fixtures.js';

const duty = (socProfile: unknown): DutyProfile => ({ ...SOLAR.duty, socMinPercent: 10, socMaxPercent: 90, socProfile: socProfile as DutyProfile['socProfile'] });
const fields = (p: unknown) => socProfileProblems(duty(p)).map((x) => `${x.field}: ${x.message}`);

describe('daily SOC profile validation', () => {
  it('accepts points over a day and hours at SOC adding up to 24', () => {
    expect(fields({ points: [{ hour: 0, socPercent: 10 }, { hour: 12, socPercent: 90 }, { hour: 24, socPercent: 10 }] })).toEqual([]);
    expect(fields({ timeAtSoc: [{ socPercent: 90, hours: 10 }, { socPercent: 50, hours: 14 }] })).toEqual([]);
    expect(fields(undefined)).toEqual([]);
  });

  it('names the field and the likely mistake', () => {
    expect(fields({})[0]).toMatch(/duty.socProfile: give points .* or timeAtSoc/);
    expect(fields({ points: [], timeAtSoc: [] })[0]).toMatch(/not both/);
    expect(fields({ points: [{ hour: 0, socPercent: 10 }, { hour: 12, socPercent: 95 }, { hour: 24, socPercent: 10 }] })).toContain(
      "duty.socProfile.points[1].socPercent: SOC 95 % is outside the duty's window 10–90 %",
    );
    expect(fields({ points: [{ hour: 0, socPercent: 10 }, { hour: 12, socPercent: 50 }, { hour: 6, socPercent: 10 }, { hour: 24, socPercent: 10 }] })).toContain(
      'duty.socProfile.points[2].hour: hours must increase strictly, got 6 after 12',
    );
    expect(fields({ points: [{ hour: 0, socPercent: 10 }, { hour: 23, socPercent: 10 }] })).toContain(
      'duty.socProfile.points[1].hour: the day ends at hour 24, got 23 (one day, repeated)',
    );
    expect(fields({ timeAtSoc: [{ socPercent: 90, hours: 10 }, { socPercent: 50, hours: 10 }] })).toContain('duty.socProfile.timeAtSoc: the hours must add up to a day (24), got 20');
    expect(fields({ timeAtSoc: [{ socPercent: '90', hours: 24 }] })[0]).toMatch(/timeAtSoc\[0\].socPercent: expected a finite number, got "90"/);
    expect(fields({ points: [{ hour: 0, socPercent: 0.1 }, { hour: 24, socPercent: 0.9 }] })[0]).toMatch(/outside the duty's window/);
  });

  it('validateApplication rejects a bad profile naming the application and the field', () => {
    const app: ApplicationSpec = { ...SOLAR, duty: duty({ timeAtSoc: [{ socPercent: 50, hours: 12 }] }) };
    expect(() => validateApplication(app)).toThrow(/application solar: duty.socProfile.timeAtSoc: the hours must add up to a day \(24\), got 12/);
  });
});

describe('default applications', () => {
  it('each carries a valid, cited daily profile whose throughput matches its duty', () => {
    for (const a of DEFAULT_APPLICATIONS) {
      const p = a.duty.socProfile!;
      expect(p, a.name).toBeTruthy();
      expect(p.source, a.name).toMatch(/\w/);
      expect(socProfileProblems(a.duty), a.name).toEqual([]);
      if (p.points) {
        let swing = 0;
        for (let i = 1; i < p.points.length; i++) swing += Math.abs(p.points[i]!.socPercent - p.points[i - 1]!.socPercent);
        // EFC/day = half the summed |ΔSOC| = cycles/day × DoD.
        expect(swing / 200, a.name).toBeCloseTo(a.duty.cyclesPerDay * a.duty.depthOfDischarge, 6);
      }
    }
  });
});

describe('time at SOC drives calendar ageing', () => {
  const m = moduleFixture({ chemistry: 'NMC', sohPercent: 75 });
  const env = { ...SOLAR.envelopes[0]!, socMinPercent: 10, socMaxPercent: 90, dodFactor: 1 };
  const withProfile = (p: DutyProfile['socProfile']): ApplicationSpec => ({ ...SOLAR, duty: { ...SOLAR.duty, socMinPercent: 10, socMaxPercent: 90, cyclesPerDay: 0.3, socProfile: p } });
  const soh10 = (a: ApplicationSpec) => simulate(m, a, env, { horizonYears: 10 }).trajectory.sohPercent[120]!;

  it('a day resting at the top ages faster than one resting at the bottom, same cycling', () => {
    const top = withProfile({ timeAtSoc: [{ socPercent: 90, hours: 20 }, { socPercent: 50, hours: 4 }] });
    const bottom = withProfile({ timeAtSoc: [{ socPercent: 10, hours: 20 }, { socPercent: 50, hours: 4 }] });
    expect(soh10(top)).toBeLessThan(soh10(bottom) - 0.5);
  });

  it('points and the equivalent hours at SOC give the same projection', () => {
    const pts = withProfile({ points: [{ hour: 0, socPercent: 80 }, { hour: 24, socPercent: 80 }] });
    const hist = withProfile({ timeAtSoc: [{ socPercent: 80, hours: 24 }] });
    expect(soh10(pts)).toBeCloseTo(soh10(hist), 9);
  });

  it('an envelope keeps the top and scales the swing: float at 85 % ages slower than float at 100 %', () => {
    const backup = DEFAULT_APPLICATIONS.find((a) => a.kind === 'BACKUP')!;
    const app = { ...backup, id: 'backup' } as ApplicationSpec;
    const full = app.envelopes.find((e) => e.name === 'float-full')!;
    const f85 = app.envelopes.find((e) => e.name === 'float-85')!;
    expect(resolveDuty(app, f85).cell.socHigh).toBeCloseTo(0.85, 12);
    expect(Array.from(resolveDuty(app, f85).cell.socSamples!).every((s) => Math.abs(s - 0.85) < 1e-12)).toBe(true);
    const q = (e: typeof full) => simulate(m, app, e, { horizonYears: 10 }).trajectory.sohPercent[120]!;
    expect(q(f85)).toBeGreaterThan(q(full));
  });
});
