import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type StoredCheckpoint } from '../../src/jobs/checkpoint-codec.js';
import { optimizeAllocation } from '../../src/planning/index.js';
import { DEFAULT_APPLICATIONS } from '../../src/twin/default-applications.js';
import { generateSyntheticFleet } from '../../src/twin/synthetic-fleet.js';

describe('resuming a run from a stored checkpoint', () => {
  it('gives the same front as the uninterrupted run after a jsonb round trip of the checkpoint', async () => {
    const modules = generateSyntheticFleet({ size: 14, seed: 21 });
    const apps = DEFAULT_APPLICATIONS.map((a, i) => ({ ...a, id: `app-${i}` }));
    const options = { population: 12, generations: 12, seed: 4, checkpointEvery: 4 };
    let stored: StoredCheckpoint | undefined;
    const full = await optimizeAllocation(modules, apps, {
      ...options,
      onCheckpoint: (c) => {
        // What the database hands back: JSON text of the encoded checkpoint.
        if (c.generation === 4) stored = JSON.parse(JSON.stringify(encodeCheckpoint(c)));
      },
    });
    expect(stored?.generation).toBe(4);
    const resumed = await optimizeAllocation(modules, apps, { ...options, resumeFrom: decodeCheckpoint(stored) });
    expect(resumed.stats.generations).toBe(full.stats.generations);
    expect(resumed.front.map((s) => s.objectives)).toEqual(full.front.map((s) => s.objectives));
    expect(resumed.kneeIndex).toBe(full.kneeIndex);
  }, 60_000);
});
