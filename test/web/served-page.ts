/**
 * A real server on a fresh in-memory PGlite database with a guarded chromium page on it, opened
 * before a describe block's tests and closed after them (vitest hooks): the set-up every browser
 * test file shares.
 */
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openGuardedPage, type GuardedPage } from './browser.js';

export interface ServedPage {
  database: Database;
  server: TestServer;
  ui: GuardedPage;
}

/** Call inside a `describe`: the returned object is filled in its `beforeAll`. */
export function servedPage(options: Parameters<typeof startTestServer>[1]): ServedPage {
  const served = {} as ServedPage;
  beforeAll(async () => {
    served.database = await openDatabase({ inMemory: true });
    served.server = await startTestServer(served.database, options);
    served.ui = await openGuardedPage(served.server.url);
  }, 180_000);
  afterAll(async () => {
    await served.ui?.close();
    await served.server?.close();
    await served.database?.close();
  });
  return served;
}
