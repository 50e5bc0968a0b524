/**
 * The twin matrix of a fleet × applications × envelopes, computed across the solver's worker
 * pool for large fleets. Modules and the result live on SharedArrayBuffers; each task fills a
 * contiguous module range in place, so nothing but row bounds crosses threads per task.
 */
import { moduleUrl, type WorkerPool } from '../solver/index.js';
import {
  allocateTwinMatrix,
  computeTwinMatrixRange,
  envelopeSlots,
  packModules,
  validateApplications,
  type MatrixOptions,
  type TwinMatrix,
} from '../twin/matrix.js';
import type { ApplicationSpec, ModuleState } from '../twin/types.js';
import type { TwinMatrixTask } from './twin-matrix.task.js';

export type { TwinMatrix } from '../twin/matrix.js';
export { matrixViolations, MATRIX_PADDING_BIT } from '../twin/matrix.js';

export interface TwinMatrixOptions extends MatrixOptions {
  /** Worker pool (src/solver/pool.ts). Without one, or with 0 threads, runs on this thread. */
  pool?: WorkerPool;
  /** Modules per task; default splits the fleet into ~8 tasks per thread for load balance. */
  chunkModules?: number;
  /** Called after each finished chunk with the modules done so far. */
  onProgress?: (modulesDone: number, modulesTotal: number) => void;
  signal?: AbortSignal;
}

/** Below this many modules a pool costs more than it saves. */
const MIN_PARALLEL_MODULES = 256;

export async function computeTwinMatrix(
  modules: readonly ModuleState[],
  apps: readonly ApplicationSpec[],
  options: TwinMatrixOptions = {},
): Promise<TwinMatrix> {
  validateApplications(apps);
  const n = modules.length;
  const pool = options.pool;
  const parallel = pool !== undefined && pool.threads > 0 && n >= MIN_PARALLEL_MODULES;
  const packed = packModules(modules, parallel);
  const matrix = allocateTwinMatrix(n, apps.length, envelopeSlots(apps), parallel);
  const matrixOptions: MatrixOptions = { horizonYears: options.horizonYears, stepsPerYear: options.stepsPerYear };
  if (!parallel) {
    const chunk = options.chunkModules ?? Math.max(1, n);
    for (let start = 0; start < n; start += chunk) {
      options.signal?.throwIfAborted();
      const end = Math.min(n, start + chunk);
      computeTwinMatrixRange(packed, apps, matrix, start, end, matrixOptions);
      options.onProgress?.(end, n);
    }
    return matrix;
  }
  const chunk = options.chunkModules ?? Math.max(64, Math.ceil(n / (pool.threads * 8)));
  const module = moduleUrl('./twin-matrix.task.js', import.meta.url);
  const appsPlain = apps.map((a) => ({ ...a, envelopes: a.envelopes.map((e) => ({ ...e })) }));
  let done = 0;
  const tasks: Promise<number>[] = [];
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const payload: TwinMatrixTask = { packed, apps: appsPlain, matrix, start, end, options: matrixOptions };
    tasks.push(
      pool.run<number>({ module, exportName: 'fillTwinMatrixRange', payload }, { signal: options.signal }).then((count) => {
        done += count;
        options.onProgress?.(done, n);
        return count;
      }),
    );
  }
  await Promise.all(tasks);
  return matrix;
}
