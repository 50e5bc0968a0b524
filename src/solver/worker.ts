/**
 * Entry point of every WorkerPool thread: imports the task's module once per thread and calls
 * the named export with the payload. Kept tiny so that it loads the same way under tsx, vitest
 * and the compiled build.
 */
import type { WorkerTask } from './pool.js';
import { importModule } from './import-module.js';

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
