/** First-start demo data: fleet paper-120 and the four default applications. */
import { sql } from 'drizzle-orm';
import { DEFAULT_APPLICATIONS } from './default-applications.js';
import { PAPER_FLEET_NAME, paperFleet } from './synthetic-fleet.js';
import type { DbOrTx } from '../db/client.js';
import { insertModules } from '../db/modules.js';
import { applications, fleets } from '../db/schema/index.js';

export interface SeedResult {
  fleetSeeded: boolean;
  applicationsSeeded: number;
}

/**
 * Seeds, in one transaction, the demo fleet when there is no fleet at all and the default
 * applications when there is no application at all. A database someone has used is left alone.
 */
export async function seedDemoIfEmpty(db: DbOrTx): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    // Serialises concurrent first starts against one PostgreSQL (two replicas booting together).
    await tx.execute(sql`select pg_advisory_xact_lock(727001)`);
    const result: SeedResult = { fleetSeeded: false, applicationsSeeded: 0 };
    if ((await tx.$count(fleets)) === 0) {
      const [fleet] = await tx
        .insert(fleets)
        .values({ name: PAPER_FLEET_NAME, description: 'Demo: rows B1–B5 of Table 3 of the reference paper + 115 synthetic modules (§3A generator, seed 120)' })
        .returning();
      await insertModules(tx, fleet.id, paperFleet());
      result.fleetSeeded = true;
    }
    if ((await tx.$count(applications)) === 0) {
      // One by one so that created_at orders them as listed.
      for (const a of DEFAULT_APPLICATIONS) {
        await tx.insert(applications).values({ ...a, envelopes: a.envelopes.map((e) => ({ ...e })) });
        result.applicationsSeeded++;
      }
    }
    return result;
  });
}
