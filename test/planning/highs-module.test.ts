/**
 * HiGHS's compiled WebAssembly module: made once per thread, or adopted from the thread that
 * compiled it (a run's thread gets the API thread's, src/jobs/off-loop.ts), and solving from it.
 * Own file: the adapter keeps the module and the loaded instance per thread, and vitest gives
 * each file fresh module state.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { adoptCompiledHighs, compiledHighs, loadHighs, solveSparse, type SparseModel } from '../../src/planning/exact/highs-adapter.js';

/** max x + 2y subject to x + y ≤ 4, x ≤ 3, y ≤ 3 (optimum 7 at x = 1, y = 3). */
const tinyLp: SparseModel = {
  numCols: 2,
  numRows: 1,
  maximize: true,
  colCost: Float64Array.of(1, 2),
  colLower: Float64Array.of(0, 0),
  colUpper: Float64Array.of(3, 3),
  rowLower: Float64Array.of(-Infinity),
  rowUpper: Float64Array.of(4),
  starts: Int32Array.of(0, 1, 2),
  indices: Int32Array.of(0, 0),
  values: Float64Array.of(1, 1),
};

describe('HiGHS compiled module', () => {
  it('instantiates HiGHS from a module compiled elsewhere, and keeps the instance once loaded', async () => {
    const bytes = await readFile(createRequire(import.meta.url).resolve('highs/runtime'));
    const elsewhere = await WebAssembly.compile(bytes);
    adoptCompiledHighs(elsewhere);
    expect(await compiledHighs()).toBe(elsewhere);
    const solved = await solveSparse(tinyLp, 10);
    expect(solved.status).toBe('optimal');
    expect(solved.objective).toBeCloseTo(7, 9);
    expect(Array.from(solved.x)).toEqual([1, 3]);

    // Once this thread has an instance, a later module does not replace the one it was made from.
    const instance = await loadHighs();
    adoptCompiledHighs(await WebAssembly.compile(bytes));
    expect(await compiledHighs()).toBe(elsewhere);
    expect(await loadHighs()).toBe(instance);
  });
});
