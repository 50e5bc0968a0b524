/** `relife import` / `relife export` against PGlite (data directory) and PostgreSQL (DATABASE_URL). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runExport } from '../../src/cli/export.js';
import { run as runImport } from '../../src/cli/import.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { pageAudit } from '../../src/db/tenants.js';
import { captureCli as capture } from '../helpers/cli.js';
import { databaseTargets } from '../helpers/databases.js';

// Each PGlite open of a fresh data directory is an initdb: slow on a loaded machine.
vi.setConfig({ testTimeout: 240_000 });

const HEADER = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count';

describe.each(databaseTargets())('relife import/export on $name', (target) => {
  const dir = mkdtempSync(join(tmpdir(), 'relife-cli-'));
  const saved = { url: process.env.DATABASE_URL, dataDir: process.env.RELIFE_DATA_DIR };
  let database: Database | undefined;

  beforeAll(async () => {
    if (target.name === 'postgres') {
      database = await target.open();
      process.env.DATABASE_URL = database.url;
    } else {
      delete process.env.DATABASE_URL;
      process.env.RELIFE_DATA_DIR = join(dir, 'data');
    }
  });
  afterAll(async () => {
    await database?.close();
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    if (saved.dataDir === undefined) delete process.env.RELIFE_DATA_DIR;
    else process.env.RELIFE_DATA_DIR = saved.dataDir;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The CLI's import rows of the audit log, oldest first, read the way the CLI opens the database. */
  async function importAudit(): Promise<{ actor: string; fleet: unknown; importedCount: unknown; createdFleet: unknown }[]> {
    const opened = await openDatabase();
    try {
      const rows = await pageAudit(opened.db, { limit: 100, oldestFirst: true });
      return rows
        .filter((r) => r.action === 'importModules' && r.actor === 'cli')
        .map((r) => ({ actor: r.actor, fleet: r.target.fleet, importedCount: r.target.importedCount, createdFleet: r.target.createdFleet }));
    } finally {
      await opened.close();
    }
  }

  it('rejects a bad file listing every problem, and does not even create the fleet', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${HEADER}\nA1,NMC,50,59.2,70,50,20,30,1000\nA2,XX,50,59.2,170,50,20,30,1000\nA1,NMC,50,59.2,70,50,20,30,1000\n`);
    const r = await capture(() => runImport(['--fleet', 'lab', '--create', file]));
    expect(r.code).toBe(1);
    expect(r.err).toContain('nothing imported (3 problem(s))');
    expect(r.err).toContain('row 3, column chemistry');
    expect(r.err).toContain('row 3, column soh_percent');
    expect(r.err).toContain('row 4, column serial');
    const exported = await capture(() => runExport(['--fleet', 'lab']));
    expect(exported.code).toBe(1);
    expect(exported.err).toContain('fleet "lab" not found');
  });

  it('imports a good file and exports it back byte for byte', async () => {
    const file = join(dir, 'good.csv');
    const csv = `${HEADER},manufacturer,age_years\nA1,NMC,50,59.2,70,50,20,30,1000,"Acme, Inc",4.5\nA2,LFP,100,51.2,66.5,31.2,18,29,2100,,\n`;
    writeFileSync(file, csv);
    const r = await capture(() => runImport(['--fleet', 'lab', '--create', file]));
    expect(r).toMatchObject({ code: 0, out: 'imported 2 modules into lab (new fleet)' });
    const out = join(dir, 'out.csv');
    expect((await capture(() => runExport(['--fleet', 'lab', '--out', out]))).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(csv);
    expect(await importAudit()).toEqual([{ actor: 'cli', fleet: 'lab', importedCount: 2, createdFleet: true }]);
    const again = await capture(() => runImport(['--fleet', 'lab', file]));
    expect(again.code).toBe(1);
    expect(again.err).toContain('serial "A1" already exists in this fleet');
    // A refused import changed nothing, and its audit row would have gone with its transaction.
    expect(await importAudit()).toHaveLength(1);
  });

  it('imports a semicolon file, refuses suspect units with the mistake named unless allowed, and a dry run writes nothing', async () => {
    const file = join(dir, 'semi.csv');
    writeFileSync(file, `${HEADER.replaceAll(',', ';')}\nS1;NMC;50;59.2;0.716;50;20;30;1000\n`);
    const refused = await capture(() => runImport(['--fleet', 'semi', '--create', file]));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('row 2, column soh_percent: soh_percent 0.716 % looks like a fraction: 0.716 is 71.6 %');
    expect((await capture(() => runExport(['--fleet', 'semi']))).err).toContain('fleet "semi" not found');
    const dry = await capture(() => runImport(['--fleet', 'semi', '--create', '--allow-suspect-units', '--dry-run', file]));
    expect(dry).toMatchObject({ code: 0, out: 'would import 1 modules into semi (new fleet)' });
    expect((await capture(() => runExport(['--fleet', 'semi']))).code).toBe(1);
    const real = await capture(() => runImport(['--fleet', 'semi', '--create', '--allow-suspect-units', file]));
    expect(real).toMatchObject({ code: 0, out: 'imported 1 modules into semi (new fleet)' });
    const exported = await capture(() => runExport(['--fleet', 'semi']));
    expect(exported.code).toBe(0);
    // The dry run and the refusal wrote no audit row; the real import wrote one.
    expect((await importAudit()).filter((a) => a.fleet === 'semi')).toEqual([{ actor: 'cli', fleet: 'semi', importedCount: 1, createdFleet: true }]);
    const bad = await capture(() => runImport(['--fleet', 'semi', '--delimiter', 'pipe', file]));
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('--delimiter must be comma, semicolon or tab') });
  });
});
