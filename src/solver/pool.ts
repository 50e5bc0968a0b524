/**
 * A generic worker-thread pool (Piscina) shared by the solver's parallel evaluation and the twin
 * matrix computation. A task names a module URL, an exported function and a payload; the worker
 * imports the module once and calls `fn(payload)`.
 *
 * Payloads are structured-cloned: typed arrays on a SharedArrayBuffer are shared with the worker
 * (no copy), others are copied unless listed in `transferList`. Send the large arrays once on
 * SharedArrayBuffer and pass only row ranges per task.
 *
 * Loading: under tsx (npm start, CLI) and vitest the worker and task modules are `.ts` files;
 * worker threads do not inherit vitest's transform, so for a `.ts` worker the pool starts threads
 * with `--import tsx`, and `.ts` task modules that the worker's plain `import()` cannot load on
 * Node 20 go through tsx's `tsImport` (import-module.ts). From the compiled build (dist/)
 * everything is `.js` and plain Node loads it.
 *
 * Priority: on Linux, where the nice value belongs to each thread, a pool's threads lower their
 * own priority when they start (`nice`, default RELIFE_WORKER_NICE, else 10 steps below the
 * process's main thread), so that under contention for the cores the API's event loop,
 * PostgreSQL and other processes go first and the computation takes the rest. Elsewhere
 * setpriority() would reach the whole process, so the threads keep the caller's priority there.
 */
import { Piscina } from 'piscina';
import type { TransferListItem } from 'node:worker_threads';
import { availableParallelism, getPriority } from 'node:os';
import runTaskInline, { THREAD_NICE_KEY } from './worker.js';
import { moduleUrl } from './module-url.js';

export interface WorkerTask {
  /** Absolute module URL (`new URL('./x.js', import.meta.url).href`); `.ts` under tsx/vitest. */
  module: string;
  /** Name of the exported function `(payload) => result | Promise<result>`. */
  exportName: string;
  payload: unknown;
}

export interface RunOptions {
  transferList?: TransferListItem[];
  signal?: AbortSignal;
}

export interface WorkerPool {
  /** Number of worker threads (0: tasks run inline on the calling thread). */
  readonly threads: number;
  run<T = unknown>(task: WorkerTask, options?: RunOptions): Promise<T>;
  destroy(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** Worker threads; default: available parallelism. 0 runs every task inline (tests, debugging). */
  threads?: number;
  /** Milliseconds an idle thread lives; default: forever while the pool exists. */
  idleTimeoutMs?: number;
  /**
   * Steps of niceness (0–19) the threads run below the process's main thread (Linux only);
   * default RELIFE_WORKER_NICE, else 10. 0 leaves them at the priority of the thread creating them.
   */
  nice?: number;
}

/** Niceness of pool threads when RELIFE_WORKER_NICE is not set. */
export const DEFAULT_WORKER_NICE = 10;

/** RELIFE_WORKER_NICE: 0–19, steps below the main thread's priority for pool threads; 0 = off. */
export function readWorkerNice(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RELIFE_WORKER_NICE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_WORKER_NICE;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0 || v > 19) throw new Error(`RELIFE_WORKER_NICE must be a whole number 0–19 (0 = same priority as the API), got "${raw}"`);
  return v;
}

/**
 * The nice value pool threads set on themselves: the main thread's plus `steps`, at most 19; or
 * undefined when nothing is to be set (steps 0, or not Linux, where setpriority(0) is per process).
 */
export function poolThreadNice(steps: number, platform: NodeJS.Platform = process.platform): number | undefined {
  if (!Number.isInteger(steps) || steps < 0 || steps > 19) throw new Error(`createWorkerPool: nice must be a whole number 0–19, got ${steps}`);
  if (steps === 0 || platform !== 'linux') return undefined;
  let base = 0;
  try {
    // Linux: the nice value of the thread whose id is the pid, i.e. the main thread.
    base = getPriority(process.pid);
  } catch {
    // Unreadable (sandbox): count from normal priority.
  }
  return Math.min(19, base + steps);
}

export { moduleUrl };

/** Options that take a value and are allowed in a worker's execArgv (module loading only). */
const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);

/**
 * Worker execArgv: the parent's module-loading flags (tsx, vitest's hooks) and nothing else, since
 * a worker rejects per-process flags such as --expose-gc (ERR_WORKER_INVALID_EXEC_ARGV, e.g. under
 * bench/run.ts) and Piscina would otherwise hand it the parent's execArgv; plus `--import tsx`
 * for a `.ts` entry.
 */
export function workerExecArgv(needsTs: boolean, argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!LOADER_FLAGS.has(flag)) continue;
    if (eq > 0) out.push(a);
    else if (i + 1 < argv.length) out.push(a, argv[++i]);
  }
  if (needsTs && !out.some((a) => /\btsx\b/.test(a))) out.push('--import', 'tsx');
  return out;
}

export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 0) throw new Error(`createWorkerPool: threads must be a non-negative integer, got ${threads}`);
  if (threads === 0) return inlinePool();

  const filename = moduleUrl('./worker.js', import.meta.url);
  const nice = poolThreadNice(options.nice ?? readWorkerNice());
  const piscina = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: options.idleTimeoutMs ?? Number.POSITIVE_INFINITY,
    // One task at a time per thread: tasks are coarse chunks, queueing inside a thread only adds latency.
    concurrentTasksPerWorker: 1,
    execArgv: workerExecArgv(filename.endsWith('.ts')),
    ...(nice !== undefined ? { workerData: { [THREAD_NICE_KEY]: nice } } : {}),
  });
  let destroyed = false;
  return {
    threads,
    run<T>(task: WorkerTask, runOptions: RunOptions = {}): Promise<T> {
      if (destroyed) return Promise.reject(new Error('WorkerPool: run() after destroy()'));
      return piscina.run(task, { transferList: runOptions.transferList as never, signal: runOptions.signal }) as Promise<T>;
    },
    async destroy(): Promise<void> {
      if (destroyed) return;
      destroyed = true;
      await piscina.destroy();
    },
  };
}

function inlinePool(): WorkerPool {
  let destroyed = false;
  return {
    threads: 0,
    async run<T>(task: WorkerTask, runOptions: RunOptions = {}): Promise<T> {
      if (destroyed) throw new Error('WorkerPool: run() after destroy()');
      runOptions.signal?.throwIfAborted();
      return (await runTaskInline(task)) as T;
    },
    async destroy(): Promise<void> {
      destroyed = true;
    },
  };
}
