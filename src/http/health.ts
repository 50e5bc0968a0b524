/** GET /health: the process answers and so does its database. Public (no token, no tenant). */
import { sql } from 'drizzle-orm';
import { HttpError } from './errors.js';
import type { HttpRoute } from './router.js';

export const HEALTH_ROUTES: HttpRoute[] = [
  {
    method: 'GET',
    path: '/health',
    public: true,
    handle: async ({ database }) => {
      // A trivial query proves the database answers, not just the process.
      await database.db.execute(sql`select 1`).catch((error: unknown) => {
        throw new HttpError(503, `database unavailable: ${error instanceof Error ? error.message : String(error)}`);
      });
      return Response.json({ status: 'ok', database: database.kind });
    },
  },
];
