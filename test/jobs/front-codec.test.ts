import { describe, expect, it } from 'vitest';
import { decodeSolutionPlan, encodeSolutionPlan } from '../../src/jobs/front-codec.js';

describe('front plan codec', () => {
  it('round-trips recycle (-1), large application indices and envelope indices', () => {
    const apps = Int16Array.from([-1, 0, 3, 32767, -1, 1]);
    const envs = Int8Array.from([-1, 0, 2, 127, -1, 1]);
    const back = decodeSolutionPlan(JSON.parse(JSON.stringify(encodeSolutionPlan(apps, envs))), 6);
    expect(Array.from(back.applicationIndex)).toEqual(Array.from(apps));
    expect(Array.from(back.envelopeIndex)).toEqual(Array.from(envs));
  });
  it('refuses a stored plan of the wrong length', () => {
    const stored = encodeSolutionPlan([0, 1, 2], [0, 0, 0]);
    expect(() => decodeSolutionPlan(stored, 4)).toThrow(/3 applications and 3 envelopes for 4 modules/);
    expect(() => encodeSolutionPlan([0, 1], [0])).toThrow(/differ in length/);
  });
});
