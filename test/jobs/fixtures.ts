/** A small fleet and the default applications in a test database (real rows, fixed seed). */
import type { Database } from '../../src/db/client.js';
import { insertApplication } from '../../src/db/applications.js';
import { createFleet } from '../../src/db/fleets.js';
import { insertModules } from '../../src/db/modules.js';
import { DEFAULT_APPLICATIONS } from '../../src/demo/default-applications.js';
import { generateSyntheticFleet } from '../../src/demo/synthetic-fleet.js';

export async function seedSmallFleet(database: Database, size = 12, seed = 7, name = `fleet-${seed}-${size}`) {
  const fleet = await createFleet(database.db, { name });
  await insertModules(database.db, fleet.id, generateSyntheticFleet({ size, seed }));
  const apps = [];
  for (const a of DEFAULT_APPLICATIONS) apps.push(await insertApplication(database.db, { ...a, name: `${a.name} ${name}` }));
  return { fleet, apps };
}
