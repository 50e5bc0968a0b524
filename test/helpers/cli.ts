/**
 * The command line in tests. `relife …` as a user runs it: a child process of the command line (`src/cli.ts` under tsx),
 * in the repository root, output captured as text.
 *
 *   const r = relife('optimize', '--fleet', fleet, …);   // r.status, r.stdout, r.stderr
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** A command killed after this long fails its test instead of hanging it (runs on a loaded machine). */
export const CLI_TIMEOUT_MS = 240_000;

export function relife(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
}

/**
 * A command's `run(argv)` in this process, its console output captured:
 *
 *   const r = await captureCli(() => runImport(['--fleet', 'lab', '--create', file]));
 *   r.code, r.out (stdout text), r.lines (one entry per console.log), r.err (stderr text)
 */
export async function captureCli(fn: () => Promise<number>): Promise<{ code: number; out: string; lines: string[]; err: string }> {
  const lines: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await fn(), out: lines.join('\n'), lines, err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
