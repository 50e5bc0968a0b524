/** `relife token create|list|revoke` on the configured database, and the server honouring them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runToken } from '../../src/cli/token.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { captureCli as capture } from '../helpers/cli.js';
import { databaseTargets } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { client } from './client.js';

describe.each(databaseTargets())('relife token on $name', (target) => {
  const dir = mkdtempSync(join(tmpdir(), 'relife-token-'));
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
  }, 120_000);
  afterAll(async () => {
    process.env.DATABASE_URL = saved.url;
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    process.env.RELIFE_DATA_DIR = saved.dataDir;
    if (saved.dataDir === undefined) delete process.env.RELIFE_DATA_DIR;
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a token printed on the last line, lists it by prefix, and revokes it; the server follows', async () => {
    const made = await capture(() => runToken(['create', '--tenant', 'acme', '--role', 'viewer']));
    expect(made.code).toBe(0);
    const token = made.lines.at(-1)!;
    expect(token).toMatch(/^rlf_[A-Za-z0-9_-]{43}$/);
    const listed = await capture(() => runToken(['list', '--tenant', 'acme']));
    const line = listed.lines.find((l) => l.includes(token.slice(0, 12)))!;
    expect(line.split('\t').slice(1, 4)).toEqual(['acme', 'viewer', token.slice(0, 12)]);
    expect(line).not.toContain(token);

    const db = database ?? (await openDatabase({ dataDir: join(dir, 'data') }));
    const server = await startTestServer(db);
    try {
      const ok = await client(server.url, token).gql(`{ applications { name } }`);
      expect(ok.data.applications).toHaveLength(4);
      expect((await client(server.url).gql(`{ __typename }`)).status).toBe(401);
      if (database) {
        expect((await capture(() => runToken(['revoke', token.slice(0, 12)]))).code).toBe(0);
        server.server.authenticator.invalidate();
        expect((await client(server.url, token).gql(`{ __typename }`)).status).toBe(401);
      }
    } finally {
      await server.close();
      if (!database) await db.close();
    }
    if (!database) {
      expect((await capture(() => runToken(['revoke', token.slice(0, 12)]))).code).toBe(0);
      const after = await capture(() => runToken(['list']));
      expect(after.lines.find((l) => l.includes(token.slice(0, 12)))!.split('\t')[5]).not.toBe('-');
    }
    await expect(runToken(['create', '--tenant', 'bad name'])).rejects.toThrow(/tenant name "bad name" must be/);
  }, 180_000);
});
