/**
 * Worker-thread side of an optimisation: the twin matrix and every generation run here, off the
 * API's event loop. Progress and checkpoints go back over a MessagePort. After each generation the
 * worker waits until the caller has taken its progress (an Atomics handshake on `control`), so
 * the run advances in step with what is recorded and a stop takes effect at the end of the
 * generation in which it arrived, as when the solver ran on the caller's thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { optimizeAllocation } from '../planning/optimize.js';
import { adoptCompiledHighs } from '../planning/exact/highs-adapter.js';
import type { AllocationProgress, OptimizeAllocationOptions, PlanningFigures, StrategyMetrics } from '../planning/allocation-types.js';
import type { StoredFront } from '../db/schema/runs.js';
import type { StoredModule } from '../db/modules.js';
import type { ApplicationSpec } from '../twin/types.js';
import { encodeCheckpoint } from './checkpoint-codec.js';
import { toStoredFront } from './stored-front.js';

export interface OptimizeTask {
  modules: StoredModule[];
  apps: ApplicationSpec[];
  options: Omit<OptimizeAllocationOptions, 'signal' | 'onGeneration' | 'onCheckpoint' | 'pool'>;
  port: MessagePort;
  /** Int32 view of a SharedArrayBuffer: [0] last generation the caller took, [1] stop flag. */
  control: Int32Array;
  /** Send checkpoints (runs); a comparison does not resume. */
  checkpoints: boolean;
  /** HiGHS compiled by the caller's thread: this thread then runs the machine code earlier runs optimised. */
  highsModule?: WebAssembly.Module;
}

export type OptimizeMessage =
  | { kind: 'progress'; progress: AllocationProgress }
  /** The checkpoint as JSON text (a StoredCheckpoint), serialised here rather than on the caller's loop. */
  | { kind: 'checkpoint'; generation: number; json: string };

export interface OptimizeOutcome {
  front: StoredFront;
  comparison: StrategyMetrics[];
  /** The twin figures the plans were scored with (stored with the front: src/jobs/run-figures.ts). */
  figures: PlanningFigures;
  frontSize: number;
  evaluations: number;
  seconds: number;
  hypervolume: number;
  cancelled: boolean;
}

export async function runOptimizeTask(task: OptimizeTask): Promise<OptimizeOutcome> {
  const controller = new AbortController();
  const { control } = task;
  const readStop = () => {
    if (Atomics.load(control, 1) !== 0 && !controller.signal.aborted) controller.abort(new Error('stopped'));
  };
  const awaitTaken = (generation: number) => {
    for (let seen = Atomics.load(control, 0); seen < generation && Atomics.load(control, 1) === 0; seen = Atomics.load(control, 0)) {
      Atomics.wait(control, 0, seen, 1_000);
    }
  };
  if (task.highsModule) adoptCompiledHighs(task.highsModule);
  try {
    readStop();
    const result = await optimizeAllocation(task.modules, task.apps, {
      ...task.options,
      signal: controller.signal,
      onGeneration: (progress) => {
        task.port.postMessage({ kind: 'progress', progress: { ...progress } } satisfies OptimizeMessage);
        awaitTaken(progress.generation);
        readStop();
      },
      ...(task.checkpoints
        ? {
            onCheckpoint: (c) => {
              readStop();
              if (!controller.signal.aborted) task.port.postMessage({ kind: 'checkpoint', generation: c.generation, json: JSON.stringify(encodeCheckpoint(c)) } satisfies OptimizeMessage);
            },
          }
        : {}),
    });
    return {
      front: toStoredFront(result, task.modules, result.stats.cancelled),
      comparison: result.comparison,
      figures: result.figures,
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
