import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type StoredCheckpoint } from '../../src/jobs/checkpoint-codec.js';
import { optimizeAllocation } from '../../src/planning/optimize.js';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';

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

  it('keeps crowding and the archive through the codec: a small-fleet resume equals the uninterrupted run, plan for plan', async () => {
    // 40 modules: planning keeps its unbounded small-fleet archive (ARCHIVE_MAX_MODULES = 64).
    const modules = generateSyntheticFleet({ size: 40, seed: 3 });
    const apps = DEFAULT_APPLICATIONS.map((a, i) => ({ ...a, id: `app-${i}` }));
    const options = { population: 16, generations: 40, seed: 4, checkpointEvery: 10 };
    let stored: StoredCheckpoint | undefined;
    let archiveRows = 0;
    const full = await optimizeAllocation(modules, apps, {
      ...options,
      onCheckpoint: (c) => {
        if (c.generation !== 10) return;
        stored = JSON.parse(JSON.stringify(encodeCheckpoint(c)));
        archiveRows = c.archiveGenes!.length / c.nModules;
      },
    });
    expect(stored?.archiveGenes?.type).toBe('Uint8Array');
    expect(stored?.crowding?.type).toBe('Float64Array');
    const decoded = decodeCheckpoint(stored);
    expect(decoded.archiveGenes!.length).toBe(archiveRows * 40);
    expect(decoded.crowding!.length).toBe(16);

    const resumed = await optimizeAllocation(modules, apps, { ...options, resumeFrom: decoded });
    const plans = (r: typeof full) => r.front.map((s) => [s.objectives, Array.from(s.applicationIndex), Array.from(s.envelopeIndex)]);
    expect(resumed.front.length).toBe(full.front.length);
    expect(JSON.stringify(plans(resumed))).toBe(JSON.stringify(plans(full)));
    expect(resumed.kneeIndex).toBe(full.kneeIndex);
    expect(resumed.stats.hypervolume).toBe(full.stats.hypervolume);

    // The archive is what makes the difference here: without it the resumed front is another one.
    const withoutArchive = { ...stored! };
    delete withoutArchive.archiveGenes;
    const lossy = await optimizeAllocation(modules, apps, { ...options, resumeFrom: decodeCheckpoint(withoutArchive) });
    expect(JSON.stringify(plans(lossy))).not.toBe(JSON.stringify(plans(full)));
  }, 120_000);

  it('leaves the archive out rather than exceed the jsonb size limit', () => {
    const c = { generation: 1, evaluations: 1, elapsedSeconds: 0, genes: new Uint8Array(12), population: 4, nModules: 3, rngState: new Uint32Array(4), seed: 1, archiveGenes: new Uint8Array(9) };
    // genes 12 bytes → 16 base64 bytes, archive 9 → 12.
    expect(encodeCheckpoint(c, 28).archiveGenes?.type).toBe('Uint8Array');
    expect(encodeCheckpoint(c, 27).archiveGenes).toBeUndefined();
    expect(decodeCheckpoint(encodeCheckpoint(c, 27)).archiveGenes).toBeUndefined();
  });

  it('refuses an archive that is not whole rows of the fleet', () => {
    const base = { generation: 1, evaluations: 1, elapsedSeconds: 0, genes: new Uint8Array(12), population: 4, nModules: 3, rngState: new Uint32Array(4), seed: 1 };
    expect(() => decodeCheckpoint(encodeCheckpoint({ ...base, archiveGenes: new Uint8Array(7) }))).toThrow(/archiveGenes: 7 Uint8Array values, expected Uint8Array rows of 3 modules/);
    expect(() => decodeCheckpoint(encodeCheckpoint({ ...base, crowding: new Float64Array(3) }))).toThrow(/crowding: 3 Float64Array values, expected 4/);
  });
});
