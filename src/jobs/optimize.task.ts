/**
 * Worker-thread side of an optimisation: the twin matrix and every generation run here, off the
 * API's event loop. Progress and checkpoints go back over a MessagePort; the caller's stop request
 * comes the same way and is read between generations. Loaded by the solver's WorkerPool.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { optimizeAllocation } from '../planning/optimize.js';
import type { AllocationProgress, OptimizeAllocationOptions, StrategyMetrics } from '../planning/allocation-types.js';
import type { StoredFront } from '../db/schema/runs.js';
import type { StoredModule } from '../db/modules.js';
import type { ApplicationSpec } from '../twin/types.js';
import { encodeCheckpoint, type StoredCheckpoint } from './checkpoint-codec.js';
import { toStoredFront } from './stored-front.js';

export interface OptimizeTask {
  modules: StoredModule[];
  apps: ApplicationSpec[];
  options: Omit<OptimizeAllocationOptions, 'signal' | 'onGeneration' | 'onCheckpoint' | 'pool'>;
  port: MessagePort;
  /** Send checkpoints (runs); a comparison does not resume. */
  checkpoints: boolean;
}

export type OptimizeMessage =
  | { kind: 'progress'; progress: AllocationProgress }
  | { kind: 'checkpoint'; generation: number; state: StoredCheckpoint };

export interface OptimizeOutcome {
  front: StoredFront;
  comparison: StrategyMetrics[];
  frontSize: number;
  evaluations: number;
  seconds: number;
  hypervolume: number;
  cancelled: boolean;
}

export async function runOptimizeTask(task: OptimizeTask): Promise<OptimizeOutcome> {
  const controller = new AbortController();
  const readStop = () => {
    for (let m = receiveMessageOnPort(task.port); m; m = receiveMessageOnPort(task.port)) {
      if ((m.message as { kind?: string }).kind === 'stop') controller.abort(new Error('stopped'));
    }
  };
  try {
    readStop();
    const result = await optimizeAllocation(task.modules, task.apps, {
      ...task.options,
      signal: controller.signal,
      onGeneration: (progress) => {
        task.port.postMessage({ kind: 'progress', progress: { ...progress } } satisfies OptimizeMessage);
        readStop();
      },
      ...(task.checkpoints
        ? {
            onCheckpoint: (c) => {
              readStop();
              if (!controller.signal.aborted) task.port.postMessage({ kind: 'checkpoint', generation: c.generation, state: encodeCheckpoint(c) } satisfies OptimizeMessage);
            },
          }
        : {}),
    });
    return {
      front: toStoredFront(result, task.modules, result.stats.cancelled),
      comparison: result.comparison,
      frontSize: result.front.length,
      evaluations: result.stats.evaluations,
      seconds: result.stats.seconds,
      hypervolume: result.stats.hypervolume,
      cancelled: result.stats.cancelled,
    };
  } finally {
    task.port.close();
  }
}
