/**
 * Entry point of every WorkerPool thread: imports the task's module once per thread and calls
 * the named export with the payload. Kept tiny so that it loads the same way under tsx, vitest
 * and the compiled build. On start, a pool thread lowers its own priority to the nice value the
 * pool passed in its workerData (Linux: setpriority(PRIO_PROCESS, 0) is the calling thread).
 */
import { getPriority, setPriority } from 'node:os';
import { isMainThread, workerData } from 'node:worker_threads';
import type { WorkerTask } from './pool.js';
import { importModule } from './import-module.js';

/** workerData key of the nice value a pool thread sets on itself (see createWorkerPool). */
export const THREAD_NICE_KEY = 'relifeThreadNice';

function lowerOwnPriority(): void {
  if (isMainThread) return;
  const target = (workerData as Record<string, unknown> | null | undefined)?.[THREAD_NICE_KEY];
  if (typeof target !== 'number') return;
  try {
    // Only ever lower (raising needs privileges); a thread started from a lowered one inherits it.
    if (getPriority(0) < target) setPriority(0, target);
  } catch (error) {
    process.stderr.write(
      `relife: a worker thread keeps normal priority (could not set nice ${target}: ${error instanceof Error ? error.message : String(error)}); RELIFE_WORKER_NICE=0 turns this off\n`,
    );
  }
}
lowerOwnPriority();

const modules = new Map<string, Promise<Record<string, unknown>>>();

export default async function runTask(task: WorkerTask): Promise<unknown> {
  let mod = modules.get(task.module);
  if (!mod) {
    mod = importModule(task.module);
    modules.set(task.module, mod);
  }
  const fn = (await mod)[task.exportName];
  if (typeof fn !== 'function') throw new Error(`worker task: ${task.module} has no exported function "${task.exportName}"`);
  return (fn as (payload: unknown) => unknown)(task.payload);
}
