/**
 * Worker-side task of the parallel twin matrix: fills a module range of a matrix that lives on
 * SharedArrayBuffers (no result copy back). Loaded by the solver's generic WorkerPool.
 */
import { computeTwinMatrixRange, type MatrixOptions, type PackedModules, type TwinMatrix } from '../twin/matrix.js';
import type { ApplicationSpec } from '../twin/types.js';

export interface TwinMatrixTask {
  packed: PackedModules;
  apps: ApplicationSpec[];
  matrix: TwinMatrix;
  start: number;
  end: number;
  options: MatrixOptions;
}

export function fillTwinMatrixRange(task: TwinMatrixTask): number {
  computeTwinMatrixRange(task.packed, task.apps, task.matrix, task.start, task.end, task.options);
  return task.end - task.start;
}
