/** A fleet's modules as CSV (the import format): GET /fleets/:id/modules.csv, by global ID or name. */
import type { Database } from '../db/client.js';
import { getFleet, getFleetByName } from '../db/fleets.js';
import { loadFleetModules } from '../db/modules.js';
import { formatModulesCsv } from '../formats/modules-csv.js';
import { idOfType, isUuid } from '../ids.js';
import { HttpError } from './errors.js';
import type { HttpRoute } from './router.js';

/** The fleet a path parameter names: a global Fleet ID or the fleet's name. */
async function fleetFromParam(database: Database, param: string) {
  const id = idOfType(param, 'Fleet');
  const uuid = id && isUuid(id) ? id : null;
  return (uuid ? await getFleet(database.db, uuid) : undefined) ?? (await getFleetByName(database.db, param));
}

export const FLEET_ROUTES: HttpRoute[] = [
  {
    method: 'GET',
    path: '/fleets/:id/modules.csv',
    handle: async ({ database, params }) => {
      const fleet = await fleetFromParam(database, params.id!);
      if (!fleet) throw new HttpError(404, `fleet ${params.id} not found`);
      const csv = formatModulesCsv(await loadFleetModules(database.db, fleet.id));
      const filename = fleet.name.replace(/[^A-Za-z0-9._-]+/g, '_');
      return new Response(csv, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}-modules.csv"` },
      });
    },
  },
];
