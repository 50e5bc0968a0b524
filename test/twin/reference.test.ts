/**
 * The kernel reproduces the published models at their own conditions: each expected value is
 * computed here directly from the paper's equation (closed form, or BLAST-Lite's state equation
 * integrated in small steps), independently of src/twin's u-space formulation.
 */
import { describe, expect, it } from 'vitest';
import { anodePotentialV, LFP_SONY_MURATA as L, NMC_KOKAM as N } from '../../src/twin/chemistry.js';
import { FADE_STATE_SIZE, lfpCalendarAfter, makeFadeContext, relativeCapacity, relativeResistance, stepFade } from '../../src/twin/fade.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('Safari & Delacourt 2011 graphite potential', () => {
  it('matches the published fit at empty, half and full lithiation', () => {
    const ua = (x: number) =>
      0.6379 + 0.5416 * Math.exp(-305.5309 * x) + 0.044 * Math.tanh(-(x - 0.1958) / 0.1088) -
      0.1978 * Math.tanh((x - 1.0571) / 0.0854) - 0.6875 * Math.tanh((x + 0.0117) / 0.0529) - 0.0175 * Math.tanh((x - 0.5692) / 0.0875);
    for (const soc of [0, 0.5, 1]) expect(rel(anodePotentialV(soc), ua(0.0085 + soc * (0.78 - 0.0085)))).toBeLessThan(1e-12);
    // Graphite sits near 0.1 V vs Li at mid SOC and rises steeply when delithiated.
    expect(anodePotentialV(0.5)).toBeGreaterThan(0.08);
    expect(anodePotentialV(0.5)).toBeLessThan(0.15);
    expect(anodePotentialV(0)).toBeGreaterThan(anodePotentialV(0.5));
  });
});

describe('NMC111 Kokam (Smith et al. 2017)', () => {
  it('calendar fade at 25 °C, SOC 50 % equals q1·t^q2 after 1, 3 and 10 years', () => {
    const ctx = makeFadeContext('NMC_KOKAM', { dod: 0, cRate: 0, socLow: 0.5, socHigh: 0.5, efcPerDay: 0 });
    const s = new Float64Array(FADE_STATE_SIZE);
    const T = 298.15;
    const TN = T / 308.15;
    const q1 = N.q1_0 * Math.exp(N.q1_1 / TN) * Math.exp((N.q1_2 * (anodePotentialV(0.5) / 0.123)) / TN);
    let days = 0;
    for (const years of [1, 3, 10]) {
      while (days < years * 365) {
        stepFade(s, ctx, 365 / 12, 0, T);
        days += 365 / 12;
      }
      const expected = 1 - q1 * days ** N.q2;
      expect(rel(relativeCapacity(s, ctx), expected)).toBeLessThan(0.01);
      // resistance: 1 + r1·q1·t^r2
      expect(rel(relativeResistance(s, ctx), 1 + N.r1 * q1 * days ** N.r2)).toBeLessThan(0.01);
    }
    // The test is sensitive: the loss itself (not 1 − loss) must match to 1 %.
    expect(rel(1 - relativeCapacity(s, ctx), q1 * days ** N.q2)).toBeLessThan(0.01);
  });

  it('cycling at 35 °C, 80 % DoD: LLI + LAM knee as the published sigmoid', () => {
    const dod = 0.8;
    const soc = 0.5; // window 0.1–0.9
    const ctx = makeFadeContext('NMC_KOKAM', { dod, cRate: 1, socLow: 0.1, socHigh: 0.9, efcPerDay: 100 });
    const s = new Float64Array(FADE_STATE_SIZE);
    const T = 308.15;
    const q3 = N.q3_0 * Math.exp(N.q3_1 / 1) * Math.exp(N.q3_2 * Math.exp(dod * dod));
    const q5 = N.q5_0 + N.q5_1 * (35 - 55) * dod * (soc / 0.6);
    let efc = 0;
    for (const target of [500, 2000, 5000, 8000]) {
      while (efc < target) {
        stepFade(s, ctx, 0, 100, T); // cycling only: isolate the EFC terms
        efc += 100;
      }
      const lli = q3 * efc ** N.q4;
      const lam = 2 * (0.5 - 1 / (1 + Math.exp((efc / q5) ** N.pLam)));
      const expected = Math.min(1 - lli, 1.01 - lam);
      expect(rel(1 - relativeCapacity(s, ctx), 1 - expected)).toBeLessThan(0.01);
    }
  });

  it('u-space stepping equals BLAST-Lite state-equation integration under a seasonal temperature', () => {
    // BLAST: dy = k·p·(y/k)^((p−1)/p)·dx with k(T) re-evaluated every step; daily steps as reference.
    const ctx = makeFadeContext('NMC_KOKAM', { dod: 0.6, cRate: 0.5, socLow: 0.3, socHigh: 0.9, efcPerDay: 0.9 });
    const ua = Math.log(((): number => {
      const f = (x: number) => Math.exp((N.q1_2 / N.uaRefV) * anodePotentialV(x));
      const a = 0.3, b = 0.9, h = (b - a) / 4;
      return (f(a) + 4 * f(a + h) + 2 * f(a + 2 * h) + 4 * f(a + 3 * h) + f(b)) / 12;
    })()) / (N.q1_2 / N.uaRefV);
    let yCal = 0;
    let yCyc = 0;
    const days = 10 * 365;
    for (let d = 0; d < days; d++) {
      const T = 273.15 + 25 + 8 * Math.sin((2 * Math.PI * (d + 0.5)) / 365);
      const TN = T / 308.15;
      const k1 = N.q1_0 * Math.exp(N.q1_1 / TN) * Math.exp((N.q1_2 * (ua / 0.123)) / TN);
      const k3 = N.q3_0 * Math.exp(N.q3_1 / TN) * Math.exp(N.q3_2 * Math.exp(0.36));
      yCal += yCal === 0 ? k1 * 1 ** N.q2 : k1 * N.q2 * (yCal / k1) ** ((N.q2 - 1) / N.q2);
      yCyc += yCyc === 0 ? k3 * 0.9 ** N.q4 : k3 * N.q4 * (yCyc / k3) ** ((N.q4 - 1) / N.q4) * 0.9;
    }
    const s = new Float64Array(FADE_STATE_SIZE);
    for (let m = 0; m < 120; m++) {
      const T = 273.15 + 25 + 8 * Math.sin((2 * Math.PI * (m + 0.5)) / 12);
      stepFade(s, ctx, 365 / 12, 0.9 * (365 / 12), T);
    }
    expect(rel(1 - relativeCapacity(s, ctx), yCal + yCyc)).toBeLessThan(0.01);
  });
});

describe('LFP Sony-Murata (Naumann et al. 2018/2020, Gasper et al. 2022)', () => {
  const T = 298.15;
  const ua = anodePotentialV(0.5);
  const q1 = L.q1_b0 * Math.exp((L.q1_b1 / T ** 2) * ua ** 0.5) * Math.exp((L.q1_b2 / T) * ua ** 0.5);
  const q3 =
    L.q3_b0 *
    Math.exp((L.q3_b1 / T ** 4) * ua ** (1 / 3)) *
    Math.exp(L.q3_b2 * T ** 3 * ua ** 0.25) *
    Math.exp((L.q3_b3 / T ** 3) * ua ** (1 / 3)) *
    Math.exp(L.q3_b4 * T ** 2 * ua ** 0.25);

  it('calendar sigmoid at 25 °C, SOC 50 %: 2·q1·(½ − 1/(1 + exp((q2·t)^q3)))', () => {
    const ctx = makeFadeContext('LFP_SONY_MURATA', { dod: 0, cRate: 0, socLow: 0.5, socHigh: 0.5, efcPerDay: 0 });
    const s = new Float64Array(FADE_STATE_SIZE);
    let days = 0;
    for (const years of [0.5, 2, 8]) {
      while (days < years * 365 - 1e-9) {
        stepFade(s, ctx, 365 / 12, 0, T);
        days += 365 / 12;
      }
      const expected = 2 * q1 * (0.5 - 1 / (1 + Math.exp((L.q2 * days) ** q3)));
      expect(rel(1 - relativeCapacity(s, ctx), expected)).toBeLessThan(0.01);
    }
  });

  it('the calendar update is exact at constant conditions, whatever the step (virtual-age inversion)', () => {
    // y(t) = y∞·tanh((q2·t)^p / 2): stepping y(t0) by dt must land on y(t0 + dt) for every step size the
    // kernel uses (weeks, months, the quarterly batch, years), through the series branch and the exact one.
    const yInf = 0.4;
    const closed = (p: number, days: number) => yInf * Math.tanh(0.5 * (L.q2 * days) ** p);
    for (const p of [0.39, 0.5, 0.54, 1.1]) {
      for (const dt of [7, 30.4375, 91.3125, 365.25]) {
        let y = 0;
        let days = 0;
        let worst = 0;
        while (days < 40 * 365.25) {
          y = lfpCalendarAfter(y, yInf, p, dt);
          days += dt;
          worst = Math.max(worst, rel(y, closed(p, days)));
        }
        expect(worst, `p ${p}, dt ${dt} d`).toBeLessThan(1e-9);
      }
    }
    // Past y∞ (a colder spell lowers the extent) the loss holds; it never shrinks.
    expect(lfpCalendarAfter(0.3, 0.2, 0.5, 91)).toBe(0.3);
    expect(lfpCalendarAfter(0.19, 0.2, 0.5, 91)).toBeGreaterThan(0.19);
  });

  it('cycling loss (q5·EFC)^q6 at 80 % DoD, 1C and resistance growth per Naumann', () => {
    const dod = 0.8;
    const cRate = 1;
    const ctx = makeFadeContext('LFP_SONY_MURATA', { dod, cRate, socLow: 0.1, socHigh: 0.9, efcPerDay: 2 });
    const s = new Float64Array(FADE_STATE_SIZE);
    // BLAST-Lite's C-rate stressor is the day's mean |dSOC/dt|, rests included: 2 EFC/day at 1C is
    // 4 h of current a day, a stressor of 2/12 (continuous 1C cycling would be 12 EFC/day).
    const cStress = Math.min(cRate, 2 / 12);
    const q5 = Math.abs(L.q5_b0 + L.q5_b1 * dod + L.q5_b2 * Math.exp(dod * dod * cStress ** 3));
    const kCyc = (L.aRCyc * cStress + L.bRCyc) * (L.cRCyc * (dod - 0.5) ** 3 + L.dRCyc);
    for (let i = 0; i < 30; i++) stepFade(s, ctx, 0, 100, T);
    const efc = 3000;
    expect(rel(1 - relativeCapacity(s, ctx), (q5 * efc) ** L.q6)).toBeLessThan(0.01);
    expect(rel(relativeResistance(s, ctx) - 1, (kCyc * efc) / 100)).toBeLessThan(0.01);
  });
});
