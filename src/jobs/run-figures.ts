/**
 * The twin figures of a finished run, stored beside its front so that plans are frozen from the
 * numbers the optimiser scored (`run_figures`, one row per chunk of modules).
 *
 * Chunk layout (little-endian, sections in this order so that each is aligned):
 *   float64 × count × 9   module inputs the run projected from: nominal Ah, nominal V, SOH %,
 *                          resistance mΩ, min °C, max °C, cycles, age yr (NaN = unknown), chemistry index
 *   float32 × slots × 7   per matrix entry: SOC-window kWh, RUL yr, fade %/yr, lifetime MWh,
 *                          peak °C, round-trip efficiency, cost USD
 *   uint8   × slots × 3   per matrix entry: feasible, violation bits, end-of-life reason index
 * with slots = count × nApps × nEnvelopes in matrix order. Float32 keeps 7 significant digits,
 * more than any figure is reported with (src/planning/plan-rows.ts, PLAN_FIGURE_DECIMALS).
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { runFigures } from '../db/schema/runs.js';
import type { PlanningFigures } from '../planning/allocation-types.js';
import type { PackedModules } from '../twin/matrix.js';

/** Modules per stored chunk: ~0.4 MB per chunk with 4 applications × 3 envelopes. */
export const FIGURES_CHUNK_MODULES = 1024;
const INPUTS = 9;
const FIGS = 7;
const BYTES = 3;

/** A run's figures read back: the matrix, costs and the module inputs, all in module order. */
export interface StoredRunFigures extends PlanningFigures {
  inputs: PackedModules;
}

function chunkBytes(count: number, slots: number): number {
  return count * INPUTS * 8 + slots * FIGS * 4 + slots * BYTES;
}

export function encodeFiguresChunk(fig: PlanningFigures, packed: PackedModules, start: number, count: number): Uint8Array {
  const { nApps, nEnvelopes } = fig.matrix;
  const per = nApps * nEnvelopes;
  const slots = count * per;
  const buf = new ArrayBuffer(chunkBytes(count, slots));
  const inputs = new Float64Array(buf, 0, count * INPUTS);
  for (let k = 0; k < count; k++) {
    const m = start + k;
    const o = k * INPUTS;
    inputs[o] = packed.nominalCapacityAh[m]!;
    inputs[o + 1] = packed.nominalVoltageV[m]!;
    inputs[o + 2] = packed.sohPercent[m]!;
    inputs[o + 3] = packed.internalResistanceMilliohm[m]!;
    inputs[o + 4] = packed.temperatureMinC[m]!;
    inputs[o + 5] = packed.temperatureMaxC[m]!;
    inputs[o + 6] = packed.cycleCount[m]!;
    inputs[o + 7] = packed.ageYears[m]!;
    inputs[o + 8] = packed.chemistry[m]!;
  }
  const f = new Float32Array(buf, count * INPUTS * 8, slots * FIGS);
  const b = new Uint8Array(buf, count * INPUTS * 8 + slots * FIGS * 4, slots * BYTES);
  const mx = fig.matrix;
  const base = start * per;
  const columns = [mx.usableEnergyKwh, mx.rulYears, mx.fadePctPerYear, mx.lifetimeEnergyMwh, mx.peakTemperatureC, mx.roundTripEfficiency, fig.pairCostUsd];
  columns.forEach((col, c) => f.set(col.subarray(base, base + slots), c * slots));
  b.set(mx.feasible.subarray(base, base + slots), 0);
  if (mx.violationMask) b.set(mx.violationMask.subarray(base, base + slots), slots);
  if (mx.endOfLifeReason) b.set(mx.endOfLifeReason.subarray(base, base + slots), 2 * slots);
  return new Uint8Array(buf);
}

/** Replaces the stored figures of a run (idempotent: a run finished twice keeps one copy). */
export async function saveRunFigures(db: DbOrTx, runId: string, fig: PlanningFigures, packed: PackedModules): Promise<void> {
  await db.delete(runFigures).where(eq(runFigures.runId, runId));
  const { nModules, nApps, nEnvelopes } = fig.matrix;
  for (let start = 0; start < nModules; start += FIGURES_CHUNK_MODULES) {
    const count = Math.min(FIGURES_CHUNK_MODULES, nModules - start);
    await db.insert(runFigures).values({ runId, moduleStart: start, moduleCount: count, nApps, nEnvelopes, data: encodeFiguresChunk(fig, packed, start, count) });
  }
}

/** The stored figures of a run, or null when it has none (runs finished before they were kept). */
export async function loadRunFigures(db: DbOrTx, runId: string, nModules: number): Promise<StoredRunFigures | null> {
  // The chunks travel as base64 text: PGlite's bytea conversion of a 0.4 MB chunk took about ten
  // times as long as encoding it in the database and decoding it here (Buffer ignores the
  // line breaks encode() puts every 76 characters).
  const rows = await db
    .select({
      moduleStart: runFigures.moduleStart,
      moduleCount: runFigures.moduleCount,
      nApps: runFigures.nApps,
      nEnvelopes: runFigures.nEnvelopes,
      dataBase64: sql<string>`encode(${runFigures.data}, 'base64')`,
    })
    .from(runFigures)
    .where(eq(runFigures.runId, runId))
    .orderBy(asc(runFigures.moduleStart));
  if (rows.length === 0) return null;
  const { nApps, nEnvelopes } = rows[0]!;
  const per = nApps * nEnvelopes;
  const size = nModules * per;
  const f64 = () => new Float64Array(size);
  const figures: StoredRunFigures = {
    matrix: {
      nModules,
      nApps,
      nEnvelopes,
      usableEnergyKwh: f64(),
      rulYears: f64(),
      fadePctPerYear: f64(),
      lifetimeEnergyMwh: f64(),
      peakTemperatureC: f64(),
      roundTripEfficiency: f64(),
      feasible: new Uint8Array(size),
      violationMask: new Uint8Array(size),
      endOfLifeReason: new Uint8Array(size),
    },
    pairCostUsd: f64(),
    inputs: {
      n: nModules,
      chemistry: new Uint8Array(nModules),
      nominalCapacityAh: new Float64Array(nModules),
      nominalVoltageV: new Float64Array(nModules),
      sohPercent: new Float64Array(nModules),
      internalResistanceMilliohm: new Float64Array(nModules),
      temperatureMinC: new Float64Array(nModules),
      temperatureMaxC: new Float64Array(nModules),
      cycleCount: new Float64Array(nModules),
      ageYears: new Float64Array(nModules),
      calibrationCalendar: new Float64Array(nModules).fill(Number.NaN),
      calibrationCycle: new Float64Array(nModules).fill(Number.NaN),
      calibrationExponent: new Float64Array(nModules).fill(Number.NaN),
    },
  };
  let covered = 0;
  for (const row of rows) {
    const { moduleStart: start, moduleCount: count } = row;
    if (row.nApps !== nApps || row.nEnvelopes !== nEnvelopes || start !== covered || start + count > nModules) {
      throw new Error(`run ${runId}: stored figures are inconsistent at module ${start}`);
    }
    const slots = count * per;
    const data = Buffer.from(row.dataBase64, 'base64');
    if (data.byteLength !== chunkBytes(count, slots)) throw new Error(`run ${runId}: stored figures chunk at module ${start} has ${data.byteLength} bytes`);
    // Copy into an aligned buffer: drivers return views at arbitrary offsets.
    const buf = new Uint8Array(data).buffer;
    const inputs = new Float64Array(buf, 0, count * INPUTS);
    const p = figures.inputs;
    for (let k = 0; k < count; k++) {
      const m = start + k;
      const o = k * INPUTS;
      p.nominalCapacityAh[m] = inputs[o]!;
      p.nominalVoltageV[m] = inputs[o + 1]!;
      p.sohPercent[m] = inputs[o + 2]!;
      p.internalResistanceMilliohm[m] = inputs[o + 3]!;
      p.temperatureMinC[m] = inputs[o + 4]!;
      p.temperatureMaxC[m] = inputs[o + 5]!;
      p.cycleCount[m] = inputs[o + 6]!;
      p.ageYears[m] = inputs[o + 7]!;
      p.chemistry[m] = inputs[o + 8]!;
    }
    const f = new Float32Array(buf, count * INPUTS * 8, slots * FIGS);
    const b = new Uint8Array(buf, count * INPUTS * 8 + slots * FIGS * 4, slots * BYTES);
    const base = start * per;
    const mx = figures.matrix;
    const columns = [mx.usableEnergyKwh, mx.rulYears, mx.fadePctPerYear, mx.lifetimeEnergyMwh, mx.peakTemperatureC, mx.roundTripEfficiency, figures.pairCostUsd];
    columns.forEach((col, c) => col.set(f.subarray(c * slots, (c + 1) * slots), base));
    mx.feasible.set(b.subarray(0, slots), base);
    mx.violationMask!.set(b.subarray(slots, 2 * slots), base);
    mx.endOfLifeReason!.set(b.subarray(2 * slots, 3 * slots), base);
    covered = start + count;
  }
  if (covered !== nModules) throw new Error(`run ${runId}: stored figures cover ${covered} of ${nModules} modules`);
  return figures;
}
