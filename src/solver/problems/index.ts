/** The benchmark problems by name, with the reference points used in reports. */
import type { Problem } from '../problem.js';
import { createZdt, type ZdtName } from './zdt.js';
import { createDtlz, type DtlzName } from './dtlz.js';

export { createZdt, zdtFront } from './zdt.js';
export { createDtlz, dtlzFront, simplexLattice } from './dtlz.js';

export type BenchmarkName = ZdtName | DtlzName;
export const BENCHMARK_NAMES: readonly BenchmarkName[] = ['zdt1', 'zdt2', 'zdt3', 'zdt4', 'zdt6', 'dtlz1', 'dtlz2'];

/**
 * Reference points for hypervolume: 1.1 × the nadir of the true front (ZDT: (1, 1); DTLZ1:
 * 0.5 per objective; DTLZ2: 1 per objective), the usual choice in the literature.
 */
export function benchmarkReferencePoint(name: BenchmarkName, nObj = name.startsWith('dtlz') ? 3 : 2): number[] {
  if (name === 'dtlz1') return new Array<number>(nObj).fill(0.55);
  return new Array<number>(nObj).fill(1.1);
}

export function isBenchmarkName(name: string): name is BenchmarkName {
  return (BENCHMARK_NAMES as readonly string[]).includes(name);
}

export function createBenchmarkProblem(name: BenchmarkName, options: { nVar?: number; nObj?: number } = {}): Problem<Float64Array> {
  if (!isBenchmarkName(name)) throw new Error(`unknown benchmark problem "${name}" (known: ${BENCHMARK_NAMES.join(', ')})`);
  if (name.startsWith('zdt')) return createZdt({ name: name as ZdtName, nVar: options.nVar });
  return createDtlz({ name: name as DtlzName, nVar: options.nVar, nObj: options.nObj });
}
