/**
 * Statistics upkeep. PostgreSQL's planner works from the statistics ANALYZE gathers; until
 * autovacuum gets round to a freshly filled table it plans a 10 000-module fleet's page as a scan
 * and sort of the whole fleet (6.5 ms) instead of an index range (0.17 ms), so bulk writes
 * analyse at once. Runs on the service's own handle: ANALYZE needs the table owner, not relife_app.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

/** Bulk writes of at least this many rows refresh the table's statistics. */
export const ANALYZE_MIN_ROWS = 1_000;

export async function analyzeAfterBulkWrite(database: Database, table: 'modules' | 'measurements', rows: number): Promise<void> {
  if (rows < ANALYZE_MIN_ROWS) return;
  await database.db.execute(sql.raw(`analyze ${table === 'modules' ? 'modules' : 'measurements'}`));
}
