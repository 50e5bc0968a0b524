/**
 * PGlite is single-process: `relife import` on the data directory of a running server is refused
 * with the server named, instead of "imported" and lost on restart. A lock left by a killed
 * process does not block.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runImport } from '../../src/cli/import.js';
import { DataDirectoryInUseError, lockPathOf } from '../../src/db/client.js';
import { startServerProcess, type ServerProcess } from '../jobs/server-process.js';

const CSV = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count\nL1,NMC,50,59.2,70,50,20,30,1000\n';

describe('the PGlite data-directory lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relife-lock-'));
  const dataDir = join(dir, 'data');
  const file = join(dir, 'one.csv');
  writeFileSync(file, CSV);
  const saved = { url: process.env.DATABASE_URL, dataDir: process.env.RELIFE_DATA_DIR };
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    if (saved.dataDir === undefined) delete process.env.RELIFE_DATA_DIR;
    else process.env.RELIFE_DATA_DIR = saved.dataDir;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the CLI while a server holds the directory, naming the process, its URL and what to do', async () => {
    server = await startServerProcess({ dataDir, env: { RELIFE_SEED: '0' } });
    delete process.env.DATABASE_URL;
    process.env.RELIFE_DATA_DIR = dataDir;
    const error = await runImport(['--fleet', 'lab', '--create', file]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataDirectoryInUseError);
    const message = (error as Error).message;
    expect(message).toMatch(/in use by process \d+ \(.*src\/server\.ts/);
    expect(message).toMatch(/serving http:\/\/(localhost|127\.0\.0\.1):\d+/);
    expect(message).toMatch(/Stop that process first, or do this through its API .*\/graphql\), or run the server on PostgreSQL \(DATABASE_URL\)/);
    // Nothing was written behind the server's back: it sees no fleet "lab".
    const r = await server.gql(`{ fleet(name: "lab") { id } }`);
    expect(r.data.fleet).toBeNull();
  }, 300_000);

  it('lets the CLI in once the server has stopped, and the server sees the import after a restart', async () => {
    await server!.stop();
    server = undefined;
    // Released on shutdown, or (if the shutdown was cut short) left by a process that is gone.
    expect(await runImport(['--fleet', 'lab', '--create', file])).toBe(0);
    server = await startServerProcess({ dataDir, env: { RELIFE_SEED: '0' } });
    const r = await server.gql(`{ fleet(name: "lab") { moduleCount } }`);
    expect(r.data.fleet).toEqual({ moduleCount: 1 });
    await server.stop();
    server = undefined;
  }, 300_000);

  it('is held while a process has the directory open and released on close', async () => {
    const { openDatabase } = await import('../../src/db/client.js');
    const other = join(dir, 'other');
    const database = await openDatabase({ dataDir: other });
    try {
      expect(JSON.parse(readFileSync(lockPathOf(other), 'utf8'))).toMatchObject({ pid: process.pid });
      expect(database.dataDirLock?.path).toBe(lockPathOf(other));
    } finally {
      await database.close();
    }
    expect(existsSync(lockPathOf(other))).toBe(false);
  }, 120_000);

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(lockPathOf(dataDir), JSON.stringify({ pid: dead, command: 'node killed-server.js', startedAt: '2026-01-01T00:00:00.000Z' }));
    writeFileSync(join(dir, 'two.csv'), CSV.replace('L1', 'L2'));
    expect(await runImport(['--fleet', 'lab', '--create', join(dir, 'two.csv')])).toBe(0);
    expect(existsSync(lockPathOf(dataDir))).toBe(false);
  }, 120_000);
});
