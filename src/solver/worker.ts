/**
 * Entry point of every WorkerPool thread: imports the task's module once per thread and calls
 * the named export with the payload. Kept tiny so that it loads the same way under tsx, vitest
 * and the compiled build.
 */
import type { WorkerTask } from './pool.js';

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

/**
 * Piscina loads this file through `require` (tsx's CommonJS hook when it is `.ts`), and on Node 20
 * the ESM hooks that `--import tsx` registers do not reach a worker's dynamic `import()` of a `.ts`
 * file (ERR_UNKNOWN_FILE_EXTENSION). tsx's scoped `tsImport` loads it, and its imports, instead.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!url.endsWith('.ts') || (error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
