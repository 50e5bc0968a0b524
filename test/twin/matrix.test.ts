/** The twin matrix equals per-cell projections, pads missing envelopes, and the pool path agrees. */
import { afterAll, describe, expect, it } from 'vitest';
import { computeTwinMatrix, matrixViolations, MATRIX_PADDING_BIT } from '../../src/planning/twin-matrix.js';
import { createWorkerPool, type WorkerPool } from '../../src/solver/pool.js';
import { computeTwinMatrixSync } from '../../src/twin/matrix.js';
import { simulate } from '../../src/twin/simulate.js';
import type { ApplicationSpec, Chemistry, ModuleState } from '../../src/twin/types.js';
import { APPS, GRID, moduleFixture } from './fixtures.js';

function fleet(n: number): ModuleState[] {
  return Array.from({ length: n }, (_, i) =>
    moduleFixture({
      serial: `F-${i}`,
      chemistry: (['NMC', 'LFP', 'NCA', 'LMO'] as Chemistry[])[i % 4]!,
      sohPercent: 55 + ((i * 7) % 26),
      internalResistanceMilliohm: 2.5 + ((i * 3) % 10) * 0.4,
      cycleCount: 300 + ((i * 37) % 1500),
      ageYears: i % 5 === 0 ? null : 4 + (i % 7),
    }),
  );
}

describe('twin matrix', () => {
  const oneEnvelope: ApplicationSpec = { ...GRID, id: 'grid-1', envelopes: [GRID.envelopes[0]!] };
  const apps = [...APPS, oneEnvelope];
  const modules = fleet(24);
  const mx = computeTwinMatrixSync(modules, apps);

  it('indexes (module · nApps + app) · nEnvelopes + envelope and matches simulate()', () => {
    expect(mx.nEnvelopes).toBe(2);
    for (const mi of [0, 5, 23]) {
      for (let a = 0; a < APPS.length; a++) {
        for (let e = 0; e < 2; e++) {
          const i = (mi * apps.length + a) * 2 + e;
          const s = simulate(modules[mi]!, apps[a]!, apps[a]!.envelopes[e]!).summary;
          expect(mx.rulYears[i]).toBeCloseTo(s.rulYears, 10);
          expect(mx.fadePctPerYear[i]).toBeCloseTo(s.fadePctPerYear, 10);
          expect(mx.lifetimeEnergyMwh[i]).toBeCloseTo(s.lifetimeEnergyMwh, 10);
          expect(mx.usableEnergyKwh[i]).toBeCloseTo(s.usableEnergyKwh, 10);
          expect(mx.feasible[i]).toBe(s.feasible ? 1 : 0);
          expect(matrixViolations(mx, modules, apps, i)).toEqual(s.violations);
        }
      }
    }
  });

  it('pads the missing envelope of a one-envelope application as infeasible', () => {
    for (let mi = 0; mi < modules.length; mi++) {
      const i = (mi * apps.length + 4) * 2 + 1;
      expect(mx.feasible[i]).toBe(0);
      expect(mx.violationMask[i]! & MATRIX_PADDING_BIT).toBeTruthy();
      expect(matrixViolations(mx, modules, apps, i)[0]!.reason).toMatch(/no envelope #2/);
    }
  });

  it('gives RUL between 0 and the horizon and round-trip efficiency in (0, 1)', () => {
    for (let i = 0; i < mx.rulYears.length; i++) {
      if (mx.violationMask[i]! & MATRIX_PADDING_BIT) continue;
      expect(mx.rulYears[i]).toBeGreaterThanOrEqual(0);
      expect(mx.rulYears[i]).toBeLessThanOrEqual(20);
      expect(mx.roundTripEfficiency[i]).toBeGreaterThan(0.5);
      expect(mx.roundTripEfficiency[i]).toBeLessThan(1);
    }
  });

  let pool: WorkerPool | undefined;
  afterAll(async () => {
    await pool?.destroy();
  });

  it('the worker-pool path fills the same numbers as the single-thread path', async () => {
    pool = createWorkerPool({ threads: 2 });
    const big = fleet(600);
    const a = computeTwinMatrixSync(big, apps);
    let progress = 0;
    const b = await computeTwinMatrix(big, apps, { pool, chunkModules: 100, onProgress: (done) => (progress = done) });
    expect(progress).toBe(600);
    expect(Array.from(b.rulYears)).toEqual(Array.from(a.rulYears));
    expect(Array.from(b.feasible)).toEqual(Array.from(a.feasible));
    expect(Array.from(b.peakTemperatureC)).toEqual(Array.from(a.peakTemperatureC));
  });
});

describe('twin matrix with calibrated modules', () => {
  it('projects a module that carries a stored calibration from its latest check with its fitted factors', async () => {
    const { calibrateModule, moduleAtLatestCheck } = await import('../../src/twin/module-calibration.js');
    const m = moduleFixture({ serial: 'C-1', sohPercent: 75 });
    const cal = calibrateModule(m, [
      { cycle: 150, capacityAh: 66 * 0.72 },
      { cycle: 300, capacityAh: 66 * 0.69, resistanceMilliohm: 4.2 },
    ]);
    const stored = { ...m, calibration: JSON.parse(JSON.stringify(cal)) };
    const mx = computeTwinMatrixSync([m, stored], [GRID]);
    const direct = simulate(moduleAtLatestCheck(m, cal), GRID, GRID.envelopes[0]!, { calibration: cal }).summary;
    expect(mx.rulYears[2]).toBeCloseTo(direct.rulYears, 10);
    expect(mx.usableEnergyKwh[2]).toBeCloseTo(direct.usableEnergyKwh, 10);
    expect(mx.usableEnergyKwh[2]).toBeLessThan(mx.usableEnergyKwh[0]!); // starts from 69 %, not 75 %
    expect(mx.rulYears[2]).not.toBeCloseTo(mx.rulYears[0]!, 3);
  });

  it('simulateStoredModule (plan allocations, GraphQL twin) gives the matrix figures, calibrated or not', async () => {
    const { calibrateModule, simulateStoredModule } = await import('../../src/twin/module-calibration.js');
    const m = moduleFixture({ serial: 'C-2', sohPercent: 75 });
    const cal = calibrateModule(m, [
      { cycle: 150, capacityAh: 66 * 0.72 },
      { cycle: 300, capacityAh: 66 * 0.69, resistanceMilliohm: 4.2 },
    ]);
    const stored = { ...m, calibration: JSON.parse(JSON.stringify(cal)) };
    const mx = computeTwinMatrixSync([m, stored], [GRID]);
    const plain = simulateStoredModule(m, GRID, GRID.envelopes[0]!);
    const calibrated = simulateStoredModule(stored, GRID, GRID.envelopes[0]!);
    expect(plain.calibrated).toBe(false);
    expect(calibrated.calibrated).toBe(true);
    expect(plain.summary.rulYears).toBeCloseTo(mx.rulYears[0]!, 10);
    expect(calibrated.summary.rulYears).toBeCloseTo(mx.rulYears[2]!, 10);
    expect(calibrated.summary.usableEnergyKwh).toBeCloseTo(mx.usableEnergyKwh[2]!, 10);
  });
});
